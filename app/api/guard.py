"""Who is calling the API, and what every call answers when it goes wrong.

Before each call under /api/v1 the token in `Authorization: Bearer <token>` is checked
(`app.accounts.tokens.check`); a missing, unknown or revoked token, or one whose owner is
inactive, gets 401 with a JSON message; the session cookie is never read. Every error is
JSON with a message, an unknown address included (404), and so is any method but GET
(405). After each call, allowed or refused, one "api_call" audit event records the path,
the status and the token's prefix, never the token.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException, default_exceptions
from werkzeug.http import HTTP_STATUS_CODES

from app import audit
from app.accounts import tokens
from app.api import bp
from app.extensions import db
from app.security import UnstorableCharacter

# Readable without a token: the API's own description, so tools can be set up from it.
OPEN_ENDPOINTS = frozenset({"api.openapi"})
# The query arguments an audit event keeps (others may hold anything a caller typed).
AUDITED_ARGUMENTS = ("page", "period")
# Names a refused call in the audit log without reading any session cookie.
NO_TOKEN = SimpleNamespace(id=None, email="API call without a usable token")

MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address, or your token may not see it.",
    405: "This API is read only: use GET.",
    413: "The request is too large.",
    500: "Something went wrong on our side. Try again later.",
}


class ApiError(Exception):
    """An error a view answers with: HTTP status, message, and the query field at fault."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def _storable(text: str) -> str:
    # PostgreSQL cannot store a NUL character, and a refused call is recorded all the same.
    return text.replace("\x00", "\N{REPLACEMENT CHARACTER}")


def is_api_request() -> bool:
    prefix = bp.url_prefix
    return request.path == prefix or request.path.startswith(prefix + "/")


def caller():
    """The person whose token signed this call in."""
    return g.api_user


def problem(status: int, message: str, *, field: str | None = None, headers=None):
    body = {"status": status, "error": HTTP_STATUS_CODES.get(status, "Error"), "message": message}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_problem(error: HTTPException):
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(set(error.valid_methods) - {"OPTIONS"}))
    message = MESSAGES.get(status, error.description or "Error")
    if isinstance(error, UnstorableCharacter):
        message = "The address or query holds a NUL character, which cannot be used."
    return problem(status, message, headers=headers)


@bp.before_app_request
def sign_in_by_token():
    if not is_api_request():
        return None
    header = request.headers.get("Authorization")
    checked = tokens.check(tokens.bearer_token(header))
    g.api_checked = checked
    g.api_user = checked.token.user if checked.allowed else None
    routing = request.routing_exception
    if isinstance(routing, HTTPException) and (routing.code or 500) >= 400:
        return _http_problem(routing)
    if checked.allowed or request.endpoint in OPEN_ENDPOINTS:
        return None
    challenge = 'Bearer realm="api"'
    if header:
        challenge += ', error="invalid_token"'
    headers = {"WWW-Authenticate": challenge} if checked.status == 401 else {}
    return problem(checked.status, checked.problem, headers=headers)


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return problem(error.status, error.message, field=error.field)


def http_error(error: HTTPException):
    return _http_problem(error)


# By code as well as by class: a page's handler for one code (the NUL page's 400) would
# otherwise answer before the API's handler for every HTTP error.
bp.register_error_handler(HTTPException, http_error)
for _code in default_exceptions:
    bp.register_error_handler(_code, http_error)


@bp.errorhandler(Exception)
def unexpected(error: Exception):
    current_app.logger.exception("Unhandled error in the API", exc_info=error)
    db.session.rollback()
    return problem(500, MESSAGES[500])


@bp.after_app_request
def audit_call(response):
    if not is_api_request():
        return response
    # Figures for one person's scope: never kept by a shared cache or proxy.
    response.headers["Cache-Control"] = "no-store"
    if response.status_code >= 500:
        db.session.rollback()
    # A call refused before the token was read (a NUL character in its address) is still
    # recorded, with its token's owner when the token is good.
    checked = g.get("api_checked") or tokens.check(
        tokens.bearer_token(request.headers.get("Authorization"))
    )
    token = checked.token
    detail = {"path": _storable(request.path), "method": request.method}
    detail["status"] = response.status_code
    asked = {
        name: _storable(request.args[name][:40])
        for name in AUDITED_ARGUMENTS
        if name in request.args
    }
    if asked:
        detail["query"] = asked
    if token is not None:
        detail["prefix"] = token.prefix
    else:
        # An unknown token's characters are not kept: it may be some other secret.
        detail["token"] = "unknown" if request.headers.get("Authorization") else "none"
    who = token.user if token is not None and token.user is not None else NO_TOKEN
    audit.record("api_call", token, user=who, **detail)
    return response
