"""The responses section: responses and people, completion, languages and modes.

Counts come from `app.evidence.queries`; every figure is suppressed by the small-numbers
rule, and against the parent view when there is one (`app.evidence.disclosure`).
"""

from __future__ import annotations

from dataclasses import replace

from app.evidence import inventory, queries
from app.evidence.completion import completion
from app.evidence.disclosure import against_parent, family_table, linked_rows
from app.evidence.tables import COUNT, SHARE, Column, Section, Table
from app.evidence.words import MODE_NAMES, PROVENANCE_NAMES, language_name
from app.figures import Figure, Row, Suppressed
from app.models import Campaign, Response

# A languages table's categories: each language with the provenance of its wording.
LANGUAGE_COLUMNS = (Response.language, Response.text_provenance)


def responses_section(
    ids, period, before, rule, parent=None
) -> tuple[Section, list[tuple[str, str]]]:
    both = [response_figures(ids, p, rule, parent) for p in (period, before)]
    columns = (Column("Measure"), Column(period.label, COUNT), Column(before.label, COUNT))
    counts = Table(
        key="responses",
        caption="Responses and people",
        columns=columns,
        rows=(
            ("Responses", both[0]["responses"], both[1]["responses"]),
            ("People", both[0]["people"], both[1]["people"]),
        ),
    )
    rates = [figures["completion"] for figures in both]
    completion_table = Table(
        key="completion",
        caption="Completion rate (complete responses as a share of all responses)",
        columns=(Column("Measure"), Column(period.label, SHARE), Column(before.label, SHARE)),
        rows=(("Completion rate", rates[0].rate, rates[1].rate),),
        note=" ".join(
            f"{label}: {rate.words}."
            for label, rate in zip((period.label, before.label), rates, strict=True)
            if rate.words
        ),
    )
    languages = _row_table(
        "languages",
        "Languages used (responses)",
        "Language",
        both[0]["languages"],
        both[1]["languages"],
        lambda key: f"{language_name(key[0])} ({PROVENANCE_NAMES.get(key[1], key[1])})",
        period,
        before,
    )
    modes = _row_table(
        "modes",
        "How people answered (responses)",
        "Mode",
        both[0]["modes"],
        both[1]["modes"],
        lambda key: MODE_NAMES.get(key, key),
        period,
        before,
    )
    facts = [
        ("Responses in the period", _text(both[0]["responses"])),
        ("People in the period", _text(both[0]["people"])),
        (
            "Languages",
            ", ".join(
                sorted(
                    {
                        # Only languages with a published count: naming a hidden one would
                        # say it is not 0.
                        language_name(key[0])
                        for row in (both[0]["languages"], both[1]["languages"])
                        if not row.withheld
                        for key, value in row.cells.items()
                        if not isinstance(value, Suppressed) and value
                    }
                )
            )
            or "none",
        ),
    ]
    section = Section(
        key="responses",
        title="Responses",
        # A breakdown with no rows at all would say that nobody answered, and one with
        # nothing to show (withheld, or every total hidden) only which categories there
        # were: left out.
        tables=(
            counts,
            completion_table,
            *(
                t
                for t in (languages, modes)
                if any(v is not None for row in t.rows[:-1] for v in row[1:])
            ),
        ),
    )
    return section, facts


def response_figures(ids, period, rule, parent=None) -> dict:
    """Responses, people, completion rate, languages (with provenance) and modes for some
    services (or a filtered `View`) in one period, suppressed (against `parent` too)."""
    scope = queries.scope_of(ids, period)
    summary = queries.response_summary(scope)
    languages = queries.counts_by(scope, *LANGUAGE_COLUMNS)
    modes = {k[0]: v for k, v in queries.counts_by(scope, Response.mode).items()}
    figures = {
        "responses": rule.count(summary.responses, summary.people),
        "people": rule.count(summary.people),
        "languages": _people_row(rule, languages, summary.responses),
        "modes": _people_row(rule, modes, summary.responses),
    }
    if parent and len(ids) == 1 and not getattr(ids, "filtered", False):
        # One service beside its siblings: languages and modes come from the family's
        # linked tables, so no sibling's page or the provider's reveals a hidden cell here.
        for key, columns in (("languages", LANGUAGE_COLUMNS), ("modes", (Response.mode,))):
            figures[key] = _family_row(ids, period, rule, parent, columns)
    figures["completion"] = completion(
        summary.complete,
        summary.responses,
        summary.people,
        rule,
        protected=len(ids) == 1 and _protected(tuple(ids)[0], period, rule),
    )
    if parent and getattr(ids, "filtered", False):
        whole = queries.scope_of(parent, period)
        total = queries.response_summary(whole).responses
        linked = [
            ("modes", modes, {k[0]: v for k, v in queries.counts_by(whole, Response.mode).items()})
        ]
        # In one language's view the rest has none of that language's responses, by
        # definition: nothing to subtract, so the languages row is suppressed on its own.
        if getattr(ids, "language", None) is None:
            linked.append(
                (
                    "languages",
                    languages,
                    queries.counts_by(whole, *LANGUAGE_COLUMNS),
                )
            )
        for key, own, of_all in linked:
            figures[key] = against_parent(
                rule,
                {k: c.responses for k, c in of_all.items()},
                total,
                {k: c.responses for k, c in own.items()},
                summary.responses,
                people={k: c.people for k, c in own.items()},
                people_total=summary.people,
            )
    if isinstance(figures["responses"], Suppressed):
        # A breakdown's total is the page's count of responses: hidden there, it is hidden
        # here too (and the breakdown with it), not given beside the hidden count.
        for key in ("languages", "modes"):
            figures[key] = replace(figures[key], total=figures["responses"])
    return figures


