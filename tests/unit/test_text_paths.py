"""An instrument's words as a flat list of texts, for translating one text at a time, and
built back into a language block exactly the shape the instrument files use."""

from pathlib import Path

import pytest
import yaml

from app.instruments.text_paths import (
    build_block,
    english_texts,
    missing,
    set_aside_incomplete,
    texts_of,
)
from app.languages.catalogues import placeholder_problem

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
STARTERS = sorted(SURVEYS.glob("*.yaml"))


def load(name: str) -> dict:
    return yaml.safe_load((SURVEYS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", STARTERS, ids=lambda path: path.name)
def test_every_english_text_built_back_gives_the_english_block(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    english = document["texts"]["en"]
    pairs = english_texts(document)
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), "each text has a key of its own"
    assert "provenance" not in keys
    assert build_block(english, dict(pairs), english["provenance"]) == english


def test_a_framework_reads_in_the_order_a_person_reads_it():
    keys = [key for key, _ in english_texts(load("young-inspectors-framework-1.yaml"))]
    assert keys[:3] == ["title", "description", "prompt"]
    characteristics = [k for k in keys if k.endswith(".text")]
    assert characteristics[0] == "characteristics.listen_to_me.text"
    assert characteristics[-1] == "characteristics.have_a_say.text"
    assert keys.index("characteristics.safe_here.hint") < keys.index(
        "characteristics.safe_here.good_looks_like[1]"
    )
    assert keys[-6:-1] == [f"options.rating4.{v}" for v in ("1", "2", "3", "4", "not_observed")]
    assert keys[-1] == "source"


def test_a_mystery_shop_reads_each_step_with_its_checklist():
    keys = [key for key, _ in english_texts(load("mystery-shop-checklist-1.yaml"))]
    start = keys.index("steps.find_the_number")
    assert keys[start : start + 4] == [
        "steps.find_the_number",
        "checklist.number_easy_to_find",
        "checklist.opening_times_shown",
        "steps.make_the_call",
    ]


def test_a_translation_is_built_in_the_english_shape_with_its_own_words():
    document = load("young-inspectors-framework-1.yaml")
    welsh = dict(texts_of(document, "cy"))
    block = build_block(document["texts"]["en"], welsh, "project")
    assert block == document["texts"]["cy"]
    assert block["characteristics"]["safe_here"]["good_looks_like"][1].startswith("Mae'r staff")


def test_what_is_missing_is_named_and_a_partial_translation_cannot_be_built():
    document = load("service-feedback-1.yaml")
    english = english_texts(document)
    partial = {"title": "Dywedwch wrthym beth rydych chi'n ei feddwl", "items.how_often": "  "}
    left = missing(english, partial)
    assert "title" not in left
    assert "items.how_often" in left
    assert len(left) == len(english) - 1
    with pytest.raises(KeyError):
        build_block(document["texts"]["en"], partial)


@pytest.mark.parametrize(
    "english, translation, expected",
    [
        ("Hello %(name)s", "Helo %(name)s", None),
        ("Hello {name}", "Helo {name}", None),
        ("Hello %(name)s", "Helo", "lost %(name)s"),
        ("Hello {service}", "Helo {gwasanaeth}", "lost {service}; added {gwasanaeth}"),
        ("No placeholder", "Dim {name}", "added {name}"),
        ("Literal {{braces}} and 100%%", "Cromfachau {{braces}} a 100%%", None),
    ],
)
def test_a_translation_keeps_the_placeholders_of_its_english(english, translation, expected):
    problem = placeholder_problem(english, translation)
    if expected is None:
        assert problem is None
    else:
        assert problem.endswith(expected)


def test_a_language_left_short_by_a_new_english_text_is_set_aside_as_work_in_progress():
    document = load("young-inspectors-framework-1.yaml")
    document["framework"]["characteristics"].append("fair_to_everyone")
    for block in document["texts"].values():
        block["characteristics"] = dict(block["characteristics"])
    document["texts"]["en"]["characteristics"]["fair_to_everyone"] = {
        "text": "Everyone is treated fairly",
        "hint": "Whoever you are.",
        "good_looks_like": ["Nobody is left out.", "Staff treat everyone the same."],
    }
    document["texts"]["pl"]["characteristics"]["fair_to_everyone"] = {
        "text": "Wszyscy są traktowani sprawiedliwie",
        "hint": "Bez względu na to, kim jesteś.",
        "good_looks_like": ["Nikt nie jest pomijany.", "Wszyscy są traktowani tak samo."],
    }
    kept, progress = set_aside_incomplete(document)
    assert sorted(kept["texts"]) == ["en", "pl"]
    assert "cy" in document["texts"], "the document given is left as it was"
    welsh = progress["cy"]
    assert welsh["title"] == "Fframwaith arolygwyr ifanc"
    assert "characteristics.fair_to_everyone.text" not in welsh
    assert len(welsh) == len(english_texts(document)) - 4
