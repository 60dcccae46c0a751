"""The weekly scorecard: every metric's week against last week and its target,
on or off track, beyond noise or not; off-track metrics first.

Built from the agenda's metric lines (no query of its own), so the meeting
page, the area dashboard and the executive dashboard read the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.cycles.agenda import MetricLine, StageGroup
from tracker.metrics.format import format_value
from tracker.models import Direction


def on_track(value: float | None, target: float | None, direction: Direction | str) -> bool | None:
    """Whether ``value`` reaches ``target`` in the metric's good direction
    (None without a target or a value).

    >>> on_track(0.24, 0.25, "higher"), on_track(40, 42, "lower"), on_track(1, None, "higher")
    (False, True, None)
    """
    if value is None or target is None:
        return None
    return value >= target if Direction(direction) is Direction.higher else value <= target


@dataclass(frozen=True)
class ScorecardRow:
    """One metric's line of the scorecard.

    Attributes:
        line: the agenda's metric line (value, change, trend, noise test).
        stage: its buyer-journey stage's name.
        previous_text: last week's value as shown.
        target_text: the target as shown ("—" without one).
        on_track: True, False, or None when there is no target or no reading.
    """

    line: MetricLine
    stage: str
    previous_text: str
    target_text: str
    on_track: bool | None

    @property
    def off_track(self) -> bool:
        return self.on_track is False


def scorecard_rows(stages: list[StageGroup], *, area_id: int | None = None) -> list[ScorecardRow]:
    """The scorecard, off-track metrics first, then those without a target,
    then those on track; ``area_id`` keeps one area's metrics."""
    rows = []
    for group in stages:
        for line in group.lines:
            change = line.change
            metric = change.metric
            if area_id is not None and metric.area_id != area_id:
                continue
            rows.append(
                ScorecardRow(
                    line=line,
                    stage=group.name,
                    previous_text=format_value(
                        kind=metric.kind, unit=metric.unit, value=change.previous_value
                    ),
                    target_text=format_value(
                        kind=metric.kind, unit=metric.unit, value=metric.target
                    ),
                    on_track=on_track(change.value, metric.target, metric.direction),
                )
            )
    order = {False: 0, None: 1, True: 2}
    return sorted(rows, key=lambda row: order[row.on_track])
