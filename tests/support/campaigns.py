"""Creating a campaign as the screens do: the last step, "Create campaign" on the check page,
sends every answer again, so a test can post them there in one go."""

from __future__ import annotations


def create_campaign(client_request, data: dict, expected_status: int = 302):
    return client_request.post(
        "/admin/campaigns/new/create",
        data,
        expected_status=expected_status,
        form_page="/admin/campaigns/new",
    )
