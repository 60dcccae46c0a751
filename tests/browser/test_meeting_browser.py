"""A whole weekly review meeting in a real browser: walk the agenda, decide an
experiment, finish an action, add two actions and a learning, save, close the
cycle and find the open items in the new week."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from experiments.cycles import ActionStatus, IsoWeek
from tracker.cycles.service import open_cycle, team_today
from tracker.database import get_engine
from tracker.models import (
    ActionItem,
    Arm,
    Cycle,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Learning,
    Metric,
    MetricKind,
    Role,
    User,
)


def arrange(app: Any) -> dict[str, Any]:
    with Session(get_engine(app), expire_on_commit=False) as session:
        lead = User(
            email="lead@example.com", display_name="Lena Lead", role=Role.editor, password_hash=""
        )
        lead.set_password("a long passphrase")
        session.add(lead)
        metric = Metric(name="Win rate", area_id=2, stage_id=3, kind=MetricKind.proportion)
        session.add(metric)
        session.flush()
        hypothesis = Hypothesis(
            title="Same-day callback",
            change="Call back the same day",
            area_id=2,
            metric_id=metric.id,
        )
        session.add(hypothesis)
        session.flush()
        experiment = Experiment(
            title="Same-day callback for inbound leads",
            hypothesis_id=hypothesis.id,
            primary_metric_id=metric.id,
            status=ExperimentStatus.running,
            planned_control=400,
            planned_variant=400,
            planned_total=800,
            observed_total=900,
            started_on=date.today() - timedelta(days=21),
        )
        session.add(experiment)
        session.flush()
        session.add_all(
            [
                Arm(experiment_id=experiment.id, name="control", share=0.5, is_control=True),
                Arm(experiment_id=experiment.id, name="B", share=0.5, position=1),
            ]
        )
        cycle = open_cycle(session=session, today=team_today(session))
        session.flush()
        done_item = ActionItem(
            title="Brief the SDR team",
            cycle_id=cycle.id,
            first_cycle_id=cycle.id,
            due_week=cycle.iso_week,
        )
        open_item = ActionItem(
            title="Fix the lead-source field",
            cycle_id=cycle.id,
            first_cycle_id=cycle.id,
            due_week=cycle.iso_week,
            carried_count=2,
        )
        session.add_all([done_item, open_item])
        session.commit()
        return {
            "week": cycle.iso_week,
            "experiment": experiment.id,
            "done": done_item.id,
            "open": open_item.id,
        }


def test_hold_a_whole_weekly_meeting(live_server: Any, page: Any) -> None:
    ids = arrange(live_server.app)
    page.goto(live_server.url + "/sign-in")
    page.fill("input[name=email]", "lead@example.com")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.click("nav.mainnav >> text=This week")
    page.wait_for_url("**/week")
    assert page.locator("h1").inner_text().startswith(ids["week"])

    # walk the agenda with its links
    for anchor in ("#metrics", "#decide", "#running", "#actions", "#next", "#plan"):
        page.click(f'.agenda-nav a[href="{anchor}"]')
    card = page.locator(".decision-card", has_text="Same-day callback for inbound leads")
    assert "Reached its planned sample size" in card.inner_text()
    card.locator("select[name$=outcome]").select_option("won")
    card.locator("select[name$=action]").select_option("ship")
    card.locator("textarea[name$=rationale]").fill("Lift held for three weeks.")

    row = page.locator("tr", has_text="Brief the SDR team")
    row.locator("select").select_option("done")

    page.fill("input[name='new_actions-0-title']", "Roll callbacks out to every SDR")
    page.select_option("select[name='new_actions-0-owner_id']", label="Lena Lead")
    page.fill("input[name='new_actions-1-title']", "Add a callback-time field to the CRM")
    page.click("text=Add another action")  # JavaScript adds a fourth row in place
    assert page.locator("input[name='new_actions-3-title']").count() == 1
    page.fill("textarea[name='new_learnings-0-text']", "Speed to lead beats script polish.")
    page.fill("input[name='new_learnings-0-tags']", "speed, sales")

    with page.expect_navigation():
        page.click("input[type=submit][value='Save the meeting']")
    assert "Meeting saved: 1 decision, 1 action update, 2 new action items, 1 learning." in (
        page.locator(".flashes").inner_text()
    )

    # close the cycle from the page
    page.click(f"summary:has-text('Close {ids['week']}')")
    with page.expect_navigation():
        page.click("button:has-text('Close the cycle')")
    following = str(IsoWeek.parse(ids["week"]).next())
    assert f"Welcome to {following}" in page.locator(".flashes").inner_text()
    assert page.locator("h1").inner_text().startswith(following)
    actions = page.locator("#actions").inner_text()
    assert "Fix the lead-source field" in actions and "STUCK" in actions.upper()
    assert "Roll callbacks out to every SDR" in actions
    assert "Add a callback-time field to the CRM" in actions
    assert "Brief the SDR team" not in actions

    with Session(get_engine(live_server.app)) as session:
        experiment = session.get(Experiment, ids["experiment"])
        assert experiment.status == ExperimentStatus.decided
        assert session.get(ActionItem, ids["done"]).status == ActionStatus.done
        assert session.get(ActionItem, ids["open"]).carried_count == 3
        assert session.exec(select(Learning)).one().tags == "speed, sales"


def sign_in_lead(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/sign-in")
    page.fill("input[name=email]", "lead@example.com")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_close_the_cycle_on_a_phone_saves_every_section_first(live_server: Any, page: Any) -> None:
    ids = arrange(live_server.app)
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in_lead(live_server, page)
    page.goto(live_server.url + "/week")
    # 1 decide
    card = page.locator(".decision-card", has_text="Same-day callback for inbound leads")
    card.locator("select[name$=outcome]").select_option("won")
    card.locator("select[name$=action]").select_option("ship")
    card.locator("textarea[name$=rationale]").fill("Lift held for three weeks.")
    # 4 actions
    page.locator("tr", has_text="Brief the SDR team").locator("select").select_option("done")
    # 6 plan: an action, a learning, the meeting
    page.fill("input[name='new_actions-0-title']", "Roll callbacks out to every SDR")
    page.fill("textarea[name='new_learnings-0-text']", "Speed to lead beats script polish.")
    page.fill("input[name=attendees]", "Lena, Omar")
    page.fill("textarea[name=notes]", "Typed, never saved by hand.")
    # close straight away: no "Save the meeting" first
    page.click(f"summary:has-text('Close {ids['week']}')")
    with page.expect_navigation():
        page.click("button[name=close_cycle], input[name=close_cycle]")
    following = str(IsoWeek.parse(ids["week"]).next())
    flashes = page.locator(".flashes").inner_text()
    assert "Meeting saved: 1 decision, 1 action update, 1 new action item, 1 learning." in flashes
    assert f"Welcome to {following}" in flashes
    actions = page.locator("#actions").inner_text()
    assert "Roll callbacks out to every SDR" in actions and "Fix the lead-source field" in actions
    assert "Brief the SDR team" not in actions

    with Session(get_engine(live_server.app)) as session:
        closed = session.exec(select(Cycle).where(Cycle.iso_week == ids["week"])).one()
        assert closed.phase == "closed" and closed.notes == "Typed, never saved by hand."
        assert closed.attendees == "Lena, Omar"
        assert session.get(Experiment, ids["experiment"]).status == ExperimentStatus.decided
        assert session.get(ActionItem, ids["open"]).carried_count == 3
        learning = session.exec(select(Learning)).one()
        assert learning.text == "Speed to lead beats script polish."


def test_leaving_the_meeting_with_unsaved_typing_asks_first(live_server: Any, page: Any) -> None:
    arrange(live_server.app)
    sign_in_lead(live_server, page)
    page.goto(live_server.url + "/week")
    page.click("input[name='new_actions-0-title']")
    page.keyboard.type("Half-typed action")
    dialogs: list[str] = []

    def stay(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.click("nav.mainnav >> text=Backlog", no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/week")
    assert page.input_value("input[name='new_actions-0-title']") == "Half-typed action"
    page.remove_listener("dialog", stay)
    # saving clears the warning: the next page opens without a question
    with page.expect_navigation():
        page.click("input[type=submit][value='Save the meeting']")
    page.on("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.accept())
    page.click("nav.mainnav >> text=Backlog")
    page.wait_for_url("**/backlog/**")
    assert dialogs == ["beforeunload"]
