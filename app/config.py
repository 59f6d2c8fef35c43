"""Settings, read from the environment so the same code runs on a laptop and in production."""

from __future__ import annotations

import os
from pathlib import Path

from app.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES

REPO_ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _paths(name: str) -> list[str]:
    return [p for p in os.environ.get(name, "").split(os.pathsep) if p.strip()]


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "coproduce.sqlite3")


def default_public_base_url(development: bool) -> str:
    """Links and QR codes lead here unless PUBLIC_BASE_URL says otherwise: on a development
    machine, the port `make run PORT=...` serves on."""
    port = os.environ.get("PORT", "").strip() if development else ""
    return f"http://127.0.0.1:{port or 5000}"


def from_environment(instance_path: str, overrides: dict) -> dict:
    """Build the configuration from environment variables, then apply `overrides`.

    `SECRET_KEY` is required unless `FLASK_DEBUG` or `DEVELOPMENT` is set, so a production
    deployment can never fall back to a key that anyone can read in the repository.
    """
    development = _bool("DEVELOPMENT", False) or _bool("FLASK_DEBUG", False)
    secret_key = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret_key:
        if not development:
            raise RuntimeError(
                "SECRET_KEY is not set. Set it in the environment (or set DEVELOPMENT=1 "
                "on a development machine)."
            )
        secret_key = "development-only-" + instance_path
    values = {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_database_url(instance_path)
        ),
        "INSTRUMENT_DIRS": [str(REPO_ROOT / "surveys"), *_paths("INSTRUMENT_PACKS")],
        # Respondent pages post small forms; anything bigger is refused with a clear page.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 64 * 1024)),
        "MAX_FORM_MEMORY_SIZE": int(os.environ.get("MAX_FORM_MEMORY_SIZE", 64 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        # Behind TLS in production, browsers are told to use nothing else.
        "HSTS": _bool("HSTS", not development),
        # How many reverse proxies set X-Forwarded-For/-Proto in front of the app; rate
        # limits count per client address, so this must be right in production.
        "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT", 0)),
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", 30)),
        # Sends of answers allowed in each window, per browser session and per address. A
        # whole school shares one address, so that limit is generous; a browser's is not.
        "SUBMISSIONS_PER_BROWSER": int(os.environ.get("SUBMISSIONS_PER_BROWSER", 10)),
        "SUBMISSIONS_PER_ADDRESS": int(os.environ.get("SUBMISSIONS_PER_ADDRESS", 600)),
        "SUBMISSION_WINDOW_MINUTES": int(os.environ.get("SUBMISSION_WINDOW_MINUTES", 10)),
        # The age from which a young person consents for themselves, for new campaigns.
        "OWN_CONSENT_AGE": int(os.environ.get("OWN_CONSENT_AGE", 13)),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not development),
        "WTF_CSRF_TIME_LIMIT": None,
        # Static assets are fetched by hashed URL (asset_url), so they can be cached for long.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 500,
        "PUBLIC_BASE_URL": (
            os.environ.get("PUBLIC_BASE_URL") or default_public_base_url(development)
        ),
        # Unset: the platform's own name, "Have your say", in the respondent's language.
        "SERVICE_NAME": os.environ.get("SERVICE_NAME") or None,
        "HELP_CONTACTS": None,
        # Evidence charts are drawn once per set of figures and kept here for every worker.
        "CHART_CACHE_DIR": os.environ.get("CHART_CACHE_DIR") or str(Path(instance_path) / "charts"),
        # Evidence figures kept per worker while their data is unchanged; 0 builds them on
        # every request (what `make bench` times as the page without kept figures).
        "EVIDENCE_FIGURES_CACHE": _bool("EVIDENCE_FIGURES_CACHE", True),
        # Built PDF packs, kept for every worker while what they show is unchanged.
        "PACK_CACHE_DIR": os.environ.get("PACK_CACHE_DIR") or str(Path(instance_path) / "packs"),
        # Draw a page's PDF pack in the background when the evidence page is viewed (on
        # unless PACK_PREPARE=0; off in tests unless a test asks for it).
        **({"PACK_PREPARE": _bool("PACK_PREPARE", True)} if "PACK_PREPARE" in os.environ else {}),
        # Templates compiled once and kept here, so a new worker does not compile them again.
        "TEMPLATE_CACHE_DIR": os.environ.get("TEMPLATE_CACHE_DIR")
        or str(Path(instance_path) / "compiled-templates"),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        # Absolute, because Flask-Babel would otherwise look inside the app package.
        "BABEL_TRANSLATION_DIRECTORIES": str(REPO_ROOT / "translations"),
        # Every language respondents may choose; a campaign can offer fewer.
        "LANGUAGES": list(LANGUAGE_CODES),
        # Safeguarding emails go through a real mail server (app.safeguarding.notify).
        "SMTP_HOST": os.environ.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", 25)),
        "SMTP_FROM": os.environ.get("SMTP_FROM", "safeguarding@localhost"),
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", False),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", 10)),
        # An alert not acknowledged within this time is escalated and shown as overdue.
        "SAFEGUARDING_ACK_MINUTES": int(os.environ.get("SAFEGUARDING_ACK_MINUTES", 60)),
        # Who else hears of an overdue alert (a duty manager's inbox), besides the leads.
        "SAFEGUARDING_ESCALATION_EMAIL": os.environ.get("SAFEGUARDING_ESCALATION_EMAIL") or None,
        # Per-language phrases that raise an alert when found in a free-text answer.
        "SAFEGUARDING_PHRASES": os.environ.get("SAFEGUARDING_PHRASES")
        or str(REPO_ROOT / "app" / "safeguarding" / "concern-phrases.yaml"),
    }
    values.update(overrides)
    values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(values["SQLALCHEMY_DATABASE_URI"])
    if values["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # psycopg prepares a statement run 5 times, and PostgreSQL then plans it once for all
        # parameters (a generic plan): for evidence queries, whose best plan depends on the
        # services and dates asked for, that plan was 20 times slower. Plan each query afresh.
        values.setdefault(
            "SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"prepare_threshold": None}}
        )
    return values
