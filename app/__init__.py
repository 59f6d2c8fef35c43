"""The platform's application factory."""

from __future__ import annotations

import hashlib
from contextlib import suppress
from pathlib import Path

from flask import Flask, has_request_context, request, url_for
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemBytecodeCache, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import config as settings
from app import date_filters, fragments, instrument_store, security
from app.evidence.figures_cache import FiguresCache
from app.evidence.pack_cache import PackCache
from app.extensions import (
    REGISTRY_WITH_STORED,
    babel,
    compress,
    csrf,
    db,
    instruments_extension,
    login_manager,
    migrate,
)
from app.languages import choice as language_choice


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(settings.from_environment(app.instance_path, config or {}))
    security.guard_input(app)

    _sqlite_pragmas_once()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.REPO_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=language_choice.select_locale)
    language_choice.init_app(app)
    WTFormsHelpers(app)
    login_manager.init_app(app)
    compress.init_app(app)
    app.jinja_env.globals["asset_url"] = _asset_url_function(app)

    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("app"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Compiling the templates took a new worker's first pages a third of a second.
    template_cache = Path(app.config["TEMPLATE_CACHE_DIR"])
    template_cache.mkdir(parents=True, exist_ok=True)
    app.jinja_env.bytecode_cache = _TemplateCache(str(template_cache))
    fragments.init_app(app)
    date_filters.init_app(app)

    instruments_extension.init_app(app)
    app.extensions[REGISTRY_WITH_STORED] = instrument_store.registry
    # Evidence figures kept while their data is unchanged (app/evidence/figures_cache.py).
    app.extensions["evidence_figures"] = FiguresCache()
    # Built PDF packs kept by their content (app/evidence/pack_cache.py).
    app.extensions["evidence_packs"] = PackCache(app.config["PACK_CACHE_DIR"])

    from app import access, errors
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.cases import bp as cases_bp
    from app.collected import bp as collected_bp
    from app.concerns import bp as safeguarding_bp
    from app.contracts import bp as contracts_bp
    from app.coproduce import bp as coproduce_bp
    from app.home import bp as home_bp
    from app.keywork import bp as keywork_bp
    from app.ops import bp as ops_bp
    from app.publish import bp as publish_bp
    from app.reports import bp as reports_bp
    from app.respond import bp as respond_bp
    from app.results import bp as results_bp
    from app.review import bp as review_bp
    from app.visits import bp as visits_bp

    app.register_blueprint(ops_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(keywork_bp)
    app.register_blueprint(visits_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(safeguarding_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(contracts_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(collected_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(publish_bp)
    app.register_blueprint(coproduce_bp)
    app.before_request(access.enforce)
    from app.charts import cache as chart_cache

    chart_cache.configure(app.config["CHART_CACHE_DIR"])
    security.init_app(app)
    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    errors.register(app)

    from app.cli import register_cli

    register_cli(app)
    return app


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept on disk for the next worker (each file named by a hash of
    its template's source, so an edited template is compiled afresh)."""

    def dump_bytecode(self, bucket) -> None:
        # A cache that cannot be written (a full disk) means compiling again next time,
        # never a page that fails.
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _asset_url_function(app: Flask):
    """Asset URLs carry a hash of the file, so browsers may keep them for a year."""
    versions: dict[str, str] = {}
    # Every page links the same two files: each address is worked out once per mount point.
    urls: dict[tuple[str, str], str] = {}

    def asset_url(filename: str) -> str:
        if filename not in versions:
            path = Path(app.static_folder) / filename
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "0"
            versions[filename] = digest
        if not has_request_context():
            return url_for("static", filename=filename, v=versions[filename])
        key = (filename, request.script_root)
        if key not in urls:
            urls[key] = url_for("static", filename=filename, v=versions[filename])
        return urls[key]

    return asset_url


_pragmas_installed = False


def _sqlite_pragmas_once() -> None:
    """WAL lets readers run beside the one writer; the busy timeout makes writers queue."""
    global _pragmas_installed
    if _pragmas_installed:
        return
    _pragmas_installed = True

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):
        module = type(dbapi_connection).__module__
        if not module.startswith("sqlite3"):
            return
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
