"""Response headers that hold the platform against hostile pages and leaky browsers."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# No inline script or style anywhere: every script and stylesheet is a file of our own.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

# Images served inline that still are downloads a person may save: a campaign's QR code.
UNCACHED_IMAGES = frozenset({"respond.qr_svg", "respond.qr_png"})

# The largest value a database integer column holds. An id or page number beyond it in an
# address finds nothing (404); PostgreSQL would otherwise refuse the query with an error.
LARGEST_INTEGER = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in a route, matching only the numbers a database integer column holds."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_INTEGER, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class UnstorableCharacter(BadRequest):
    """A NUL character in an address, a query or a form: no browser sends one when a person
    types, PostgreSQL cannot store one, and one stored would break every page that shows it."""


def guard_input(app: Flask) -> None:
    """Call first in the factory: every `<int:...>` route added later is bounded, and NUL
    characters are refused before any other hook (language, access) reads the request."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    # An app-wide URL value preprocessor runs before every blueprint's, and those look
    # campaigns up by the token in the address.
    app.url_value_preprocessor(refuse_nul_characters)


def refuse_nul_characters(_endpoint=None, _values=None) -> None:
    if "\x00" in request.path or _has_nul(request.args):
        raise UnstorableCharacter()
    if request.method == "POST" and (
        _has_nul(request.form) or any("\x00" in (f.filename or "") for f in request.files.values())
    ):
        raise UnstorableCharacter()


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Campaign links carry their token in the address: never send it on to another site.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if "Content-Disposition" in headers or request.endpoint in UNCACHED_IMAGES:
            # Packs, exports and QR codes are files a shared computer's browser or a proxy
            # would otherwise keep: each download comes from the server, every time.
            headers["Cache-Control"] = "no-store"
        elif response.mimetype == "text/html" and request.endpoint != "static":
            # Pages may show someone's answers or codes: keep them out of shared caches and
            # the back-forward cache of a shared phone.
            headers["Cache-Control"] = "no-store"
        return response
