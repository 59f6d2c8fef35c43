"""GOV.UK Frontend components, rendered once for each set of params and then reused.

A GOV.UK macro is a pure function of its params: it is imported without the page's context,
so what it renders depends on nothing else (the words in the params are already translated,
so the language is part of them). Rendering one takes a template, nested imports and many
dictionary look-ups, and the macros were the larger part of the cost of a respondent page.
Each worker keeps the HTML it made for each set of params, least recently used first out,
and answers a repeat from memory.

Respondent pages call the components as globals (`govukButton(...)`), set up here; form
widgets go through `remember` in `app.widgets`; and the parts of the layout that are the
same on every page of a campaign in a language are kept whole (`remembered`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask import Flask, current_app, get_template_attribute, has_request_context, request
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from markupsafe import Markup

EXTENSION = "remembered_fragments"
# A respondent journey needs a few dozen; the bounds keep a worker's memory flat whatever
# values a page is sent.
MAX_FRAGMENTS = 2048
MAX_CHARACTERS = 2_000_000

# The components respondent pages use (app/templates/layout.html), by macro name.
COMPONENTS = {
    "govukSkipLink": "skip-link",
    "govukServiceNavigation": "service-navigation",
    "govukBackLink": "back-link",
    "govukButton": "button",
    "govukErrorSummary": "error-summary",
    "govukSummaryList": "summary-list",
    "govukPanel": "panel",
    "govukInsetText": "inset-text",
    "govukWarningText": "warning-text",
    "govukDetails": "details",
}


def frozen(value: object) -> object:
    """A hashable key for `value` that differs wherever a template could tell two values
    apart (text from markup, True from 1); TypeError for a value it cannot vouch for."""
    kind = type(value)
    if value is None or kind is str:
        return value
    if kind is bytes:
        return ("bytes", value)
    if kind in (bool, int, float):
        return (kind.__name__, value)
    if kind is Markup:
        return ("markup", str(value))
    if kind is LazyString:
        return ("lazy", str(value))
    if kind is dict:
        if not all(type(name) is str for name in value):
            raise TypeError("params with names that are not text")
        return ("dict", tuple(sorted((name, frozen(item)) for name, item in value.items())))
    if kind in (list, tuple):
        return (kind.__name__, tuple(frozen(item) for item in value))
    raise TypeError(f"cannot remember a {kind.__name__}")


class Fragments:
    """The HTML rendered for each key, least recently used dropped first."""

    def __init__(self, max_fragments: int = MAX_FRAGMENTS, max_characters: int = MAX_CHARACTERS):
        self.max_fragments = max_fragments
        self.max_characters = max_characters
        self.characters = 0
        self.html: OrderedDict[tuple, Markup] = OrderedDict()
        # For threaded servers (the development server is one); a sync worker never waits.
        self.lock = Lock()

    def get(self, key: tuple) -> Markup | None:
        with self.lock:
            html = self.html.get(key)
            if html is not None:
                self.html.move_to_end(key)
            return html

    def keep(self, key: tuple, html: Markup) -> None:
        if len(html) > self.max_characters:
            return
        with self.lock:
            if key in self.html:
                return
            self.html[key] = html
            self.characters += len(html)
            while len(self.html) > self.max_fragments or self.characters > self.max_characters:
                _key, dropped = self.html.popitem(last=False)
                self.characters -= len(dropped)


def remember(name: str, values: object, render: Callable[[], Markup]) -> Markup:
    """The HTML `render()` makes for `name` with `values`, from memory after the first time.

    `render` must depend on nothing but `values`; values `frozen` cannot key are rendered
    every time.
    """
    try:
        key = (name, frozen(values))
    except TypeError:
        return render()
    fragments = current_app.extensions.get(EXTENSION)
    if fragments is None:
        # An app that never ran init_app (a bare one in a test) still gets one.
        fragments = current_app.extensions[EXTENSION] = Fragments()
    html = fragments.get(key)
    if html is None:
        html = Markup(render())
        fragments.keep(key, html)
    return html


def remembered(name: str, *key: object, caller: Callable[[], Markup]) -> Markup:
    """`{% call remembered("header", campaign.token) %}...{% endcall %}`: the block rendered
    once for each language, mount point and key, for a part of a page that depends on
    nothing but those (never a form, an answer or a code)."""
    where = request.script_root if has_request_context() else ""
    return remember(name, (str(get_locale()), where, key), caller)


class RememberedMacro:
    """A GOV.UK macro as a template global, remembered by the params it is called with."""

    def __init__(self, template: str, name: str):
        self.template = template
        self.name = name

    def macro(self):
        return get_template_attribute(self.template, self.name)

    def __call__(self, *args, **kwargs) -> Markup:
        if "caller" in kwargs:
            # The body of a {% call %} block is the page's own: render it every time.
            return self.macro()(*args, **kwargs)
        return remember(self.name, (args, kwargs), lambda: self.macro()(*args, **kwargs))


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Fragments()
    app.jinja_env.globals["remembered"] = remembered
    for name, folder in COMPONENTS.items():
        template = f"govuk_frontend_jinja/components/{folder}/macro.html"
        app.jinja_env.globals[name] = RememberedMacro(template, name)
