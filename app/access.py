"""Who may do what: one declared policy, enforced before every request.

Each endpoint names the roles that may use it. A route missing from the policy is refused
for everyone (and a test fails), so nothing new is ever open by accident. What a role may
see inside a page (a provider only its own services, a peer researcher only their own
visits) is checked by the object rules at the end of this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, redirect, request, url_for
from flask_login import current_user

from app import scope


@dataclass(frozen=True)
class Rule:
    public: bool = False
    roles: frozenset[str] = frozenset()

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return not self.roles or user.has_role(*self.roles)


PUBLIC = Rule(public=True)
SIGNED_IN = Rule()


def roles(*names: str) -> Rule:
    return Rule(roles=frozenset(names))


ADMIN = roles("admin")
CAMPAIGN_MANAGERS = roles("admin", "coordinator")
READING_TAKERS = roles("admin", "coordinator", "key_worker")
EVIDENCE_READERS = roles("admin", "coordinator", "commissioner", "provider")

# Blueprints that are public by nature may be declared whole; every staff route is named.
PUBLIC_BLUEPRINTS = {"respond", "ops"}

POLICY: dict[str, Rule] = {
    "static": PUBLIC,
    "home.index": PUBLIC,
    "home.favicon": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": PUBLIC,
    "auth.set_password": PUBLIC,
    "auth.home": SIGNED_IN,
    "admin.index": CAMPAIGN_MANAGERS,
    "admin.providers": ADMIN,
    "admin.provider_new": ADMIN,
    "admin.provider_edit": ADMIN,
    "admin.services": ADMIN,
    "admin.service_new": ADMIN,
    "admin.service_edit": ADMIN,
    "admin.campaigns": CAMPAIGN_MANAGERS,
    "admin.campaign_new": CAMPAIGN_MANAGERS,
    "admin.campaign": CAMPAIGN_MANAGERS,
    "admin.campaign_consent": CAMPAIGN_MANAGERS,
    "admin.campaign_licence": CAMPAIGN_MANAGERS,
    "admin.campaign_open": CAMPAIGN_MANAGERS,
    "admin.campaign_close": CAMPAIGN_MANAGERS,
    "admin.campaign_qr": CAMPAIGN_MANAGERS,
    "admin.instruments": CAMPAIGN_MANAGERS,
    "admin.users": ADMIN,
    "admin.user_new": ADMIN,
    "admin.user_edit": ADMIN,
    "admin.user_password_link": ADMIN,
    "admin.user_sign_out_everywhere": ADMIN,
    "admin.audit_log": ADMIN,
    "admin.subject_access": ADMIN,
    # --- Admin: response-level exports (app/admin/exports.py) ---
    # Pseudonymous but row-level, with free text: admins only, every download audited.
    "admin.export_responses": ADMIN,
    # --- Fieldwork index and outcomes-wheel readings (app/keywork) ---
    "keywork.index": roles("admin", "coordinator", "key_worker", "peer_researcher"),
    "keywork.reading_new": READING_TAKERS,
    "keywork.reading_record": READING_TAKERS,
    "keywork.participant_search": READING_TAKERS,
    "keywork.participant": READING_TAKERS,
    "keywork.participant_wheel": READING_TAKERS,
    # --- Visits, panels, moderation (app/visits) ---
    # Object rules (a peer researcher sees only visits they are on): app.inspections.permissions.
    "visits.visits": roles("admin", "coordinator", "peer_researcher"),
    "visits.visit": roles("admin", "coordinator", "peer_researcher"),
    "visits.visit_new": CAMPAIGN_MANAGERS,
    "visits.rate": roles("peer_researcher"),
    "visits.rate_check": roles("peer_researcher"),
    "visits.moderate": CAMPAIGN_MANAGERS,
    "visits.finalise": CAMPAIGN_MANAGERS,
    "visits.supersede": CAMPAIGN_MANAGERS,
    # --- Reports and provider replies ---
    # A provider sees only its own services' reports, a young inspector only those of the
    # visits they were on: app.inspections.permissions.can_read_report.
    "reports.index": roles("admin", "coordinator", "commissioner", "provider", "peer_researcher"),
    "reports.report": roles("admin", "coordinator", "commissioner", "provider", "peer_researcher"),
    "reports.reply": roles("provider"),
    # --- Safeguarding ---
    # Leads (and admins, who cover for them) work the queue; anyone signed in may raise a
    # concern, because whoever sees one must be able to pass it on.
    "safeguarding.queue": roles("admin", "safeguarding_lead"),
    "safeguarding.alert": roles("admin", "safeguarding_lead"),
    "safeguarding.acknowledge": roles("admin", "safeguarding_lead"),
    "safeguarding.action_add": roles("admin", "safeguarding_lead"),
    "safeguarding.close": roles("admin", "safeguarding_lead"),
    "safeguarding.raise_alert": SIGNED_IN,
    # --- Evidence pages (app/review): which provider a person may see is checked inside.
    "review.index": EVIDENCE_READERS,
    "review.service_page": EVIDENCE_READERS,
    "review.provider_page": EVIDENCE_READERS,
    "review.service_pack": EVIDENCE_READERS,
    "review.provider_pack": EVIDENCE_READERS,
    "review.chart": EVIDENCE_READERS,
    "review.written_answers": roles("admin", "coordinator", "commissioner"),
    # --- Contracts: the overview and a contract's page (app/contracts/overview.py, pages.py).
    # Which contracts a person may see is checked inside (app.scope).
    "contracts.overview": EVIDENCE_READERS,
    "contracts.overview_xlsx": EVIDENCE_READERS,
    "contracts.contract": EVIDENCE_READERS,
    "contracts.contract_refresh": EVIDENCE_READERS,
    "contracts.chart": EVIDENCE_READERS,
    #
    # --- Contracts: setting contracts, measures and targets up (app/contracts/manage.py) and
    # commissioning bodies (app/admin).
    # Only a contract's own bodies' people may change it (app.contracts.manage.may_manage);
    # an admin manages only the bodies they belong to (app.admin.bodies).
    "contracts.contract_new": roles("admin", "commissioner"),
    "contracts.contract_edit": roles("admin", "commissioner"),
    "contracts.measures": roles("admin", "commissioner"),
    "contracts.measure_add": roles("admin", "commissioner"),
    "contracts.measure_edit": roles("admin", "commissioner"),
    "contracts.measure_remove": roles("admin", "commissioner"),
    "contracts.measure_local": roles("admin", "commissioner"),
    "admin.bodies": ADMIN,
    "admin.body_new": ADMIN,
    "admin.body_edit": ADMIN,
    "admin.body_member_add": ADMIN,
    "admin.body_member_remove": ADMIN,
    #
    # --- Contracts: provider returns and queries (app/contracts/returns.py) ---
    # Which contracts a person may see is checked inside (app.scope); only the provider's own
    # staff fill in a return and answer questions, only the commissioning side asks them.
    "contracts.returns": EVIDENCE_READERS,
    "contracts.return_form": EVIDENCE_READERS,
    "contracts.return_query": roles("admin", "coordinator", "commissioner"),
    "contracts.return_answer": roles("provider"),
    #
    # --- The read-only API (app/api): a token, not a session, signs each call in.
    # Open to the access check; app.api.guard refuses a call without a usable token (401 in
    # JSON, never the sign-in page), and scope is checked inside (app.scope).
    "api.contract_list": PUBLIC,
    "api.contract": PUBLIC,
    "api.statuses": PUBLIC,
    "api.service_evidence": PUBLIC,
    "api.openapi": PUBLIC,
    # A person's own API tokens (app/auth/tokens.py), and an admin's view of anyone's
    # (app/admin/api_tokens.py).
    "auth.api_tokens": EVIDENCE_READERS,
    "auth.api_token_new": EVIDENCE_READERS,
    "auth.api_token_revoke": EVIDENCE_READERS,
    "admin.user_api_tokens": ADMIN,
    "admin.user_api_token_new": ADMIN,
    "admin.user_api_token_revoke": ADMIN,
    #
    # --- Improvement cases (app/cases) ---
    # Which cases a person sees follows the contract (app.scope); what each side may change
    # (the commissioning side runs the case, the provider agrees and claims its actions) is
    # checked in app.improvement.cases. Notifications are each signed-in person's own.
    "cases.notifications": SIGNED_IN,
    "cases.index": EVIDENCE_READERS,
    "cases.new": EVIDENCE_READERS,
    "cases.case": EVIDENCE_READERS,
    "cases.step": EVIDENCE_READERS,
    "cases.options": EVIDENCE_READERS,
    "cases.plan": EVIDENCE_READERS,
    "cases.agree": EVIDENCE_READERS,
    "cases.revise": EVIDENCE_READERS,
    "cases.version": EVIDENCE_READERS,
    "cases.action_new": EVIDENCE_READERS,
    "cases.action": EVIDENCE_READERS,
    "cases.action_status": EVIDENCE_READERS,
    "cases.action_remove": EVIDENCE_READERS,
    "cases.review_new": EVIDENCE_READERS,
    "cases.review": EVIDENCE_READERS,
    "cases.escalation": EVIDENCE_READERS,
    "cases.close": EVIDENCE_READERS,
    #
    # --- [figures] Evidence figures (issue 16) ---
    #
    # --- [summary] Evidence summary, visit findings and written-answer themes (issue 16) ---
    # Those who may read the written answers may mark their themes (audited).
    "review.written_answer_themes": roles("admin", "coordinator", "commissioner"),
    #
    # --- [packs] Charts and evidence packs (issue 16) ---
    #
    # --- [safeguard] Safeguarding and moderation workflows (issue 17) ---
    "safeguarding.close_check": roles("admin", "safeguarding_lead"),
    #
    # --- [home] Staff home pages, navigation, errors and password reset (issue 17) ---
    # Asking for a set-password link by email: for anyone, since they cannot sign in.
    "auth.forgotten_password": PUBLIC,
    "auth.forgotten_password_sent": PUBLIC,
    #
    # --- [dates] Dates and the outcomes-wheel form (issue 17) ---
    "keywork.reading_area": READING_TAKERS,
    "keywork.reading_check": READING_TAKERS,
    #
    # --- [setup] Campaign and visit set-up (issue 17) ---
    # Creating a campaign in steps, then changing it; which campaigns and visits a person
    # may change is checked inside (app.scope, app.inspections.permissions).
    "admin.campaign_new_details": CAMPAIGN_MANAGERS,
    "admin.campaign_create": CAMPAIGN_MANAGERS,
    "admin.campaign_edit": CAMPAIGN_MANAGERS,
    "visits.visit_create": CAMPAIGN_MANAGERS,
    "visits.visit_edit": CAMPAIGN_MANAGERS,
    #
    # --- [results] Results for young people: you said, we did (issue 19) ---
    # The public page, its QR code and poster show only what a coordinator published.
    "results.page": PUBLIC,
    "results.qr_svg": PUBLIC,
    "results.poster_pdf": PUBLIC,
    # Which services a person may see is checked inside (app/publish).
    "publish.index": roles("admin", "coordinator", "provider"),
    "publish.service": CAMPAIGN_MANAGERS,
    "publish.wording_list": roles("admin", "coordinator", "provider"),
    "publish.action_wording": roles("admin", "coordinator", "provider"),
    "publish.reply_wording": roles("admin", "coordinator", "provider"),
    #
    # --- Questionnaires collected by peer researchers (app/collected) ---
    # Which campaigns a person may enter answers for is checked inside (their scope, and for
    # a young inspector the services of their visits); an entry only by whoever started it.
    "collected.index": roles("admin", "coordinator", "peer_researcher"),
    "collected.start": roles("admin", "coordinator", "peer_researcher"),
    "collected.questions": roles("admin", "coordinator", "peer_researcher"),
    "collected.check": roles("admin", "coordinator", "peer_researcher"),
    # Co-produced instruments (app/coproduce). The library: every instrument, its versions,
    # export and import.
    "coproduce.index": CAMPAIGN_MANAGERS,
    "coproduce.version": CAMPAIGN_MANAGERS,
    "coproduce.export": CAMPAIGN_MANAGERS,
    "coproduce.import_file": CAMPAIGN_MANAGERS,
    "coproduce.new_version": CAMPAIGN_MANAGERS,
    "coproduce.copy": CAMPAIGN_MANAGERS,
    # The framework and mystery-shop editor.
    "coproduce.framework_new": CAMPAIGN_MANAGERS,
    "coproduce.shop_new": CAMPAIGN_MANAGERS,
    "coproduce.framework_edit": CAMPAIGN_MANAGERS,
    "coproduce.shop_edit": CAMPAIGN_MANAGERS,
    # The questionnaire editor.
    "coproduce.questionnaire_new": CAMPAIGN_MANAGERS,
    "coproduce.questionnaire_edit": CAMPAIGN_MANAGERS,
    # Translating on screen.
    "coproduce.translations": CAMPAIGN_MANAGERS,
    "coproduce.translate": CAMPAIGN_MANAGERS,
    # Previews as a respondent or inspector sees them.
    "coproduce.preview": CAMPAIGN_MANAGERS,
}


def rule_for(endpoint: str | None) -> Rule | None:
    if endpoint is None:
        return PUBLIC  # no route matched: the 404 page is for everyone
    if endpoint in POLICY:
        return POLICY[endpoint]
    blueprint = endpoint.rpartition(".")[0]
    if blueprint in PUBLIC_BLUEPRINTS:
        return PUBLIC
    return None


def enforce():
    """before_request: sign-in page for anonymous people, 403 for the wrong role."""
    rule = rule_for(request.endpoint)
    if rule is None:
        abort(403)
    if rule.allows(current_user):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    abort(403)


# --- Object rules -------------------------------------------------------------------------


def can_see_provider(user, provider_id: int) -> bool:
    """Whether `user` may see a provider's provider-wide pages: every one of its services
    is within their scope (`app.scope`). A provider sees only its own."""
    return scope.can_see_whole_provider(user, provider_id)


def can_see_service(user, service_id: int) -> bool:
    """Whether `user` may see a service's evidence: their bodies commission it, or it is
    their own provider's."""
    return scope.can_see_service(user, service_id)
