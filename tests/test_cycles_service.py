"""The weekly loop's rules on a real database: opening, phases, closing and
carrying action items."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from experiments.cycles import ActionStatus, IsoWeek, Phase
from tracker.cycles.service import (
    CycleError,
    advance_phase,
    close_cycle,
    open_cycle,
    step_back,
)
from tracker.database import get_engine
from tracker.models import ActionItem, Change, Cycle

MONDAY_W48 = date(2026, 11, 23)


def add_item(
    db: Session,
    cycle: Cycle,
    title: str = "Fix lead routing",
    status: ActionStatus = ActionStatus.open,
) -> ActionItem:
    item = ActionItem(
        title=title,
        cycle_id=cycle.id,
        first_cycle_id=cycle.id,
        due_week=cycle.iso_week,
        status=status,
    )
    db.add(item)
    db.commit()
    return item


def test_the_current_week_cycle_exists_on_first_need(db: Session) -> None:
    cycle = open_cycle(session=db, today=date(2026, 11, 26))
    db.commit()
    assert cycle.iso_week == "2026-W48"
    assert cycle.starts_on == MONDAY_W48
    assert cycle.phase == Phase.analyse
    assert open_cycle(session=db, today=date(2026, 11, 27)).id == cycle.id


def test_phases_advance_in_order_and_stop_at_act(db: Session) -> None:
    cycle = open_cycle(session=db, today=MONDAY_W48)
    seen = [advance_phase(session=db, cycle=cycle, user_id=None) for _ in range(3)]
    assert seen == [Phase.review, Phase.respond, Phase.act]
    assert cycle.act_started_at is not None
    with pytest.raises(CycleError, match="close the cycle"):
        advance_phase(session=db, cycle=cycle, user_id=None)


def test_stepping_back_needs_a_note_which_is_kept(db: Session) -> None:
    cycle = open_cycle(session=db, today=MONDAY_W48)
    advance_phase(session=db, cycle=cycle, user_id=None)
    with pytest.raises(CycleError, match="Say why"):
        step_back(session=db, cycle=cycle, note="  ", user_id=None)
    assert step_back(session=db, cycle=cycle, note="Late CRM export", user_id=None) == (
        Phase.analyse
    )
    db.commit()
    reasons = db.exec(select(Change.reason).where(Change.entity == "cycle")).all()
    assert "Late CRM export" in reasons


def test_closing_carries_unfinished_items_and_counts_them(db: Session) -> None:
    cycle = open_cycle(session=db, today=MONDAY_W48)
    db.commit()
    open_item = add_item(db, cycle, "Open")
    busy = add_item(db, cycle, "Busy", ActionStatus.in_progress)
    done = add_item(db, cycle, "Done", ActionStatus.done)
    dropped = add_item(db, cycle, "Dropped", ActionStatus.dropped)
    result = close_cycle(session=db, cycle_id=cycle.id, today=date(2026, 11, 29), user_id=None)
    db.commit()
    assert result is not None
    assert (result.closed, result.current, result.carried) == ("2026-W48", "2026-W49", 2)
    new = db.exec(select(Cycle).where(Cycle.iso_week == "2026-W49")).one()
    for item in (open_item, busy, done, dropped):
        db.refresh(item)
    assert (open_item.cycle_id, open_item.carried_count) == (new.id, 1)
    assert (busy.cycle_id, busy.carried_count) == (new.id, 1)
    assert (done.cycle_id, done.carried_count) == (cycle.id, 0)
    assert (dropped.cycle_id, dropped.carried_count) == (cycle.id, 0)
    assert open_item.first_cycle_id == cycle.id


def test_closing_twice_does_nothing_the_second_time(db: Session) -> None:
    cycle = open_cycle(session=db, today=MONDAY_W48)
    db.commit()
    item = add_item(db, cycle)
    assert close_cycle(session=db, cycle_id=cycle.id, today=MONDAY_W48, user_id=None)
    db.commit()
    assert close_cycle(session=db, cycle_id=cycle.id, today=MONDAY_W48, user_id=None) is None
    db.commit()
    db.refresh(item)
    assert item.carried_count == 1
    assert len(db.exec(select(Cycle)).all()) == 2


def test_skipped_weeks_open_the_current_week(db: Session) -> None:
    cycle = open_cycle(session=db, today=date(2026, 10, 1))  # 2026-W40
    db.commit()
    result = close_cycle(session=db, cycle_id=cycle.id, today=date(2026, 11, 26), user_id=None)
    assert result is not None and result.current == "2026-W48"


def test_the_focus_chosen_for_next_week_carries_into_it(db: Session) -> None:
    cycle = open_cycle(session=db, today=MONDAY_W48)
    cycle.next_focus_area_id = 2
    db.commit()
    close_cycle(session=db, cycle_id=cycle.id, today=MONDAY_W48, user_id=None)
    db.commit()
    new = db.exec(select(Cycle).where(Cycle.iso_week == "2026-W49")).one()
    assert new.focus_area_id == 2


def test_closing_from_two_requests_at_once(app: object, db: Session) -> None:
    """Two sessions race to close the same cycle: one new cycle, each item carried once."""
    cycle = open_cycle(session=db, today=MONDAY_W48)
    db.commit()
    items = [add_item(db, cycle, f"Item {n}") for n in range(5)]
    engine = get_engine(app)  # type: ignore[arg-type]
    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
        pytest.skip(
            "in-memory SQLite has one shared connection; the file and PostgreSQL "
            "runs cover the race"
        )
    barrier = threading.Barrier(2)
    results: list[object] = []
    errors: list[BaseException] = []

    def close() -> None:
        try:
            with Session(engine) as session:
                barrier.wait(timeout=10)
                results.append(
                    close_cycle(session=session, cycle_id=cycle.id, today=MONDAY_W48, user_id=None)
                )
                session.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(r is None for r in results) == [False, True]
    assert len(db.exec(select(Cycle)).all()) == 2
    for item in items:
        db.refresh(item)
        assert item.carried_count == 1


class TestRaceOnAFileDatabase:
    """The race again on a SQLite file, where connections really are separate."""

    @pytest.fixture
    def app_config(self, app_config: dict[str, object], tmp_path: object) -> dict[str, object]:
        from tests.conftest import TEST_DATABASE_URL

        if TEST_DATABASE_URL != "sqlite://":
            return app_config
        return {**app_config, "DATABASE_URL": f"sqlite:///{tmp_path}/race.sqlite"}

    def test_closing_from_two_requests_at_once(self, app: object, db: Session) -> None:
        test_closing_from_two_requests_at_once(app, db)


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 0)),
        st.tuples(st.just("finish"), st.integers(0, 50)),
        st.tuples(st.just("drop"), st.integers(0, 50)),
        st.tuples(st.just("start"), st.integers(0, 50)),
        st.tuples(st.just("close"), st.integers(0, 0)),
    ),
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ACTIONS)
def test_no_item_is_ever_lost_or_duplicated(app: object, actions: list[tuple[str, int]]) -> None:
    from tests.conftest import reset_schema

    engine = get_engine(app)  # type: ignore[arg-type]
    reset_schema(engine)
    lives: dict[int, int] = {}  # item id -> closes lived through while unfinished
    today = MONDAY_W48
    with Session(engine) as db:
        open_cycle(session=db, today=today)
        db.commit()
        for action, pick in actions:
            items = db.exec(select(ActionItem).order_by(ActionItem.id)).all()
            unfinished = [i for i in items if not ActionStatus(i.status).finished]
            if action == "create":
                item = add_item(db, open_cycle(session=db, today=today))
                lives[item.id] = 0
            elif action == "close":
                current = open_cycle(session=db, today=today)
                close_cycle(session=db, cycle_id=current.id, today=today, user_id=None)
                db.commit()
                for item in unfinished:
                    lives[item.id] += 1
                today = IsoWeek.containing(today).next().monday
            elif unfinished:
                item = unfinished[pick % len(unfinished)]
                item.status = {
                    "finish": ActionStatus.done,
                    "drop": ActionStatus.dropped,
                    "start": ActionStatus.in_progress,
                }[action]
                db.commit()
        items = db.exec(select(ActionItem)).all()
        assert sorted(i.id for i in items) == sorted(lives)
        open_cycles = db.exec(select(Cycle).where(Cycle.phase != Phase.closed)).all()
        assert len(open_cycles) == 1
        for item in items:
            assert item.carried_count == lives[item.id]
            if not ActionStatus(item.status).finished:
                assert item.cycle_id == open_cycles[0].id


def test_cycle_commands(runner: Any, db: Session) -> None:
    opened = runner.invoke(args=["cycle", "open"])
    assert opened.exit_code == 0, opened.output
    week = IsoWeek.containing(date.today())
    assert f"{week} is open, in the analyse phase." in opened.output
    cycle = db.exec(select(Cycle)).one()
    add_item(db, cycle)
    closed = runner.invoke(args=["cycle", "close"])
    assert closed.exit_code == 0, closed.output
    assert f"Closing {week}…" in closed.output
    assert f"Closed {week}; {week.next()} is open; 1 action item carried." in closed.output
    again = runner.invoke(args=["cycle", "close", "--week", str(week)])
    assert again.exit_code == 1
    assert f"That cycle was already closed: {week} is not open" in again.output
