"""Admins download every response of a service (or all services) between two dates, one row
per response, with pseudonyms instead of participants' codes (app.admin.response_export).

Every download is written to the audit log as `responses_exported`: who (the signed-in
admin), which service, the date range, the format and how many rows. Evidence packs are
audited by their own download route as `evidence_pack_exported` (app.review.routes).
"""

from __future__ import annotations

import tempfile
from datetime import date

from flask import Response as HttpResponse
from flask import current_app, render_template, send_file, stream_with_context
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from sqlalchemy import select
from wtforms import RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, ValidationError

from app import audit
from app.admin import bp
from app.admin.forms import DayMonthYearField, options
from app.admin.response_export import (
    XLSX_MAX_ROWS,
    Selection,
    count_responses,
    csv_chunks,
    pseudonym_key,
    write_xlsx,
)
from app.extensions import db, instrument_registry
from app.models import Provider, Service

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = [
    SelectChoice("csv", "CSV, for Excel, R, SPSS or Stata"),
    SelectChoice("xlsx", "Excel workbook (XLSX)"),
]
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _whole_number(value) -> int:
    """A select's value as a whole number; -1 (offered nowhere) for anything else, so a
    tampered value gets the field's own message."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _within_years(form, field):
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError("Enter a date from 2000 to 2100")


class ResponseExportForm(FlaskForm):
    service_id = SelectField(
        "Service",
        coerce=_whole_number,
        validate_choice=False,
        widget=GovSelect(),
    )
    date_from = DayMonthYearField(
        "From",
        validators=[InputRequired("Enter the first day of the date range"), _within_years],
        description="Responses sent on or after this day. For example, 1 4 2026",
    )
    date_to = DayMonthYearField(
        "To",
        validators=[InputRequired("Enter the last day of the date range"), _within_years],
        description="Responses sent on or before this day. For example, 30 6 2026",
    )
    file_format = RadioField(
        "File format",
        choices=FORMATS,
        default="csv",
        validate_choice=False,
        validators=[
            InputRequired("Choose CSV or Excel"),
            AnyOf(["csv", "xlsx"], message="Choose CSV or Excel"),
        ],
        widget=GovRadioInput(),
    )
    submit = SubmitField("Download responses", widget=GovSubmitInput())

    def validate_service_id(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose a service from the list, or all services")

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The last day must be the same as or after the first day")


def _slug(text: str) -> str:
    cleaned = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    return "-".join(part for part in cleaned.split("-") if part)[:50] or "service"


@bp.route("/exports/responses", methods=["GET", "POST"])
def export_responses():
    form = ResponseExportForm()
    services = db.session.scalars(
        select(Service).join(Service.provider).order_by(Provider.name, Service.name)
    ).all()
    form.service_id.choices = [
        SelectChoice(0, "All services"),
        *options((s.id, f"{s.name} ({s.provider.name})") for s in services),
    ]
    if form.validate_on_submit():
        service = db.session.get(Service, form.service_id.data) if form.service_id.data else None
        selection = Selection(form.date_from.data, form.date_to.data, service and service.id)
        total = count_responses(selection)
        if form.file_format.data == "xlsx" and total > XLSX_MAX_ROWS:
            form.file_format.errors.append(
                f"{total:,} responses are more than an Excel sheet holds. Choose CSV, or a "
                "shorter date range"
            )
        else:
            audit.record(
                "responses_exported",
                service,
                service=f"{service.name} ({service.provider.name})" if service else "all services",
                date_from=selection.date_from.isoformat(),
                date_to=selection.date_to.isoformat(),
                format=form.file_format.data,
                rows=total,
            )
            name = (
                f"responses-{_slug(service.name) if service else 'all-services'}-"
                f"{selection.date_from.isoformat()}-to-{selection.date_to.isoformat()}"
            )
            return _download(selection, form.file_format.data, name)
    return render_template(
        "admin/export_responses.html", form=form, error_title=bool(form.errors)
    ), 400 if form.errors else 200


def _download(selection: Selection, file_format: str, name: str):
    key = pseudonym_key(current_app.config["SECRET_KEY"])
    registry = instrument_registry()
    if file_format == "csv":
        return HttpResponse(
            stream_with_context(csv_chunks(selection, key, registry)),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{name}.csv"',
                "Cache-Control": "no-store",
            },
        )
    # An XLSX is a zip, finished only at the end: XlsxWriter keeps memory flat by writing
    # rows to temporary files, and the workbook is sent from a file deleted once sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response once sent)
    try:
        write_xlsx(selection, key, registry, handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = send_file(
        handle, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{name}.xlsx"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
