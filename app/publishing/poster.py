"""The A4 poster of a results page: a tagged, accessible PDF (PDF/UA-1), drawn as the
evidence packs are (`app.evidence.packs.pack_pdf`): its title and language are in its
metadata, and nothing but data: addresses is fetched."""

from __future__ import annotations

import base64
import io

from app.publishing.links import qr_code


def qr_data_uri(code: str) -> str:
    buffer = io.BytesIO()
    qr_code(code).save(buffer, kind="png", scale=8, border=2)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def poster_pdf(html: str) -> bytes:
    """The poster's HTML (its `<html lang dir>` and `<title>` set) as a PDF/UA-1 file."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


__all__ = ["poster_pdf", "qr_data_uri"]
