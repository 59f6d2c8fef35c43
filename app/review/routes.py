"""Evidence pages and evidence packs.

A commissioner (and admin or coordinator) sees every provider and service; a provider only
its own, and another provider's pages answer 404 as if they did not exist. Every figure
comes from `app.evidence.build`, already suppressed; the page, CSV, XLSX and PDF render the
same `Pack`. Charts are drawn and published through the one chart cache
(`app.charts.cache`), which serves their images to any worker. Downloads and views of
written answers are audited.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Response as HttpResponse
from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.access import can_see_provider, can_see_service
from app.charts import cache as chart_cache
from app.evidence import build, themes
from app.evidence.page_figures import PageFigures
from app.evidence.periods import Period, following
from app.evidence.summary import summarise
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import format_cell
from app.extensions import db, instrument_registry
from app.improvement import summary as improvement
from app.inspections.permissions import can_read_report
from app.models import Provider, Service, Visit
from app.models.timeutil import uk_today
from app.monitoring.history import contract_section, contracts_for_pack
from app.review import bp
from app.review.choices import choose, provider_grid, service_grid
from app.scope import can_see_part_of_provider, visible_service_ids

FREE_TEXT_ROLES = ("admin", "coordinator", "commissioner")
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "pack_csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pack_xlsx"),
    "pdf": ("application/pdf", "pack_pdf"),
}


def _rule() -> SmallNumbers:
    return SmallNumbers.from_settings(current_app.config)


def _figures(service_ids) -> PageFigures | None:
    """The kept figures as a page about `service_ids` (a provider's services) uses them."""
    if not current_app.config.get("EVIDENCE_FIGURES_CACHE", True):
        return None
    return PageFigures(current_app.extensions["evidence_figures"], service_ids)


def _service(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None or not can_see_service(current_user, service.id):
        abort(404)
    return service


def _provider(provider_id: int) -> Provider:
    provider = db.session.get(Provider, provider_id)
    if provider is None or not can_see_provider(current_user, provider.id):
        abort(404)
    return provider


def _chosen(containing, service_ids, figures: PageFigures | None):
    return choose(containing, service_ids, _rule(), figures, request.args, uk_today())


# --- Pages ---------------------------------------------------------------------------------


@bp.get("/charts/<int:provider_id>/<key>.svg")
def chart(provider_id, key):
    # A chart's key can be computed from candidate figures: serve it only to those who may
    # see the provider it was published for, as if it did not exist to anyone else.
    if not can_see_part_of_provider(current_user, provider_id):
        abort(404)
    svg = chart_cache.published_svg(key, owner=provider_id)
    if svg is None:
        abort(404)
    return HttpResponse(
        svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )


@bp.get("/")
def index():
    providers = db.session.scalars(select(Provider).order_by(Provider.name)).all()
    services = visible_service_ids(current_user)
    visible = [
        (provider, [s for s in provider.services if s.id in services])
        for provider in providers
        if any(s.id in services for s in provider.services)
        or can_see_provider(current_user, provider.id)
    ]
    return render_template(
        "review/index.html",
        providers=visible,
        whole={p.id for p, _ in visible if can_see_provider(current_user, p.id)},
    )


def _readable_reports(pack) -> set[str]:
    """The report addresses in the pack's visits table that the reader may open."""
    paths = {
        row[-1]
        for section in pack.sections
        for table in section.tables
        if table.key == "visits"
        for row in table.rows
    }
    readable = set()
    for path in paths:
        visit = db.session.get(Visit, int(path.rpartition("/")[2]))
        if visit is not None and can_read_report(current_user, visit):
            readable.add(path)
    return readable


def _prepare_pdf(pack) -> None:
    """Start drawing the page's PDF pack in the background (the same `Pack`, so the same
    file as its download), so that a download after reading the page is usually a file
    already kept. Off in tests unless asked for (`PACK_PREPARE`)."""
    if current_app.config.get("PACK_PREPARE", not current_app.testing):
        from app.evidence import packs

        current_app.extensions["evidence_packs"].prepare(pack, "pdf", packs.pack_pdf)


def _page(template: str, pack, owner: int, **context):
    _prepare_pdf(pack)
    charts = {
        section.key: [(chart, chart_cache.publish(chart, owner)) for chart in section.charts]
        for section in pack.sections
    }
    return render_template(
        template,
        pack=pack,
        charts=charts,
        chart_owner=owner,
        cell=format_cell,
        today=uk_today(),
        reports=_readable_reports(pack),
        **context,
    )


@bp.get("/services/<int:service_id>")
def service_page(service_id):
    service = _service(service_id)
    figures = _figures(s.id for s in service.provider.services)
    period, only, picker = _chosen(service_grid(service), (service.id,), figures)
    pack = build.service_pack(
        service,
        period,
        instrument_registry(),
        _rule(),
        draw=chart_cache.cached_chart,
        only=only,
        cache=figures,
    )
    pack = _finished(pack, service, period, only)
    return _page(
        "review/service.html",
        pack,
        service.provider_id,
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
    period, only, picker = _chosen(provider_grid(provider), ids, figures)
    pack = build.provider_pack(
        provider,
        period,
        instrument_registry(),
        _rule(),
        draw=chart_cache.cached_chart,
        only=only,
        cache=figures,
    )
    pack = _finished(pack, provider, period, only)
    return _page("review/provider.html", pack, provider.id, provider=provider, **picker)


# --- Evidence packs ------------------------------------------------------------------------


def _with_contracts(pack, subject, period: Period, only):
    """The pack with a "Contract" section: the measures, targets and statuses of the
    contracts covering `subject` that the reader may see (none for a group's figures)."""
    if only is not None:
        return pack
    contracts = contracts_for_pack(current_user, subject)
    added = [
        section
        for section in (
            contract_section(contracts, period),
            improvement.pack_section(contracts, uk_today()),
        )
        if section is not None
    ]
    if not added:
        return pack
    return replace(pack, sections=(*pack.sections, *added))


def _finished(pack, subject, period: Period, only):
    """The pack as every reader and download sees it: with the contract's measures and
    improvement plan, a service's written-answer themes, and the summary worked out from
    all of them."""
    pack = _with_contracts(pack, subject, period, only)
    if isinstance(subject, Service) and only is None:
        publishable = bool(build.written_sections(subject, period, _rule()))
        section = themes.theme_section(subject, period, _rule(), publishable)
        if section is not None:
            pack = replace(pack, sections=(*pack.sections, section))
    return replace(pack, summary=summarise(pack))


def _download(pack, fmt: str, obj, period: Period, slug: str):
    from app.evidence import packs

    mimetype, function = FORMATS[fmt]
    draw = getattr(packs, function)
    if fmt == "pdf":
        # A PDF takes seconds to draw: kept while what it shows is unchanged.
        body = current_app.extensions["evidence_packs"].get(pack, fmt, draw)
    else:
        body = draw(pack)
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
    figures = _figures(s.id for s in service.provider.services)
    period, only, _ = _chosen(service_grid(service), (service.id,), figures)
    pack = build.service_pack(
        service,
        period,
        instrument_registry(),
        _rule(),
        draw=chart_cache.cached_chart,
        charts=fmt == "pdf",
        only=only,
        cache=figures,
    )
    pack = _finished(pack, service, period, only)
    return _download(pack, fmt, service, period, _slug(service.name))


@bp.get("/providers/<int:provider_id>/pack.<fmt>")
def provider_pack(provider_id, fmt):
    provider = _provider(provider_id)
    if fmt not in FORMATS:
        abort(404)
    ids = tuple(s.id for s in provider.services)
    figures = _figures(ids)
    period, only, _ = _chosen(provider_grid(provider), ids, figures)
    pack = build.provider_pack(
        provider,
        period,
        instrument_registry(),
        _rule(),
        draw=chart_cache.cached_chart,
        charts=fmt == "pdf",
        only=only,
        cache=figures,
    )
    pack = _finished(pack, provider, period, only)
    return _download(pack, fmt, provider, period, _slug(provider.name))
