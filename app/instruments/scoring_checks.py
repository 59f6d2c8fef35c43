"""Checks of an instrument's `scoring` block that need the rest of the file: the range is
the items' possible totals, a conversion table covers exactly that range, bands are
contiguous and cover the scale they apply to, and change and norms name a scale it has."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from app.instruments.checking import is_a, num
from app.instruments.model import Band, Item, MeaningfulChange, Norm, ReliableChange, Scoring

SCORE_SCALES = ("raw", "metric")


class ScoringChecks:
    """Methods of the instrument checker (app.instruments.semantics) for `scoring`."""

    def scoring(self, value: Any, items: list[Item]) -> tuple[Scoring | None, tuple[Norm, ...]]:
        if value is None:
            return None, ()
        if not isinstance(value, dict):
            self.declared_bands = None
            return None, ()
        data = value
        before = len(self.problems)
        by_id = {item.id: item for item in items}
        scored = self.scored_items(data.get("items", "all"), items, by_id)
        low_sum = sum(min(int(v) for v in by_id[i].values) for i in scored if i in by_id)
        high_sum = sum(max(int(v) for v in by_id[i].values) for i in scored if i in by_id)
        score_range = self.get(data, "range", dict, {})
        low, high = self.get(score_range, "min", int), self.get(score_range, "max", int)
        # The totals are only worth comparing when the items and range are sound.
        heads = ("scoring.rule", "scoring.items", "scoring.complete_only", "scoring.range")
        sound = scored and len(self.problems) == before and not self.faulty_items
        if sound and not any(self.broken(place) for place in heads):
            if low is not None and low != low_sum:
                self.problem(
                    "scoring.range.min",
                    f"{low} is not the lowest possible total of the scored items ({low_sum})",
                )
            if high is not None and high != high_sum:
                self.problem(
                    "scoring.range.max",
                    f"{high} is not the highest possible total of the scored items ({high_sum})",
                )
        conversion, conversion_source = self.conversion(data.get("conversion"), low, high)
        has_metric = conversion is not None
        bands, bands_on, bands_source, indicative, bands_confirm = self.bands(
            data.get("bands"), low, high, conversion
        )
        meaningful, reliable = self.change(data.get("change"), has_metric)
        norms = self.norms(data.get("norms"), has_metric)
        if len(self.problems) > before or self.broken("scoring") or low is None or high is None:
            return None, norms
        return (
            Scoring(
                rule=data["rule"],
                items=tuple(scored),
                complete_only=True,
                min=low,
                max=high,
                conversion=MappingProxyType(conversion) if conversion is not None else None,
                conversion_source=conversion_source,
                bands=bands,
                bands_apply_to=bands_on,
                bands_source=bands_source,
                bands_indicative=indicative,
                bands_confirm=bands_confirm,
                meaningful_change=meaningful,
                reliable_change=reliable,
            ),
            norms,
        )

    def scored_items(self, value: Any, items: list[Item], by_id: dict[str, Item]) -> list[str]:
        if value == "all":
            candidates = [(f"items[{i}]", item.id) for i, item in enumerate(items)]
        elif isinstance(value, list) and value:
            candidates = [(f"scoring.items[{i}]", v) for i, v in enumerate(value)]
        else:
            return []  # named by the schema
        scored: list[str] = []
        for where, item_id in candidates:
            item = by_id.get(item_id) if isinstance(item_id, str) else None
            if item is None and item_id in self.declared_items:
                continue  # a faulty item, already reported
            if item is None:
                self.problem(where, f"unknown item {item_id!r}")
            elif item_id in scored:
                self.problem(where, f"item {item_id!r} is scored twice")
            elif item.kind not in ("single_choice", "rating_scale") or not all(
                re.fullmatch(r"-?\d+", v) for v in item.values
            ):
                self.problem(
                    where,
                    f"item {item_id!r} cannot be summed: scored items are single_choice or "
                    "rating_scale with whole-number option values",
                )
            else:
                scored.append(item_id)
        return scored

    def conversion(
        self, value: Any, low: int | None, high: int | None
    ) -> tuple[dict[int, float] | None, str]:
        if not isinstance(value, dict):
            return None, ""
        path = "scoring.conversion"
        source = self.get(value, "source", str, "")
        table = self.get(value, "table", dict)
        if table is None:
            return None, source
        result: dict[int, float] = {}
        for raw, metric in table.items():
            where = f"{path}.table.{raw}"
            if not is_a(raw, int):
                self.problem(where, "raw scores must be whole numbers")
            elif not is_a(metric, (int, float)):
                continue  # named by the schema
            elif low is not None and high is not None and not low <= raw <= high:
                self.problem(where, f"raw score {raw} is outside the range {low}-{high}")
            else:
                result[raw] = float(metric)
        if low is not None and high is not None:
            missing = [str(r) for r in range(low, high + 1) if r not in table]
            if missing:
                self.problem(f"{path}.table", f"no metric score for raw {', '.join(missing)}")
        ordered = [result[r] for r in sorted(result)]
        if any(b < a for a, b in zip(ordered, ordered[1:], strict=False)):
            self.problem(f"{path}.table", "metric scores must not go down as raw scores go up")
        return result, source

    def bands(
        self, value: Any, low: int | None, high: int | None, conversion: dict | None
    ) -> tuple[tuple[Band, ...], str, str, bool, bool]:
        empty: tuple[tuple[Band, ...], str, str, bool, bool] = ((), "raw", "", True, False)
        if value is None:
            return empty
        path = "scoring.bands"
        self.declared_bands = None
        if not isinstance(value, dict):
            return empty
        data = value
        default_on = "metric" if conversion is not None else "raw"
        applies_to = self.applies_to(data, path, conversion is not None, default_on)
        ranges = self.get(data, "ranges", list, [])
        declared = [r.get("key") for r in ranges if isinstance(r, dict)]
        if len(declared) == len(ranges) and all(isinstance(k, str) for k in declared):
            self.declared_bands = declared
        bands: list[Band] = []
        keys: set[str] = set()
        for index, band in enumerate(ranges):
            where = f"{path}.ranges[{index}]"
            key = self.get(band, "key", str)
            band_min, band_max = self.number(band, "min"), self.number(band, "max")
            if key is None or band_min is None or band_max is None:
                continue
            if key in keys:
                self.problem(f"{where}.key", f"duplicate band {key!r}")
            keys.add(key)
            if band_min > band_max:
                self.problem(where, f"min {num(band_min)} is more than max {num(band_max)}")
            bands.append(Band(key=key, min=band_min, max=band_max))
        if not bands:
            return empty
        for index, (before, after) in enumerate(zip(bands, bands[1:], strict=False), start=1):
            where = f"{path}.ranges[{index}].min"
            if after.min <= before.max:
                self.problem(
                    where,
                    f"band {after.key!r} starts at {num(after.min)}, overlapping "
                    f"{before.key!r} (up to {num(before.max)})",
                )
            elif after.min - before.max > 1:
                self.problem(
                    where,
                    f"band {after.key!r} starts at {num(after.min)}, leaving a gap after "
                    f"{before.key!r} (up to {num(before.max)})",
                )
        if low is not None and high is not None:
            score_low, score_high = float(low), float(high)
            if applies_to == "metric" and conversion and low in conversion and high in conversion:
                score_low, score_high = conversion[low], conversion[high]
            if bands[0].min != score_low:
                self.problem(
                    f"{path}.ranges[0].min",
                    f"the first band must start at the lowest {applies_to} score "
                    f"({num(score_low)})",
                )
            if bands[-1].max != score_high:
                self.problem(
                    f"{path}.ranges[{len(bands) - 1}].max",
                    f"the last band must end at the highest {applies_to} score ({num(score_high)})",
                )
        return (
            tuple(bands),
            applies_to,
            self.get(data, "source", str, ""),
            self.get(data, "indicative", bool, True),
            self.get(data, "confirm", bool, False),
        )

    def applies_to(self, data: dict, path: str, has_metric: bool, default: str) -> str:
        value = self.get(data, "applies_to", str, default)
        if value not in SCORE_SCALES:
            return default  # named by the schema
        if value == "metric" and not has_metric:
            self.problem(f"{path}.applies_to", "metric needs a scoring.conversion table")
            return default
        return value

    def change(
        self, value: Any, has_metric: bool
    ) -> tuple[MeaningfulChange | None, ReliableChange | None]:
        if not isinstance(value, dict):
            return None, None
        default_on = "metric" if has_metric else "raw"
        meaningful = reliable = None
        block = value.get("meaningful")
        if isinstance(block, dict):
            path = "scoring.change.meaningful"
            published = self.get(block, "published", dict, {})
            meaningful = MeaningfulChange(
                points=self.number(block, "points") or 0.0,
                applies_to=self.applies_to(block, path, has_metric, default_on),
                source=self.get(block, "source", str, ""),
                note=self.get(block, "note", str, ""),
                confirm=self.get(block, "confirm", bool, False),
                published=MappingProxyType(
                    {str(k): float(n) for k, n in published.items() if is_a(n, (int, float))}
                ),
            )
        block = value.get("reliable")
        if isinstance(block, dict):
            path = "scoring.change.reliable"
            sd, r, sem = (
                self.number(block, "sd"),
                self.number(block, "r"),
                self.number(block, "sem"),
            )
            if sem is None and (sd is None or r is None):
                self.problem(path, "needs either sem, or both sd and r")
            reliable = ReliableChange(
                z=self.number(block, "z") or 0.0,
                applies_to=self.applies_to(block, path, has_metric, default_on),
                source=self.get(block, "source", str, ""),
                sd=sd,
                r=r,
                sem=sem,
                note=self.get(block, "note", str, ""),
                confirm=self.get(block, "confirm", bool, False),
            )
        return meaningful, reliable

    def norms(self, value: Any, has_metric: bool) -> tuple[Norm, ...]:
        if not isinstance(value, list):
            return ()
        norms: list[Norm] = []
        for index, data in enumerate(value):
            path = f"scoring.norms[{index}]"
            if not isinstance(data, dict):
                continue
            applies_to = self.applies_to(data, path, has_metric, "metric" if has_metric else "raw")
            ages = data.get("ages") if isinstance(data.get("ages"), dict) else {}
            if self.broken(path):
                continue
            norms.append(
                Norm(
                    self.get(data, "population", str),
                    self.get(data, "source", str, ""),
                    self.number(data, "mean"),
                    self.number(data, "sd"),
                    self.get(data, "n", int),
                    applies_to,
                    self.get(data, "confirm", bool, False),
                    group=self.get(data, "group", str, ""),
                    youngest=ages.get("min"),
                    oldest=ages.get("max"),
                )
            )
        return tuple(norms)
