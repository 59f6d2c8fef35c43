"""Improvement cases' pages: a case's task list and steps, the action plan and its agreed
versions, review meetings, escalation, closing, and each person's notifications.

Who may see a case follows its contract (`app.scope`); a case a person may not see answers
404. What each side may change is decided in `app.improvement.cases`.
"""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from app.cases import plan, routes  # noqa: E402,F401
