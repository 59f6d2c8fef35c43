"""The rules of an instrument file that JSON Schema cannot say: one part checked against
another, and the Instrument built from a file that passes.

The schema (instrument.schema.json) has already named every structural mistake; these
checks add what needs the whole file: option sets that exist, each item on one page,
pages and scores naming known items (scoring_checks), a text for every item, option and
band in every language (text_checks), and the fieldwork types' own rules
(fieldwork_checks, fieldwork_texts).
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.instruments.checking import BOOL_HINT, MAX_RATING_POINTS, NAME, Checker, option_value
from app.instruments.fieldwork_checks import FieldworkParts, check_definition
from app.instruments.fieldwork_texts import check_same_shape
from app.instruments.model import (
    DEFAULT_MAX_LENGTH,
    ITEM_KINDS,
    TEXT_KINDS,
    YES_NO_OPTION_SET,
    YES_NO_VALUES,
    Ages,
    Instrument,
    Item,
    Licence,
    SkipRule,
)
from app.instruments.routing import check_rules, read_page
from app.instruments.scoring_checks import ScoringChecks
from app.instruments.text_checks import TextChecks


class InstrumentChecker(ScoringChecks, TextChecks, Checker):
    """Walks one parsed file, recording problems and building the instrument if it can."""

    def __init__(self, label: str, path: Path, structure: list[tuple[str, str]] = ()):
        super().__init__(label, path, structure)
        # Ids and band keys as written, even when their item or band is faulty, so one
        # mistake is reported once rather than again by every section that refers to it.
        self.declared_items: list[str] = []
        self.declared_bands: list[str] | None = []
        self.faulty_items = False
        # A star, inspection or mystery shop: its definition and the items made from it.
        self.fieldwork: FieldworkParts | None = None

    def instrument(self, data: Any) -> Instrument | None:
        """The instrument, or None when this file has any problem (all of them recorded)."""
        if not isinstance(data, dict):
            return None
        top = data
        kind = self.get(top, "type", str)
        ages = self.ages(top.get("ages"))
        licence = self.licence(top.get("licence"))
        option_sets = self.option_sets(top.get("option_sets"))
        self.fieldwork = check_definition(self, kind, top, option_sets)
        if self.fieldwork is None:
            items = self.items(top.get("items"), option_sets)
            pages, page_rules = self.pages(top.get("pages"), self.declared_items, kind, items)
            scoring, norms = self.scoring(top.get("scoring"), items)
        else:
            items, pages = list(self.fieldwork.items), self.fieldwork.pages
            page_rules = ()
            scoring, norms = None, ()
        texts = self.texts(top.get("texts"), items, option_sets, scoring)
        if self.fieldwork is not None:
            check_same_shape(self, texts)
        if self.problems:
            return None
        return Instrument(
            id=top["id"],
            version=top["version"],
            type=kind,
            items=tuple(items),
            pages=pages,
            page_rules=page_rules,
            texts=MappingProxyType(texts),
            estimated_minutes=top["estimated_minutes"],
            scoring=scoring,
            licence=licence,
            norms=norms,
            ages=ages,
            links_over_time_recommended=self.get(top, "links_over_time_recommended", bool, False),
            co_written=self.get(top, "co_written", str, None),
            option_sets=MappingProxyType(option_sets),
            source=self.path,
            **(self.fieldwork.definitions() if self.fieldwork else {}),
        )

    def ages(self, value: Any) -> Ages:
        return Ages(
            min=self.get(value, "min", int),
            validated_min=self.get(value, "validated_min", int),
            note=self.get(value, "note", str, ""),
        )

    def licence(self, value: Any) -> Licence | None:
        if not isinstance(value, dict):
            return None
        terms = self.get(value, "terms", list, [])
        return Licence(
            holder=self.get(value, "holder", str, ""),
            name=self.get(value, "name", str, ""),
            # The notice must be shown on every page; the schema requires it when a licence
            # reference is.
            notice=self.get(value, "notice", str, ""),
            terms=tuple(t for t in terms if isinstance(t, str)),
            requires_licence_reference=self.get(value, "requires_licence_reference", bool, False),
            url=self.get(value, "url", str, ""),
            source=self.get(value, "source", str, ""),
            note=self.get(value, "note", str, ""),
            confirm=self.get(value, "confirm", bool, False),
        )

    def option_sets(self, value: Any) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict):
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for name, values in value.items():
            path = f"option_sets.{name}"
            if not isinstance(name, str) or not NAME.match(name):
                continue  # named by the schema
            if name == YES_NO_OPTION_SET:
                self.problem(path, f"'{YES_NO_OPTION_SET}' is built in: use kind yes_no")
                continue
            if not isinstance(values, list):
                continue
            cleaned: list[str] = []
            for index, raw in enumerate(values):
                option = option_value(raw)
                if option is not None and option in cleaned:
                    self.problem(f"{path}[{index}]", f"duplicate option value {option!r}")
                elif option is not None:
                    cleaned.append(option)
            result[name] = tuple(cleaned)
        return result

    def items(self, value: Any, option_sets: dict[str, tuple[str, ...]]) -> list[Item]:
        if not isinstance(value, list):
            return []
        items: list[Item] = []
        seen: set[str] = set()
        for index, raw in enumerate(value):
            declared = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(declared, str) and declared not in self.declared_items:
                self.declared_items.append(declared)
            item = self.item(raw, f"items[{index}]", option_sets)
            if item is None:
                self.faulty_items = True
                continue
            if item.id in seen:
                self.problem(f"items[{index}].id", f"duplicate item id {item.id!r}")
                self.faulty_items = True
                continue
            seen.add(item.id)
            items.append(item)
        return items

    def item(self, data: Any, path: str, option_sets: dict[str, tuple[str, ...]]) -> Item | None:
        if not isinstance(data, dict):
            return None
        before = len(self.problems)
        item_id = self.get(data, "id", str)
        kind = self.get(data, "kind", str)
        kind = kind if kind in ITEM_KINDS else None

        def not_for(key: str, kinds: str) -> None:
            if kind is not None and key in data:
                self.problem(f"{path}.{key}", f"only {kinds} items take {key}")

        options_name, option_values = None, ()
        if kind in ("single_choice", "multiple_choice"):
            options_name = self.get(data, "options", str)
            if options_name is not None and options_name not in option_sets:
                self.problem(f"{path}.options", f"unknown option set {options_name!r}")
            elif options_name is not None:
                option_values = option_sets[options_name]
        else:
            not_for("options", "single_choice and multiple_choice")
            if kind == "yes_no":
                options_name, option_values = YES_NO_OPTION_SET, YES_NO_VALUES

        low = high = None
        if kind == "rating_scale":
            low, high = self.get(data, "min", int), self.get(data, "max", int)
            if low is not None and high is not None and low >= high:
                self.problem(f"{path}.max", f"must be more than min ({low})")
            elif low is not None and high is not None and high - low + 1 > MAX_RATING_POINTS:
                self.problem(
                    f"{path}.max", f"a rating scale has at most {MAX_RATING_POINTS} points"
                )
        else:
            not_for("min", "rating_scale")
            not_for("max", "rating_scale")

        max_length = None
        if kind in TEXT_KINDS:
            max_length = self.get(data, "max_length", int, DEFAULT_MAX_LENGTH[kind])
        else:
            not_for("max_length", "short_text and long_text")

        max_choices = None
        if kind == "multiple_choice":
            max_choices = self.get(data, "max_choices", int)
            count = len(option_values)
            if max_choices is not None and count and not 1 <= max_choices <= count:
                self.problem(f"{path}.max_choices", f"must be between 1 and {count} (the options)")
        else:
            not_for("max_choices", "multiple_choice")

        concerns = self.concerns(data, path, kind, low, high, option_values)
        if len(self.problems) > before or self.broken(path) or item_id is None or kind is None:
            return None
        return Item(
            id=item_id,
            kind=kind,
            required=self.get(data, "required", bool, True),
            options=options_name,
            option_values=tuple(option_values),
            min=low,
            max=high,
            max_length=max_length,
            max_choices=max_choices,
            concerns=concerns,
        )

    def concerns(self, data, path, kind, low, high, option_values) -> tuple[str, ...]:
        """Answers that raise a safeguarding alert (app.safeguarding.detect), by option value."""
        if "concerns" not in data:
            return ()
        raw = data["concerns"]
        values = [option_value(v) for v in raw] if isinstance(raw, list) else None
        allowed = tuple(str(n) for n in range(low, high + 1)) if low is not None else ()
        allowed = allowed or tuple(option_values)
        if kind is not None and kind not in ("single_choice", "multiple_choice", "yes_no",
                                             "rating_scale"):  # fmt: skip
            self.problem(f"{path}.concerns", "only choice and rating items take concerns")
        elif not values or None in values:
            bare = isinstance(raw, list) and any(isinstance(v, bool) for v in raw)
            hint = BOOL_HINT if bare else ""
            self.problem(f"{path}.concerns", "must be a list of option values" + hint)
        elif allowed and set(values) - set(allowed):
            unknown = sorted(set(values) - set(allowed))
            self.problem(f"{path}.concerns", f"not options of this item: {unknown}")
        else:
            return tuple(values)
        return ()

    def pages(
        self, value: Any, item_ids: list[str], kind: str | None, items: list[Item]
    ) -> tuple[tuple[tuple[str, ...], ...], tuple[SkipRule | None, ...]]:
        """The pages' item ids, and each page's routing (app.instruments.routing)."""
        if value is None:
            return (tuple(item_ids),), ()
        if not isinstance(value, list) or not value:
            return (), ()  # named by the schema
        placed: dict[str, int] = {}
        pages: list[tuple[str, ...]] = []
        for number, raw in enumerate(value, start=1):
            page, _ = read_page(raw)
            if not isinstance(page, list) or not page:
                continue  # named by the schema
            within = f"pages[{number - 1}]" + (".items" if isinstance(raw, dict) else "")
            for position, item_id in enumerate(page):
                where = f"{within}[{position}]"
                if not isinstance(item_id, str) or item_id not in item_ids:
                    self.problem(where, f"unknown item {item_id!r}")
                elif item_id in placed:
                    self.problem(where, f"item {item_id!r} is already on page {placed[item_id]}")
                else:
                    placed[item_id] = number
            pages.append(tuple(page))
        for item_id in item_ids:
            if item_id not in placed:
                self.problem("pages", f"item {item_id!r} is on no page")
        rules = check_rules(self, kind, value, placed, items)
        return tuple(pages), rules
