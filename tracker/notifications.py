"""What the services tell the world outside Revloop when something happens:
webhook events into the outbox and, after a meeting closes, its recap.

Each function is called once, in the service where the change is made, inside
the caller's transaction; nothing leaves Revloop until that transaction
commits.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from experiments.cycles import STUCK_AFTER, IsoWeek
from tracker.cycles.scorecard import on_track
from tracker.metrics.format import format_value, reading_value
from tracker.models import (
    ActionItem,
    Analysis,
    Cycle,
    Direction,
    Experiment,
    Metric,
    MetricKind,
    Reading,
)
from tracker.webhooks.events import emit, wanted


def experiment_started(session: Session, experiment: Experiment) -> None:
    if not wanted(session, "experiment.started"):
        return
    emit(
        session,
        "experiment.started",
        _experiment_payload(experiment, summary=f"Experiment “{experiment.title}” started."),
    )


def experiment_decided(session: Session, experiment: Experiment) -> None:
    if not wanted(session, "experiment.decided"):
        return
    action = getattr(experiment.action, "value", experiment.action) or ""
    outcome = getattr(experiment.outcome, "value", experiment.outcome) or ""
    payload = _experiment_payload(
        experiment,
        summary=f"Experiment “{experiment.title}” was decided: {action} ({outcome}).",
        verdict=_latest_verdict(session, experiment),
    )
    payload["decision"] = {
        "action": action,
        "outcome": outcome,
        "rationale": experiment.rationale,
    }
    emit(session, "experiment.decided", payload)


def results_saved(session: Session, experiment: Experiment, analyses: Sequence[Analysis]) -> None:
    """``experiment.verdict_changed`` when the new look's verdict differs from the last one's."""
    primary = next((a for a in analyses if a.is_primary), None)
    if primary is None or not wanted(session, "experiment.verdict_changed"):
        return
    before = session.exec(
        select(Analysis)
        .where(
            Analysis.experiment_id == experiment.id,
            Analysis.is_primary,
            col(Analysis.result_set_id) != primary.result_set_id,
        )
        .order_by(col(Analysis.id).desc())
        .limit(1)
    ).first()
    new, old = verdict_kind(primary), verdict_kind(before) if before else None
    if new == old:
        return
    payload = _experiment_payload(
        experiment,
        summary=f"The verdict on “{experiment.title}” is now: {new.replace('_', ' ')}.",
        verdict=str(primary.comparisons.get("verdict", "")),
    )
    payload["verdict_kind"] = {"old": old, "new": new}
    emit(session, "experiment.verdict_changed", payload)


def verdict_kind(analysis: Analysis) -> str:
    """The verdict's category: untrustworthy, stop_better, stop_worse, keep_running
    or no_difference (final with no difference)."""
    codes = {warning.get("code") for warning in analysis.warnings}
    if "srm" in codes:
        return "untrustworthy"
    variants: list[dict[str, Any]] = analysis.comparisons.get("variants", [])
    significant = [v for v in variants if v.get("significant")]
    if analysis.preliminary:
        return "keep_running"
    if significant:
        return "stop_better" if any(v.get("good_direction") for v in significant) else "stop_worse"
    return "no_difference" if variants else "keep_running"


def cycle_closed(session: Session, *, cycle: Cycle, next_week: str, carried: int) -> None:
    """``cycle.closed``, ``action.stuck`` for items carried into their third cycle,
    and the meeting's recap by e-mail once the close commits."""
    from tracker.mail.recap import recap_after_commit

    recap_after_commit(session, cycle_id=cycle.id or 0)
    emit(
        session,
        "cycle.closed",
        {
            "summary": f"Cycle {cycle.iso_week} closed; {carried} action "
            f"item{'' if carried == 1 else 's'} carried to {next_week}.",
            "url": _url("cycles.detail", iso_week=cycle.iso_week),
            "cycle": {"iso_week": cycle.iso_week, "next_week": next_week, "carried": carried},
        },
    )
    if not wanted(session, "action.stuck"):
        return
    following = select(Cycle.id).where(Cycle.iso_week == next_week).scalar_subquery()
    stuck = session.exec(
        select(ActionItem.id, ActionItem.title, ActionItem.owner_id, ActionItem.carried_count)
        .where(col(ActionItem.cycle_id) == following, ActionItem.carried_count == STUCK_AFTER)
        .order_by(col(ActionItem.id))
    ).all()
    for item_id, title, owner_id, count in stuck:
        emit(
            session,
            "action.stuck",
            {
                "summary": f"Action “{title}” is stuck: carried {count} times.",
                "url": _url("cycles.this_week"),
                "action": {"id": item_id, "title": title, "owner_id": owner_id, "carried": count},
            },
        )


