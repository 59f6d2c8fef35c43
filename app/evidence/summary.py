"""The answer first: a one-page summary of an evidence `Pack`, in words, by rules. No Flask.

The summary is worked out from the pack's own tables, after suppression, so it can only
quote figures the page and every export already publish: a hidden cell ("fewer than 10")
is never read, and a line that would need it is left out. Each line names the table (or
section) it comes from, so the page can link to the detail.

    summarise(pack).parts[0].lines[0]   # Line("WEMWBS: 40% of the 30 people...", "table-...")

Rules, each a function below and tested on its own:
- people: how many answered, beside the period before (what changed);
- scales: mean score beside the period before (what changed); at least half improving
  meaningfully, or else a rise from first to latest score on average (going well); fewer
  than a quarter improving meaningfully, a fall on average, or a tenth or more reliably
  worse (concern);
- outcomes wheel: areas where people moved up on average (going well) or down (concern);
- visits: checklist items done on every visit answered (going well; one line for more
  than two) or on fewer than half (concern); characteristics rated at the top on every
  visit (going well) or at the bottom on any (concern); recommendations awaiting a reply or
  past their date (concern);
- contract measures: each measure's status (their own part); measures not met (concern);
- improvement: each open case and its unfinished and overdue actions (their own part);
- themes of written answers: the themes whose counts are published, most mentioned first.
A part with nothing to say says so in words; it is never blank.

The contract and improvement rules are in `app.evidence.summary_contracts`; the parts,
lines and readers of the pack's tables that every rule shares, in
`app.evidence.summary_reading`.
"""

from __future__ import annotations

from collections.abc import Callable

from app.evidence.summary_contracts import actions_rule, measures_rule
from app.evidence.summary_reading import (
    ACTIONS,
    CHANGES,
    CONCERNS,
    GOING_WELL,
    HEADINGS,
    MEASURES,
    THEMES,
    Found,
    Line,
    Part,
    Summary,
    cell_at,
    number,
    one_place,
    percent,
    row,
    signed,
    table,
    tables,
    whole,
)
from app.evidence.summary_reading import anchor as _anchor
from app.evidence.summary_reading import subject as _subject
from app.evidence.tables import Pack

# Shares of people with a meaningful improvement that read as good, or as a concern.
GOOD_IMPROVEMENT = 0.5
POOR_IMPROVEMENT = 0.25
# More checklist items than this done on every visit are said in one line.
MOST_LISTED = 2
# A share of people reliably worse that is a concern.
WORSE_CONCERN = 0.1
# The table of written-answer themes (`theme_section` in app.evidence.themes).
THEMES_TABLE = "written-themes"
OPEN_RECOMMENDATIONS = ("Awaiting reply", "Due date passed")
# The heading of a ratings table's column for "the panel did not see this" (not a rating).
NOT_SEEN = "Not seen by the panel"


# --- Rules -----------------------------------------------------------------------------------


def people_rule(pack: Pack) -> Found:
    """How many people answered, beside the period before."""
    people = row(table(pack, "responses"), "People")
    now, then = cell_at(people, 1), cell_at(people, 2)
    if now is None:
        return []
    anchor = _anchor("responses")
    if then is None:
        return [(CHANGES, Line(f"{whole(now)} people answered in {pack.period}.", anchor))]
    if now == then:
        words = f"{whole(now)} people answered, as many as in {pack.previous_period}."
    else:
        direction = "up" if now > then else "down"
        words = (
            f"{whole(now)} people answered, {direction} from {whole(then)} "
            f"in {pack.previous_period}."
        )
    return [(CHANGES, Line(words, anchor))]


