"""The public results page, its QR code and its A4 poster: each shows the snapshot a
coordinator published last (`app.publishing.pages`), never figures worked out afresh."""

from __future__ import annotations

import io

from flask import Response as HttpResponse
from flask import abort, render_template
from flask_babel import force_locale, get_locale

from app.extensions import instrument_registry
from app.languages import is_supported, language
from app.publishing import describe, pages, poster
from app.publishing.links import qr_code, qr_svg_inline, results_address
from app.results import bp


def _link(code: str):
    link = pages.link_by_code(code)
    if link is None:
        abort(404)
    return link


def page_context(link, page, locale: str) -> dict:
    start, end = describe.period_dates(page.content)
    return {
        "link": link,
        "page": page,
        "content": page.content,
        "said": describe.findings_in(page.content, instrument_registry(), locale),
        "start": start,
        "end": end,
        "address": results_address(link.code),
    }


@bp.get("/r/<code>")
def page(code):
    link = _link(code)
    published = pages.latest_page(link.service_id)
    if published is None:
        return render_template("results/not_yet.html", service=link.service), 404
    locale = str(get_locale())
    context = page_context(link, published, locale)
    context["qr_svg"] = qr_svg_inline(link.code, context["address"])
    return render_template("results/page.html", **context)


@bp.get("/r/<code>/qr.svg")
def qr_svg(code):
    link = _link(code)
    buffer = io.BytesIO()
    qr_code(link.code).save(buffer, kind="svg", scale=10, border=4, title=results_address(code))
    return HttpResponse(buffer.getvalue(), mimetype="image/svg+xml")


@bp.get("/r/<code>/poster-<lang>.pdf")
def poster_pdf(code, lang):
    link = _link(code)
    published = pages.latest_page(link.service_id)
    if published is None or not is_supported(lang) or lang not in link.poster_language_list:
        abort(404)
    with force_locale(lang):
        context = page_context(link, published, lang)
        html = render_template(
            "results/poster.html",
            poster_lang=lang,
            poster_dir=language(lang).direction,
            qr_data_uri=poster.qr_data_uri(link.code),
            **context,
        )
    return HttpResponse(
        poster.poster_pdf(html),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="results-poster-{link.code}-{lang}.pdf"'
        },
    )
