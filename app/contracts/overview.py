"""The commissioner's overview: every contract in the person's scope, one row each, sortable
and filterable with plain links and a GET form, and the same rows as an Excel workbook.

Which contracts a person sees comes from `app.scope` (a provider sees its own only). The
figures are the kept results (`app.monitoring.overview`), never rebuilt per request.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from flask import Response, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.contracts import bp
from app.dates import format_day
from app.improvement import summary
from app.models import Contract
from app.models.contract import RISK_LEVELS
from app.models.timeutil import uk_today
from app.monitoring import overview, status
from app.monitoring.history import shown_value, threshold, tolerance_text
from app.scope import contract_filter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Column key -> (heading, sort key). Sorting by a column puts the ones needing attention
# first when the order is "descending" (the default for the counts).
SORTS = {
    "reference": "Contract",
    "provider": "Provider",
    "risk": "Risk",
    "not_met": "Not met",
    "close": "Close",
    "trend": "Trend",
    "waiting": "Overdue or unanswered",
    "inspection": "Latest inspection",
    "reviewed": "Last reviewed",
}
# How each order reads: (ascending, descending).
ORDER_WORDS = {
    "reference": ("A to Z", "Z to A"),
    "provider": ("A to Z", "Z to A"),
    "trend": ("worst first", "best first"),
    "inspection": ("oldest first", "most recent first"),
    "reviewed": ("longest ago first", "most recent first"),
}
DEFAULT_SORT = "not_met"
DESCENDING_FIRST = {"risk", "not_met", "close", "waiting", "inspection"}
SHOW = {
    "": "All contracts",
    "attention": "Needing attention (not met, overdue, or waiting for an answer)",
    "not_met": "With a measure not met",
    "close": "With a measure close to its target",
    "overdue": "With a return overdue",
}


def _sort_value(row: overview.Row, key: str):
    contract = row.contract
    return {
        "reference": contract.reference.casefold(),
        "provider": contract.provider.name.casefold(),
        "risk": overview.RISK_ORDER.get(contract.risk, -1),
        "not_met": row.not_met,
        "close": row.close,
        # Worse first when ascending.
        "trend": row.trend.order,
        # Overdue returns first, then queries, then recommendations.
        "waiting": (len(row.overdue), row.queries, row.awaiting),
        "inspection": row.inspection.visit_on if row.inspection else date.min,
        "reviewed": contract.last_reviewed_on or date.min,
    }[key]


def _tie_break(row: overview.Row):
    return (-row.not_met, -row.close, -len(row.overdue), row.contract.reference.casefold())


@dataclass
class Choices:
    sort: str
    descending: bool
    risk: str
    provider: str
    show: str
    q: str
    errors: list[dict]

    def args(self, **changes) -> dict:
        values = {
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "risk": self.risk,
            "provider": self.provider,
            "show": self.show,
            "q": self.q,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}


def _choices(args, providers: dict[str, str]) -> Choices:
    errors = []

    def pick(name, allowed, label, default=""):
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            errors.append({"text": f"{label}: choose one of the options given", "href": f"#{name}"})
            return default
        return value or default

    sort = pick("sort", SORTS, "Sort by", DEFAULT_SORT)
    order = pick("order", ("asc", "desc"), "Order")
    descending = order == "desc" if order else sort in DESCENDING_FIRST
    q = " ".join((args.get("q") or "").split())[:100]
    return Choices(
        sort=sort,
        descending=descending,
        risk=pick("risk", RISK_LEVELS, "Risk"),
        provider=pick("provider", providers, "Provider"),
        show=pick("show", SHOW, "Show"),
        q=q,
        errors=errors,
    )


def _keep(row: overview.Row, choices: Choices) -> bool:
    contract = row.contract
    if choices.risk and contract.risk != choices.risk:
        return False
    if choices.provider and str(contract.provider_id) != choices.provider:
        return False
    if choices.q:
        words = f"{contract.reference} {contract.title} {contract.provider.name}".casefold()
        if choices.q.casefold() not in words:
            return False
    return {
        "": True,
        "attention": row.needs_attention,
        "not_met": row.not_met > 0,
        "close": row.close > 0,
        "overdue": bool(row.overdue),
    }[choices.show]


def _rows(today: date):
    contracts = overview.load(select(Contract).where(contract_filter(current_user)))
    every = overview.rows(contracts, today)
    providers = {
        str(row.contract.provider_id): row.contract.provider.name
        for row in sorted(every, key=lambda r: r.contract.provider.name.casefold())
    }
    choices = _choices(request.args, providers)
    shown = [row for row in every if _keep(row, choices)]
    shown.sort(key=_tie_break)
    shown.sort(key=lambda row: _sort_value(row, choices.sort), reverse=choices.descending)
    return every, shown, providers, choices


@bp.get("/", endpoint="overview")
def overview_page():
    today = uk_today()
    every, shown, providers, choices = _rows(today)
    headings = []
    for key, heading in SORTS.items():
        active = key == choices.sort
        descending = not choices.descending if active else key in DESCENDING_FIRST
        headings.append(
            {
                "key": key,
                "heading": heading,
                "active": active,
                "aria_sort": ("descending" if choices.descending else "ascending")
                if active
                else None,
                "href": url_for(
                    "contracts.overview",
                    **choices.args(sort=key, order="desc" if descending else "asc"),
                )
                + "#contracts",
                "next": "descending" if descending else "ascending",
            }
        )
    ascending, descending = ORDER_WORDS.get(choices.sort, ("lowest first", "highest first"))
    return render_template(
        "contracts/overview.html",
        sorted_by=f"{SORTS[choices.sort].lower()}, "
        + (descending if choices.descending else ascending),
        every=every,
        rows=shown,
        furthest=overview.furthest_off(every),
        cases=summary.counts_for_contracts([row.contract.id for row in shown], today),
        providers=providers,
        choices=choices,
        headings=headings,
        risks=RISK_LEVELS,
        shows=SHOW,
        statuses=status.STATUSES,
        xlsx_url=url_for("contracts.overview_xlsx", **choices.args()),
        today=today,
        error_title=bool(choices.errors),
    ), (400 if choices.errors else 200)


# --- XLSX ----------------------------------------------------------------------------------


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@bp.get("/overview.xlsx")
def overview_xlsx():
    import xlsxwriter

    today = uk_today()
    _, shown, _, choices = _rows(today)
    limit = threshold()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"title": "Contracts overview"})
    bold = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
    day = book.add_format({"num_format": "d mmmm yyyy", "align": "left"})

    sheet = book.add_worksheet("Contracts")
    sheet.write_string(0, 0, f"Contracts overview, {format_day(today)}", bold)
    columns = [
        ("Reference", 16),
        ("Title", 36),
        ("Provider", 30),
        ("Risk", 10),
        ("Latest period", 22),
        ("Measures not met", 10),
        ("Measures close", 10),
        ("Furthest off target", 60),
        ("Trend since the period before", 30),
        ("Overdue returns", 10),
        ("Unanswered queries", 10),
        ("Recommendations awaiting a reply", 12),
        ("Latest inspection", 16),
        ("Latest inspection outcome", 60),
        ("Last reviewed", 16),
    ]
    for number, (heading, width) in enumerate(columns):
        sheet.write_string(2, number, heading, header)
        sheet.set_column(number, number, width)
    sheet.freeze_panes(3, 1)
    for line, row in enumerate(shown, start=3):
        contract = row.contract
        cells = [
            contract.reference,
            contract.title,
            contract.provider.name,
            contract.risk_label,
            row.period.label if row.period else "No complete period yet",
            row.not_met,
            row.close,
            row.worst.text if row.worst else "",
            row.trend.text,
            len(row.overdue),
            row.queries,
            row.awaiting,
            row.inspection.visit_on if row.inspection else None,
            row.inspection.summary if row.inspection else "",
            contract.last_reviewed_on,
        ]
        for number, value in enumerate(cells):
            if isinstance(value, date):
                sheet.write_datetime(line, number, _midnight(value), day)
            elif isinstance(value, int):
                sheet.write_number(line, number, value)
            elif value:
                sheet.write_string(line, number, _text(value))

    measures = book.add_worksheet("Measures")
    measures.write_string(0, 0, "Each contract's measures in its latest complete period", bold)
    headings = [
        ("Reference", 16),
        ("Measure", 40),
        ("Period", 22),
        ("Value", 16),
        ("Target", 12),
        ("Tolerance", 10),
        ("Status", 16),
        ("Reason", 80),
    ]
    for number, (heading, width) in enumerate(headings):
        measures.write_string(2, number, heading, header)
        measures.set_column(number, number, width)
    measures.freeze_panes(3, 1)
    line = 3
    for row in shown:
        for chosen in status.contract_measures(row.contract):
            result = row.results.get(chosen.id)
            cells = [
                row.contract.reference,
                chosen.measure.name,
                row.period.label if row.period else "",
                shown_value(chosen, result, limit),
                status.format_value(chosen.measure.unit, chosen.target),
                tolerance_text(chosen.measure.unit, chosen.tolerance) if chosen.tolerance else "",
                status.STATUSES[result.status if result else status.NO_DATA],
                result.reason if result else "The contract has no complete period yet.",
            ]
            for number, value in enumerate(cells):
                if value:
                    measures.write_string(line, number, _text(value))
            line += 1
    book.close()
    audit.record(
        "contracts_overview_exported",
        format="xlsx",
        contracts=[row.contract.reference for row in shown],
        filters=choices.args(),
    )
    filename = f"contracts-overview-{today:%Y-%m-%d}.xlsx"
    return Response(
        buffer.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
