"""Instruments written on screen or imported, kept one version per row

Revision ID: 7c1e0d5a9b42
Revises: 24b23a271ae1
Create Date: 2026-12-07 03:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1e0d5a9b42"
down_revision = "24b23a271ae1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_instrument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("origin_note", sa.String(length=300), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_stored_instrument_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_instrument")),
        sa.UniqueConstraint(
            "instrument_id", "version", name=op.f("uq_stored_instrument_instrument_id")
        ),
    )


def downgrade():
    op.drop_table("stored_instrument")
