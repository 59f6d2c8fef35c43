"""Rows written fast: participant codes made from ids, and a chunked table writer (COPY on
PostgreSQL, one executemany per chunk elsewhere)."""

from __future__ import annotations

import json

import numpy as np
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    MetaData,
    Table,
    Text,
    insert,
)

from app.extensions import db
from app.models.codes import CODE_ALPHABET, CODE_LENGTH


def participant_codes(ids: list[int], seed: int) -> list[str]:
    """Distinct codes: an invertible affine map of the id modulo 29**8, written in the code
    alphabet. 29 is prime, so any multiplier it does not divide gives distinct codes."""
    base = len(CODE_ALPHABET)
    modulus = base**CODE_LENGTH
    rng = np.random.default_rng([seed, 29])
    multiplier = int(rng.integers(modulus // 3, modulus)) | 1
    if multiplier % base == 0:
        multiplier += 2
    offset = int(rng.integers(0, modulus))
    numbers = [(i * multiplier + offset) % modulus for i in ids]
    alphabet = CODE_ALPHABET
    codes = []
    for number in numbers:
        digits = []
        for _ in range(CODE_LENGTH):
            number, digit = divmod(number, base)
            digits.append(alphabet[digit])
        codes.append("".join(digits))
    return codes


class Writer:
    """Appends rows (tuples in `columns` order) to a table in chunks: COPY on PostgreSQL, and
    a Core `insert()` run as one executemany per chunk elsewhere. JSON columns are given as
    ready-made JSON text. Columns left out get their Python default, so a column added to
    the model later does not break the generator."""

    def __init__(self, table: Table, columns: list[str], *, copy: bool = True):
        self.table = table
        self.dialect = db.session.get_bind().dialect
        missing = [
            c
            for c in table.columns
            if c.name not in columns
            and c.name != "id"
            and c.default is not None
            and (c.default.is_scalar or c.default.is_callable)
        ]
        self.extra_defaults = [c.default for c in missing]
        self.columns = columns + [c.name for c in missing]
        self.copy = copy and self.dialect.name == "postgresql"
        # JSON columns as plain text: the rows already hold JSON.
        self.target = Table(
            table.name,
            MetaData(),
            *[
                Column(c.name, Text() if isinstance(c.type, JSON) else c.type)
                for c in table.columns
                if c.name in self.columns
            ],
        )
        self.sqlite = self.dialect.name == "sqlite"
        if self.sqlite:
            # One compiled statement, the DB-API's executemany, and dates written the way
            # SQLAlchemy writes them on SQLite (its per-value processors are most of the cost).
            compiled = insert(self.target).compile(dialect=self.dialect, column_keys=self.columns)
            self.sql = compiled.string
            self.order = [self.columns.index(name) for name in compiled.positiontup]
            self.dates = [
                (i, isinstance(self.target.c[name].type, DateTime))
                for i, name in enumerate(self.columns)
                if isinstance(self.target.c[name].type, DateTime | Date)
            ]

    def write(self, rows: list[tuple]) -> None:
        if self.extra_defaults:
            values = tuple(d.arg(None) if d.is_callable else d.arg for d in self.extra_defaults)
            rows = [row + values for row in rows]
        connection = db.session.connection()
        if self.copy:
            raw = connection.connection.driver_connection
            names = ", ".join(f'"{c}"' for c in self.columns)
            sql = f'COPY "{self.table.name}" ({names}) FROM STDIN'
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        elif self.sqlite:
            connection.exec_driver_sql(self.sql, [self._sqlite_row(row) for row in rows])
        else:
            # Any other database: SQLAlchemy's own JSON handling, through the real table.
            json_columns = {c.name for c in self.table.columns if isinstance(c.type, JSON)}
            connection.execute(
                insert(self.table),
                [
                    {
                        name: json.loads(value) if name in json_columns else value
                        for name, value in zip(self.columns, row, strict=True)
                    }
                    for row in rows
                ],
            )

    def _sqlite_row(self, row: tuple) -> tuple:
        values = list(row)
        for i, with_time in self.dates:
            value = values[i]
            if value is not None:
                values[i] = value.isoformat(" ", "microseconds") if with_time else value.isoformat()
        return tuple(values[i] for i in self.order)
