"""Setting a campaign up: the languages an instrument can be offered in, what stands between
a draft and opening (the set-up tasks and their status), and changes to a campaign's details
after it was made, each one described for the audit log.

The link and QR code belong to the campaign's token, which nothing here changes: closing
dates and languages can move without a new poster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.languages import LANGUAGE_CODES, LANGUAGES, parse_language_list
from app.models import AuditEvent, Campaign
from app.models.timeutil import utcnow

# The same campaign sent twice in this time (a double tap, a retry) is made once.
RESUBMIT_WINDOW = timedelta(minutes=2)
QR_DOWNLOADED = "campaign_qr_downloaded"

_ABBREVIATION = re.compile(r"\(([A-Z][A-Z0-9-]+)\)\s*$")


def short_name(instrument) -> str:
    """How people name an instrument: "WEMWBS" for "Warwick-Edinburgh Mental Wellbeing Scale
    (WEMWBS)", else its English title. Never `wemwbs@1`."""
    title = instrument.title("en")
    found = _ABBREVIATION.search(title)
    return found.group(1) if found else title


def offered_languages(instrument) -> list[str]:
    """The platform's languages this instrument has text for, in the switcher's order."""
    return [language.code for language in LANGUAGES if language.code in instrument.texts]


def language_choices(instrument) -> list[tuple[str, str, str | None]]:
    """Each platform language as (code, label, reason it cannot be offered or None)."""
    name = short_name(instrument)
    return [
        (
            language.code,
            language.name
            if language.code == "en"
            else f"{language.name} ({language.english_name})",
            None
            if language.code in instrument.texts
            else f"{name} has no {language.english_name} text, so it cannot be offered in "
            f"{language.english_name}.",
        )
        for language in LANGUAGES
    ]


def language_problem(instrument, codes: list[str]) -> str | None:
    """Why these languages cannot be offered with this instrument, or None when they can."""
    if any(code not in LANGUAGE_CODES for code in codes):
        return "Select languages from the list"
    missing = [
        language.english_name
        for language in LANGUAGES
        if language.code in codes and language.code not in instrument.texts
    ]
    if not missing:
        return None
    return (
        f"{short_name(instrument)} has no {' or '.join(missing)} text: choose only languages it has"
    )


def language_names(codes) -> str:
    """Language codes in words, in the switcher's order: "English, Welsh"."""
    wanted = set(codes)
    return ", ".join(lang.english_name for lang in LANGUAGES if lang.code in wanted)


def licence_problem(campaign: Campaign, instrument) -> str | None:
    """The words of the error when a licensed instrument has no licence reference yet."""
    if instrument.is_licensed and not (campaign.licence_reference or "").strip():
        return f"Record the {short_name(instrument)} licence reference before opening"
    return None


def recently_made(
    *, service_id: int, name: str, instrument, opens_on: date, closes_on: date
) -> Campaign | None:
    """A campaign just made from the same answers: the second of a double submit."""
    return db.session.scalar(
        select(Campaign).where(
            Campaign.service_id == service_id,
            Campaign.name == name,
            Campaign.instrument_id == instrument.id,
            Campaign.instrument_version == instrument.version,
            Campaign.opens_on == opens_on,
            Campaign.closes_on == closes_on,
            Campaign.created_at >= utcnow() - RESUBMIT_WINDOW,
        )
    )


def _shown(field: str, value) -> str:
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if field == "languages":
        return language_names(parse_language_list(value))
    return str(value)


def change_details(
    campaign: Campaign, *, name: str, opens_on: date, closes_on: date, languages: list[str]
) -> dict[str, str]:
    """Apply new details; return each change as "before → after", in words, for the audit
    log. The token, and so the link and the QR code, stay the same."""
    wanted = {
        "name": name,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "languages": ",".join(lang.code for lang in LANGUAGES if lang.code in languages),
    }
    changes = {}
    for field, value in wanted.items():
        before = getattr(campaign, field)
        if field == "languages" and parse_language_list(before) == parse_language_list(value):
            continue
        if before != value:
            changes[field] = f"{_shown(field, before)} → {_shown(field, value)}"
            setattr(campaign, field, value)
    return changes


@dataclass(frozen=True)
class Task:
    """One row of the set-up task list: its key (the page's anchor or link) and status."""

    key: str
    title: str
    status: str
    hint: str = ""
    # "done", "todo", "blocked" or "none": how the status is shown.
    state: str = "todo"


def qr_downloaded(campaign: Campaign) -> bool:
    return (
        db.session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.action == QR_DOWNLOADED,
                AuditEvent.object_type == "Campaign",
                AuditEvent.object_id == str(campaign.id),
            )
            .limit(1)
        )
        is not None
    )


def setup_tasks(campaign: Campaign, instrument) -> list[Task]:
    """Details, licence, consent and privacy, open, QR code: each with where it stands."""
    name = short_name(instrument)
    if instrument.is_licensed:
        licence = (
            Task("licence", "Licence", "Completed", state="done")
            if campaign.licence_reference
            else Task(
                "licence",
                "Licence",
                "Needed before opening",
                f"{name} is licensed: record your organisation's licence reference.",
            )
        )
    else:
        licence = Task("licence", "Licence", "Not needed", f"{name} needs no licence.", "none")
    consent = (
        Task("consent", "Consent and privacy", "Completed", state="done")
        if campaign.privacy_notice
        else Task(
            "consent",
            "Consent and privacy",
            "Not yet started",
            "Write your part of the privacy notice: who holds the answers and who to ask.",
        )
    )
    if campaign.status == "open":
        opening = Task("open", "Open the campaign", "Open", state="done")
    elif campaign.status == "closed":
        opening = Task("open", "Open the campaign", "Closed", state="done")
    elif licence.state == "todo":
        opening = Task(
            "open", "Open the campaign", "Cannot open yet", f"Record the {name} licence first."
        )
    else:
        opening = Task("open", "Open the campaign", "Not yet started")
    qr = (
        Task("qr-code", "QR code for posters", "Downloaded", state="done")
        if qr_downloaded(campaign)
        else Task(
            "qr-code",
            "QR code for posters",
            "Not yet started",
            "The code stays the same when you change the dates or languages.",
        )
    )
    details = Task("details", "Campaign details", "Completed", state="done")
    return [details, licence, consent, opening, qr]
