"""The primary metric's lift across result sets: how each variant's lift over control
and its interval moved as data came in. Drawn from the stored analyses and cached
in-process by (experiment, latest result set), so a new result set redraws it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from tracker.charts.base import (
    ACCENT,
    BRAND,
    MUTED,
    PHONE_WIDTH,
    WARN,
    chart_language,
    figure,
    short_date,
    to_svg,
)
from tracker.translation import _, ngettext

if TYPE_CHECKING:  # matplotlib loads only when a chart is drawn
    from matplotlib.ticker import Locator

PALETTE = (BRAND, ACCENT, WARN, "#7b4fa0", "#b3261e")
CACHE_SIZE = 256
# keyed by (experiment, latest result set, language): the labels are in words
_cache: OrderedDict[tuple[int, int, str], str] = OrderedDict()


@dataclass(frozen=True)
class LiftPoint:
    """One variant's lift (a fraction) and interval at one result set."""

    variant: str
    recorded_at: datetime
    lift: float
    low: float | None
    high: float | None


def cached(experiment_id: int, latest_result_set_id: int) -> str | None:
    key = (experiment_id, latest_result_set_id, chart_language())
    svg = _cache.get(key)
    if svg is not None:
        _cache.move_to_end(key)
    return svg


def remember(experiment_id: int, latest_result_set_id: int, svg: str) -> str:
    _cache[(experiment_id, latest_result_set_id, chart_language())] = svg
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return svg


def describe(metric: str, points: Sequence[LiftPoint]) -> str:
    by_variant: dict[str, list[LiftPoint]] = {}
    for point in points:
        by_variant.setdefault(point.variant, []).append(point)
    parts = [
        ngettext(
            "%(variant)s: from %(first)s to %(last)s over %(num)d result set",
            "%(variant)s: from %(first)s to %(last)s over %(num)d result sets",
            len(series),
            variant=name,
            first=f"{100 * series[0].lift:+.1f}%",
            last=f"{100 * series[-1].lift:+.1f}%",
        )
        for name, series in by_variant.items()
    ]
    return _(
        "Lift of %(metric)s over control at each result set. %(parts)s.",
        metric=metric,
        parts="; ".join(parts),
    )


def _date_ticks(points: Sequence[LiftPoint], *, most: int) -> Locator:
    """Ticks that each name a different day. Over two days or more, matplotlib's
    pick of at most ``most`` ticks, with ``minticks=2`` so that some step always
    fits (with its default of 5, spans such as two or three days have none: it warns
    and draws one tick). Result sets entered within two days would get hourly ticks
    all labelled with the same day, so those get the midnights between them, or the
    first result set's day when there is none."""
    from matplotlib.dates import AutoDateLocator, date2num
    from matplotlib.ticker import FixedLocator

    moments = sorted(point.recorded_at for point in points)
    if moments and moments[-1] - moments[0] < timedelta(days=2):
        days = sorted({moment.date() for moment in moments})
        ticks = [datetime.combine(day, time()) for day in days[1:]] or moments[:1]
        # matplotlib.dates declares no types
        return FixedLocator([date2num(tick) for tick in ticks])  # type: ignore[no-untyped-call]
    # steps counted from the first day, not from each month's first: month-aligned
    # steps put "29 Sep" and "1 Oct" side by side, their labels running together
    return AutoDateLocator(minticks=2, maxticks=most, interval_multiples=False)  # type: ignore[no-untyped-call]


def snapshots_chart(metric: str, points: Sequence[LiftPoint], *, phone: bool = False) -> str:
    """Each variant's lift as a line with its interval as a band; narrower on a
    ``phone``, with fewer dates, so its words keep their size."""
    from matplotlib.dates import num2date
    from matplotlib.ticker import FuncFormatter

    by_variant: dict[str, list[LiftPoint]] = {}
    for point in sorted(points, key=lambda p: p.recorded_at):
        by_variant.setdefault(point.variant, []).append(point)
    finite = [
        abs(value)
        for point in points
        for value in (point.lift, point.low, point.high)
        if value is not None
    ]
    limit = min(max([*finite, 0.05]) * 1.15, 5.0)
    with figure(*((PHONE_WIDTH, 2.5) if phone else (7.2, 2.8))) as fig:
        ax = fig.add_subplot(1, 1, 1)
        for index, (name, series) in enumerate(by_variant.items()):
            colour = PALETTE[index % len(PALETTE)]
            dates = [point.recorded_at for point in series]
            lows = [-limit if p.low is None else max(p.low, -limit) for p in series]
            highs = [limit if p.high is None else min(p.high, limit) for p in series]
            ax.fill_between(dates, lows, highs, color=colour, alpha=0.12, linewidth=0)
            ax.plot(
                dates,
                [point.lift for point in series],
                color=colour,
                marker="o",
                markersize=5,
                linewidth=2,
                label=name,
            )
        ax.axhline(0.0, color=MUTED, linewidth=1)
        ax.set_ylim(-limit, limit)
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: f"{100 * value:+.0f}%" if value else "0%")
        )
        ax.xaxis.set_major_locator(_date_ticks(points, most=4 if phone else 8))
        moments = [point.recorded_at for point in points]
        years = bool(moments) and min(moments).year != max(moments).year
        ax.xaxis.set_major_formatter(
            FuncFormatter(
                lambda value, _pos: short_date(num2date(value).date(), with_year=years)  # type: ignore[no-untyped-call]
            )
        )
        # matplotlib places the label by its own font's measure; the browser draws
        # Arabic with a deeper one, which ran into the tick labels at the default 4 pt
        ax.set_ylabel(_("Lift over control"), labelpad=8)
        if len(by_variant) > 1 or by_variant:
            if phone:  # above the plot: the narrow plot has no corner to spare
                ax.legend(
                    frameon=False,
                    loc="lower left",
                    bbox_to_anchor=(0, 1.0),
                    ncols=min(len(by_variant), 3),
                    borderaxespad=0.2,
                )
            else:
                ax.legend(frameon=False, loc="upper left", ncols=min(len(by_variant), 4))
        return to_svg(fig, describe(metric, points), phone=phone)
