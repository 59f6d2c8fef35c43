"""GOV.UK components rendered once and reused: the same HTML as rendering them afresh, kept
apart wherever a page could differ, and never more than the bounds allow."""

from __future__ import annotations

import pytest
from flask import Flask, get_template_attribute
from flask_babel import Babel
from flask_wtf import FlaskForm
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from markupsafe import Markup
from wtforms import StringField

from app import fragments
from app.fragments import Fragments, frozen
from app.widgets import TextInput


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config.update(TESTING=True, SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    app.jinja_loader = ChoiceLoader(
        [
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            )
        ]
    )
    fragments.init_app(app)
    return app


def render(app, source: str, **context) -> str:
    with app.test_request_context():
        return app.jinja_env.from_string(source).render(**context)


def kept(app) -> Fragments:
    return app.extensions[fragments.EXTENSION]


def test_a_remembered_component_is_the_html_the_macro_renders(app):
    params = {"text": "Continue", "name": "action", "value": "continue", "isStartButton": True}
    with app.test_request_context():
        macro = get_template_attribute(
            "govuk_frontend_jinja/components/button/macro.html", "govukButton"
        )
        afresh = str(macro(params))
    first = render(app, "{{ govukButton(params) }}", params=params)
    again = render(app, "{{ govukButton(params) }}", params=params)
    assert first == again == afresh
    assert len(kept(app).html) == 1


def test_different_params_are_kept_apart(app):
    page = "{{ govukBackLink({'href': href, 'text': 'Back'}) }}"
    assert 'href="/one"' in render(app, page, href="/one")
    assert 'href="/two"' in render(app, page, href="/two")
    assert 'href="/one"' in render(app, page, href="/one")


def test_text_and_markup_with_the_same_letters_are_kept_apart(app):
    page = "{{ govukInsetText({'text': text}) }}"
    escaped = render(app, page, text="<b>bold</b>")
    trusted = render(app, page, text=Markup("<b>bold</b>"))
    assert "&lt;b&gt;bold&lt;/b&gt;" in escaped
    assert "<b>bold</b>" in trusted


def test_keys_tell_apart_what_a_template_could(app):
    assert frozen(True) != frozen(1)
    assert frozen("x") != frozen(Markup("x"))
    assert frozen({"a": [1, 2]}) == frozen({"a": [1, 2]})
    assert frozen({"a": [1, 2]}) != frozen({"a": (1, 2)})
    with pytest.raises(TypeError):
        frozen({"a": object()})


def test_a_value_that_cannot_be_keyed_is_rendered_every_time(app):
    page = "{{ govukBackLink({'href': missing, 'text': 'Back'}) }}"
    render(app, page)
    assert len(kept(app).html) == 0


def test_a_remembered_block_is_kept_per_language_and_key(app):
    page = '{% call remembered("part", key) %}{{ words }}{% endcall %}'
    assert render(app, page, key="a", words="first") == "first"
    # Same key: the kept copy, whatever the page would have put in it now.
    assert render(app, page, key="a", words="changed") == "first"
    assert render(app, page, key="b", words="second") == "second"


def test_what_someone_typed_is_never_kept(app):
    class CodeForm(FlaskForm):
        code = StringField("Your code", widget=TextInput())

    with app.test_request_context(method="POST", data={"code": "ABCD-2345"}):
        typed = CodeForm()
        assert 'value="ABCD-2345"' in str(typed.code())
    assert kept(app).html == {}
    with app.test_request_context():
        empty = CodeForm()
        empty.code()
    assert len(kept(app).html) == 1


def test_the_least_recently_used_go_first_and_memory_stays_bounded():
    store = Fragments(max_fragments=2, max_characters=10)
    store.keep(("a",), Markup("aaa"))
    store.keep(("b",), Markup("bbb"))
    store.get(("a",))
    store.keep(("c",), Markup("ccc"))
    assert set(store.html) == {("a",), ("c",)}
    store.keep(("d",), Markup("dddddddd"))
    assert store.characters <= 10
    store.keep(("huge",), Markup("x" * 11))
    assert ("huge",) not in store.html
