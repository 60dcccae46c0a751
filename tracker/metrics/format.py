"""How a metric's readings read on a page: one value per reading, shown in
the metric's own terms (a percentage, an amount with its unit, or events per
unit of exposure), and the change between two readings.

Keyword-only, no database: the catalogue, the metric page, the weekly review
and the experiment design all call these.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from tracker.i18n import format_period, localize_figures
from tracker.i18n import gettext as _
from tracker.models import Direction, MetricKind, SufficientStatistics

# "per 100 tickets", "per 1,000 visits", "per 1000 calls": the scale is the number.
_PER_SCALE = re.compile(r"^\s*per\s+([\d][\d,_ ]*)", re.IGNORECASE)


def rate_scale(*, unit: str) -> float:
    """How many units of exposure a rate is shown per.

    A rate's reading stores events and exposure (escalations and tickets). When
    the unit starts with "per <number>" the rate is shown per that many units of
    exposure, so "Escalations per 100 tickets" with 36 escalations in 900 tickets
    reads 4.0 "per 100 tickets". Any other unit shows events per one unit.

    >>> rate_scale(unit="per 100 tickets")
    100.0
    >>> rate_scale(unit="per 1,000 visits")
    1000.0
    >>> rate_scale(unit="calls/hour")
    1.0
    """
    match = _PER_SCALE.match(unit or "")
    if not match:
        return 1.0
    digits = re.sub(r"[,_ ]", "", match.group(1))
    scale = float(digits) if digits else 1.0
    return scale if scale > 0 else 1.0


def reading_value(
    *, kind: MetricKind | str, unit: str, stats: SufficientStatistics
) -> float | None:
    """The one number a reading stands for, or None when its figures cannot give one.

    A proportion is successes / trials (a fraction, 0.243 for 24.3%), a mean is
    the mean, a rate is events / exposure times the unit's scale (see
    ``rate_scale``).

    >>> reading_value(kind="rate", unit="per 100 tickets",
    ...               stats=SufficientStatistics(events=36, exposure=900))
    4.0
    """
    kind = MetricKind(kind)
    if kind is MetricKind.proportion:
        if not stats.trials or stats.successes is None:
            return None
        return stats.successes / stats.trials
    if kind is MetricKind.mean:
        return None if stats.mean is None else float(stats.mean)
    if not stats.exposure or stats.events is None:
        return None
    return stats.events / stats.exposure * rate_scale(unit=unit)


def sample_size(*, kind: MetricKind | str, stats: SufficientStatistics) -> float | None:
    """The reading's sample size: trials, n, or the exposure of a rate."""
    kind = MetricKind(kind)
    if kind is MetricKind.proportion:
        return stats.trials
    if kind is MetricKind.mean:
        return stats.n
    return stats.exposure


def _number(value: float, decimals: int) -> str:
    return localize_figures(f"{value:,.{decimals}f}")


def _mean_decimals(value: float) -> int:
    size = abs(value)
    if size >= 1000:
        return 0
    if size >= 1:
        return 1
    return 2


def value_parts(*, kind: MetricKind | str, unit: str, value: float | None) -> tuple[str, str]:
    """A value split into its number and its unit, for pages that set the unit
    smaller: ("24.3", "%"), ("14,210", "USD"), ("4.0", "per 100 tickets").

    >>> value_parts(kind="rate", unit="per 100 tickets", value=4.04)
    ('4.0', 'per 100 tickets')
    """
    if value is None or not math.isfinite(value):
        return ("—", "")
    kind = MetricKind(kind)
    if kind is MetricKind.proportion:
        return (_number(value * 100, 1), "%")
    return (_number(value, _mean_decimals(value)), (unit or "").strip())


