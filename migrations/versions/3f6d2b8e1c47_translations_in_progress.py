"""Translations of a stored instrument kept part way through, until every text is there

Revision ID: 3f6d2b8e1c47
Revises: 7c1e0d5a9b42
Create Date: 2026-12-07 04:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f6d2b8e1c47"
down_revision = "7c1e0d5a9b42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stored_instrument") as batch_op:
        batch_op.add_column(sa.Column("translations_in_progress", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("stored_instrument") as batch_op:
        batch_op.drop_column("translations_in_progress")
