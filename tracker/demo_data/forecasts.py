"""What the demo team forecast and aims for: a win probability on every
scored hypothesis, weekly targets and unit values on the metrics, and the
programme-health targets in Settings.

The forecasts come from their own fixed seed (so the rest of the demo's draws
stay as they were) and make a believable team: forecasts follow the scorers'
ICE confidence, know a little about what will win, and run somewhat
optimistic, as most teams' do. Fills only what is empty, so loading twice
changes nothing. Flushes, never commits.
"""

from __future__ import annotations

import random

from sqlmodel import Session, col, select

from tracker.models import Experiment, Hypothesis, Metric, Outcome, TeamSettings

SEED = 1515
CURRENCY = "USD"

# the weekly value each metric should reach, in its own terms (a fraction for a
# proportion), and what one unit of it is worth in dollars
TARGETS: dict[str, float] = {
    "MQL to SQL conversion": 0.22,
    "Visitor to lead conversion": 0.03,
    "Cost per lead": 60.0,
    "Win rate": 0.25,
    "Average deal size": 14_000.0,
    "Sales cycle length": 42.0,
    "Pipeline velocity": 10_000.0,
    "CSAT": 0.85,
    "NPS": 30.0,
    "First-contact resolution": 0.75,
    "Escalations per 100 tickets": 4.0,
    "Net revenue retention": 104.0,
}
UNIT_VALUES: dict[str, float] = {
    "MQL to SQL conversion": 1_500.0,  # one more SQL
    "Visitor to lead conversion": 250.0,  # one more lead
    "Cost per lead": 1.0,  # one dollar of spend
    "Win rate": 14_000.0,  # one more won deal
    "Average deal size": 1.0,  # one dollar of revenue
    "Sales cycle length": 15.0,  # one deal-day less in the pipeline
    "CSAT": 40.0,  # one more satisfied customer
    "First-contact resolution": 12.0,  # one ticket solved without a second contact
    "Escalations per 100 tickets": 90.0,  # one escalation avoided
}
HEALTH_TARGETS = {
    "target_started_per_week": 1.0,
    "target_decisions_per_cycle": 1.0,
    "target_median_days": 7.0,
    "target_on_time": 0.8,
    "target_win_rate": 0.33,
}


def load_forecasts_and_targets(session: Session) -> None:
    rng = random.Random(SEED)
    outcomes = dict(
        session.exec(
            select(Experiment.hypothesis_id, Experiment.outcome).where(
                col(Experiment.hypothesis_id).is_not(None)
            )
        ).all()
    )
    hypotheses = session.exec(select(Hypothesis).order_by(col(Hypothesis.id))).all()
    for hypothesis in hypotheses:
        draw = rng.gauss(0, 0.1)  # drawn for each, so the sequence never shifts
        if hypothesis.forecast_win_probability is not None:
            continue
        confidence = float(hypothesis.scores.get("confidence", 5))
        hint = {Outcome.won: 0.12, Outcome.lost: -0.06}.get(outcomes.get(hypothesis.id), 0.0)  # type: ignore[call-overload]
        forecast = 0.05 + 0.065 * confidence + hint + draw
        hypothesis.forecast_win_probability = round(min(0.95, max(0.05, forecast)), 2)
        hypothesis.forecast_by_id = hypothesis.author_id
    for metric in session.exec(select(Metric)).all():
        if metric.target is None:
            metric.target = TARGETS.get(metric.name)
        if metric.unit_value is None:
            metric.unit_value = UNIT_VALUES.get(metric.name)
    settings = session.get(TeamSettings, 1)
    if settings is not None:
        settings.currency = settings.currency or CURRENCY
        for name, value in HEALTH_TARGETS.items():
            if getattr(settings, name) is None:
                setattr(settings, name, value)
    session.flush()
