"""The words evidence packs are written in: language and mode names, the labels of filtered
views. Staff pages and packs are in English. No Flask.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from app.age_bands import age_band

LOCALE = "en"  # staff pages and packs are in English
MODE_NAMES = {
    "self": "Self-completed",
    "with_worker": "With a worker",
    "peer_researcher": "Collected by a peer researcher",
}
PROVENANCE_NAMES = {
    "validated": "validated wording",
    "project": "project translation, not validated",
    "machine": "machine translation, not validated",
}
ENGLISH_NAMES = {"bn": "Bengali"}  # what UK services call it (CLDR says "Bangla")


def language_name(code: str) -> str:
    """A language's English name ("cy" -> "Welsh"), or the code when Babel does not know it."""
    if code in ENGLISH_NAMES:
        return ENGLISH_NAMES[code]
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def filter_label(dimension: str, value: str) -> str:
    """How a filtered view is named: "in Welsh", "aged 13 to 15", "age not said"."""
    if dimension == "language":
        return f"in {language_name(value)}"
    band = age_band(value)
    return f"aged {band.label.lower()}" if band and band.key != "not_said" else "age not said"


__all__ = ["LOCALE", "MODE_NAMES", "PROVENANCE_NAMES", "filter_label", "language_name"]
