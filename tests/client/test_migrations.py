"""Every table comes from a migration, and the migrations match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db
from tests.support.apps import empty_database


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, db.metadata)


def test_autogenerate_finds_nothing_to_change_after_upgrade(migrated_app):
    with migrated_app.app_context():
        assert schema_differences() == []


def test_migrations_go_down_to_nothing_and_back_up(migrated_app):
    with migrated_app.app_context():
        # Rows another test left would block dropping the tables they point at.
        empty_database()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_differences() == []
