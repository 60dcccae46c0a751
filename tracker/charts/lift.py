"""The lift chart of an analysis: each metric and variant's lift over control with its
confidence interval, as a horizontal interval plot around a zero line. Green is the
good direction of the metric, red the bad one; a faint mark is not significant."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tracker.charts.base import (
    BAD,
    GOOD,
    INK,
    MUTED,
    NEUTRAL,
    PHONE_WIDTH,
    chart_language,
    figure,
    for_each_screen,
    to_svg,
)
from tracker.translation import _


@dataclass(frozen=True)
class LiftRow:
    """One metric and variant: the lift (a fraction, 0.1 is +10%) and its interval,
    ``None`` for an unbounded side."""

    label: str
    lift: float | None
    low: float | None
    high: float | None
    good: bool
    significant: bool


def _percent(value: float) -> str:
    return f"{100 * value:+.1f}%"


def describe(rows: Sequence[LiftRow]) -> str:
    """The chart in words, for its alternative text."""
    parts = []
    for row in rows:
        if row.lift is None:
            parts.append(_("%(label)s: no lift (control is zero)", label=row.label))
            continue
        low = "-∞" if row.low is None else _percent(row.low)
        high = "+∞" if row.high is None else _percent(row.high)
        template = (
            _("%(label)s: %(lift)s (%(low)s to %(high)s), significant")
            if row.significant
            else _("%(label)s: %(lift)s (%(low)s to %(high)s), not significant")
        )
        parts.append(
            template % {"label": row.label, "lift": _percent(row.lift), "low": low, "high": high}
        )
    return _("Lift over control with confidence intervals. %(parts)s.", parts="; ".join(parts))


def lift_chart(rows: Sequence[LiftRow], *, title: str = "", phone: bool = False) -> str:
    """The SVG of the interval plot (the first row on top). On a ``phone`` each
    row's name and lift are written above its line, so the plot takes the width."""
    if phone:
        return _phone_lift_chart(rows)
    shown = [row for row in rows if row.lift is not None]
    limit = _limit(shown)
    height = 0.9 + 0.42 * max(len(shown), 1)
    with figure(7.2, height) as fig:
        ax = fig.add_subplot(1, 1, 1)
        count = len(shown)
        for index, row in enumerate(shown):
            y = count - 1 - index
            _draw_row(ax, row, y, limit)
            ax.text(
                limit * 1.04,
                y,
                _percent(row.lift or 0.0),
                va="center",
                ha="left",
                color=INK,
                fontsize=8.5,
            )
        ax.axvline(0.0, color=MUTED, linewidth=1, zorder=1)
        ax.set_yticks(range(count))
        ax.set_yticklabels([row.label for row in reversed(shown)])
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-0.7, max(count, 1) - 0.3)
        ax.xaxis.set_major_formatter(_percent_formatter())
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(_("Lift over control (confidence interval)"))
        if title:
            ax.set_title("")
        return to_svg(fig, describe(rows))


def _limit(shown: Sequence[LiftRow]) -> float:
    finite = [
        value for row in shown for value in (row.lift, row.low, row.high) if value is not None
    ]
    return min(max([abs(value) for value in finite] + [0.05]) * 1.25, 5.0)


def _draw_row(ax: Any, row: LiftRow, y: float, limit: float) -> None:
    """One row's interval, its arrows where it runs off the scale, and its point."""
    colour = GOOD if row.good else BAD
    if not row.significant:
        colour = NEUTRAL if abs(row.lift or 0) < 1e-12 else colour
    alpha = 1.0 if row.significant else 0.55
    low = -limit if row.low is None else max(row.low, -limit)
    high = limit if row.high is None else min(row.high, limit)
    ax.plot([low, high], [y, y], color=colour, linewidth=3, alpha=alpha, solid_capstyle="round")
    for bound, side in ((row.low, -1), (row.high, 1)):
        if bound is None or abs(bound) > limit:
            ax.annotate(
                "",
                xy=(side * limit, y),
                xytext=(side * limit * 0.93, y),
                arrowprops={"arrowstyle": "->", "color": colour},
            )
    ax.plot(
        [max(-limit, min(limit, row.lift or 0.0))],
        [y],
        marker="o",
        markersize=7,
        color=colour,
        alpha=alpha,
        markeredgecolor="white",
        markeredgewidth=1.2,
        zorder=3,
    )


