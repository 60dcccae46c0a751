"""The demo quarter and the dashboard that shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func
from sqlmodel import Session, select

from experiments.cycles import ActionStatus, Phase, is_stuck
from tracker.models import (
    ActionItem,
    Area,
    Cycle,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Learning,
    Metric,
    Outcome,
    Reading,
    Role,
    User,
)


@pytest.fixture
def demo(runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DEMO_PASSWORD", "demo password 9")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def counts(db: Session) -> dict[str, int]:
    return {
        model.__name__: db.exec(select(func.count()).select_from(model)).one()
        for model in (Metric, Reading, Hypothesis, Experiment, Learning, Cycle, ActionItem, User)
    }


def test_the_demo_is_a_realistic_quarter_loaded_once(
    demo: None, runner: FlaskCliRunner, db: Session
) -> None:
    first = counts(db)
    assert first["Metric"] == 12 and first["Reading"] == 144
    assert 20 <= first["Hypothesis"] <= 30
    assert 9 <= first["Experiment"] <= 12
    assert first["Cycle"] == 13
    cycles = db.exec(select(Cycle).order_by(Cycle.starts_on)).all()
    assert [c.phase for c in cycles[:-1]] == [Phase.closed] * 12
    assert cycles[-1].phase == Phase.review
    items = db.exec(select(ActionItem)).all()
    unfinished = [i for i in items if not ActionStatus(i.status).finished]
    assert sum(1 for i in unfinished if is_stuck(i.carried_count)) == 1
    assert all(i.cycle_id == cycles[-1].id for i in unfinished)
    assert any(i.status == ActionStatus.done and i.carried_count == 0 for i in items)
    assert any(i.status == ActionStatus.done and i.carried_count > 0 for i in items)
    outcomes = {e.outcome for e in db.exec(select(Experiment)).all()}
    assert {Outcome.won, Outcome.lost, Outcome.inconclusive} <= outcomes
    arabic = [h for h in db.exec(select(Hypothesis)).all() if "القطاع" in h.change]
    assert len(arabic) == 1
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    db.expire_all()
    assert counts(db) == first


def test_the_dashboard_shows_the_week_the_work_and_the_loop_health(
    demo: None, client: FlaskClient, db: Session
) -> None:
    admin = db.exec(select(User).where(User.email == "demo@revloop.local")).one()
    client.post("/sign-in", data={"email": admin.email, "password": "demo password 9"})
    page = client.get("/").get_data(as_text=True)  # an admin starts on "My week"
    week = db.exec(select(Cycle).where(Cycle.phase == Phase.review)).one().iso_week
    assert f'This week · <span dir="ltr">{week}</span>' in page  # the week reads left to right
    assert 'aria-current="step">Review' in page
    running = db.exec(select(Experiment).where(Experiment.status == ExperimentStatus.running)).all()
    for experiment in running:
        if experiment.owner_id == admin.id:
            assert experiment.title in page
    assert "Connect the billing system to the CRM" in page and "Stuck" in page
    client.post("/dashboard/view", data={"view": "executive"})
    page = client.get("/").get_data(as_text=True)
    decided = db.exec(select(Experiment).where(Experiment.status == ExperimentStatus.decided)).all()
    won = sum(1 for e in decided if e.outcome == Outcome.won)
    assert f"{won} won of {len(decided)} decided" in page
    assert f"{round(100 * won / len(decided))}%" in page
    sales = db.exec(select(Area).where(Area.name == "Sales")).one()
    client.post("/dashboard/view", data={"view": "area", "area_id": str(sales.id)})
    page = client.get("/").get_data(as_text=True)
    assert page.count('class="sparkline"') >= 3


def test_a_new_team_sees_an_empty_but_helpful_dashboard(
    app: Any, client: FlaskClient, signed_in: Callable[[Role], Any], accounts: Any
) -> None:
    signed_in(Role.viewer)
    page = client.get("/").get_data(as_text=True)  # a viewer starts on "Executive"
    assert "No metrics yet" in page
    assert "No shipped winner has a value yet" in page
    editor = accounts.make(Role.editor)
    other = app.test_client()
    accounts.sign_in(other, editor)
    page = other.get("/").get_data(as_text=True)  # an editor on "My week"
    assert "You own no running experiment" in page


def test_the_demo_quarter_retrospective_holds_its_experiments_and_the_arabic_hypothesis(
    demo: None, runner: FlaskCliRunner, db: Session, tmp_path: Any
) -> None:
    from tests.report_data import ReadPdf, has_words

    weeks = [c.iso_week for c in db.exec(select(Cycle).order_by(Cycle.starts_on)).all()]
    target = tmp_path / "quarter.pdf"
    result = runner.invoke(args=["retro", f"{weeks[0]}..{weeks[-1]}", "-o", str(target)])
    assert result.exit_code == 0, result.output
    pdf = ReadPdf(target)
    assert 8 <= pdf.page_count <= 40
    text = "\n".join(pdf.pages())
    for experiment in db.exec(select(Experiment).where(Experiment.started_on.is_not(None))):
        assert has_words(experiment.title, text), experiment.title
    arabic = next(h for h in db.exec(select(Hypothesis)).all() if "القطاع" in h.change)
    assert has_words(arabic.change, text)
