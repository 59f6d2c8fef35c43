"""Written (free-text) answers of a service and period, a page at a time. Not part of the
evidence pack: only staff allowed to read them see them, and every view is audited by the
page that shows them. No code, date or other answer is read beside them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.evidence.periods import Period
from app.evidence.words import LOCALE
from app.extensions import db
from app.instruments.model import InstrumentRegistry
from app.models import Campaign, Response, Service


@dataclass(frozen=True)
class Question:
    """One free-text question and a page of its answers (their text only: a language tag
    beside an answer could single out the only speaker of a rare language)."""

    question: str
    instrument: str
    answers: tuple[str, ...]
    more: bool
    withheld: bool = False  # the service's figures are hidden: so are its people's words
    item_id: str = ""
    response_ids: tuple[int, ...] = ()  # beside `answers`, for marking themes

    @property
    def keyed(self) -> tuple[tuple[tuple[int, str], str], ...]:
        """((response id, question id), answer) pairs, the key a theme is marked on."""
        return tuple(
            ((rid, self.item_id), text)
            for rid, text in zip(self.response_ids, self.answers, strict=True)
        )


def written_answers(
    service: Service,
    period: Period,
    registry: InstrumentRegistry,
    page: int,
    page_size: int,
    publishable: frozenset[str] | None = None,
) -> list[Question]:
    """Page `page` (from 1) of each free-text question's answers in `period`, in the order
    they were sent, `page_size` at most per question. With `publishable` (the instrument ids
    whose figures the service may publish, `build.written_sections`), the answers of any
    other instrument are withheld."""
    since, until = period.utc_bounds()
    campaigns = db.session.scalars(select(Campaign).where(Campaign.service_id == service.id)).all()
    text_items = {}
    for campaign in campaigns:
        try:
            instrument = registry.get(campaign.instrument_id, campaign.instrument_version)
        except KeyError:
            continue
        for item in instrument.items:
            if item.is_text:
                text_items.setdefault((instrument.id, item.id), instrument)
    questions = []
    for (instrument_id, item_id), instrument in sorted(text_items.items()):
        if publishable is not None and instrument_id not in publishable:
            questions.append(
                Question(
                    question=instrument.item_text(item_id, LOCALE),
                    instrument=instrument.title(LOCALE),
                    answers=(),
                    more=False,
                    withheld=True,
                    item_id=item_id,
                )
            )
            continue
        answer = Response.answers[item_id].as_string()
        rows = db.session.execute(
            select(Response.id, answer)
            .join(Campaign, Campaign.id == Response.campaign_id)
            .where(
                Campaign.service_id == service.id,
                Response.instrument_id == instrument_id,
                Response.submitted_at >= since,
                Response.submitted_at < until,
                answer.is_not(None),
                answer != "",
            )
            .order_by(Response.id)
            .offset((page - 1) * page_size)
            .limit(page_size + 1)
        ).all()
        texts = tuple(text for _, text in rows)
        questions.append(
            Question(
                question=instrument.item_text(item_id, LOCALE),
                instrument=instrument.title(LOCALE),
                answers=texts[:page_size],
                more=len(texts) > page_size,
                item_id=item_id,
                response_ids=tuple(rid for rid, _ in rows)[:page_size],
            )
        )
    return questions


__all__ = ["Question", "written_answers"]