def scale_rule(pack: Pack) -> Found:
    """Each scale's mean beside the period before, and its change from first to latest."""
    found: Found = []
    for scores in tables(pack):
        if not scores.key.endswith("-scores"):
            continue
        instrument = scores.key.removesuffix("-scores")
        name = _subject(scores)
        mean = row(scores, "Mean")
        now, then = cell_at(mean, 1), cell_at(mean, 2)
        if now is not None and then is not None:
            if one_place(now) == one_place(then):
                words = f"{name}: the mean score stayed at {one_place(now)}."
            else:
                direction = "rose" if now > then else "fell"
                words = (
                    f"{name}: the mean score {direction} from {one_place(then)} "
                    f"to {one_place(now)}."
                )
            found.append((CHANGES, Line(words, _anchor(scores.key))))
        change = table(pack, f"{instrument}-change")
        if change is None:
            continue
        anchor = _anchor(change.key)
        paired = cell_at(row(change, "People with an earlier score"), 1)
        improved = cell_at(row(change, "Share with meaningful improvement"), 1)
        mean_change = cell_at(row(change, "Mean change"), 1)
        worse = cell_at(row(change, "Share with reliable deterioration"), 1)
        of_whom = (
            f"of the {whole(paired)} people with an earlier score"
            if paired
            else "of people with an earlier score"
        )
        if improved is not None and improved >= GOOD_IMPROVEMENT:
            found.append(
                (
                    GOING_WELL,
                    Line(
                        f"{name}: {percent(improved)} {of_whom} improved meaningfully.",
                        anchor,
                    ),
                )
            )
        elif improved is not None and improved < POOR_IMPROVEMENT:
            found.append(
                (
                    CONCERNS,
                    Line(
                        f"{name}: only {percent(improved)} {of_whom} improved meaningfully.",
                        anchor,
                    ),
                )
            )
        if (
            mean_change is not None
            and round(mean_change, 1) > 0
            and not (improved is not None and improved >= GOOD_IMPROVEMENT)
        ):
            found.append(
                (
                    GOING_WELL,
                    Line(
                        f"{name}: scores rose on average from first to latest "
                        f"({signed(mean_change)}) for the {whole(paired)} people with an "
                        "earlier score."
                        if paired
                        else f"{name}: scores rose on average from first to latest "
                        f"({signed(mean_change)}).",
                        anchor,
                    ),
                )
            )
        if mean_change is not None and round(mean_change, 1) < 0:
            found.append(
                (
                    CONCERNS,
                    Line(
                        f"{name}: scores fell on average from first to latest "
                        f"({signed(mean_change)}).",
                        anchor,
                    ),
                )
            )
        if worse is not None and worse >= WORSE_CONCERN:
            found.append((CONCERNS, Line(f"{name}: {percent(worse)} got reliably worse.", anchor)))
    return found


def wheel_rule(pack: Pack) -> Found:
    """Outcomes-wheel areas where people moved up (or down) on average."""
    found: Found = []
    for distance in tables(pack):
        if not distance.key.endswith("-distance"):
            continue
        name = _subject(distance)
        anchor = _anchor(distance.key)
        changes = [(r[0], cell_at(r, 4)) for r in distance.rows]
        shown = [(area, c) for area, c in changes if c is not None]
        up = [(area, c) for area, c in shown if round(c, 1) > 0]
        down = [(area, c) for area, c in shown if round(c, 1) < 0]
        if up:
            best, most = max(up, key=lambda pair: pair[1])
            found.append(
                (
                    GOING_WELL,
                    Line(
                        f"{name}: people moved up on average in {len(up)} of "
                        f"{len(changes)} areas, most in {best} ({signed(most)}).",
                        anchor,
                    ),
                )
            )
        for area, c in down:
            found.append(
                (
                    CONCERNS,
                    Line(f"{name}: people moved down on average in {area} ({signed(c)}).", anchor),
                )
            )
    return found


