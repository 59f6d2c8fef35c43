"""A wellbeing scale's section: scores, indicative bands against the national norm, change
from first to latest score, and whether that change is more than chance."""

from __future__ import annotations

import dataclasses

from app.charts import Chart
from app.evidence import inventory, maths, queries
from app.evidence.disclosure import (
    cut_from,
    family_table,
    linked_rows,
    linked_share,
    scale_against_parent,
    view_of,
    within_whole,
)
from app.evidence.maths import MIN_PEOPLE_FOR_TEST, TOO_FEW_TO_TEST, ScaleFigures
from app.evidence.periods import Period, history_start
from app.evidence.tables import COUNT, NUMBER, P_VALUE, SHARE, Column, Section, Table, share
from app.evidence.words import LOCALE
from app.figures import Row, is_suppressed
from app.instruments.model import Instrument


def scale_figures(ids, period: Period, instrument: Instrument, rule, parent=None) -> ScaleFigures:
    """A scale's published figures for some services (or a filtered `View`) in `period`,
    suppressed against `parent` too when given."""
    scope = queries.scope_of(ids, period, instrument.id)
    summary = queries.scale_summary(scope, instrument)
    change = queries.change_summary(scope, instrument, history_since=history_start(period))
    bands = rule.row(summary.bands, summary.n)
    change_people = change.n
    if parent:
        whole = queries.scope_of(parent, period, instrument.id)
        bands, summary, change_people = scale_against_parent(
            rule,
            summary,
            queries.scale_summary(whole, instrument),
            change.n,
            queries.change_people(whole, instrument, history_start(period)),
        )
        if getattr(ids, "filtered", False) and not getattr(parent, "filtered", False):
            bands = _beside_other_groups(ids, parent, period, instrument, rule, bands)
            whole = scale_figures(parent, period, instrument, rule).bands
            bands = within_whole(rule, whole, bands)
    if len(ids) == 1:
        family = inventory.family_of(tuple(ids)[0])
        if len(family) > 1 and getattr(ids, "filtered", False):
            # A group of a service publishes nothing its whole service may not.
            if not _people_published(tuple(ids)[0], family, period, instrument, rule):
                summary = dataclasses.replace(summary, n=0, total=0.0, sum_squares=0.0)
                bands = Row({k: rule.hidden() for k in bands.cells}, rule.hidden())
        elif len(family) > 1:
            bands, summary = _beside_siblings(
                tuple(ids)[0], family, period, instrument, rule, summary
            )
            return _change_beside_siblings(
                tuple(ids)[0],
                family,
                period,
                instrument,
                rule,
                summary,
                change,
                bands,
                change_people,
            )
    return maths.scale_figures(summary, change, rule, bands, change_people)


SHARES = {
    "meaningful": "meaningful_improvement",
    "reliable_improvement": "reliable_improvement",
    "reliable_deterioration": "reliable_deterioration",
}


def _change_beside_siblings(
    service_id, family, period, instrument, rule, summary, change, bands, change_people
) -> ScaleFigures:
    """A service's change figures cut from its family's linked tables: the people with
    change of each sibling whose page shows the scale (a column under the provider's), and
    for each share those who are and are not in it (rows under the provider's)."""
    since = history_start(period)
    shown = inventory.answering(family, instrument.id, period)
    changes = {
        sid: change
        if sid == service_id
        else queries.change_summary(
            queries.scope_of((sid,), period, instrument.id), instrument, history_since=since
        )
        for sid in family
        if sid in shown or sid == service_id
    }
    people = linked_rows(family_table({(sid, "n"): c.n for sid, c in changes.items()}), rule)
    own = people.get(service_id)
    if own is None or own.withheld or is_suppressed(own.cells["n"]):
        change_people = 0
    figures = maths.scale_figures(summary, change, rule, bands, change_people)
    if own is not None and own.withheld:
        # Hidden people with change that cannot be made safe beside the provider's count
        # are left out, not called "fewer than 10": read so, they would be narrowed.
        return dataclasses.replace(
            figures,
            paired_n=None,
            mean_change=None,
            meaningful=None,
            reliable_improvement=None,
            reliable_deterioration=None,
        )
    hidden = {
        field: rule.hidden()
        for field, attribute in SHARES.items()
        if not linked_share(
            {sid: (getattr(c, attribute), c.n) for sid, c in changes.items()}, service_id, rule
        )
    }
    return dataclasses.replace(figures, **hidden)


