"""The rough edges a newcomer met on a walk through every page (issue 17):
figures, dates, defaults, rankings, exports and the ways in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from experiments.planning import too_long
from tests.test_experiments import make_hypothesis, make_metric
from tracker.cycles.service import close_cycle, open_cycle, team_today
from tracker.models import (
    Cycle,
    HypothesisStatus,
    Learning,
    PriorityModel,
    Reading,
    Role,
    TeamSettings,
    User,
)


@pytest.mark.parametrize("path", ["/login", "/signin", "/log-in", "/auth/login", "/user/login"])
def test_common_sign_in_addresses_lead_to_the_sign_in_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")
    kept = client.get(path + "?next=/week")
    assert kept.headers["Location"].endswith("/sign-in?next=/week")


def test_a_rate_metric_reads_per_its_unit_and_amounts_never_in_scientific_notation() -> None:
    from tracker.metrics.format import format_difference, format_estimate

    assert format_estimate(kind="rate", unit="per 100 tickets", value=0.03571) == (
        "3.57 per 100 tickets"
    )
    assert format_difference(kind="mean", unit="USD", value=-3050.2) == "−3,050 USD"
    assert format_difference(kind="mean", unit="USD", value=4330.0, low=False) == "+4,330 USD"
    assert "e+" not in format_difference(kind="mean", unit="USD", value=1.2e7)


def test_the_reading_form_offers_the_week_after_the_latest_reading(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db, "Win rate")
    today = date.today()
    last_monday = today - timedelta(days=today.weekday() + 7)
    db.add(
        Reading(
            metric_id=metric.id,
            period_start=last_monday,
            period_end=last_monday + timedelta(days=6),
            successes=20,
            trials=100,
        )
    )
    db.commit()
    page = client.get(f"/metrics/{metric.id}").get_data(as_text=True)
    this_monday = last_monday + timedelta(days=7)
    assert f'value="{this_monday.isoformat()}"' in page
    assert f'value="{last_monday.isoformat()}"' not in page


def test_the_backlog_opens_on_what_is_still_to_prioritise(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    metric = make_metric(db, "Win rate")
    waiting = make_hypothesis(db, metric)
    done = make_hypothesis(db, metric)
    waiting.title, done.title = "Still waiting", "Already validated"
    done.status, done.score = HypothesisStatus.validated, 9.9
    db.commit()
    page = client.get("/backlog/").get_data(as_text=True)
    assert "Still waiting" in page and "Already validated" not in page
    every = client.get("/backlog/?status=any").get_data(as_text=True)
    assert "Still waiting" in every and "Already validated" in every


def test_after_switching_to_rice_the_backlog_ranks_on_rice_alone(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    metric = make_metric(db, "Win rate")
    old = make_hypothesis(db, metric)
    new = make_hypothesis(db, metric)
    old.title, old.priority_model, old.score = "Scored with ICE", PriorityModel.ice, 9.0
    new.title, new.priority_model, new.score = "Scored with RICE", PriorityModel.rice, 4.0
    settings = db.get(TeamSettings, 1)
    settings.priority_model = PriorityModel.rice
    db.commit()
    page = client.get("/backlog/").get_data(as_text=True)
    assert page.index("Scored with RICE") < page.index("Scored with ICE")
    assert "needs scoring" in page
    # the meeting's "top of the backlog" ranks the same way, and says so
    old.area_id = new.area_id = metric.area_id
    db.commit()
    client.get("/week")  # opens the cycle
    cycle = db.exec(select(Cycle).where(Cycle.phase != "closed")).one()
    cycle.focus_area_id = metric.area_id
    db.commit()
    meeting = client.get("/week").get_data(as_text=True)
    assert meeting.index("Scored with RICE") < meeting.index("Scored with ICE")
    assert "needs scoring" in meeting and "ICE 9.0" not in meeting


def test_a_design_of_26_weeks_is_warned_about(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    metric = make_metric(db, "Win rate", readings=[{"successes": 10, "trials": 100}] * 4)
    answer = client.get(
        f"/experiments/plan?metric_id={metric.id}&baseline=10&mde=1&alpha=0.05"
        "&power=0.8&alternative=two-sided&share=0.5&share=0.5"
    ).get_json()
    assert answer["weeks"] > 26
    assert "longer than 8 weeks" in answer["long_note"]
    quick = client.get(
        f"/experiments/plan?metric_id={metric.id}&baseline=10&mde=10&alpha=0.05"
        "&power=0.8&alternative=two-sided&share=0.5&share=0.5"
    ).get_json()
    assert quick["long_note"] == ""
    assert too_long(26.0) and not too_long(4.0)


def test_the_cycles_list_counts_the_learnings_of_each_week(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    from datetime import UTC, datetime, time

    signed_in(Role.viewer)
    cycle = open_cycle(session=db, today=team_today(db))
    db.commit()
    monday = datetime.combine(cycle.starts_on, time(10), tzinfo=UTC)
    db.add_all([Learning(text=f"Learning {i}", created_at=monday) for i in range(3)])
    db.commit()
    page = client.get("/cycles").get_data(as_text=True)
    row = page[page.index(cycle.iso_week) :]
    row = row[: row.index("</tr>")]
    assert row.rstrip().endswith('data-label="Learnings"><span>3</span></td>')


def test_exports_of_the_catalogue_the_change_log_and_the_users(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    admin = signed_in(Role.admin)
    make_metric(db, "Win rate")
    for path, export in (
        ("/metrics/", "/export/metrics.csv"),
        ("/changes/", "/export/changes.csv"),
        ("/admin/users", "/export/users.csv"),
    ):
        assert f'href="{export}"' in client.get(path).get_data(as_text=True), path
        response = client.get(export)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        response.get_data()
    users = client.get("/export/users.csv").get_data(as_text=True)
    assert users.lstrip("\ufeff").splitlines()[0] == "id,name,email,role,active,created_at"
    assert admin.email in users
    assert "Win rate" in client.get("/export/metrics.csv").get_data(as_text=True)


def test_only_admins_export_the_users(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.editor)
    assert client.get("/export/users.csv").status_code == 403


def test_a_closed_cycle_carries_only_items_that_were_due(db: Session) -> None:
    from tests.test_cycles_pages import add_action

    cycle = open_cycle(session=db, today=team_today(db))
    db.commit()
    item = add_action(db, cycle, "Due next week")
    from experiments.cycles import IsoWeek

    item.due_week = str(IsoWeek.parse(cycle.iso_week).next())
    db.commit()
    close_cycle(session=db, cycle_id=cycle.id, today=team_today(db), user_id=None)
    db.commit()
    db.expire_all()
    assert db.exec(select(Cycle).where(Cycle.id == cycle.id)).one().phase == "closed"
    assert db.get(type(item), item.id).carried_count == 0


def test_demo_serve_uses_gunicorn_without_a_development_server_warning(
    runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.cli import serve

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setenv("TRACKER_DEMO_PASSWORD", "a demo passphrase")
    monkeypatch.setattr(serve, "run_gunicorn", lambda *args, **kw: calls.append((args, kw)))
    result = runner.invoke(args=["demo", "--serve", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert calls == [(("127.0.0.1", 5999, 1), {"threads": 4, "quiet": True})]
    assert "Revloop is at http://127.0.0.1:5999/" in result.output
    assert "development server" not in result.output.lower()


def _add_running(db: Session, metric_id: int, owner_id: int, count: int, *, start: int = 0) -> None:
    """``count`` running experiments on ``metric_id``, started one day apart, the
    first ones the oldest and already past their planned size (so they need a decision)."""
    from tracker.models import Experiment, ExperimentStatus

    today = date.today()
    db.add_all(
        Experiment(
            title=f"Running experiment {start + index}",
            primary_metric_id=metric_id,
            owner_id=owner_id,
            status=ExperimentStatus.running,
            planned_total=1000,
            observed_total=1000.0 if start + index < 3 else 100.0,
            weekly_volume=500.0,
            # the first three the oldest; the others started within the last ten days
            started_on=today - timedelta(days=60 - start - index if start + index < 3 else 10),
        )
        for index in range(count)
    )
    db.commit()


@pytest.mark.parametrize("path", ["/", "/week"])
def test_the_dashboard_and_the_meeting_show_the_urgent_few_at_a_fixed_query_count(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    count_queries: Callable[[], Any],
    path: str,
) -> None:
    user = signed_in(Role.editor)
    metric = make_metric(db, "Win rate")
    _add_running(db, metric.id or 0, user.id or 0, 4)
    client.get(path)  # warm: the first view opens the cycle
    with count_queries() as few:
        small = client.get(path).get_data(as_text=True)
    _add_running(db, metric.id or 0, user.id or 0, 60, start=4)
    with count_queries() as many:
        large = client.get(path).get_data(as_text=True)
    assert len(many) == len(few), "\n".join(many)
    # every one of the first four shows; with 64, the three needing a decision
    # still lead and most of the rest wait on the board
    assert all(f"Running experiment {i}<" in small for i in range(4))
    assert all(f"Running experiment {i}<" in large for i in range(3))
    assert "Running experiment 63<" not in large
    import re

    linked = set(re.findall(r'dir="auto">Running experiment (\d+)</', large))
    assert 3 <= len(linked) <= 20
    assert "more are running" in large and "See them all on the board" in large
    assert "more are running" not in small


def test_every_running_experiment_is_reachable_from_the_board(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.viewer)
    metric = make_metric(db, "Win rate")
    _add_running(db, metric.id or 0, user.id or 0, 30)
    board = client.get("/experiments/").get_data(as_text=True)
    assert "See all 30, oldest first" in board and "more not shown" not in board
    listed = client.get("/experiments/?status=running").get_data(as_text=True)
    assert "Running experiments" in listed and "Oldest first" in listed
    # the oldest lead; the rest are a page away
    assert listed.index("Running experiment 0<") < listed.index("Running experiment 1<")
    assert "Running experiment 29<" not in listed
    assert "Running experiment 29<" in client.get("/experiments/?status=running&page=2").get_data(
        as_text=True
    )


def test_an_empty_instance_says_where_to_start(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    board = client.get("/experiments/").get_data(as_text=True)
    assert "No experiment yet" in board and 'href="/backlog/"' in board
    assert "Nothing draft" not in board
    design = client.get("/experiments/new").get_data(as_text=True)
    assert "there is none yet" in design and 'href="/metrics/new"' in design
    assert 'id="design-form"' not in design


def test_the_design_preview_sends_its_figures_formatted_by_the_server(
    app: Any, client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    metric = make_metric(db, "Win rate", readings=[{"successes": 100, "trials": 1000}] * 4)
    query = (
        f"/experiments/plan?metric_id={metric.id}&baseline=10&mde=2&alpha=0.05"
        "&power=0.8&alternative=two-sided&share=0.5&share=0.5"
    )
    answer = client.get(query).get_json()
    assert (answer["texts"]["control"], answer["texts"]["total"]) == ("3,936", "7,872")
    assert "7.9" in answer["weeks_text"] and "1,000" in answer["weeks_text"]
    assert "7,682" in answer["inflation_text"] and "1.025" in answer["inflation_text"]
    # the reader's language and the team's digits, as every other figure on the page
    app.config["LANGUAGE"] = "ar"
    app.config["DIGITS"] = "arab"
    arabic = client.get(query).get_json()
    assert arabic["texts"]["control"] == "٣٬٩٣٦"
    assert "٧٫٩" in arabic["weeks_text"] and "About" not in arabic["weeks_text"]
