"""Results for young people: each service's public results link, published pages kept as
snapshots, and providers' public wording for actions and replies

Revision ID: 24b23a271ae1
Revises: e5a7c9b1d3f2
Create Date: 2026-12-07 00:10:00.761641

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "24b23a271ae1"
down_revision = "e5a7c9b1d3f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "results_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("poster_languages", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_results_link_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results_link")),
        sa.UniqueConstraint("code", name=op.f("uq_results_link_code")),
        sa.UniqueConstraint("service_id", name=op.f("uq_results_link_service_id")),
    )
    op.create_table(
        "results_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_results_page_published_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_results_page_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results_page")),
    )
    with op.batch_alter_table("results_page", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_results_page_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "public_wording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("recommendation_id", sa.Integer(), nullable=True),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["case_action.id"],
            name=op.f("fk_public_wording_action_id_case_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_public_wording_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_public_wording_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_wording")),
        sa.UniqueConstraint("action_id", name=op.f("uq_public_wording_action_id")),
        sa.UniqueConstraint("recommendation_id", name=op.f("uq_public_wording_recommendation_id")),
    )


def downgrade():
    op.drop_table("public_wording")
    with op.batch_alter_table("results_page", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_results_page_service_id"))

    op.drop_table("results_page")
    op.drop_table("results_link")
