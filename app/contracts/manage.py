"""Setting contracts up, and choosing their measures and targets.

Commissioners and admins of a contract's commissioning bodies set it up: its reference,
bodies, provider, services, dates, value, monitoring period and risk. Its services take
its dates and monitoring period, which set the periods evidence and returns are kept
in. A contract of another body is "not found" (404), the same as one that does not exist.

Measures come from the shared library (surveys/measures) or are a body's own local
measures; each chosen measure has a target and a tolerance. Any change drops the
contract's kept results (`status.forget`), so they are worked out again when next read.
"""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError
from wtforms.fields.choices import SelectChoice

from app import audit, scope
from app.contracts import bp
from app.contracts.manage_forms import (
    FIGURE_UNITS,
    LOCAL_SOURCES,
    SOURCE_UNITS,
    ContractForm,
    LocalMeasureForm,
    RemoveForm,
    TargetForm,
)
from app.extensions import db, instrument_registry
from app.models import CommissioningBody, Contract, ContractMeasure, Measure, Provider, Service
from app.monitoring import library, status

MANAGERS = ("admin", "commissioner")


# --- Who may change a contract ------------------------------------------------------------


def own_bodies(user) -> list[CommissioningBody]:
    return list(user.bodies)


def may_manage(user, contract: Contract) -> bool:
    """Commissioners and admins of one of the contract's bodies (everyone on the
    commissioning side while the deployment has recorded no body)."""
    if not user.has_role(*MANAGERS):
        return False
    if not scope.bodies_in_use():
        return True
    mine = {body.id for body in user.bodies}
    return any(body.id in mine for body in contract.bodies)


def _contract_or_404(contract_id: int) -> Contract:
    contract = db.get_or_404(Contract, contract_id)
    if not may_manage(current_user, contract):
        abort(404)
    return contract


def _contract_page(contract: Contract) -> str:
    """The contract's own page when the app has one, else its measures."""
    if "contracts.contract" in current_app.view_functions:
        try:
            return url_for("contracts.contract", contract_id=contract.id)
        except BuildError:
            pass
    return url_for("contracts.measures", contract_id=contract.id)


# --- Contracts ----------------------------------------------------------------------------


def _no_body_page():
    links = []
    if current_user.has_role("admin"):
        links.append((url_for("admin.bodies"), "Commissioning bodies"))
    return render_template(
        "staff/message.html",
        title="You do not belong to a commissioning body",
        message="Contracts belong to commissioning bodies, and you can only set up the "
        "contracts of your own. Ask an admin of your body to add you to it.",
        links=links,
    ), 403


