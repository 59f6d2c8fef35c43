"""Evidence pages and evidence packs.

A commissioner (and admin or coordinator) sees every provider and service; a provider only
its own, and another provider's pages answer 404 as if they did not exist. Every figure
comes from `app.evidence.build`, already suppressed; the page, CSV, XLSX and PDF render the
same `Pack`. Downloads and views of written answers are audited.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from flask import Response as HttpResponse
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.access import can_see_provider
from app.evidence import build
from app.evidence.periods import Period, following, period_containing, period_for_service
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import format_cell
from app.extensions import db, instrument_registry
from app.models import Campaign, Provider, Response, Service
from app.models.timeutil import uk_today
from app.paging import page_number
from app.review import bp

PERIODS_OFFERED = 8
FREE_TEXT_ROLES = ("admin", "coordinator", "commissioner")
FREE_TEXT_PAGE_SIZE = 100
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "pack_csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pack_xlsx"),
    "pdf": ("application/pdf", "pack_pdf"),
}


def _rule() -> SmallNumbers:
    return SmallNumbers.from_settings(current_app.config)


def _registry():
    return instrument_registry()


def _figures(service_ids) -> build.PageFigures | None:
    """The kept figures as a page about `service_ids` (a provider's services) uses them."""
    if not current_app.config.get("EVIDENCE_FIGURES_CACHE", True):
        return None
    return build.PageFigures(current_app.extensions["evidence_figures"], service_ids)


def _service(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None or not can_see_provider(current_user, service.provider_id):
        abort(404)
    return service


def _provider(provider_id: int) -> Provider:
    provider = db.session.get(Provider, provider_id)
    if provider is None or not can_see_provider(current_user, provider.id):
        abort(404)
    return provider


# --- Periods -------------------------------------------------------------------------------


def _grid(anchor_start: date | None, months: int):
    def containing(day: date) -> Period:
        return period_containing(day, anchor_start, months)

    return containing


def _service_grid(service: Service):
    def containing(day: date) -> Period:
        return period_for_service(service, day)

    return containing


def _provider_grid(provider: Provider):
    """The services' own grid when they share one, else financial quarters."""
    grids = {
        (s.starts_on.month if s.starts_on else None, s.monitoring_interval_months or 3)
        for s in provider.services
    }
    if len(grids) == 1:
        service = provider.services[0]
        return _service_grid(service)
    return _grid(None, 3)


def _choose_period(containing) -> tuple[Period, list[Period], str]:
    """The period asked for (`?period=` a date inside it), the periods on offer, and an error
    message when the request named no valid period. Default: the last complete period."""
    today = uk_today()
    current = containing(today)
    offered = [current]
    while len(offered) < PERIODS_OFFERED:
        offered.append(containing(offered[-1].start - timedelta(days=1)))
    chosen, error = offered[1], ""
    asked = request.args.get("period", "").strip()
    if asked:
        try:
            day = date.fromisoformat(asked)
            if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
                raise ValueError(asked)
        except ValueError:
            error = "Enter a period as a date, for example 2026-04-01."
        else:
            chosen = containing(day)
            if chosen.start > today:
                error = "That period has not started yet. Showing the last complete period."
                chosen = offered[1]
    if chosen not in offered:
        offered.append(chosen)
        offered.sort(key=lambda p: p.start, reverse=True)
    return chosen, offered, error


def _choose_filter(
    services, period: Period, figures: build.PageFigures | None
) -> tuple[tuple[str, str] | None, list, str]:
    """The group asked for (`?show=language:cy`, `?show=age_band:13_15`), the groups on
    offer, and a message when the group asked for cannot be shown."""
    offered_by = build.available_filters(build.View(tuple(services)), period, _rule(), figures)
    offered = [
        (f"{dimension}:{value}", f"People {build.filter_label(dimension, value)}")
        for dimension, values in offered_by.items()
        for value in values
    ]
    asked = request.args.get("show", "").strip()
    if not asked or asked == "everyone":
        return None, offered, ""
    dimension, _, value = asked.partition(":")
    if value not in offered_by.get(dimension, []):
        return (
            None,
            offered,
            "That group is too small to show on its own without risk of identifying "
            "someone, so everyone is shown.",
        )
    return (dimension, value), offered, ""


def _chosen(
    containing, service_ids, figures: build.PageFigures | None
) -> tuple[Period, tuple[str, str] | None, dict]:
    """The period and group the request asks for, and what the period picker shows."""
    period, offered, error = _choose_period(containing)
    only, groups, group_error = _choose_filter(service_ids, period, figures)
    picker = {
        "period": period,
        "offered": offered,
        "error": error,
        "groups": groups,
        "group": ":".join(only) if only else "everyone",
        "group_error": group_error,
    }
    return period, only, picker


# --- Charts --------------------------------------------------------------------------------


def _chart_dir() -> Path:
    return Path(current_app.config["CHART_CACHE_DIR"]) / "published"


def _draw(draw, /, *args, **kwargs):
    from app.charts.cache import cached_chart

    return cached_chart(draw, *args, **kwargs)


def _publish_chart(chart) -> str:
    """Keep a drawn chart's SVG under its content hash (shared by every worker) and return
    the hash, which the page uses in the image's address."""
    key = hashlib.sha256(chart.svg).hexdigest()[:40]
    folder = _chart_dir()
    path = folder / f"{key}.svg"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(chart.svg)
        os.replace(temporary, path)
    return key


@bp.get("/charts/<key>.svg")
def chart(key):
    if len(key) != 40 or any(c not in "0123456789abcdef" for c in key):
        abort(404)
    path = _chart_dir() / f"{key}.svg"
    if not path.exists():
        abort(404)
    return HttpResponse(
        path.read_bytes(),
        mimetype="image/svg+xml",
        headers={"Cache-Control": "private, max-age=86400"},
    )


# --- Pages ---------------------------------------------------------------------------------


@bp.get("/")
def index():
    providers = db.session.scalars(select(Provider).order_by(Provider.name)).all()
    visible = [p for p in providers if can_see_provider(current_user, p.id)]
    return render_template("review/index.html", providers=visible)


def _page(template: str, pack, **context):
    charts = {
        section.key: [(chart, _publish_chart(chart)) for chart in section.charts]
        for section in pack.sections
    }
    return render_template(
        template, pack=pack, charts=charts, cell=format_cell, today=uk_today(), **context
    )


@bp.get("/services/<int:service_id>")
def service_page(service_id):
    service = _service(service_id)
    figures = _figures(s.id for s in service.provider.services)
    period, only, picker = _chosen(_service_grid(service), (service.id,), figures)
    pack = build.service_pack(
        service, period, _registry(), _rule(), draw=_draw, only=only, cache=figures
    )
    return _page(
        "review/service.html",
        pack,
        service=service,
        **picker,
        later=following(period) if following(period).start <= uk_today() else None,
        may_read_free_text=current_user.has_role(*FREE_TEXT_ROLES),
    )


@bp.get("/providers/<int:provider_id>")
def provider_page(provider_id):
    provider = _provider(provider_id)
    ids = tuple(s.id for s in provider.services)
    figures = _figures(ids)
    period, only, picker = _chosen(_provider_grid(provider), ids, figures)
    pack = build.provider_pack(
        provider, period, _registry(), _rule(), draw=_draw, only=only, cache=figures
    )
    return _page("review/provider.html", pack, provider=provider, **picker)


# --- Evidence packs ------------------------------------------------------------------------


def _download(pack, fmt: str, obj, period: Period, slug: str):
    if fmt not in FORMATS:
        abort(404)
    from app.evidence import packs

    mimetype, function = FORMATS[fmt]
    body = getattr(packs, function)(pack)
    audit.record(
        "evidence_pack_exported",
        obj,
        format=fmt,
        period=period.label,
        period_start=period.start.isoformat(),
        scope=pack.scope,
    )
    filename = f"evidence-{slug}-{period.start:%Y-%m}.{fmt}"
    return HttpResponse(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _slug(text: str) -> str:
    cleaned = "".join(c.lower() if c.isalnum() else "-" for c in text if c.isascii())
    return "-".join(part for part in cleaned.split("-") if part)[:60] or "evidence"


@bp.get("/services/<int:service_id>/pack.<fmt>")
def service_pack(service_id, fmt):
    service = _service(service_id)
    if fmt not in FORMATS:
        abort(404)
    period, only, _ = _chosen(_service_grid(service), (service.id,), _figures((service.id,)))
    pack = build.service_pack(
        service, period, _registry(), _rule(), draw=_draw, charts=fmt == "pdf", only=only
    )
    return _download(pack, fmt, service, period, _slug(service.name))


@bp.get("/providers/<int:provider_id>/pack.<fmt>")
def provider_pack(provider_id, fmt):
    provider = _provider(provider_id)
    if fmt not in FORMATS:
        abort(404)
    ids = tuple(s.id for s in provider.services)
    period, only, _ = _chosen(_provider_grid(provider), ids, _figures(ids))
    pack = build.provider_pack(
        provider, period, _registry(), _rule(), draw=_draw, charts=fmt == "pdf", only=only
    )
    return _download(pack, fmt, provider, period, _slug(provider.name))


# --- Written answers -----------------------------------------------------------------------


@bp.get("/services/<int:service_id>/written-answers")
def written_answers(service_id):
    """Free-text answers for a service and period, for roles allowed to read them; every
    view is audited. No code, date or other answer is shown beside them."""
    service = _service(service_id)
    containing = _service_grid(service)
    period, offered, error = _choose_period(containing)
    page = page_number(request.args.get("page"))
    registry = _registry()
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
    shown = 0
    for (instrument_id, item_id), instrument in sorted(text_items.items()):
        answer = Response.answers[item_id].as_string()
        rows = db.session.execute(
            select(answer, Response.language)
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
            .offset((page - 1) * FREE_TEXT_PAGE_SIZE)
            .limit(FREE_TEXT_PAGE_SIZE + 1)
        ).all()
        texts = [(text, language) for text, language in rows]
        questions.append(
            {
                "question": instrument.item_text(item_id, build.LOCALE),
                "instrument": instrument.title(build.LOCALE),
                "answers": texts[:FREE_TEXT_PAGE_SIZE],
                "more": len(texts) > FREE_TEXT_PAGE_SIZE,
            }
        )
        shown += min(len(texts), FREE_TEXT_PAGE_SIZE)
    audit.record(
        "written_answers_viewed",
        service,
        period=period.label,
        period_start=period.start.isoformat(),
        page=page,
        answers_shown=shown,
    )
    return render_template(
        "review/written_answers.html",
        today=uk_today(),
        service=service,
        period=period,
        offered=offered,
        error=error,
        questions=questions,
        page=page,
        more=any(question["more"] for question in questions),
        next_url=url_for(
            "review.written_answers",
            service_id=service.id,
            period=period.start.isoformat(),
            page=page + 1,
        ),
    )
