"""Numbers typed by people and sent by programs, read one way everywhere.

Only ASCII digits count: ``str.isdigit()`` also accepts '²' (which ``int()``
refuses) and ``int()`` accepts Arabic-Indic digits, so neither is a check. A
number must be finite: ``float()`` reads "nan" and "inf", which no page can
show and no statistic can use. An id is a whole number from 1 to the largest
value an INTEGER column holds on PostgreSQL (the id columns' type); anything
else names no record, so it is "not found", never a database error.

>>> parse_int("42"), parse_int("²"), parse_int("١٢"), parse_int("-3")
(42, None, None, -3)
>>> parse_number("1,5"), parse_number("2.5e3"), parse_number("nan"), parse_number("1e999")
(None, 2500.0, None, None)
>>> parse_id(str(2**31)), parse_id("0"), parse_id("7")
(None, None, 7)
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_ID = 2**31 - 1  # INTEGER on PostgreSQL, the type of every id and version column
WHOLE = re.compile(r"[+-]?[0-9]+")
DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
# Python's int() refuses more digits than this anyway; far beyond any count
MAX_DIGITS = 4000


def parse_int(text: Any) -> int | None:
    """A whole number written in ASCII digits (an optional sign), else None."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, int):
        return text
    value = str(text).strip()
    if len(value) > MAX_DIGITS or not WHOLE.fullmatch(value):
        return None
    return int(value)


def parse_number(text: Any) -> float | None:
    """A finite decimal number written in ASCII (``2``, ``-0.5``, ``1e3``), else None."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, int | float):
        return float(text) if math.isfinite(text) else None
    value = str(text).strip()
    if len(value) > MAX_DIGITS or not DECIMAL.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def parse_id(text: Any) -> int | None:
    """An id a record could have (1 to MAX_ID), else None."""
    value = parse_int(text)
    return value if value is not None and 1 <= value <= MAX_ID else None


def is_id(value: Any) -> bool:
    """Whether ``value`` (already an int, say from a URL) is in the id range."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def arg_id(name: str) -> int | None:
    """The query argument ``name`` as an id; None when missing or not an id."""
    from flask import request

    return parse_id(request.args.get(name))


def arg_page(name: str = "page") -> int:
    """The query argument ``page``: 1 when missing or not a page number."""
    from flask import request

    return parse_id(request.args.get(name)) or 1
