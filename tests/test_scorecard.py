"""The meeting's scorecard: targets, on or off track, off-track metrics first,
and the experiments needing a decision before it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from experiments.cycles import IsoWeek
from tracker.cycles.scorecard import on_track
from tracker.models import Area, Direction, Metric, MetricKind, Reading, Role


def _metric(db, name, *, target, direction=Direction.higher, values=(100, 120)):
    area = db.exec(select(Area).where(Area.name == "Sales")).one()
    metric = Metric(
        name=name, area_id=area.id, kind=MetricKind.proportion, target=target, direction=direction
    )
    db.add(metric)
    db.flush()
    monday = IsoWeek.containing(date.today()).monday
    for weeks_ago, won in zip((2, 1), values, strict=True):
        start = monday - timedelta(days=7 * weeks_ago)
        db.add(
            Reading(
                metric_id=metric.id,
                period_start=start,
                period_end=start + timedelta(6),
                successes=won,
                trials=600,
            )
        )
    db.commit()
    return metric


def test_on_track_follows_the_metrics_direction():
    assert on_track(0.25, 0.25, "higher") is True
    assert on_track(0.24, 0.25, "higher") is False
    assert on_track(3.9, 4.0, Direction.lower) is True
    assert on_track(None, 4.0, "lower") is None


def test_the_scorecard_puts_off_track_metrics_first_with_last_week_and_target(
    client, db, signed_in
):
    signed_in(Role.viewer)
    _metric(db, "Alpha on track", target=0.15)  # 20.0% against 15%
    _metric(db, "Beta no target", target=None)
    _metric(db, "Zeta off track", target=0.30)  # 20.0% against 30%
    page = client.get("/week").get_data(as_text=True)
    card = page[page.index('id="metrics"') :]
    assert (
        card.index("Zeta off track") < card.index("Beta no target") < card.index("Alpha on track")
    )
    assert "30.0%" in card and "16.7%" in card  # the target and last week
    assert "Off track" in card and "On track" in card and "no target" in card
    assert "1 off track" in page
    # the experiments needing a decision come before the scorecard
    assert page.index('id="decide"') < page.index('id="metrics"')
