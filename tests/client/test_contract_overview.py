"""The contracts overview, a contract's page and their exports, as commissioners and
providers use them with the demo's contracts: Riverside (CYP-2026-014, the partnership's,
meeting its targets), Harbour (HFS-2025-007, Northshire's, not meeting them) and Meadow
(MCS-2026-003, Southvale's, with a late return)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AuditEvent,
    Contract,
    MeasureResult,
    Provider,
    ProviderReturn,
    Recommendation,
    ReturnQuery,
    User,
    Visit,
)
from app.models.timeutil import uk_today, utcnow
from app.monitoring import status
from app.monitoring.returns_due import overdue_returns
from tests.support.contracts import (
    load_demo,
    overview_rows,
    references,
    sheet_rows,
    sign_in_as,
    workbook,
)
from tests.support.pages import normalize_spaces

HARBOUR_WORST = "Complaints received: 5 against a target of 2; 3 above."


@pytest.fixture
def contracts(runner):
    return load_demo(runner)


def _text(page, selector: str) -> str:
    return normalize_spaces(page.select_one(selector).get_text(" "))


def test_a_commissioner_signs_in_to_the_overview_and_sees_which_contract_is_furthest_off(
    client_request, contracts
):
    response = sign_in_as(client_request, "commissioner@example.org")
    assert response.headers["Location"] == "/contracts/"
    page = client_request.get("/contracts/")
    furthest = _text(page, "#furthest-off")
    assert furthest == (
        "Furthest off target: HFS-2025-007 Early help family support, Northshire "
        f"(Harbour Family Support). {HARBOUR_WORST}"
    )
    rows = {row["reference"]: row for row in overview_rows(page)}
    assert set(rows) == {"CYP-2026-014", "HFS-2025-007"}
    harbour = rows["HFS-2025-007"]
    assert harbour["not-met"].startswith("4 Worst: " + HARBOUR_WORST)
    assert harbour["risk"] == "High"
    assert harbour["provider"] == "Harbour Family Support"
    assert rows["CYP-2026-014"]["not-met"] == "0"
    # The trend is in words, never an arrow alone.
    assert harbour["trend"].endswith("Mixed: 1 measure improved, 4 measures got worse")
    assert rows["CYP-2026-014"]["reviewed"] == format(
        contracts["CYP-2026-014"].last_reviewed_on, "%-d %b %Y"
    )
    link = page.find("a", string="HFS-2025-007")
    assert link["href"] == f"/contracts/{contracts['HFS-2025-007'].id}"
    # The staff home and the menu lead here too.
    home = client_request.get("/staff")
    assert home.find("a", href="/contracts/", string="Contracts")


def test_a_commissioner_of_one_council_sees_nothing_of_another_councils_contracts(
    client_request, contracts
):
    sign_in_as(client_request, "southvale@example.org")
    page = client_request.get("/contracts/")
    assert references(page) == ["MCS-2026-003", "CYP-2026-014"]
    assert "HFS-2025-007" not in page.text
    assert "Harbour" not in page.text
    harbour = contracts["HFS-2025-007"]
    client_request.get(f"/contracts/{harbour.id}", expected_status=404)
    client_request.get(f"/contracts/{harbour.id}/charts/{'0' * 64}.svg", expected_status=404)
    client_request.post(
        f"/contracts/{harbour.id}/refresh",
        form_page=f"/contracts/{contracts['MCS-2026-003'].id}",
        expected_status=404,
    )
    client_request.get("/contracts/999999", expected_status=404)
    meadow = contracts["MCS-2026-003"]
    late = "; ".join(p.label for p in overdue_returns(meadow))
    summary = _text(client_request.get(f"/contracts/{meadow.id}"), "#contract-summary")
    assert f"Returns overdue {late}" in summary
    book = workbook(client_request.get("/contracts/overview.xlsx").data)
    assert [row["Reference"] for row in sheet_rows(book, "Contracts")] == [
        "MCS-2026-003",
        "CYP-2026-014",
    ]
    assert {row["Reference"] for row in sheet_rows(book, "Measures")} == {
        "MCS-2026-003",
        "CYP-2026-014",
    }
    # Nobody else's contract is furthest off target for them.
    assert "HFS" not in _text(page, "#furthest-off")


def test_a_provider_sees_its_own_contracts_statuses_and_nothing_else(client_request, contracts):
    response = sign_in_as(client_request, "provider@example.org")
    assert response.headers["Location"] == "/staff"
    home = client_request.get("/staff")
    assert home.find("a", href="/contracts/", string="Contracts")
    page = client_request.get("/contracts/")
    assert references(page) == ["CYP-2026-014"]
    assert _text(page, "#furthest-off") == (
        "No contract has a measure not met in its latest complete period."
    )
    client_request.get(f"/contracts/{contracts['CYP-2026-014'].id}")
    for reference in ("HFS-2025-007", "MCS-2026-003"):
        client_request.get(f"/contracts/{contracts[reference].id}", expected_status=404)
    book = workbook(client_request.get("/contracts/overview.xlsx").data)
    assert [row["Reference"] for row in sheet_rows(book, "Contracts")] == ["CYP-2026-014"]


def test_people_with_no_part_in_contracts_may_not_open_the_overview(
    client_request, contracts, make_user, sign_in
):
    sign_in(make_user("key_worker"))
    client_request.get("/contracts/", expected_status=403)
    client_request.get(f"/contracts/{contracts['CYP-2026-014'].id}", expected_status=403)


def test_the_overview_sorts_and_filters_with_plain_links_and_a_form(client_request, contracts):
    sign_in_as(client_request, "admin@example.org")
    page = client_request.get("/contracts/")
    assert references(page) == ["HFS-2025-007", "MCS-2026-003", "CYP-2026-014"]
    assert "sorted by not met, highest first" in _text(page, "#contracts-caption")

    by_reference = page.find("a", string="Contract")["href"]
    assert by_reference == "/contracts/?sort=reference&order=asc#contracts"
    page = client_request.get(by_reference)
    assert references(page) == ["CYP-2026-014", "HFS-2025-007", "MCS-2026-003"]
    assert "sorted by contract, A to Z" in _text(page, "#contracts-caption")
    header = page.find("a", string="Contract").find_parent("th")
    assert header["aria-sort"] == "ascending"
    # The same heading again turns the order round.
    page = client_request.get(page.find("a", string="Contract")["href"])
    assert references(page) == ["MCS-2026-003", "HFS-2025-007", "CYP-2026-014"]

    page = client_request.get("/contracts/?sort=risk")
    assert references(page) == ["HFS-2025-007", "MCS-2026-003", "CYP-2026-014"]
    page = client_request.get("/contracts/?sort=waiting")
    assert references(page)[0] == "MCS-2026-003"
    page = client_request.get("/contracts/?sort=reviewed&order=asc")
    assert references(page) == ["HFS-2025-007", "MCS-2026-003", "CYP-2026-014"]

    assert references(client_request.get("/contracts/?risk=high")) == ["HFS-2025-007"]
    assert references(client_request.get("/contracts/?show=overdue")) == ["MCS-2026-003"]
    assert references(client_request.get("/contracts/?show=not_met")) == ["HFS-2025-007"]
    assert references(client_request.get("/contracts/?q=meadow")) == ["MCS-2026-003"]
    riverside = contracts["CYP-2026-014"]
    page = client_request.get(f"/contracts/?provider={riverside.provider_id}&sort=reference")
    assert references(page) == ["CYP-2026-014"]
    # Filters keep the sort, and the sort links keep the filters.
    page = client_request.get("/contracts/?risk=low&sort=reference&order=desc")
    assert page.find("input", attrs={"name": "sort"})["value"] == "reference"
    assert "risk=low" in page.find("a", string="Provider")["href"]
    page = client_request.get("/contracts/?q=nothing+like+this")
    assert references(page) == []
    assert "No contract matches these filters" in _text(page, "#no-matches")
    # The furthest-off sentence is about everything the person may see, whatever the filter.
    assert "HFS-2025-007" in _text(page, "#furthest-off")
    overdue = overview_rows(client_request.get("/contracts/?show=overdue"))[0]["waiting"]
    assert overdue.startswith("1 return overdue")


def test_a_filter_value_that_is_not_offered_is_named_in_an_error(client_request, contracts):
    sign_in_as(client_request, "admin@example.org")
    page = client_request.get("/contracts/?risk=extreme&sort=colour", expected_status=400)
    assert page.title.text.startswith("Error:")
    errors = [normalize_spaces(a.text) for a in page.select(".govuk-error-summary a")]
    assert errors == [
        "Sort by: choose one of the options given",
        "Risk: choose one of the options given",
    ]
    # Nothing is hidden because of it: every contract is still listed.
    assert len(references(page)) == 3


def test_the_overview_as_excel_holds_the_same_statuses_as_the_pages(client_request, contracts):
    sign_in_as(client_request, "commissioner@example.org")
    page = client_request.get("/contracts/")
    download = page.find("a", string="Download these contracts (Excel)")["href"]
    response = client_request.get(download)
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    book = workbook(response.data)
    on_page = {row["reference"]: row for row in overview_rows(page)}
    sheet = {row["Reference"]: row for row in sheet_rows(book, "Contracts")}
    assert list(sheet) == list(on_page)
    for reference, row in sheet.items():
        assert str(row["Measures not met"]) == on_page[reference]["not-met"].split()[0]
        assert str(row["Measures close"]) == on_page[reference]["close"].split()[0]
    assert sheet["HFS-2025-007"]["Furthest off target"] == HARBOUR_WORST
    assert sheet["HFS-2025-007"]["Risk"] == "High"

    harbour = contracts["HFS-2025-007"]
    contract_page = client_request.get(f"/contracts/{harbour.id}")
    shown = {
        normalize_spaces(li.a.text): normalize_spaces(li.get_text(" ")).rsplit(": ", 1)[1]
        for li in contract_page.select("#measure-contents li")
    }
    measures = [r for r in sheet_rows(book, "Measures") if r["Reference"] == "HFS-2025-007"]
    assert {r["Measure"]: r["Status"] for r in measures} == shown
    wait = next(r for r in measures if r["Measure"].startswith("Median wait"))
    assert wait["Value"] == "49 days"
    assert wait["Reason"] == "49 days against a target of 21 days; 28 days above."
    assert wait["Tolerance"] == "7 days"

    event = db.session.scalars(
        select(AuditEvent).filter_by(action="contracts_overview_exported")
    ).one()
    assert event.actor_label == "commissioner@example.org"
    assert event.detail["contracts"] == ["HFS-2025-007", "CYP-2026-014"]


def test_text_in_the_excel_file_never_becomes_a_formula(client_request, contracts):
    harbour = contracts["HFS-2025-007"]
    harbour.title = '=HYPERLINK("http://example.com")'
    db.session.commit()
    sign_in_as(client_request, "commissioner@example.org")
    book = workbook(client_request.get("/contracts/overview.xlsx").data)
    titles = [row["Title"] for row in sheet_rows(book, "Contracts")]
    assert '\'=HYPERLINK("http://example.com")' in titles


def test_a_contract_page_shows_each_measures_history_target_and_evidence(client_request, contracts):
    sign_in_as(client_request, "commissioner@example.org")
    harbour = contracts["HFS-2025-007"]
    page = client_request.get(f"/contracts/{harbour.id}")
    assert normalize_spaces(page.h1.text) == "Early help family support, Northshire"
    details = _text(page, "#contract-details")
    for words in (
        "Commissioned by Northshire County Council",
        "Provider Harbour Family Support",
        "Services Family support workers",
        "Value £420,000",
        "Monitoring interval Every 3 months",
        "Risk High",
    ):
        assert words in details

    summary = _text(page, "#contract-summary")
    assert f"Measures not met 4: worst is {HARBOUR_WORST}" in summary
    assert "Since the period before Mixed: 1 measure improved, 4 measures got worse" in summary
    assert "Returns overdue None" in summary

    wait = next(c for c in harbour.measures if c.measure.key == "median-wait")
    section = page.find(id=f"measure-{wait.id}").find_parent("section")
    table = section.find("table")
    rows = [
        [normalize_spaces(cell.get_text(" ")) for cell in tr.find_all(["th", "td"])]
        for tr in table.tbody.find_all("tr")
    ]
    periods = status.complete_periods(harbour)
    assert [row[0] for row in rows] == [p.label for p in periods]
    assert rows[0] == [
        periods[0].label,
        "49 days",
        "Not met",
        "49 days against a target of 21 days; 28 days above.",
    ]
    assert rows[-1][1:3] == ["24 days", "Close"]
    assert "Target 21 days, close within 7 days; lower is better." in section.text
    assert "From the provider's returns" in section.text
    assert [a["href"] for a in section.select(f"#evidence-{wait.id} a")] == [
        f"/contracts/{harbour.id}/returns/{p.start.isoformat()}" for p in periods
    ]
    client_request.get(section.select_one(f"#evidence-{wait.id} a")["href"])

    # The chart has its finding in words, and is served to those who may see the contract.
    image = section.find("img")
    assert image["alt"].startswith("Chart of Median wait from referral to first appointment")
    # The alt says what the chart is; the caption goes on with the finding, never repeating it.
    caption = image.find_parent("figure").figcaption.text
    assert "Latest figure: 49 days" in caption and "Latest figure" not in image["alt"]
    svg = client_request.get(image["src"])
    assert svg.mimetype == "image/svg+xml"

    # A figure about people links to the evidence behind it, period by period.
    wellbeing = next(c for c in harbour.measures if c.measure.key == "wemwbs-mean")
    links = page.select(f"#evidence-{wellbeing.id} a")
    assert [a["href"] for a in links] == [
        f"/evidence/providers/{harbour.provider_id}?period={p.start.isoformat()}" for p in periods
    ]
    assert "not enough data" in page.find(id=f"history-{wellbeing.id}").text


def test_the_pages_read_kept_figures_until_they_are_worked_out_again(
    client_request, contracts, monkeypatch
):
    sign_in_as(client_request, "commissioner@example.org")
    harbour = contracts["HFS-2025-007"]
    latest = status.latest_complete_period(harbour)
    submitted = db.session.scalar(
        select(ProviderReturn).filter_by(contract_id=harbour.id, period_start=latest.start)
    )
    submitted.figures = {**submitted.figures, "complaints": 0}
    db.session.commit()

    def no_rebuilding(*args, **kwargs):
        raise AssertionError("the figures were worked out again without being asked")

    with monkeypatch.context() as patched:
        patched.setattr(status, "refresh", no_rebuilding)
        page = client_request.get("/contracts/")
        assert HARBOUR_WORST in _text(page, "#furthest-off")
        client_request.get(f"/contracts/{harbour.id}")

    client_request.post(f"/contracts/{harbour.id}/refresh", form_page=f"/contracts/{harbour.id}")
    page = client_request.get(f"/contracts/{harbour.id}")
    complaints = next(c for c in harbour.measures if c.measure.key == "complaints")
    first = page.find(id=f"history-{complaints.id}").tbody.tr
    assert normalize_spaces(first.get_text(" ")).startswith(f"{latest.label} 0 Met")
    assert "HFS-2025-007" in _text(client_request.get("/contracts/"), "#furthest-off")
    assert HARBOUR_WORST not in _text(client_request.get("/contracts/"), "#furthest-off")
    event = db.session.scalars(
        select(AuditEvent).filter_by(action="contract_figures_worked_out")
    ).one()
    assert event.object_id == str(harbour.id)


def test_a_contract_with_nothing_kept_yet_is_worked_out_once_when_shown(client_request, contracts):
    harbour = contracts["HFS-2025-007"]
    status.forget(harbour)
    db.session.commit()
    sign_in_as(client_request, "commissioner@example.org")
    page = client_request.get("/contracts/")
    assert HARBOUR_WORST in _text(page, "#furthest-off")
    kept = db.session.scalars(
        select(MeasureResult).where(
            MeasureResult.contract_measure_id.in_([c.id for c in harbour.measures])
        )
    ).all()
    # Only the two periods the overview shows; the contract's page works out the rest.
    assert len(kept) == len(harbour.measures) * 2
    client_request.get(f"/contracts/{harbour.id}")
    kept = db.session.scalars(
        select(MeasureResult).where(
            MeasureResult.contract_measure_id.in_([c.id for c in harbour.measures])
        )
    ).all()
    assert len(kept) == len(harbour.measures) * status.HISTORY_PERIODS


def test_queries_recommendations_and_inspections_show_on_the_overview(client_request, contracts):
    harbour = contracts["HFS-2025-007"]
    coordinator = db.session.scalar(select(User).filter_by(email="coordinator@example.org"))
    latest = status.latest_complete_period(harbour)
    submitted = db.session.scalar(
        select(ProviderReturn).filter_by(contract_id=harbour.id, period_start=latest.start)
    )
    db.session.add_all(
        [
            ReturnQuery(provider_return=submitted, question="Why did waits grow?"),
            ReturnQuery(
                provider_return=submitted, question="Which schools?", answer="Three of them."
            ),
        ]
    )
    service = harbour.services[0]
    day = uk_today() - timedelta(days=10)
    visit = Visit(
        service_id=service.id,
        kind="known",
        channel="visit",
        visit_on=day,
        framework_id="young-inspectors-framework",
        framework_version=1,
        created_by_id=coordinator.id,
        summary="Welcoming staff, but the waiting room had no information for young people.",
        finalised_at=utcnow(),
    )
    older = Visit(
        service_id=service.id,
        kind="mystery",
        channel="phone",
        visit_on=day - timedelta(days=30),
        framework_id="young-inspectors-framework",
        framework_version=1,
        created_by_id=coordinator.id,
        summary="An older visit.",
        finalised_at=utcnow(),
    )
    draft = Visit(
        service_id=service.id,
        kind="known",
        channel="visit",
        visit_on=day + timedelta(days=5),
        framework_id="young-inspectors-framework",
        framework_version=1,
        created_by_id=coordinator.id,
        summary="Not finalised yet.",
    )
    db.session.add_all([visit, older, draft])
    db.session.flush()
    db.session.add_all(
        [
            Recommendation(visit_id=visit.id, text="Put leaflets in the waiting room."),
            Recommendation(
                visit_id=older.id,
                text="Answer the phone sooner.",
                reply="We will.",
                reply_due_on=uk_today() + timedelta(days=30),
            ),
        ]
    )
    db.session.commit()
    sign_in_as(client_request, "commissioner@example.org")
    rows = {row["reference"]: row for row in overview_rows(client_request.get("/contracts/"))}
    harbour_row = rows["HFS-2025-007"]
    # The demo's improvement case on Harbour has an action past its due date.
    assert harbour_row["waiting"] == (
        "1 query about a return unanswered 1 recommendation awaiting a reply "
        "1 open improvement case, 1 action overdue"
    )
    assert harbour_row["inspection"] == (
        f"{day:%-d %b %Y} Known visit to Family support workers: Welcoming staff, but the "
        "waiting room had no information for young people."
    )
    assert rows["CYP-2026-014"]["waiting"] == "Nothing"
    page = client_request.get("/contracts/?show=attention&sort=reference")
    assert references(page) == ["HFS-2025-007"]
    summary = _text(client_request.get(f"/contracts/{harbour.id}"), "#contract-summary")
    assert "Queries about returns unanswered 1" in summary
    assert "Recommendations awaiting a reply 1" in summary
    assert f"Latest inspection {day.day} {day:%B %Y}. Known visit to Family support" in summary


def test_the_evidence_pack_carries_the_contract_section_for_those_who_may_see_it(
    client_request, contracts
):
    harbour = contracts["HFS-2025-007"]
    provider = db.session.get(Provider, harbour.provider_id)
    sign_in_as(client_request, "commissioner@example.org")
    response = client_request.get(f"/evidence/providers/{provider.id}/pack.xlsx")
    book = workbook(response.data)
    assert "Contract" in book.sheetnames
    cells = [
        [value for value in row if value is not None]
        for row in book["Contract"].iter_rows(values_only=True)
    ]
    flat = [value for row in cells for value in row]
    assert any(str(v).startswith("HFS-2025-007 Early help family support") for v in flat)
    wait_row = next(row for row in cells if row and str(row[0]).startswith("Median wait"))
    assert wait_row == [
        "Median wait from referral to first appointment",
        "49 days",
        "21 days",
        "Not met",
        "49 days against a target of 21 days; 28 days above.",
    ]
    wellbeing = next(row for row in cells if row and row[0] == "Mean wellbeing score (WEMWBS)")
    assert wellbeing[1] == "not enough data"

    csv = client_request.get(f"/evidence/services/{harbour.services[0].id}/pack.csv")
    text = csv.data.decode("utf-8-sig")
    assert "HFS-2025-007 Early help family support, Northshire: measures and targets" in text

    # Another council's commissioner gets no pack of it at all.
    client_request.post("/sign-out", {}, form_page="/staff")
    sign_in_as(client_request, "southvale@example.org")
    client_request.get(f"/evidence/providers/{provider.id}/pack.xlsx", expected_status=404)
    meadow = contracts["MCS-2026-003"]
    text = client_request.get(f"/evidence/services/{meadow.services[0].id}/pack.csv").data
    assert "MCS-2026-003" in text.decode("utf-8-sig")
    assert "HFS-2025-007" not in text.decode("utf-8-sig")


def test_a_contract_with_no_measures_or_periods_yet_says_so(client_request, contracts):
    new = Contract(
        reference="NEW-2027-001",
        title="A contract starting next year",
        provider_id=contracts["HFS-2025-007"].provider_id,
        starts_on=uk_today() + timedelta(days=60),
        bodies=contracts["HFS-2025-007"].bodies,
    )
    db.session.add(new)
    db.session.commit()
    sign_in_as(client_request, "commissioner@example.org")
    rows = {row["reference"]: row for row in overview_rows(client_request.get("/contracts/"))}
    assert rows["NEW-2027-001"]["not-met"] == "0 No measures chosen yet"
    assert rows["NEW-2027-001"]["trend"] == "No earlier period"
    page = client_request.get(f"/contracts/{new.id}")
    assert "No measures have been chosen for this contract yet." in page.text
    assert "Value Not recorded" in _text(page, "#contract-details")


def test_a_figure_hidden_by_the_small_numbers_rule_stays_hidden_everywhere(
    client_request, contracts
):
    harbour = contracts["HFS-2025-007"]
    wellbeing = next(c for c in harbour.measures if c.measure.key == "wemwbs-mean")
    latest = status.latest_complete_period(harbour)
    kept = db.session.scalar(
        select(MeasureResult).filter_by(contract_measure_id=wellbeing.id, period_start=latest.start)
    )
    kept.suppressed = True
    kept.reason = status.HIDDEN.format(threshold=10) + " Target 45.0."
    db.session.commit()
    sign_in_as(client_request, "commissioner@example.org")
    page = client_request.get(f"/contracts/{harbour.id}")
    first = page.find(id=f"history-{wellbeing.id}").tbody.tr
    assert normalize_spaces(first.get_text(" ")).startswith(
        f"{latest.label} fewer than 10 Not enough data Hidden: based on fewer than 10 people"
    )
    book = workbook(client_request.get("/contracts/overview.xlsx").data)
    row = next(
        r
        for r in sheet_rows(book, "Measures")
        if r["Reference"] == "HFS-2025-007" and r["Measure"] == wellbeing.measure.name
    )
    assert (row["Value"], row["Status"]) == ("fewer than 10", "Not enough data")
