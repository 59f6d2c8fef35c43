"""A disclosure auditor: can any hidden figure be worked out from everything a role can
download? Black-box, through HTTP, by linear programming.

    harvest = harvest_family(client_request, provider_id, seeds=["2026-04-01"])
    result = audit(harvest)                   # an Audit: one Finding per hidden count
    assert not unsafe(result), report(result)

1. Harvest (`harvest_family`): the provider page and every service page, every period the
   period picker offers (near the data: `window`), every group the `?show=` picker offers,
   and the CSV and XLSX pack of each. Every count cell and every share with its base becomes
   a `Cell`: (measure, services, period, group, category) -> value, or HIDDEN when the pack
   says "fewer than N".
2. Model (`build_model`): the unknowns are atoms, one per measure, service, time slot and
   value of each dimension the measure is broken down by (language, provenance, mode,
   completion, band, answer, age band...). A cell is the sum of the atoms it covers. Which
   measures add up over months (see `ADDITIVE`): counts of RESPONSES (the responses row, the
   language and mode tables, the questionnaire option counts, which count responses, not
   people) are true sums over months, so a quarter is the sum of its three months. Counts of
   PEOPLE (people, scale people and bands, change cohorts, outcomes-wheel areas) count
   distinct people, and one person can answer in two months of a quarter, so their time slot
   is the cell's whole period: a people cell only links to cells of the same period. Across
   services and groups people are taken as additive: each person answers at one service in
   one language and age band (the worlds are built so; it is how the app's pages relate a
   provider to its services and a group to everyone).
3. Constraints: published counts are equalities; hidden counts are `0 <= cell <= N-1` (the
   literal reading of "fewer than N"); shares give `share * base = count` (to full precision
   from the XLSX, within the rounding from the CSV). Categories a table of a breakdown does
   not list are zero. Atoms are >= 0.
4. Audit (`audit`): each hidden count (and the count behind each hidden share) is minimised
   and maximised with `scipy.optimize.linprog` (HiGHS). SAFE when it can take at least N
   whole values: floor(max) - ceil(min) + 1 >= N. When the literal reading contradicts the
   published figures (a secondary cell of 10 or more labelled "fewer than 10"), the hidden
   counts of each contradicted total are only bounded below (`Audit.not_small`), and the
   report says how many. A finding whose true value lies outside its range shows where the
   literal reading was false. Withheld sections ("Not shown" on the method page) and the
   counts behind hidden shares are audited without a bound of their own (`derived`).

Measures are independent (no constraint links two), so each is audited as its own, small,
set of linear programs (`by_measure`). The LP range is an outer bound of the whole-number
range, so a cell the LP calls narrow is narrow; one it calls wide may in rare cases be
narrower in whole numbers.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import product

import numpy as np
from bs4 import BeautifulSoup
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

HIDDEN = None  # a cell's value when the pack says "fewer than N"
OTHER = "(other)"  # a group value no picker offered: the atoms it stands for are unnamed
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Measures whose cells are sums over months (they count responses); every other measure
# counts distinct people, who may answer in several months of one period.
ADDITIVE = ("responses", "q:")
EXACT = 1e-9  # an XLSX share is a double: equal to count / base up to rounding of the last bit


# --- Cells ---------------------------------------------------------------------------------


Period = tuple[date, date]
Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Key:
    """What a cell counts: `measure` over `services`, `period`, people of `group` (pairs of
    dimension and value, e.g. (("language", "Welsh"),)) and `category` (more pairs)."""

    measure: str
    services: frozenset[int]
    period: Period
    group: Pairs = ()
    category: Pairs = ()

    def __str__(self) -> str:
        services = ",".join(str(s) for s in sorted(self.services))
        parts = [f"{d}={v}" for d, v in (*self.group, *self.category)]
        when = f"{self.period[0]:%Y-%m}..{self.period[1]:%Y-%m}"
        return f"{self.measure} [services {services}; {when}; {'; '.join(parts) or 'all'}]"


@dataclass(frozen=True)
class Cell:
    key: Key
    value: int | None  # None: HIDDEN
    source: str


@dataclass(frozen=True)
class Share:
    """count(`numerator`) / count(`base`) published as `value`, give or take `precision`."""

    numerator: Key
    base: Key
    value: float | None  # None: hidden
    precision: float
    source: str


@dataclass
class Harvest:
    threshold: int = 10
    cells: list[Cell] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    # (measure, services, period, group, dims) -> categories a complete breakdown listed
    listed: dict[tuple, set[Pairs]] = field(default_factory=dict)
    services: dict[int, str] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)
    withheld: list[tuple[Key, str]] = field(default_factory=list)  # sections left out

    def extend(self, other: Harvest) -> None:
        self.cells += other.cells
        self.shares += other.shares
        for k, v in other.listed.items():
            self.listed.setdefault(k, set()).update(v)
        self.services.update(other.services)
        self.fetched += other.fetched
        self.withheld += other.withheld


def parse_period(label: str) -> Period:
    """ "April 2026", "April to June 2026", "November 2025 to January 2026" (or a column
    heading ending with one, "Share, April to June 2026") as (first day, last day)."""
    label = label.split(", ")[-1].replace(" (so far)", "").strip()
    m = re.fullmatch(r"(\w+)(?: (\d{4}))?(?: to (\w+))? (\d{4})", label)
    if not m or m.group(1) not in MONTHS:
        raise ValueError(f"not a period: {label!r}")
    first, first_year, last, year = m.groups()
    start = date(int(first_year or year), MONTHS.index(first) + 1, 1)
    end_month = date(int(year), MONTHS.index(last or first) + 1, 1)
    end = (end_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def months_of(period: Period) -> list[date]:
    out, day = [], period[0]
    while day <= period[1]:
        out.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def previous_period(period: Period) -> Period:
    months = len(months_of(period))
    start = period[0]
    for _ in range(months):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, period[0] - timedelta(days=1)


# --- Reading packs -------------------------------------------------------------------------


@dataclass
class RawTable:
    section: str
    caption: str
    header: list[str]
    rows: list[list[object]]
    note: str = ""


def _filled(row) -> list:
    row = list(row)
    while row and row[-1] in (None, ""):
        row.pop()
    return row


def _tables(lines: list[list[object]], section_of) -> list[RawTable]:
    """Tables from a CSV's lines or a sheet's rows: a caption line followed by a header,
    rows up to a blank or one-cell line (the note)."""
    tables, i = [], 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else []
        if line and following and len([c for c in following if c not in (None, "")]) > 1:
            section, caption = section_of(line)
            table = RawTable(section, caption, [str(c) for c in following], [])
            i += 2
            while i < len(lines) and lines[i]:
                if len([c for c in lines[i] if c not in (None, "")]) == 1:
                    table.note = str(lines[i][0])
                    i += 1
                    break
                table.rows.append(lines[i] + [None] * (len(table.header) - len(lines[i])))
                i += 1
            tables.append(table)
        else:
            i += 1
    return tables


def csv_tables(body: bytes) -> tuple[dict[str, str], list[RawTable]]:
    """The method's (label, value) lines and the tables of a CSV pack."""
    lines = [_filled(r) for r in csv.reader(io.StringIO(body.decode("utf-8-sig")))]
    start = next(i for i, line in enumerate(lines) if line == ["Method"])
    end = start + next(i for i, line in enumerate(lines[start:]) if not line)
    method = {line[0]: line[1] for line in lines[start + 1 : end] if len(line) > 1}
    return method, _tables(lines[end:], lambda line: (line[0], line[1] if len(line) > 1 else ""))


