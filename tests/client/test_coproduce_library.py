"""The instrument library: one list of every instrument with where it came from, a version's
page, export as a surveys/ file and import of one, a new version or a new instrument."""

from __future__ import annotations

import io
from datetime import date

import yaml
from sqlalchemy import select

from app.config import REPO_ROOT
from app.evidence.sections.visits import visits_section
from app.extensions import db, instrument_registry
from app.instrument_store import answered_keys, is_answered, save, start_from
from app.models import (
    AuditEvent,
    Campaign,
    Draft,
    Provider,
    Service,
    StoredInstrument,
    Visit,
)
from tests.support.apps import empty_database, make_app
from tests.support.pages import ClientRequest, normalize_spaces
from tests.support.visits import every, moderate_all, rate_everything, schedule

CO_WRITTEN = "Written with young people from Riverside Youth Club, March 2027"


def riverside_framework():
    document = start_from("young-inspectors-framework", 1, new_id="riverside-framework")
    document["version"] = 1
    document["co_written"] = CO_WRITTEN
    document["texts"]["en"]["title"] = "Riverside young inspectors' framework"
    return document


def answered(instrument_id: str, version: int) -> None:
    """A campaign of this version with a respondent part way through it."""
    service = Service(provider=Provider(name="Riverside Youth Club"), name="Drop-in")
    campaign = Campaign(
        service=service,
        name="Spring feedback",
        instrument_id=instrument_id,
        instrument_version=version,
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 6, 30),
    )
    db.session.add(campaign)
    db.session.flush()
    db.session.add(Draft(token="t" * 32, campaign_id=campaign.id))
    db.session.commit()


def test_the_list_marks_the_same_versions_as_answered_as_each_version_says(app, make_user):
    save(riverside_framework())
    for n in (1, 2):
        copy = start_from("service-feedback", 1, new_id=f"feedback-{n}")
        copy["version"] = 1
        save(copy)
    db.session.commit()
    answered("feedback-1", 1)
    service = db.session.scalar(select(Service))
    db.session.add(
        Visit(
            service=service,
            kind="known",
            channel="visit",
            visit_on=date(2027, 3, 14),
            framework_id="riverside-framework",
            framework_version=1,
            created_by=make_user("coordinator"),
        )
    )
    db.session.commit()
    keys = [("riverside-framework", 1), ("feedback-1", 1), ("feedback-2", 1)]
    assert answered_keys() == {key for key in keys if is_answered(*key)}
    assert answered_keys() == {("riverside-framework", 1), ("feedback-1", 1)}


def entry_text(page, instrument_id: str, version: int) -> str:
    found = page.select_one(f"#instrument-{instrument_id}-{version}")
    assert found is not None, f"{instrument_id}@{version} is not in the list"
    return normalize_spaces(found.text)


def upload(client_request, content: bytes, filename: str, expected_status: int):
    return client_request.post(
        "/instruments/import",
        {"file": (io.BytesIO(content), filename)},
        expected_status=expected_status,
        content_type="multipart/form-data",
    )


def test_the_library_lists_every_instrument_by_type_with_where_it_came_from(
    client_request, make_user, sign_in
):
    save(riverside_framework())
    imported = start_from("service-feedback", 1, new_id="north-feedback")
    imported["version"] = 1
    save(imported, origin="import", origin_note="north-feedback-1.yaml")
    db.session.commit()
    answered("north-feedback", 1)
    sign_in(make_user("coordinator"))

    page = client_request.get("/instruments/")
    headings = [normalize_spaces(h.text) for h in page.select("h2")]
    assert headings == [
        "Questionnaires",
        "Inspection frameworks",
        "Mystery shops",
        "Scales",
        "Stars",
    ]
    writing = {normalize_spaces(a.text): a["href"] for a in page.select(".govuk-button-group a")}
    assert writing["Write a framework"] == "/instruments/frameworks/new"
    assert writing["Write a mystery shop"] == "/instruments/mystery-shops/new"
    assert writing["Import an instrument file"] == "/instruments/import"
    riverside = entry_text(page, "riverside-framework", 1)
    assert "Riverside young inspectors' framework" in riverside
    assert "Written on screen" in riverside
    assert CO_WRITTEN in riverside
    assert "Answered: cannot change" not in riverside
    north = entry_text(page, "north-feedback", 1)
    assert "Imported from north-feedback-1.yaml" in north
    assert "Answered: cannot change" in north
    feedback = entry_text(page, "service-feedback", 1)
    assert "Project file (surveys/)" in feedback
    assert "Answered: cannot change" not in feedback
    assert "Licensed" in entry_text(page, "swemwbs", 1)
    assert "Licensed" not in feedback
    assert "English" in feedback
    # Each under its own type's heading.
    frameworks = page.find("h2", string="Inspection frameworks").find_next("ul")
    assert frameworks.select_one("#instrument-riverside-framework-1") is not None


