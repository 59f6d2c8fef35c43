"""Concerns found in a submitted response: answers the instrument marks as a concern and
free text that contains a concern phrase for its language. Pure matching plus one hook,
`alerts_for_response`, that the respondent journey calls before it commits."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


@lru_cache(maxsize=8)
def _load_phrases(path: str, _mtime: float) -> dict[str, tuple[re.Pattern, ...]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must map language codes to lists of phrases")
    patterns = {}
    for language, phrases in data.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise ValueError(f"{path}: {language}: must be a list of phrases")
        # Whole words only, so "abuse" does not fire on "disabused"; spaces match any run.
        patterns[str(language)] = tuple(
            re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, normalise(p).split())) + r"(?!\w)")
            for p in phrases
            if p.strip()
        )
    return patterns


def phrase_patterns() -> dict[str, tuple[re.Pattern, ...]]:
    """The configured phrase list, reloaded when the file changes."""
    path = current_app.config["SAFEGUARDING_PHRASES"]
    return _load_phrases(path, Path(path).stat().st_mtime)


def matches_concern_phrase(text: str, language: str, patterns=None) -> bool:
    """Does `text` hold a concern phrase for `language` (or English)?"""
    if not text or not text.strip():
        return False
    patterns = phrase_patterns() if patterns is None else patterns
    text = normalise(text)
    languages = {language, language.split("-")[0], "en"}
    return any(p.search(text) for code in languages for p in patterns.get(code, ()))


def concern_items(instrument, answers: dict) -> list[str]:
    """Ids of the items whose answer the instrument marks as a concern."""
    found = []
    for item in instrument.items:
        concerns = getattr(item, "concerns", ())
        answer = answers.get(item.id)
        if not concerns or answer in (None, "", []):
            continue
        given = answer if isinstance(answer, list) else [answer]
        if any(str(value) in concerns for value in given):
            found.append(item.id)
    return found


def free_text_items(instrument, answers: dict, language: str) -> list[str]:
    """Ids of the free-text items whose answer holds a concern phrase."""
    return [
        item.id
        for item in instrument.items
        if item.is_text
        and isinstance(answers.get(item.id), str)
        and matches_concern_phrase(answers[item.id], language)
    ]


def alerts_for_response(response, instrument) -> list[dict]:
    """The alerts a response raises, as fields for app.safeguarding.alerts.add_alert.

    The message names the questions, not the answers: the lead reads the answers on the
    alert page, behind the sign-in.
    """
    answers = response.answers or {}
    common = {
        "campaign_id": response.campaign_id,
        "response": response,
        "participant": response.participant,
        "language": response.language,
    }
    raised = []
    marked = concern_items(instrument, answers)
    if marked:
        raised.append(dict(common, source="answer", urgency="high", message=_questions(marked)))
    worded = free_text_items(instrument, answers, response.language)
    if worded:
        raised.append(
            dict(common, source="free_text", urgency="urgent", message=_questions(worded))
        )
    return raised


def _questions(item_ids: list[str]) -> str:
    return "Questions: " + ", ".join(item_ids)
