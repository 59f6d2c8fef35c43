"""Sessions that can be ended, and attempt counters

A session token on each account, kept in the session cookie beside the account's id: a new
token (sign-out, a new password, "sign out everywhere") ends every copy of every session.
Existing accounts get a random token each. Attempt counters for sign-in and code guesses,
changed by single atomic UPDATE statements.

Revision ID: 5e1d2c3b4a69
Revises: 36de7ce17917
Create Date: 2026-12-06 18:10:00.000000

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1d2c3b4a69"
down_revision = "36de7ce17917"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attempt_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_counter")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_attempt_counter_kind")),
    )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))

    accounts = sa.table("user_account", sa.column("id", sa.Integer), sa.column("session_token"))
    connection = op.get_bind()
    for (account_id,) in connection.execute(sa.select(accounts.c.id)).all():
        connection.execute(
            accounts.update()
            .where(accounts.c.id == account_id)
            .values(session_token=secrets.token_urlsafe(32))
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_token")

    op.drop_table("attempt_counter")
