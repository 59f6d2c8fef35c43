"""An instrument pack can add a language to an instrument defined elsewhere (a validated
translation of a licensed scale), checked as strictly as the instrument's own texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.instruments import InstrumentError, load_instrument_file, load_instruments

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
SWEMWBS_ITEMS = [
    "optimistic", "useful", "relaxed", "dealing_with_problems", "thinking_clearly",
    "close_to_people", "own_mind",
]  # fmt: skip
BANDS = ["probable_depression", "possible_depression", "average", "high"]


def welsh_swemwbs(**changes) -> dict:
    """Placeholder words standing in for a licensed translation (never shipped)."""
    texts = {
        "provenance": "validated",
        "source": "Test stand-in for a licensed Welsh translation.",
        "title": "Graddfa brawf",
        "items": {item: f"Datganiad {n}" for n, item in enumerate(SWEMWBS_ITEMS, 1)},
        "options": {"frequency5": {str(n): f"Dewis {n}" for n in range(1, 6)}},
        "bands": {band: f"Band {n}" for n, band in enumerate(BANDS, 1)},
    }
    texts.update(changes)
    return {"id": "swemwbs", "version": 1, "texts": {"cy": texts}}


def write(folder: Path, data: dict, name: str = "swemwbs-1-cy.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def problems(*folders: Path) -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        load_instruments(list(folders))
    return [str(problem) for problem in caught.value.problems]


def test_a_pack_file_with_only_texts_adds_a_validated_language(tmp_path):
    write(tmp_path, welsh_swemwbs())
    registry = load_instruments([SURVEYS, tmp_path])
    swemwbs = registry.get("swemwbs")
    assert swemwbs.locales == ("en", "cy")
    assert swemwbs.texts_for("cy").provenance == "validated"
    assert swemwbs.item_text("useful", "cy") == "Datganiad 2"
    assert swemwbs.answer_label("useful", "4", "cy") == "Dewis 4"
    # The instrument itself is unchanged: its English, its scoring, its source file.
    assert swemwbs.item_text("useful", "en") == "I've been feeling useful"
    assert swemwbs.scoring.convert(35) == 35.0
    assert swemwbs.source == SURVEYS / "swemwbs-1.yaml"
    assert registry.get("wemwbs").locales == ("en",)


def test_the_pack_may_come_before_the_instrument_it_adds_to(tmp_path):
    write(tmp_path, welsh_swemwbs())
    assert load_instruments([tmp_path, SURVEYS]).get("swemwbs").locales == ("en", "cy")


def test_a_missing_item_text_in_a_pack_is_named_with_its_file_and_place(tmp_path):
    data = welsh_swemwbs()
    del data["texts"]["cy"]["items"]["relaxed"]
    path = write(tmp_path, data)
    assert problems(SURVEYS, tmp_path) == [f"{path}: texts.cy.items: no text for item 'relaxed'"]


def test_a_pack_cannot_replace_a_language_the_instrument_already_has(tmp_path):
    data = welsh_swemwbs()
    data["texts"] = {"en": data["texts"]["cy"]}
    path = write(tmp_path, data)
    [problem] = problems(SURVEYS, tmp_path)
    assert problem.startswith(f"{path}: texts.en: swemwbs@1 already has texts in en")


def test_a_pack_for_an_instrument_nobody_defines_is_refused(tmp_path):
    data = welsh_swemwbs()
    data["version"] = 9
    path = write(tmp_path, data)
    assert problems(SURVEYS, tmp_path) == [
        f"{path}: id: adds languages to swemwbs@9, which no instrument file defines"
    ]


def test_a_pack_file_holds_texts_and_nothing_else(tmp_path):
    data = welsh_swemwbs()
    data["scoring"] = {"rule": "sum"}
    path = write(tmp_path, data)
    assert problems(SURVEYS, tmp_path) == [f"{path}: scoring: unknown key"]


def test_a_pack_file_cannot_be_checked_without_its_instrument(tmp_path):
    path = write(tmp_path, welsh_swemwbs())
    with pytest.raises(InstrumentError, match="a language file: load it with"):
        load_instrument_file(path)
