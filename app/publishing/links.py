"""A results page's public address and its QR code."""

from __future__ import annotations

import segno
from flask import current_app


def results_address(code: str) -> str:
    """The short address printed on posters and in QR codes."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/r/{code}"


def qr_code(code: str):
    return segno.make(results_address(code), error="m")


def qr_svg_inline(code: str, title: str) -> str:
    return qr_code(code).svg_inline(scale=4, omitsize=True, svgclass="app-qr", title=title)


__all__ = ["qr_code", "qr_svg_inline", "results_address"]