def _beside_other_groups(view, parent, period, instrument, rule, bands: Row) -> Row:
    """A group's bands cut from the table of every group of its dimension (rows, those with
    nobody in a band as cells of 0) under the bands of the whole (`parent`): two groups'
    hidden bands can then not be worked out from the whole's band between them."""
    dimension, value = view.dimension
    groups = inventory.section_sizes(parent, period, by=dimension).get(instrument.id, {})
    table = family_table(
        {
            (group, band): n
            for group in groups
            for band, n in queries.scale_summary(
                queries.scope_of(
                    view_of(parent.service_ids, (dimension, group)), period, instrument.id
                ),
                instrument,
            ).bands.items()
        },
        groups,
        [band.key for band in instrument.scoring.bands],
    )
    return cut_from(
        linked_rows(table, rule).get(next((g for g in groups if str(g) == value), value)), bands
    )


def _family_summaries(family, period, instrument) -> dict:
    """Each service's summary, for the services whose pages show the scale (those with
    nobody in `period` included: a cell of 0 in the family's tables)."""
    shown = inventory.answering(family, instrument.id, period)
    return {
        sid: queries.scale_summary(queries.scope_of((sid,), period, instrument.id), instrument)
        for sid in family
        if sid in shown
    }


def _people_published(service_id, family, period, instrument, rule) -> bool:
    summaries = _family_summaries(family, period, instrument)
    rows = linked_rows(family_table({(sid, "people"): s.n for sid, s in summaries.items()}), rule)
    return service_id in rows and not is_suppressed(rows[service_id].cells["people"])


def _beside_siblings(service_id, family, period, instrument, rule, summary):
    """A service's people and bands cut from its family's linked tables: the people of each
    sibling (a column under the provider's), and each sibling's bands (rows under the
    provider's bands), every sibling whose page shows the scale in them, those with nobody
    as cells of 0. A service whose people are hidden there publishes no figure of the
    scale at all."""
    summaries = _family_summaries(family, period, instrument)
    people = linked_rows(family_table({(sid, "people"): s.n for sid, s in summaries.items()}), rule)
    own = summaries.get(service_id)
    if own is None or is_suppressed(people[service_id].cells["people"]):
        hidden = dataclasses.replace(summary, n=0, total=0.0, sum_squares=0.0)
        return rule.row(own.bands if own else {}, 0), hidden
    bands = [band.key for band in instrument.scoring.bands]
    table = family_table(
        {(sid, band): n for sid, s in summaries.items() for band, n in s.bands.items()},
        summaries,
        bands,
    )
    linked = linked_rows(table, rule)[service_id]
    return Row(
        {band: linked.cells[band] for band in own.bands}, linked.total, withheld=linked.withheld
    ), summary


def _ages(ids, periods, instrument) -> dict:
    """People per age band who answered the scale in `periods`, for choosing its comparator."""
    ages: dict = {}
    for period in periods:
        sizes = inventory.section_sizes(ids, period, by="age_band").get(instrument.id, {})
        for band, people in sizes.items():
            ages[band] = ages.get(band, 0) + people
    return ages


def _change_rows(instrument, now, then) -> list[tuple]:
    """The individual-change rows: shares as `Share`s so they read as percentages in a
    table of people and means; one figure where reliable change adds nothing
    (`maths.reports_reliable_change`)."""
    scoring = instrument.scoring
    meaningful = scoring.meaningful_change
    unit = "metric points" if meaningful and meaningful.applies_to == "metric" else "points"
    rows = [
        ("People with an earlier score", now.paired_n, then.paired_n),
        ("Mean change", now.mean_change, then.mean_change),
    ]
    if not maths.reports_reliable_change(instrument):
        label = "Share who improved"
        if meaningful:
            label = f"Share who improved by {meaningful.points:g} or more {unit}"
            if scoring.reliable_change:
                label += " (beyond measurement error)"
        return [*rows, (label, share(now.meaningful), share(then.meaningful))]
    if meaningful:
        rows.append(
            (
                f"Share with meaningful improvement ({meaningful.points:g} or more {unit})",
                share(now.meaningful),
                share(then.meaningful),
            )
        )
    beyond = f"more than {scoring.reliable_change.difference_threshold:.1f} {unit}"
    rows += [
        (
            f"Share with reliable improvement ({beyond})",
            share(now.reliable_improvement),
            share(then.reliable_improvement),
        ),
        (
            f"Share with reliable deterioration ({beyond})",
            share(now.reliable_deterioration),
            share(then.reliable_deterioration),
        ),
    ]
    return rows


