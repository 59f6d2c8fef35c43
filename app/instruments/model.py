"""What an instrument is, once its YAML file has been loaded and checked.

Everything here is immutable and free of Flask, so scoring, evidence and exports can use an
instrument without an application. The loader (`app.instruments.loader`) is the only thing
that builds these objects, and it refuses a file that breaks any rule the methods rely on.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.instruments.fieldwork import FieldworkTexts, Framework, MysteryShop, Star

INSTRUMENT_TYPES = ("scale", "star", "inspection", "mystery_shop", "questionnaire")
ITEM_KINDS = (
    "single_choice",
    "multiple_choice",
    "rating_scale",
    "yes_no",
    "short_text",
    "long_text",
)
CHOICE_KINDS = ("single_choice", "multiple_choice", "rating_scale", "yes_no")
TEXT_KINDS = ("short_text", "long_text")
PROVENANCES = ("validated", "project")

# yes/no questions share one built-in option set; its labels still come from each locale's
# texts, so a translation translates "Yes" and "No" along with everything else.
YES_NO_OPTION_SET = "yes_no"
YES_NO_VALUES = ("yes", "no")

DEFAULT_MAX_LENGTH = {"short_text": 200, "long_text": 2000}
# Above this a free-text answer stops being feedback and becomes a storage problem.
MAX_LENGTH_CEILING = 5000

DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one instrument file: which file, where inside it, and what."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        if self.path:
            return f"{self.file}: {self.path}: {self.message}"
        return f"{self.file}: {self.message}"


class InstrumentError(Exception):
    """Raised by the loader with every problem found across every file."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun} in instrument files:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


@dataclass(frozen=True)
class Item:
    """One question. `options` names an option set; `option_values` are its values in order."""

    id: str
    kind: str
    required: bool = True
    options: str | None = None
    option_values: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    max_choices: int | None = None
    # Option values that raise a safeguarding alert when given (app.safeguarding.detect).
    concerns: tuple[str, ...] = ()

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def values(self) -> tuple[str, ...]:
        """Every value a respondent may give, in the order they are shown (empty for text)."""
        if self.kind == "rating_scale":
            return tuple(str(n) for n in range(self.min, self.max + 1))
        return self.option_values


@dataclass(frozen=True)
class SkipRule:
    """A questionnaire page's routing: skip the page when `item` (on an earlier page) was
    answered `answer`, or, for a multiple choice item, when its answers include `answer`."""

    item: str
    answer: str

    def applies(self, given: object) -> bool:
        """Whether the answer `given` to the rule's item skips the page."""
        if isinstance(given, list | tuple):
            return self.answer in given
        return given == self.answer


@dataclass(frozen=True)
class Band:
    """A published score range with a label key. `max` is inclusive, as published."""

    key: str
    min: float
    max: float


@dataclass(frozen=True)
class Norm:
    """A published population mean (and spread where known) to compare a group against."""

    population: str
    source: str
    mean: float
    sd: float | None = None
    n: int | None = None
    applies_to: str = "raw"
    confirm: bool = False
    # Who the norm is about, in plain words for a page ("adults in England"), and their
    # ages: young people's results are compared with a norm for their ages where there is one.
    group: str = ""
    youngest: int | None = None
    oldest: int | None = None

    @property
    def for_young_people(self) -> bool:
        """True when the norm is about people under 18 (pupils aged 13 to 16)."""
        return self.oldest is not None and self.oldest < 18

    @property
    def plain_group(self) -> str:
        """Who the norm is about, as a page says it beside a figure."""
        return self.group or self.population


@dataclass(frozen=True)
class MeaningfulChange:
    """Smallest individual change worth reporting, on the raw or metric score."""

    points: float
    applies_to: str
    source: str
    note: str = ""
    confirm: bool = False
    # The source's own figures behind `points` (e.g. SEM), kept for reports to quote.
    published: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ReliableChange:
    """Jacobson-Truax reliable change: from SD and reliability r, or a published SEM."""

    z: float
    applies_to: str
    source: str
    sd: float | None = None
    r: float | None = None
    sem: float | None = None
    note: str = ""
    confirm: bool = False

    @property
    def standard_error(self) -> float:
        """SE of measurement: the published SEM, else SD * sqrt(1 - r)."""
        if self.sem is not None:
            return self.sem
        return self.sd * math.sqrt(1 - self.r)

    @property
    def difference_threshold(self) -> float:
        """The change in points beyond which |RC| exceeds z."""
        return self.z * math.sqrt(2 * self.standard_error**2)


