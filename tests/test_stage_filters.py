"""Stages and processes where people look for them: shown on hypotheses and
experiments, and filters of the backlog, the experiments board and the learnings."""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskCliRunner
from sqlmodel import select

from tracker.models import Experiment, Hypothesis, Learning, LearningExperiment, Metric, Stage, User


@pytest.fixture
def demo(runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch, client, db) -> None:
    monkeypatch.setenv("TRACKER_DEMO_PASSWORD", "demo password 9")
    assert runner.invoke(args=["demo"]).exit_code == 0
    admin = db.exec(select(User).where(User.email == "demo@revloop.local")).one()
    client.post("/sign-in", data={"email": admin.email, "password": "demo password 9"})


def _stage_of(db, metric_id):
    metric = db.get(Metric, metric_id)
    return db.get(Stage, metric.stage_id) if metric and metric.stage_id else None


def test_the_backlog_filters_by_stage_and_shows_it(demo, client, db):
    hypothesis = db.exec(select(Hypothesis).where(Hypothesis.metric_id.is_not(None))).first()
    stage = _stage_of(db, hypothesis.metric_id)
    page = client.get(f"/backlog/?stage={stage.id}&per_page=100").get_data(as_text=True)
    in_stage = {m.id for m in db.exec(select(Metric).where(Metric.stage_id == stage.id))}
    for other in db.exec(select(Hypothesis).where(Hypothesis.deleted_at.is_(None))).all():
        shown = f">{other.title}<" in page
        if shown:
            assert other.metric_id in in_stage, other.title
    assert html.escape(hypothesis.title, quote=False) in page
    assert f'<option value="{stage.id}" dir="auto" selected>' in page
    detail = client.get(f"/backlog/{hypothesis.id}").get_data(as_text=True)
    assert stage.name in detail


def test_the_board_filters_by_stage_and_process_and_shows_the_stage(demo, client, db):
    experiment = db.exec(
        select(Experiment).where(Experiment.title == "Lead routing by territory")
    ).one()
    stage = _stage_of(db, experiment.primary_metric_id)
    page = client.get(f"/experiments/?stage={stage.id}").get_data(as_text=True)
    assert experiment.title in page
    assert "Shorter demo-request form" not in page  # a Marketing awareness test
    assert stage.name in page
    detail = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert f'<dt>Stage</dt><dd dir="auto">{stage.name}</dd>' in detail  # typed: own direction
    hypothesis = db.get(Hypothesis, experiment.hypothesis_id)
    if hypothesis.process_id:
        by_process = client.get(f"/experiments/?process={hypothesis.process_id}")
        assert experiment.title in by_process.get_data(as_text=True)
    nowhere = client.get("/experiments/?process=99999").get_data(as_text=True)
    assert experiment.title not in nowhere


def test_the_learnings_filter_by_stage(demo, client, db):
    link = db.exec(select(LearningExperiment)).first()
    learning = db.get(Learning, link.learning_id)
    experiment = db.get(Experiment, link.experiment_id)
    stage = _stage_of(db, experiment.primary_metric_id)
    page = client.get(f"/learnings/?stage={stage.id}").get_data(as_text=True)
    assert learning.text[:40] in page
    nowhere = client.get("/learnings/?process=99999").get_data(as_text=True)
    assert learning.text[:40] not in nowhere
