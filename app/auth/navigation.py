"""The staff navigation: which pages each role's menu lists, in one place.

Kept short enough to sit on one row at 1280 px for the role with the most pages (an admin):
visits sit under Fieldwork, and the admin pages under Admin. Everyone signed in can raise a
concern from it, because whoever sees a worry must be able to pass it on at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

EVIDENCE_ROLES = ("admin", "coordinator", "commissioner", "provider")


@dataclass(frozen=True)
class Item:
    text: str
    endpoint: str
    roles: tuple[str, ...] | None  # None: everyone signed in
    prefixes: tuple[str, ...]  # the endpoints it is the active item for

    def is_active(self, endpoint: str) -> bool:
        return endpoint == self.endpoint or endpoint.startswith(self.prefixes)


ITEMS = (
    Item("Home", "auth.home", None, ("auth.home",)),
    Item(
        "Fieldwork",
        "keywork.index",
        ("admin", "coordinator", "key_worker", "peer_researcher"),
        ("keywork.", "visits.", "collected."),
    ),
    # Young inspectors read the reports of the visits they were on.
    Item("Reports", "reports.index", (*EVIDENCE_ROLES, "peer_researcher"), ("reports.",)),
    Item("Contracts", "contracts.overview", EVIDENCE_ROLES, ("contracts.",)),
    Item("Evidence", "review.index", EVIDENCE_ROLES, ("review.",)),
    Item("Improvement", "cases.index", EVIDENCE_ROLES, ("cases.",)),
    Item("Safeguarding", "safeguarding.queue", ("admin", "safeguarding_lead"), ("safeguarding.",)),
    # Admins reach the results pages from Admin, which keeps their menu on one row.
    Item("Results", "publish.index", ("coordinator", "provider"), ("publish.",)),
    Item("Raise a concern", "safeguarding.raise_alert", None, ("safeguarding.raise_alert",)),
)
# Admins reach every admin page from one item; coordinators have only campaigns there.
ADMIN_ITEM = Item("Admin", "admin.index", ("admin",), ("admin.",))
CAMPAIGNS_ITEM = Item("Campaigns", "admin.campaigns", ("coordinator",), ("admin.",))


def items_for(user, endpoint: str | None) -> list[dict]:
    """The menu for `user` on the page of `endpoint`, as the service navigation takes it."""
    if not getattr(user, "is_authenticated", False):
        return []
    endpoint = endpoint or ""
    chosen = [item for item in ITEMS[:-1] if item.roles is None or user.has_role(*item.roles)]
    if user.has_role("admin"):
        chosen.append(ADMIN_ITEM)
    elif user.has_role("coordinator"):
        chosen.append(CAMPAIGNS_ITEM)
    chosen.append(ITEMS[-1])
    active = _most_specific(chosen, endpoint)
    return [
        {"href": url_for(item.endpoint), "text": item.text, "active": item is active}
        for item in chosen
    ]


def _most_specific(items: list[Item], endpoint: str) -> Item | None:
    # "Raise a concern" is under safeguarding.: the exact endpoint wins over the prefix.
    for item in items:
        if endpoint == item.endpoint:
            return item
    for item in items:
        if item.is_active(endpoint):
            return item
    return None


def staff_navigation() -> dict:
    """Template context: `staff_navigation`, the signed-in person's menu."""
    return {"staff_navigation": items_for(current_user, request.endpoint)}
