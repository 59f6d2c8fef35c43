"""Evidence aggregates computed in SQL, on SQLite and PostgreSQL, against hand computation."""

from datetime import date, datetime
from itertools import count

import pytest

from app.evidence import build, queries, statistics
from app.evidence.maths import MIN_PEOPLE_FOR_TEST
from app.evidence.periods import period_containing, previous
from app.evidence.sections.responses import response_figures
from app.evidence.sections.scales import scale_figures
from app.evidence.suppression import SmallNumbers, is_suppressed
from app.extensions import db
from app.models import Campaign, Participant, Provider, Response, Service

_keys = count()
QUARTER = period_containing(date(2026, 5, 1))  # April to June 2026


def _scale(world, instrument_id):
    instrument = world["instruments"].get(instrument_id)
    return scale_figures((world["service"].id,), QUARTER, instrument, SmallNumbers())


@pytest.fixture
def world(app):
    provider = Provider(name="Harbour Youth")
    service = Service(provider=provider, name="Drop-in", monitoring_interval_months=3)
    db.session.add(service)
    db.session.flush()
    campaigns = {
        key: Campaign(
            service_id=service.id,
            name=key,
            instrument_id=key,
            instrument_version=1,
            opens_on=date(2026, 1, 1),
            closes_on=date(2026, 12, 31),
        )
        for key in ("wemwbs", "swemwbs", "service-feedback")
    }
    db.session.add_all(campaigns.values())
    db.session.commit()
    return {
        "service": service,
        "campaigns": campaigns,
        "instruments": app.extensions["instruments"],
    }


def respond(
    world,
    instrument_id,
    raw=None,
    *,
    person=None,
    when=datetime(2026, 5, 1, 12),
    language="en",
    provenance="validated",
    mode="self",
    complete=True,
    answers=None,
):
    """One response through the model, scored with the instrument's own data."""
    instrument = world["instruments"].get(instrument_id)
    scoring = instrument.scoring
    metric = scoring.convert(raw) if scoring and raw is not None else None
    band = scoring.band_for(metric if metric is not None else raw) if scoring else None
    response = Response(
        submission_key=f"k{next(_keys)}",
        campaign_id=world["campaigns"][instrument_id].id,
        participant=person,
        instrument_id=instrument_id,
        instrument_version=1,
        language=language,
        text_provenance=provenance,
        mode=mode,
        answers=answers or {},
        complete=complete,
        answered_count=0,
        raw_score=raw if complete else None,
        metric_score=metric if complete else None,
        band=band if complete else None,
        submitted_at=when,
    )
    db.session.add(response)
    return response


def scope(world, instrument_id=None):
    since, until = QUARTER.utc_bounds()
    return queries.Scope((world["service"].id,), since, until, instrument_id)


def test_wemwbs_mean_sd_and_bands_match_hand_computation(world):
    scores = [38, 42, 45, 47, 49, 50, 52, 55, 58, 60, 63, 44]
    for raw in scores:
        respond(world, "wemwbs", raw)
    respond(world, "wemwbs", 70, when=datetime(2026, 3, 31, 23, 30))  # 1 April UK time
    respond(world, "wemwbs", 14, when=datetime(2026, 7, 1, 9))  # next quarter
    db.session.commit()
    scores.append(70)
    instrument = world["instruments"].get("wemwbs")
    summary = queries.scale_summary(scope(world, "wemwbs"), instrument)
    assert summary.n == 13
    assert summary.total == sum(scores)
    assert summary.sum_squares == sum(s * s for s in scores)
    # INSTRUMENTS.md bands: 14-40 probable, 41-44 possible, 45-59 average, 60-70 high.
    assert summary.bands == {
        "probable_depression": 1,
        "possible_depression": 2,
        "average": 7,
        "high": 3,
    }

    scale = _scale(world, "wemwbs")
    assert scale.mean == pytest.approx(sum(scores) / 13)
    assert scale.sd == pytest.approx(statistics.Moments.of(scores).sd)
    assert scale.n == 13
    # Every band holds fewer than 10 people, so the whole distribution is hidden.
    assert all(is_suppressed(v) for v in scale.bands.cells.values())
    earlier = response_figures((world["service"].id,), previous(QUARTER), SmallNumbers())
    assert is_suppressed(earlier["responses"])


