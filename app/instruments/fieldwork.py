"""What fieldwork instruments add to an instrument: stars, inspection frameworks, scenarios.

Three instrument types are used in the field rather than answered by a respondent alone:

- `star`: a key worker and a young person agree a score for each area of a wheel (1 to N,
  N = 10 unless the file says otherwise), again and again over time. The points are grouped
  into stages (score ranges), so a report can say who moved up a stage.
- `inspection`: young inspectors rate a service against a framework of quality
  characteristics on the framework's own scale, each with an optional evidence note.
- `mystery_shop`: the same framework, plus the scenario a mystery shopper follows: the
  channels it may be run through and ordered steps, each with yes/no checklist items.

The loader (`app.instruments.loader`, checks in `app.instruments.fieldwork_checks`) builds
these objects and also turns each into ordinary items and pages, so the form builder,
`validate_answers` and draft saving work for fieldwork without new code:

    star          one rating_scale item per area (min 1, max N), one page per area
    inspection    per characteristic: a single_choice item rated on the framework's option
                  set (plus "not_observed" when allowed) and, when the framework asks for
                  evidence, a long_text item `<characteristic>_evidence`; one page each
    mystery_shop  per step with checklist items: a page of yes_no items; then the
                  characteristic pages as for an inspection

Everything here is immutable and free of Flask. The words (area names, stage labels, ladder
descriptions, characteristic prompts, step texts) are per language, in `FieldworkTexts`,
reached through `Instrument.fieldwork_texts(locale)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

FIELDWORK_TYPES = ("star", "inspection", "mystery_shop")

# A star's default scale, and the area counts a wheel can have (shared INSTRUMENTS.md).
DEFAULT_STAR_POINTS = 10
MIN_STAR_AREAS = 6
MAX_STAR_AREAS = 10

# How a mystery shop may be carried out.
CHANNELS = ("visit", "phone", "web", "email")

# The rating an inspector gives when they had no chance to see a characteristic. It is a
# real answer (the inspector chose it), but it is not a point on the scale.
NOT_OBSERVED = "not_observed"
EVIDENCE_SUFFIX = "_evidence"


@dataclass(frozen=True)
class Stage:
    """A range of scores on a star (`min`..`max` inclusive); `number` counts from 1."""

    key: str
    number: int
    min: int
    max: int

    def __contains__(self, score: object) -> bool:
        return isinstance(score, int) and self.min <= score <= self.max


@dataclass(frozen=True)
class Star:
    """A star (outcomes wheel): areas in order round the wheel, each scored 1..points."""

    points: int
    areas: tuple[str, ...]
    stages: tuple[Stage, ...]

    @property
    def scores(self) -> range:
        """Every score an area can have, lowest first."""
        return range(1, self.points + 1)

    def stage_for(self, score: int) -> Stage:
        """The stage a score falls in; ValueError for a score off the scale."""
        for stage in self.stages:
            if score in stage:
                return stage
        raise ValueError(f"{score!r} is not a score from 1 to {self.points}")

    def stage(self, key: str) -> Stage:
        """The stage with this key; KeyError when there is none."""
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(f"no stage {key!r}")


@dataclass(frozen=True)
class EvidenceNote:
    """A free-text note an inspector may (or must) add to each rating."""

    required: bool = False
    max_length: int = 1000


@dataclass(frozen=True)
class Framework:
    """Quality characteristics, and the scale they are rated on.

    `rating_set` names the instrument's option set holding the scale: whole numbers from
    "1", lowest (worst) first. `rating_values` adds `NOT_OBSERVED` when it is allowed, in
    the order the options are shown.
    """

    characteristics: tuple[str, ...]
    rating_set: str
    scale: tuple[str, ...]
    not_observed: bool = False
    evidence: EvidenceNote | None = None

    @property
    def points(self) -> int:
        """How many points the scale has (4 for "1".."4")."""
        return len(self.scale)

    @property
    def rating_values(self) -> tuple[str, ...]:
        return (*self.scale, NOT_OBSERVED) if self.not_observed else self.scale

    def evidence_item(self, characteristic: str) -> str | None:
        """The id of the evidence note item for a characteristic, None when there are none."""
        return f"{characteristic}{EVIDENCE_SUFFIX}" if self.evidence else None


@dataclass(frozen=True)
class ScenarioStep:
    """One step a mystery shopper takes, with the yes/no checks made at that step."""

    id: str
    checklist: tuple[str, ...] = ()


@dataclass(frozen=True)
class MysteryShop:
    """The scenario of a mystery shop: the channels it may use and its steps in order."""

    channels: tuple[str, ...]
    steps: tuple[ScenarioStep, ...]

    @property
    def checklist(self) -> tuple[str, ...]:
        """Every checklist item id, in step order."""
        return tuple(item for step in self.steps for item in step.checklist)

    def step_of(self, checklist_item: str) -> ScenarioStep:
        """The step a checklist item belongs to; KeyError when none does."""
        for step in self.steps:
            if checklist_item in step.checklist:
                return step
        raise KeyError(f"no checklist item {checklist_item!r}")


@dataclass(frozen=True)
class AreaTexts:
    """A star area in one language: its name, an optional description and ladder."""

    name: str
    description: str = ""
    # stage key -> what that stage looks like in this area; empty when there is no ladder.
    ladder: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CharacteristicTexts:
    """A quality characteristic in one language, with its "what good looks like" prompts."""

    text: str
    hint: str = ""
    good_looks_like: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldworkTexts:
    """The words of one language version that only fieldwork instruments have.

    Star: `areas` and `stages` (stage key -> label). Inspection and mystery shop:
    `characteristics` and `evidence_prompt`. Mystery shop: `scenario` (the brief the shopper
    follows), `steps` (step id -> text) and `checklist` (item id -> question).
    Rating labels and Yes/No labels are ordinary option labels (`LocaleTexts.options`).
    """

    areas: Mapping[str, AreaTexts] = field(default_factory=dict)
    stages: Mapping[str, str] = field(default_factory=dict)
    characteristics: Mapping[str, CharacteristicTexts] = field(default_factory=dict)
    evidence_prompt: str = ""
    scenario: str = ""
    steps: Mapping[str, str] = field(default_factory=dict)
    checklist: Mapping[str, str] = field(default_factory=dict)

    def area_name(self, area_id: str) -> str:
        return self.areas[area_id].name

    def stage_label(self, stage_key: str) -> str:
        return self.stages[stage_key]

    def ladder_text(self, area_id: str, stage_key: str) -> str:
        """What a stage looks like in an area ('' when the star has no ladder for it)."""
        return self.areas[area_id].ladder.get(stage_key, "")
