"""The answers to a closed question of a questionnaire: people per answer, as bars. No Flask.

    distribution_chart(options, counts, answered=...)

Tables hold text as the page shows it, with the row's key last (see `app.charts.layout`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from matplotlib.ticker import MaxNLocator

from app.charts import (
    Chart,
    Translations,
    english,
    render_svg,
)
from app.charts.layout import (
    COUNT_BAR,
    PEOPLE,
    RIGHT_TIGHT,
    _bar,
    _cell,
    _count,
    _hidden_sentence,
    _Layout,
    _percent,
    _sentence_only,
    _shown,
    _worded,
    mostly_hidden,
)
from app.figures import Suppressed

# Answers to a closed question
DISTRIBUTION_LEAD = (
    "Bar chart of the answers of %(num)d person.",
    "Bar chart of the answers of %(num)d people.",
)
DISTRIBUTION_LEAD_HIDDEN = (
    "Bar chart of the answers of fewer than %(num)d person.",
    "Bar chart of the answers of fewer than %(num)d people.",
)
DISTRIBUTION_MOST = (
    "Most chosen: %(option)s, by %(num)d person (%(share)s).",
    "Most chosen: %(option)s, by %(num)d people (%(share)s).",
)
DISTRIBUTION_MOST_NO_SHARE = (
    "Most chosen: %(option)s, by %(num)d person.",
    "Most chosen: %(option)s, by %(num)d people.",
)
DISTRIBUTION_TIED = (
    "Most chosen, equally: %(options)s, by %(num)d person each.",
    "Most chosen, equally: %(options)s, by %(num)d people each.",
)
DISTRIBUTION_COLUMNS = ("Answer", "People", "Share")

MESSAGES = (
    DISTRIBUTION_LEAD,
    DISTRIBUTION_LEAD_HIDDEN,
    DISTRIBUTION_MOST,
    DISTRIBUTION_MOST_NO_SHARE,
    DISTRIBUTION_TIED,
    *DISTRIBUTION_COLUMNS,
)


class AnswerRow(NamedTuple):
    answer: str
    people: str
    share: str
    value: str


def distribution_chart(
    options: Sequence[tuple[str, str]],
    counts: Mapping[str, int | Suppressed | None],
    *,
    answered: int | Suppressed,
    title: str | None = None,
    translations: Translations | None = None,
) -> Chart:
    """How many people chose each answer, as horizontal bars labelled "23 (46%)".

    `options` are (value, label) in the order the question shows them; `counts` maps a
    value to a count or `Suppressed`; `answered` is how many people answered the question
    (shares are of it, so for a multiple-choice question they may add up to more than
    100%). Table rows: (answer, people, share, value).
    """
    words = translations or english()
    base = answered if _shown(answered) and answered > 0 else None
    table = tuple(
        AnswerRow(
            answer=label,
            people=_cell(words, counts.get(value), _count),
            share=_answer_share(words, counts.get(value), base),
            value=value,
        )
        for value, label in options
    )
    columns = tuple(words.gettext(column) for column in DISTRIBUTION_COLUMNS)
    sentences = _distribution_alt_text(options, counts, answered, base, words)
    values = [counts.get(value) for value, _ in options]
    if mostly_hidden(values):
        return _sentence_only(words, title, sentences, values, table, columns)
    layout = _Layout(
        [label for _, label in options],
        per_group=1,
        title=title,
        legend=[],
        xlabel=words.gettext(PEOPLE),
        right=RIGHT_TIGHT,
    )
    axes = layout.axes
    shown = [counts[value] for value, _ in options if _shown(counts.get(value))]
    most = max(shown, default=0)
    # Room past the longest bar for its label, which stays inside the axes.
    axes.set_xlim(0, max(most, 1) * 1.45)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))

    def label(count):
        return f"{_count(count)} ({_percent(count / base)})" if base else _count(count)

    for (value, _), (y,) in zip(options, layout.slots, strict=True):
        _bar(layout, words, counts.get(value), y, COUNT_BAR, label)
    figure = layout.finish()
    lead, alt_text = _worded(title, sentences)
    return Chart(
        svg=render_svg(figure),
        alt_text=alt_text,
        lead=lead,
        table=table,
        columns=columns,
        figure=figure,
    )


def _answer_share(words, count, base) -> str:
    if _shown(count):
        return _percent(count / base) if base else ""
    return _cell(words, count, _count)


def _distribution_alt_text(options, counts, answered, base, words) -> str:
    if isinstance(answered, Suppressed):
        lead = words.ngettext(*DISTRIBUTION_LEAD_HIDDEN, answered.threshold)
        sentences = [lead % {"num": answered.threshold}]
    else:
        sentences = [words.ngettext(*DISTRIBUTION_LEAD, answered) % {"num": answered}]
    shown = [(counts[value], label) for value, label in options if _shown(counts.get(value))]
    most = max((count for count, _ in shown), default=0)
    if most > 0:
        chosen = [label for count, label in shown if count == most]
        if len(chosen) > 1:
            sentences.append(
                words.ngettext(*DISTRIBUTION_TIED, most)
                % {"options": ", ".join(chosen), "num": most}
            )
        elif base:
            sentences.append(
                words.ngettext(*DISTRIBUTION_MOST, most)
                % {"option": chosen[0], "num": most, "share": _percent(most / base)}
            )
        else:
            sentences.append(
                words.ngettext(*DISTRIBUTION_MOST_NO_SHARE, most)
                % {"option": chosen[0], "num": most}
            )
    hidden = [
        (counts[value], label)
        for value, label in options
        if isinstance(counts.get(value), Suppressed)
    ]
    sentences.extend(_hidden_sentence(words, hidden))
    return sentences
