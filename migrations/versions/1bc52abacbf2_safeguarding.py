"""Safeguarding: alert urgency, acknowledgement, actions, closing, escalation; email outbox

Existing alerts (contact requests) take urgency "high", as new ones do.

Revision ID: 1bc52abacbf2
Revises: 3cf7a5b3f99d
Create Date: 2026-11-22 06:24:17.415795

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1bc52abacbf2"
down_revision = "3cf7a5b3f99d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "safeguarding_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["safeguarding_alert.id"],
            name=op.f("fk_safeguarding_action_alert_id_safeguarding_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_safeguarding_action_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_action")),
    )
    with op.batch_alter_table("safeguarding_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_action_alert_id"), ["alert_id"], unique=False
        )

    op.create_table(
        "safeguarding_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["safeguarding_alert.id"],
            name=op.f("fk_safeguarding_email_alert_id_safeguarding_alert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_email")),
    )
    with op.batch_alter_table("safeguarding_email", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_email_alert_id"), ["alert_id"], unique=False
        )
        batch_op.create_index(
            "ix_safeguarding_email_sent_at_next_attempt_at",
            ["sent_at", "next_attempt_at"],
            unique=False,
        )

    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("urgency", sa.String(length=16), server_default="high", nullable=False)
        )
        batch_op.add_column(sa.Column("response_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("raised_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_safeguarding_alert_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safeguarding_alert_response_id"), ["response_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_alert_participant_id_participant"),
            "participant",
            ["participant_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_alert_closed_by_id_user_account"),
            "user_account",
            ["closed_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_alert_acknowledged_by_id_user_account"),
            "user_account",
            ["acknowledged_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_alert_raised_by_id_user_account"),
            "user_account",
            ["raised_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_alert_response_id_response"),
            "response",
            ["response_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_safeguarding_alert_response_id_response"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_safeguarding_alert_raised_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_safeguarding_alert_acknowledged_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_safeguarding_alert_closed_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_safeguarding_alert_participant_id_participant"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_safeguarding_alert_response_id"))
        batch_op.drop_index(batch_op.f("ix_safeguarding_alert_participant_id"))
        batch_op.drop_column("outcome")
        batch_op.drop_column("closed_by_id")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("acknowledged_by_id")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("raised_by_id")
        batch_op.drop_column("participant_id")
        batch_op.drop_column("response_id")
        batch_op.drop_column("urgency")

    with op.batch_alter_table("safeguarding_email", schema=None) as batch_op:
        batch_op.drop_index("ix_safeguarding_email_sent_at_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_safeguarding_email_alert_id"))

    op.drop_table("safeguarding_email")
    with op.batch_alter_table("safeguarding_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_action_alert_id"))

    op.drop_table("safeguarding_action")
