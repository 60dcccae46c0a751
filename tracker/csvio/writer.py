"""Writing CSV that spreadsheets open safely: UTF-8 with a byte-order mark (so
Arabic text shows correctly), and text cells that would start a formula
neutralised with a leading quote. Numbers are written as numbers."""

from __future__ import annotations

import csv
import enum
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

BOM = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula (tab and
# carriage return can hide one after them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLUSH_EVERY = 500


def neutralise(text: str) -> str:
    """``text`` with a quote before it if a spreadsheet would run it as a formula.

    >>> neutralise("=SUM(A1:A9)")
    "'=SUM(A1:A9)"
    >>> neutralise("-5 leads")
    "'-5 leads"
    >>> neutralise("plain")
    'plain'
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str | int | float:
    """One value as a CSV cell: numbers stay numbers (a negative number is not a
    formula), text is neutralised, dates are ISO 8601, nothing is empty.

    >>> cell(-0.25), cell(True), cell(None), cell(date(2026, 1, 5))
    (-0.25, 'true', '', '2026-01-05')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    if isinstance(value, enum.Enum):
        return cell(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file as text chunks of a few hundred rows, the byte-order mark first,
    so a long export never sits whole in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        writer.writerow([cell(value) for value in row])
        if number % FLUSH_EVERY == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole file as one string (for tests and small files)."""
    return "".join(csv_chunks(header, rows))
