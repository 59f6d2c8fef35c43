"""A questionnaire's simple routing: a page skipped when an earlier answer says it does not
apply ("skip this page if the answer was No"), written in an instrument file as

    pages:
      - [item_a, item_b]                      # a plain page
      - items: [item_c, item_d]               # a page with a rule
        skip_if: {item: item_a, answer: "no"} # skipped when item_a's answer is "no"

Everything that walks a questionnaire asks here which pages are shown for the answers so
far: the respondent's pages and their "back" links, the check page, progress ("page 2 of
3"), completeness and the answers kept. A skipped page's questions were not asked, so they
are not required and their answers are not kept. Pure: no Flask, no database.

The loader's checks for a file's rules (`check_rules`) are here too: a rule names an item on
an earlier page and one of that item's answers, and only a questionnaire may route (a
scale's score needs every item).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.instruments.checking import Checker, option_value
from app.instruments.model import Instrument, Item, SkipRule

# Item kinds whose answer can skip a page: those with a fixed set of answers.
ROUTING_KINDS = ("single_choice", "multiple_choice", "yes_no", "rating_scale")
ROUTING_TYPE = "questionnaire"


# --- Pages shown for the answers so far -----------------------------------------------------


def skipped_pages(instrument: Instrument, answers: Mapping[str, Any]) -> frozenset[int]:
    """Page numbers (from 1) skipped by the answers so far.

    Pages are taken in order, so a rule whose item is itself on a skipped page finds no
    answer there (it was not asked) and does not skip its page.
    """
    if not instrument.page_rules:
        return frozenset()
    skipped: set[int] = set()
    asked: set[str] = set()
    for number, (page, rule) in enumerate(
        zip(instrument.pages, instrument.page_rules, strict=True), start=1
    ):
        if rule is not None and rule.item in asked and rule.applies(answers.get(rule.item)):
            skipped.add(number)
        else:
            asked.update(page)
    return frozenset(skipped)


def shown_pages(instrument: Instrument, answers: Mapping[str, Any]) -> list[int]:
    """Page numbers shown for these answers, in order."""
    skipped = skipped_pages(instrument, answers)
    return [n for n in range(1, instrument.page_count + 1) if n not in skipped]


def is_skipped(instrument: Instrument, page: int, answers: Mapping[str, Any]) -> bool:
    return page in skipped_pages(instrument, answers)


def next_page(instrument: Instrument, page: int, answers: Mapping[str, Any]) -> int | None:
    """The first page after `page` that is shown; None when the check page comes next."""
    return next((n for n in shown_pages(instrument, answers) if n > page), None)


def previous_page(instrument: Instrument, page: int, answers: Mapping[str, Any]) -> int | None:
    """The last page before `page` that is shown; None when there is none."""
    return next((n for n in reversed(shown_pages(instrument, answers)) if n < page), None)


def last_page(instrument: Instrument, answers: Mapping[str, Any]) -> int:
    """The last page shown, where "back" from the check page goes."""
    shown = shown_pages(instrument, answers)
    return shown[-1] if shown else instrument.page_count


def progress(instrument: Instrument, page: int, answers: Mapping[str, Any]) -> tuple[int, int]:
    """(position, count) for "page 2 of 3": counting only the pages shown."""
    shown = shown_pages(instrument, answers)
    position = sum(1 for n in shown if n <= page)
    return max(position, 1), max(len(shown), 1)


def asked_items(instrument: Instrument, answers: Mapping[str, Any]) -> list[Item]:
    """The items on the pages shown: the questions these answers were asked."""
    skipped = skipped_pages(instrument, answers)
    if not skipped:
        return list(instrument.items)
    not_asked = {i for n in skipped for i in instrument.pages[n - 1]}
    return [item for item in instrument.items if item.id not in not_asked]


def without_skipped(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without those on pages now skipped (a changed earlier answer may skip a
    page already answered: what was given there is no longer kept)."""
    skipped = skipped_pages(instrument, answers)
    if not skipped:
        return dict(answers)
    not_asked = {i for n in skipped for i in instrument.pages[n - 1]}
    return {k: v for k, v in answers.items() if k not in not_asked}


# --- Checking a file's rules ----------------------------------------------------------------


def read_page(raw: Any) -> tuple[Any, Any]:
    """(item ids, skip_if) of one page as written: a list, or a mapping with a rule."""
    if isinstance(raw, dict):
        return raw.get("items"), raw.get("skip_if")
    return raw, None


def check_rules(
    checker: Checker,
    kind: str | None,
    raw_pages: list,
    placed: Mapping[str, int],
    items: list[Item],
) -> tuple[SkipRule | None, ...]:
    """Each page's rule (None where it has none), recording a problem for any rule that
    breaks one; empty when no page has a rule. `placed` is the page each item is on."""
    by_id = {item.id: item for item in items}
    rules: list[SkipRule | None] = []
    for index, raw in enumerate(raw_pages):
        _, skip_if = read_page(raw)
        rule = None
        if skip_if is not None:
            rule = _rule(checker, kind, skip_if, f"pages[{index}].skip_if", index + 1, placed,
                         by_id)  # fmt: skip
        rules.append(rule)
    return tuple(rules) if any(rules) else ()


def _rule(
    checker: Checker,
    kind: str | None,
    skip_if: Any,
    path: str,
    number: int,
    placed: Mapping[str, int],
    by_id: Mapping[str, Item],
) -> SkipRule | None:
    if not isinstance(skip_if, dict) or checker.broken(path):
        return None  # named by the schema
    if kind != ROUTING_TYPE:
        checker.problem(
            path,
            f"only a questionnaire may skip pages: a {kind or 'file of this type'} is answered "
            "in full (a scale's score needs every item)",
        )
        return None
    item_id, answer = skip_if.get("item"), option_value(skip_if.get("answer"))
    item = by_id.get(item_id)
    if item is None:
        if item_id in placed or not isinstance(item_id, str):
            return None  # the item itself is faulty, and named where it is declared
        checker.problem(f"{path}.item", f"unknown item {item_id!r}")
        return None
    on = placed.get(item_id)
    if on is None:
        return None  # on no page: named with the pages
    if on >= number:
        where = "this page" if on == number else f"page {on}, after this one"
        checker.problem(
            f"{path}.item",
            f"item {item_id!r} is on {where}: a page can only be skipped by an answer "
            "given on an earlier page",
        )
        return None
    if item.kind not in ROUTING_KINDS:
        checker.problem(
            f"{path}.item",
            f"item {item_id!r} is a {item.kind} question: only a choice, yes/no or rating "
            "answer can skip a page",
        )
        return None
    if answer is None or answer not in item.values:
        checker.problem(
            f"{path}.answer",
            f"{skip_if.get('answer')!r} is not an answer to {item_id!r} (one of "
            f"{', '.join(item.values)})",
        )
        return None
    return SkipRule(item=item_id, answer=answer)
