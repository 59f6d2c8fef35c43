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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.evidence.tables import Pack, Table
from app.figures import is_suppressed

GOING_WELL = "going-well"
CONCERNS = "concerns"
CHANGES = "changes"
MEASURES = "measures"
ACTIONS = "actions"
THEMES = "themes"
HEADINGS = {
    GOING_WELL: "What is going well",
    CONCERNS: "What is of concern",
    CHANGES: "What changed since the last period",
    MEASURES: "Contract measures",
    ACTIONS: "Open improvement actions",
    THEMES: "What people wrote about",
}

# Shares of people with a meaningful improvement that read as good, or as a concern.
GOOD_IMPROVEMENT = 0.5
POOR_IMPROVEMENT = 0.25
# More checklist items than this done on every visit are said in one line.
MOST_LISTED = 2
# A share of people reliably worse that is a concern.
WORSE_CONCERN = 0.1
# The table of written-answer themes (`theme_section` in app.evidence.themes).
THEMES_TABLE = "written-themes"
UNFINISHED_ACTIONS = ("Not started", "In progress")
OPEN_RECOMMENDATIONS = ("Awaiting reply", "Due date passed")
MEASURE_NOT_MET = "Not met"
# The order a contract's measures are counted in, by status.
STATUS_ORDER = ("Met", "Close", MEASURE_NOT_MET, "Not enough data")
# A contract's measures table is captioned "<reference> <title>: measures and targets, <period>".
CONTRACT_CAPTION = ": measures and targets"
# The heading of a ratings table's column for "the panel did not see this" (not a rating).
NOT_SEEN = "Not seen by the panel"


@dataclass(frozen=True)
class Line:
    """One sentence of the summary and where its detail is (an id on the page, or "")."""

    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Summary:
    parts: tuple[Part, ...]

    def part(self, key: str) -> Part | None:
        return next((part for part in self.parts if part.key == key), None)


Found = list[tuple[str, Line]]  # (part key, line)


# --- Reading the pack ------------------------------------------------------------------------


def tables(pack: Pack) -> Iterable[Table]:
    for section in pack.sections:
        yield from section.tables


def table(pack: Pack, key: str) -> Table | None:
    return next((t for t in tables(pack) if t.key == key), None)


def row(t: Table | None, label: str):
    if t is None:
        return None
    return next((r for r in t.rows if r[0] == label), None)


def number(cell) -> float | None:
    """A published number, or None for a hidden, blank or text cell."""
    if cell is None or isinstance(cell, str | bool) or is_suppressed(cell):
        return None
    return float(cell)


def cell_at(r, index: int) -> float | None:
    return number(r[index]) if r is not None and len(r) > index else None


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def one_place(value: float) -> str:
    return f"{value:.1f}"


def signed(value: float) -> str:
    return f"+{value:.1f}" if value > 0 else f"{value:.1f}".replace("-", "\u2212")


def whole(value: float) -> str:
    return f"{int(round(value)):,}"


def _subject(t: Table) -> str:
    """The instrument's title from a caption such as "WEMWBS: metric scores"."""
    return t.caption.split(":")[0].strip()


def _anchor(key: str) -> str:
    return f"table-{key}"


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


def measures_rule(pack: Pack) -> Found:
    """The contract's measures with their status and value, and a concern for those not
    met. A page or pack under several contracts gives one line per contract (how many of
    its measures are met, not met or short of data) and names each measure not met with its
    contract, so the summary stays a page long and every line says which contract it is."""
    contracts = [t for t in tables(pack) if t.key.startswith("contract-")]
    if len(contracts) > 1:
        return _several_contracts(contracts)
    found: Found = []
    not_met = total = 0
    for t in contracts:
        for measure, value, target, status, _reason in t.rows:
            total += 1
            not_met += status == MEASURE_NOT_MET
            found.append(
                (
                    MEASURES,
                    Line(f"{measure}: {status.lower()} ({_shown(value, target)}).", _anchor(t.key)),
                )
            )
    if not_met:
        found.append(
            (
                CONCERNS,
                Line(
                    f"{not_met} of the contract's {total} measures "
                    f"{'are' if not_met != 1 else 'is'} not met.",
                    "section-contract",
                ),
            )
        )
    return found


def _shown(value: object, target: object) -> str:
    # A value in words ("not enough data", "fewer than 10") is said by the status.
    figure = bool(value) and str(value)[0].isdigit()
    return f"{value} against a target of {target}" if figure else f"target {target}"


def contract_name(t: Table) -> str:
    """The contract a measures table is for ("CYP-1 Youth work"), from its caption."""
    return t.caption.partition(CONTRACT_CAPTION)[0]


def _several_contracts(contracts: list[Table]) -> Found:
    found: Found = []
    for t in contracts:
        name, anchor = contract_name(t), _anchor(t.key)
        counts: dict[str, int] = {}
        for _measure, _value, _target, status, _reason in t.rows:
            counts[status] = counts.get(status, 0) + 1
        order = [s for s in STATUS_ORDER if s in counts] + [
            s for s in counts if s not in STATUS_ORDER
        ]
        parts = [f"{counts[status]} {status.lower()}" for status in order]
        total = len(t.rows)
        found.append(
            (
                MEASURES,
                Line(
                    f"{name}: {total} measure{'s' if total != 1 else ''}"
                    + (f", {_listed(parts)}." if parts else "."),
                    anchor,
                ),
            )
        )
        for measure, value, target, status, _reason in t.rows:
            if status == MEASURE_NOT_MET:
                found.append(
                    (
                        CONCERNS,
                        Line(f"{name}: {measure} not met ({_shown(value, target)}).", anchor),
                    )
                )
    return found


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def actions_rule(pack: Pack) -> Found:
    """Each open improvement case with its unfinished and overdue actions."""
    cases = table(pack, "improvement-cases")
    if cases is None:
        return []
    unfinished: dict[tuple[str, str], int] = {}
    actions = table(pack, "improvement-actions")
    for contract, case, _owner, status, count in actions.rows if actions else ():
        if status in UNFINISHED_ACTIONS and number(count):
            unfinished[(contract, case)] = unfinished.get((contract, case), 0) + int(count)
    found: Found = []
    for contract, case, status, plan, overdue, _evaluation in cases.rows:
        if not str(status).startswith("Open"):
            continue
        open_actions = unfinished.get((contract, case), 0)
        late = int(number(overdue) or 0)
        words = f"{case} ({contract}): action plan {str(plan)[0].lower()}{str(plan)[1:]}; "
        words += f"{open_actions} action{'s' if open_actions != 1 else ''} open"
        words += f", {late} overdue." if late else "."
        found.append((ACTIONS, Line(words, _anchor(cases.key))))
        if late:
            found.append(
                (
                    CONCERNS,
                    Line(
                        f"{late} improvement action{'s' if late != 1 else ''} overdue on "
                        f"\u201c{case}\u201d.",
                        _anchor(cases.key),
                    ),
                )
            )
    return found


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
