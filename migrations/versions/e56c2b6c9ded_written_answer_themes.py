"""Themes a commissioner marks in a service's written answers, per period

Revision ID: e56c2b6c9ded
Revises: 374d7dbd3b5a
Create Date: 2026-12-07 00:10:38.976779

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e56c2b6c9ded"
down_revision = "374d7dbd3b5a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "answer_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_answer_theme_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_answer_theme_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_theme")),
        sa.UniqueConstraint(
            "service_id", "period_start", "name", name=op.f("uq_answer_theme_service_id")
        ),
    )
    with op.batch_alter_table("answer_theme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_theme_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "themed_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_themed_answer_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["answer_theme.id"],
            name=op.f("fk_themed_answer_theme_id_answer_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themed_answer")),
        sa.UniqueConstraint(
            "theme_id", "response_id", "item_id", name=op.f("uq_themed_answer_theme_id")
        ),
    )
    with op.batch_alter_table("themed_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_themed_answer_response_id"), ["response_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_themed_answer_theme_id"), ["theme_id"], unique=False)


def downgrade():
    with op.batch_alter_table("themed_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_themed_answer_theme_id"))
        batch_op.drop_index(batch_op.f("ix_themed_answer_response_id"))

    op.drop_table("themed_answer")
    with op.batch_alter_table("answer_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_theme_service_id"))

    op.drop_table("answer_theme")
