"""Indexes for evidence at scale

Covering indexes for the evidence aggregates over responses, so they never visit the table:
by campaign, then time, then every column they read (replacing the index on campaign_id
alone), and each person's scores over time (replacing the index on participant_id alone).
Readings by service, star and date, replacing the index on service_id alone. Each new index
starts with the column of the one it replaces, so foreign-key lookups keep an index.

Revision ID: 36de7ce17917
Revises: 0a50d539371b
Create Date: 2026-11-22 08:46:57.402054

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "36de7ce17917"
down_revision = "0a50d539371b"
branch_labels = None
depends_on = None

EVIDENCE_COLUMNS = [
    "campaign_id",
    "submitted_at",
    "instrument_id",
    "participant_id",
    "complete",
    "raw_score",
    "metric_score",
    "band",
    "language",
    "text_provenance",
    "mode",
    "instrument_version",
    "id",
]
HISTORY_COLUMNS = [
    "participant_id",
    "instrument_id",
    "submitted_at",
    "complete",
    "raw_score",
    "metric_score",
    "band",
    "campaign_id",
    "id",
]


def upgrade():
    # New index first, then drop the old: the foreign key is never without an index.
    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reading_service_id_instrument_id_taken_on",
            ["service_id", "instrument_id", "taken_on"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_reading_service_id"))

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index("ix_response_evidence", EVIDENCE_COLUMNS, unique=False)
        batch_op.drop_index(batch_op.f("ix_response_campaign_id"))
        batch_op.create_index("ix_response_participant_history", HISTORY_COLUMNS, unique=False)
        batch_op.drop_index(batch_op.f("ix_response_participant_id"))


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_participant_id"), ["participant_id"], unique=False
        )
        batch_op.drop_index("ix_response_participant_history")
        batch_op.create_index(batch_op.f("ix_response_campaign_id"), ["campaign_id"], unique=False)
        batch_op.drop_index("ix_response_evidence")

    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reading_service_id"), ["service_id"], unique=False)
        batch_op.drop_index("ix_reading_service_id_instrument_id_taken_on")
