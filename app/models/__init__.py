"""Database models, one module per aggregate."""

from app.models.audit import AuditEvent
from app.models.campaign import Campaign, CampaignError
from app.models.contract import (
    BODY_KINDS,
    RISK_LEVELS,
    ApiToken,
    CommissioningBody,
    Contract,
    ContractMeasure,
    Measure,
    MeasureResult,
    ProviderReturn,
    ReturnQuery,
)
from app.models.fieldwork import (
    ModeratedRating,
    PanelMember,
    PanelRating,
    Reading,
    Recommendation,
    Visit,
)
from app.models.improvement import (
    CaseAction,
    EscalationStep,
    ImprovementCase,
    Notification,
    PlanVersion,
    ReviewMeeting,
)
from app.models.instruments import ORIGINS, StoredInstrument
from app.models.organisation import Provider, Service
from app.models.participant import Participant
from app.models.response import Draft, Response
from app.models.results import PublicWording, ResultsLink, ResultsPage
from app.models.safeguarding import SafeguardingAction, SafeguardingAlert, SafeguardingEmail
from app.models.themes import AnswerTheme, ThemedAnswer
from app.models.user import ROLES, Attempt, AttemptCounter, RoleGrant, User

__all__ = [
    "ORIGINS",
    "StoredInstrument",
    "AnswerTheme",
    "ThemedAnswer",
    "PublicWording",
    "ResultsLink",
    "ResultsPage",
    "BODY_KINDS",
    "RISK_LEVELS",
    "ApiToken",
    "CommissioningBody",
    "Contract",
    "ContractMeasure",
    "Measure",
    "MeasureResult",
    "ProviderReturn",
    "ReturnQuery",
    "AuditEvent",
    "ModeratedRating",
    "PanelMember",
    "PanelRating",
    "Reading",
    "Recommendation",
    "Visit",
    "CaseAction",
    "EscalationStep",
    "ImprovementCase",
    "Notification",
    "PlanVersion",
    "ReviewMeeting",
    "ROLES",
    "Attempt",
    "AttemptCounter",
    "RoleGrant",
    "User",
    "Campaign",
    "CampaignError",
    "Draft",
    "Participant",
    "Provider",
    "Response",
    "SafeguardingAction",
    "SafeguardingAlert",
    "SafeguardingEmail",
    "Service",
]
