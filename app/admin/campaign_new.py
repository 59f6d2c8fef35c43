"""Creating a campaign: choose what to ask, give its details, check the answers, create it.

Every page sends every answer on as hidden fields (app.forms.carry), so going back to change
one loses nothing, and nothing is made until "Create campaign" on the check page, which
checks every answer again.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import audit, instrument_store
from app.admin import bp
from app.admin.campaign_forms import (
    CHOOSE_FIELDS,
    DETAILS_FIELDS,
    CampaignChooseForm,
    CampaignDetailsForm,
)
from app.campaigns.setup import (
    language_choices,
    language_names,
    language_problem,
    offered_languages,
    recently_made,
    short_name,
)
from app.extensions import db, instrument_registry
from app.forms.carry import carried
from app.instruments.text_paths import english_texts
from app.languages import language
from app.models import Campaign, Service
from app.scope import service_filter


def campaign_instruments() -> dict:
    """The instruments a campaign can ask, by `id@version`: the latest scales and
    questionnaires."""
    return {
        i.key: i for i in instrument_registry().latest() if i.type in ("scale", "questionnaire")
    }


def _services() -> list[Service]:
    return db.session.scalars(
        select(Service).where(service_filter(current_user)).order_by(Service.name)
    ).all()


def _no_services():
    if not current_user.has_role("admin"):
        flash(
            "None of your commissioning bodies' contracts covers a service yet: ask an "
            "admin to add one, then you can run a campaign for it."
        )
        return redirect(url_for("admin.campaigns"))
    flash("Add a service first: every campaign belongs to one.")
    return redirect(url_for("admin.service_new"))


def _choose_page(form: CampaignChooseForm, details: CampaignDetailsForm, status: int = 200):
    return render_template(
        "admin/campaign_choose.html",
        form=form,
        instruments=campaign_instruments().values(),
        offered=offered_languages,
        short_name=short_name,
        carried=carried(details, leave_out=CHOOSE_FIELDS),
    ), status


def _details_form(services, formdata=None) -> CampaignDetailsForm:
    form = CampaignDetailsForm(formdata=formdata) if formdata is not None else CampaignDetailsForm()
    form.service_id.choices = [
        SelectChoice(s.id, f"{s.name} ({s.provider.name})") for s in services
    ]
    return form


def _details_page(form: CampaignDetailsForm, instrument, status: int = 200):
    return render_template(
        "admin/campaign_form.html",
        form=form,
        instrument=instrument,
        name=short_name(instrument),
        languages=_language_choices(instrument),
        carried=carried(form, leave_out=DETAILS_FIELDS),
    ), status


def _language_choices(instrument) -> list[tuple[str, str, str | None]]:
    """Each language, as `language_choices` gives them; one being translated on screen says
    how far it has got ("Welsh: 12 of 30 texts translated"). Only complete languages are
    in the instrument, so only they can be chosen."""
    choices = language_choices(instrument)
    row = instrument_store.stored(instrument.id, instrument.version)
    progress = (row.translations_in_progress or {}) if row is not None else {}
    if not progress:
        return choices
    english = [key for key, _ in english_texts(row.document)]
    shown = []
    for code, label, reason in choices:
        kept = progress.get(code) or {}
        if reason and kept:
            done = sum(1 for key in english if kept.get(key))
            name = language(code).english_name
            reason = (
                f"{name}: {done} of {len(english)} texts translated, so it cannot be offered "
                f"in {name} until every text is."
            )
        shown.append((code, label, reason))
    return shown


def _checked(form: CampaignDetailsForm, instrument) -> bool:
    valid = form.validate_on_submit()
    problem = language_problem(instrument, form.languages.data or [])
    if problem:
        form.languages.errors = [*form.languages.errors, problem]
    return valid and not problem


@bp.route("/campaigns/new", methods=["GET", "POST"])
def campaign_new():
    """What to ask. Sent here from a later page, it keeps the answers given there."""
    services = _services()
    if not services:
        return _no_services()
    if request.method == "POST":
        return _choose_page(CampaignChooseForm(), _details_form(services))
    return _choose_page(CampaignChooseForm(formdata=None), _details_form([], formdata=None))


@bp.route("/campaigns/new/details", methods=["GET", "POST"])
def campaign_new_details():
    """The details page; also where "Change" on the check page comes back to."""
    if request.method == "GET":
        return redirect(url_for("admin.campaign_new"))
    services = _services()
    if not services:
        return _no_services()
    instrument = campaign_instruments().get(request.form.get("instrument", ""))
    form = _details_form(services)
    if instrument is None:
        choose = CampaignChooseForm()
        choose.validate()
        if request.form.get("instrument"):
            choose.instrument.errors = ["Select one of the things listed"]
        return _choose_page(choose, form, 400)
    if request.form.get("step") == "check":
        if not _checked(form, instrument):
            return _details_page(form, instrument, 400)
        return _check_page(form, instrument)
    if "service_id" not in request.form:
        # The first time here: the defaults, with every language the instrument has ticked.
        form = _details_form(services, formdata=None)
        form.instrument.data = instrument.key
        form.languages.data = offered_languages(instrument)
    else:
        kept = [code for code in form.languages.data or [] if code in instrument.texts]
        form.languages.data = kept or offered_languages(instrument)
    return _details_page(form, instrument)


def _check_page(form: CampaignDetailsForm, instrument):
    service = {c.value: c.label for c in form.service_id.choices}.get(form.service_id.data)
    return render_template(
        "admin/campaign_check.html",
        form=form,
        instrument=instrument,
        service=service,
        languages=language_names(form.languages.data),
        carried=carried(form),
    )


@bp.post("/campaigns/new/create")
def campaign_create():
    services = _services()
    if not services:
        return _no_services()
    instrument = campaign_instruments().get(request.form.get("instrument", ""))
    form = _details_form(services)
    if instrument is None:
        return redirect(url_for("admin.campaign_new"))
    if not _checked(form, instrument):
        return _details_page(form, instrument, 400)
    name = form.name.data.strip()
    campaign = recently_made(
        service_id=form.service_id.data,
        name=name,
        instrument=instrument,
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
    )
    if campaign is None:
        campaign = Campaign(
            name=name,
            service_id=form.service_id.data,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            languages=",".join(
                c for c in offered_languages(instrument) if c in form.languages.data
            ),
            links_over_time=form.links_over_time.data,
            licence_reference=(form.licence_reference.data or "").strip() or None,
            own_consent_age=current_app.config["OWN_CONSENT_AGE"],
        )
        db.session.add(campaign)
        db.session.commit()
        audit.record("campaign_created", campaign, name=campaign.name)
    flash(
        "Campaign created. Work through the tasks below, then open it when you are ready.",
        "success",
    )
    return redirect(url_for("admin.campaign", campaign_id=campaign.id))
