"""The forest plot of the decided experiments, as data the Typst template draws.

Each decided experiment is one row: its lift on the primary metric over control
(a dot) and the 95% interval (a bar), coloured by the outcome the team recorded;
a result that failed the sample-ratio check is drawn hollow and dashed. Typst
draws the rows itself (lines and circles placed at the fractions given here), so
the labels are the report's own text: translated, shaped, each title in its own
direction, and no plotting library is loaded to make a report.

Positions are fractions of the plot's width, 0 at the left edge and 1 at the
right; the axis always runs left to right, in an Arabic report too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tracker.reports.wording import percent

LARGEST = 2.0  # +-200%: a wider interval runs off the plot, with an arrow


class Decided(Protocol):
    number: int
    outcome: str
    trustworthy: bool
    lift: float | None
    lift_low: float | None
    lift_high: float | None


@dataclass(frozen=True)
class Axis:
    """The plot's half-width (a lift fraction) and its ticks."""

    limit: float
    ticks: tuple[float, ...]

    def at(self, value: float) -> float:
        """Where ``value`` sits across the plot, 0 to 1, clipped to the edges.

        >>> Axis(0.25, ()).at(0.0), Axis(0.25, ()).at(0.125), Axis(0.25, ()).at(-1.0)
        (0.5, 0.75, 0.0)
        """
        return min(1.0, max(0.0, (value + self.limit) / (2 * self.limit)))


def axis(rows: Sequence[Decided]) -> Axis:
    """A symmetric axis wide enough for every lift and bound (up to +-200%),
    with ticks at a round step.

    >>> axis([]).limit, axis([]).ticks
    (0.06, (-0.06, -0.04, -0.02, 0.0, 0.02, 0.04, 0.06))
    """
    finite = [
        abs(value)
        for row in rows
        for value in (row.lift, row.lift_low, row.lift_high)
        if value is not None and math.isfinite(value)
    ]
    reach = min(max([*finite, 0.05]) * 1.1, LARGEST)
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0) if reach / s <= 3)
    limit = math.ceil(reach / step - 1e-9) * step
    ticks = tuple(round(i * step, 6) for i in range(-round(limit / step), round(limit / step) + 1))
    return Axis(limit=round(limit, 6), ticks=ticks)


def signed_percent(value: float) -> str:
    """ "+12.3%", "−4.0%" (a true minus sign), "0%"."""
    return "0%" if value == 0 else percent(value)


def _tick(value: float) -> str:
    return "0%" if value == 0 else f"{value * 100:+.0f}%".replace("-", "−")


def forest(rows: Sequence[Decided]) -> dict[str, Any]:
    """The plot's rows and axis as the template reads them."""
    scale = axis(rows)
    drawn: list[dict[str, Any]] = []
    for row in rows:
        if row.lift is None:
            drawn.append({"number": row.number, "drawn": False})
            continue
        low = -math.inf if row.lift_low is None else row.lift_low
        high = math.inf if row.lift_high is None else row.lift_high
        drawn.append(
            {
                "number": row.number,
                "drawn": True,
                "tone": row.outcome if row.outcome in ("won", "lost") else "inconclusive",
                "hollow": not row.trustworthy,
                "dot": scale.at(row.lift),
                "low": scale.at(low),
                "high": scale.at(high),
                "runs_left": low < -scale.limit,
                "runs_right": high > scale.limit,
                "lift_text": signed_percent(row.lift),
            }
        )
    return {
        "rows": drawn,
        "zero": scale.at(0.0),
        "ticks": [{"at": scale.at(t), "text": _tick(t)} for t in scale.ticks],
    }
