"""A metric's weekly trend: its value per reading period with a 95% interval
band, drawn once and kept in memory until a reading changes.

Intervals by kind: a proportion's is Wilson's score interval, a mean's is
mean ± 1.96·sd/√n, a rate's is the exact (Garwood) Poisson interval on the
events, scaled like the value.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from threading import Lock

from experiments.calibration import wilson_interval
from tracker.charts.base import (
    BAD,
    BRAND,
    GOOD,
    MUTED,
    PHONE_WIDTH,
    chart_language,
    figure,
    for_each_screen,
    short_date,
    to_svg,
)
from tracker.metrics.format import format_value, rate_scale, reading_value, value_parts
from tracker.models import Direction, Metric, MetricKind, Reading
from tracker.translation import _, ngettext

Z95 = 1.959963984540054
CACHE_SIZE = 256

_cache: OrderedDict[tuple[object, ...], str] = OrderedDict()
_lock = Lock()
draw_count = 0  # how many charts were drawn: tests check a repeat view draws none


@dataclass(frozen=True)
class TrendPoint:
    """One reading on the chart: its period, value and 95% interval."""

    period_start: date
    period_end: date
    value: float
    low: float | None
    high: float | None


def poisson_interval(events: int) -> tuple[float, float]:
    """The exact (Garwood) 95% interval for a Poisson count."""
    from scipy.stats import chi2

    low = 0.0 if events == 0 else float(chi2.ppf(0.025, 2 * events)) / 2
    high = float(chi2.ppf(0.975, 2 * events + 2)) / 2
    return (low, high)


def trend_points(metric: Metric, readings: Sequence[Reading]) -> list[TrendPoint]:
    """The chart's points, oldest first; readings without a value are left out."""
    points = []
    for reading in readings:
        value = reading_value(kind=metric.kind, unit=metric.unit, stats=reading)
        if value is None:
            continue
        low = high = None
        kind = MetricKind(metric.kind)
        if kind is MetricKind.proportion and reading.trials:
            low, high = wilson_interval(reading.successes or 0, reading.trials)
        elif kind is MetricKind.mean and reading.n and reading.n >= 2 and reading.sd is not None:
            half = Z95 * reading.sd / math.sqrt(reading.n)
            low, high = value - half, value + half
        elif kind is MetricKind.rate and reading.exposure:
            scale = rate_scale(unit=metric.unit) / reading.exposure
            events_low, events_high = poisson_interval(reading.events or 0)
            low, high = events_low * scale, events_high * scale
        points.append(TrendPoint(reading.period_start, reading.period_end, value, low, high))
    return points


def alt_text(metric: Metric, points: Sequence[TrendPoint]) -> str:
    """The chart in words, e.g. "Win rate over 12 weeks, from 21.0% to 24.3%"."""
    if not points:
        return _("%(metric)s: no readings yet.", metric=metric.name)
    first, last = points[0], points[-1]

    def show(value: float | None) -> str:
        return format_value(kind=metric.kind, unit=metric.unit, value=value)

    better = (
        _("higher is better")
        if Direction(metric.direction) is Direction.higher
        else _("lower is better")
    )
    if len(points) == 1:
        return _(
            "%(metric)s: one reading, %(value)s (%(better)s).",
            metric=metric.name,
            value=show(last.value),
            better=better,
        )
    return ngettext(
        "%(metric)s over %(num)d week, from %(first)s to %(last)s (%(better)s); "
        "shaded band: 95%% interval of each reading.",
        "%(metric)s over %(num)d weeks, from %(first)s to %(last)s (%(better)s); "
        "shaded band: 95%% interval of each reading.",
        len(points),
        metric=metric.name,
        first=show(first.value),
        last=show(last.value),
        better=better,
    )


def cache_key(metric: Metric, readings: Sequence[Reading]) -> tuple[object, ...]:
    """What the chart depends on: the metric's definition and which readings it shows."""
    latest = readings[-1] if readings else None
    return (
        metric.id,
        metric.name,
        str(metric.kind),
        metric.unit,
        str(metric.direction),
        len(readings),
        latest.id if latest else None,
        latest.created_at.isoformat() if latest and latest.created_at else None,
        tuple(reading.id for reading in readings),
        chart_language(),
    )


