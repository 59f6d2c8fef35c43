"""Co-producing the instruments on screen: coordinators, with young people in the room,
write quality frameworks, mystery-shop scenarios and feedback questionnaires, preview them as
a respondent or inspector would see them, translate them, and share them between councils
as files in the surveys/ format. Everything is kept through app.instrument_store, which
checks it by the same rules as the files."""

from flask import Blueprint

bp = Blueprint("coproduce", __name__, url_prefix="/instruments")

from app.coproduce import (  # noqa: E402,F401
    frameworks,
    library,
    preview,
    questionnaires,
    translations,
)