def join_parts(number: str, unit: str) -> str:
    """ "24.3%" for a percent sign, "14,210 USD" for any other unit."""
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def format_value(*, kind: MetricKind | str, unit: str, value: float | None) -> str:
    """A value as a person reads it: "24.3%", "14,210 USD", "4.0 per 100 tickets".

    >>> format_value(kind="proportion", unit="%", value=0.2431)
    '24.3%'
    >>> format_value(kind="mean", unit="USD", value=14210.4)
    '14,210 USD'
    >>> format_value(kind="mean", unit="%", value=104.25)
    '104.2%'
    >>> format_value(kind="rate", unit="per 100 tickets", value=4.0)
    '4.0 per 100 tickets'
    >>> format_value(kind="mean", unit="", value=None)
    '—'
    """
    return join_parts(*value_parts(kind=kind, unit=unit, value=value))


@dataclass(frozen=True)
class Change:
    """How a metric moved from one reading to the next.

    Attributes:
        difference: latest minus previous, in the value's own scale.
        text: the difference as shown, "+1.2 pp", "−340 USD", "+0.30 per 100 tickets".
        number, unit: ``text`` in two parts ("+1.2", "pp"), for a smaller unit.
        better: True when the move is in the metric's desired direction, False
            when against it, None when there was no move.
    """

    difference: float
    text: str
    better: bool | None
    number: str = ""
    unit: str = ""

    @property
    def arrow(self) -> str:
        if self.difference > 0:
            return "▲"
        if self.difference < 0:
            return "▼"
        return "■"

    @property
    def tone(self) -> str:
        """ "good", "bad" or "flat", for the page's colours."""
        if self.better is None:
            return "flat"
        return "good" if self.better else "bad"


def change_between(
    *,
    kind: MetricKind | str,
    unit: str,
    direction: Direction | str,
    latest: float | None,
    previous: float | None,
) -> Change | None:
    """The change from ``previous`` to ``latest``, or None when either is missing.

    Proportions change in percentage points (pp); means and rates in their unit.

    >>> change = change_between(kind="proportion", unit="%", direction="higher",
    ...                         latest=0.243, previous=0.231)
    >>> change.text, change.better
    ('+1.2 pp', True)
    >>> change_between(kind="mean", unit="days", direction="lower",
    ...                latest=44.0, previous=41.5).tone
    'bad'
    """
    if latest is None or previous is None:
        return None
    difference = latest - previous
    kind = MetricKind(kind)
    if kind is MetricKind.proportion:
        shown = round(abs(difference) * 100, 1)
        number, suffix = _number(abs(difference) * 100, 1), str(_("pp"))
    else:
        shown = round(abs(difference), _mean_decimals(abs(difference)))
        number, suffix = value_parts(kind=kind, unit=unit, value=abs(difference))
    if shown == 0:
        still = str(_("no change"))
        return Change(difference=0.0, text=still, better=None, number=still)
    sign = "+" if difference > 0 else "−"
    higher_is_better = Direction(direction) is Direction.higher
    better = (difference > 0) == higher_is_better
    text = f"{sign}{number} {suffix}" if suffix and suffix != "%" else f"{sign}{number}{suffix}"
    return Change(
        difference=difference, text=text, better=better, number=sign + number, unit=suffix
    )


def direction_label(direction: Direction | str) -> str:
    """'↑ higher is better' or '↓ lower is better'."""
    if Direction(direction) is Direction.higher:
        return str(_("↑ higher is better"))
    return str(_("↓ lower is better"))


def period_label(*, start: date, end: date) -> str:
    """A reading's period, short: "3–9 Mar 2025", "24 Feb – 2 Mar 2025".

    >>> period_label(start=date(2025, 3, 3), end=date(2025, 3, 9))
    '3–9 Mar 2025'
    >>> period_label(start=date(2025, 2, 24), end=date(2025, 3, 2))
    '24 Feb – 2 Mar 2025'
    >>> period_label(start=date(2024, 12, 30), end=date(2025, 1, 5))
    '30 Dec 2024 – 5 Jan 2025'
    """
    return format_period(start, end)


