"""The running and stopped experiments a page shows: the few that need a
decision first, then a few more, and how many are left for the board.

With hundreds running, building every line (and reading every analysis) is
what made the dashboard and the meeting slow. So the reasons are worked out
from light columns and the primary analyses' warnings, and full lines are
built only for the experiments shown: a fixed number of queries, small rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from tracker.cycles.agenda import ExperimentLine, experiment_line, reasons_for
from tracker.models import Analysis, Experiment, ExperimentStatus, Metric

NEEDING_SHOWN = 10
RUNNING_SHOWN = 10


@dataclass(frozen=True)
class Attention:
    """Experiment lines for a page.

    Attributes:
        needing: those needing a decision, oldest first, at most ``NEEDING_SHOWN``.
        running: the others, oldest first, at most ``RUNNING_SHOWN``.
        needing_total, running_total: how many there are in all.
    """

    needing: list[ExperimentLine]
    running: list[ExperimentLine]
    needing_total: int
    running_total: int

    @property
    def more_needing(self) -> int:
        return self.needing_total - len(self.needing)

    @property
    def more_running(self) -> int:
        return self.running_total - len(self.running)


def experiment_attention(
    *,
    session: Session,
    today: date,
    names: dict[int | None, str],
    needing_shown: int = NEEDING_SHOWN,
    running_shown: int = RUNNING_SHOWN,
) -> Attention:
    light = session.exec(
        select(
            Experiment.id,
            Experiment.status,
            Experiment.planned_total,
            Experiment.observed_total,
            Experiment.started_on,
            Experiment.weekly_volume,
            Experiment.latest_result_set_id,
        )
        .where(
            col(Experiment.deleted_at).is_(None),
            col(Experiment.status).in_([ExperimentStatus.running, ExperimentStatus.stopped]),
        )
        .order_by(col(Experiment.started_on), col(Experiment.id))
    ).all()
    set_ids = [row[6] for row in light if row[6]]
    codes: dict[Any, set[str | None]] = (
        {
            result_set_id: {warning.get("code") for warning in warnings or []}
            for result_set_id, warnings in session.exec(
                select(Analysis.result_set_id, Analysis.warnings).where(
                    col(Analysis.result_set_id).in_(set_ids), Analysis.is_primary
                )
            ).all()
        }
        if set_ids
        else {}
    )
    needing_ids: list[int] = []
    running_ids: list[int] = []
    for experiment_id, status, planned, observed, started, volume, result_set_id in light:
        reasons = reasons_for(
            status=ExperimentStatus(status),
            planned_total=planned,
            observed_total=observed or 0.0,
            started_on=started,
            weekly_volume=volume,
            warning_codes=codes.get(result_set_id, set()),
            today=today,
        )
        (needing_ids if reasons else running_ids).append(experiment_id or 0)
    shown = needing_ids[:needing_shown] + running_ids[:running_shown]
    lines = _full_lines(session, shown, names=names, today=today)
    return Attention(
        needing=[lines[i] for i in needing_ids[:needing_shown]],
        running=[lines[i] for i in running_ids[:running_shown]],
        needing_total=len(needing_ids),
        running_total=len(running_ids),
    )


def _full_lines(
    session: Session, ids: list[int], *, names: dict[int | None, str], today: date
) -> dict[int, ExperimentLine]:
    if not ids:
        return {}
    rows = session.exec(
        select(Experiment, Metric.name)
        .join(Metric, col(Metric.id) == Experiment.primary_metric_id)
        .where(col(Experiment.id).in_(ids))
    ).all()
    set_ids = [e.latest_result_set_id for e, _ in rows if e.latest_result_set_id]
    analyses = (
        {
            a.result_set_id: a
            for a in session.exec(
                select(Analysis).where(
                    col(Analysis.result_set_id).in_(set_ids), Analysis.is_primary
                )
            ).all()
        }
        if set_ids
        else {}
    )
    lines = {}
    for experiment, metric_name in rows:
        line = experiment_line(
            experiment,
            metric_name=metric_name,
            names=names,
            analysis=analyses.get(experiment.latest_result_set_id),
            today=today,
        )
        lines[experiment.id or 0] = line
    return lines