def xlsx_tables(body: bytes) -> tuple[dict[str, str], list[RawTable]]:
    """The method's (label, value) rows and the tables of an XLSX pack (read by openpyxl)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    tables, method = [], {}
    for sheet in book.worksheets:
        rows = [_filled(r) for r in sheet.iter_rows(values_only=True)]
        if sheet.title == "Method":
            method = {str(r[0]): str(r[1]) for r in rows if len(r) > 1 and r[0]}
            continue
        title = rows[0][0]
        tables += _tables(rows[1:], lambda line, title=title: (title, line[0]))
    return method, tables


def _value(raw, threshold_seen: list[int]):
    """(number or HIDDEN, exact?) from a cell; ("", None) when the cell is empty."""
    if raw in (None, ""):
        return "", False
    if isinstance(raw, (int, float)):
        return raw, True
    text = str(raw).replace(",", "").strip()
    m = re.fullmatch(r"fewer than (\d+)", text)
    if m:
        threshold_seen.append(int(m.group(1)))
        return HIDDEN, False
    if re.fullmatch(r"(more|less) than \d+%", text):
        # A completion rate's bound: what "fewer than 10" beside the total already says
        # (app.evidence.completion), so it publishes no value.
        return "", False
    if text.endswith("%"):
        return float(text[:-1]) / 100, False
    try:
        return float(text), False
    except ValueError:
        return "", False


def _precision(raw, exact: bool) -> float:
    if exact:
        # A spreadsheet number that is a whole percentage (0.69) is taken as rounded to one:
        # known to half a percentage point, like "69%" in the CSV.
        if isinstance(raw, float) and abs(raw * 100 - round(raw * 100)) < 1e-9:
            return 0.005 + EXACT
        return EXACT
    text = str(raw)
    if text.endswith("%"):
        return 0.005 + EXACT
    places = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10**-places + EXACT


def _language(label: str) -> Pairs:
    name, _, provenance = label.rpartition(" (")
    return (("language", name), ("provenance", provenance.rstrip(")")))


class PackReader:
    """Turns one pack's tables into cells, for a view (services, group) and its period."""

    def __init__(self, harvest, services, group: Pairs, period: Period, names, source):
        self.h, self.services, self.group = harvest, frozenset(services), group
        self.period, self.names, self.source = period, names, source

    def key(self, measure, period, category=(), services=None) -> Key:
        return Key(measure, services or self.services, period, self.group, tuple(category))

    def cell(self, key, raw, where):
        value, _ = _value(raw, self._seen)
        if value != "":
            whole = value if value is HIDDEN else int(round(value))
            self.h.cells.append(Cell(key, whole, f"{self.source} | {where}"))

    def share(self, numerator, base, raw, where):
        value, exact = _value(raw, self._seen)
        if value != "":
            precision = _precision(raw, exact)
            source = f"{self.source} | {where}"
            self.h.shares.append(Share(numerator, base, value, precision, source))

    def listed(self, measure, period, dims, categories):
        slot = (measure, self.services, period, self.group, dims)
        self.h.listed.setdefault(slot, set()).update(categories)

    def read(self, method: dict[str, str], tables: Iterable[RawTable]) -> None:
        self._seen: list[int] = []
        for t in tables:
            self._table(t)
        # A section left out of the pack hides its figures as surely as "fewer than 10",
        # without saying they are small: audited, not bounded.
        withheld = method.get("Not shown", "").partition(": ")[2].rstrip(".")
        for name in filter(None, withheld.split(", ")):
            measures = ("responses", "people") if name == "responses" else (f"scale:{name}",)
            for measure in measures:
                key = self.key(measure, self.period)
                self.h.withheld.append((key, f"{self.source} | not shown: {name}"))
        if self._seen:
            self.h.threshold = self._seen[0]

    def _table(self, t: RawTable) -> None:
        where = f"{t.section} / {t.caption}"
        heads = t.header
        if t.caption == "Responses and people":
            for row in t.rows:
                measure = {"Responses": "responses", "People": "people"}[row[0]]
                for col in (1, 2):
                    self.cell(self.key(measure, parse_period(heads[col])), row[col], where)
        elif t.caption.startswith("Completion rate"):
            for col in (1, 2):
                p = parse_period(heads[col])
                yes = self.key("responses", p, (("complete", "yes"),))
                self.share(yes, self.key("responses", p), t.rows[0][col], where)
        elif t.caption in ("Languages used (responses)", "How people answered (responses)"):
            dims = ("language", "provenance") if "Languages" in t.caption else ("mode",)
            for col in (1, 2):
                p, seen = parse_period(heads[col]), set()
                for row in t.rows:
                    category = () if row[0] == "Total" else _language(row[0])
                    if row[0] != "Total" and dims == ("mode",):
                        category = (("mode", row[0]),)
                    seen.add(category)
                    self.cell(self.key("responses", p, category), row[col], f"{where} / {row[0]}")
                self.listed("responses", p, dims, seen - {()})
        elif heads[0] == "Service" and t.section == "Services":
            for row in t.rows:
                sid = self.names[row[0]]
                key = self.key("people", self.period, services=frozenset({sid}))
                self.cell(key, row[1], f"{where} / {row[0]}")
        elif t.caption.endswith(("scores", "metric scores")) and heads[0] == "Measure":
            for col in (1, 2):
                key = self.key(f"scale:{t.section}", parse_period(heads[col]))
                self.cell(key, t.rows[0][col], where)
        elif t.caption.endswith(": indicative bands"):
            measure = f"scale:{t.section}"
            now, before = parse_period(heads[1]), parse_period(heads[3])
            for row in t.rows:
                band = (("band", row[0]),)
                self.cell(self.key(measure, now, band), row[1], f"{where} / {row[0]}")
                for col, p in ((2, now), (3, before)):
                    k = self.key(measure, p, band)
                    self.share(k, self.key(measure, p), row[col], f"{where} / {row[0]} share")
            for p in (now, before):
                self.listed(measure, p, ("band",), {(("band", r[0]),) for r in t.rows})
        elif t.caption.endswith(": change from first to latest score"):
            measure = f"change:{t.section}"
            for col in (1, 2):
                p = parse_period(heads[col])
                self.cell(self.key(measure, p), t.rows[0][col], where)
                for row in t.rows[2:]:
                    k = self.key(measure, p, ((row[0], "yes"),))
                    self.share(k, self.key(measure, p), row[col], f"{where} / {row[0]}")
        elif heads[0] == "Answer":
            self._question(t, where)
        elif heads[0] == "Area":
            for row in t.rows:
                measure = f"star:{t.section}:{row[0]}"
                self.cell(self.key(measure, self.period), row[1], f"{where} / {row[0]}")
                moved = self.key(measure, self.period, (("moved up", "yes"),))
                self.share(moved, self.key(measure, self.period), row[5], f"{where} / {row[0]}")

    def _question(self, t: RawTable, where: str) -> None:
        multiple = "more than one answer" in t.note
        now, before = parse_period(t.header[1]), parse_period(t.header[3])
        total = t.rows[-1]
        measure = f"q:{t.section}:{t.caption}"
        options = t.rows[:-1]
        for row in options:
            # Options of a multiple-choice question overlap: each is a yes/no measure.
            m, category = (measure, (("answer", row[0]),))
            if multiple:
                m, category = f"{measure}={row[0]}", (("chosen", "yes"),)
            self.cell(self.key(m, now, category), row[1], f"{where} / {row[0]}")
            for col, p in ((2, now), (3, before)):
                self.share(
                    self.key(m, p, category), self.key(m, p), row[col], f"{where} / {row[0]} share"
                )
            if multiple:
                self.cell(self.key(m, now), total[1], f"{where} / answered")
        if not multiple:
            self.cell(self.key(measure, now), total[1], f"{where} / answered")
            for p in (now, before):
                self.listed(measure, p, ("answer",), {(("answer", r[0]),) for r in options})


