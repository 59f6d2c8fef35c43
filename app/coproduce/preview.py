"""Previews: each page of an instrument as a respondent or an inspector would see it, in
each language that has text, with nothing kept.

A questionnaire's, scale's or star's page is built as the respondent's journey builds it
(`app.forms.build_page_form`, the same fields and GOV.UK widgets, the same words from the
catalogues), rendered in the chosen language with its `lang` and `dir`. An inspection
framework's or mystery shop's page is the panel member's rating page, with the scenario a
mystery shopper reads first. The staff frame around it is in English and says that nothing
entered is kept: the page is only ever rendered (GET), and its buttons lead from page to
page instead of sending anything.

`?frame=1` is the bare page, as a phone shows it, for the "phone width" view, which holds it
in an `<iframe>` 320 pixels wide (so it works with JavaScript off).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request, url_for
from flask_babel import force_locale
from markupsafe import Markup

from app.coproduce import bp
from app.extensions import instrument_registry
from app.forms import build_page_form
from app.inspections.frameworks import page_guide
from app.instruments.model import Instrument
from app.languages import LANGUAGES
from app.security import CONTENT_SECURITY_POLICY

FIELDWORK_TYPES = frozenset({"inspection", "mystery_shop"})
# The width of the smallest phones the platform is built for (GOV.UK's 320 px).
PHONE_WIDTH = 320
PHONE_HEIGHT = 640
# The bare page may be shown in a frame, but only by the platform's own pages.
FRAME_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


@dataclass(frozen=True)
class PreviewLanguage:
    code: str
    name: str
    english_name: str
    direction: str


def preview_languages(instrument: Instrument) -> list[PreviewLanguage]:
    """The languages the instrument has text in, in the platform's order."""
    known = {language.code: language for language in LANGUAGES}
    ordered = [code for code in known if code in instrument.locales]
    ordered += [code for code in instrument.locales if code not in known]
    languages = []
    for code in ordered:
        language = known.get(code)
        if language is None:
            languages.append(PreviewLanguage(code, code, code, "ltr"))
        else:
            languages.append(
                PreviewLanguage(code, language.name, language.english_name, language.direction)
            )
    return languages


def skip_note(instrument: Instrument, page: int) -> str | None:
    """A routed page's rule in words ("Skipped when the answer to ... was No"), or None."""
    rules = getattr(instrument, "page_rules", ()) or ()
    rule = rules[page - 1] if page <= len(rules) else None
    if rule is None:
        return None
    locale = instrument.default_locale
    question = instrument.item_text(rule.item, locale)
    answer = instrument.answer_label(rule.item, rule.answer, locale)
    if instrument.item(rule.item).kind == "multiple_choice":
        return f"Skipped when the answers to “{question}” included “{answer}”."
    return f"Skipped when the answer to “{question}” was “{answer}”."


def _not_found(title: str, text: str, instrument: Instrument | None = None):
    links = []
    if instrument is not None:
        first = preview_languages(instrument)[0].code
        links.append(
            (
                url_for(
                    ".preview",
                    instrument_id=instrument.id,
                    version=instrument.version,
                    locale=first,
                    page=1,
                ),
                "Preview the first page",
            )
        )
    links.append((url_for("auth.home"), "Go to your home page"))
    return render_template("staff/message.html", title=title, message=text, links=links), 404


def _address(instrument: Instrument, locale: str, page: int, **args) -> str:
    return url_for(
        ".preview",
        instrument_id=instrument.id,
        version=instrument.version,
        locale=locale,
        page=page,
        **{name: "1" for name, wanted in args.items() if wanted},
    )


