"""Extensions, created unbound here and bound to the app in create_app."""

from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Phones on metered connections: every text response is compressed (brotli or gzip).
compress = Compress()


class InstrumentsExtension:
    """The instrument registry, loaded once per app from the folders in INSTRUMENT_DIRS."""

    name = "instruments"

    def init_app(self, app) -> None:
        from pathlib import Path

        from app.instruments.loader import load_instruments

        app.extensions[self.name] = load_instruments(Path(p) for p in app.config["INSTRUMENT_DIRS"])


instruments_extension = InstrumentsExtension()


# The name under which create_app keeps the function giving the whole registry: files and
# the instruments written on screen or imported (app.instrument_store.registry).
REGISTRY_WITH_STORED = "instruments_with_stored"


def instrument_registry():
    """The current app's instrument registry: the one way code reaches it. Files (surveys/
    and packs), and instruments kept in the database where the app keeps them."""
    from flask import current_app

    whole = current_app.extensions.get(REGISTRY_WITH_STORED)
    if whole is not None:
        return whole()
    return current_app.extensions[InstrumentsExtension.name]
