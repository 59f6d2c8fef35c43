"""Star, inspection and mystery-shop files: the shipped ones are complete in ten languages,
a licensed star loads from a pack, and a broken file is explained precisely."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from app.instruments import InstrumentError, load_instrument_file, load_instruments
from app.instruments.fieldwork import NOT_OBSERVED

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
TEN_LANGUAGES = ("en", "cy", "pl", "ro", "pt", "es", "ar", "ur", "bn", "so")
FIELDWORK_FILES = {
    "outcomes-wheel": "outcomes-wheel-1.yaml",
    "young-inspectors-framework": "young-inspectors-framework-1.yaml",
    "mystery-shop-checklist": "mystery-shop-checklist-1.yaml",
}
# Outcomes Star (Triangle) wording the project must never ship (shared INSTRUMENTS.md).
STAR_WORDING = (
    "journey of change",
    "stuck",
    "accepting help",
    "believing",
    "self-reliance",
    "physical health",
    "where you live",
    "being safe",
    "relationships",
    "feelings and behaviour",
    "friends and community",
    "confidence and self-esteem",
    "education and learning",
)


@pytest.fixture(scope="module")
def registry():
    return load_instruments([SURVEYS])


# --- The shipped instruments ---------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", FIELDWORK_FILES)
def test_each_fieldwork_instrument_has_project_texts_in_all_ten_languages(registry, instrument_id):
    instrument = registry.get(instrument_id)
    assert instrument.locales == TEN_LANGUAGES
    for locale in TEN_LANGUAGES:
        texts = instrument.texts_for(locale)
        assert texts.provenance == "project"
        assert texts.title and texts.description and texts.prompt
        # Every form question has words of its own in every language.
        for item in instrument.items:
            assert instrument.item_text(item.id, locale), (locale, item.id)
    # A translation is a translation: no language repeats the English title.
    titles = [instrument.title(locale) for locale in TEN_LANGUAGES]
    assert len(set(titles)) == len(titles)


def test_the_outcomes_wheel_has_eight_areas_and_five_stages_of_two_points(registry):
    wheel = registry.get("outcomes-wheel")
    assert wheel.type == "star" and wheel.links_over_time_recommended
    assert len(wheel.star.areas) == 8 and wheel.star.points == 10
    assert [(s.min, s.max) for s in wheel.star.stages] == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    english = wheel.fieldwork_texts("en")
    assert english.area_name("feeling_safe") == "Feeling safe"
    assert [english.stage_label(s.key) for s in wheel.star.stages] == [
        "Really hard right now",
        "Starting to change",
        "Making progress",
        "Mostly going well",
        "Going really well",
    ]
    assert wheel.fieldwork_texts("cy").stage_label("making_progress") == "Gwneud cynnydd"


def test_the_project_ships_no_outcomes_star_area_or_stage_wording(registry):
    for instrument in registry:
        for locale in instrument.locales:
            texts = instrument.texts_for(locale)
            words = [texts.title, texts.description, texts.prompt, *texts.items.values()]
            words.extend(texts.hints.values())
            if texts.fieldwork is not None:
                words.extend(texts.fieldwork.stages.values())
                for area in texts.fieldwork.areas.values():
                    words.extend([area.name, area.description, *area.ladder.values()])
            for text in words:
                for phrase in STAR_WORDING:
                    assert phrase not in text.lower(), (instrument.key, locale, text)


def test_a_reading_form_asks_one_question_from_1_to_10_per_area(registry):
    wheel = registry.get("outcomes-wheel")
    assert [item.id for item in wheel.items] == list(wheel.star.areas)
    assert {(item.kind, item.min, item.max, item.required) for item in wheel.items} == {
        ("rating_scale", 1, 10, True)
    }
    assert wheel.pages == tuple((area,) for area in wheel.star.areas)
    # The area's name is the question and its description the hint, in each language.
    assert wheel.item_text("settled_home", "cy") == "Cartref sefydlog"
    assert wheel.item_hint("settled_home", "en") == (
        "Having a steady place to live where I can be myself."
    )
    assert wheel.item_text("feeling_safe", "ar") == "الشعور بالأمان"


def test_the_inspectors_framework_rates_seven_characteristics_with_evidence(registry):
    framework = registry.get("young-inspectors-framework")
    assert framework.type == "inspection"
    assert len(framework.framework.characteristics) == 7
    assert framework.framework.rating_values == ("1", "2", "3", "4", NOT_OBSERVED)
    assert framework.item_text("listen_to_me", "en") == "Staff listen to me and take me seriously"
    assert framework.option_choices("listen_to_me", "en") == [
        ("1", "Not yet"),
        ("2", "Getting there"),
        ("3", "Good"),
        ("4", "Excellent"),
        (NOT_OBSERVED, "We didn't see this"),
    ]
    # One page per characteristic: its rating, then an optional evidence note.
    assert framework.page_items(1)[0].id == "listen_to_me"
    note = framework.page_items(1)[1]
    assert (note.id, note.kind, note.required, note.max_length) == (
        "listen_to_me_evidence",
        "long_text",
        False,
        1000,
    )
    assert framework.item_text("listen_to_me_evidence", "so") == (
        "Maxaad aragtay ama maqashay oo kaa dhigaya inaad sidan tiraahdo?"
    )
    words = framework.fieldwork_texts("pl").characteristics["safe_here"]
    assert len(words.good_looks_like) == 2 and words.hint


def test_the_mystery_shop_follows_ordered_steps_with_yes_no_checks(registry):
    shop = registry.get("mystery-shop-checklist")
    assert shop.mystery_shop.channels == ("phone",)
    assert [step.id for step in shop.mystery_shop.steps] == [
        "find_the_number",
        "make_the_call",
        "ask_for_help",
        "ask_what_happens_next",
        "end_the_call",
    ]
    assert shop.mystery_shop.step_of("checked_i_was_safe").id == "ask_for_help"
    check = shop.item("checked_i_was_safe")
    assert check.kind == "yes_no"
    assert shop.option_choices("checked_i_was_safe", "es") == [("yes", "Sí"), ("no", "No")]
    # The checklist pages come first, in step order, then the ratings of the call.
    assert shop.pages[0] == ("number_easy_to_find", "opening_times_shown")
    assert shop.pages[-1] == ("know_what_to_do", "know_what_to_do_evidence")
    words = shop.fieldwork_texts("en")
    assert words.steps["make_the_call"] == "Phone the service and wait for someone to answer."
    assert words.scenario.startswith("You are phoning as a 15-year-old")
    assert shop.fieldwork_texts("bn").checklist["said_how_long"]


def test_a_questionnaire_has_no_fieldwork_texts(registry):
    with pytest.raises(ValueError, match="not a fieldwork instrument"):
        registry.get("wemwbs").fieldwork_texts("en")


# --- A licensed star from an instrument pack -----------------------------------------------

STAGES = [
    {"key": "one", "min": 1, "max": 2},
    {"key": "two", "min": 3, "max": 4},
    {"key": "three", "min": 5, "max": 6},
    {"key": "four", "min": 7, "max": 8},
    {"key": "five", "min": 9, "max": 10},
]
AREAS = ["lanterns", "harbour", "orchard", "bridges", "kites", "compass"]


def made_up_star() -> dict:
    """A licensed star-type instrument invented for the tests (no real Star's words)."""

    def ladder():
        return {stage["key"]: f"What stage {stage['key']} looks like" for stage in STAGES}

    return {
        "id": "licensed-star",
        "version": 1,
        "type": "star",
        "estimated_minutes": 30,
        "licence": {
            "holder": "An Imaginary Licensor Ltd",
            "name": "Licensed star",
            "notice": "Licensed star © An Imaginary Licensor Ltd",
            "requires_licence_reference": True,
        },
        "star": {"areas": list(AREAS), "stages": copy.deepcopy(STAGES)},
        "texts": {
            "en": {
                "provenance": "validated",
                "title": "Licensed star",
                "areas": {
                    area: {"name": area.title(), "description": f"About {area}", "ladder": ladder()}
                    for area in AREAS
                },
                "stages": {stage["key"]: f"Stage {stage['key']}" for stage in STAGES},
            }
        },
    }


def write(folder: Path, data: dict, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_a_licensed_star_loads_from_a_pack_folder_outside_the_repository(tmp_path):
    pack = tmp_path / "licensed-pack"
    path = write(pack, made_up_star(), "licensed-star-1.yaml")
    registry = load_instruments([SURVEYS, pack])
    star = registry.get("licensed-star")
    assert star.source == path and star.is_licensed
    assert star.star.points == 10 and star.star.areas == tuple(AREAS)
    words = star.fieldwork_texts("en")
    assert words.ladder_text("harbour", "three") == "What stage three looks like"
    assert star.item_hint("harbour") == "About harbour"
    assert "outcomes-wheel@1" in registry


def test_a_language_file_in_the_pack_adds_a_language_to_the_star(tmp_path):
    pack = tmp_path / "licensed-pack"
    data = made_up_star()
    write(pack, data, "licensed-star-1.yaml")
    welsh = copy.deepcopy(data["texts"]["en"])
    welsh["title"] = "Seren drwyddedig"
    write(pack, {"id": "licensed-star", "version": 1, "texts": {"cy": welsh}}, "star-cy.yaml")
    star = load_instruments([pack]).get("licensed-star")
    assert star.title("cy") == "Seren drwyddedig"
    assert star.fieldwork_texts("cy").ladder_text("kites", "one") == "What stage one looks like"

    del welsh["areas"]["kites"]["ladder"]
    welsh["stages"].pop("five")
    write(pack, {"id": "licensed-star", "version": 1, "texts": {"cy": welsh}}, "star-cy.yaml")
    found = problems_in(pack)
    where = str(pack / "star-cy.yaml")
    assert f"{where}: texts.cy.stages: no label for stage 'five'" in found
    assert f"{where}: texts.cy.areas.kites: no ladder, though the en texts have one" in found


# --- Broken files are explained ------------------------------------------------------------


def problems_in(folder: Path) -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        load_instruments([folder])
    return [str(problem) for problem in caught.value.problems]


def broken(tmp_path: Path, data: dict, change) -> list[str]:
    """The problems with `data` after `change`, without the file name (checked here)."""
    data = copy.deepcopy(data)
    change(data)
    path = write(tmp_path, data, "broken-1.yaml")
    found = problems_in(tmp_path)
    assert all(line.startswith(f"{path}: ") for line in found), found
    return [line.removeprefix(f"{path}: ") for line in found]


def test_the_made_up_star_is_itself_valid(tmp_path):
    write(tmp_path, made_up_star(), "licensed-star-1.yaml")
    assert load_instruments([tmp_path]).get("licensed-star").page_count == 6


def test_a_star_has_six_to_ten_areas(tmp_path):
    def five_areas(data):
        data["star"]["areas"].pop()
        data["texts"]["en"]["areas"].pop("compass")

    assert broken(tmp_path, made_up_star(), five_areas) == [
        "star.areas: must list from 6 to 10 areas, not 5"
    ]


def test_star_stages_must_not_leave_a_gap(tmp_path):
    def gap(data):
        data["star"]["stages"][2]["min"] = 6

    assert broken(tmp_path, made_up_star(), gap) == [
        "star.stages[2].min: stage 'three' starts at 6, leaving a gap after 'two' (up to 4)"
    ]


def test_star_stages_must_not_overlap(tmp_path):
    def overlap(data):
        data["star"]["stages"][1]["min"] = 2

    assert broken(tmp_path, made_up_star(), overlap) == [
        "star.stages[1].min: stage 'two' starts at 2, overlapping 'one' (up to 2)"
    ]


def test_star_stages_must_cover_the_whole_scale(tmp_path):
    def short(data):
        data["star"]["stages"][0]["min"] = 2
        data["star"]["points"] = 12

    assert broken(tmp_path, made_up_star(), short) == [
        "star.stages[0].min: the first stage must start at 1",
        "star.stages[4].max: the last stage must end at 12, the top of the scale",
    ]


def test_a_star_needs_its_definition_and_takes_no_items_or_scoring(tmp_path):
    def change(data):
        del data["star"]
        data["items"] = [{"id": "x", "kind": "yes_no"}]
        data["scoring"] = {"rule": "sum"}

    assert sorted(broken(tmp_path, made_up_star(), change)) == [
        "items: not used by a star: the items are made from star.areas",
        "scoring: not used by a star: a star is not summed into a score",
        "star: is required for a star (its points, areas and stages)",
    ]


def test_a_star_block_in_a_file_of_another_type_is_refused(tmp_path):
    def change(data):
        data["type"] = "inspection"

    found = broken(tmp_path, made_up_star(), change)
    assert "star: only star instruments take star" in found
    assert "framework: is required: the quality characteristics and their rating scale" in found


def test_every_language_names_every_area_and_stage(tmp_path):
    def change(data):
        english = data["texts"]["en"]
        del english["areas"]["orchard"]
        del english["stages"]["four"]
        english["stages"]["six"] = "Stage six"
        english["areas"]["kites"]["ladder"].pop("two")

    assert sorted(broken(tmp_path, made_up_star(), change)) == [
        "texts.en.areas.kites.ladder: no ladder text for stage 'two'",
        "texts.en.areas: no name for area 'orchard'",
        "texts.en.stages.six: unknown stage",
        "texts.en.stages: no label for stage 'four'",
    ]


def test_a_translation_must_have_the_same_descriptions_and_ladders(tmp_path):
    def change(data):
        welsh = copy.deepcopy(data["texts"]["en"])
        welsh["provenance"] = "project"
        welsh["areas"]["lanterns"] = "Llusernau"  # a name only: no description or ladder
        data["texts"]["cy"] = welsh

    assert broken(tmp_path, made_up_star(), change) == [
        "texts.cy.areas.lanterns: no description, though the en texts have one",
        "texts.cy.areas.lanterns: no ladder, though the en texts have one",
    ]


def made_up_framework() -> dict:
    return {
        "id": "test-framework",
        "version": 1,
        "type": "inspection",
        "estimated_minutes": 10,
        "option_sets": {"rating3": ["1", "2", "3"]},
        "framework": {
            "rating": "rating3",
            "not_observed": True,
            "evidence_note": True,
            "characteristics": ["kind_staff", "clean_rooms"],
        },
        "texts": {
            "en": {
                "provenance": "project",
                "title": "Test framework",
                "characteristics": {
                    "kind_staff": {"text": "Staff are kind", "good_looks_like": ["Smiles"]},
                    "clean_rooms": "The rooms are clean",
                },
                "evidence_prompt": "What did you see?",
                "options": {
                    "rating3": {"1": "No", "2": "Partly", "3": "Yes", NOT_OBSERVED: "Not seen"}
                },
            }
        },
    }


def test_the_made_up_framework_is_itself_valid(tmp_path):
    write(tmp_path, made_up_framework(), "test-framework-1.yaml")
    framework = load_instruments([tmp_path]).get("test-framework")
    assert [item.id for item in framework.items] == [
        "kind_staff",
        "kind_staff_evidence",
        "clean_rooms",
        "clean_rooms_evidence",
    ]
    assert framework.framework.points == 3


def test_a_framework_rating_scale_counts_whole_numbers_from_1(tmp_path):
    def change(data):
        data["option_sets"]["rating3"] = ["0", "1", "2"]

    found = broken(tmp_path, made_up_framework(), change)
    assert found[0].startswith(
        "framework.rating: option set 'rating3' must hold the whole numbers from '1' up"
    )


def test_a_framework_names_a_known_option_set(tmp_path):
    def change(data):
        data["framework"]["rating"] = "rating5"

    assert broken(tmp_path, made_up_framework(), change) == [
        "framework.rating: unknown option set 'rating5'"
    ]


def test_every_language_words_every_characteristic_rating_and_the_evidence_prompt(tmp_path):
    def change(data):
        english = data["texts"]["en"]
        del english["characteristics"]["clean_rooms"]
        english["characteristics"]["tidy_desk"] = "Tidy"
        del english["evidence_prompt"]
        del english["options"]["rating3"][NOT_OBSERVED]

    assert sorted(broken(tmp_path, made_up_framework(), change)) == [
        "texts.en.characteristics.tidy_desk: unknown characteristic",
        "texts.en.characteristics: no text for characteristic 'clean_rooms'",
        "texts.en.evidence_prompt: is required",
        "texts.en.options.rating3: no label for option 'not_observed'",
    ]


def test_a_translation_keeps_the_same_number_of_prompts(tmp_path):
    def change(data):
        spanish = copy.deepcopy(data["texts"]["en"])
        spanish["characteristics"]["kind_staff"]["good_looks_like"] = []
        data["texts"]["es"] = spanish

    assert broken(tmp_path, made_up_framework(), change) == [
        "texts.es.characteristics.kind_staff.good_looks_like: 0 'what good looks like' "
        "prompts, but the en texts have 1"
    ]


def made_up_mystery_shop() -> dict:
    data = made_up_framework()
    data.update(id="test-shop", type="mystery_shop")
    data["mystery_shop"] = {
        "channels": ["web", "email"],
        "steps": [
            {"id": "find_the_site", "checklist": ["site_found"]},
            {"id": "send_an_email", "checklist": ["reply_in_a_day", "reply_kind"]},
        ],
    }
    english = data["texts"]["en"]
    english["scenario"] = "Ask by email about a youth club."
    english["steps"] = {"find_the_site": "Find the website.", "send_an_email": "Send an email."}
    english["checklist"] = {
        "site_found": "Did you find it?",
        "reply_in_a_day": "Did they reply within a day?",
        "reply_kind": "Was the reply kind?",
    }
    english["options"]["yes_no"] = {"yes": "Yes", "no": "No"}
    return data


def test_the_made_up_mystery_shop_is_itself_valid(tmp_path):
    write(tmp_path, made_up_mystery_shop(), "test-shop-1.yaml")
    shop = load_instrument_file(tmp_path / "test-shop-1.yaml")
    assert shop.mystery_shop.checklist == ("site_found", "reply_in_a_day", "reply_kind")
    assert shop.pages[:2] == (("site_found",), ("reply_in_a_day", "reply_kind"))


def test_a_mystery_shop_uses_known_channels(tmp_path):
    def change(data):
        data["mystery_shop"]["channels"] = ["web", "carrier_pigeon"]

    assert broken(tmp_path, made_up_mystery_shop(), change) == [
        "mystery_shop.channels[1]: unknown channel 'carrier_pigeon' "
        "(one of visit, phone, web, email)"
    ]


def test_a_checklist_item_cannot_share_a_characteristics_id(tmp_path):
    def change(data):
        data["mystery_shop"]["steps"][1]["checklist"].append("kind_staff")
        data["texts"]["en"]["checklist"]["kind_staff"] = "Were the staff kind?"

    assert broken(tmp_path, made_up_mystery_shop(), change) == [
        "mystery_shop.steps[1].checklist[2]: 'kind_staff' is used twice as a field name on "
        "this form"
    ]


def test_every_language_words_every_step_and_check(tmp_path):
    def change(data):
        english = data["texts"]["en"]
        del english["scenario"]
        del english["steps"]["send_an_email"]
        del english["checklist"]["reply_kind"]

    assert sorted(broken(tmp_path, made_up_mystery_shop(), change)) == [
        "texts.en.checklist: no question for checklist item 'reply_kind'",
        "texts.en.scenario: is required",
        "texts.en.steps: no text for step 'send_an_email'",
    ]


def test_a_mystery_shop_needs_its_scenario(tmp_path):
    def change(data):
        del data["mystery_shop"]

    found = broken(tmp_path, made_up_mystery_shop(), change)
    assert "mystery_shop: is required: the channels and the scenario's steps" in found