def test_an_instrument_pack_is_told_apart_from_the_project_files(
    app, database_url, tmp_path, make_user
):
    pack = tmp_path / "pack"
    pack.mkdir()
    document = yaml.safe_load((REPO_ROOT / "surveys" / "service-feedback-1.yaml").read_text())
    document["id"] = "pack-feedback"
    (pack / "pack-feedback-1.yaml").write_text(yaml.safe_dump(document, allow_unicode=True))
    coordinator = make_user("coordinator")
    with_pack = make_app(database_url, INSTRUMENT_DIRS=[str(REPO_ROOT / "surveys"), str(pack)])
    with with_pack.app_context():
        pages = ClientRequest(with_pack.test_client())
        pages.post("/sign-in", {"email": coordinator.email, "password": "correct horse battery"})
        page = pages.get("/instruments/")
        assert "Instrument pack" in entry_text(page, "pack-feedback", 1)
        assert "Project file (surveys/)" in entry_text(page, "service-feedback", 1)


def test_the_old_instruments_page_leads_to_the_library(client_request, make_user, sign_in):
    sign_in(make_user("admin"))
    response = client_request.get("/admin/instruments", expected_status=302)
    assert response.headers["Location"] == "/instruments/"
    assert client_request.get("/staff").select_one('a[href="/instruments/"]') is not None


def test_only_coordinators_and_admins_reach_the_library(client_request, make_user, sign_in):
    sign_in(make_user("commissioner"))
    client_request.get("/instruments/", expected_status=403)
    client_request.get("/instruments/import", expected_status=403)


def test_a_version_page_says_what_it_asks_in_which_languages_and_where_it_is_used(
    client_request, make_user, sign_in, demo
):
    sign_in(make_user("coordinator"))
    page = client_request.get("/instruments/young-inspectors-framework/1")
    assert "Project file (surveys/)" in page.select_one("#origin").text
    characteristics = page.select("#characteristics li")
    framework = instrument_registry().get("young-inspectors-framework", 1)
    assert len(characteristics) == len(framework.framework.characteristics)
    assert "Only by changing its file" in page.select_one("#status").text
    assert "English (en)" in page.select_one("#languages").text

    page = client_request.get("/instruments/mystery-shop-checklist/1")
    steps = page.select("#steps > li")
    assert len(steps) == len(
        instrument_registry().get("mystery-shop-checklist", 1).mystery_shop.steps
    )
    assert "(yes or no)" in page.select_one("#steps").text

    page = client_request.get("/instruments/service-feedback/1")
    uses = normalize_spaces(page.select_one("#uses").text)
    assert f"Campaign: {demo['service-feedback'].name}" in uses
    assert page.select_one("#page-1") is not None
    assert "Start a new one from this" in page.text
    # No stored copy of a file to make a new version of: the file is changed instead.
    assert "Make a new version" not in page.text

    client_request.get("/instruments/service-feedback/99", expected_status=404)
    client_request.get("/instruments/no-such-thing/1", expected_status=404)
    client_request.get(f"/instruments/service-feedback/{'9' * 20}", expected_status=404)
    client_request.get(f"/instruments/{'x' * 70}/{'9' * 12}.yaml", expected_status=404)


def test_a_page_skipped_by_an_earlier_answer_says_when(client_request, make_user, sign_in):
    routed = start_from("service-feedback", 1, new_id="routed-feedback")
    routed["version"] = 1
    second = routed["pages"][1]
    routed["pages"][1] = {"items": second, "skip_if": {"item": "how_often", "answer": "first_time"}}
    save(routed)
    db.session.commit()
    sign_in(make_user("coordinator"))
    page = client_request.get("/instruments/routed-feedback/1")
    instrument = instrument_registry().get("routed-feedback", 1)
    question = instrument.item_text("how_often", "en")
    answer = instrument.answer_label("how_often", "first_time", "en")
    assert normalize_spaces(page.select_one("#page-2-skipped").text) == (
        f"Skipped when the answer to “{question}” is “{answer}”."
    )
    assert page.select_one("#page-1-skipped") is None
    assert len(page.select("#page-2 li")) == len(second)


