"""Which language a page is shown in, and the switcher that lets a respondent change it.

The order of choice: the language the person picked with the switcher (remembered in the
session, so for the visit), then their browser's Accept-Language, then English. A campaign
may offer only some languages (`Campaign.languages`); on its pages every choice is limited
to those, and so is the switcher, except that a browser asking first for a language the
campaign does not offer gets its pages in that language, saying which languages the
campaign's questions are in. Pages outside a campaign (/help, /contact-me, errors)
offer all of them.

The switcher is a list of plain links (`?lang=cy`), so it works without JavaScript. A
before-request hook remembers the choice and redirects to the same address without the
parameter, so reloading or sharing the page does not carry it along. Where the request ends
before that hook runs (an unknown campaign link, say), the parameter still chooses the
language of that one page.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from app.languages import DEFAULT_LANGUAGE, LANGUAGES, is_supported, language

SESSION_KEY = "language"
QUERY_PARAMETER = "lang"
# Respondent pages follow the respondent's language. Staff pages (sign-in, admin, review) are
# in English: their words are not in the catalogues, and a half-translated page helps no one.
RESPONDENT_BLUEPRINTS = frozenset({"respond", "home", "results"})


def init_app(app: Flask) -> None:
    """After Flask-Babel's init_app, whose template gettext this replaces."""
    app.config.setdefault("LANGUAGES", [lang.code for lang in LANGUAGES])
    app.before_request(remember_language_choice)
    app.after_request(vary_by_language)
    app.context_processor(language_context)
    # A page asks for a dozen words or more; Flask-Babel finding this request's catalogue
    # again for each of them took most of the time each one took.
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )


def request_translations():
    """Flask-Babel's translations for the page's language, found once per request (and
    again only if the language changes, as under `force_locale`)."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    kept = g.get("_translations")
    if kept is None or kept[0] is not locale:
        kept = (locale, get_translations())
        g._translations = kept
    return kept[1]


def offered_languages() -> list[str]:
    """The languages this page may be shown in: the campaign's, else every one we have."""
    supported = _supported()
    campaign = g.get("campaign")
    if campaign is not None:
        restricted = [code for code in campaign.language_list if code in supported]
        if restricted:
            return restricted
    return supported


def _supported() -> list[str]:
    return [code for code in current_app.config["LANGUAGES"] if is_supported(code)]


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    if not has_request_context() or not _for_respondents():
        return current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    offered = offered_languages()
    for candidate in (request.args.get(QUERY_PARAMETER), session.get(SESSION_KEY)):
        if candidate in offered:
            return candidate
    best = request.accept_languages.best_match(offered)
    wanted = request.accept_languages.best_match(_supported())
    if g.get("campaign") is not None and wanted and wanted not in offered:
        # The browser asks for a language this campaign does not offer: its pages say so in
        # that language, and list the languages it does have (app/respond/visit.py).
        return wanted
    if best:
        return best
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    return default if default in offered else offered[0]


def has_chosen_language() -> bool:
    """True when the person picked a language with the switcher during this visit."""
    return SESSION_KEY in session


def choose_language(code: str) -> None:
    """Remember a language for the rest of the visit (as the switcher does)."""
    session[SESSION_KEY] = code


def remember_language_choice():
    """Before each request: take `?lang=` from a switcher link, remember it, and redirect."""
    code = request.args.get(QUERY_PARAMETER)
    if code is None or request.method not in ("GET", "HEAD") or not _for_respondents():
        return None
    # An unknown or unoffered code is dropped quietly: the page shows in the usual language.
    if code in offered_languages():
        choose_language(code)
    return redirect(_address_with(None), code=303)


def vary_by_language(response):
    """Tell caches that a respondent page depends on the browser's language."""
    if _for_respondents():
        response.vary.add("Accept-Language")
    return response


def language_context() -> dict:
    """`html_lang`, `html_dir` and the switcher's links, for every template.

    The links are a function, called only when the page renders the switcher rather than
    showing the copy it kept for this address (app/templates/layout.html).
    """
    if not has_request_context():
        return {}
    current = language(str(get_locale()))
    return {
        "html_lang": current.code,
        "html_dir": current.direction,
        "language_switcher": partial(_switcher_links, current.code),
        **_page_gettext(request_translations()),
    }


def _page_gettext(translations) -> dict:
    """`gettext` and friends bound to the page's catalogue, for one render.

    They behave as the app-wide ones (Jinja's new style: the result is markup where the page
    escapes, and always a format string), but a page's dozen or more calls no longer each
    look up the request's language and catalogue. Macros imported without the page's
    context still use the app-wide ones.
    """

    def formatted(context, text: str, variables: dict):
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_context
    def gettext(context, string, **variables):
        return formatted(context, translations.ugettext(string), variables)

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return formatted(context, translations.ungettext(singular, plural, num), variables)

    @pass_context
    def pgettext(context, string_context, string, **variables):
        variables.setdefault("context", string_context)
        return formatted(context, translations.upgettext(string_context, string), variables)

    @pass_context
    def npgettext(context, string_context, singular, plural, num, **variables):
        variables.setdefault("context", string_context)
        variables.setdefault("num", num)
        text = translations.unpgettext(string_context, singular, plural, num)
        return formatted(context, text, variables)

    return {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}


def language_links(codes: list[str]) -> list[dict]:
    """Links that show this page in each of `codes`, each named in its own language."""
    return [
        {
            "code": code,
            "name": language(code).name,
            "dir": language(code).direction,
            "href": _address_with(code),
        }
        for code in codes
    ]


def _for_respondents() -> bool:
    # Requests that match no blueprint get the shared error pages, which respondents meet too.
    return request.blueprint is None or request.blueprint in RESPONDENT_BLUEPRINTS


def _switcher_links(current: str) -> list[dict]:
    offered = offered_languages()
    # With one language there is nothing to switch to.
    if len(offered) < 2:
        return []
    links = language_links(offered)
    for link in links:
        link["current"] = link["code"] == current
    return links


def _address_with(code: str | None) -> str:
    """This page's address (path and query) with `lang` set to `code`, or removed."""
    arguments = [
        (key, value) for key, value in request.args.items(multi=True) if key != QUERY_PARAMETER
    ]
    if code is not None:
        arguments.append((QUERY_PARAMETER, code))
    path = request.script_root + request.path
    return f"{path}?{urlencode(arguments)}" if arguments else path
