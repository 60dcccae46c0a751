"""Closing the cycle from the meeting page keeps what was typed, the carry
count only counts weeks an item was due, and the meeting date stays inside
the cycle (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from experiments.cycles import IsoWeek, Phase, carries_over, meeting_day
from tests.test_cycles_pages import add_action, add_experiment, form_fields
from tracker.cycles.service import close_cycle, open_cycle, team_today
from tracker.models import ActionItem, Cycle, Experiment, ExperimentStatus, Role, User


@pytest.fixture
def cycle(db: Session) -> Cycle:
    current = open_cycle(session=db, today=team_today(db))
    db.commit()
    return current


def test_close_the_cycle_saves_what_was_typed_then_closes(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.editor)
    add_action(db, cycle, "Unfinished item")
    page = client.get("/week").get_data(as_text=True)
    assert 'name="close_cycle"' in page and 'form="meeting"' in page
    data = form_fields(page)
    data.update(
        {
            "new_actions-0-title": "Typed but never saved",
            "notes": "We agreed to ship.",
            "close_cycle": "Close the cycle",
        }
    )
    response = client.post("/week", data=data, follow_redirects=True)
    text = response.get_data(as_text=True)
    following = str(IsoWeek.parse(cycle.iso_week).next())
    assert "Meeting saved: 1 new action item." in text
    assert f"{cycle.iso_week} is closed. Welcome to {following}" in text
    db.expire_all()
    closed = db.get(Cycle, cycle.id)
    assert closed.phase == Phase.closed and closed.notes == "We agreed to ship."
    typed = db.exec(select(ActionItem).where(ActionItem.title == "Typed but never saved")).one()
    now_open = db.exec(select(Cycle).where(Cycle.iso_week == following)).one()
    assert typed.cycle_id == now_open.id


def test_close_with_a_wrong_field_closes_nothing_and_keeps_the_typing(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.editor)
    experiment = add_experiment(db, observed=300, planned=1000)
    experiment.status = ExperimentStatus.stopped
    db.commit()
    data = form_fields(client.get("/week").get_data(as_text=True))
    data.update(
        {
            "decisions-0-outcome": "lost",
            "decisions-0-action": "abandon",
            "decisions-0-rationale": "Too slow.",  # early, and no reason given
            "new_learnings-0-text": "A learning that must survive",
            "close_cycle": "Close the cycle",
        }
    )
    response = client.post("/week", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The planned sample size is not reached yet: say why you decide early." in page
    assert "A learning that must survive" in page
    db.expire_all()
    assert db.get(Cycle, cycle.id).phase != Phase.closed
    assert db.get(Experiment, experiment.id).status == ExperimentStatus.stopped


def test_an_item_due_next_week_is_not_carried_when_this_week_closes(
    db: Session, cycle: Cycle
) -> None:
    later = str(IsoWeek.parse(cycle.iso_week).next())
    due_later = add_action(db, cycle, "Due next week")
    due_later.due_week = later
    due_now = add_action(db, cycle, "Due this week")
    db.commit()
    result = close_cycle(session=db, cycle_id=cycle.id, today=team_today(db), user_id=None)
    db.commit()
    assert result is not None and result.carried == 2
    db.expire_all()
    assert db.get(ActionItem, due_later.id).carried_count == 0
    assert db.get(ActionItem, due_now.id).carried_count == 1
    assert not carries_over(later, cycle.iso_week)


def test_the_meeting_date_defaults_to_a_day_of_the_cycle(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    today = team_today(db)
    old_week = IsoWeek.containing(today).previous().previous()
    db.add(Cycle(iso_week=str(old_week), starts_on=old_week.monday, phase=Phase.review))
    db.commit()
    page = client.get("/week").get_data(as_text=True)
    assert f'value="{old_week.sunday.isoformat()}"' in page
    assert f'value="{today.isoformat()}"' not in page
    assert meeting_day("2026-W48", date(2026, 11, 23)) == date(2026, 11, 23)
    assert meeting_day("2026-W48", date(2026, 12, 10)) == date(2026, 11, 29)


def test_no_field_points_at_a_missing_description(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.editor)
    experiment = add_experiment(db)
    add_action(db, cycle, "An item")
    pages = ("/week", "/backlog/new", "/metrics/new", "/areas/", f"/experiments/{experiment.id}")
    for path in (*pages, "/learnings/new"):
        page = client.get(path).get_data(as_text=True)
        assert 'aria-describedby="None"' not in page, path
        assert 'aria-describedby=""' not in page, path
