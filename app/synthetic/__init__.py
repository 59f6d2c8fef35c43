"""Synthetic data at scale, for benchmarks and for trying the evidence pages with realistic
numbers: providers, services, campaigns, participants, responses and outcomes-wheel readings
shaped like a real deployment's. No Flask request objects.

Everything made here is marked as synthetic: provider names start "Synthetic", licensed
campaigns carry the licence reference "SYNTHETIC", staff emails end in `synthetic.invalid`
and submission keys start "syn-".

What it looks like. Services differ in size (log-normal weights); most are monitored every
3 months, every fifth one every 6. Each service runs a WEMWBS, a SWEMWBS and a feedback
campaign. Most people answering a scale keep their code (about 60% of all responses are
linked to a participant) and many of them answer again 3 to 6 months later, a little better
on average, so change figures exist. Scale totals follow the instrument's first norm on its
reporting scale (WEMWBS mean 49.4, SD 8.96); a person's scores correlate over time.
Languages and their text provenance are those the instrument declares.

How it stays fast and flat. Answers come from a pool of a few thousand answer sets per
instrument, each scored once with `app.scoring` (so raw score, metric score and band are the
real scoring code's). Who answers what and when is drawn with numpy (about 30 bytes per
response), sorted by time so row ids grow with time as they would in production, and written
in chunks: SQLAlchemy Core executemany on SQLite, COPY on PostgreSQL.
"""

from app.synthetic.shape import (
    EMAIL_DOMAIN,
    LICENCE_REFERENCE,
    PROVIDER_PREFIX,
    VERSION,
    Report,
    Settings,
    SyntheticDataError,
)
from app.synthetic.writing import refuse_data_already_there, synthesise

__all__ = [
    "EMAIL_DOMAIN",
    "LICENCE_REFERENCE",
    "PROVIDER_PREFIX",
    "VERSION",
    "Report",
    "Settings",
    "SyntheticDataError",
    "refuse_data_already_there",
    "synthesise",
]