_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩٬٫٪", "0123456789,.%")


def readings_saved(session: Session, *, metric: Metric, period_starts: Collection[date]) -> None:
    """``metric.off_target`` when the readings just saved (flushed, not committed)
    for the weeks starting ``period_starts`` hold the metric's latest, and it misses
    the metric's weekly target. Every door that saves readings calls it."""
    if metric.target is None or not period_starts or not wanted(session, "metric.off_target"):
        return
    latest = session.exec(
        select(Reading)
        .where(Reading.metric_id == metric.id)
        .order_by(col(Reading.period_start).desc())
        .limit(1)
    ).first()
    if latest is None or latest.period_start not in set(period_starts):
        return  # a week filled in late does not move where the metric stands
    value = reading_value(kind=metric.kind, unit=metric.unit, stats=latest)
    if value is None or on_track(value, metric.target, metric.direction) is not False:
        return
    emit(session, "metric.off_target", off_target_payload(metric, latest, value))


def off_target_payload(metric: Metric, reading: Reading, value: float) -> dict[str, Any]:
    """What a receiver needs: the metric, the week, its value against the target
    and which way is better, and the link; the sentence in English."""
    target = float(metric.target or 0)
    direction = Direction(metric.direction).value
    week = str(IsoWeek.containing(reading.period_start))
    shown = {
        # machine format: Latin digits, whatever the team's digits setting
        name: format_value(kind=metric.kind, unit=metric.unit, value=figure).translate(_LATIN)
        for name, figure in (("value", value), ("target", target))
    }
    bound = "at least" if direction == "higher" else "at most"
    url = _url("metrics.detail", metric_id=metric.id)
    return {
        "summary": f"“{metric.name}” is off target in {week}: {shown['value']} against "
        f"a target of {bound} {shown['target']}.",
        "url": url,
        "week": week,
        "value": value,
        "target": target,
        "direction": direction,
        "value_text": shown["value"],
        "target_text": shown["target"],
        "metric": {
            "id": metric.id,
            "name": metric.name,
            "kind": MetricKind(metric.kind).value,
            "unit": metric.unit,
            "url": url,
        },
        "reading": {
            "id": reading.id,
            "period_start": reading.period_start.isoformat(),
            "period_end": reading.period_end.isoformat(),
        },
    }


def _latest_verdict(session: Session, experiment: Experiment) -> str:
    if not experiment.latest_result_set_id:
        return ""
    analysis = session.exec(
        select(Analysis).where(
            Analysis.result_set_id == experiment.latest_result_set_id, Analysis.is_primary
        )
    ).first()
    return str(analysis.comparisons.get("verdict", "")) if analysis else ""


def _experiment_payload(
    experiment: Experiment, *, summary: str, verdict: str = ""
) -> dict[str, Any]:
    url = _url("experiments.detail", experiment_id=experiment.id)
    return {
        "summary": summary,
        "verdict": verdict,
        "url": url,
        "experiment": {
            "id": experiment.id,
            "title": experiment.title,
            "status": getattr(experiment.status, "value", experiment.status),
            "started_on": experiment.started_on.isoformat() if experiment.started_on else None,
            "url": url,
        },
    }


def _url(endpoint: str, **values: Any) -> str:
    from flask import has_app_context

    from tracker.links import absolute_url

    return absolute_url(endpoint, **values) if has_app_context() else ""
