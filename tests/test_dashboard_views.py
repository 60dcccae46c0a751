"""Dashboards by audience: the switch is remembered per person, each view
shows what its reader needs, and the health tiles count honestly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from experiments.cycles import IsoWeek
from tests.test_insights import make_history
from tracker.dashboard.health import loop_health
from tracker.models import Analysis, Experiment, Outcome, Role, TeamSettings, User


def test_the_view_switch_is_remembered_per_person(app, client, db, signed_in, accounts):
    user = signed_in(Role.editor)
    assert "Dashboard · My week" in client.get("/").get_data(as_text=True)
    response = client.post("/dashboard/view", data={"view": "executive"})
    assert response.status_code == 302
    assert "Dashboard · Executive" in client.get("/").get_data(as_text=True)
    db.expire_all()
    assert db.get(User, user.id).dashboard_view == "executive"
    # another editor still starts on their own week
    other = app.test_client()
    accounts.sign_in(other, accounts.make(Role.editor))
    assert "Dashboard · My week" in other.get("/").get_data(as_text=True)


def test_an_unknown_view_is_refused_with_a_message(client, signed_in):
    signed_in(Role.viewer)
    response = client.post("/dashboard/view", data={"view": "boardroom"}, follow_redirects=True)
    assert "Choose one of the views" in response.get_data(as_text=True)
    assert "Dashboard · Executive" in response.get_data(as_text=True)


def test_the_executive_tiles_say_what_they_count_and_hold_the_targets(client, db, signed_in):
    signed_in(Role.viewer)
    settings = db.get(TeamSettings, 1)
    settings.target_win_rate = 0.5
    db.commit()
    page = client.get("/").get_data(as_text=True)
    assert "per week, last 12 weeks" in page
    assert "per cycle, last 12 weeks" in page
    assert "target 50%" in page


def _decided_in_window(db, count):
    make_history(db, count)
    week = IsoWeek.containing(datetime.now(UTC).date())
    for index, experiment in enumerate(db.exec(select(Experiment)).all()):
        experiment.decided_at = datetime.combine(
            week.monday, datetime.min.time(), tzinfo=UTC
        ) - timedelta(days=index % 30)
    db.commit()


def test_a_win_flagged_for_a_sample_ratio_mismatch_is_not_counted(db):
    _decided_in_window(db, 10)
    week = IsoWeek.containing(datetime.now(UTC).date())
    before = loop_health(session=db, current_week=week)
    flagged = db.exec(select(Experiment).where(Experiment.outcome == Outcome.won)).first()
    analysis = db.exec(
        select(Analysis).where(Analysis.result_set_id == flagged.latest_result_set_id)
    ).one()
    analysis.warnings = [{"code": "srm", "message": "The split is off."}]
    db.commit()
    after = loop_health(session=db, current_week=week)
    assert after.decided_total == before.decided_total
    assert after.won == before.won - 1


@pytest.mark.parametrize("view", ["my_week", "area", "executive"])
def test_each_view_runs_a_fixed_number_of_queries(client, db, signed_in, count_queries, view):
    signed_in(Role.admin)
    client.post("/dashboard/view", data={"view": view})
    _decided_in_window(db, 10)
    client.get("/")
    with count_queries() as few:
        assert client.get("/").status_code == 200
    make_history(db, 490, start=10)
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(few), (view, len(few), len(many))