def whole_percent(share: float | None) -> str:
    """A share as a whole percentage, rounded to nearest: every page, tile,
    API sentence and PDF rounds through here, so 3 of 7 reads 43% everywhere.

    >>> whole_percent(3 / 7), whole_percent(0.125), whole_percent(None)
    ('43%', '13%', '—')
    """
    if share is None or not math.isfinite(share):
        return "—"
    return localize_figures(f"{math.floor(share * 100 + 0.5):d}%")


def _plain(value: float) -> str:
    """A number without scientific notation, to a sensible precision:
    "14,471", "189", "3.42", "0.0357".

    >>> [_plain(v) for v in (14471.28, -2270.4, 189.2, 3.4219, 0.035714, 0.0)]
    ['14,471', '-2,270', '189', '3.42', '0.0357', '0']
    """
    size = abs(value)
    if size >= 100:
        text = f"{value:,.0f}"
    elif size >= 1:
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if size < 10 else f"{value:,.1f}"
    elif size == 0:
        text = "0"
    else:
        decimals = min(8, 2 - math.floor(math.log10(size)))
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return localize_figures(text)


def estimate_parts(*, kind: MetricKind | str, unit: str, value: float | None) -> tuple[str, str]:
    """An experiment's estimate (a proportion as a fraction, a mean, or a rate
    per one unit of exposure) as its number and unit, in the metric's terms.

    >>> estimate_parts(kind="rate", unit="per 100 tickets", value=0.035714)
    ('3.57', 'per 100 tickets')
    >>> estimate_parts(kind="mean", unit="USD", value=14471.28)
    ('14,471', 'USD')
    >>> estimate_parts(kind="proportion", unit="%", value=0.0341)
    ('3.4', '%')
    """
    if value is None or not math.isfinite(value):
        return ("—", "")
    kind = MetricKind(kind)
    if kind is MetricKind.proportion:
        return (_number(value * 100, 1), "%")
    if kind is MetricKind.rate:
        value *= rate_scale(unit=unit)
    return (_plain(value), (unit or "").strip())


def format_estimate(*, kind: MetricKind | str, unit: str, value: float | None) -> str:
    """``estimate_parts`` joined: "3.57 per 100 tickets", "14,471 USD", "3.4%"."""
    return join_parts(*estimate_parts(kind=kind, unit=unit, value=value))


def format_difference(
    *,
    kind: MetricKind | str,
    unit: str,
    value: float | None,
    relative: bool = False,
    low: bool = True,
    with_unit: bool = True,
) -> str:
    """A signed difference or one end of its interval, in the metric's terms:
    "+30.3%" for a relative lift, "+0.8 pp" for a proportion, "−2,270 USD" for a
    mean, "+0.52 per 100 tickets" for a rate; an unbounded end is "−∞" or "+∞".

    >>> format_difference(kind="mean", unit="USD", value=-2270.4)
    '−2,270 USD'
    >>> format_difference(kind="proportion", unit="%", value=0.0081)
    '+0.8 pp'
    >>> format_difference(kind="rate", unit="per 100 tickets", value=-0.0052)
    '−0.52 per 100 tickets'
    >>> format_difference(kind="mean", unit="USD", value=0.303, relative=True)
    '+30.3%'
    >>> format_difference(kind="mean", unit="USD", value=None, low=False)
    '+∞'
    >>> format_difference(kind="mean", unit="USD", value=-3050.2, with_unit=False)
    '−3,050'
    """
    if value is None or not math.isfinite(value):
        return "−∞" if low else "+∞"
    sign = "+" if value >= 0 else "−"
    kind = MetricKind(kind)
    if relative:
        return sign + localize_figures(f"{abs(value) * 100:,.1f}%")
    if kind is MetricKind.proportion:
        return f"{sign}{_number(abs(value) * 100, 1)} {_('pp')}"
    number, suffix = estimate_parts(kind=kind, unit=unit, value=abs(value))
    if not with_unit:
        return f"{sign}{number}"
    return f"{sign}{number}{suffix}" if suffix == "%" else f"{sign}{number} {suffix}".rstrip()
