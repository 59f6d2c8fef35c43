"""A commissioning body's own local measure: one the shared library does not have, made
from a source the platform already scores (a questionnaire answer, a scale, an inspection
rating, a return figure), then given a target on the contract like any other measure."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app import audit, scope
from app.contracts import bp
from app.contracts.manage import _contract_or_404
from app.contracts.manage_forms import (
    FIGURE_UNITS,
    LOCAL_SOURCES,
    SOURCE_UNITS,
    LocalMeasureForm,
)
from app.extensions import db, instrument_registry
from app.models import Measure
from app.monitoring import library


def _param_choices():
    """The lists a local measure's params are chosen from, by field name."""
    registry = instrument_registry()
    fields = [(f.key, f.label) for f in library.return_fields()]
    scales, areas, questions, characteristics = [], [], [], []
    for instrument in registry.latest():
        title = instrument.title("en")
        if instrument.type == "scale":
            scales.append((instrument.id, title))
        if instrument.star is not None:
            texts = instrument.fieldwork_texts("en")
            areas.extend(
                (f"{instrument.id}:{area}", f"{title}: {texts.area_name(area)}")
                for area in instrument.star.areas
            )
        if instrument.type == "questionnaire":
            questions.extend(
                (f"{instrument.id}:{item.id}", f"{title}: {instrument.item_text(item.id, 'en')}")
                for item in instrument.items
                if item.is_choice
            )
        if instrument.framework is not None and instrument.mystery_shop is None:
            texts = instrument.fieldwork_texts("en")
            characteristics.extend(
                (f"{instrument.id}:{c}", f"{title}: {texts.characteristics[c].text}")
                for c in instrument.framework.characteristics
            )
    return {
        "field": fields,
        "numerator": fields,
        "denominator": fields,
        "scale": scales,
        "area": areas,
        "question": questions,
        "characteristic": characteristics,
    }


def _positive_choices(source: str, value: str | None) -> list[tuple[str, str]]:
    """The answers (or ratings) of the chosen question (or characteristic)."""
    if not value or ":" not in value:
        return []
    instrument_id, _, item_id = value.partition(":")
    try:
        instrument = instrument_registry().get(instrument_id)
        return instrument.option_choices(item_id, "en")
    except (KeyError, ValueError, LookupError):
        return []


def _local_params(form: LocalMeasureForm, choices) -> dict | None:
    """The chosen source's params, or None with an error on the field that is missing."""
    source = form.source.data

    def pick(name: str, message: str):
        field = getattr(form, name)
        if field.data not in {value for value, _ in choices[name]}:
            field.errors.append(message)
            return None
        return field.data

    if source == "return_figure":
        value = pick("field", "Choose the return figure")
        if form.unit.data not in FIGURE_UNITS:
            form.unit.errors.append("Choose whether the figure is a count or a number of days")
            return None
        return {"field": value} if value else None
    if source == "return_ratio":
        top = pick("numerator", "Choose the figure to take as a share")
        bottom = pick("denominator", "Choose the figure it is a share of")
        if top and bottom and top == bottom:
            form.denominator.errors.append("Choose a different figure from the one above")
            return None
        return {"numerator": top, "denominator": bottom} if top and bottom else None
    if source in ("scale_mean", "scale_meaningful"):
        value = pick("scale", "Choose the wellbeing scale")
        return {"instrument": value} if value else None
    if source == "wheel_distance":
        value = pick("area", "Choose the outcomes-wheel area")
        if not value:
            return None
        instrument, _, area = value.partition(":")
        return {"instrument": instrument, "area": area}
    name = "question" if source == "question_positive" else "characteristic"
    value = pick(
        name,
        "Choose the question" if name == "question" else "Choose the quality characteristic",
    )
    if not value:
        return None
    allowed = {v for v, _ in _positive_choices(source, value)}
    positive = [v for v in form.positive.data or [] if v in allowed]
    if not positive or len(positive) != len(form.positive.data or []):
        form.positive.errors.append("Choose the answers that count as positive")
        return None
    instrument, _, item = value.partition(":")
    if source == "question_positive":
        return {"instrument": instrument, "item": item, "positive": positive}
    return {"framework": instrument, "characteristic": item, "positive": positive}


def _new_key(name: str) -> str:
    slug = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in name)
    slug = "-".join(part for part in slug.split("-") if part)[:40] or "measure"
    return f"local-{slug}-{secrets.token_hex(4)}"


def _save_local_measure(form: LocalMeasureForm, params: dict, body_id: int | None) -> Measure:
    source = form.source.data
    measure = Measure(
        key=_new_key(form.name.data),
        name=form.name.data,
        description=form.description.data or "",
        kind=form.kind.data,
        tag="local",
        unit=SOURCE_UNITS.get(source) or form.unit.data,
        direction=form.direction.data,
        source=source,
        params=params,
        body_id=body_id,
    )
    db.session.add(measure)
    db.session.commit()
    return measure


@bp.route("/<int:contract_id>/measures/local", methods=["GET", "POST"])
def measure_local(contract_id):
    contract = _contract_or_404(contract_id)
    library.sync_library()
    form = LocalMeasureForm()
    in_use = scope.bodies_in_use()
    mine = {body.id for body in current_user.bodies}
    bodies = [body for body in contract.bodies if body.id in mine]
    form.body_id.choices = [SelectChoice(body.id, body.name) for body in bodies]
    if len(bodies) > 1:
        form.body_id.choices.insert(0, SelectChoice(0, "Choose a body"))
    choices = _param_choices()
    for name, pairs in choices.items():
        getattr(form, name).choices = [SelectChoice("", "Choose one")] + [
            SelectChoice(value, label) for value, label in pairs
        ]
    picked = form.question.data if form.source.data == "question_positive" else None
    if form.source.data == "inspection_rating":
        picked = form.characteristic.data
    form.positive.choices = [
        SelectChoice(v, label) for v, label in _positive_choices(form.source.data or "", picked)
    ]
    valid = form.validate_on_submit()
    if form.is_submitted():
        if in_use and form.body_id.data not in {body.id for body in bodies}:
            form.body_id.errors.append("Choose the commissioning body the measure belongs to")
        params = _local_params(form, choices) if form.source.data in LOCAL_SOURCES else None
        if valid and params is not None and not form.errors:
            measure = _save_local_measure(form, params, form.body_id.data if in_use else None)
            audit.record(
                "local_measure_added",
                measure,
                name=measure.name,
                source=measure.source,
                params=measure.params,
                body_id=measure.body_id,
                contract=contract.reference,
            )
            flash(
                f"Added the local measure {measure.name}. Now set its target for this contract.",
                "success",
            )
            return redirect(
                url_for("contracts.measure_add", contract_id=contract.id, measure_id=measure.id)
            )
    return render_template(
        "contracts/measure_local.html",
        form=form,
        contract=contract,
        bodies_in_use=in_use,
        sources=LOCAL_SOURCES,
    ), 400 if form.errors else 200
