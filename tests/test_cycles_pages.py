"""The This week page (the review meeting), phases, closing, history and My actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from experiments.cycles import ActionStatus, IsoWeek, Phase
from tracker.cycles.service import open_cycle, team_today
from tracker.models import (
    ActionItem,
    Arm,
    Cycle,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    HypothesisStatus,
    Learning,
    Metric,
    MetricKind,
    Reading,
    ReviewRecord,
    Role,
    User,
)


@pytest.fixture
def cycle(db: Session) -> Cycle:
    current = open_cycle(session=db, today=team_today(db))
    db.commit()
    return current


def add_action(
    db: Session, cycle: Cycle, title: str, *, carried: int = 0, owner: User | None = None
) -> ActionItem:
    item = ActionItem(
        title=title,
        cycle_id=cycle.id,
        first_cycle_id=cycle.id,
        due_week=cycle.iso_week,
        carried_count=carried,
        owner_id=owner.id if owner else None,
    )
    db.add(item)
    db.commit()
    return item


def add_experiment(
    db: Session, *, title: str = "Shorter demo form", observed: float = 1200, planned: int = 1000
) -> Experiment:
    metric = db.exec(select(Metric)).first()
    if metric is None:
        metric = Metric(
            name="Visitor to lead conversion", area_id=1, stage_id=1, kind=MetricKind.proportion
        )
        db.add(metric)
        db.flush()
    hypothesis = Hypothesis(
        title=title,
        change="Shorten the form",
        area_id=1,
        metric_id=metric.id,
        status=HypothesisStatus.testing,
    )
    db.add(hypothesis)
    db.flush()
    experiment = Experiment(
        title=title,
        hypothesis_id=hypothesis.id,
        primary_metric_id=metric.id,
        status=ExperimentStatus.running,
        planned_control=planned // 2,
        planned_variant=planned // 2,
        planned_total=planned,
        observed_total=observed,
        started_on=date.today() - timedelta(days=14),
    )
    db.add(experiment)
    db.flush()
    db.add_all(
        [
            Arm(experiment_id=experiment.id, name="control", share=0.5, is_control=True),
            Arm(experiment_id=experiment.id, name="B", share=0.5, position=1),
        ]
    )
    db.commit()
    return experiment


def meeting_data(page_form: dict[str, str], **extra: str) -> dict[str, str]:
    return {**page_form, **extra}


def form_fields(html: str) -> dict[str, str]:
    """The values the page's meeting form would post as it stands."""
    import re

    form = html[html.index('id="meeting"') : html.index("</form>", html.index('id="meeting"'))]
    fields: dict[str, str] = {}
    for match in re.finditer(r"<input([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        if "name" not in attrs or attrs.get("type") == "submit":
            continue
        if attrs.get("type") == "checkbox":
            if "checked" in match.group(1):
                fields[attrs["name"]] = attrs.get("value", "y")
            continue
        fields[attrs["name"]] = attrs.get("value", "")
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(
            r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', match.group(2)
        )
        first = re.search(r'<option[^>]*value="([^"]*)"', match.group(2))
        value = (
            (chosen.group(1) or chosen.group(2)) if chosen else (first.group(1) if first else "")
        )
        fields[match.group(1)] = value
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[match.group(1)] = match.group(2).strip()
    return fields


def test_this_week_opens_the_current_cycle_and_shows_the_agenda(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    page = client.get("/week").get_data(as_text=True)
    week = str(IsoWeek.containing(date.today()))
    assert week in page
    for heading in (
        "Metrics since last week",
        "Experiments needing a decision",
        "Running experiments",
        "Last week's actions",
        "Next",
        "Response plan",
    ):
        assert heading in page
    assert db.exec(select(Cycle)).one().iso_week == week
    # a viewer sees the agenda but no save button
    assert "Save the meeting" not in page


def test_metrics_show_their_change_and_whether_it_is_beyond_noise(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.viewer)
    metric = Metric(name="Win rate", area_id=2, stage_id=3, kind=MetricKind.proportion)
    db.add(metric)
    db.flush()
    monday = IsoWeek.parse(cycle.iso_week).monday
    for weeks_ago, won in ((2, 100), (1, 180)):
        start = monday - timedelta(days=7 * weeks_ago)
        db.add(
            Reading(
                metric_id=metric.id,
                period_start=start,
                period_end=start + timedelta(6),
                successes=won,
                trials=600,
            )
        )
    db.commit()
    page = client.get("/week").get_data(as_text=True)
    assert "Win rate" in page and "30.0%" in page
    assert "beyond noise" in page
    assert 'class="sparkline"' in page


def test_a_whole_meeting_is_saved_with_one_submit(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    lead = signed_in(Role.editor)
    experiment = add_experiment(db)
    stuck = add_action(db, cycle, "Clean the lead-source field", carried=3, owner=lead)
    fresh = add_action(db, cycle, "Brief the SDRs")
    hypothesis = Hypothesis(
        title="Add a case study", change="x", area_id=cycle.focus_area_id, score=8.0
    )
    db.add(hypothesis)
    db.commit()
    page = client.get("/week").get_data(as_text=True)
    assert page.index("Clean the lead-source field") < page.index("Brief the SDRs")
    assert "Stuck" in page
    assert "Reached its planned sample size" in page
    data = form_fields(page)
    data.update(
        {
            "decisions-0-outcome": "won",
            "decisions-0-action": "ship",
            "decisions-0-rationale": "Clear lift, no guardrail moved.",
            "actions-0-status": "done",
            "selections-0-selected": "y",
            "next_focus_area_id": "2",
            "new_actions-0-title": "Roll the short form out to every landing page",
            "new_actions-0-owner_id": str(lead.id),
            "new_actions-0-due_week": "2099-W02",
            "new_actions-1-title": "Tell sales about the change",
            "new_learnings-0-text": "Fewer fields beat more qualification on the form.",
            "new_learnings-0-tags": "Forms, Conversion",
            "new_learnings-0-experiment_id": str(experiment.id),
            "attendees": "Maya, Omar",
        }
    )
    response = client.post("/week", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert "Meeting saved: 1 decision, 1 action update, 2 new action items, 1 learning." in (
        client.get("/week").get_data(as_text=True)
    )
    db.expire_all()
    assert db.get(Experiment, experiment.id).status == ExperimentStatus.decided
    assert db.get(ActionItem, stuck.id).status == ActionStatus.done
    assert db.get(ActionItem, fresh.id).status == ActionStatus.open
    assert db.get(Hypothesis, hypothesis.id).status == HypothesisStatus.selected
    new = db.exec(select(ActionItem).where(ActionItem.title.startswith("Roll"))).one()
    assert (new.owner_id, new.due_week, new.cycle_id) == (lead.id, "2099-W02", cycle.id)
    learning = db.exec(select(Learning)).one()
    assert learning.tags == "forms, conversion"
    saved_cycle = db.get(Cycle, cycle.id)
    assert saved_cycle.next_focus_area_id == 2 and saved_cycle.attendees == "Maya, Omar"
    kinds = sorted(r.kind for r in db.exec(select(ReviewRecord)).all())
    assert kinds == ["action", "action", "action_status", "decision", "learning", "selection"]


def test_a_failed_meeting_keeps_every_entry_and_saves_nothing(
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
            "decisions-0-rationale": "",  # missing, and the decision is early
            "new_actions-0-title": "Keep this <b>typed</b> text",
            "new_actions-0-due_week": "next tuesday",
            "new_learnings-0-text": "A learning that must survive",
        }
    )
    response = client.post("/week", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Say why, in a sentence" in page
    assert "Write the week like 2026-W49." in page
    assert "Keep this &lt;b&gt;typed&lt;/b&gt; text" in page
    assert "next tuesday" in page and "A learning that must survive" in page
    assert db.exec(select(ActionItem)).all() == []
    db.expire_all()
    assert db.get(Experiment, experiment.id).status == ExperimentStatus.stopped


def test_an_early_decision_needs_a_reason(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.editor)
    experiment = add_experiment(db, observed=300, planned=1000)
    experiment.status = ExperimentStatus.stopped
    db.commit()
    data = form_fields(client.get("/week").get_data(as_text=True))
    data.update(
        {
            "decisions-0-outcome": "inconclusive",
            "decisions-0-action": "iterate",
            "decisions-0-rationale": "Too little traffic.",
        }
    )
    page = client.post("/week", data=data).get_data(as_text=True)
    assert "The planned sample size is not reached yet: say why you decide early." in page
    data["decisions-0-early_reason"] = "The campaign ended."
    assert client.post("/week", data=data).status_code == 302
    db.expire_all()
    assert db.get(Experiment, experiment.id).early_decision_reason == "The campaign ended."


def test_two_people_saving_the_same_meeting_get_a_conflict(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.editor)
    data = form_fields(client.get("/week").get_data(as_text=True))
    assert client.post("/week", data={**data, "notes": "first"}).status_code == 302
    response = client.post("/week", data={**data, "notes": "second"})
    assert response.status_code == 422
    assert "Someone else saved this meeting" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Cycle, cycle.id).notes == "first"


def test_add_another_row_without_javascript_keeps_what_was_typed(
    client: FlaskClient, signed_in: Callable[[Role], User], cycle: Cycle
) -> None:
    signed_in(Role.editor)
    data = form_fields(client.get("/week").get_data(as_text=True))
    data.update({"new_actions-0-title": "Typed before adding a row", "add_action": "1"})
    page = client.post("/week", data=data).get_data(as_text=True)
    assert "Typed before adding a row" in page
    assert 'name="new_actions-3-title"' in page


def test_viewer_cannot_save_or_move_the_cycle(
    client: FlaskClient, signed_in: Callable[[Role], User], cycle: Cycle
) -> None:
    signed_in(Role.viewer)
    assert client.post("/week", data={}).status_code == 403
    assert client.post("/week/phase").status_code == 403
    assert client.post("/week/back", data={"note": "x"}).status_code == 403
    assert client.post("/week/close", data={"cycle_id": cycle.id}).status_code == 403
    assert client.post("/actions/1/status", data={"status": "done"}).status_code == 403


def test_phase_buttons_and_step_back_note(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.editor)
    client.post("/week/phase")
    db.expire_all()
    assert db.get(Cycle, cycle.id).phase == Phase.review
    response = client.post("/week/back", data={"note": ""}, follow_redirects=True)
    assert "Say why you are stepping back" in response.get_data(as_text=True)
    client.post("/week/back", data={"note": "Numbers were wrong"})
    db.expire_all()
    assert db.get(Cycle, cycle.id).phase == Phase.analyse


def test_close_from_the_page_carries_items_into_the_new_week(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle
) -> None:
    signed_in(Role.editor)
    add_action(db, cycle, "Unfinished item")
    response = client.post("/week/close", data={"cycle_id": cycle.id}, follow_redirects=True)
    page = response.get_data(as_text=True)
    following = str(IsoWeek.parse(cycle.iso_week).next())
    assert f"{cycle.iso_week} is closed. Welcome to {following}" in page
    assert "Unfinished item" in page and "×1" in page
    again = client.post("/week/close", data={"cycle_id": cycle.id}, follow_redirects=True)
    assert "That cycle was already closed." in again.get_data(as_text=True)
    history = client.get("/cycles").get_data(as_text=True)
    assert cycle.iso_week in history and following in history
    detail = client.get(f"/cycles/{cycle.iso_week}").get_data(as_text=True)
    assert "Unfinished item" in detail and "carried 1 time" in detail


def test_my_actions_lists_my_items_stuck_first_and_updates_status(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, cycle: Cycle, accounts: Any
) -> None:
    me = signed_in(Role.editor)
    other = accounts.make(Role.editor)
    add_action(db, cycle, "My fresh item", owner=me)
    stuck = add_action(db, cycle, "My stuck item", carried=4, owner=me)
    add_action(db, cycle, "Someone else's item", owner=other)
    page = client.get("/actions/mine").get_data(as_text=True)
    assert page.index("My stuck item") < page.index("My fresh item")
    assert "Someone else&#39;s item" not in page and "Someone else's item" not in page
    response = client.post(
        f"/actions/{stuck.id}/status",
        data={"status": "done", "version": stuck.version},
        follow_redirects=True,
    )
    assert "is now done" in response.get_data(as_text=True)
    assert "My stuck item" not in client.get("/actions/mine").get_data(as_text=True)
    stale = client.post(
        f"/actions/{stuck.id}/status", data={"status": "open", "version": 1}, follow_redirects=True
    )
    assert "changed by someone else" in stale.get_data(as_text=True)


def test_unknown_week_is_404(client: FlaskClient, signed_in: Callable[[Role], User]) -> None:
    signed_in(Role.viewer)
    assert client.get("/cycles/not-a-week").status_code == 404
    assert client.get("/cycles/2001-W05").status_code == 404


def make_history(db: Session, weeks: int) -> None:
    """``weeks`` closed cycles before the current one, each with two action items."""
    current = IsoWeek.containing(date.today())
    week = current
    for _ in range(weeks):
        week = week.previous()
        past = Cycle(iso_week=str(week), starts_on=week.monday, phase=Phase.closed, focus_area_id=1)
        db.add(past)
        db.flush()
        for n in range(2):
            db.add(
                ActionItem(
                    title=f"Item {n} of {week}",
                    cycle_id=past.id,
                    first_cycle_id=past.id,
                    due_week=str(week),
                    status=ActionStatus.done,
                )
            )
        db.add(ReviewRecord(cycle_id=past.id, kind="decision", summary="x"))
    db.commit()


@pytest.mark.parametrize("path", ["/week", "/cycles", "/actions/mine", "/"])
def test_pages_run_a_fixed_number_of_queries(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    count_queries: Any,
    path: str,
) -> None:
    signed_in(Role.editor)
    make_history(db, 10)
    client.get(path)  # the first visit may open the current cycle
    with count_queries() as few:
        assert client.get(path).status_code == 200
    make_history_more = 500 - 10
    db.exec(select(Cycle)).all()
    first = min(c.starts_on for c in db.exec(select(Cycle)).all())
    week = IsoWeek.containing(first)
    for _ in range(make_history_more):
        week = week.previous()
        db.add(Cycle(iso_week=str(week), starts_on=week.monday, phase=Phase.closed))
    db.commit()
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), (path, len(few), len(many))
