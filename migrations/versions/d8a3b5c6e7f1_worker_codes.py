"""A code for staff apart from the young person's own code

Key workers record readings with `worker_code`; the young person's `code` alone opens their
answers. Every existing participant gets a new, random worker code.

Revision ID: d8a3b5c6e7f1
Revises: c4f1e7a2b913
Create Date: 2026-12-06 19:35:00.000000

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d8a3b5c6e7f1"
down_revision = "c4f1e7a2b913"
branch_labels = None
depends_on = None

# As app.models.codes, written out: a migration must not change when the app does.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"


def upgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker_code", sa.String(length=16), nullable=True))
    connection = op.get_bind()
    participant = sa.table("participant", sa.column("id"), sa.column("worker_code"))
    ids = connection.execute(sa.select(participant.c.id)).scalars().all()
    used = set()
    for participant_id in ids:
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        connection.execute(
            participant.update().where(participant.c.id == participant_id).values(worker_code=code)
        )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.alter_column("worker_code", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_participant_worker_code"), ["worker_code"])


def downgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_participant_worker_code"), type_="unique")
        batch_op.drop_column("worker_code")
