"""Which outcomes wheels are loaded, and a young person's history drawn on one."""

from __future__ import annotations

from app.dates import format_day
from app.instruments.model import Instrument
from app.models import Participant, Reading
from app.readings.recording import readings_for


def star_instruments(registry) -> list[Instrument]:
    """The newest version of every outcomes wheel."""
    return [i for i in registry.latest() if i.type == "star"]


def star_instrument(registry, key: str) -> Instrument | None:
    """The wheel named by "id@version", or None when no such wheel is loaded."""
    instrument_id, _, version = key.partition("@")
    try:
        instrument = registry.get(instrument_id, int(version))
    except (KeyError, ValueError):
        return None
    return instrument if instrument.type == "star" else None


def wheel_chart(instrument: Instrument, readings: list[Reading], locale: str):
    """The first and latest readings drawn on one wheel."""
    from app.charts.wheel import draw_wheel

    texts = instrument.fieldwork_texts(locale)
    return draw_wheel(
        areas=[(area, texts.area_name(area)) for area in instrument.star.areas],
        first=readings[0].scores,
        latest=readings[-1].scores,
        points=instrument.star.points,
        first_label=f"First, {format_day(readings[0].taken_on, 'medium', locale)}",
        latest_label=f"Latest, {format_day(readings[-1].taken_on, 'medium', locale)}",
    )


def histories(registry, participant: Participant, locale: str, visible) -> list[dict]:
    """Per wheel the young person has readings on that the `visible` condition allows
    (`app.readings.scope`): the readings, the areas in words, and a chart once there are
    two readings to compare."""
    found = []
    for instrument in star_instruments(registry):
        readings = readings_for(participant, instrument, visible)
        if not readings:
            continue
        chart = wheel_chart(instrument, readings, locale) if len(readings) > 1 else None
        texts = instrument.fieldwork_texts(locale)
        found.append(
            {
                "instrument": instrument,
                "readings": readings,
                "areas": [(a, texts.area_name(a)) for a in instrument.star.areas],
                "chart": chart,
            }
        )
    return found
