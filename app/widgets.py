"""GOV.UK Frontend form widgets, with the words the components add by themselves translated.

govuk-frontend-wtf renders an error message without `visuallyHiddenText`, so screen readers
hear the component's English default "Error:" before a Welsh or Arabic message; and the
character count's hint and live messages default to English too. These subclasses give
each of them the respondent's language, and render each set of params once
(`app.fragments`); everything else is the upstream widget.
"""

from __future__ import annotations

from flask_babel import format_decimal, get_locale, gettext, ngettext
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)

from app.fragments import remember
from app.languages import plural_examples

# GOV.UK Frontend's script puts the live count where `%{count}` stands.
SCRIPT_COUNT = "%{count}"


class TranslatedErrorPrefix:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if params.get("errorMessage"):
            # Translators: read out before each error message, as in "Error: Select an answer".
            params["errorMessage"]["visuallyHiddenText"] = gettext("Error")
        return params


class RememberedRender:
    """The widget's template renders nothing but its params, so equal params are rendered
    once. A value someone typed or sent is never kept: that field is rendered afresh."""

    # The values a widget is rendered with when nobody has typed anything.
    untyped_values: tuple = (None, "")

    def render(self, params):
        if params.get("value") not in self.untyped_values:
            return super().render(params)
        return remember(self.template, params, lambda: super(RememberedRender, self).render(params))


class RadioInput(RememberedRender, TranslatedErrorPrefix, GovRadioInput):
    pass


class CheckboxesInput(RememberedRender, TranslatedErrorPrefix, GovCheckboxesInput):
    pass


class TextInput(RememberedRender, TranslatedErrorPrefix, GovTextInput):
    pass


class TextArea(RememberedRender, TranslatedErrorPrefix, GovTextArea):
    pass


class SubmitInput(RememberedRender, GovSubmitInput):
    # WTForms gives a submit button the value "y" unless the request sent another.
    untyped_values = (None, "", "y")


class CharacterCount(RememberedRender, TranslatedErrorPrefix, GovCharacterCount):
    """A text area with a character limit, counting in the respondent's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        limit = params.get("maxlength")
        if not limit:
            return params
        # Shown as it is when JavaScript is off, so it has the number in the locale's style.
        params["textareaDescriptionText"] = ngettext(
            "You can enter up to %(count)s character",
            "You can enter up to %(count)s characters",
            limit,
            count=format_decimal(limit),
        )
        examples = plural_examples(str(get_locale()))
        params["charactersUnderLimitText"] = {
            category: ngettext(
                "You have %(count)s character remaining",
                "You have %(count)s characters remaining",
                number,
                count=SCRIPT_COUNT,
            )
            for category, number in examples.items()
        }
        params["charactersAtLimitText"] = gettext("You have 0 characters remaining")
        params["charactersOverLimitText"] = {
            category: ngettext(
                "You have %(count)s character too many",
                "You have %(count)s characters too many",
                number,
                count=SCRIPT_COUNT,
            )
            for category, number in examples.items()
        }
        return params
