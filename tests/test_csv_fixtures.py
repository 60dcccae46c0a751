"""Metrics and a running experiment for the CSV tests."""

from __future__ import annotations

from sqlmodel import Session, select

from tracker.models import Area, Arm, Experiment, ExperimentStatus, Guardrail, Metric, MetricKind


def make_metrics(db: Session) -> dict[str, Metric]:
    area = db.exec(select(Area).where(Area.name == "Sales")).one()
    metrics = {
        "win": Metric(name="Win rate", area_id=area.id, kind=MetricKind.proportion),
        "deal": Metric(name="Average deal size", area_id=area.id, kind=MetricKind.mean),
        "esc": Metric(name="Escalations per 100 tickets", area_id=area.id, kind=MetricKind.rate),
        "ar": Metric(name="نسبة التحويل", area_id=area.id, kind=MetricKind.proportion),
    }
    db.add_all(metrics.values())
    db.commit()
    return metrics


def make_experiment(
    db: Session, metrics: dict[str, Metric], *, status: ExperimentStatus = ExperimentStatus.running
) -> Experiment:
    experiment = Experiment(
        title="Shorter demo-request form",
        primary_metric_id=metrics["win"].id,
        status=status,
        planned_control=2000,
        planned_variant=2000,
        planned_total=4000,
    )
    db.add(experiment)
    db.flush()
    db.add_all(
        [
            Arm(experiment_id=experiment.id, name="Control", share=0.5, is_control=True),
            Arm(experiment_id=experiment.id, name="Short form", share=0.5, position=1),
            Guardrail(experiment_id=experiment.id, metric_id=metrics["deal"].id),
        ]
    )
    db.commit()
    return experiment
