"""A service's results page: its content for a period, the preview, publishing it as a
snapshot, and what changed since the page before.

Nothing here publishes by itself: a coordinator previews a period's page and publishes it
(`publish`). The published content is kept as it was (`ResultsPage.content`), so the public
page stays the same until the next one is published, whatever happens to the figures or
the wording in the meantime.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.evidence.build import service_pack
from app.evidence.periods import Period, period_for_family, previous
from app.extensions import db
from app.models import ResultsLink, ResultsPage, Service
from app.publishing.findings import headline_findings
from app.publishing.wording import public_items

CONTENT_VERSION = 1
# The periods a coordinator may choose from: the one now and the three before.
PERIODS_OFFERED = 4


def periods_offered(service: Service, today: date) -> list[Period]:
    """The latest periods of the service's family, newest first."""
    periods = [period_for_family(service.provider, today)]
    while len(periods) < PERIODS_OFFERED:
        periods.append(previous(periods[-1]))
    return periods


def default_period(service: Service, today: date) -> Period:
    """The last finished period: the one a page is usually about."""
    return periods_offered(service, today)[1]


def build_content(service: Service, period: Period, registry, rule) -> dict:
    """What the page says for `period`: the findings (from the suppressed evidence pack)
    and what the service is changing (the provider's public wording)."""
    pack = service_pack(service, period, registry, rule, charts=False)
    return {
        "version": CONTENT_VERSION,
        "service": service.name,
        "provider": service.provider.name,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "said": headline_findings(pack, registry),
        "doing": public_items(service),
    }


def _people(content: dict) -> int | None:
    return next((f["count"] for f in content["said"] if f["key"] == "people"), None)


def changes_since(content: dict, before: dict | None) -> list[dict]:
    """What changed since the page before: actions now done, new actions and replies, and
    whether more or fewer young people answered (only when both pages showed the number)."""
    if before is None:
        return [{"key": "first"}]
    changes: list[dict] = []
    earlier = {(item["kind"], item["id"]): item for item in before.get("doing", [])}
    for item in content["doing"]:
        was = earlier.get((item["kind"], item["id"]))
        if item.get("status") == "done" and (was is None or was.get("status") != "done"):
            changes.append({"key": "done", "wording": item["wording"]})
        elif was is None:
            changes.append({"key": "new", "wording": item["wording"]})
    now, then = _people(content), _people(before)
    if now is not None and then is not None and now != then:
        changes.append({"key": "more_people" if now > then else "fewer_people"})
    return changes or [{"key": "nothing_new"}]


def latest_page(service_id: int) -> ResultsPage | None:
    """The page the public sees now: the last one published."""
    return db.session.scalar(
        select(ResultsPage)
        .where(ResultsPage.service_id == service_id)
        .order_by(ResultsPage.published_at.desc(), ResultsPage.id.desc())
        .limit(1)
    )


def preview(service: Service, period: Period, registry, rule) -> dict:
    """The page as it would be published now, with its changes since the page live now."""
    content = build_content(service, period, registry, rule)
    live = latest_page(service.id)
    content["changed"] = changes_since(content, live.content if live else None)
    return content


def publish(service: Service, period: Period, registry, rule, user_id: int | None) -> ResultsPage:
    """Publish the service's page for `period`: a snapshot the public page shows until the
    next one."""
    content = preview(service, period, registry, rule)
    results_link(service)
    page = ResultsPage(
        service_id=service.id,
        period_start=period.start,
        period_end=period.end,
        content=content,
        published_by_id=user_id,
    )
    db.session.add(page)
    db.session.commit()
    return page


def results_link(service: Service) -> ResultsLink:
    """The service's short link, made the first time it is needed."""
    link = db.session.scalar(select(ResultsLink).where(ResultsLink.service_id == service.id))
    if link is None:
        link = ResultsLink(service_id=service.id)
        db.session.add(link)
        db.session.flush()
    return link


def link_by_code(code: str) -> ResultsLink | None:
    if not code or len(code) > 16:
        return None
    return db.session.scalar(select(ResultsLink).where(ResultsLink.code == code.lower()))


def published_code(service_id: int) -> str | None:
    """The service's results code when a page has been published, for links to it."""
    if latest_page(service_id) is None:
        return None
    return db.session.scalar(select(ResultsLink.code).where(ResultsLink.service_id == service_id))


__all__ = [
    "build_content",
    "changes_since",
    "default_period",
    "latest_page",
    "link_by_code",
    "periods_offered",
    "preview",
    "publish",
    "published_code",
    "results_link",
]
