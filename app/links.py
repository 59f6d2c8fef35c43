"""Public addresses of campaigns, for links, posters and QR codes."""

from flask import current_app


def public_link(campaign) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"/s/{campaign.token}"