# --- Harvesting over HTTP ------------------------------------------------------------------


def _options(page: BeautifulSoup, select_id: str) -> list[tuple[str, str]]:
    return [(o["value"], o.get_text(strip=True)) for o in page.select(f"select#{select_id} option")]


def _group(value: str, label: str) -> Pairs:
    dimension, _, code = value.partition(":")
    if dimension == "language":
        return (("language", label.removeprefix("People in ").strip()),)
    return ((dimension, code),)


def harvest_family(
    client,
    provider_id: int,
    seeds: Iterable[str],
    *,
    window: Period | None = None,
    formats: Iterable[str] = ("csv", "xlsx"),
) -> Harvest:
    """Everything `client` (a signed-in `ClientRequest`) can download about one provider
    family: views x periods x groups x formats. `seeds` are `?period=` dates to open the
    pages at (the picker then offers its periods); with `window`, only periods that overlap
    it, or whose previous period (shown beside them) does, are read: other periods hold
    nothing of the world."""
    harvest = Harvest()
    first = client.get(f"/evidence/providers/{provider_id}?period={next(iter(seeds))}")
    for link in first.select('a[href^="/evidence/services/"]'):
        sid = int(re.match(r"/evidence/services/(\d+)", link["href"]).group(1))
        harvest.services[sid] = link.get_text(strip=True)
    names = {name: sid for sid, name in harvest.services.items()}
    views = [(f"/evidence/providers/{provider_id}", frozenset(harvest.services))]
    views += [(f"/evidence/services/{sid}", frozenset({sid})) for sid in sorted(harvest.services)]
    for base, services in views:
        periods: dict[str, Period] = {}
        for seed in seeds:
            page = client.get(f"{base}?period={seed}")
            for value, label in _options(page, "period"):
                periods[value] = parse_period(label)
        for value, period in sorted(periods.items()):
            if window and not any(_overlaps(p, window) for p in (period, previous_period(period))):
                continue
            page = client.get(f"{base}?period={value}")
            harvest.fetched.append(f"{base}?period={value}")
            groups = [("", ())] + [
                (v, _group(v, label)) for v, label in _options(page, "show") if v != "everyone"
            ]
            for show, group in groups:
                query = f"period={value}" + (f"&show={show}" if show else "")
                for fmt in formats:
                    url = f"{base}/pack.{fmt}?{query}"
                    body = client.get(url).get_data()
                    harvest.fetched.append(url)
                    method, tables = (csv_tables if fmt == "csv" else xlsx_tables)(body)
                    PackReader(harvest, services, group, period, names, url).read(method, tables)
    return harvest


