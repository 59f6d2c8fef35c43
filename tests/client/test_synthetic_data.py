"""`flask evidence synthesise`: realistic synthetic data, scored by the real scoring code, that
the evidence queries turn into figures with change over time; the same seed, the same data."""

import hashlib
import statistics
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.evidence import queries, reading_queries
from app.evidence.periods import history_start, period_containing, period_for_service
from app.evidence.sections.responses import response_figures
from app.evidence.sections.scales import scale_figures
from app.evidence.suppression import SmallNumbers, is_suppressed
from app.extensions import db
from app.models import Campaign, Participant, Provider, Reading, Response, Service
from app.models.codes import looks_like_code
from app.scoring import score
from app.scoring.star import validate_reading
from tests.support.apps import empty_database, make_app

ARGS = [
    "evidence", "synthesise", "--responses", "2000", "--providers", "1",
    "--services-per-provider", "2", "--seed", "7", "--start", "2024-07-01", "--end", "2026-06-30",
]  # fmt: skip


def synthesise(runner, *extra):
    result = runner.invoke(args=[*ARGS, *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(autouse=True)
def leave_the_database_empty(app):
    # Thousands of rows would otherwise stay for the next test module (the migration tests
    # downgrade the schema with whatever is left in it).
    yield
    empty_database()


@pytest.fixture
def synthetic(app, runner):
    output = synthesise(runner)
    services = db.session.scalars(select(Service).order_by(Service.id)).all()
    return {"output": output, "services": services, "instruments": app.extensions["instruments"]}


def test_it_makes_the_numbers_asked_for_all_marked_synthetic(synthetic):
    assert "2,000 responses" in synthetic["output"] and "Done in" in synthetic["output"]
    assert db.session.scalar(select(func.count(Response.id))) == 2000
    providers = db.session.scalars(select(Provider)).all()
    assert [p.name for p in providers] == ["Synthetic Provider 1"]
    assert [s.monitoring_interval_months for s in synthetic["services"]] == [3, 6]
    campaigns = db.session.scalars(select(Campaign)).all()
    assert sorted(c.instrument_id for c in campaigns) == sorted(
        ["wemwbs", "swemwbs", "service-feedback"] * 2
    )
    for campaign in campaigns:
        licensed = synthetic["instruments"].get(campaign.instrument_id).is_licensed
        assert campaign.licence_reference == ("SYNTHETIC" if licensed else None)
    codes = db.session.scalars(select(Participant.code)).all()
    assert codes and all(looks_like_code(code) for code in codes)
    assert len(set(codes)) == len(codes)

    responses = db.session.scalars(select(Response)).all()
    assert {r.submitted_at.date() for r in responses} <= {
        date.fromordinal(d)
        for d in range(date(2024, 7, 1).toordinal(), date(2026, 7, 1).toordinal())
    }
    linked = sum(r.participant_id is not None for r in responses) / len(responses)
    assert 0.5 < linked < 0.7
    answered_again = db.session.execute(
        select(func.count())
        .select_from(Response)
        .where(Response.participant_id.is_not(None))
        .group_by(Response.participant_id)
        .having(func.count() > 1)
    ).all()
    assert len(answered_again) > 100
    assert {r.mode for r in responses} == {"self", "with_worker"}
    feedback = [r for r in responses if r.instrument_id == "service-feedback"]
    assert len({r.language for r in feedback}) >= 5
    assert {r.text_provenance for r in feedback} == {"project"}
    assert {(r.language, r.text_provenance) for r in responses if r.raw_score is not None} == {
        ("en", "validated")
    }
    assert any(r.answers.get("change_one_thing") for r in feedback)


def test_scores_are_those_of_the_scoring_code_and_follow_the_norms(synthetic):
    instruments = synthetic["instruments"]
    responses = db.session.scalars(select(Response)).all()
    for response in responses:
        instrument = instruments.get(response.instrument_id, response.instrument_version)
        result = score(instrument, response.answers)
        assert (response.complete, response.answered_count) == (result.complete, result.answered)
        assert (response.raw_score, response.metric_score, response.band) == (
            result.raw,
            result.metric,
            result.band,
        )
    wemwbs = [r.raw_score for r in responses if r.instrument_id == "wemwbs" and r.complete]
    assert 46 < statistics.mean(wemwbs) < 52
    assert 7 < statistics.stdev(wemwbs) < 11
    swemwbs = [r.metric_score for r in responses if r.instrument_id == "swemwbs" and r.complete]
    assert 21.5 < statistics.mean(swemwbs) < 25.5
    assert 0 < sum(not r.complete for r in responses) < 100

    wheel = instruments.get("outcomes-wheel")
    readings = db.session.scalars(select(Reading)).all()
    assert readings
    for reading in readings:
        assert validate_reading(wheel, reading.scores) == reading.scores
        assert reading.participant_id is not None


def test_evidence_queries_find_figures_and_change(synthetic):
    instruments = synthetic["instruments"]
    wemwbs = instruments.get("wemwbs")
    quarterly, half_yearly = synthetic["services"]

    # The page's change figures: latest score in the quarter, first up to two years before.
    quarter = period_for_service(quarterly, date(2026, 4, 1))
    since, until = quarter.utc_bounds()
    scope = queries.Scope((quarterly.id,), since, until, "wemwbs")
    change = queries.change_summary(scope, wemwbs, history_since=history_start(quarter))
    assert change.n >= 10
    # Secondary suppression counts the same people without ranking their scores.
    both = queries.Scope(tuple(s.id for s in synthetic["services"]), since, until, "wemwbs")
    for counted in (scope, both, replace(scope, since=since - timedelta(days=400))):
        summary = queries.change_summary(counted, wemwbs, history_since=history_start(quarter))
        assert queries.change_people(counted, wemwbs, history_start(quarter)) == summary.n
    assert queries.scale_summary(scope, wemwbs).n >= 30

    # Within one six-month period, people answer again 3 to 6 months on.
    half = period_for_service(half_yearly, date(2025, 12, 1))
    rule = SmallNumbers()
    scale = scale_figures((half_yearly.id,), half, wemwbs, rule)
    assert not is_suppressed(scale.mean) and 40 < scale.mean < 60
    assert not is_suppressed(scale.paired_n) and scale.paired_n >= 10
    assert not is_suppressed(response_figures((half_yearly.id,), half, rule)["responses"])

    star = reading_queries.star_change(
        (quarterly.id, half_yearly.id),
        quarter.start,
        quarter.end,
        instruments.get("outcomes-wheel"),
        history_since=history_start(quarter).date(),
    )
    assert all(area.n > 0 for area in star.values())


def test_all_questions_at_once_match_one_question_at_a_time(synthetic):
    feedback = synthetic["instruments"].get("service-feedback")
    ids = tuple(s.id for s in synthetic["services"])
    for day in (date(2025, 2, 1), date(2026, 5, 1)):
        since, until = period_containing(day).utc_bounds()
        scope = queries.Scope(ids, since, until, "service-feedback")
        together = queries.question_distributions(scope, feedback)
        assert together == {
            item.id: queries.question_distribution(scope, feedback, item.id)
            for item in feedback.items
            if item.is_choice
        }
        assert together["good_things"][1] > 0


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(app, runner):
    synthesise(runner)
    first = fingerprint()
    empty_database()
    synthesise(runner)
    assert fingerprint() == first
    empty_database()
    synthesise(runner, "--seed", "8")
    assert fingerprint() != first


def test_a_second_run_is_refused(synthetic, runner):
    result = runner.invoke(args=ARGS)
    assert result.exit_code != 0
    assert "already holds synthetic providers" in result.output


def test_a_database_that_holds_data_is_refused_and_told_where_to_go(app, runner):
    db.session.add(Provider(name="Riverside Youth Trust"))
    db.session.commit()
    result = runner.invoke(args=ARGS)
    assert result.exit_code != 0
    assert "already holds data (1 providers, 0 responses)" in result.output
    assert "DATABASE_URL=" in result.output and "evidence synthesise" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert [p.name for p in db.session.scalars(select(Provider))] == ["Riverside Youth Trust"]
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_a_database_with_no_tables_is_told_to_run_db_upgrade_first(tmp_path):
    bare = make_app("sqlite:///" + str(tmp_path / "never-migrated.sqlite3"))
    with bare.app_context():  # the command runs in the app context it finds
        result = bare.test_cli_runner().invoke(args=ARGS)
    assert result.exit_code != 0
    assert "run `flask db upgrade` first" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


def fingerprint() -> str:
    digest = hashlib.sha256()
    rows = db.session.execute(
        select(
            Service.name,
            Campaign.name,
            Participant.code,
            Response.submission_key,
            Response.language,
            Response.mode,
            Response.answers,
            Response.raw_score,
            Response.metric_score,
            Response.band,
            Response.submitted_at,
        )
        .join(Campaign, Campaign.id == Response.campaign_id)
        .join(Service, Service.id == Campaign.service_id)
        .outerjoin(Participant, Participant.id == Response.participant_id)
        .order_by(Response.submission_key)
    )
    for row in rows:
        digest.update(repr(tuple(row)).encode())
    for row in db.session.execute(
        select(Reading.submission_key, Reading.taken_on, Reading.scores).order_by(
            Reading.submission_key
        )
    ):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_every_service_has_a_contract_with_targets_returns_and_worked_out_statuses(synthetic):
    from app.models import Contract, MeasureResult, ProviderReturn

    contracts = db.session.scalars(select(Contract)).all()
    assert len(contracts) == len(synthetic["services"]) == 2
    assert "2 contracts" in synthetic["output"]
    for contract in contracts:
        assert contract.bodies, "every synthetic contract is commissioned by a council"
        assert len(contract.measures) == 6
        assert {m.measure.kind for m in contract.measures} >= {"outcome", "output", "process"}
    assert db.session.scalar(select(func.count(ProviderReturn.id))) > 0
    kept = db.session.scalars(select(MeasureResult)).all()
    assert {r.status for r in kept} <= {"met", "close", "not_met", "no_data"}
    assert len(kept) == 2 * 6 * 2  # two contracts, six measures, the latest two periods
