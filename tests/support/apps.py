"""The app under test and its database: an app for a database URL, the PostgreSQL leg's
database, and emptying a database between tests."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text

from app import create_app
from app.config import normalise_database_url
from app.extensions import db


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(database_url: str, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "SERVER_NAME": None,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }
    config.update(extra)
    return create_app(config)


def empty_database() -> None:
    """Delete every row of every table (in an app context), keeping the schema."""
    db.session.rollback()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()
