"""The small recurring texts of the report: dates, counts, percentages, and the
marks that keep a figure or a week on one line."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

NBSP = "\u00a0"


def local_date(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment else None


def percent(value: float | None, *, sign: bool = True) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%" if sign else f"{value * 100:.0f}%"


def short_date(day: date | None) -> str:
    """ "7 Sep 2026", never broken across lines."""
    return f"{day.day}{NBSP}{day:%b}{NBSP}{day:%Y}" if day else ""


def day_span(first: date, last: date, *, year: bool = False) -> str:
    """ "7 Sep – 13 Sep", each date on one line."""
    end = f"{last.day}{NBSP}{last:%b}" + (f"{NBSP}{last:%Y}" if year else "")
    return f"{first.day}{NBSP}{first:%b} – {end}"


def count(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def unbroken(text: str) -> str:
    """A figure with its unit ("14,200 USD", "4.0 per 100 tickets") on one line."""
    return text.replace(" ", NBSP)


def plural(number: int, one: str, many: str | None = None) -> str:
    """ "1 experiment", "3 experiments"."""
    return f"{number} {one if number == 1 else many or one + 's'}"