@dataclass(frozen=True)
class Scoring:
    """How a scale's answers become a score, a band and a judgement about change."""

    rule: str
    items: tuple[str, ...]
    complete_only: bool
    min: int
    max: int
    conversion: Mapping[int, float] | None = None
    conversion_source: str = ""
    bands: tuple[Band, ...] = ()
    bands_apply_to: str = "raw"
    bands_source: str = ""
    bands_indicative: bool = True
    bands_confirm: bool = False
    meaningful_change: MeaningfulChange | None = None
    reliable_change: ReliableChange | None = None

    def convert(self, raw: int) -> float | None:
        """The metric score for a raw score, when the scale has a conversion table."""
        if self.conversion is None:
            return None
        return self.conversion[raw]

    def band_for(self, value: float | None) -> str | None:
        """The band a score falls in.

        A band is entered at its published minimum and left at the next band's minimum, so a
        converted score between two published ranges (SWEMWBS metric 17.43 sits between 7-17
        and 18-20) stays in the lower band: it has not reached the next threshold.
        """
        if value is None or not self.bands:
            return None
        chosen = None
        for band in self.bands:
            if value >= band.min:
                chosen = band.key
        return chosen


@dataclass(frozen=True)
class Licence:
    """Who owns a licensed instrument and what its licence requires of us."""

    holder: str
    name: str
    notice: str
    terms: tuple[str, ...] = ()
    requires_licence_reference: bool = False
    url: str = ""
    source: str = ""
    note: str = ""
    confirm: bool = False


@dataclass(frozen=True)
class LocaleTexts:
    """Every word of one language version, and whether that wording is validated."""

    locale: str
    provenance: str
    title: str
    items: Mapping[str, str]
    description: str = ""
    prompt: str = ""
    hints: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    bands: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    # Star areas and stages, framework prompts, scenario steps: fieldwork instruments only.
    fieldwork: FieldworkTexts | None = None


@dataclass(frozen=True)
class Ages:
    min: int | None = None
    validated_min: int | None = None
    note: str = ""


