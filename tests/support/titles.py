"""Waiting for a page's title, which a click that submits a form changes only once the
next page has loaded."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def expect_title_starting(page, prefix: str) -> None:
    expect(page).to_have_title(re.compile("^" + re.escape(prefix)))