def _overlaps(a: Period, b: Period) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# --- The model -----------------------------------------------------------------------------


class Model:
    """Atoms and the linear expression of every cell over them."""

    def __init__(self, harvest: Harvest):
        self.h = harvest
        keys = [c.key for c in harvest.cells]
        keys += [k for s in harvest.shares for k in (s.numerator, s.base)]
        keys += [key for key, _ in harvest.withheld]
        self.dims: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.times: dict[str, set] = defaultdict(set)
        self.group_dims: set[str] = set()
        for key in keys:
            for d, v in (*key.group, *key.category):
                self.dims[key.measure][d].add(v)
            self.group_dims |= {d for d, _ in key.group}
            self.times[key.measure] |= set(self._slots(key))
        for dims in self.dims.values():
            for values in dims.values():
                if values == {"yes"}:
                    values.add("no")  # a yes/no breakdown whose "no" side is never a cell
        self.index: dict[tuple, int] = {}
        self.order: dict[str, list[str]] = {}
        for measure, dims in self.dims.items():
            for d in self.group_dims:
                dims[d].add(OTHER)  # groups the picker did not offer
            self.order[measure] = sorted(dims)
        services = sorted(harvest.services) or sorted({s for k in keys for s in k.services})
        for measure in sorted(self.times):
            values = [sorted(self.dims[measure][d]) for d in self.order.get(measure, [])]
            for service, slot, *combo in product(services, sorted(self.times[measure]), *values):
                self.index[(measure, service, slot, *combo)] = len(self.index)
        self.size = len(self.index)

    def _slots(self, key: Key) -> list:
        if key.measure.startswith(ADDITIVE):
            return months_of(key.period)
        return [key.period]

    def atoms(self, key: Key) -> list[int]:
        fixed = dict((*key.group, *key.category))
        if len(fixed) < len({*key.group, *key.category}):
            return []  # Welsh speakers' English answers: nobody
        order = self.order.get(key.measure, [])
        values = [[fixed[d]] if d in fixed else sorted(self.dims[key.measure][d]) for d in order]
        return [
            self.index[(key.measure, service, slot, *combo)]
            for service in sorted(key.services)
            for slot in self._slots(key)
            for combo in product(*values)
        ]

    def row(self, key: Key, scale: float = 1.0) -> dict[int, float]:
        return dict.fromkeys(self.atoms(key), scale)


