"""Checks of an instrument's `texts`: every language words every item, option and band it
has (and nothing it does not), so no language version quietly shows less."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from app.instruments.checking import BOOL_HINT, LOCALE, option_value
from app.instruments.fieldwork_checks import parts_from_instrument
from app.instruments.fieldwork_texts import check_words
from app.instruments.model import Instrument, Item, LocaleTexts, Scoring


class TextChecks:
    """Methods of the instrument checker (app.instruments.semantics) for `texts`."""

    def texts(
        self,
        value: Any,
        items: list[Item],
        option_sets: dict[str, tuple[str, ...]],
        scoring: Scoring | None,
    ) -> dict[str, LocaleTexts]:
        if not isinstance(value, dict):
            return {}  # named by the schema
        result: dict[str, LocaleTexts] = {}
        for locale, block in value.items():
            if not isinstance(locale, str) or not LOCALE.match(locale):
                continue  # named by the schema
            texts = self.locale_texts(locale, block, items, option_sets, scoring)
            if texts is not None:
                result[locale] = texts
        return result

    def texts_for_instrument(self, blocks: dict, base: Instrument) -> dict[str, LocaleTexts]:
        """Check language blocks against an instrument already loaded from another file."""
        self.fieldwork = parts_from_instrument(base)
        # A fieldwork instrument's items are named by its own keys (areas, characteristics).
        self.declared_items = [] if self.fieldwork else [item.id for item in base.items]
        self.declared_bands = [band.key for band in base.scoring.bands] if base.scoring else []
        return self.texts(blocks, list(base.items), dict(base.option_sets), base.scoring)

    def locale_texts(
        self,
        locale: str,
        data: Any,
        items: list[Item],
        option_sets: dict[str, tuple[str, ...]],
        scoring: Scoring | None,
    ) -> LocaleTexts | None:
        if not isinstance(data, dict):
            return None
        path = f"texts.{locale}"
        item_ids = self.declared_items
        item_texts = self.text_map(data, "items")
        if self.fieldwork is None:
            for item_id in item_ids:
                if not item_texts.get(item_id) and not self.broken(f"{path}.items.{item_id}"):
                    self.problem(f"{path}.items", f"no text for item {item_id!r}")
        for item_id in item_texts:
            if item_id not in item_ids:
                self.problem(f"{path}.items.{item_id}", "unknown item")

        hints = self.text_map(data, "hints")
        for item_id in hints:
            if item_id not in item_ids:
                self.problem(f"{path}.hints.{item_id}", "unknown item")

        options = {}
        # A faulty fieldwork definition has no items yet: its labels cannot be checked, and
        # the fault is already reported.
        if not (self.fieldwork and self.fieldwork.faulty):
            options = self.option_labels(data.get("options"), f"{path}.options", items)
            self.check_option_labels(options, f"{path}.options", items)

        band_labels = self.text_map(data, "bands")
        band_keys = self.declared_bands
        if band_keys is None:  # the bands themselves are faulty and already reported
            band_keys = list(band_labels)
        for key in band_keys:
            if not band_labels.get(key) and not self.broken(f"{path}.bands.{key}"):
                self.problem(f"{path}.bands", f"no label for band {key!r}")
        for key in band_labels:
            if key not in band_keys:
                self.problem(f"{path}.bands.{key}", "unknown band")

        words = None
        if self.fieldwork is not None:
            words = check_words(self, self.fieldwork, data, path)
            item_texts, hints = words.items, words.hints

        provenance, title = self.get(data, "provenance", str), self.get(data, "title", str)
        if provenance is None or title is None:
            return None
        return LocaleTexts(
            locale=locale,
            provenance=provenance,
            title=title,
            items=MappingProxyType(item_texts),
            description=self.get(data, "description", str, ""),
            prompt=self.get(data, "prompt", str, ""),
            hints=MappingProxyType(hints),
            options=MappingProxyType(options),
            bands=MappingProxyType(band_labels),
            source=self.get(data, "source", str, ""),
            fieldwork=words.texts if words else None,
        )

    def text_map(self, data: dict, key: str) -> dict[str, str]:
        """The texts of a mapping of name -> text; anything else is named by the schema."""
        value = self.get(data, key, dict, {})
        return {
            str(name): text.strip()
            for name, text in value.items()
            if isinstance(text, str) and text.strip()
        }

    def option_labels(self, value: Any, path: str, items: list[Item]) -> dict[str, dict[str, str]]:
        if not isinstance(value, dict):
            return {}
        by_id = {item.id: item for item in items}
        used_sets = {item.options for item in items if item.options}
        result: dict[str, dict[str, str]] = {}
        for name, labels in value.items():
            where = f"{path}.{name}"
            item = by_id.get(name)
            if name not in used_sets and (item is None or not item.is_choice):
                self.problem(where, "not an option set used by an item, nor a choice item's id")
                continue
            if not isinstance(labels, dict):
                continue  # named by the schema
            allowed = item.values if item is not None else _set_values(name, items)
            cleaned: dict[str, str] = {}
            for raw_value, label in labels.items():
                option = option_value(raw_value)
                if option is None:
                    hint = BOOL_HINT if isinstance(raw_value, bool) else ""
                    self.problem(f"{where}.{raw_value}", f"option values are text{hint}")
                elif option not in allowed:
                    self.problem(f"{where}.{option}", f"{option!r} is not one of its options")
                elif isinstance(label, str) and label.strip():
                    cleaned[option] = label.strip()
            result[name] = cleaned
        return result

    def check_option_labels(
        self, options: dict[str, dict[str, str]], path: str, items: list[Item]
    ) -> None:
        """Every option a person can pick has a label, shared by the set or for its item."""
        missing: dict[str, list[str]] = {}
        for item in items:
            if item.kind not in ("single_choice", "multiple_choice", "yes_no"):
                continue
            shared = options.get(item.options, {})
            specific = options.get(item.id, {})
            for option in item.values:
                if option not in shared and option not in specific:
                    names = missing.setdefault(item.options, [])
                    if option not in names:
                        names.append(option)
        for name, values in missing.items():
            quoted = ", ".join(repr(v) for v in values)
            self.problem(f"{path}.{name}", f"no label for option {quoted}")


def _set_values(name: str, items: list[Item]) -> tuple[str, ...]:
    for item in items:
        if item.options == name:
            return item.option_values
    return ()
