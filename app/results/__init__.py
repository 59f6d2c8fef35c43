"""Public results pages for young people ("you said, we did"), in their language: a
service's latest published page at its short link, its QR code and its poster."""

from flask import Blueprint

bp = Blueprint("results", __name__)

from app.results import routes  # noqa: E402, F401
