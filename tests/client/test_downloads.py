"""Every download (evidence packs, response exports, subject access files and QR codes) is
sent with `Cache-Control: no-store`, so no shared browser or proxy keeps a copy."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Participant
from tests.support.evidence import PERIOD, build_world


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def test_evidence_packs_in_every_format_are_never_stored(world, client_request, make_user, sign_in):
    sign_in(make_user("commissioner"))
    service, provider = world["drop_in"], world["drop_in"].provider
    for base in (f"/evidence/services/{service.id}", f"/evidence/providers/{provider.id}"):
        for fmt in ("csv", "xlsx", "pdf"):
            url = f"{base}/pack.{fmt}?period={PERIOD}"
            download = client_request.client.get(url)
            assert download.status_code == 200, url
            assert "attachment" in download.headers["Content-Disposition"], url
            assert download.headers["Cache-Control"] == "no-store", url


def test_exports_subject_access_and_qr_codes_are_never_stored(
    client_request, demo, make_user, sign_in
):
    participant = Participant.create()
    db.session.add(participant)
    db.session.commit()
    sign_in(make_user("admin", "coordinator"))
    campaign = demo["wemwbs"]
    downloads = [
        client_request.client.get(f"/admin/campaigns/{campaign.id}/qr.svg"),
        client_request.client.get(f"/admin/campaigns/{campaign.id}/qr.png"),
        client_request.client.get(f"/s/{campaign.token}/qr.svg"),
        client_request.client.get(f"/s/{campaign.token}/qr.png"),
        client_request.post(
            "/admin/subject-access", {"code": participant.code}, expected_status=200
        ),
    ]
    for download in downloads:
        assert download.status_code == 200, download.request.path
        assert download.headers["Cache-Control"] == "no-store", download.request.path
