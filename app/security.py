"""Response headers that hold the platform against hostile pages and leaky browsers."""

from __future__ import annotations

from flask import Flask, request

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
