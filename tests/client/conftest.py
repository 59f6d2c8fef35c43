"""Fixtures shared by the page tests: `people` (a coordinator, a panel of young inspectors,
an inspector on no panel, and the other roles) for visits, reports and set-up."""

from tests.support.visits import people  # noqa: F401
