"""Demo metrics: the twelve presets of PRODUCT.md, each with twelve weekly
readings of realistic RevOps volumes, gentle trends and noise.

A pure function of ``rng`` and ``today``: the same seed and day give the same
figures. Loading twice leaves one copy (a metric already there by name keeps
its readings). Flushes, never commits: the caller owns the transaction.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from tracker.defaults import METRIC_PRESETS, by_default_name
from tracker.models import Area, Direction, Metric, MetricKind, Reading, Stage
from tracker.models.live import live

WEEKS = 12


@dataclass(frozen=True)
class Profile:
    """How a metric behaves week by week: its value moves from ``start`` to
    ``end``; ``volume`` is the weekly trials, n or exposure; ``spread`` the sd
    of one value (means only)."""

    start: float
    end: float
    volume: float
    spread: float = 0.0
    source: str = ""


PROFILES: dict[str, Profile] = {
    "MQL to SQL conversion": Profile(0.19, 0.23, 400, source="HubSpot: MQLs and SQLs by week"),
    "Visitor to lead conversion": Profile(
        0.024, 0.027, 18_000, source="Web analytics: sessions and form fills"
    ),
    "Cost per lead": Profile(68, 61, 430, 25, source="Ad platforms spend / HubSpot leads"),
    "Win rate": Profile(0.21, 0.243, 60, source="Salesforce: opportunities closed this week"),
    "Average deal size": Profile(13_600, 14_800, 14, 9_000, source="Salesforce: won deals"),
    "Sales cycle length": Profile(45, 40, 14, 18, source="Salesforce: days from SQL to close"),
    "Pipeline velocity": Profile(9_100, 9_900, 7, 2_200, source="Pipeline report, daily values"),
    "CSAT": Profile(0.85, 0.875, 300, source="Zendesk satisfaction survey"),
    "NPS": Profile(29, 35, 250, 70, source="Quarterly NPS pulse, answers this week"),
    "First-contact resolution": Profile(0.69, 0.725, 900, source="Zendesk: solved on first reply"),
    "Escalations per 100 tickets": Profile(4.4, 3.8, 900, source="Zendesk: escalated tickets"),
    "Net revenue retention": Profile(103, 105, 120, 12, source="Billing: accounts renewing"),
}


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """Mondays of the ``weeks`` ISO weeks that ended before ``today``, oldest first.

    >>> week_starts(date(2025, 3, 12), 2)
    [datetime.date(2025, 2, 24), datetime.date(2025, 3, 3)]
    """
    last_monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    return [last_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _count(rng: random.Random, mean: float, relative_sd: float = 0.08) -> int:
    return max(1, round(rng.gauss(mean, mean * relative_sd)))


def _binomial(rng: random.Random, trials: int, p: float) -> int:
    """A binomial draw by the normal approximation (volumes here are large enough)."""
    draw = round(rng.gauss(trials * p, math.sqrt(trials * p * (1 - p))))
    return min(trials, max(0, draw))


def _figures(rng: random.Random, kind: MetricKind, profile: Profile, week: int) -> dict[str, float]:
    share = week / (WEEKS - 1)
    # a gentle trend with a little week-to-week wobble on top of sampling noise
    true = profile.start + (profile.end - profile.start) * share
    true *= 1 + rng.gauss(0, 0.02)
    if kind is MetricKind.proportion:
        trials = _count(rng, profile.volume)
        return {"successes": _binomial(rng, trials, min(0.99, max(0.01, true))), "trials": trials}
    if kind is MetricKind.mean:
        n = max(2, _count(rng, profile.volume, 0.18))
        mean = rng.gauss(true, profile.spread / math.sqrt(n))
        sd = abs(profile.spread * (1 + rng.gauss(0, 0.08)))
        return {"n": n, "mean": round(mean, 2), "sd": round(sd, 2)}
    exposure = _count(rng, profile.volume)
    expected = true / 100 * exposure
    events = max(0, round(rng.gauss(expected, math.sqrt(expected))))
    return {"events": events, "exposure": float(exposure)}


def load_metrics(
    session: Session, *, rng: random.Random, today: date, entered_by_id: int | None
) -> dict[str, Metric]:
    """Create the preset metrics with twelve weekly readings each; name → Metric."""
    areas = by_default_name(session.exec(select(Area).order_by(col(Area.rank))).all())
    stages = by_default_name(session.exec(select(Stage)).all())
    existing = {m.name: m for m in session.exec(select(Metric).where(live(Metric))).all()}
    fallback_area = next(iter(areas.values()))
    weeks = week_starts(today)
    made: dict[str, Metric] = {}
    for preset in METRIC_PRESETS:
        kind = MetricKind(preset["kind"])
        profile = PROFILES[preset["name"]]
        # draw every figure even for a metric already there, so the rest stay the same
        figures = [_figures(rng, kind, profile, week) for week in range(WEEKS)]
        metric = existing.get(preset["name"])
        if metric is not None:
            made[metric.name] = metric
            continue
        area = areas.get(preset["area"], fallback_area)
        stage = stages.get(preset["stage"])
        metric = Metric(
            name=preset["name"],
            area_id=area.id or 0,
            stage_id=stage.id if stage else None,
            kind=kind,
            unit=preset["unit"],
            direction=Direction(preset["direction"]),
            formula=preset["formula"],
            description=preset["description"],
        )
        session.add(metric)
        session.flush()
        session.add_all(
            Reading(
                metric_id=metric.id or 0,
                period_start=monday,
                period_end=monday + timedelta(days=6),
                source_note=profile.source,
                entered_by_id=entered_by_id,
                **dict[str, Any](values),
            )
            for monday, values in zip(weeks, figures, strict=True)
        )
        made[metric.name] = metric
    session.flush()
    return made
