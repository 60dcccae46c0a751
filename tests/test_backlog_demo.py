"""The demo backlog: realistic, spread over the areas, the same each time, loaded once."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, select

from tracker.demo_data.backlog import load_backlog
from tracker.models import (
    Area,
    Change,
    Hypothesis,
    HypothesisStatus,
    Learning,
    Metric,
    MetricKind,
    Process,
    Role,
    User,
)

METRICS = (
    ("MQL to SQL conversion", "Marketing"),
    ("Visitor to lead conversion", "Marketing"),
    ("Cost per lead", "Marketing"),
    ("Win rate", "Sales"),
    ("Average deal size", "Sales"),
    ("Sales cycle length", "Sales"),
    ("Net revenue retention", "Service"),
    ("Escalations per 100 tickets", "Service"),
    ("First-contact resolution", "Service"),
    ("CSAT", "Service"),
    ("NPS", "Service"),
)


def load(db: Session, users: list[User]) -> list[Hypothesis]:
    areas = {area.name: area for area in db.exec(select(Area)).all()}
    metrics = {metric.name: metric for metric in db.exec(select(Metric)).all()}
    for name, area in METRICS:
        if name not in metrics:
            metrics[name] = Metric(name=name, area_id=areas[area].id, kind=MetricKind.proportion)
            db.add(metrics[name])
    db.flush()
    processes = {process.name: process for process in db.exec(select(Process)).all()}
    made = load_backlog(
        db,
        rng=random.Random(7),
        metrics=metrics,
        areas=areas,
        processes=processes,
        users=users,
    )
    db.commit()
    return made


def test_demo_backlog_is_realistic_and_loaded_once(
    db: Session, accounts: Any, client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    users = [accounts.make(Role.editor, name=name) for name in ("Maya", "Omar", "Sofia")]
    made = load(db, users)
    assert 12 <= len(made) <= 20
    assert {h.status for h in made} == {
        HypothesisStatus.backlog,
        HypothesisStatus.selected,
        HypothesisStatus.parked,
    }
    assert len({h.area_id for h in made}) == 3
    assert len({h.process_id for h in made}) == 8
    assert all(1 <= h.score <= 10 and h.metric_id and h.author_id for h in made)
    arabic = [h for h in made if "دراسة حالة من عميل في القطاع نفسه" in h.change]
    assert len(arabic) == 1 and arabic[0].rationale.startswith("لأن")
    assert len(db.exec(select(Learning)).all()) == 3
    creates = db.exec(select(Change).where(Change.action == "create")).all()
    assert len(creates) == len(made) + 3

    again = load(db, users)
    assert [h.id for h in again] == [h.id for h in made]
    assert len(db.exec(select(Hypothesis)).all()) == len(made)
    assert len(db.exec(select(Learning)).all()) == 3

    signed_in(Role.viewer)
    page = client.get("/backlog/").get_data(as_text=True)
    assert "Lead score on intent signals" in page and "ICE 7.3" in page
