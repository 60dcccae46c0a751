"""The history the Insights page learns from, loaded in a fixed number of
queries whatever its size: decided experiments with their hypotheses,
metrics and primary analyses; the scorers; the ledger metrics' readings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import (
    Analysis,
    Direction,
    ExpectedDirection,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Metric,
    Outcome,
    Reading,
    User,
)
from tracker.models.live import live

SRM_CODES = frozenset({"srm", "sample_ratio_mismatch"})


def srm_flagged(warnings: list[dict[str, str]] | None) -> bool:
    """Whether an analysis carries a sample-ratio mismatch: its split is broken,
    so its result cannot be trusted as a win."""
    return any(warning.get("code") in SRM_CODES for warning in warnings or [])


def counts_as_win(outcome: Outcome | str | None, warnings: list[dict[str, str]] | None) -> bool:
    """A decision counts as a win when it was decided won and its primary
    analysis shows no sample-ratio mismatch. The one rule for every page.

    >>> counts_as_win("won", [])
    True
    >>> counts_as_win("won", [{"code": "srm", "message": "..."}])
    False
    >>> counts_as_win("inconclusive", [])
    False
    """
    return outcome == Outcome.won and not srm_flagged(warnings)


@dataclass(frozen=True)
class Decided:
    """One decided experiment with what was forecast and what was measured.

    Attributes:
        experiment: the experiment row.
        metric: its primary metric.
        hypothesis: its hypothesis, if it had one.
        won: whether it counts as a win (see ``counts_as_win``).
        srm: whether its primary analysis flags a sample-ratio mismatch.
        lift: the measured relative lift of its best variant (None without one).
        lift_ci: that lift's 95% interval (None when unbounded or missing).
    """

    experiment: Experiment
    metric: Metric
    hypothesis: Hypothesis | None
    won: bool
    srm: bool
    lift: float | None
    lift_ci: tuple[float, float] | None

    @property
    def expected_lift(self) -> float | None:
        """The hypothesis's expected change as a signed relative lift."""
        hypothesis = self.hypothesis
        if hypothesis is None or not hypothesis.expected_effect:
            return None
        sign = -1.0 if hypothesis.direction == ExpectedDirection.decrease else 1.0
        return sign * hypothesis.expected_effect / 100

    @property
    def lower_is_better(self) -> bool:
        return self.metric.direction == Direction.lower


def decided_experiments(
    *, session: Session, start: date | None = None, end: date | None = None
) -> list[Decided]:
    """Experiments decided between ``start`` and ``end`` (inclusive days,
    either open), oldest decision first. Two queries."""
    statement = (
        select(Experiment, Metric, Hypothesis)
        .join(Metric, col(Metric.id) == Experiment.primary_metric_id)
        .join(Hypothesis, col(Hypothesis.id) == Experiment.hypothesis_id, isouter=True)
        .where(
            live(Experiment),
            Experiment.status == ExperimentStatus.decided,
            col(Experiment.outcome).is_not(None),
            col(Experiment.decided_at).is_not(None),
        )
        .order_by(col(Experiment.decided_at), col(Experiment.id))
    )
    if start is not None:
        statement = statement.where(
            col(Experiment.decided_at) >= datetime.combine(start, time(0), tzinfo=UTC)
        )
    if end is not None:
        statement = statement.where(
            col(Experiment.decided_at) < datetime.combine(end, time.max, tzinfo=UTC)
        )
    rows = session.exec(statement).all()
    analyses = _primary_analyses(session, [e.latest_result_set_id for e, _, _ in rows])
    decided = []
    for experiment, metric, hypothesis in rows:
        analysis = analyses.get(experiment.latest_result_set_id or 0)
        warnings = analysis.warnings if analysis else []
        lift, lift_ci = best_lift(analysis.comparisons if analysis else {})
        decided.append(
            Decided(
                experiment=experiment,
                metric=metric,
                hypothesis=hypothesis,
                won=counts_as_win(experiment.outcome, warnings),
                srm=srm_flagged(warnings),
                lift=lift,
                lift_ci=lift_ci,
            )
        )
    return decided


def _primary_analyses(session: Session, set_ids: list[int | None]) -> dict[int, Analysis]:
    wanted = [i for i in set_ids if i]
    if not wanted:
        return {}
    return {
        a.result_set_id: a
        for a in session.exec(
            select(Analysis).where(col(Analysis.result_set_id).in_(wanted), Analysis.is_primary)
        ).all()
    }


def best_lift(comparisons: dict[str, Any]) -> tuple[float | None, tuple[float, float] | None]:
    """The lift of the variant most likely to beat control, and its interval.

    >>> best_lift({"variants": [
    ...     {"lift": 0.1, "lift_ci": [0.0, 0.2], "chance_to_beat_control": 0.9},
    ...     {"lift": 0.3, "lift_ci": [0.1, 0.5], "chance_to_beat_control": 0.99}]})
    (0.3, (0.1, 0.5))
    >>> best_lift({})
    (None, None)
    """
    variants = [v for v in comparisons.get("variants", []) if v.get("lift") is not None]
    if not variants:
        return None, None
    best = max(variants, key=lambda v: v.get("chance_to_beat_control") or 0.0)
    bounds = best.get("lift_ci") or [None, None]
    interval = (
        (float(bounds[0]), float(bounds[1]))
        if bounds[0] is not None and bounds[1] is not None
        else None
    )
    return float(best["lift"]), interval


def scorer_emails(*, session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.email).where(col(User.id).in_(list(user_ids))))
    return {user_id: email for user_id, email in rows.all() if user_id is not None}


def readings_by_metric(*, session: Session, metric_ids: set[int]) -> dict[int, list[Reading]]:
    """Every reading of these metrics, oldest first: one query."""
    if not metric_ids:
        return {}
    grouped: dict[int, list[Reading]] = defaultdict(list)
    for reading in session.exec(
        select(Reading)
        .where(col(Reading.metric_id).in_(list(metric_ids)))
        .order_by(col(Reading.metric_id), col(Reading.period_start))
    ).all():
        grouped[reading.metric_id].append(reading)
    return grouped
