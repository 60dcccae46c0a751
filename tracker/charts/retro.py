"""The retrospective's forest plot: every decided experiment's lift on its
primary metric with the interval, one row per experiment, coloured by the
outcome the team recorded (won green, lost red, inconclusive grey). A result
that failed the sample-ratio check is drawn hollow and dashed and says so; a
metric where lower is better is marked, so a lost test at +14% sales-cycle
length is not read as a gain."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, Protocol

from tracker.charts.base import BAD, GOOD, INK, MUTED, NEUTRAL, figure, to_svg

OUTCOME_COLOURS = {"won": GOOD, "lost": BAD, "inconclusive": NEUTRAL}
LABEL_LENGTH = 44


class DecidedExperiment(Protocol):
    number: int
    title: str
    outcome: str
    direction: str  # "higher" or "lower" is better
    trustworthy: bool
    lift: float | None
    lift_low: float | None
    lift_high: float | None


def _percent(value: float) -> str:
    return f"{100 * value:+.1f}%"


def _left_to_right_part(title: str) -> str:
    """The title up to its first right-to-left letter.

    A chart label keeps only the left-to-right start of a mixed title (an
    SVG text run is not reordered by every renderer); the table under the chart
    gives every title in full, in its own direction.

    >>> _left_to_right_part("Arabic e-mail (رسالة الترحيب) for leads")
    'Arabic e-mail …'
    """
    for index, char in enumerate(title):
        if unicodedata.bidirectional(char) in ("R", "AL"):
            start = title[:index].rstrip(" ([{«-–—:·").strip()
            return f"{start} …" if start else "(title in the table below)"
    return title


def label(row: DecidedExperiment) -> str:
    """The row's number and title, cut to fit beside the chart: "3  Shorter demo
    form", with "▼" when lower is better."""
    title = _left_to_right_part(" ".join(row.title.split()))
    if len(title) > LABEL_LENGTH:
        title = title[: LABEL_LENGTH - 1].rstrip() + "…"
    mark = " ▼" if row.direction == "lower" else ""
    return f"{row.number}  {title}{mark}"


def _right_note(row: DecidedExperiment) -> str:
    """What stands right of the row: the lift, and why it reads otherwise."""
    text = "no results" if row.lift is None else _percent(row.lift)
    if not row.trustworthy:
        return f"{text}  SRM: not trustworthy"
    if row.direction == "lower":
        return f"{text}  lower is better"
    return text


def describe(rows: Sequence[DecidedExperiment]) -> str:
    """The chart in words, for its alternative text."""
    parts = []
    for row in rows:
        if row.lift is None:
            parts.append(f"{row.title}: {row.outcome}, no lift recorded")
            continue
        low = "−∞" if row.lift_low is None else _percent(row.lift_low)
        high = "+∞" if row.lift_high is None else _percent(row.lift_high)
        note = "" if row.trustworthy else ", not trustworthy (sample-ratio mismatch)"
        better = ", lower is better" if row.direction == "lower" else ""
        parts.append(
            f"{row.title}: {row.outcome}{note}, {_percent(row.lift)} ({low} to {high}){better}"
        )
    return (
        "Lift of each decided experiment's primary metric over control, with its "
        "interval, coloured by outcome. " + "; ".join(parts) + "."
    )


def decided_chart(rows: Sequence[DecidedExperiment]) -> str:
    """The SVG of the interval plot, the first experiment on top.

    The intervals of one outcome are one collection and their dots one line of
    markers, so the SVG holds a few elements per outcome rather than several per
    experiment: the PDF draws it in a fraction of the time.
    """
    finite = [
        value
        for row in rows
        for value in (row.lift, row.lift_low, row.lift_high)
        if value is not None
    ]
    limit = min(max([abs(value) for value in finite] + [0.05]) * 1.15, 2.0)
    count = max(len(rows), 1)
    with figure(7.4, 0.9 + 0.3 * count) as fig:
        ax = fig.add_subplot(1, 1, 1)
        ys = {id(row): count - 1 - index for index, row in enumerate(rows)}
        for outcome, colour in OUTCOME_COLOURS.items():
            group = [row for row in rows if row.outcome == outcome and row.lift is not None]
            _draw_group(ax, [r for r in group if r.trustworthy], ys, colour, limit)
            _draw_group(ax, [r for r in group if not r.trustworthy], ys, colour, limit, hollow=True)
        for row in rows:
            y = ys[id(row)]
            colour = INK if row.trustworthy else BAD
            ax.text(limit * 1.05, y, _right_note(row), va="center", color=colour, fontsize=8)
        ax.axvline(0.0, color=MUTED, linewidth=1, zorder=1)
        ax.set_yticks(range(count))
        ax.set_yticklabels([label(row) for row in reversed(rows)], color=INK, fontsize=8)
        ax.set_xlim(-limit, limit * 1.9)
        ax.set_ylim(-0.7, count - 0.3)
        ax.set_xticks([tick for tick in ax.get_xticks() if -limit <= tick <= limit])
        ax.xaxis.set_major_formatter(_percent_formatter())
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="both", length=0)
        ax.set_xlabel(
            "Lift of the primary metric over control (95% interval); "
            "▼ lower is better: there a negative lift is the gain"
        )
        _legend(ax)
        fig.tight_layout()
        return to_svg(fig, describe(rows))


def _draw_group(
    ax: Any,
    group: Sequence[DecidedExperiment],
    ys: dict[int, int],
    colour: str,
    limit: float,
    *,
    hollow: bool = False,
) -> None:
    """One outcome's intervals (arrows where they run off the chart) and dots;
    ``hollow`` for results that are not trustworthy: dashed, with open dots."""
    if not group:
        return
    lows = [-limit if r.lift_low is None else max(r.lift_low, -limit) for r in group]
    highs = [limit if r.lift_high is None else min(r.lift_high, limit) for r in group]
    y = [ys[id(row)] for row in group]
    ax.hlines(
        y,
        lows,
        highs,
        colors=colour,
        linewidth=1.5 if hollow else 3,
        linestyles="dashed" if hollow else "solid",
        capstyle="round",
    )
    for row in group:
        for bound, side in ((row.lift_low, -1), (row.lift_high, 1)):
            if bound is None or abs(bound) > limit:
                ax.annotate(
                    "",
                    xy=(side * limit, ys[id(row)]),
                    xytext=(side * limit * 0.92, ys[id(row)]),
                    arrowprops={"arrowstyle": "->", "color": colour},
                )
    dots = [max(-limit, min(limit, row.lift or 0.0)) for row in group]
    ax.plot(
        dots,
        y,
        linestyle="none",
        marker="o",
        markersize=6.5,
        color="white" if hollow else colour,
        markeredgecolor=colour if hollow else "white",
        markeredgewidth=1.5 if hollow else 1.2,
        zorder=3,
    )


def _legend(ax: object) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([0], [0], color=colour, linewidth=3, marker="o", markersize=5, label=name)
        for name, colour in OUTCOME_COLOURS.items()
    ]
    handles.append(
        Line2D(
            [0],
            [0],
            color=BAD,
            linewidth=1.5,
            linestyle="dashed",
            marker="o",
            markersize=5,
            markerfacecolor="white",
            label="not trustworthy (SRM)",
        )
    )
    ax.legend(  # type: ignore[attr-defined]
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=4,
        frameon=False,
        fontsize=8,
        handlelength=1.6,
    )


def _percent_formatter() -> object:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{100 * value:+.0f}%" if value else "0%")
