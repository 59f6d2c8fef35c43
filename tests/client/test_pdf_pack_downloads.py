"""The PDF pack as a commissioner downloads it: kept while its figures are unchanged, so a
repeat download is fast; drawn afresh as soon as anything it shows changes; and the page
says that making one may take a few seconds."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from app.extensions import db
from app.models import Campaign
from tests.support.evidence import PERIOD, build_world, respond


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


@pytest.fixture
def kept(app, tmp_path):
    """The app's pack files, in a directory of this test's own."""
    from app.evidence.pack_cache import PackCache

    before = app.extensions["evidence_packs"]
    app.extensions["evidence_packs"] = PackCache(tmp_path / "packs")
    yield app.extensions["evidence_packs"]
    app.extensions["evidence_packs"] = before


def _pdf(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.get_data()


def test_a_repeat_download_gets_the_kept_pdf_until_the_figures_change(world, sign_in, app, kept):
    client = sign_in(world["commissioner"])
    path = f"/evidence/providers/{world['harbour'].id}/pack.pdf?period={PERIOD}"
    first = _pdf(client, path)
    assert (kept.misses, kept.hits) == (1, 0)
    assert _pdf(client, path) == first
    assert (kept.misses, kept.hits) == (1, 1)
    assert list((kept.directory).glob("*.pdf")), "kept on disk for every worker"

    # New answers in the period: the pack shows new figures, so it is drawn again.
    campaign = (
        db.session.query(Campaign)
        .filter_by(service_id=world["drop_in"].id, instrument_id="wemwbs")
        .one()
    )
    for _ in range(3):
        respond(app, campaign, 60)
    db.session.commit()
    again = _pdf(client, path)
    assert kept.misses == 2 and again != first
    assert len(PdfReader(io.BytesIO(again)).pages) >= 1


def test_every_download_is_still_audited_when_the_pdf_was_kept(world, sign_in, kept):
    from app.models import AuditEvent

    client = sign_in(world["commissioner"])
    path = f"/evidence/services/{world['drop_in'].id}/pack.pdf?period={PERIOD}"
    _pdf(client, path)
    _pdf(client, path)
    assert kept.hits == 1
    events = db.session.query(AuditEvent).filter_by(action="evidence_pack_exported").all()
    assert len(events) == 2


def test_the_page_says_a_pdf_may_take_a_few_seconds_to_make(world, sign_in):
    client = sign_in(world["commissioner"])
    html = str(client.get(f"/evidence/providers/{world['harbour'].id}?period={PERIOD}"))
    item = BeautifulSoup(html, "html.parser").select_one("#downloads li")
    assert "PDF, for reading and printing" in item.a.text
    assert "may take a few seconds" in " ".join(item.text.split())
    assert BeautifulSoup(html, "html.parser").select_one("#pack-download-status[role=status]")


def test_viewing_the_page_starts_its_pdf_so_the_download_after_is_not_drawn_again(
    world, sign_in, app, kept, monkeypatch
):
    monkeypatch.setitem(app.config, "PACK_PREPARE", True)
    client = sign_in(world["commissioner"])
    page = f"/evidence/providers/{world['harbour'].id}?period={PERIOD}"
    assert "Download this evidence pack" in str(client.get(page))
    # The download waits for the drawing the page started, or finds it done.
    body = _pdf(client, f"/evidence/providers/{world['harbour'].id}/pack.pdf?period={PERIOD}")
    assert kept.misses == 1 and kept.hits + kept.waits >= 1
    assert PdfReader(io.BytesIO(body)).pages
    # Viewing the page again while the figures are unchanged draws nothing more.
    client.get(page)
    assert kept.misses == 1
