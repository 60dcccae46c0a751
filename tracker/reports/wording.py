"""The small recurring texts of the report: figures, and the marks that keep a
figure on one line or a typed text in its own direction. Words and dates are
the language's (language.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

NBSP = "\u00a0"
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate(text: str) -> str:
    """``text`` laid out in the direction of its first strong letter, inside a
    sentence of either direction."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def local_date(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment else None


def percent(value: float | None) -> str:
    """A signed lift: "+12.3%", "−4.0%" (a true minus sign, as the pages write it)."""
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%".replace("-", "−")


def count(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# A figure with its unit up to this long is never broken across lines.
SHORT_FIGURE = 24


def unbroken(text: str) -> str:
    """A figure with its unit ("14,200 USD", "4.0 per 100 tickets") on one line. A
    longer unit may wrap after its first word ("39.0 per" / "1,000 qualified
    opportunities"), so that it never runs into the next column.

    >>> unbroken("14,200 USD") == "14,200\u00a0USD"
    True
    >>> unbroken("39.0 per 1,000 qualified opportunities").split(" ")
    ['39.0\xa0per', '1,000', 'qualified', 'opportunities']
    """
    if len(text) <= SHORT_FIGURE:
        return text.replace(" ", NBSP)
    figure, _, unit = text.partition(" ")
    first, _, rest = unit.partition(" ")
    return f"{figure}{NBSP}{first} {rest}".strip()
