"""The translation gates: a current template, every language complete and faithful to its
placeholders, compiled catalogues kept out of the repository, and instrument texts complete
for every language an instrument claims."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations

from app.instruments import load_instruments
from app.languages import LANGUAGE_CODES, LANGUAGES, TRANSLATED_CODES, plural_examples
from app.languages import catalogues as catalogue_files

REPO_ROOT = Path(__file__).resolve().parents[2]
SURVEYS = REPO_ROOT / "surveys"


@pytest.fixture(scope="module")
def template():
    return catalogue_files.read_catalogue(catalogue_files.template_path())


def catalogue(code: str) -> Catalog:
    return catalogue_files.read_catalogue(catalogue_files.catalogue_path(code), code)


def problems_of(catalog: Catalog, template: Catalog, code: str) -> list[str]:
    return [
        f"{p.msgid}: {p.message}" if p.msgid else p.message
        for p in catalogue_files.catalogue_problems(catalog, template, code)
    ]


# --- The shipped catalogues pass -----------------------------------------------------------


def test_extracting_the_messages_afresh_gives_the_committed_template():
    assert catalogue_files.template_problems() == []


def test_every_shipped_language_has_a_catalogue_and_no_other_is_shipped():
    folders = {p.name for p in catalogue_files.TRANSLATIONS.iterdir() if p.is_dir()}
    assert folders == set(TRANSLATED_CODES)


@pytest.mark.parametrize("code", TRANSLATED_CODES)
def test_each_language_is_complete_unfuzzy_and_keeps_every_placeholder(template, code):
    assert problems_of(catalogue(code), template, code) == []


@pytest.mark.parametrize("code", TRANSLATED_CODES)
def test_each_catalogue_has_the_plural_rule_babel_knows_for_its_language(code):
    from babel.messages.plurals import get_plural

    assert catalogue(code).plural_forms == get_plural(code).plural_forms


def test_compiled_catalogues_are_build_output_never_committed():
    ignored = (REPO_ROOT / ".gitignore").read_text().splitlines()
    assert "*.mo" in ignored
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "translate compile" in makefile


# --- The gates catch what they are for -----------------------------------------------------


def with_translation(catalog: Catalog, msgid: str, string) -> Catalog:
    changed = copy.deepcopy(catalog)
    changed[msgid].string = string
    return changed


def test_a_lost_or_renamed_placeholder_fails_the_check(template):
    welsh = catalogue("cy")
    renamed = with_translation(welsh, "People at %(service)s", "Pobl yn %(gwasanaeth)s")
    assert problems_of(renamed, template, "cy") == [
        "People at %(service)s: translation lost %(service)s; added %(gwasanaeth)s"
    ]
    lost = with_translation(welsh, "Select an answer for: %(question)s", "Dewiswch ateb")
    assert problems_of(lost, template, "cy") == [
        "Select an answer for: %(question)s: translation lost %(question)s"
    ]
    converted = with_translation(
        welsh, "Page %(page)d of %(count)d", "Tudalen %(page)s o %(count)d"
    )
    assert problems_of(converted, template, "cy") == [
        "Page %(page)d of %(count)d: translation lost %(page)d; added %(page)s"
    ]


def test_a_plural_form_may_drop_the_number_only_where_it_means_one_number(template):
    arabic = catalogue("ar")
    key = ("You have %(count)s character remaining", "You have %(count)s characters remaining")
    forms = list(arabic[key].string)
    # Form 1 is only ever 1 ("one character left"), so it may say it in words...
    assert "%(count)s" not in forms[1]
    assert problems_of(arabic, template, "ar") == []
    # ...but form 3 (3 to 10) must show the number.
    forms[3] = "بقيت لديك أحرف"
    broken = with_translation(arabic, key, tuple(forms))
    assert problems_of(broken, template, "ar") == [
        "You have %(count)s character remaining: plural form 3 lost %(count)s"
    ]


def test_fuzzy_untranslated_missing_and_short_plural_entries_fail_the_check(template):
    polish = copy.deepcopy(catalogue("pl"))
    polish["Continue"].flags.add("fuzzy")
    polish["Back"].string = ""
    del polish["Start now"]
    key = ("It takes about %(count)s minute.", "It takes about %(count)s minutes.")
    polish[key].string = polish[key].string[:2]
    found = problems_of(polish, template, "pl")
    assert "Continue: marked fuzzy: check the translation, then remove the fuzzy flag" in found
    assert "Back: not translated" in found
    assert "Start now: not in this catalogue: run `translate update`" in found
    assert "It takes about %(count)s minute.: has 2 plural forms; pl needs 3" in found


def test_a_wrong_plural_rule_fails_the_check(template):
    # Welsh saved with English's two plural forms, as a copied catalogue would have.
    text = catalogue_files.render(catalogue("cy"))
    text = re.sub(
        r'"Plural-Forms: .*?;\\n"\n',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n',
        text,
        flags=re.DOTALL,
    )
    welsh = read_po(io.BytesIO(text.encode()), locale="cy")
    assert welsh.num_plurals == 2
    [problem] = [p for p in problems_of(welsh, template, "cy") if "Plural-Forms" in p]
    assert problem.startswith("Plural-Forms must be 'nplurals=5;")


def test_a_changed_source_text_makes_the_template_stale(tmp_path):
    app_folder = tmp_path / "app" / "templates" / "respond"
    app_folder.mkdir(parents=True)
    (app_folder / "page.html").write_text('{{ _("Hello") }}')
    folder = tmp_path / "translations"
    catalogue_files.write_template(root=tmp_path, folder=folder)
    assert catalogue_files.template_problems(root=tmp_path, folder=folder) == []
    (app_folder / "page.html").write_text('{{ _("Hello") }} {{ _("Goodbye") }}')
    [problem] = catalogue_files.template_problems(root=tmp_path, folder=folder)
    assert "stale" in problem.message


def test_update_adds_new_messages_untranslated_and_compile_leaves_them_out(tmp_path):
    source = tmp_path / "app" / "templates" / "respond"
    source.mkdir(parents=True)
    (source / "page.html").write_text('{{ _("Hello") }}')
    folder = tmp_path / "translations"
    catalogue_files.write_template(root=tmp_path, folder=folder)
    [path] = catalogue_files.update(["cy"], folder=folder)
    welsh = catalogue_files.read_catalogue(path, "cy")
    welsh["Hello"].string = "Helo"
    path.write_text(catalogue_files.render(welsh), encoding="utf-8")

    (source / "page.html").write_text('{{ _("Hello") }} {{ _("Hello there") }}')
    catalogue_files.write_template(root=tmp_path, folder=folder)
    catalogue_files.update(["cy"], folder=folder)
    updated = catalogue_files.read_catalogue(path, "cy")
    assert updated["Hello"].string == "Helo"
    new = updated["Hello there"]
    assert new.string == "" or new.fuzzy  # untranslated, or a near match marked for review
    assert catalogue_files.check(["cy"], root=tmp_path, folder=folder) != []

    [mo] = catalogue_files.compile_catalogues(["cy"], folder=folder)
    with mo.open("rb") as handle:
        translations = Translations(handle)
    assert translations.gettext("Hello") == "Helo"
    assert translations.gettext("Hello there") == "Hello there"


# --- Languages and instrument texts --------------------------------------------------------


def test_the_ten_languages_agree_with_babel_on_name_and_direction():
    assert LANGUAGE_CODES == ("en", "cy", "pl", "ro", "pt", "es", "ar", "ur", "bn", "so")
    for language in LANGUAGES:
        locale = Locale.parse(language.code)
        assert language.name.casefold() == locale.get_display_name(language.code).casefold()
        expected = "rtl" if locale.character_order == "right-to-left" else "ltr"
        assert language.direction == expected, language.code


def test_plural_examples_give_a_number_for_each_cldr_category():
    assert plural_examples("cy") == {
        "zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 4
    }  # fmt: skip
    assert set(plural_examples("ar")) == {"zero", "one", "two", "few", "many", "other"}
    assert set(plural_examples("bn")) == {"one", "other"}


def test_every_instrument_has_complete_texts_in_each_language_it_claims():
    registry = load_instruments([SURVEYS])  # refuses any file with a gap
    for instrument in registry:
        for locale in instrument.locales:
            texts = instrument.texts[locale]
            assert texts.provenance in ("validated", "project"), (instrument.key, locale)
            assert texts.title
            for item in instrument.items:
                assert texts.items.get(item.id), (instrument.key, locale, item.id)
                if item.kind in ("single_choice", "multiple_choice", "yes_no"):
                    for value, label in instrument.option_choices(item.id, locale):
                        assert label and label != value, (instrument.key, locale, item.id)


def test_our_questionnaire_ships_in_every_language_and_licensed_scales_in_english_only():
    registry = load_instruments([SURVEYS])
    feedback = registry.get("service-feedback")
    assert feedback.locales == LANGUAGE_CODES
    assert {feedback.texts[code].provenance for code in LANGUAGE_CODES} == {"project"}
    for scale in ("wemwbs", "swemwbs"):
        instrument = registry.get(scale)
        assert instrument.is_licensed
        assert instrument.locales == ("en",)
        assert instrument.texts["en"].provenance == "validated"


# --- flask translate ----------------------------------------------------------------------


def translate(*args: str):
    from flask import Flask

    from app.languages.cli import translate_cli

    app = Flask(__name__)
    app.cli.add_command(translate_cli)
    return app.test_cli_runner().invoke(args=["translate", *args])


def test_translate_check_passes_on_what_is_shipped():
    result = translate("check")
    assert result.exit_code == 0, result.output
    assert "Translations OK" in result.output


def test_translate_names_the_languages_it_can_work_on():
    result = translate("check", "--language", "fr")
    assert result.exit_code != 0
    assert "'fr' is not one of cy, pl, ro, pt, es, ar, ur, bn, so" in result.output


def test_the_young_persons_own_view_never_names_a_clinical_band_in_any_language():
    clinical = catalogue_files.clinical_words(SURVEYS)
    # The scales' band names, as the instruments give them, are among the words refused.
    assert {"probable depression", "possible depression"} <= clinical
    view = catalogue_files.YOUNG_PERSONS_VIEW
    for code in TRANSLATED_CODES:
        shipped = catalogue(code)
        assert [m for m in shipped if m.context == view], code
        assert catalogue_files.young_persons_view_problems(shipped, clinical, code) == []
    welsh = catalogue("cy")
    message = welsh.get("Your score is lower than last time.", context=view)
    message.string = "Mae eich sgôr yn is: probable depression"
    [problem] = catalogue_files.young_persons_view_problems(welsh, clinical, "cy")
    assert problem.msgid == "Your score is lower than last time."
    assert "probable depression" in problem.message