def test_export_gives_the_version_as_a_surveys_file_download(client_request, make_user, sign_in):
    save(riverside_framework())
    db.session.commit()
    sign_in(make_user("coordinator"))
    response = client_request.get("/instruments/riverside-framework/1.yaml")
    assert response.headers["Content-Type"] == "text/yaml; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=riverside-framework-1.yaml"
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert yaml.safe_load(response.get_data(as_text=True)) == riverside_framework()

    file_export = client_request.get("/instruments/service-feedback/1.yaml")
    assert file_export.get_data(as_text=True) == (
        (REPO_ROOT / "surveys" / "service-feedback-1.yaml").read_text(encoding="utf-8")
    )


def test_an_exported_file_imported_into_an_empty_library_is_the_same_instrument(
    client_request, make_user, sign_in
):
    save(riverside_framework())
    db.session.commit()
    before = instrument_registry().get("riverside-framework", 1)
    sign_in(make_user("coordinator"))
    exported = client_request.get("/instruments/riverside-framework/1.yaml").get_data()

    empty_database()
    assert db.session.scalar(select(StoredInstrument)) is None
    sign_in(make_user("coordinator"))
    response = upload(client_request, exported, "riverside-framework-1.yaml", 302)
    assert response.headers["Location"] == "/instruments/riverside-framework/1"
    page = client_request.get("/instruments/riverside-framework/1")
    banner = normalize_spaces(page.select_one(".govuk-notification-banner--success").text)
    assert "riverside-framework@1 imported" in banner
    assert "Imported from riverside-framework-1.yaml" in page.select_one("#origin").text
    assert CO_WRITTEN in page.text

    after = instrument_registry().get("riverside-framework", 1)
    row = db.session.scalar(select(StoredInstrument))
    assert row.document == riverside_framework()
    assert after.framework == before.framework
    assert after.items == before.items
    assert after.pages == before.pages
    assert dict(after.texts) == dict(before.texts)
    assert after.co_written == before.co_written
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "instrument_imported"))
    assert event.detail["instrument"] == "riverside-framework@1"

    # The same file again changes nothing, and says so.
    upload(client_request, exported, "riverside-framework-1.yaml", 302)
    page = client_request.get("/instruments/riverside-framework/1")
    assert "riverside-framework@1 is already here, unchanged" in page.text
    assert len(db.session.scalars(select(StoredInstrument)).all()) == 1