def test_swemwbs_is_summarised_on_the_metric_score(world):
    for raw in [20] * 5 + [28] * 6:
        respond(world, "swemwbs", raw)
    db.session.commit()
    summary = queries.scale_summary(scope(world, "swemwbs"), world["instruments"].get("swemwbs"))
    assert summary.total == pytest.approx(5 * 18.59 + 6 * 25.03)


def test_change_counts_meaningful_and_reliable_change_from_first_to_latest(world):
    changes = [(40, 43), (40, 42), (40, 51), (50, 39), (45, 45)]
    for first, latest in changes:
        person = Participant.create()
        respond(world, "wemwbs", first, person=person, when=datetime(2026, 4, 10))
        respond(world, "wemwbs", 60, person=person, when=datetime(2026, 4, 20), complete=False)
        respond(world, "wemwbs", latest, person=person, when=datetime(2026, 6, 10))
    respond(world, "wemwbs", 50, person=Participant.create())  # one reading only
    db.session.commit()
    change = queries.change_summary(scope(world, "wemwbs"), world["instruments"].get("wemwbs"))
    differences = [b - a for a, b in changes]
    assert change.n == 5
    assert change.sum_differences == sum(differences)
    assert change.sum_squares_differences == sum(d * d for d in differences)
    # Meaningful: +3 or more (43, 51). Reliable: |d| > 1.96 * sqrt(2) * 8.96 * sqrt(0.17)
    # = 10.24 points, so +11 and -11.
    assert change.meaningful_improvement == 2
    assert (change.reliable_improvement, change.reliable_deterioration) == (1, 1)

    # Only 5 people changed: too few for a test (the page says "too few people to test").
    scale = _scale(world, "wemwbs")
    assert change.n < MIN_PEOPLE_FOR_TEST and scale.test is None
    assert is_suppressed(scale.mean_change)


def test_response_counts_languages_and_modes_are_suppressed_with_their_siblings(world):
    for _ in range(20):
        respond(world, "wemwbs", 50)
    for _ in range(12):
        respond(world, "wemwbs", 50, language="cy", provenance="project", mode="with_worker")
    for _ in range(3):
        respond(world, "wemwbs", None, language="ar", provenance="project", complete=False)
    db.session.commit()
    counts = queries.counts_by(scope(world), Response.language, Response.text_provenance)
    assert counts[("en", "validated")].responses == 20
    assert counts[("ar", "project")].people == 3
    summary = queries.response_summary(scope(world))
    assert (summary.responses, summary.complete, summary.people) == (35, 32, 35)

    responses = response_figures((world["service"].id,), QUARTER, SmallNumbers())
    assert responses["responses"] == 35
    # With only 3 and 12 hidden, 15 in two cells of "fewer than 10" gives each 6 to 9:
    # English is hidden too (35 in three such cells says nothing about any of them).
    assert is_suppressed(responses["languages"].cells[("en", "validated")])
    assert is_suppressed(responses["languages"].cells[("ar", "project")])
    assert is_suppressed(responses["languages"].cells[("cy", "project")])  # else 35-20-12 = 3
    # 3 unfinished: no rate to the percent (it would pin them), the bound "fewer than 10"
    # beside 35 already gives, and the words.
    assert responses["completion"].rate == "more than 71%"
    assert responses["completion"].words == "fewer than 10 people started without finishing"


def test_closed_question_distributions_include_multiple_choice(world):
    for i in range(12):
        respond(
            world,
            "service-feedback",
            answers={
                "how_often": "most_weeks" if i % 2 else "monthly",
                "overall_rating": str(7 + i % 3),
                "good_things": ["staff", "friends"] if i < 8 else ["staff"],
            },
        )
    db.session.commit()
    instrument = world["instruments"].get("service-feedback")
    counts, answered = queries.question_distribution(scope(world), instrument, "how_often")
    assert counts == {"first_time": 0, "most_weeks": 6, "monthly": 6, "now_and_then": 0}
    assert answered == 12
    counts, answered = queries.question_distribution(scope(world), instrument, "good_things")
    assert (counts["staff"], counts["friends"], counts["activities"], answered) == (12, 8, 0, 12)
    counts, _ = queries.question_distribution(scope(world), instrument, "overall_rating")
    assert (counts["7"], counts["8"], counts["9"], counts["1"]) == (4, 4, 4, 0)


def test_an_off_grid_period_is_refused(world):
    with pytest.raises(ValueError, match="not one of this service"):
        build.service_pack(
            world["service"],
            period_containing(date(2026, 5, 1), months=6),
            world["instruments"],
            SmallNumbers(),
        )
