"""Database models, one module per aggregate."""

from app.models.campaign import Campaign, CampaignError
from app.models.organisation import Provider, Service
from app.models.participant import Participant
from app.models.response import Draft, Response
from app.models.safeguarding import SafeguardingAlert

__all__ = [
    "Campaign",
    "CampaignError",
    "Draft",
    "Participant",
    "Provider",
    "Response",
    "SafeguardingAlert",
    "Service",
]
