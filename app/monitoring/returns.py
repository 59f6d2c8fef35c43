"""Provider returns: checking, saving and submitting them, reminding providers of late ones,
and commissioners' questions about them.

Each complete period of a contract its provider returns its output and process figures
(`library.return_fields()`: whole numbers, none negative, some never above another) and a
short self-assessment. A return is checked whole before anything is written, so a refused
one stores nothing. A draft may be incomplete; a submitted return has every figure and
answer, is submitted once and is then read only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit, notifications
from app.dates import format_day
from app.evidence.periods import Period
from app.extensions import db
from app.models import Contract, ProviderReturn, ReturnQuery
from app.models.timeutil import uk_today, utcnow
from app.monitoring import library, status
from app.monitoring.returns_due import RETURN_PERIODS, overdue_returns, return_due_on
from app.scope import COMMISSIONING_ROLES

NOT_STARTED, DRAFT, SUBMITTED, OVERDUE = "not_started", "draft", "submitted", "overdue"
STATES = {
    NOT_STARTED: "Not started",
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    OVERDUE: "Overdue",
}
# The self-assessment: (form field, question).
TEXT_FIELDS = (
    ("went_well", "What went well"),
    ("not_well", "What did not go well"),
    ("doing_about_it", "What you are doing about it"),
)
TEXT_LIMIT = 2000
QUESTION_LIMIT = 2000
# Larger than any service's figure for a period, and small enough for every database.
FIGURE_LIMIT = 1_000_000


# --- Who may do what ------------------------------------------------------------------------


def can_fill(user, contract: Contract) -> bool:
    """The provider's own staff fill in and submit the contract's returns, and answer
    questions about them."""
    return (
        getattr(user, "is_authenticated", False)
        and user.has_role("provider")
        and user.provider_id is not None
        and user.provider_id == contract.provider_id
    )


def can_ask(user) -> bool:
    """Commissioners (and coordinators and admins) of the contract's bodies ask questions about
    submitted returns; who may see the contract at all is `app.scope`'s to say."""
    return getattr(user, "is_authenticated", False) and user.has_role(*COMMISSIONING_ROLES)


# --- Checking -------------------------------------------------------------------------------