# eq=False: two loads of the same file are different objects, and identity hashing lets an
# instrument be a cache key even though it holds dicts.
@dataclass(frozen=True, eq=False)
class Instrument:
    """One version of one instrument, as loaded from `source`."""

    id: str
    version: int
    type: str
    items: tuple[Item, ...]
    pages: tuple[tuple[str, ...], ...]
    texts: Mapping[str, LocaleTexts]
    # A questionnaire's routing, page by page beside `pages` (None: always shown); empty
    # when no page has a rule (app.instruments.routing applies them).
    page_rules: tuple[SkipRule | None, ...] = ()
    estimated_minutes: int | None = None
    scoring: Scoring | None = None
    licence: Licence | None = None
    norms: tuple[Norm, ...] = ()
    ages: Ages = field(default_factory=Ages)
    links_over_time_recommended: bool = False
    option_sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Where it was read from: a file's path, or a label such as "written on screen".
    source: Path | str | None = None
    # Who co-wrote this version ("Written with young people from ..."), in their words.
    co_written: str | None = None
    # Fieldwork definitions (app.instruments.fieldwork): `star` for a star, `framework` for
    # an inspection or mystery shop, `mystery_shop` for a mystery shop's scenario.
    star: Star | None = None
    framework: Framework | None = None
    mystery_shop: MysteryShop | None = None

    def __repr__(self) -> str:
        return f"<Instrument {self.key}>"

    @property
    def key(self) -> str:
        """`id@version`, e.g. `wemwbs@1`: how logs and the CLI name an instrument."""
        return f"{self.id}@{self.version}"

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self.texts)

    @property
    def default_locale(self) -> str:
        return DEFAULT_LOCALE if DEFAULT_LOCALE in self.texts else next(iter(self.texts))

    @property
    def is_licensed(self) -> bool:
        """True when a campaign needs the organisation's licence reference before opening."""
        return self.licence is not None and self.licence.requires_licence_reference

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def item(self, item_id: str) -> Item:
        """The item with this id; KeyError when there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"{self.key} has no item {item_id!r}")

    def page_items(self, page_number: int) -> list[Item]:
        """The items on a page, numbered from 1; IndexError outside 1..page_count."""
        if not 1 <= page_number <= self.page_count:
            raise IndexError(f"{self.key} has no page {page_number}")
        return [self.item(item_id) for item_id in self.pages[page_number - 1]]

    def page_of(self, item_id: str) -> int:
        """The page number an item is on, for "change" links on a check-answers page."""
        for number, page in enumerate(self.pages, start=1):
            if item_id in page:
                return number
        raise KeyError(f"{self.key} has no item {item_id!r}")

    def resolve_locale(self, locale: str | None) -> str:
        """The locale whose texts will be shown: `locale` when present, else the default.

        Also matches a region-specific request to its language ("cy_GB" -> "cy").
        """
        if locale:
            if locale in self.texts:
                return locale
            language = locale.replace("-", "_").split("_")[0]
            if language in self.texts:
                return language
        return self.default_locale

    def texts_for(self, locale: str | None) -> LocaleTexts | None:
        """This exact language version, or None when the instrument has no such texts."""
        return self.texts.get(locale) if locale else None

    def _texts(self, locale: str | None) -> LocaleTexts:
        return self.texts[self.resolve_locale(locale)]

    def title(self, locale: str | None = None) -> str:
        return self._texts(locale).title

    def description(self, locale: str | None = None) -> str:
        return self._texts(locale).description

    def prompt(self, locale: str | None = None) -> str:
        return self._texts(locale).prompt

    def item_text(self, item_id: str, locale: str | None = None) -> str:
        return self._texts(locale).items[item_id]

    def item_hint(self, item_id: str, locale: str | None = None) -> str:
        return self._texts(locale).hints.get(item_id, "")

    def option_choices(self, item_id: str, locale: str | None = None) -> list[tuple[str, str]]:
        """(value, label) pairs for a choice item, in the order they must be shown."""
        item = self.item(item_id)
        if not item.is_choice:
            return []
        texts = self._texts(locale)
        specific = texts.options.get(item.id, {})
        shared = texts.options.get(item.options, {}) if item.options else {}
        # A rating scale may label only some points (the ends); the rest show the number.
        return [(value, specific.get(value) or shared.get(value) or value) for value in item.values]

    def answer_label(
        self, item_id: str, value: str | list[str] | None, locale: str | None = None
    ) -> str:
        """How a stored answer reads on a check-your-answers page or in an export."""
        if value is None or value == "" or value == []:
            return ""
        item = self.item(item_id)
        if item.is_text:
            return str(value)
        labels = dict(self.option_choices(item_id, locale))
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(v, v) for v in value)
        return labels.get(value, value)

    def band_label(self, key: str, locale: str | None = None) -> str:
        return self._texts(locale).bands.get(key, key)

    def fieldwork_texts(self, locale: str | None = None) -> FieldworkTexts:
        """Area names and stage labels, characteristics, steps: in `locale` when present.

        ValueError for an instrument that is not a star, inspection or mystery shop.
        """
        words = self._texts(locale).fieldwork
        if words is None:
            raise ValueError(f"{self.key} is a {self.type}, not a fieldwork instrument")
        return words

    def notice(self) -> str:
        """The licence notice every page of a licensed instrument must show ('' if none)."""
        return self.licence.notice if self.licence else ""


class InstrumentRegistry:
    """Every loaded instrument, by id and version."""

    def __init__(self, instruments: list[Instrument] | tuple[Instrument, ...] = ()):
        self._by_key: dict[tuple[str, int], Instrument] = {}
        for instrument in instruments:
            self._by_key[(instrument.id, instrument.version)] = instrument

    def get(self, instrument_id: str, version: int | None = None) -> Instrument:
        """One version, or the latest when `version` is None; KeyError when not loaded."""
        if version is not None:
            try:
                return self._by_key[(instrument_id, int(version))]
            except KeyError:
                raise KeyError(f"no instrument {instrument_id}@{version}") from None
        versions = [v for (i, v) in self._by_key if i == instrument_id]
        if not versions:
            raise KeyError(f"no instrument {instrument_id!r}")
        return self._by_key[(instrument_id, max(versions))]

    def versions(self, instrument_id: str) -> list[int]:
        return sorted(v for (i, v) in self._by_key if i == instrument_id)

    def all(self) -> list[Instrument]:
        """Every instrument, by id then version."""
        return [self._by_key[key] for key in sorted(self._by_key)]

    def latest(self) -> list[Instrument]:
        """The newest version of each instrument, for choosing one for a new campaign."""
        return [self.get(i) for i in sorted({i for (i, _) in self._by_key})]

    def __iter__(self) -> Iterator[Instrument]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        """`"wemwbs" in registry`, `"wemwbs@1" in registry` or `("wemwbs", 1) in registry`."""
        if isinstance(key, Instrument):
            return self._by_key.get((key.id, key.version)) is key
        if isinstance(key, tuple) and len(key) == 2:
            return (key[0], key[1]) in self._by_key
        if isinstance(key, str):
            if "@" in key:
                instrument_id, _, version = key.partition("@")
                return version.isdigit() and (instrument_id, int(version)) in self._by_key
            return any(i == key for (i, _) in self._by_key)
        return False
