"""The demo experiments: every status, stored analyses, learnings, loaded once."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from sqlmodel import select

from tracker.demo_data.experiments import load_experiments
from tracker.demo_data.metrics import load_metrics
from tracker.models import Analysis, Arm, LearningExperiment, Role


def test_demo_experiments(db, accounts, client):
    owner = accounts.make(Role.editor, name="Dana Demo")
    rng = random.Random(7)
    metrics = load_metrics(db, rng=rng, today=date(2025, 3, 12), entered_by_id=owner.id)
    experiments = load_experiments(
        db, rng=rng, today=date(2025, 3, 12), metrics=metrics, users=[owner]
    )
    db.commit()
    statuses = Counter(e.status.value for e in experiments)
    assert statuses == {"decided": 7, "running": 2, "stopped": 1, "draft": 1}
    outcomes = Counter(e.outcome.value for e in experiments if e.outcome)
    assert outcomes == {"won": 3, "lost": 2, "inconclusive": 2}
    latest = {e.latest_result_set_id for e in experiments} - {None}
    primaries = db.exec(
        select(Analysis).where(Analysis.result_set_id.in_(latest), Analysis.is_primary)
    ).all()
    codes = {code for a in primaries for code in (w["code"] for w in a.warnings)}
    assert {"srm", "preliminary", "multiple_variants"} <= codes
    assert all(a.chart_svg.startswith("<svg") for a in primaries)
    three = next(e for e in experiments if e.title.startswith("Three subject lines"))
    assert [a.name for a in db.exec(select(Arm).where(Arm.experiment_id == three.id))] == [
        "Control",
        "B",
        "C",
        "D",
    ]
    assert len(db.exec(select(LearningExperiment)).all()) == 7
    again = load_experiments(
        db, rng=random.Random(7), today=date(2025, 3, 12), metrics=metrics, users=[owner]
    )
    assert sorted(e.id for e in again) == sorted(e.id for e in experiments)
    accounts.sign_in(client, owner)
    for experiment in experiments:
        assert client.get(f"/experiments/{experiment.id}").status_code == 200
    board = client.get("/experiments/").get_data(as_text=True)
    assert "Same-day callback for inbound leads" in board
