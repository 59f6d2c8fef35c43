"""A provider's PDF pack is short enough to take to a meeting: the fullest pack the test
data make (a synthetic provider of five services with two scales, a questionnaire, an
outcomes wheel, five contracts and their returns) and the demo provider's each come to 12
pages or fewer, with the summary on the first page and every section still in it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import CommissioningBody, Provider
from tests.support.apps import empty_database
from tests.support.contracts import load_demo, sign_in_as

MOST_PAGES = 12


@pytest.fixture
def leave_the_database_empty(app):
    # Thousands of synthetic rows would otherwise stay for the next test module.
    yield
    empty_database()


def _pages(client_request, provider: Provider) -> list[str]:
    response = client_request.client.get(f"/evidence/providers/{provider.id}/pack.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_fullest_synthetic_providers_pack_fits_in_12_pages(
    runner, make_user, sign_in, leave_the_database_empty
):
    result = runner.invoke(
        args=["evidence", "synthesise", "--responses", "6000", "--providers", "1", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    commissioner = make_user("commissioner")
    commissioner.bodies = list(db.session.scalars(select(CommissioningBody)))
    db.session.commit()
    provider = db.session.scalars(select(Provider)).one()

    pages = _pages(sign_in(commissioner), provider)

    whole = " ".join(pages)
    for heading in (
        "Summary",
        "Responses",
        "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
        "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        "Tell us what you think",
        "My outcomes wheel",
        "Contract",
        "Method",
    ):
        assert heading in whole
    assert whole.count("measures and targets") == len(provider.services)  # a contract each
    assert "Summary" in pages[0] and provider.name in pages[0]
    assert len(pages) <= MOST_PAGES, f"{len(pages)} pages"


def test_the_demo_providers_pack_fits_in_12_pages(runner, client_request):
    load_demo(runner)
    provider = db.session.scalars(select(Provider)).first()
    sign_in_as(client_request, "commissioner@example.org")

    pages = _pages(client_request, provider)

    assert "Summary" in pages[0] and provider.name in pages[0]
    assert "Contract" in " ".join(pages)
    assert len(pages) <= MOST_PAGES, f"{len(pages)} pages"
