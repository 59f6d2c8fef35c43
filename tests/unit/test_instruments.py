"""Instrument files: the shipped ones are exact, and a broken one is explained precisely."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from app.instruments import (
    ITEM_KINDS,
    InstrumentError,
    load_instrument_file,
    load_instruments,
)

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"

# From shared INSTRUMENTS.md, in order.
WEMWBS_ITEMS = [
    "I've been feeling optimistic about the future",
    "I've been feeling useful",
    "I've been feeling relaxed",
    "I've been feeling interested in other people",
    "I've had energy to spare",
    "I've been dealing with problems well",
    "I've been thinking clearly",
    "I've been feeling good about myself",
    "I've been feeling close to other people",
    "I've been feeling confident",
    "I've been able to make up my own mind about things",
    "I've been feeling loved",
    "I've been interested in new things",
    "I've been feeling cheerful",
]
OPTIONS = ["None of the time", "Rarely", "Some of the time", "Often", "All of the time"]
WEMWBS_NOTICE = (
    "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, The University "
    "of Warwick and University of Edinburgh, 2006, all rights reserved."
)
SWEMWBS_NOTICE = WEMWBS_NOTICE.replace(
    "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
    "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
)


@pytest.fixture(scope="module")
def registry():
    return load_instruments([SURVEYS])


# --- The shipped instruments ---------------------------------------------------------------


def test_the_shipped_instruments_load_without_problems(registry):
    assert [i.key for i in registry] == [
        "mystery-shop-checklist@1",
        "outcomes-wheel@1",
        "service-feedback@1",
        "swemwbs@1",
        "wemwbs@1",
        "young-inspectors-framework@1",
    ]


def test_wemwbs_items_are_the_published_wording_in_order(registry):
    wemwbs = registry.get("wemwbs")
    assert [wemwbs.item_text(item.id, "en") for item in wemwbs.items] == WEMWBS_ITEMS
    assert wemwbs.texts_for("en").provenance == "validated"


def test_swemwbs_items_are_wemwbs_items_1_2_3_6_7_9_and_11(registry):
    swemwbs = registry.get("swemwbs")
    expected = [WEMWBS_ITEMS[n - 1] for n in (1, 2, 3, 6, 7, 9, 11)]
    assert [swemwbs.item_text(item.id, "en") for item in swemwbs.items] == expected


@pytest.mark.parametrize("instrument_id", ["wemwbs", "swemwbs"])
def test_every_scale_item_offers_the_five_published_options_in_order(registry, instrument_id):
    instrument = registry.get(instrument_id)
    for item in instrument.items:
        assert instrument.option_choices(item.id, "en") == list(
            zip(["1", "2", "3", "4", "5"], OPTIONS, strict=True)
        )


def test_the_licence_notices_are_exact_and_a_licence_reference_is_required(registry):
    wemwbs, swemwbs = registry.get("wemwbs"), registry.get("swemwbs")
    assert wemwbs.licence.notice == WEMWBS_NOTICE
    assert swemwbs.licence.notice == SWEMWBS_NOTICE
    assert wemwbs.is_licensed and swemwbs.is_licensed
    assert not registry.get("service-feedback").is_licensed


def test_validated_wording_keeps_the_plain_apostrophe_throughout(registry):
    for instrument in registry:
        texts = instrument.texts_for("en")
        for text in [*texts.items.values(), texts.title, texts.prompt]:
            assert "\u2019" not in text, (instrument.key, text)


def test_scales_are_paged_for_a_phone(registry):
    assert [len(page) for page in registry.get("wemwbs").pages] == [7, 7]
    assert [len(page) for page in registry.get("swemwbs").pages] == [7]
    feedback = registry.get("service-feedback")
    assert feedback.page_count == 3
    assert [item.id for item in feedback.page_items(3)] == [
        "in_a_few_words",
        "recommend",
        "change_one_thing",
    ]


def test_the_feedback_questionnaire_uses_every_kind_of_question(registry):
    feedback = registry.get("service-feedback")
    assert {item.kind for item in feedback.items} == set(ITEM_KINDS)
    assert feedback.texts_for("en").provenance == "project"
    assert feedback.scoring is None


def test_numbers_carry_their_sources_and_unconfirmed_values_say_so(registry):
    wemwbs, swemwbs = registry.get("wemwbs"), registry.get("swemwbs")
    assert wemwbs.scoring.bands_confirm and swemwbs.scoring.bands_confirm
    assert wemwbs.scoring.bands_indicative
    assert wemwbs.scoring.reliable_change.sd == 8.96
    assert wemwbs.scoring.reliable_change.r == 0.83
    assert wemwbs.scoring.meaningful_change.points == 3
    assert swemwbs.scoring.meaningful_change.published["sem"] == 1.03
    assert swemwbs.scoring.meaningful_change.published["smallest_detectable"] == 2.87
    assert {(n.mean, n.sd, n.n) for n in wemwbs.norms} == {(49.4, 8.96, 4299), (48.8, 6.8, 1650)}
    for instrument in (wemwbs, swemwbs):
        scoring = instrument.scoring
        assert scoring.bands_source and scoring.meaningful_change.source
        assert all(norm.source for norm in instrument.norms)
    assert swemwbs.scoring.conversion_source


def test_answers_read_back_in_words_for_checking(registry):
    feedback = registry.get("service-feedback")
    assert feedback.answer_label("good_things", ["staff", "safe_place"]) == (
        "The staff, Having a safe place to go"
    )
    assert feedback.answer_label("feel_welcome", "yes", "en") == "Yes"
    assert feedback.answer_label("overall_rating", "10") == "10 - really good"
    assert feedback.answer_label("overall_rating", "7") == "7"
    assert feedback.answer_label("in_a_few_words", "Fun") == "Fun"
    assert feedback.answer_label("change_one_thing", None) == ""
    assert registry.get("wemwbs").answer_label("loved", "4") == "Often"


def test_a_language_the_instrument_lacks_falls_back_to_english(registry):
    wemwbs = registry.get("wemwbs")
    assert wemwbs.texts_for("cy") is None
    assert wemwbs.resolve_locale("cy") == "en"
    assert wemwbs.resolve_locale("en_GB") == "en"
    assert wemwbs.title("cy") == wemwbs.title("en")


def test_the_registry_finds_versions_and_refuses_unknown_ones(registry):
    assert registry.get("wemwbs").version == 1
    assert "wemwbs" in registry and "wemwbs@1" in registry and ("wemwbs", 1) in registry
    assert "wemwbs@2" not in registry
    with pytest.raises(KeyError):
        registry.get("wemwbs", 2)
    with pytest.raises(KeyError):
        registry.get("wembws")


# --- Broken files are explained ------------------------------------------------------------


def valid() -> dict:
    """A small, valid scale with every section the checks look at."""
    return {
        "id": "mini",
        "version": 1,
        "type": "scale",
        "estimated_minutes": 1,
        "licence": {
            "holder": "Someone",
            "name": "Mini scale",
            "notice": "Mini scale © Someone",
            "requires_licence_reference": True,
        },
        "option_sets": {"three": ["1", "2", "3"]},
        "items": [
            {"id": "first", "kind": "single_choice", "options": "three"},
            {"id": "second", "kind": "single_choice", "options": "three"},
        ],
        "pages": [["first"], ["second"]],
        "scoring": {
            "rule": "sum",
            "items": "all",
            "complete_only": True,
            "range": {"min": 2, "max": 6},
            "conversion": {"source": "test", "table": {2: 1.0, 3: 2.5, 4: 4.0, 5: 5.5, 6: 7.0}},
            "bands": {
                "source": "test",
                "applies_to": "raw",
                "ranges": [
                    {"key": "low", "min": 2, "max": 3},
                    {"key": "high", "min": 4, "max": 6},
                ],
            },
        },
        "texts": {
            "en": {
                "provenance": "project",
                "title": "Mini",
                "items": {"first": "First?", "second": "Second?"},
                "options": {"three": {"1": "No", "2": "Maybe", "3": "Yes"}},
                "bands": {"low": "Low", "high": "High"},
            }
        },
    }


def write(folder: Path, data: dict | str, name: str = "mini-1.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def problems(folder: Path) -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        load_instruments([folder])
    return [str(problem) for problem in caught.value.problems]


def broken(tmp_path: Path, change) -> list[str]:
    data = copy.deepcopy(valid())
    change(data)
    path = write(tmp_path, data)
    found = problems(tmp_path)
    assert all(line.startswith(f"{path}: ") for line in found), found
    return [line.removeprefix(f"{path}: ") for line in found]


def test_the_test_instrument_is_itself_valid(tmp_path):
    write(tmp_path, valid())
    instrument = load_instruments([tmp_path]).get("mini")
    assert instrument.page_count == 2 and instrument.is_licensed


def test_invalid_yaml_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "id: mini\nversion: 1\nitems: [first\ntexts: {}\n")
    [line] = problems(tmp_path)
    assert line.startswith(f"{path}: line ")
    assert "invalid YAML" in line


def test_a_key_written_twice_is_reported_not_silently_dropped(tmp_path):
    write(tmp_path, "id: mini\nversion: 1\nid: other\n")
    [line] = problems(tmp_path)
    assert "line 3" in line and "duplicate key 'id'" in line


def test_a_missing_required_key_is_named(tmp_path):
    found = broken(tmp_path, lambda d: d.pop("version"))
    assert found == ["version: is required"]


def test_a_value_of_the_wrong_type_is_named(tmp_path):
    found = broken(tmp_path, lambda d: d.update(version="one"))
    assert found == ["version: must be a whole number, not text 'one'"]


def test_an_unknown_instrument_type_is_named(tmp_path):
    found = broken(tmp_path, lambda d: d.update(type="quiz"))
    assert found[0].startswith("type: unknown instrument type 'quiz'")


def test_an_unknown_key_is_named_so_typos_are_caught(tmp_path):
    found = broken(tmp_path, lambda d: d["items"][0].update(requried=False))
    assert found == ["items[0].requried: unknown key"]


def test_an_unknown_item_kind_is_named(tmp_path):
    found = broken(tmp_path, lambda d: d["items"][1].update(kind="slider"))
    assert found[0].startswith("items[1].kind: unknown item kind 'slider'")


def test_an_unknown_option_set_is_named(tmp_path):
    found = broken(tmp_path, lambda d: d["items"][1].update(options="frequency6"))
    assert found == ["items[1].options: unknown option set 'frequency6'"]


def test_duplicate_item_ids_are_named(tmp_path):
    def change(data):
        data["items"][1]["id"] = "first"

    found = broken(tmp_path, change)
    assert "items[1].id: duplicate item id 'first'" in found


def test_pages_must_place_every_item_once_and_only_known_items(tmp_path):
    found = broken(tmp_path, lambda d: d.update(pages=[["first", "third"]]))
    assert found == ["pages[0][1]: unknown item 'third'", "pages: item 'second' is on no page"]


def test_scoring_must_name_known_items(tmp_path):
    found = broken(tmp_path, lambda d: d["scoring"].update(items=["first", "thrid"]))
    assert "scoring.items[1]: unknown item 'thrid'" in found


def test_the_score_range_must_match_the_items(tmp_path):
    found = broken(tmp_path, lambda d: d["scoring"]["range"].update(max=7))
    assert found[0] == (
        "scoring.range.max: 7 is not the highest possible total of the scored items (6)"
    )


def test_a_conversion_table_must_cover_exactly_the_raw_range(tmp_path):
    def change(data):
        table = data["scoring"]["conversion"]["table"]
        del table[4]
        table[7] = 8.0

    found = broken(tmp_path, change)
    assert "scoring.conversion.table.7: raw score 7 is outside the range 2-6" in found
    assert "scoring.conversion.table: no metric score for raw 4" in found


def test_bands_must_not_overlap(tmp_path):
    found = broken(tmp_path, lambda d: d["scoring"]["bands"]["ranges"][1].update(min=3))
    assert found == [
        "scoring.bands.ranges[1].min: band 'high' starts at 3, overlapping 'low' (up to 3)"
    ]


def test_bands_must_not_leave_a_gap(tmp_path):
    found = broken(tmp_path, lambda d: d["scoring"]["bands"]["ranges"][1].update(min=5))
    assert found == [
        "scoring.bands.ranges[1].min: band 'high' starts at 5, leaving a gap after 'low' (up to 3)"
    ]


def test_bands_must_cover_the_whole_score_range(tmp_path):
    found = broken(tmp_path, lambda d: d["scoring"]["bands"]["ranges"][1].update(max=5))
    assert found == [
        "scoring.bands.ranges[1].max: the last band must end at the highest raw score (6)"
    ]


def test_bands_on_the_metric_score_are_checked_against_the_converted_range(tmp_path):
    found = broken(tmp_path, lambda d: d["scoring"]["bands"].update(applies_to="metric"))
    assert found == [
        "scoring.bands.ranges[0].min: the first band must start at the lowest metric score (1)",
        "scoring.bands.ranges[1].max: the last band must end at the highest metric score (7)",
    ]


def test_every_language_needs_a_text_for_every_item_option_and_band(tmp_path):
    def change(data):
        english = data["texts"]["en"]
        del english["items"]["second"]
        del english["options"]["three"]["2"]
        del english["bands"]["high"]
        del english["title"]

    found = broken(tmp_path, change)
    assert sorted(found) == [
        "texts.en.bands: no label for band 'high'",
        "texts.en.items: no text for item 'second'",
        "texts.en.options.three: no label for option '2'",
        "texts.en.title: is required",
    ]


def test_a_second_language_is_checked_the_same_way(tmp_path):
    def change(data):
        welsh = copy.deepcopy(data["texts"]["en"])
        welsh["provenance"] = "machine"
        del welsh["items"]["first"]
        data["texts"]["cy"] = welsh

    found = broken(tmp_path, change)
    assert sorted(found) == [
        "texts.cy.items: no text for item 'first'",
        "texts.cy.provenance: unknown provenance 'machine' (one of validated, project)",
    ]


def test_a_licensed_instrument_must_carry_its_notice(tmp_path):
    found = broken(tmp_path, lambda d: d["licence"].pop("notice"))
    assert found == ["licence.notice: is required"]


def test_text_limits_have_a_ceiling(tmp_path):
    def change(data):
        data["type"] = "questionnaire"
        del data["scoring"]
        del data["texts"]["en"]["bands"]
        data["items"].append({"id": "story", "kind": "long_text", "max_length": 100000})
        data["pages"][1].append("story")
        data["texts"]["en"]["items"]["story"] = "Tell us"

    found = broken(tmp_path, change)
    assert found == ["items[2].max_length: must be between 1 and 5000"]


def test_bare_yes_and_no_in_yaml_get_a_helpful_message(tmp_path):
    write(
        tmp_path,
        """