def _check_services(form: ContractForm, contract: Contract | None, offered) -> list[Service]:
    """The chosen services, or an error on the field naming the one that cannot be used."""
    chosen = []
    by_id = {service.id: service for service in offered}
    provider = db.session.get(Provider, form.provider_id.data) if form.provider_id.data else None
    for service_id in form.services.data or []:
        service = by_id.get(service_id) or db.session.get(Service, service_id)
        if service is None:
            form.services.errors.append("Choose services from the list")
            return []
        if service.contract_id is not None and (
            contract is None or service.contract_id != contract.id
        ):
            form.services.errors.append(
                f"{service.name} is already under contract {service.contract.reference}"
            )
            return []
        if provider is not None and service.provider_id != provider.id:
            form.services.errors.append(
                f"{service.name} is a service of {service.provider.name}, not of "
                f"{provider.name}: choose only the provider's own services"
            )
            return []
        chosen.append(service)
    return chosen


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"], endpoint="contract_edit")
def contract_new(contract_id=None):
    contract = _contract_or_404(contract_id) if contract_id else None
    in_use = scope.bodies_in_use()
    mine = own_bodies(current_user)
    if in_use and not mine:
        return _no_body_page()
    form = ContractForm(obj=contract)
    mine_ids = {body.id for body in mine}
    others = [body for body in (contract.bodies if contract else []) if body.id not in mine_ids]
    form.bodies.choices = [SelectChoice(body.id, body.name) for body in mine]
    providers = db.session.scalars(select(Provider).order_by(Provider.name)).all()
    if not providers:
        flash("Add a provider first: every contract is with one.")
        if current_user.has_role("admin"):
            return redirect(url_for("admin.provider_new"))
    form.provider_id.choices = [SelectChoice(0, "Choose a provider")] + [
        SelectChoice(p.id, p.name) for p in providers
    ]
    free = Service.contract_id.is_(None)
    if contract is not None:
        free = or_(free, Service.contract_id == contract.id)
    offered = db.session.scalars(
        select(Service).join(Service.provider).where(free).order_by(Provider.name, Service.name)
    ).all()
    form.services.choices = [SelectChoice(s.id, f"{s.name} ({s.provider.name})") for s in offered]
    if request.method == "GET":
        if contract is not None:
            form.bodies.data = [body.id for body in contract.bodies if body.id in mine_ids]
            form.services.data = [service.id for service in contract.services]
            form.value_pounds.data = (
                str(contract.value_pounds) if contract.value_pounds is not None else ""
            )
        else:
            form.provider_id.data = 0
            if len(mine) == 1:
                form.bodies.data = [mine[0].id]
    valid = form.validate_on_submit()
    if form.is_submitted():
        chosen_bodies = [body for body in mine if body.id in set(form.bodies.data or [])]
        if set(form.bodies.data or []) - mine_ids:
            form.bodies.errors.append("Choose only your own commissioning bodies")
        elif in_use and not chosen_bodies and not others:
            form.bodies.errors.append("Choose the commissioning body or bodies for this contract")
        if not form.provider_id.data or db.session.get(Provider, form.provider_id.data) is None:
            form.provider_id.errors.append("Choose the provider the contract is with")
        services = _check_services(form, contract, offered)
        clash = form.reference.data and db.session.scalar(
            select(Contract.id).where(
                func.lower(Contract.reference) == form.reference.data.lower(),
                Contract.id != (contract.id if contract else -1),
            )
        )
        if clash:
            form.reference.errors.append("There is already a contract with this reference")
        if valid and not form.errors:
            saved = _save_contract(form, contract, others + chosen_bodies, services)
            if saved is not None:
                return redirect(_contract_page(saved))
    return render_template(
        "contracts/contract_form.html",
        form=form,
        contract=contract,
        other_bodies=others,
        bodies_in_use=in_use,
    ), 400 if form.errors else 200


def _save_contract(form, contract, bodies, services) -> Contract | None:
    creating = contract is None
    contract = contract or Contract()
    before = {
        "reference": contract.reference,
        "provider_id": contract.provider_id,
        "services": sorted(s.id for s in contract.services),
        "bodies": sorted(b.id for b in contract.bodies),
    }
    contract.reference = form.reference.data
    contract.title = form.title.data
    contract.provider_id = form.provider_id.data
    contract.starts_on = form.starts_on.data
    contract.ends_on = form.ends_on.data
    contract.value_pounds = form.pounds
    contract.monitoring_interval_months = form.monitoring_interval_months.data
    contract.risk = form.risk.data
    contract.last_reviewed_on = form.last_reviewed_on.data
    contract.bodies = bodies
    db.session.add(contract)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        form.reference.errors.append("There is already a contract with this reference")
        return None
    chosen_ids = {s.id for s in services}
    for service in list(contract.services):
        if service.id not in chosen_ids:
            service.contract_id = None
    for service in services:
        service.contract_id = contract.id
        service.starts_on = contract.starts_on
        service.ends_on = contract.ends_on
        service.monitoring_interval_months = contract.monitoring_interval_months
    db.session.flush()
    db.session.refresh(contract)
    status.forget(contract)
    db.session.commit()
    audit.record(
        "contract_created" if creating else "contract_saved",
        contract,
        reference=contract.reference,
        provider_id=contract.provider_id,
        bodies=sorted(b.id for b in contract.bodies),
        services=sorted(s.id for s in contract.services),
        starts_on=contract.starts_on.isoformat(),
        ends_on=contract.ends_on.isoformat(),
        monitoring_interval_months=contract.monitoring_interval_months,
        risk=contract.risk,
        value_pounds=contract.value_pounds,
        before=None if creating else before,
    )
    flash(f"Saved contract {contract.reference}.", "success")
    return contract


# --- Measures and targets -----------------------------------------------------------------


def _offered_measures(contract: Contract) -> list[Measure]:
    """The shared library and the local measures of the contract's bodies."""
    library.sync_library()
    body_ids = [body.id for body in contract.bodies]
    return db.session.scalars(
        select(Measure)
        .where(or_(Measure.body_id.is_(None), Measure.body_id.in_(body_ids)))
        .order_by(Measure.name)
    ).all()


def tolerance_text(unit: str, tolerance: float) -> str:
    """A tolerance in words: percentage points for a percentage, else in the unit."""
    if not tolerance:
        return "None"
    if unit == "percent":
        return f"{tolerance:g} point{'' if tolerance == 1 else 's'}"
    return status.format_value(unit, tolerance)