def trend_chart(metric: Metric, readings: Sequence[Reading]) -> str:
    """The trend as an SVG string, from the cache when nothing changed.

    ``readings`` are the readings to show, oldest first.
    """
    global draw_count
    key = cache_key(metric, readings)
    with _lock:
        svg = _cache.get(key)
        if svg is not None:
            _cache.move_to_end(key)
            return svg
    svg = for_each_screen(draw_trend(metric, readings), draw_trend(metric, readings, phone=True))
    draw_count += 1
    with _lock:
        _cache[key] = svg
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def draw_trend(metric: Metric, readings: Sequence[Reading], *, phone: bool = False) -> str:
    """Draw the chart (matplotlib, Agg) and return its SVG. On a ``phone`` it is
    narrower, with fewer dates, and says what it shows under its axis."""
    points = trend_points(metric, readings)
    alt = alt_text(metric, points)
    kind = MetricKind(metric.kind)
    scale = 100.0 if kind is MetricKind.proportion else 1.0
    with figure(*((PHONE_WIDTH, 2.5) if phone else (7.2, 2.8))) as fig:
        ax = fig.add_subplot(1, 1, 1)
        if points:
            xs = list(range(len(points)))
            ys = [p.value * scale for p in points]
            if all(p.low is not None for p in points):
                ax.fill_between(
                    xs,
                    [(p.low or 0) * scale for p in points],
                    [(p.high or 0) * scale for p in points],
                    color=BRAND,
                    alpha=0.12,
                    linewidth=0,
                    label=_("%(level)s interval", level="95%"),
                )
            ax.plot(xs, ys, color=BRAND, linewidth=2, marker="o", markersize=4, zorder=3)
            last = points[-1]
            number, unit = value_parts(kind=metric.kind, unit=metric.unit, value=last.value)
            ax.annotate(
                number + ("%" if unit == "%" else ""),
                (xs[-1], ys[-1]),
                xytext=(6, 6),
                textcoords="offset points",
                color=BRAND,
                fontweight="bold",
            )
            step = max(1, math.ceil(len(points) / (3 if phone else 8)))
            ticks = xs[::step]
            ax.set_xticks(ticks)
            ax.set_xticklabels([short_date(points[i].period_start) for i in ticks])
            ax.set_xlim(-0.4, len(points) - 0.4 + (0.6 if len(points) > 1 else 0.4))
            ax.margins(y=0.15)
        else:
            ax.text(0.5, 0.5, _("No readings yet"), ha="center", va="center", color=MUTED)
            ax.set_xticks([])
            ax.set_yticks([])
        if kind is MetricKind.proportion:
            ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}%")
        else:
            ax.yaxis.set_major_formatter(
                lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"
            )
        higher = Direction(metric.direction) is Direction.higher
        ax.set_title(
            "↑ " + _("higher is better") if higher else "↓ " + _("lower is better"),
            loc="right",
            fontsize=8.5,
            color=GOOD if higher else BAD,
        )
        if phone:  # no room for two titles side by side: what it shows goes under
            ax.set_xlabel(_axis_label(metric), fontsize=8.5, color=MUTED)
        else:
            ax.set_title(_axis_label(metric), loc="left", fontsize=8.5, color=MUTED)
        ax.grid(axis="x", visible=False)
        fig.tight_layout()
        svg = to_svg(fig, alt, phone=phone)
    return svg


def _axis_label(metric: Metric) -> str:
    kind = MetricKind(metric.kind)
    if kind is MetricKind.proportion:
        return _("% per week · band: 95% Wilson interval")
    unit = metric.unit or _("value")
    if kind is MetricKind.mean:
        return _("%(unit)s per week · band: mean ± 1.96·sd/√n", unit=unit)
    return _("%(unit)s per week · band: exact Poisson 95%% interval", unit=unit)