@dataclass
class Finding:
    key: Key
    source: str
    low: float
    high: float
    threshold: int
    derived: bool = False  # behind a hidden share or a withheld section: no cell of its own
    true: int | None = None

    @property
    def values(self) -> float:
        if math.isinf(self.high):
            return math.inf
        return math.floor(self.high + 1e-6) - math.ceil(self.low - 1e-6) + 1

    @property
    def safe(self) -> bool:
        return self.values >= self.threshold

    def __str__(self) -> str:
        high = "inf" if math.isinf(self.high) else f"{self.high:.2f}"
        truth = "" if self.true is None else f", true {self.true}"
        if self.true is not None and not self.low - 1e-6 <= self.true <= self.high + 1e-6:
            truth += " (outside: this hidden count is not below N)"
        kind = "withheld (hidden share or section): " if self.derived else ""
        return f"{kind}{self.key} in [{self.low:.2f}, {high}]{truth}\n    from {self.source}"


@dataclass
class Audit:
    findings: list[Finding]
    bounded: int  # hidden counts read as 0..N-1
    not_small: list[Key]  # hidden counts the published figures prove are N or more
    atoms: int
    constraints: int


def _constraints(model: Model):
    """(equality rows, values), (inequality rows, bounds), hidden rows: each a list of
    {atom: coefficient}."""
    h = model.h
    eq, eq_b, ub, ub_b, hidden = [], [], [], [], {}
    for cell in h.cells:
        if cell.value is not HIDDEN:
            eq.append(model.row(cell.key))
            eq_b.append(cell.value)
        else:
            hidden.setdefault(cell.key, model.row(cell.key))
    for (measure, services, period, group, dims), seen in h.listed.items():
        listed = {tuple(v for d, v in c if d in dims) for c in seen}
        values = [sorted(model.dims[measure][d]) for d in dims]
        for combo in product(*values):
            if combo not in listed:
                category = tuple(zip(dims, combo, strict=True))
                row = model.row(Key(measure, services, period, group, category))
                if row:
                    eq.append(row)
                    eq_b.append(0)
    for share in h.shares:
        if share.value is HIDDEN:
            continue
        low, high = share.value - share.precision, share.value + share.precision
        for sign, ratio in ((1, high), (-1, low)):
            row = defaultdict(float)
            for atom, v in model.row(share.numerator).items():
                row[atom] += sign * v
            for atom, v in model.row(share.base).items():
                row[atom] -= sign * ratio * v
            ub.append(dict(row))
            ub_b.append(0.0)
    return (eq, eq_b), (ub, ub_b), hidden


