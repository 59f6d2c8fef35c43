"""The steps before the questions: the start page, age band, consent (a young person's own
or a parent's or carer's) and the privacy notice."""

from __future__ import annotations

from datetime import timedelta

from flask import g, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, get_locale

from app.age_bands import age_band, is_adult, needs_parent_or_carer
from app.campaigns import journey
from app.models import Draft
from app.respond import bp
from app.respond.forms import AgeBandForm, ConsentForm, ParentConsentForm
from app.respond.visit import current_draft, remember_draft


def _chosen_age_band(draft: Draft | None) -> str | None:
    """The age band chosen on this visit (kept in the session until consent), else the
    draft's."""
    band = session.get("age_bands", {}).get(g.campaign.token)
    if band is None and draft is not None:
        band = draft.age_band
    return band


def _remember_age_band(key: str) -> None:
    bands = dict(session.get("age_bands", {}))
    bands[g.campaign.token] = key
    session["age_bands"] = bands


def _forget_visit() -> None:
    """Consent refused: this visit keeps neither its draft nor its age band."""
    for name in ("drafts", "age_bands"):
        kept = {k: v for k, v in session.get(name, {}).items() if k != g.campaign.token}
        session[name] = kept


def _consent_step(band: str | None) -> str:
    """The page that asks for consent on this visit: age band first when the campaign asks
    it, then a parent or carer's consent below the age of own consent, else the person's."""
    if not g.campaign.asks_age_band:
        return "consent"
    if age_band(band) is None:
        return "age"
    if needs_parent_or_carer(band, g.campaign.own_consent_age):
        return "parent_consent"
    return "consent"


def _after_consent() -> str:
    if g.campaign.links_over_time:
        return url_for(".code", token=g.campaign.token)
    return url_for(".questions", token=g.campaign.token, page=1)


@bp.get("/s/<token>")
def start(token):
    first = ".age" if g.campaign.asks_age_band else ".consent"
    return render_template("respond/start.html", first_step=url_for(first, token=token))


@bp.route("/s/<token>/age", methods=["GET", "POST"])
def age(token):
    if not g.campaign.asks_age_band:
        return redirect(url_for(".consent", token=token))
    form = AgeBandForm()
    if form.validate_on_submit():
        _remember_age_band(form.age_band.data)
        return redirect(url_for("." + _consent_step(form.age_band.data), token=token))
    if request.method == "GET":
        form.age_band.data = _chosen_age_band(current_draft())
    return render_template("respond/age.html", form=form)


def _consent_answer(form, draft, token, *, consent_by: str, band, declined_page: str):
    """What follows a valid consent form: a redirect to the kind page when the answer was no (the
    draft withdrawn), else the consent stored with the notice version shown and a redirect
    to the next step; None when the form is not (validly) sent."""
    if not form.validate_on_submit():
        return None
    if form.consent.data == "no":
        journey.withdraw(draft)
        _forget_visit()
        # Post/redirect/get: reloading the kind page sends nothing again.
        return redirect(url_for("." + declined_page, token=token))
    # Worked out before the commit, after which reading the campaign loads it again.
    next_page = _after_consent()
    draft_token = journey.give_consent(
        g.campaign,
        str(get_locale()),
        draft,
        consent_by=consent_by,
        notice_version=form.notice_version.version(g.campaign.privacy_notice_version),
        age_band=band,
    )
    remember_draft(token, draft_token)
    return redirect(next_page)


def _consent_page(token, here: str):
    """The visit's draft and age band, and a redirect when its consent belongs on another
    page than `here` (a young person's own, or a parent's or carer's)."""
    draft = current_draft()
    band = _chosen_age_band(draft)
    step = _consent_step(band)
    elsewhere = redirect(url_for("." + step, token=token)) if step != here else None
    return draft, band, elsewhere


@bp.route("/s/<token>/consent", methods=["GET", "POST"])
def consent(token):
    draft, band, elsewhere = _consent_page(token, "consent")
    if elsewhere:
        return elsewhere
    form = ConsentForm()
    answered = _consent_answer(
        form,
        draft,
        token,
        consent_by=journey.SELF,
        band=band if g.campaign.asks_age_band else None,
        declined_page="no_consent",
    )
    if answered is not None:
        return answered
    form.notice_version.data = str(g.campaign.privacy_notice_version)
    # Adults get adult wording; a young person (13 to 17, say) gets short, plain sentences.
    wording = "standard"
    if g.campaign.asks_age_band:
        wording = "adult" if is_adult(band) else "young"
    back = url_for(".age" if g.campaign.asks_age_band else ".start", token=token)
    return render_template("respond/consent.html", form=form, wording=wording, back_link=back)


@bp.route("/s/<token>/parent-consent", methods=["GET", "POST"])
def parent_consent(token):
    draft, band, elsewhere = _consent_page(token, "parent_consent")
    if elsewhere:
        return elsewhere
    form = ParentConsentForm()
    answered = _consent_answer(
        form,
        draft,
        token,
        consent_by=journey.PARENT_OR_CARER,
        band=band,
        declined_page="come_back_with_a_parent",
    )
    if answered is not None:
        return answered
    form.notice_version.data = str(g.campaign.privacy_notice_version)
    return render_template("respond/parent_consent.html", form=form)


@bp.get("/s/<token>/not-taking-part")
def no_consent(token):
    return render_template("respond/no_consent.html")


@bp.get("/s/<token>/come-back-with-a-parent")
def come_back_with_a_parent(token):
    return render_template("respond/come_back_with_a_parent.html")


@bp.get("/s/<token>/privacy")
def privacy_notice(token):
    # Months as the locale says them ("24 months", "24 mis", "24 شهرًا"): a threshold no
    # period reaches keeps Babel from rounding to years.
    kept_for = format_timedelta(
        timedelta(days=30 * g.campaign.retention_months_or_default),
        granularity="month",
        threshold=10**9,
    )
    return render_template("respond/privacy.html", kept_for=kept_for)
