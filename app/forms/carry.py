"""Answers carried from page to page of a set-up form as hidden fields.

A "check your answers" page, and a form split over pages, keep what was typed in the page
itself rather than in the session: a scenario or a name can be longer than a cookie holds,
and nothing is lost to a second tab. Each page sends every answer on; the last step checks
them all again before anything is made.
"""

from __future__ import annotations

from datetime import date


def _values(field) -> list[str]:
    if field.raw_data is not None:
        return [str(value) for value in field.raw_data]
    data = field.data
    if data is None or data is False:
        return []
    if data is True:
        return ["y"]
    if isinstance(data, date):
        return [str(data.day), str(data.month), str(data.year)]
    if isinstance(data, list | tuple):
        return [str(value) for value in data]
    return [str(data)]


def carried(form, *, leave_out=()) -> list[tuple[str, str]]:
    """(name, value) pairs for hidden inputs holding every answer except `leave_out`."""
    pairs = []
    for field in form:
        if field.name in leave_out or field.type in ("CSRFTokenField", "SubmitField"):
            continue
        pairs += [(field.name, value) for value in _values(field)]
    return pairs
