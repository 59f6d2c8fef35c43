"""Requests for contact from one device fold into one alert

A keyed hash of the client's network on each alert, the count of further requests folded
into it, and when the last one came. Existing alerts fold nothing.

Revision ID: c4f1e7a2b913
Revises: 5e1d2c3b4a69
Create Date: 2026-12-06 19:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4f1e7a2b913"
down_revision = "5e1d2c3b4a69"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("repeats", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("last_repeated_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_safeguarding_alert_client_key"), ["client_key"], unique=False
        )


def downgrade():
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_alert_client_key"))
        batch_op.drop_column("last_repeated_at")
        batch_op.drop_column("repeats")
        batch_op.drop_column("client_key")