# no names beside the axis, so the phone drawing may be a little wider than the
# others for the same size of words; a row's name wraps to fit it
PHONE_LIFT_WIDTH = PHONE_WIDTH + 0.5
PHONE_LABEL_CHARACTERS = 32


def _phone_lift_chart(rows: Sequence[LiftRow]) -> str:
    """The interval plot for a phone: each row's name (wrapped) and lift above its
    line, the scale under the last, a few ticks."""
    import textwrap

    from matplotlib.ticker import MaxNLocator

    shown = [row for row in rows if row.lift is not None]
    limit = _limit(shown)
    labels = [textwrap.wrap(row.label, PHONE_LABEL_CHARACTERS) or [row.label] for row in shown]
    pitch = 1.0 + 0.42 * (max((len(lines) for lines in labels), default=1) - 1)
    count = len(shown)
    with figure(PHONE_LIFT_WIDTH, 0.75 + 0.5 * pitch * max(count, 1)) as fig:
        ax = fig.add_subplot(1, 1, 1)
        for index, (row, lines) in enumerate(zip(shown, labels, strict=True)):
            y = (count - 1 - index) * pitch
            _draw_row(ax, row, y, limit)
            above = y + 0.22
            ax.text(-limit, above, "\n".join(lines), va="bottom", ha="left", color=INK)
            ax.text(
                limit,
                above,
                _percent(row.lift or 0.0),
                va="bottom",
                ha="right",
                color=INK,
                fontweight="bold",
            )
        ax.axvline(0.0, color=MUTED, linewidth=1, zorder=1)
        ax.set_yticks([])
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-0.45, (max(count, 1) - 1) * pitch + 0.3 + 0.42 * pitch)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, symmetric=True))
        ax.xaxis.set_major_formatter(_percent_formatter())
        ax.grid(axis="y", visible=False)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel(_("Lift over control (confidence interval)"))
        return to_svg(fig, describe(rows), phone=True)


def _percent_formatter() -> object:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{100 * value:+.0f}%" if value else "0%")


# The stored chart of an analysis is drawn once, when the results are saved, in
# the language of whoever saved them; a reader in another language gets it
# redrawn from the same stored figures, and every reader gets the phone drawing
# too, both kept in memory per analysis and language.
STORED_AXIS_LABEL = "Lift over control (confidence interval)"
CACHE_SIZE = 256
_cache: OrderedDict[tuple[int, str, int], str] = OrderedDict()


def rows_of(analyses: Sequence[Any]) -> list[LiftRow]:
    """The chart's rows from stored analyses (primary first), as the analysis drew them."""
    return [
        LiftRow(
            label=f"{analysis.comparisons.get('metric', '')} · {variant['name']}",
            lift=variant["lift"],
            low=(variant["lift_ci"] or [None, None])[0],
            high=(variant["lift_ci"] or [None, None])[1],
            good=variant["good_direction"],
            significant=variant["significant"],
        )
        for analysis in analyses
        for variant in (analysis.comparisons or {}).get("variants", [])
    ]


def lift_chart_for_reader(analyses: Sequence[Any]) -> str:
    """The primary analysis's lift chart with its words in the reader's language,
    drawn for a wide screen and for a phone (``for_each_screen``)."""
    if not analyses or not analyses[0].chart_svg:
        return ""
    stored = str(analyses[0].chart_svg)
    # the stored drawing in the key too: a database made anew reuses analysis ids
    key = (int(analyses[0].id or 0), chart_language(), hash(stored))
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    rows = rows_of(analyses)
    wide = stored if key[1] == "en" and STORED_AXIS_LABEL in stored else lift_chart(rows)
    svg = for_each_screen(wide, lift_chart(rows, phone=True))
    _cache[key] = svg
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return svg
