"""Worksheet names for evidence packs: valid, unique and readable. No Flask."""

from __future__ import annotations

import re
from collections.abc import Iterable

SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_names(titles: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, unique, readable worksheet names for `titles`, in order.

    Excel allows at most 31 characters, none of []:*?/\\, no apostrophe at either end, and
    compares names without regard to case; "History" is kept for itself. A long title is
    shortened by words, never cut mid-word: a name with its abbreviation is written as the
    abbreviation ("Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS): scores" is "WEMWBS
    scores"), then remarks in brackets go, then whole words from the end. A name already
    used gets " (2)", " (3)" after as many whole words as leave room for it.
    """
    used = {name.casefold() for name in taken} | {"history"}
    names = []
    for number, title in enumerate(titles, start=1):
        base = _readable(title, SHEET_NAME_MAX) or f"Section {number}"
        name, suffix = base, 1
        while name.casefold() in used:
            suffix += 1
            tail = f" ({suffix})"
            name = _by_words(base, SHEET_NAME_MAX - len(tail)) + tail
        used.add(name.casefold())
        names.append(name)
    return names


# Words a shortened name does not end on: "Change from first to" reads as cut off.
DANGLING = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "how", "in", "of", "on", "or", "the")
    + ("to", "what", "when", "which", "who", "with")
)
REMARK = re.compile(r"\s*\([^()]*\)")


def _readable(title: str, limit: int) -> str:
    """`title` as a sheet name of at most `limit` characters, shortened by words."""
    text = " ".join(title.split())
    if len(text) > limit:
        text = _abbreviated(text)
    text = SHEET_NAME_FORBIDDEN.sub(" ", text)
    text = " ".join(text.split()).strip("'").strip()
    return _by_words(text, limit).strip("'").strip()


def _abbreviated(text: str) -> str:
    """Each name followed by its abbreviation in brackets written as the abbreviation: the
    longest run of capitalised words before the brackets whose initials the abbreviation
    starts with ("Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)" -> "WEMWBS")."""

    def shorter(match: re.Match) -> str:
        return match.group(1)

    return re.sub(r"\b[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*\s+\(([A-Z][A-Z0-9]{1,11})\)", shorter, text)


def _by_words(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: whole, or without its bracketed remarks, or as
    many whole words as fit, without a clause cut short or a dangling comma, colon or dash.
    A single word longer than the limit is the only thing ever cut."""
    if len(text) <= limit:
        return text
    plain = " ".join(REMARK.sub("", text).split())
    if plain and len(plain) <= limit:
        return plain
    words, kept = plain.split() or text.split(), ""
    for word in words:
        candidate = f"{kept} {word}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    # A clause cut short goes whole ("Youth club 4, Synthetic" is "Youth club 4"), when
    # what comes before it still says enough.
    clause = max(kept.rfind(", "), kept.rfind("; "))
    if clause >= limit // 2 and len(kept) < len(plain):
        kept = kept[:clause]
    kept = kept.rstrip(" ,;:-\u2013(")
    while " " in kept and kept.rsplit(" ", 1)[1].casefold() in DANGLING:
        kept = kept.rsplit(" ", 1)[0].rstrip(" ,;:-\u2013(")
    return kept or words[0][:limit].rstrip("' ")


__all__ = ["SHEET_NAME_MAX", "sheet_names"]
