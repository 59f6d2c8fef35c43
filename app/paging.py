"""Page numbers from a query string, kept to numbers a list can have."""

from __future__ import annotations

# Far beyond any list's last page, and far inside what a database OFFSET can hold.
LAST_PAGE = 100_000


def page_number(value: str | None) -> int:
    """`?page=` as a page from 1 to LAST_PAGE: anything else (words, signs, 30 digits) is
    page 1, so a mistyped or hostile address shows a list, never an error."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 6:
        return 1
    return min(max(int(value), 1), LAST_PAGE)