def _matrix(rows: list[dict[int, float]], width: int):
    if not rows:
        return None
    data, cols, ptr = [], [], [0]
    for row in rows:
        cols += list(row)
        data += list(row.values())
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), width))


def _targets(h: Harvest) -> list[tuple[Key, str, bool]]:
    """Every hidden count once: cells, counts behind hidden shares, withheld sections."""
    targets: dict[Key, tuple[Key, str, bool]] = {}
    for cell in h.cells:
        if cell.value is HIDDEN:
            targets.setdefault(cell.key, (cell.key, cell.source, False))
    for share in h.shares:
        if share.value is HIDDEN:
            targets.setdefault(share.numerator, (share.numerator, share.source, True))
    for key, source in h.withheld:
        targets.setdefault(key, (key, source, True))
    return list(targets.values())


def _not_small(model, eq, ub, hidden: dict[Key, dict], top: int) -> list[Key]:
    """The hidden counts that cannot all be below N together with the published figures:
    one LP with a slack per hidden count, minimising the total slack. A careful reader
    drops "fewer than N" for these (secondary suppression hides large counts in the same
    words) and keeps it for the rest."""
    keys = list(hidden)
    n, k = model.size, len(keys)
    rows = ub[0] + [{**row, n + i: -1.0} for i, row in enumerate(hidden[key] for key in keys)]
    bounds = ub[1] + [top] * k
    c = np.concatenate([np.zeros(n), np.ones(k)])
    result = linprog(
        c,
        A_eq=_matrix(eq[0], n + k),
        b_eq=np.array(eq[1], float) if eq[0] else None,
        A_ub=_matrix(rows, n + k),
        b_ub=np.array(bounds, float),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        raise AssertionError(f"the published figures contradict the auditor's model: {result}")
    over = [key for i, key in enumerate(keys) if result.x[n + i] > 1e-7]
    # Which of the hidden cells in a contradicted total is the large one is not known: drop
    # the reading for every hidden cell of each total that holds one of them.
    totals = [set(row) for row in eq[0]]
    dropped = set(over)
    for key in over:
        atoms = set(hidden[key])
        for total in (t for t in totals if atoms <= t):
            dropped |= {k for k in keys if set(hidden[k]) <= total}
    return [key for key in keys if key in dropped]


def by_measure(harvest: Harvest) -> dict[str, Harvest]:
    """The harvest split by measure: no constraint links two measures, so each is its own,
    much smaller, set of linear programs."""
    parts: dict[str, Harvest] = defaultdict(
        lambda: Harvest(harvest.threshold, services=harvest.services)
    )
    for cell in harvest.cells:
        parts[cell.key.measure].cells.append(cell)
    for share in harvest.shares:
        parts[share.base.measure].shares.append(share)
    for slot, seen in harvest.listed.items():
        parts[slot[0]].listed[slot] = seen
    for key, source in harvest.withheld:
        parts[key.measure].withheld.append((key, source))
    return dict(parts)


def audit(harvest: Harvest, truth=None, *, literal: bool = True) -> Audit:
    """The range each hidden count can take, given everything in `harvest`; `truth(key)`
    (optional) gives the true value for the report. Hidden counts are read as 0..N-1
    (`literal`) except those the published figures prove are N or more; `literal=False`
    reads every hidden count as only >= 0."""
    total = Audit([], 0, [], 0, 0)
    for part in by_measure(harvest).values():
        one = _audit_measure(part, truth, literal)
        total.findings += one.findings
        total.bounded += one.bounded
        total.not_small += one.not_small
        total.atoms += one.atoms
        total.constraints += one.constraints
    return total


def _audit_measure(harvest: Harvest, truth, literal: bool) -> Audit:
    model = Model(harvest)
    eq, ub, hidden = _constraints(model)
    top = harvest.threshold - 1
    not_small = _not_small(model, eq, ub, hidden, top) if literal and hidden else list(hidden)
    bounded = [row for key, row in hidden.items() if key not in set(not_small)]
    common = {
        "A_eq": _matrix(eq[0], model.size),
        "b_eq": np.array(eq[1], float) if eq[0] else None,
        "A_ub": _matrix(ub[0] + bounded, model.size),
        "b_ub": np.array(ub[1] + [top] * len(bounded), float) if ub[0] or bounded else None,
        "bounds": (0, None),
        "method": "highs",
    }
    findings, seen = [], {}
    for key, source, derived in _targets(harvest):
        atoms = tuple(sorted(model.atoms(key)))
        if atoms not in seen:
            c = np.zeros(model.size)
            c[list(atoms)] = 1
            low = linprog(c, **common)
            high = linprog(-c, **common)
            top_value = math.inf if high.status == 3 else -high.fun
            seen[atoms] = (low.fun, top_value)
        low, high = seen[atoms]
        true = truth(key) if truth else None
        findings.append(Finding(key, source, low, high, harvest.threshold, derived, true))
    rows = len(eq[0]) + len(ub[0]) + len(bounded)
    return Audit(findings, len(bounded), not_small, model.size, rows)


def unsafe(result: Audit) -> list[Finding]:
    """The hidden counts that can be narrowed to fewer than N whole values."""
    return [f for f in result.findings if not f.safe]


def report(result: Audit, limit: int = 25) -> str:
    """The unsafe findings, narrowest first, with where each cell was published."""
    bad = sorted(unsafe(result), key=lambda f: (f.values, f.true is None or f.true >= 10))
    lines = [
        f"{len(bad)} of {len(result.findings)} hidden counts can be narrowed to fewer than "
        f"{result.findings[0].threshold if result.findings else 'N'} values ({result.atoms} "
        f"atoms, {result.constraints} constraints; {result.bounded} hidden counts read as "
        f"'fewer than N', {len(result.not_small)} proved to be N or more):"
    ]
    lines += [f"  {f}" for f in bad[:limit]]
    if len(bad) > limit:
        lines.append(f"  ... and {len(bad) - limit} more")
    return "\n".join(lines)


__all__ = [
    "Audit",
    "Cell",
    "Finding",
    "HIDDEN",
    "Harvest",
    "Key",
    "Share",
    "audit",
    "csv_tables",
    "harvest_family",
    "parse_period",
    "report",
    "unsafe",
    "xlsx_tables",
]
