"""The Insights page and its API: the demo team's numbers, the same on the
page and in the API, and a fixed number of queries whatever the history."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from experiments.cycles import IsoWeek
from tests.test_api_support import Api
from tracker.insights.calibration import calibration_report
from tracker.insights.ledger import impact_ledger
from tracker.metrics.format import whole_percent
from tracker.models import (
    Analysis,
    Area,
    DecisionAction,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Metric,
    MetricKind,
    Outcome,
    Reading,
    ResultSet,
    Role,
    User,
)


@pytest.fixture
def demo(runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DEMO_PASSWORD", "demo password 9")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def api(client, db, accounts) -> Api:
    return Api(client=client, db=db, accounts=accounts)


def sign_in_demo(client, db) -> None:
    admin = db.exec(select(User).where(User.email == "demo@revloop.local")).one()
    response = client.post("/sign-in", data={"email": admin.email, "password": "demo password 9"})
    assert response.status_code == 302


def make_history(db: Session, count: int, *, start: int = 0) -> None:
    """``count`` decided experiments with forecasts, lifts and a reading history."""
    rng = random.Random(count + start)
    area = db.exec(select(Area).where(Area.name == "Sales")).one()
    user = db.exec(select(User)).first()
    metric = db.exec(select(Metric).where(Metric.name == "History win rate")).first()
    if metric is None:
        metric = Metric(
            name="History win rate",
            area_id=area.id,
            kind=MetricKind.proportion,
            unit_value=1000.0,
            target=0.25,
        )
        db.add(metric)
        db.flush()
        monday = date(2026, 6, 1)
        for week in range(20):
            db.add(
                Reading(
                    metric_id=metric.id,
                    period_start=monday + timedelta(weeks=week),
                    period_end=monday + timedelta(weeks=week, days=6),
                    successes=200 + 5 * week,
                    trials=1000,
                )
            )
    for index in range(start, start + count):
        won = rng.random() < 0.4
        hypothesis = Hypothesis(
            title=f"H{index}",
            change="c",
            metric_id=metric.id,
            expected_effect=10.0,
            area_id=area.id,
            scores={"impact": rng.randint(1, 10), "confidence": rng.randint(1, 10), "ease": 5},
            forecast_win_probability=round(rng.random(), 2),
            forecast_by_id=user.id if user else None,
        )
        db.add(hypothesis)
        db.flush()
        experiment = Experiment(
            hypothesis_id=hypothesis.id,
            title=f"E{index}",
            primary_metric_id=metric.id,
            status=ExperimentStatus.decided,
            outcome=Outcome.won if won else Outcome.lost,
            action=DecisionAction.ship if won else DecisionAction.abandon,
            decided_at=datetime(2026, 7, 1, tzinfo=UTC) + timedelta(days=index % 60),
        )
        db.add(experiment)
        db.flush()
        result_set = ResultSet(experiment_id=experiment.id)
        db.add(result_set)
        db.flush()
        lift = rng.gauss(0.05, 0.1)
        db.add(
            Analysis(
                result_set_id=result_set.id,
                experiment_id=experiment.id,
                metric_id=metric.id,
                is_primary=True,
                comparisons={
                    "variants": [
                        {
                            "lift": lift,
                            "lift_ci": [lift - 0.08, lift + 0.08],
                            "chance_to_beat_control": 0.9,
                        }
                    ]
                },
                warnings=[],
            )
        )
        experiment.latest_result_set_id = result_set.id
    db.commit()


# --- the demo team ----------------------------------------------------------------------


def test_the_insights_page_shows_the_demo_teams_forecasts_and_ledger(demo, client, db):
    sign_in_demo(client, db)
    page = client.get("/insights/?from=2026-W01&to=2026-W52").get_data(as_text=True)
    report = calibration_report(
        session=db, first=IsoWeek.parse("2026-W01"), last=IsoWeek.parse("2026-W52")
    )
    assert report.n == 7 and report.brier is not None
    assert f"{report.brier:.3f}" in page
    assert f"{report.reference_brier:.3f}" in page
    assert f"{report.skill:+.2f}" in page
    assert 'aria-label="Calibration chart.' in page
    assert "times the measured ones" in page
    assert "Too few decisions to tell how Impact relates to winning: 7 of the 10 needed." in page
    for scorer in report.scorers:
        assert scorer.email in page
    # the ledger: three shipped winners with shrunk lifts and annual values
    ledger = impact_ledger(session=db)
    assert len(ledger.lines) == 3 and ledger.total is not None
    assert "Impact ledger" in page and f"{ledger.total.value:,.0f} USD" in page
    for line in ledger.lines:
        assert line.decided.experiment.title in page
        assert line.persistence.value in page
        # shrinkage pulls each winner toward the programme mean, never past it
        assert abs(line.shrunk.lift - ledger.fit.mean) <= abs(line.decided.lift - ledger.fit.mean)


def test_the_charts_are_drawn_once_for_their_figures_and_in_the_reader_s_language(
    demo, client, db, monkeypatch
):
    """The charts are kept once drawn (matplotlib is the page's slowest part): the
    same figures are not drawn again, and a reader in Arabic gets them in Arabic."""
    import tracker.insights.charts as charts
    from tracker.insights.routes import _drawn

    _drawn.cache_clear()  # other tests here show the same figures
    drawn: list[int] = []
    draw = charts.calibration_chart
    monkeypatch.setattr(charts, "calibration_chart", lambda bins: drawn.append(1) or draw(bins))
    sign_in_demo(client, db)
    path = "/insights/?from=2025-W40&to=2026-W49"
    first = client.get(path).get_data(as_text=True)
    again = client.get(path).get_data(as_text=True)
    assert len(drawn) == 1 and 'aria-label="Calibration chart.' in first
    assert (
        first[first.index("<svg") :].split("</svg>")[0]
        == again[again.index("<svg") :].split("</svg>")[0]
    )
    admin = db.exec(select(User).where(User.email == "demo@revloop.local")).one()
    admin.language = "ar"
    db.commit()
    arabic = client.get(path).get_data(as_text=True)
    assert len(drawn) == 2 and 'aria-label="Calibration chart.' not in arabic
    assert "مخطط المعايرة" in arabic


def test_a_bad_week_is_named_beside_its_field_and_the_page_still_answers(demo, client, db):
    sign_in_demo(client, db)
    response = client.get("/insights/?from=last+spring")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Write the week like 2026-W27" in page and 'aria-invalid="true"' in page


def test_the_api_answers_the_same_numbers_as_the_page(demo, api, db):
    body = api.ok("GET", "/insights/calibration?from=2026-W01&to=2026-W52", role=Role.viewer)
    assert set(body) == {"team", "scorers"}
    team = body["team"]
    assert set(team) == {"brier", "reference_brier", "skill", "n", "bins", "lift_ratio_median"}
    report = calibration_report(
        session=db, first=IsoWeek.parse("2026-W01"), last=IsoWeek.parse("2026-W52")
    )
    assert team["brier"] == pytest.approx(report.brier)
    assert team["skill"] == pytest.approx(report.skill)
    assert team["n"] == 7 and sum(b["n"] for b in team["bins"]) == 7
    assert [set(b) for b in team["bins"]] == [{"low", "high", "n", "won"}] * 5
    assert {s["email"] for s in body["scorers"]} == {s.email for s in report.scorers}
    assert all(set(s) == {"email", "brier", "n"} for s in body["scorers"])

    impact = api.ok("GET", "/insights/impact", role=Role.viewer)
    assert set(impact) == {"items", "total", "total_ci", "currency"}
    assert impact["currency"] == "USD" and len(impact["items"]) == 3
    item = impact["items"][0]
    assert set(item) == {
        "experiment_id",
        "lift",
        "shrunk_lift",
        "shrunk_lift_ci",
        "annual_value",
        "annual_value_ci",
        "persistence",
    }
    low, high = item["shrunk_lift_ci"]
    assert low <= item["shrunk_lift"] <= high
    assert impact["total"] == pytest.approx(sum(i["annual_value"] for i in impact["items"]))
    assert impact["total_ci"][0] < impact["total"] < impact["total_ci"][1]


def test_the_api_refuses_a_malformed_week(api):
    response = api.get("/insights/calibration?from=2026-W27&to=week 48", role=Role.viewer)
    assert response.status_code == 422
    assert "to" in response.get_json()["error"]["fields"]


def test_with_no_history_the_page_says_so(client, signed_in):
    signed_in(Role.viewer)
    page = client.get("/insights/").get_data(as_text=True)
    assert "No decided experiment had a forecast yet." in page
    assert "No experiment has been shipped as a winner yet." in page


def test_an_srm_flagged_winner_is_not_a_win(db):
    make_history(db, 10)
    flagged = db.exec(select(Experiment).where(Experiment.outcome == Outcome.won)).first()
    analysis = db.exec(
        select(Analysis).where(Analysis.result_set_id == flagged.latest_result_set_id)
    ).one()
    analysis.warnings = [{"code": "srm", "message": "Traffic split is off."}]
    db.commit()
    ledger = impact_ledger(session=db)
    assert ledger.srm_excluded == 1
    assert flagged.id not in {line.decided.experiment.id for line in ledger.lines}


# --- a fixed number of queries ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/insights/?from=2026-W01&to=2026-W52",
        "/api/v1/insights/impact",
        "/api/v1/insights/calibration?from=2026-W01&to=2026-W52",
    ],
)
def test_insights_run_a_fixed_number_of_queries(
    client, db, signed_in, count_queries, api, path: str
) -> None:
    user = signed_in(Role.viewer)
    headers: dict[str, Any] = {}
    if path.startswith("/api"):
        headers = {"Authorization": f"Bearer {api.token(Role.viewer)}"}
    make_history(db, 10)
    client.get(path, headers=headers)  # the first visit may open the current cycle
    with count_queries() as few:
        assert client.get(path, headers=headers).status_code == 200
    make_history(db, 490, start=10)
    with count_queries() as many:
        assert client.get(path, headers=headers).status_code == 200
    assert len(many) == len(few), (path, len(few), len(many))
    assert user.id


def test_three_of_seven_reads_43_percent():
    assert whole_percent(3 / 7) == "43%"
