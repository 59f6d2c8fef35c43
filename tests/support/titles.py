"""Waiting for a page's title, which a click that submits a form changes only once the
next page has loaded."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def expect_title_starting(page, prefix: str) -> None:
    expect(page).to_have_title(re.compile("^" + re.escape(prefix)))


def expect_url_ending(page, suffix: str) -> None:
    """Waits until the page's address ends with the suffix: a click that follows a link or
    submits a form changes the address only once the next page is on its way."""
    expect(page).to_have_url(re.compile(re.escape(suffix) + "$"))


def expect_url_containing(page, part: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(part)))
