"""Headline findings for young people, read from an evidence `Pack`. No Flask.

The pack is already suppressed by the one disclosure layer (`app.evidence`), so a finding
only ever repeats a figure the evidence pages publish: a hidden figure gives no finding.
Findings are language-neutral records (a key and numbers); the page words them in the
reader's language.

    {"key": "people", "count": 34, "before": 21}
    {"key": "few_people"}
    {"key": "felt_better", "instrument": "wemwbs", "share": 0.42}
    {"key": "wellbeing", "instrument": "wemwbs", "direction": "up"}
    {"key": "answer", "instrument": "service-feedback", "item": "safe", "value": "yes",
     "share": 0.7}
"""

from __future__ import annotations

from app.evidence.tables import Pack, Section, Table
from app.figures import is_suppressed

# A page for a 13-year-old: a few findings, not a report.
MOST_ANSWERS = 3
# Means closer than this (in score points) are "about the same".
SAME_WITHIN = 1.0
# The questions whose answers make a finding (a rating scale's "8 out of 10" does not).
ANSWER_KINDS = ("yes_no", "single_choice", "multiple_choice")


def _shown(value) -> bool:
    return value is not None and not is_suppressed(value) and not isinstance(value, str)


def _table(section: Section, key: str) -> Table | None:
    return next((table for table in section.tables if table.key == key), None)


def _row(table: Table | None, label: str) -> tuple | None:
    if table is None:
        return None
    return next((row for row in table.rows if row[0] == label), None)


def headline_findings(pack: Pack, registry) -> list[dict]:
    """A few findings, in order: how many answered, how they feel (scales), what most of
    them said (questionnaires)."""
    findings: list[dict] = []
    sections = {section.key: section for section in pack.sections}
    people = (
        _row(_table(sections["responses"], "responses"), "People")
        if "responses" in sections
        else None
    )
    if people is not None and _shown(people[1]):
        finding = {"key": "people", "count": int(people[1])}
        if _shown(people[2]):
            finding["before"] = int(people[2])
        findings.append(finding)
    else:
        findings.append({"key": "few_people"})
    answers: list[dict] = []
    for section in pack.sections:
        try:
            instrument = registry.get(section.key)
        except KeyError:
            continue
        if instrument.type == "scale":
            findings += _scale_findings(section, instrument)
        elif instrument.type == "questionnaire":
            answers += _answer_findings(section, instrument)
    return findings + answers[:MOST_ANSWERS]


def _scale_findings(section: Section, instrument) -> list[dict]:
    found = []
    better = _row(_table(section, f"{instrument.id}-change"), "Share with meaningful improvement")
    if better is not None and _shown(better[1]):
        found.append({"key": "felt_better", "instrument": instrument.id, "share": better[1]})
    mean = _row(_table(section, f"{instrument.id}-scores"), "Mean")
    if mean is not None and _shown(mean[1]) and _shown(mean[2]):
        difference = mean[1] - mean[2]
        direction = "same" if abs(difference) < SAME_WITHIN else "up" if difference > 0 else "down"
        found.append({"key": "wellbeing", "instrument": instrument.id, "direction": direction})
    return found


def _answer_findings(section: Section, instrument) -> list[dict]:
    found = []
    # Yes-or-no questions read most plainly, then single choices, then "choose up to 3".
    items = sorted(
        (item for item in instrument.items if item.kind in ANSWER_KINDS),
        key=lambda item: ANSWER_KINDS.index(item.kind),
    )
    for item in items:
        table = _table(section, f"{instrument.id}-{item.id}")
        if table is None:
            continue
        values = [value for value, _label in instrument.option_choices(item.id, "en")]
        # The rows are the answers in the instrument's order, then "People who answered".
        shares = [
            (row[2], value)
            for row, value in zip(table.rows, values, strict=False)
            if _shown(row[2])
        ]
        if not shares:
            continue
        # The largest share shown: a hidden answer may be larger, so the page never says
        # "most", only how many said this.
        share, value = max(shares, key=lambda pair: pair[0])
        if share <= 0:
            continue
        found.append(
            {
                "key": "answer",
                "instrument": instrument.id,
                "item": item.id,
                "value": value,
                "share": share,
            }
        )
    return found


__all__ = ["headline_findings"]
