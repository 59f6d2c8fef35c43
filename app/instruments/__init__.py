"""Instruments as data: load and check surveys/*.yaml and instrument packs, build forms.

The model and loader have no Flask import, so scoring and evidence code can use them
without an application. The form and CLI helpers need Flask and are imported only when
first asked for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from app.instruments.loader import load_instrument_file, load_instruments
from app.instruments.model import (
    INSTRUMENT_TYPES,
    ITEM_KINDS,
    PROVENANCES,
    Ages,
    Band,
    Instrument,
    InstrumentError,
    InstrumentRegistry,
    Item,
    Licence,
    LocaleTexts,
    MeaningfulChange,
    Norm,
    Problem,
    ReliableChange,
    Scoring,
)

if TYPE_CHECKING:
    from app.instruments.cli import instruments_cli
    from app.instruments.forms import (
        ERROR_MESSAGES,
        FIELD_BUILDERS,
        answers_from_form,
        build_page_form,
        initial_data,
    )

_LAZY = {
    "ERROR_MESSAGES": "app.instruments.forms",
    "FIELD_BUILDERS": "app.instruments.forms",
    "answers_from_form": "app.instruments.forms",
    "build_page_form": "app.instruments.forms",
    "initial_data": "app.instruments.forms",
    "instruments_cli": "app.instruments.cli",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ERROR_MESSAGES",
    "FIELD_BUILDERS",
    "INSTRUMENT_TYPES",
    "ITEM_KINDS",
    "PROVENANCES",
    "Ages",
    "Band",
    "Instrument",
    "InstrumentError",
    "InstrumentRegistry",
    "Item",
    "Licence",
    "LocaleTexts",
    "MeaningfulChange",
    "Norm",
    "Problem",
    "ReliableChange",
    "Scoring",
    "answers_from_form",
    "build_page_form",
    "initial_data",
    "instruments_cli",
    "load_instrument_file",
    "load_instruments",
]
