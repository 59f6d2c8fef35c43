"""Instruments kept in the database: checked like files, used like files, never changed
once answered, and shared between councils as files in the surveys/ format."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db, instrument_registry
from app.instrument_store import (
    StoreRefused,
    export_yaml,
    import_yaml,
    is_answered,
    save,
    start_from,
)
from app.instruments.loader import read_yaml
from app.models import Campaign, Draft, Provider, Service, StoredInstrument
from tests.support.apps import empty_database


def invoke(runner, *args):
    return runner.invoke(args=list(args), catch_exceptions=False)


def riverside_framework():
    document = start_from("young-inspectors-framework", 1, new_id="riverside-framework")
    document["version"] = 1
    document["co_written"] = "Written with young people from Riverside Youth Club, March 2027"
    document["texts"]["en"]["title"] = "Riverside young inspectors' framework"
    return document


def test_a_framework_written_here_is_read_like_a_file_and_says_who_wrote_it(app):
    save(riverside_framework())
    db.session.commit()
    registry = instrument_registry()
    framework = registry.get("riverside-framework", 1)
    assert framework.type == "inspection"
    assert len(framework.framework.characteristics) == 7
    assert framework.co_written.startswith("Written with young people from Riverside")
    assert framework.title() == "Riverside young inspectors' framework"
    assert "riverside-framework@1" in registry
    assert [i.key for i in registry.latest()].count("riverside-framework@1") == 1
    # Files are still there, and still come first.
    assert registry.get("wemwbs").is_licensed


def test_every_problem_is_named_and_nothing_is_kept(app):
    document = riverside_framework()
    document["framework"]["characteristics"].append("not_written_yet")
    document["estimated_minutes"] = 0
    with pytest.raises(StoreRefused) as refused:
        save(document)
    places = {problem.path for problem in refused.value.problems}
    assert "estimated_minutes" in places
    assert any("not_written_yet" in str(problem) for problem in refused.value.problems)
    db.session.rollback()
    assert db.session.scalar(select(StoredInstrument)) is None


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(id="wemwbs"), "instrument file's id"),
        (lambda d: d.update(licence={"holder": "Someone"}), "licensed scales cannot"),
        (lambda d: d.update(type="scale"), "only inspection frameworks"),
    ],
)
def test_licensed_scales_and_file_instruments_cannot_be_written_here(app, change, message):
    document = riverside_framework()
    change(document)
    with pytest.raises(StoreRefused) as refused:
        save(document)
    assert message in str(refused.value)


def test_an_answered_version_never_changes_and_the_next_version_is_offered(app):
    save(riverside_framework())
    provider = Provider(name="Riverside Youth Club")
    service = Service(provider=provider, name="Drop-in")
    campaign = Campaign(
        service=service,
        name="Spring feedback",
        instrument_id="riverside-framework",
        instrument_version=1,
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 6, 30),
    )
    db.session.add(campaign)
    db.session.commit()
    assert not is_answered("riverside-framework", 1)

    db.session.add(Draft(token="t" * 32, campaign_id=campaign.id))
    db.session.commit()
    assert is_answered("riverside-framework", 1)
    changed = riverside_framework()
    changed["version"] = 1
    changed["texts"]["en"]["title"] = "A new title"
    with pytest.raises(StoreRefused) as refused:
        save(changed)
    assert "has been answered and cannot change: save it as version 2" in str(refused.value)
    db.session.rollback()

    following = start_from("riverside-framework", 1)
    assert following["version"] == 2
    save(following)
    db.session.commit()
    assert instrument_registry().versions("riverside-framework") == [1, 2]
    assert instrument_registry().get("riverside-framework").version == 2


def test_a_draft_nobody_has_answered_can_be_saved_again(app):
    save(riverside_framework())
    db.session.commit()
    assert instrument_registry().get("riverside-framework", 1).title().startswith("Riverside")
    again = riverside_framework()
    again["texts"]["en"]["title"] = "Our framework"
    save(again)
    db.session.commit()
    assert instrument_registry().get("riverside-framework", 1).title() == "Our framework"


def test_export_gives_a_file_that_check_and_import_take_on_a_fresh_database(app, runner, tmp_path):
    save(riverside_framework())
    db.session.commit()
    before = instrument_registry().get("riverside-framework", 1)

    exported = invoke(runner, "instruments", "export", "riverside-framework", "1")
    assert exported.exit_code == 0
    data, problems = read_yaml(exported.output, "exported")
    assert problems == []
    assert data == riverside_framework()
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "riverside-framework-1.yaml").write_text(exported.output, encoding="utf-8")

    empty_database()
    assert "riverside-framework" not in instrument_registry()
    imported = invoke(runner, "instruments", "import", str(folder / "riverside-framework-1.yaml"))
    assert imported.exit_code == 0, imported.output
    assert "riverside-framework@1 imported" in imported.output
    after = instrument_registry().get("riverside-framework", 1)
    assert (after.items, after.pages, dict(after.texts), after.framework, after.co_written) == (
        before.items,
        before.pages,
        dict(before.texts),
        before.framework,
        before.co_written,
    )
    again = invoke(runner, "instruments", "import", str(folder / "riverside-framework-1.yaml"))
    assert "already here, unchanged" in again.output

    checked = invoke(runner, "instruments", "check")
    assert checked.exit_code == 0
    assert "riverside-framework@1  inspection" in checked.output
    assert "(imported from a file)" in checked.output


def test_a_file_instrument_exports_as_its_own_file(app, runner):
    exported = invoke(runner, "instruments", "export", "service-feedback", "1")
    with open("surveys/service-feedback-1.yaml", encoding="utf-8") as handle:
        assert exported.output == handle.read()
    missing = runner.invoke(args=["instruments", "export", "nothing-here", "1"])
    assert missing.exit_code == 1
    assert "no instrument nothing-here@1" in missing.output


def test_an_import_with_problems_names_them_and_keeps_nothing(app, runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: shared-survey\nversion: 1\ntype: questionnaire\n", encoding="utf-8")
    result = runner.invoke(args=["instruments", "import", str(broken)])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output
    assert "problem" in result.output
    assert db.session.scalar(select(StoredInstrument)) is None
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("id: a\nid: b\n", encoding="utf-8")
    result = runner.invoke(args=["instruments", "import", str(duplicate)])
    assert result.exit_code == 1
    assert "duplicate key" in result.output


def test_import_of_a_changed_file_under_a_taken_version_is_refused(app):
    text = export_yaml("young-inspectors-framework", 1).replace(
        "id: young-inspectors-framework", "id: shared-framework"
    )
    row, new = import_yaml(text, "shared-framework-1.yaml")
    assert new and row.origin == "import" and row.origin_note == "shared-framework-1.yaml"
    db.session.commit()
    changed = text.replace("Young inspectors' framework", "Our framework")
    with pytest.raises(StoreRefused) as refused:
        import_yaml(changed, "shared-framework-1.yaml")
    assert "already here with different contents: give the file version 2" in str(refused.value)
