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

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError
from wtforms.fields.choices import SelectChoice

from app import audit, scope
from app.contracts import bp
from app.contracts.manage_forms import (
    ContractForm,
    RemoveForm,
    TargetForm,
)
from app.extensions import db
from app.models import CommissioningBody, Contract, ContractMeasure, Measure, Provider, Service
from app.monitoring import library, status
from app.monitoring.history import tolerance_text

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
