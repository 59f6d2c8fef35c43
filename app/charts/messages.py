"""Every message the charts draw or write, for the message catalogue. No Flask.

Pairs are (singular, plural) for ngettext; `%(num)d` is the number the plural form depends
on. Each chart module lists its own in `MESSAGES`; this gathers them.
"""

from __future__ import annotations

from app.charts import answers, bands, change, layout, wheel

MESSAGES = (
    *layout.MESSAGES,
    *bands.MESSAGES,
    *change.MESSAGES,
    *answers.MESSAGES,
    *wheel.MESSAGES,
)

__all__ = ["MESSAGES"]