@dataclass
class Checked:
    """A return as sent: its figures and answers, and what is wrong with it by form field (in
    the order of the form). Nothing is stored unless `errors` is empty."""

    figures: dict[str, int | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def _whole_number(text: str) -> int | None:
    """'1,234' or ' 12 ' -> the number; anything else -> None. A number too long to be a
    figure comes back as just over the limit (with its sign), so it is refused as too big."""
    cleaned = re.sub(r"[\s,]", "", text)
    match = re.fullmatch(r"([+-]?)(\d+)", cleaned)
    if match is None:
        return None
    sign, digits = match.groups()
    if len(digits.lstrip("0")) > len(str(FIGURE_LIMIT)):
        return -(FIGURE_LIMIT + 1) if sign == "-" else FIGURE_LIMIT + 1
    return int(cleaned)


def check(form: Mapping[str, str], submit: bool) -> Checked:
    """Check a return as a provider sent it. A draft may leave things blank; a submitted
    return may not. Either way every figure given must be a whole number of 0 or more, and
    none above the figure it may not exceed (people seen never above referrals)."""
    checked = Checked()
    fields = library.return_fields()
    labels = {f.key: f.label for f in fields}
    for spec in fields:
        text = (form.get(spec.key) or "").strip()
        checked.raw[spec.key] = text
        if not text:
            checked.figures[spec.key] = None
            if submit:
                checked.errors[spec.key] = f"Enter {_lower_first(spec.label)}"
            continue
        number = _whole_number(text)
        if number is None:
            checked.errors[spec.key] = f"{spec.label} must be a whole number, like 12"
        elif number < 0:
            checked.errors[spec.key] = f"{spec.label} must be 0 or more"
        elif number > FIGURE_LIMIT:
            checked.errors[spec.key] = f"{spec.label} must be {FIGURE_LIMIT:,} or fewer"
        checked.figures[spec.key] = number
    for spec in fields:
        if spec.not_above is None or spec.key in checked.errors:
            continue
        value, ceiling = checked.figures.get(spec.key), checked.figures.get(spec.not_above)
        if value is None or ceiling is None or spec.not_above in checked.errors:
            continue
        if value > ceiling:
            checked.errors[spec.key] = (
                f"{spec.label} must not be more than {_lower_first(labels[spec.not_above])} "
                f"({ceiling:,})"
            )
    for key, question in TEXT_FIELDS:
        text = (form.get(key) or "").replace("\r\n", "\n").strip()
        checked.raw[key] = text
        checked.texts[key] = text
        if not text and submit:
            checked.errors[key] = f"Enter {_lower_first(question)}"
        elif len(text) > TEXT_LIMIT:
            checked.errors[key] = f"{question} must be {TEXT_LIMIT:,} characters or fewer"
    # Keep the form's order, so the error summary reads top to bottom.
    order = [f.key for f in fields] + [key for key, _ in TEXT_FIELDS]
    checked.errors = {key: checked.errors[key] for key in order if key in checked.errors}
    return checked


# --- Periods and states ---------------------------------------------------------------------


def period_starting(contract: Contract, day: date, today: date | None = None) -> Period | None:
    """The contract's complete period that starts on `day`, or None (not a period start, not
    ended yet, or before the contract started)."""
    today = today or uk_today()
    try:
        period = status.period_of(contract, day)
    except (ValueError, OverflowError):
        return None
    if period.start != day or period.end >= today:
        return None
    if contract.starts_on and period.end < contract.starts_on:
        return None
    return period


def find(contract: Contract, period: Period) -> ProviderReturn | None:
    return db.session.scalar(
        select(ProviderReturn).where(
            ProviderReturn.contract_id == contract.id, ProviderReturn.period_start == period.start
        )
    )


def state(provider_return: ProviderReturn | None, period: Period, today: date) -> str:
    if provider_return is not None and provider_return.status == SUBMITTED:
        return SUBMITTED
    if return_due_on(period) < today:
        return OVERDUE
    if provider_return is not None and provider_return.status == DRAFT:
        return DRAFT
    return NOT_STARTED


@dataclass(frozen=True)
class Row:
    period: Period
    due_on: date
    provider_return: ProviderReturn | None
    state: str
    open_queries: int

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def draft_saved(self) -> bool:
        return self.provider_return is not None and self.provider_return.status == DRAFT


def rows(contract: Contract, today: date | None = None) -> list[Row]:
    """The contract's returns by period, most recent first: the last `RETURN_PERIODS`
    complete periods, and any earlier period a return was started for."""
    today = today or uk_today()
    kept = {
        r.period_start: r
        for r in db.session.scalars(
            select(ProviderReturn).where(ProviderReturn.contract_id == contract.id)
        )
    }
    periods = {p.start: p for p in status.complete_periods(contract, today, RETURN_PERIODS)}
    for start in kept:
        if start not in periods:
            period = period_starting(contract, start, today)
            if period is not None:
                periods[start] = period
    return [
        Row(
            period=period,
            due_on=return_due_on(period),
            provider_return=kept.get(start),
            state=state(kept.get(start), period, today),
            open_queries=sum(1 for q in kept[start].queries if q.answer is None)
            if start in kept
            else 0,
        )
        for start, period in sorted(periods.items(), reverse=True)
    ]


# --- Saving and submitting ------------------------------------------------------------------


def _row_for(contract: Contract, period: Period, initial: str = NOT_STARTED) -> ProviderReturn:
    """The contract's return for `period`, made (as not started) if there is none yet. Two
    requests making it at once both get the one row. Commits."""
    found = find(contract, period)
    if found is not None:
        return found
    db.session.add(
        ProviderReturn(
            contract_id=contract.id,
            period_start=period.start,
            period_end=period.end,
            status=initial,
            figures={},
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return find(contract, period)


def save(contract: Contract, period: Period, checked: Checked, user, submit: bool) -> str:
    """Store a checked return: as a draft, or submitted. Returns "saved", "submitted", or
    "already_submitted" when it was submitted before (then nothing changes: a second submit,
    from a double click or a retry, leaves the first as it was). Audited. Commits."""
    if checked.errors:
        raise ValueError("a return with errors is never stored")
    provider_return = _row_for(contract, period)
    now = utcnow()
    values = {
        "figures": {k: v for k, v in checked.figures.items() if v is not None},
        "went_well": checked.texts.get("went_well", ""),
        "not_well": checked.texts.get("not_well", ""),
        "doing_about_it": checked.texts.get("doing_about_it", ""),
        "updated_at": now,
        "status": SUBMITTED if submit else DRAFT,
    }
    if submit:
        values.update(submitted_at=now, submitted_by_id=user.id)
    # Only a return not yet submitted changes: the database decides, so two submits at once
    # cannot both win.
    result = db.session.execute(
        update(ProviderReturn)
        .where(ProviderReturn.id == provider_return.id, ProviderReturn.status != SUBMITTED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return "already_submitted"
    if submit:
        status.forget(contract)
    db.session.commit()
    db.session.refresh(provider_return)
    audit.record(
        "return_submitted" if submit else "return_draft_saved",
        provider_return,
        contract=contract.reference,
        period_start=period.start.isoformat(),
        figures=values["figures"],
    )
    return "submitted" if submit else "saved"


# --- Reminders ------------------------------------------------------------------------------


def return_path(contract: Contract, period: Period) -> str:
    return f"/contracts/{contract.id}/returns/{period.start.isoformat()}"


def _reminder(contract: Contract, period: Period) -> tuple[str, str]:
    due = return_due_on(period)
    subject = f"Overdue provider return: {contract.reference}, {period.label}"
    body = "\n".join(
        [
            f"The return for contract {contract.reference} ({contract.title}) for "
            f"{period.label} was due on {format_day(due)} and has not been submitted.",
            "",
            f"Provider: {contract.provider.name}",
            f"Period: {format_day(period.start)} to {format_day(period.end)}",
            "",
            f"Fill in and submit the return (sign in first): "
            f"{notifications.public_url(return_path(contract, period))}",
            "",
            notifications.FOOTER,
        ]
    )
    return subject, body


@dataclass
class Reminded:
    """What `remind` did: returns reminded about now, and overdue returns whose provider has
    nobody with an account to email (they are reminded about once somebody has one)."""

    reminded: int = 0
    nobody_to_email: list[str] = field(default_factory=list)


def remind(today: date | None = None, now: datetime | None = None) -> Reminded:
    """Queue one reminder per overdue return to its provider's active staff, once each (a
    return already reminded about is not reminded about again). Commits."""
    today = today or uk_today()
    now = now or utcnow()
    done = Reminded()
    contracts = db.session.scalars(select(Contract).order_by(Contract.id)).all()
    for contract in contracts:
        for period in overdue_returns(contract, today):
            provider_return = _row_for(contract, period)
            if provider_return.reminded_at is not None:
                continue
            recipients = notifications.provider_addresses(contract.provider_id)
            if not recipients:
                # Nobody to tell yet: try again tomorrow, when someone may have an account.
                done.nobody_to_email.append(f"{contract.reference}, {period.label}")
                continue
            claimed = db.session.execute(
                update(ProviderReturn)
                .where(
                    ProviderReturn.id == provider_return.id, ProviderReturn.reminded_at.is_(None)
                )
                .values(reminded_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                db.session.rollback()
                continue
            subject, body = _reminder(contract, period)
            notifications.queue("return_reminder", recipients, subject, body, now)
            db.session.commit()
            audit.record(
                "return_reminder_queued",
                provider_return,
                actor="contracts remind",
                contract=contract.reference,
                period_start=period.start.isoformat(),
                recipients=len(recipients),
            )
            done.reminded += 1
    return done


# --- Questions and answers ------------------------------------------------------------------


def check_text(text: str | None, what: str, limit: int = QUESTION_LIMIT) -> tuple[str, str]:
    """(cleaned text, error or "")."""
    cleaned = (text or "").replace("\r\n", "\n").strip()
    if not cleaned:
        return cleaned, f"Enter your {what}"
    if len(cleaned) > limit:
        return cleaned, f"Your {what} must be {limit:,} characters or fewer"
    return cleaned, ""


def ask(provider_return: ProviderReturn, question: str, user) -> ReturnQuery:
    """A commissioner's question about a submitted return; the provider's staff are emailed.
    Audited. Commits."""
    if provider_return.status != SUBMITTED:
        raise ValueError("only a submitted return can be queried")
    contract = provider_return.contract
    query = ReturnQuery(
        provider_return=provider_return, question=question, asked_by_id=user.id, asked_at=utcnow()
    )
    db.session.add(query)
    period = status.period_of(contract, provider_return.period_start)
    notifications.queue(
        "return_query",
        notifications.provider_addresses(contract.provider_id),
        f"A question about your return: {contract.reference}, {period.label}",
        "\n".join(
            [
                f"A commissioner has asked a question about the return for contract "
                f"{contract.reference} ({contract.title}) for {period.label}.",
                "",
                f"Read and answer it (sign in first): "
                f"{notifications.public_url(return_path(contract, period))}",
                "",
                notifications.FOOTER,
            ]
        ),
    )
    db.session.commit()
    audit.record(
        "return_query_asked",
        query,
        contract=contract.reference,
        period_start=provider_return.period_start.isoformat(),
    )
    return query


def answer(query: ReturnQuery, text: str, user) -> bool:
    """The provider's answer to a question; the person who asked is emailed. A question is
    answered once: False (and nothing changes) when it already was. Audited. Commits."""
    now = utcnow()
    result = db.session.execute(
        update(ReturnQuery)
        .where(ReturnQuery.id == query.id, ReturnQuery.answer.is_(None))
        .values(answer=text, answered_by_id=user.id, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    provider_return = query.provider_return
    contract = provider_return.contract
    period = status.period_of(contract, provider_return.period_start)
    asker = query.asked_by
    if asker is not None and asker.active:
        notifications.queue(
            "return_answer",
            [asker.email],
            f"Your question has been answered: {contract.reference}, {period.label}",
            "\n".join(
                [
                    f"{contract.provider.name} has answered your question about the return "
                    f"for contract {contract.reference} ({contract.title}) for {period.label}.",
                    "",
                    f"Read the answer (sign in first): "
                    f"{notifications.public_url(return_path(contract, period))}",
                    "",
                    notifications.FOOTER,
                ]
            ),
            now,
        )
    db.session.commit()
    db.session.refresh(query)
    audit.record(
        "return_query_answered",
        query,
        contract=contract.reference,
        period_start=provider_return.period_start.isoformat(),
    )
    return True