def _chosen_or_404(contract: Contract, chosen_id: int) -> ContractMeasure:
    chosen = db.session.get(ContractMeasure, chosen_id)
    if chosen is None or chosen.contract_id != contract.id:
        abort(404)
    return chosen


@bp.get("/<int:contract_id>/measures")
def measures(contract_id):
    contract = _contract_or_404(contract_id)
    offered = _offered_measures(contract)
    chosen_ids = {chosen.measure_id for chosen in contract.measures}
    groups = [
        (kind, label, [m for m in offered if m.kind == kind])
        for kind, label in library.KINDS.items()
    ]
    return render_template(
        "contracts/measures.html",
        contract=contract,
        chosen=status.contract_measures(contract),
        groups=[group for group in groups if group[2]],
        chosen_ids=chosen_ids,
        remove_form=RemoveForm(),
        contract_page=_contract_page(contract),
        library=library,
        format_value=status.format_value,
        tolerance_text=tolerance_text,
    )


def _target_page(contract, measure, form, chosen=None):
    return render_template(
        "contracts/measure_target.html",
        contract=contract,
        measure=measure,
        form=form,
        chosen=chosen,
        library=library,
    ), 400 if form.errors else 200


@bp.route("/<int:contract_id>/measures/add/<int:measure_id>", methods=["GET", "POST"])
def measure_add(contract_id, measure_id):
    contract = _contract_or_404(contract_id)
    measure = next((m for m in _offered_measures(contract) if m.id == measure_id), None)
    if measure is None:
        abort(404)
    existing = next((c for c in contract.measures if c.measure_id == measure.id), None)
    if existing is not None:
        return redirect(
            url_for("contracts.measure_edit", contract_id=contract.id, chosen_id=existing.id)
        )
    form = TargetForm()
    form.unit = measure.unit
    if form.validate_on_submit():
        status.forget(contract)
        chosen = ContractMeasure(
            contract=contract,
            measure=measure,
            target=form.target_value,
            tolerance=form.tolerance_value,
        )
        db.session.add(chosen)
        try:
            db.session.commit()
        except IntegrityError:
            # Sent twice (a retry, the back button): the first one chose it.
            db.session.rollback()
            return redirect(url_for("contracts.measures", contract_id=contract.id))
        audit.record(
            "contract_measure_added",
            contract,
            measure=measure.key,
            target=chosen.target,
            tolerance=chosen.tolerance,
        )
        goal = status.format_value(measure.unit, chosen.target)
        flash(f"Added {measure.name}, with a target of {goal}.", "success")
        return redirect(url_for("contracts.measures", contract_id=contract.id))
    return _target_page(contract, measure, form)


@bp.route("/<int:contract_id>/measures/<int:chosen_id>", methods=["GET", "POST"])
def measure_edit(contract_id, chosen_id):
    contract = _contract_or_404(contract_id)
    chosen = _chosen_or_404(contract, chosen_id)
    form = TargetForm()
    form.unit = chosen.measure.unit
    if request.method == "GET":
        form.target.data = f"{chosen.target:g}"
        form.tolerance.data = f"{chosen.tolerance:g}"
    if form.validate_on_submit():
        before = {"target": chosen.target, "tolerance": chosen.tolerance}
        status.forget(contract)
        chosen.target = form.target_value
        chosen.tolerance = form.tolerance_value
        db.session.commit()
        audit.record(
            "contract_measure_changed",
            contract,
            measure=chosen.measure.key,
            target=chosen.target,
            tolerance=chosen.tolerance,
            before=before,
        )
        flash(f"Saved the target for {chosen.measure.name}.", "success")
        return redirect(url_for("contracts.measures", contract_id=contract.id))
    return _target_page(contract, chosen.measure, form, chosen)


@bp.post("/<int:contract_id>/measures/<int:chosen_id>/remove")
def measure_remove(contract_id, chosen_id):
    contract = _contract_or_404(contract_id)
    chosen = _chosen_or_404(contract, chosen_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    measure = chosen.measure
    detail = {"measure": measure.key, "target": chosen.target, "tolerance": chosen.tolerance}
    status.forget(contract)
    contract.measures.remove(chosen)
    db.session.commit()
    audit.record("contract_measure_removed", contract, **detail)
    flash(f"Removed {measure.name} from this contract.", "success")
    return redirect(url_for("contracts.measures", contract_id=contract.id))


# --- A body's own local measure -------------------------------------------------------------


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
