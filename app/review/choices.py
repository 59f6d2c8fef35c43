"""What an evidence page is about: the monitoring period and the group of people a request
asks for, and what the period picker offers. Reads the request's arguments; the figures
behind the groups on offer come from `app.evidence.build`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

from app.evidence.build import available_filters
from app.evidence.disclosure import View
from app.evidence.page_figures import PageFigures
from app.evidence.periods import Period, period_for_family
from app.evidence.suppression import SmallNumbers
from app.evidence.words import filter_label
from app.models import Provider, Service

PERIODS_OFFERED = 8
Grid = Callable[[date], Period]


def provider_grid(provider: Provider) -> Grid:
    """The one period grid of the provider's family (`periods.period_for_family`)."""

    def containing(day: date) -> Period:
        return period_for_family(provider, day)

    return containing


def service_grid(service: Service) -> Grid:
    """A service is reported on its provider family's grid, never on a finer one of its
    own: a month inside a published quarter could be subtracted from it."""
    return provider_grid(service.provider)


def choose_period(
    containing: Grid, args: Mapping[str, str], today: date
) -> tuple[Period, list[Period], str]:
    """The period asked for (`?period=` a date inside it), the periods on offer (the current
    one first), and an error message when the request named no valid period.

    Default: the current period so far, which every table sets beside the last complete
    one, so recent work (a visit finalised this month) is seen without switching; the
    picker says which is which and offers the last complete period on its own."""
    current = containing(today)
    offered = [current]
    while len(offered) < PERIODS_OFFERED:
        offered.append(containing(offered[-1].start - timedelta(days=1)))
    chosen, error = offered[0], ""
    asked = args.get("period", "").strip()
    if asked:
        try:
            day = date.fromisoformat(asked)
            if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
                raise ValueError(asked)
        except ValueError:
            error = "Enter a period as a date, for example 2026-04-01."
        else:
            chosen = containing(day)
            if chosen.start > today:
                error = "That period has not started yet. Showing the current period so far."
                chosen = offered[0]
    if chosen not in offered:
        offered.append(chosen)
        offered.sort(key=lambda p: p.start, reverse=True)
    return chosen, offered, error


def choose_group(
    services, period: Period, rule: SmallNumbers, figures: PageFigures | None, asked: str
) -> tuple[tuple[str, str] | None, list, str]:
    """The group asked for (`?show=language:cy`, `?show=age_band:13_15`), the groups on
    offer, and a message when the group asked for cannot be shown."""
    offered_by = available_filters(View(tuple(services)), period, rule, figures)
    offered = [
        (f"{dimension}:{value}", f"People {filter_label(dimension, value)}")
        for dimension, values in offered_by.items()
        for value in values
    ]
    asked = asked.strip()
    if not asked or asked == "everyone":
        return None, offered, ""
    dimension, _, value = asked.partition(":")
    if value not in offered_by.get(dimension, []):
        return (
            None,
            offered,
            "That group is too small to show on its own without risk of identifying "
            "someone, so everyone is shown.",
        )
    return (dimension, value), offered, ""


def choose(
    containing: Grid,
    service_ids,
    rule: SmallNumbers,
    figures: PageFigures | None,
    args: Mapping[str, str],
    today: date,
) -> tuple[Period, tuple[str, str] | None, dict]:
    """The period and group the request asks for, and what the period picker shows."""
    period, offered, error = choose_period(containing, args, today)
    only, groups, group_error = choose_group(
        service_ids, period, rule, figures, args.get("show", "")
    )
    picker = {
        "period": period,
        "offered": offered,
        "error": error,
        "groups": groups,
        "group": ":".join(only) if only else "everyone",
        "group_error": group_error,
    }
    return period, only, picker


__all__ = ["choose", "choose_group", "choose_period", "provider_grid", "service_grid"]
