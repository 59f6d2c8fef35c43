"""Previewing and publishing a service's results page, and its poster's languages."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import scope
from app.audit import record
from app.evidence.suppression import SmallNumbers
from app.extensions import db, instrument_registry
from app.languages import LANGUAGES
from app.models import Service
from app.models.lookup import get_by_id
from app.models.timeutil import uk_today
from app.publish import bp
from app.publish.forms import PeriodForm, PublishForm
from app.publishing import describe, pages
from app.publishing.links import results_address


def visible_service(service_id: int) -> Service:
    service = get_by_id(Service, service_id)
    if service is None:
        abort(404)
    if not scope.can_see_service(current_user, service.id):
        abort(403)
    return service


@bp.get("")
def index():
    services = list(
        db.session.scalars(
            select(Service).where(scope.service_filter(current_user)).order_by(Service.name)
        )
    )
    rows = []
    for service in services:
        live = pages.latest_page(service.id)
        code = pages.published_code(service.id) if live else None
        rows.append(
            {
                "service": service,
                "live": live,
                "address": results_address(code) if code else None,
            }
        )
    return render_template("publish/index.html", rows=rows)


def _period_choices(service: Service):
    periods = pages.periods_offered(service, uk_today())
    return periods, [SelectChoice(p.start.isoformat(), p.label) for p in periods]


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
def service(service_id):
    service = visible_service(service_id)
    periods, choices = _period_choices(service)
    by_start = {p.start.isoformat(): p for p in periods}
    link = pages.results_link(service)
    form = PublishForm()
    form.period.choices = choices
    chooser = PeriodForm(request.args)
    chooser.period.choices = choices
    wanted = request.args.get("period") if request.method == "GET" else form.period.data
    period = by_start.get(wanted or "") or pages.default_period(service, uk_today())
    chooser.period.data = period.start.isoformat()
    if request.method == "GET":
        form.period.data = period.start.isoformat()
        form.poster_languages.data = link.poster_language_list
    elif form.validate_on_submit():
        link.poster_languages = ",".join(form.poster_languages.data)
        page = pages.publish(
            service, by_start[form.period.data], instrument_registry(), _rule(), current_user.id
        )
        record("results.publish", page, service=service.id, period=period.label)
        flash(f"Published the results page for {period.label}.", "success")
        return redirect(url_for(".service", service_id=service.id))
    db.session.commit()  # the service's short link, made on first visit
    content = pages.preview(service, period, instrument_registry(), _rule())
    start, end = describe.period_dates(content)
    return render_template(
        "publish/service.html",
        service=service,
        form=form,
        chooser=chooser,
        period=period,
        content=content,
        said=describe.findings_in(content, instrument_registry(), "en"),
        start=start,
        end=end,
        live=pages.latest_page(service.id),
        address=results_address(link.code),
        link=link,
        languages={lang.code: lang.english_name for lang in LANGUAGES},
    )


def _rule() -> SmallNumbers:
    return SmallNumbers.from_settings(current_app.config)
