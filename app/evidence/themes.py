"""Themes in a service's written answers: a commissioner names themes for a period and
marks answers with them; the evidence shows how many answers each theme was given, under
the small-numbers rule (fewer than 10 is "fewer than 10"), and only where the service's
written answers may be listed at all (`build.written_sections`).

Counts are of answers still held (an answer deleted under the retention rules no longer
counts). Themes overlap and no total is published, so one theme's count cannot be
subtracted from another's to reveal a hidden one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, func, select

from app.evidence.periods import Period
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import COUNT, Column, Section, Table
from app.extensions import db
from app.models import AnswerTheme, Response, Service, ThemedAnswer
from app.models.themes import THEME_NAME_MAX

# (response id, question id): one written answer.
AnswerKey = tuple[int, str]


class ThemeError(ValueError):
    """A theme name that cannot be used, with what to do in words."""


def themes_for(service: Service, period: Period) -> list[AnswerTheme]:
    return list(
        db.session.scalars(
            select(AnswerTheme)
            .where(AnswerTheme.service_id == service.id, AnswerTheme.period_start == period.start)
            .order_by(AnswerTheme.name)
        )
    )


def add_theme(service: Service, period: Period, name: str, user) -> AnswerTheme:
    """A new theme (or the one of that name already there, in any letter case). Does not
    commit. ThemeError for a name that is blank or too long."""
    name = " ".join((name or "").split())
    if not name:
        raise ThemeError("Enter a name for the theme")
    if len(name) > THEME_NAME_MAX:
        raise ThemeError(f"The theme's name must be {THEME_NAME_MAX} characters or fewer")
    for theme in themes_for(service, period):
        if theme.name.casefold() == name.casefold():
            return theme
    theme = AnswerTheme(
        service_id=service.id, period_start=period.start, name=name, created_by_id=user.id
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def marks(themes: Iterable[AnswerTheme]) -> dict[AnswerKey, set[int]]:
    """The themes each answer has: {(response id, question id): {theme id}}."""
    ids = [theme.id for theme in themes]
    found: dict[AnswerKey, set[int]] = {}
    if not ids:
        return found
    for theme_id, response_id, item_id in db.session.execute(
        select(ThemedAnswer.theme_id, ThemedAnswer.response_id, ThemedAnswer.item_id).where(
            ThemedAnswer.theme_id.in_(ids)
        )
    ):
        found.setdefault((response_id, item_id), set()).add(theme_id)
    return found


def set_marks(
    themes: Iterable[AnswerTheme],
    shown: Iterable[AnswerKey],
    chosen: Mapping[AnswerKey, Iterable[int]],
) -> None:
    """Give each answer that was `shown` exactly the themes `chosen` for it (among `themes`,
    the period's own); answers not shown keep theirs. Does not commit."""
    by_id = {theme.id: theme for theme in themes}
    shown = list(shown)
    if not by_id or not shown:
        return
    for response_id, item_id in shown:
        db.session.execute(
            delete(ThemedAnswer).where(
                ThemedAnswer.theme_id.in_(list(by_id)),
                ThemedAnswer.response_id == response_id,
                ThemedAnswer.item_id == item_id,
            )
        )
        for theme_id in set(chosen.get((response_id, item_id), ())):
            if theme_id in by_id:
                db.session.add(
                    ThemedAnswer(theme_id=theme_id, response_id=response_id, item_id=item_id)
                )


def counts(themes: Iterable[AnswerTheme]) -> list[tuple[str, int]]:
    """(theme name, answers marked with it, still held), in the themes' order."""
    themes = list(themes)
    if not themes:
        return []
    answers = func.count(func.distinct(ThemedAnswer.id))
    found = dict(
        db.session.execute(
            select(ThemedAnswer.theme_id, answers)
            .join(Response, Response.id == ThemedAnswer.response_id)
            .where(ThemedAnswer.theme_id.in_([theme.id for theme in themes]))
            .group_by(ThemedAnswer.theme_id)
        ).all()
    )
    return [(theme.name, found.get(theme.id, 0)) for theme in themes]


def theme_section(
    service: Service, period: Period, rule: SmallNumbers, publishable: bool
) -> Section | None:
    """The "Themes in written answers" section of a service's evidence: each theme with how
    many answers were given it, hidden below the threshold. None when no theme was marked
    or the service's written answers may not be listed (`publishable` False)."""
    if not publishable:
        return None
    themes = themes_for(service, period)
    if not themes:
        return None
    table = Table(
        key="written-themes",
        caption=f"Themes a commissioner marked in the written answers, {period.label}",
        columns=(Column("Theme"), Column("Written answers", COUNT)),
        rows=tuple((name, rule.count(n)) for name, n in counts(themes)),
        note="An answer can have more than one theme, so the counts do not add up to a total.",
    )
    return Section(key="themes", title="Themes in written answers", tables=(table,))


__all__ = [
    "ThemeError",
    "add_theme",
    "counts",
    "marks",
    "set_marks",
    "theme_section",
    "themes_for",
]
