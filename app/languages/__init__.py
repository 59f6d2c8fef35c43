"""The languages respondents can use: each named in itself, and the way each is written.

No Flask here, so the catalogue checks and the instrument checks can use it on their own.
The request side (choosing a language, the switcher) is `app.languages.choice`; the message
catalogues and their quality gates are `app.languages.catalogues`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale


@dataclass(frozen=True)
class Language:
    """One language: its code (as Babel and `<html lang>` use it) and how it is shown."""

    code: str
    # The language's name in itself, as the switcher shows it, so a person finds their own.
    name: str
    english_name: str
    direction: str = "ltr"

    @property
    def is_right_to_left(self) -> bool:
        return self.direction == "rtl"


# The order of the switcher: English and Welsh (the UK's official pair) first, then the
# languages most often needed by families using children's services in England and Wales.
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("cy", "Cymraeg", "Welsh"),
    Language("pl", "Polski", "Polish"),
    Language("ro", "Română", "Romanian"),
    Language("pt", "Português", "Portuguese"),
    Language("es", "Español", "Spanish"),
    Language("ar", "العربية", "Arabic", "rtl"),
    Language("ur", "اردو", "Urdu", "rtl"),
    Language("bn", "বাংলা", "Bengali"),
    Language("so", "Soomaali", "Somali"),
)
DEFAULT_LANGUAGE = "en"
LANGUAGE_CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
# The languages that need a message catalogue: English is the language of the source text.
TRANSLATED_CODES: tuple[str, ...] = tuple(c for c in LANGUAGE_CODES if c != DEFAULT_LANGUAGE)

_BY_CODE = {language.code: language for language in LANGUAGES}


def language(code: str) -> Language:
    """The language with this code; KeyError when the platform does not offer it."""
    return _BY_CODE[code]


def is_supported(code: str | None) -> bool:
    return code in _BY_CODE


def parse_language_list(text: str | None) -> list[str]:
    """Codes from a comma-separated list such as a campaign's `languages`, in order, once each."""
    codes: list[str] = []
    for part in (text or "").split(","):
        code = part.strip()
        if code and code not in codes:
            codes.append(code)
    return codes


@cache
def plural_examples(code: str) -> dict[str, int]:
    """One whole number for each CLDR plural category of a language, e.g. cy: few -> 3.

    GOV.UK Frontend's JavaScript picks a message by CLDR category (`Intl.PluralRules`), while
    gettext picks by number; translating each category's example number with ngettext gives
    the script the same wording the catalogue has for that number.
    """
    rule = Locale.parse(code).plural_form
    examples: dict[str, int] = {}
    for number in range(0, 1000):
        examples.setdefault(rule(number), number)
    return examples
