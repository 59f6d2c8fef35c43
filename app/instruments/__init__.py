"""Instruments as data: the model, and loading and checking surveys/*.yaml and packs.

Pure: no web framework, no request, nothing from a blueprint, so scoring, evidence and
the operators' commands can use it without an application. Pages build forms from an
instrument with app.forms.
"""

from __future__ import annotations

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

__all__ = [
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
    "load_instrument_file",
    "load_instruments",
]