@bp.route("/<instrument_id>/<int:version>/preview/<locale>/<int:page>")
def preview(instrument_id, version, locale, page):
    try:
        instrument = instrument_registry().get(instrument_id, version)
    except KeyError:
        return _not_found(
            "Instrument not found",
            f"There is no instrument {instrument_id}, version {version}. "
            "Check the address, or find it in the list of instruments.",
        )
    languages = preview_languages(instrument)
    current = next((language for language in languages if language.code == locale), None)
    if current is None:
        names = ", ".join(language.english_name for language in languages)
        return _not_found(
            "No text in that language",
            f"{instrument.title('en')}, version {version}, has no text in “{locale}”. "
            f"It has text in {names}.",
            instrument,
        )
    if not 1 <= page <= instrument.page_count:
        count = instrument.page_count
        return _not_found(
            "No such page",
            f"{instrument.title('en')}, version {version}, has {count} "
            f"page{'s' if count != 1 else ''}: there is no page {page}.",
            instrument,
        )
    framed = request.args.get("frame") == "1"
    phone = not framed and request.args.get("phone") == "1"
    context = {
        "instrument": instrument,
        "page": page,
        "locale": locale,
        "language": current,
        "framed": framed,
        "fieldwork": instrument.type in FIELDWORK_TYPES,
        "previous_url": _address(instrument, locale, page - 1, frame=framed) if page > 1 else None,
        "next_url": _address(instrument, locale, page + 1, frame=framed)
        if page < instrument.page_count
        else None,
        "this_url": _address(instrument, locale, page),
    }
    with force_locale(locale):
        # The instrument's part in its own language: the catalogues' words (buttons, page
        # numbers, the widgets' hints) follow it, as on a respondent's page in that language.
        part = _instrument_part(instrument, page, locale, context)
        if framed:
            links = _switcher(instrument, languages, locale, page, frame=True)
            page_html = render_template(
                "coproduce/preview_frame.html",
                part=part,
                language_switcher=lambda: links,
                **context,
            )
            return (
                page_html,
                200,
                {
                    "Content-Security-Policy": FRAME_POLICY,
                    "X-Frame-Options": "SAMEORIGIN",
                },
            )
    return render_template(
        "coproduce/preview_page.html",
        part=part,
        phone=phone,
        phone_width=PHONE_WIDTH,
        phone_height=PHONE_HEIGHT,
        frame_url=_address(instrument, locale, page, frame=True),
        phone_url=_address(instrument, locale, page, phone=True),
        full_url=_address(instrument, locale, page),
        language_switcher=lambda: _switcher(instrument, languages, locale, page, phone=phone),
        skip_note=skip_note(instrument, page),
        pages=[
            {
                "number": number,
                "href": _address(instrument, locale, number, phone=phone),
                "current": number == page,
            }
            for number in range(1, instrument.page_count + 1)
        ],
        previous_page=_address(instrument, locale, page - 1, phone=phone) if page > 1 else None,
        next_page=_address(instrument, locale, page + 1, phone=phone)
        if page < instrument.page_count
        else None,
        **context,
    )


def _switcher(instrument, languages, locale, page, **args) -> list[dict]:
    """The switcher's links (app/templates/_language_switcher.html): this page in each
    language the instrument has text in."""
    return [
        {
            "href": _address(instrument, language.code, page, **args),
            "code": language.code,
            "dir": language.direction,
            "name": language.name,
            "current": language.code == locale,
        }
        for language in languages
    ]


def _instrument_part(instrument: Instrument, page: int, locale: str, context: dict) -> Markup:
    """The page as the respondent or panel member sees it, below the service's header."""
    # A fresh, unbound form (a GET never reads answers): the fields empty, as on a first visit.
    form = build_page_form(instrument, page, locale)()
    if context["fieldwork"]:
        return Markup(
            render_template(
                "coproduce/preview_rating.html",
                form=form,
                guide=page_guide(instrument, page, locale),
                texts=instrument.fieldwork_texts(locale),
                **context,
            )
        )
    return Markup(
        render_template(
            "coproduce/preview_questions.html",
            form=form,
            texts=instrument.texts_for(locale),
            **context,
        )
    )