def _family_row(ids, period, rule, parent, columns) -> Row:
    """One service's row of the family table (siblings x categories of `columns`)."""
    counts = queries.counts_by(queries.scope_of(parent, period), Campaign.service_id, *columns)
    category = (lambda k: k[1:]) if len(columns) > 1 else (lambda k: k[1])
    # Every sibling a row and every category a column, 0 where there is none: the
    # categories a page lists then say nothing about who answered.
    table = family_table({(k[0], category(k)): c.responses for k, c in counts.items()}, parent)
    people = {(k[0], category(k)): c.people for k, c in counts.items()}
    rows = linked_rows(table, rule, people={k: people.get(k, 0) for k in table})
    return rows.get(tuple(ids)[0]) or rule.row({}, 0)


def shown_languages(ids, periods, rule, parent=None) -> set[str]:
    """The languages whose every cell the languages table of an unfiltered view (`ids`
    beside `parent`) shows in each of `periods`. A language's own view publishes its
    count, so only these may be offered as a filter: the table may hide a language that
    is not small to protect one that is, and its view must not give it back."""
    shown, hidden = set(), set()
    for period in periods:
        scope = queries.scope_of(ids, period)
        summary = queries.response_summary(scope)
        if rule.hides(summary.people):
            # Too few people in the whole for any language of it to be shown on its own.
            continue
        if parent and len(ids) == 1:
            row = _family_row(ids, period, rule, parent, LANGUAGE_COLUMNS)
        else:
            row = _people_row(rule, queries.counts_by(scope, *LANGUAGE_COLUMNS), summary.responses)
        if row.withheld or isinstance(row.total, Suppressed):
            return set()
        # A language with no responses in one period is shown there as 0.
        for (language, _provenance), value in row.cells.items():
            (hidden if isinstance(value, Suppressed) else shown).add(str(language))
    return shown - hidden


def _protected(service_id: int, period, rule) -> bool:
    """Whether a service's completion rate (in any view of it) is hidden for its siblings'
    sake: complete and unfinished responses of each sibling form a linked table under the
    provider's, and the rate goes where the table hides one of the service's cells that is
    not itself small (or withholds its row). A cell hidden because it is small is said in
    words instead (`app.evidence.completion`)."""
    family = inventory.family_of(service_id)
    if len(family) < 2:
        return False
    counts = queries.counts_by(
        queries.scope_of(family, period), Campaign.service_id, Response.complete
    )
    # Every service a row, complete and unfinished its columns, 0 where there are none.
    table = family_table(
        {(k[0], bool(k[1])): c.responses for k, c in counts.items()}, family, (True, False)
    )
    people = {(k[0], bool(k[1])): c.people for k, c in counts.items()}
    row = linked_rows(table, rule, people={key: people.get(key, 0) for key in table}).get(
        service_id
    )
    if row is None or row.withheld:
        return True
    own_small = any(rule.hides(table[service_id, column]) for column in (True, False))
    return bool(row.hidden()) and not own_small


def _people_row(rule, counts, total) -> Row:
    return rule.row(
        {key: count.responses for key, count in counts.items()},
        total,
        people={key: count.people for key, count in counts.items()},
    )


def _row_table(key, caption, heading, current: Row, earlier: Row, name, period, before) -> Table:
    keys = sorted(set(current.cells) | set(earlier.cells), key=lambda k: name(k))

    def cell(row: Row, k):
        # A period whose total is hidden leaves its breakdown blank: which categories it
        # lists, beside another page's list for the same period, would tell a hidden 0.
        if row.withheld or isinstance(row.total, Suppressed):
            return None
        return row.cells.get(k, 0)

    return Table(
        key=key,
        caption=caption,
        columns=(Column(heading), Column(period.label, COUNT), Column(before.label, COUNT)),
        rows=tuple((name(k), cell(current, k), cell(earlier, k)) for k in keys)
        + (("Total", current.total, earlier.total),),
    )


def _text(value: Figure) -> str:
    return str(value)


__all__ = ["response_figures", "responses_section"]