def test_every_problem_in_an_imported_file_is_listed_where_and_what(
    client_request, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    document = riverside_framework()
    document["framework"]["characteristics"].append("not_written_yet")
    document["estimated_minutes"] = 0
    page = upload(
        client_request,
        yaml.safe_dump(document, allow_unicode=True).encode(),
        "riverside.yaml",
        400,
    )
    assert page.title.text.startswith("Error:")
    lines = [normalize_spaces(a.text) for a in page.select(".govuk-error-summary__list a")]
    assert len(lines) >= 2
    assert any(line.startswith("estimated_minutes:") for line in lines)
    assert any("not_written_yet" in line for line in lines)
    assert all(a["href"] == "#file" for a in page.select(".govuk-error-summary__list a"))
    assert "listed at the top of the page" in page.select_one("#file-error").text
    assert db.session.scalar(select(StoredInstrument)) is None


def test_a_file_that_is_not_an_instrument_is_refused_with_a_clear_message(
    client_request, make_user, sign_in
):
    sign_in(make_user("coordinator"))

    def summary(content: bytes, filename: str) -> str:
        page = upload(client_request, content, filename, 400)
        return normalize_spaces(page.select_one(".govuk-error-summary").text)

    assert "choose a .yaml or .yml file" in summary(b"id: x", "framework.docx")
    assert "200 KB or smaller" in summary(b"# " + b"x" * (200 * 1024), "big.yaml")
    assert "UTF-8" in summary(b"\xff\xfe\x00", "odd.yaml")
    assert "the file is empty" in summary(b"  \n", "empty.yaml")
    assert "yaml" in summary(b"id: [unclosed", "broken.yaml").lower()
    licensed = (REPO_ROOT / "surveys" / "swemwbs-1.yaml").read_bytes()
    assert "licensed scales cannot" in summary(licensed, "swemwbs-1.yaml")
    page = client_request.post(
        "/instruments/import", {}, expected_status=400, content_type="multipart/form-data"
    )
    assert "Choose an instrument file to import" in page.text
    assert db.session.scalar(select(StoredInstrument)) is None


def test_a_licensed_scale_cannot_be_started_from(client_request, make_user, sign_in):
    sign_in(make_user("coordinator"))
    page = client_request.get("/instruments/swemwbs/1")
    assert "Start a new one from this" not in page.text
    assert "cannot be copied" in page.text
    client_request.post(
        "/instruments/swemwbs/1/copy",
        {"title": "Our wellbeing scale"},
        expected_status=400,
        form_page="/instruments/service-feedback/1",
    )
    assert db.session.scalar(select(StoredInstrument)) is None


def test_a_new_instrument_starts_from_a_file_with_an_id_from_its_title(
    client_request, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    url = "/instruments/service-feedback/1/copy"
    page = client_request.post(url, {"title": "  "}, expected_status=400, form_page=url[:-5])
    assert "Enter a title for the new instrument" in page.select_one(".govuk-error-summary").text

    response = client_request.post(url, {"title": "Riverside feedback"}, form_page=url[:-5])
    # To the questionnaire editor once there is one, else to the new instrument's page.
    assert "riverside-feedback" in response.headers["Location"]
    copied = instrument_registry().get("riverside-feedback", 1)
    assert copied.title("en") == "Riverside feedback"
    row = db.session.scalar(select(StoredInstrument))
    assert (row.origin, row.origin_note) == ("screen", "service-feedback@1")
    # A second from the same title gets an id of its own.
    client_request.post(url, {"title": "Riverside feedback"}, form_page=url[:-5])
    assert instrument_registry().get("riverside-feedback-2", 1).title("en") == "Riverside feedback"


def test_a_new_version_of_an_answered_version_leaves_the_answered_one_as_it_was(
    client_request, make_user, sign_in
):
    save(riverside_framework())
    db.session.commit()
    answered("riverside-framework", 1)
    sign_in(make_user("coordinator"))
    page = client_request.get("/instruments/riverside-framework/1")
    assert "Answered: cannot change" in page.select_one("#status").text

    response = client_request.post("/instruments/riverside-framework/1/new-version")
    # Straight to the framework editor, to change the new version.
    assert response.headers["Location"] == "/instruments/frameworks/riverside-framework/2/edit"
    assert instrument_registry().versions("riverside-framework") == [1, 2]
    second = db.session.scalar(select(StoredInstrument).where(StoredInstrument.version == 2))
    assert second.origin_note == "riverside-framework@1"
    first = db.session.scalar(select(StoredInstrument).where(StoredInstrument.version == 1))
    assert first.document == riverside_framework()
    assert first.revision == 1

    page = client_request.get("/instruments/riverside-framework/2")
    assert "Yes: nobody has answered it yet" in page.select_one("#status").text
    assert "Versions" in page.text

    # A file's version is changed in its file, not here.
    client_request.post(
        "/instruments/service-feedback/1/new-version",
        expected_status=400,
        form_page="/instruments/riverside-framework/1",
    )


def test_inspectors_and_readers_of_the_report_see_who_co_wrote_the_framework(
    app, client_request, sign_in, people, demo
):
    save(riverside_framework())
    db.session.commit()
    framework = instrument_registry().get("riverside-framework", 1)
    sign_in(people["coordinator"])
    visit = schedule(
        client_request,
        demo["wemwbs"].service_id,
        [people["ash"]],
        framework="riverside-framework@1",
    )
    sign_in(people["ash"])
    page = client_request.get(f"/fieldwork/visits/{visit.id}/rate/1")
    assert page.select_one("#co-written").text == CO_WRITTEN
    rate_everything(client_request, visit, framework, every(framework, "3"))
    sign_in(people["coordinator"])
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    assert page.select_one("#co-written").text == CO_WRITTEN
    moderate_all(client_request, visit, framework)
    client_request.post(f"/fieldwork/visits/{visit.id}/finalise", {})
    page = client_request.get(f"/reports/{visit.id}")
    assert page.select_one("#co-written").text == CO_WRITTEN

    db.session.refresh(visit)
    section = visits_section([visit], instrument_registry())
    ratings = next(table for table in section.tables if table.key.endswith("-ratings"))
    assert ratings.note.endswith(f"The framework: {CO_WRITTEN}.")

    # A framework nobody co-wrote says nothing of the kind.
    page = client_request.get("/instruments/young-inspectors-framework/1")
    assert page.select_one(".app-co-written") is None