def scale_section(ids, period, before, instrument, rule, draw, charts, parent=None) -> Section:
    now, then = (scale_figures(ids, p, instrument, rule, parent) for p in (period, before))
    scale = "metric score" if instrument.scoring.conversion else "score"
    young = maths.is_young_people(_ages(ids, (period, before), instrument))
    compared = maths.comparator(instrument, young)
    norm = compared.norm if compared else None
    number = (Column("Measure"), Column(period.label, NUMBER), Column(before.label, NUMBER))
    scores = Table(
        key=f"{instrument.id}-scores",
        caption=f"{instrument.title(LOCALE)}: {scale}s",
        columns=number,
        rows=(
            ("People", now.n, then.n),
            ("Mean", now.mean, then.mean),
            ("95% confidence interval, lower", now.ci_low, then.ci_low),
            ("95% confidence interval, upper", now.ci_high, then.ci_high),
            ("Standard deviation", now.sd, then.sd),
        ),
        note=compared.note(young) if compared else "",
    )
    expected = maths.expected_band_shares(instrument, norm) if norm else None
    band_names = {
        band.key: f"{instrument.band_label(band.key, LOCALE)} (indicative)"
        for band in instrument.scoring.bands
    }
    band_rows = []
    for band in instrument.scoring.bands:
        band_rows.append(
            (
                band_names[band.key],
                None if now.bands.withheld else now.bands.cells.get(band.key),
                now.bands.share(band.key),
                then.bands.share(band.key),
                expected[band.key] if expected else None,
            )
        )
    expected_label = f"Expected among {compared.group}" if compared else "Expected"
    bands = Table(
        key=f"{instrument.id}-bands",
        caption=f"{instrument.title(LOCALE)}: indicative bands",
        columns=(
            Column("Band"),
            Column(f"People, {period.label}", COUNT),
            Column(f"Share, {period.label}", SHARE),
            Column(f"Share, {before.label}", SHARE),
            Column(expected_label, SHARE),
        ),
        rows=tuple(band_rows),
        note="Bands are indicative, not a diagnosis.",
    )
    change = Table(
        key=f"{instrument.id}-change",
        caption=f"{instrument.title(LOCALE)}: change from first to latest score",
        columns=(Column("Measure"), Column(period.label, NUMBER), Column(before.label, NUMBER)),
        rows=tuple(_change_rows(instrument, now, then)),
    )
    test_rows = []
    for label, figures in ((period.label, now), (before.label, then)):
        if figures.test is None:
            test_rows.append((label, TOO_FEW_TO_TEST, None, None, None))
        else:
            t = figures.test
            test_rows.append(
                (label, "paired t-test", round(t.mean_difference, 2), round(t.t, 2), t.p)
            )
    test = Table(
        key=f"{instrument.id}-test",
        caption=f"{instrument.title(LOCALE)}: is the change more than chance?",
        short=f"{instrument.title(LOCALE)}: change beyond chance",
        columns=(
            Column("Period"),
            Column("Test"),
            Column("Mean difference", NUMBER),
            Column("t", NUMBER),
            Column("p", P_VALUE),
        ),
        rows=tuple(test_rows),
        note=f"Tested only when at least {MIN_PEOPLE_FOR_TEST} people have two scores.",
    )
    drawn: tuple[Chart, ...] = ()
    if charts:
        from app.charts import bands as band_charts

        drawn = (
            draw(
                band_charts.means_chart,
                (
                    (period.label, now.mean, now.ci_low, now.ci_high),
                    (before.label, then.mean, then.ci_low, then.ci_high),
                ),
                scale_label=f"Mean {scale}",
                norm=norm.mean if norm else None,
                norm_label=f"Norm: {norm.population}" if norm else None,
            ),
            draw(
                band_charts.band_chart,
                tuple((b.key, band_names[b.key]) for b in instrument.scoring.bands),
                {b.key: now.bands.share(b.key) for b in instrument.scoring.bands},
                {b.key: then.bands.share(b.key) for b in instrument.scoring.bands},
                expected,
                current_label=period.label,
                previous_label=before.label,
                norm_label=expected_label if expected else None,
                title=f"{instrument.title(LOCALE)}: indicative bands",
            ),
        )
    return Section(
        key=instrument.id,
        title=instrument.title(LOCALE),
        tables=(scores, bands, change, test),
        charts=drawn,
        note=instrument.licence.notice if instrument.licence else "",
    )


__all__ = ["scale_figures", "scale_section"]
