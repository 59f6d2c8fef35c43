"""Evidence for one service (or provider) and period, beside the previous period, with every
figure passed through the small-numbers rule. No Flask request objects.

`service_evidence(service, period, instruments, rule)` is what a page or export renders;
anything not yet suppressed never leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.evidence import queries, statistics
from app.evidence.periods import Period, period_for_service, previous
from app.evidence.suppression import Figure, Row, SmallNumbers
from app.instruments.model import InstrumentRegistry
from app.models import Campaign, Response, Service

# Warwick's rule of thumb (shared INSTRUMENTS.md): a paired test needs at least 30 people
# with two readings; below that the page says so instead of giving a p-value.
MIN_PEOPLE_FOR_TEST = 30
TOO_FEW_TO_TEST = "too few people to test"


@dataclass(frozen=True)
class ResponsesEvidence:
    responses: Figure
    people: Figure
    completion_rate: Figure
    languages: Row  # keys: (language, text provenance)
    modes: Row


@dataclass(frozen=True)
class ScaleEvidence:
    instrument_key: str
    scale: str  # "raw" or "metric"
    n: Figure
    mean: Figure | None
    sd: Figure | None
    ci_low: Figure | None
    ci_high: Figure | None
    bands: Row
    paired_n: Figure
    mean_change: Figure | None
    meaningful_improvement: Figure
    reliable_change: Figure
    test: statistics.TTest | None
    test_note: str = ""


@dataclass(frozen=True)
class PeriodEvidence:
    period: Period
    responses: ResponsesEvidence
    scales: dict[str, ScaleEvidence] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceEvidence:
    service_id: int
    current: PeriodEvidence
    previous: PeriodEvidence
    threshold: int


def service_evidence(
    service: Service,
    period: Period,
    instruments: InstrumentRegistry,
    rule: SmallNumbers | None = None,
) -> ServiceEvidence:
    """The evidence for `service` in `period` and the period before it, suppressed."""
    rule = rule or SmallNumbers()
    if period != period_for_service(service, period.start):
        # Off-grid periods could overlap and be subtracted from each other.
        raise ValueError(f"{period.label} is not one of this service's monitoring periods")
    return ServiceEvidence(
        service_id=service.id,
        current=period_evidence((service.id,), period, instruments, rule),
        previous=period_evidence((service.id,), previous(period), instruments, rule),
        threshold=rule.threshold,
    )


def period_evidence(
    service_ids: tuple[int, ...],
    period: Period,
    instruments: InstrumentRegistry,
    rule: SmallNumbers,
) -> PeriodEvidence:
    """The suppressed evidence for some services in one period."""
    since, until = period.utc_bounds()
    scope = queries.Scope(service_ids, since, until)
    return PeriodEvidence(
        period=period,
        responses=responses_evidence(scope, rule),
        scales={
            key: scale_evidence(scope, instruments.get(*key.split("@")), rule)
            for key in _scale_keys(scope, instruments)
        },
    )


def responses_evidence(scope: queries.Scope, rule: SmallNumbers) -> ResponsesEvidence:
    """Counts, completion rate, languages (with provenance) and modes, suppressed."""
    summary = queries.response_summary(scope)
    languages = queries.counts_by(scope, Response.language, Response.text_provenance)
    modes = queries.counts_by(scope, Response.mode)
    return ResponsesEvidence(
        responses=rule.count(summary.responses, summary.people),
        people=rule.count(summary.people),
        completion_rate=rule.share(summary.complete, summary.responses)
        if not rule.hides(summary.people)
        else rule.hidden(),
        languages=_row(rule, languages, summary.responses),
        modes=_row(rule, {k[0]: v for k, v in modes.items()}, summary.responses),
    )


def scale_evidence(scope: queries.Scope, instrument, rule: SmallNumbers) -> ScaleEvidence:
    """Mean, SD, 95% CI, bands and change for one scale instrument in the scope."""
    scoped = queries.Scope(
        scope.service_ids, scope.since, scope.until, instrument.id, scope.language
    )
    summary = queries.scale_summary(scoped, instrument)
    change = queries.change_summary(scoped, instrument)
    moments = statistics.Moments(summary.n, summary.total, summary.sum_squares)
    interval = moments.confidence_interval() or (None, None)
    test, note = None, ""
    if change.n >= MIN_PEOPLE_FOR_TEST:
        test = statistics.paired_t_test(
            change.n, change.sum_differences, change.sum_squares_differences
        )
    else:
        note = TOO_FEW_TO_TEST
    return ScaleEvidence(
        instrument_key=instrument.key,
        scale="metric" if instrument.scoring.conversion else "raw",
        n=rule.count(summary.n),
        mean=rule.statistic(moments.mean, summary.n),
        sd=rule.statistic(moments.sd, summary.n),
        ci_low=rule.statistic(interval[0], summary.n),
        ci_high=rule.statistic(interval[1], summary.n),
        bands=rule.row(summary.bands, summary.n),
        paired_n=rule.count(change.n),
        mean_change=rule.statistic(statistics.mean(change.n, change.sum_differences), change.n),
        meaningful_improvement=rule.share(change.meaningful_improvement, change.n),
        reliable_change=rule.share(change.reliable_change, change.n),
        test=test,
        test_note=note,
    )


def _row(rule: SmallNumbers, counts: dict, total: int) -> Row:
    return rule.row(
        {key: count.responses for key, count in counts.items()},
        total,
        people={key: count.people for key, count in counts.items()},
    )


def _scale_keys(scope: queries.Scope, instruments: InstrumentRegistry) -> list[str]:
    from sqlalchemy import select

    from app.extensions import db

    rows = db.session.execute(
        select(Response.instrument_id, Response.instrument_version)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*scope.conditions())
        .distinct()
    ).all()
    keys = []
    for instrument_id, version in sorted(rows):
        key = f"{instrument_id}@{version}"
        if key in instruments and instruments.get(instrument_id, version).type == "scale":
            keys.append(key)
    return keys