id: yn
version: 1
type: questionnaire
estimated_minutes: 1
items:
  - {id: ok, kind: yes_no}
texts:
  en:
    provenance: project
    title: Yes or no
    items:
      ok: Are you OK?
    options:
      yes_no:
        yes: "Yes"
        no: "No"
""",
        name="yn-1.yaml",
    )
    found = problems(tmp_path)
    assert any("put the value in quotes" in line for line in found), found
    assert any("no label for option 'yes', 'no'" in line for line in found), found


def test_every_problem_in_every_file_is_reported_together(tmp_path):
    first = copy.deepcopy(valid())
    first["type"] = "quiz"
    second = copy.deepcopy(valid())
    second["id"] = "other"
    second["items"][0]["kind"] = "slider"
    write(tmp_path, first, "mini-1.yaml")
    write(tmp_path, second, "other-1.yaml")
    found = problems(tmp_path)
    assert any(line.startswith(f"{tmp_path / 'mini-1.yaml'}: type:") for line in found)
    assert any(line.startswith(f"{tmp_path / 'other-1.yaml'}: items[0].kind:") for line in found)


def test_the_same_id_and_version_in_two_folders_is_refused(tmp_path):
    write(tmp_path / "a", valid())
    write(tmp_path / "b", valid(), "copy.yaml")
    with pytest.raises(InstrumentError) as caught:
        load_instruments([tmp_path / "a", tmp_path / "b"])
    [problem] = caught.value.problems
    assert problem.file == str(tmp_path / "b" / "copy.yaml")
    assert problem.path == "id"
    assert problem.message == f"mini@1 is already defined in {tmp_path / 'a' / 'mini-1.yaml'}"


def test_a_missing_pack_folder_is_reported(tmp_path):
    with pytest.raises(InstrumentError, match="instrument folder not found"):
        load_instruments([SURVEYS, tmp_path / "nowhere"])


def test_an_instrument_pack_folder_adds_instruments(tmp_path):
    pack = tmp_path / "licensed-pack"
    extra = valid()
    extra["id"] = "licensed-scale"
    write(pack, extra, "licensed-scale-1.yaml")
    newer = copy.deepcopy(extra)
    newer["version"] = 2
    write(pack, newer, "licensed-scale-2.yaml")
    registry = load_instruments([SURVEYS, pack])
    assert "wemwbs@1" in registry
    assert registry.get("licensed-scale").version == 2
    assert registry.get("licensed-scale", 1).source == pack / "licensed-scale-1.yaml"


def test_one_file_can_be_checked_on_its_own(tmp_path):
    assert load_instrument_file(SURVEYS / "wemwbs-1.yaml").key == "wemwbs@1"
    data = valid()
    data["items"][0]["options"] = "frequency6"
    path = write(tmp_path, data)
    with pytest.raises(InstrumentError, match="unknown option set 'frequency6'"):
        load_instrument_file(path)


# --- flask instruments check -------------------------------------------------------------


def cli_runner(directories):
    from flask import Flask

    from app.instruments_cli import instruments_cli

    app = Flask(__name__)
    app.config["INSTRUMENT_DIRS"] = [str(d) for d in directories]
    app.cli.add_command(instruments_cli)
    return app.test_cli_runner()


def test_instruments_check_prints_one_line_per_instrument(tmp_path):
    result = cli_runner([SURVEYS]).invoke(args=["instruments", "check"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "wemwbs@1  scale  en  14 items  licensed" in lines
    feedback = next(line for line in lines if line.startswith("service-feedback@1  "))
    assert feedback.endswith("  8 items  not licensed")
    # Fieldwork instruments are counted in their own terms.
    wheel = next(line for line in lines if line.startswith("outcomes-wheel@1  "))
    assert wheel.startswith("outcomes-wheel@1  star  en,cy,") and wheel.endswith(
        "  8 areas  not licensed"
    )
    shop = next(line for line in lines if line.startswith("mystery-shop-checklist@1  "))
    assert shop.endswith("  3 characteristics, 10 checks  not licensed")
    assert lines[-1] == "6 instruments OK"


def test_instruments_check_prints_every_problem_and_fails(tmp_path):
    data = valid()
    data["type"] = "quiz"
    data["items"][0]["options"] = "frequency6"
    path = write(tmp_path, data)
    result = cli_runner([SURVEYS, tmp_path]).invoke(args=["instruments", "check"])
    assert result.exit_code == 1
    assert f"{path}: type: unknown instrument type 'quiz'" in result.output
    assert f"{path}: items[0].options: unknown option set 'frequency6'" in result.output
    assert "2 problems found" in result.output


# --- The schema and the package's shape ---------------------------------------------------


def test_the_schema_is_a_valid_json_schema_whose_lists_match_the_model():
    from jsonschema import Draft202012Validator

    from app.instruments import INSTRUMENT_TYPES, PROVENANCES
    from app.instruments.fieldwork import CHANNELS
    from app.instruments.schema import instrument_schema

    schema = instrument_schema()
    Draft202012Validator.check_schema(schema)
    definitions = schema["$defs"]
    assert tuple(schema["properties"]["type"]["enum"]) == INSTRUMENT_TYPES
    assert tuple(definitions["item"]["properties"]["kind"]["enum"]) == ITEM_KINDS
    provenance = definitions["locale_common"]["properties"]["provenance"]
    assert tuple(provenance["enum"]) == PROVENANCES
    channels = definitions["mystery_shop"]["properties"]["channels"]["items"]["enum"]
    assert tuple(channels) == CHANNELS


def test_a_problem_deep_inside_a_file_is_named_by_its_full_path(tmp_path):
    def change(data):
        data["scoring"]["conversion"]["table"][4] = "four"
        data["scoring"]["bands"]["ranges"][1]["key"] = "High"
        data["texts"]["en"]["options"]["three"]["2"] = ["Maybe"]

    found = broken(tmp_path, change)
    assert "scoring.conversion.table.4: metric score must be a number, not text 'four'" in found
    assert "scoring.bands.ranges[1].key: band keys are lower-case letters, digits and _" in found
    assert "texts.en.options.three.2: must be text" in found


def test_an_option_set_named_badly_is_named_by_its_key(tmp_path):
    found = broken(tmp_path, lambda d: d["option_sets"].update({"Four": ["1"]}))
    assert found == ["option_sets.Four: option set names are lower-case letters, digits and _"]


INSTRUMENTS_PACKAGE = Path(__file__).resolve().parents[2] / "app" / "instruments"


def _imports(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_loading_and_checking_instruments_needs_no_web_framework():
    for path in INSTRUMENTS_PACKAGE.glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top not in {"flask", "flask_wtf", "flask_babel", "wtforms"}, (path, name)
            if name.startswith("app."):
                assert name.startswith("app.instruments."), (path, name)


def test_the_instrument_modules_do_not_import_each_other_in_a_loop():
    graph = {
        path.stem: {
            name.removeprefix("app.instruments.")
            for name in _imports(path)
            if name.startswith("app.instruments.")
        }
        for path in INSTRUMENTS_PACKAGE.glob("*.py")
        if path.stem != "__init__"
    }
    # No module reads names from the package itself, which imports the loader.
    for path in INSTRUMENTS_PACKAGE.glob("*.py"):
        if path.stem != "__init__":
            assert "app.instruments" not in _imports(path), path
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        assert module not in visiting, f"import loop: {' -> '.join([*visiting, module])}"
        if module in done:
            return
        visiting.append(module)
        for imported in graph.get(module, ()):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in graph:
        visit(module)
