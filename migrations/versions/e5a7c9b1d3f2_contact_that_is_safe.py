"""Contact that is safe: how a young person may be contacted, and whom to call at a service

On an alert, whether it is safe to call or leave a message and the best time, as the young
person said. On a service, the name, phone and email of the person a safeguarding lead
calls there (staff only). Existing rows have none of them.

Revision ID: e5a7c9b1d3f2
Revises: e56c2b6c9ded
Create Date: 2026-12-07 00:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5a7c9b1d3f2"
down_revision = "e56c2b6c9ded"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("safe_to_message", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("best_time", sa.String(length=200), nullable=True))
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("contact_email")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_name")
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_column("best_time")
        batch_op.drop_column("safe_to_message")