def visits_rule(pack: Pack) -> Found:
    """Checklists, ratings and recommendations of the period's finalised visits."""
    found: Found = []
    for t in tables(pack):
        anchor = _anchor(t.key)
        if t.key.endswith("-checklist"):
            every = []
            for r in t.rows:
                done, answered = cell_at(r, 1), cell_at(r, 2)
                if not answered or done is None:
                    continue
                quoted = f"\u201c{r[0]}\u201d done on {whole(done)} of {whole(answered)} visits"
                if done == answered:
                    every.append(Line(f"Mystery shops: {quoted}.", anchor))
                elif done * 2 < answered:
                    found.append((CONCERNS, Line(f"Mystery shops: {quoted}.", anchor)))
            if len(every) > MOST_LISTED:
                # A long list of things done reads as a printout: one line says it.
                words = (
                    f"Mystery shops: {len(every)} of the {len(t.rows)} checklist questions "
                    "were done on every visit the panel answered them for."
                )
                every = [Line(words, anchor)]
            found.extend((GOING_WELL, line) for line in every)
        elif t.key.endswith("-ratings") and len(t.columns) > 2:
            group = t.caption.split(":")[0].strip()
            scale = [i for i, c in enumerate(t.columns) if i and c.heading != NOT_SEEN]
            best, worst = t.columns[scale[-1]].heading, t.columns[scale[0]].heading
            for r in t.rows:
                counts = [cell_at(r, i) or 0 for i in scale]
                rated = int(sum(counts))
                if not rated:
                    continue
                if counts[-1] == rated:
                    found.append(
                        (
                            GOING_WELL,
                            Line(
                                f"{group}: \u201c{r[0]}\u201d rated {best} on "
                                f"{_visits(rated, every=True)}.",
                                anchor,
                            ),
                        )
                    )
                elif counts[0]:
                    found.append(
                        (
                            CONCERNS,
                            Line(
                                f"{group}: \u201c{r[0]}\u201d rated {worst} on "
                                f"{_visits(int(counts[0]))}.",
                                anchor,
                            ),
                        )
                    )
        elif t.key == "recommendations":
            waiting = sum(1 for r in t.rows if r[-1] in OPEN_RECOMMENDATIONS)
            late = sum(1 for r in t.rows if r[-1] == "Due date passed")
            if waiting:
                words = (
                    f"{waiting} recommendation{'s' if waiting != 1 else ''} from visits "
                    f"{'are' if waiting != 1 else 'is'} waiting for the provider"
                    + (f", {late} past {'their' if late != 1 else 'its'} date" if late else "")
                    + "."
                )
                found.append((CONCERNS, Line(words, anchor)))
    return found


def _visits(n: int, every: bool = False) -> str:
    if every:
        return "the one visit" if n == 1 else f"all {n} visits"
    return f"{n} visit{'s' if n != 1 else ''}"


def themes_rule(pack: Pack) -> Found:
    """The themes of written answers whose counts are published, most mentioned first."""
    themes = table(pack, THEMES_TABLE)
    if themes is None:
        return []
    shown = sorted(
        ((r[0], number(r[1])) for r in themes.rows if number(r[1])),
        key=lambda pair: (-pair[1], pair[0]),
    )
    found: Found = [
        (THEMES, Line(f"{name}: {whole(count)} written answers.", _anchor(themes.key)))
        for name, count in shown
    ]
    if not found:
        found.append(
            (
                THEMES,
                Line(
                    "Themes have been marked, but each was given to too few answers to count.",
                    _anchor(themes.key),
                ),
            )
        )
    return found


RULES: tuple[Callable[[Pack], Found], ...] = (
    people_rule,
    scale_rule,
    wheel_rule,
    visits_rule,
    measures_rule,
    actions_rule,
    themes_rule,
)


def _empty(key: str, pack: Pack) -> str:
    """What a part with nothing to say says."""
    if key == MEASURES:
        return "No contract measures cover this page."
    if key == ACTIONS:
        return "No open improvement actions."
    figures = [s for s in pack.sections if s.key not in ("contract", "improvement")]
    if not figures:
        return "No figures yet for this period."
    if key == GOING_WELL:
        return "Nothing in the figures shown for this period stands out as going well."
    if key == CONCERNS:
        return "Nothing in the figures shown for this period stands out as a concern."
    return f"No figures from {pack.previous_period} to compare with."


def summarise(pack: Pack) -> Summary:
    """The summary of `pack`: what is going well, what is of concern, what changed since the
    last period, the contract's measures, open improvement actions and (where themes have
    been marked) what people wrote about. Every part has at least one line."""
    found: Found = [item for rule in RULES for item in rule(pack)]
    keys = [GOING_WELL, CONCERNS, CHANGES, MEASURES, ACTIONS]
    if table(pack, THEMES_TABLE) is not None:
        keys.append(THEMES)
    parts = []
    for key in keys:
        lines = tuple(line for part, line in found if part == key)
        parts.append(Part(key, HEADINGS[key], lines or (Line(_empty(key, pack)),)))
    return Summary(tuple(parts))


__all__ = ["HEADINGS", "Line", "Part", "Summary", "summarise"]
