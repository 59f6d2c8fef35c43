"""The words of a page's content in one language: instrument texts for the findings about
answers, and dates. The page's own sentences are in its templates, through the catalogue."""

from __future__ import annotations

from datetime import date


def answer_texts(finding: dict, registry, locale: str) -> dict | None:
    """The question and the answer of an "answer" finding, in `locale` where the
    instrument has it (else its own language, named in `lang`); None when the instrument
    no longer has that question."""
    try:
        instrument = registry.get(finding["instrument"])
        instrument.item(finding["item"])
    except KeyError:
        return None
    used = instrument.resolve_locale(locale)
    answers = dict(instrument.option_choices(finding["item"], used))
    if finding["value"] not in answers:
        return None
    return {
        "question": instrument.item_text(finding["item"], used),
        "answer": answers[finding["value"]],
        "lang": used,
    }


def period_dates(content: dict) -> tuple[date, date]:
    period = content["period"]
    return date.fromisoformat(period["start"]), date.fromisoformat(period["end"])


def findings_in(content: dict, registry, locale: str) -> list[dict]:
    """The page's findings ready for its template in `locale`: shares as percentages in
    the locale's way, and each answer finding with its question and answer texts."""
    from babel.numbers import format_decimal, format_percent

    shown = []
    for finding in content.get("said", []):
        item = dict(finding)
        if "share" in item:
            item["percent"] = format_percent(item["share"], locale=locale)
        for key in ("count", "before"):
            if key in item:
                item[f"{key}_text"] = format_decimal(item[key], locale=locale)
        if item["key"] == "answer":
            texts = answer_texts(item, registry, locale)
            if texts is None:
                continue
            item.update(texts)
        shown.append(item)
    return shown


__all__ = ["answer_texts", "findings_in", "period_dates"]
