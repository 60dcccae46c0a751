"""Forecasts on hypotheses, unit values and targets on metrics, the team's
currency and health targets: through the forms and through the API."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.test_api_support import Api
from tracker.models import Area, Hypothesis, Metric, MetricKind, Role, TeamSettings


@pytest.fixture
def api(client, db, accounts) -> Api:
    return Api(client=client, db=db, accounts=accounts)


def _metric(db, kind=MetricKind.proportion, name="Win rate") -> Metric:
    area = db.exec(select(Area).where(Area.name == "Sales")).one()
    metric = Metric(name=name, area_id=area.id, kind=kind, unit="%")
    db.add(metric)
    db.commit()
    return metric


def _hypothesis_form(db, metric: Metric, **extra) -> dict:
    return {
        "title": "Same-day callback",
        "change": "call inbound leads back the same day",
        "metric_id": str(metric.id),
        "direction": "increase",
        "expected_effect": "12",
        "rationale": "speed to lead",
        "area_id": str(metric.area_id),
        "process_id": "",
        "status": "backlog",
        "score_impact": "8",
        "score_confidence": "7",
        "score_ease": "6",
        **extra,
    }


def test_the_scorer_gives_a_forecast_in_percent_and_it_is_kept_as_a_probability(
    client, db, signed_in
):
    user = signed_in(Role.editor)
    metric = _metric(db)
    response = client.post(
        "/backlog/new", data=_hypothesis_form(db, metric, forecast_win_probability="70")
    )
    assert response.status_code == 302
    hypothesis = db.exec(select(Hypothesis)).one()
    assert hypothesis.forecast_win_probability == pytest.approx(0.70)
    assert hypothesis.forecast_by_id == user.id
    page = client.get(f"/backlog/{hypothesis.id}/edit").get_data(as_text=True)
    assert 'value="70.0"' in page


def test_a_forecast_above_100_is_refused_beside_the_field_and_nothing_is_lost(
    client, db, signed_in
):
    signed_in(Role.editor)
    metric = _metric(db)
    response = client.post(
        "/backlog/new", data=_hypothesis_form(db, metric, forecast_win_probability="140")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a chance from 0 to 100" in page
    assert "call inbound leads back the same day" in page
    assert db.exec(select(Hypothesis)).first() is None


def test_a_metric_target_is_entered_in_percent_for_a_proportion(client, db, signed_in):
    signed_in(Role.editor)
    metric = _metric(db)
    data = {
        "name": "Win rate",
        "area_id": str(metric.area_id),
        "stage_id": "",
        "kind": "proportion",
        "unit": "%",
        "direction": "higher",
        "formula": "",
        "description": "",
        "target": "25",
        "unit_value": "14000",
    }
    assert client.post(f"/metrics/{metric.id}/edit", data=data).status_code == 302
    db.expire_all()
    saved = db.get(Metric, metric.id)
    assert saved.target == pytest.approx(0.25) and saved.unit_value == 14000
    page = client.get(f"/metrics/{metric.id}/edit").get_data(as_text=True)
    assert 'value="25.0"' in page
    bad = client.post(f"/metrics/{metric.id}/edit", data={**data, "target": "250"})
    assert bad.status_code == 422
    assert "percentage from 0 to 100" in bad.get_data(as_text=True)
    negative = client.post(f"/metrics/{metric.id}/edit", data={**data, "unit_value": "-3"})
    assert "zero or more" in negative.get_data(as_text=True)


def test_admin_sets_currency_and_health_targets(client, db, signed_in):
    signed_in(Role.admin)
    data = {
        "priority_model": "ice",
        "timezone": "UTC",
        "currency": "eur",
        "target_started_per_week": "2",
        "target_decisions_per_cycle": "1.5",
        "target_median_days": "",
        "target_on_time": "80",
        "target_win_rate": "30",
    }
    assert client.post("/settings/", data=data).status_code == 302
    db.expire_all()
    settings = db.get(TeamSettings, 1)
    assert settings.currency == "EUR"
    assert settings.target_on_time == pytest.approx(0.8)
    assert settings.target_win_rate == pytest.approx(0.3)
    assert settings.target_median_days is None
    page = client.get("/settings/").get_data(as_text=True)
    assert 'value="80.0"' in page
    bad = client.post("/settings/", data={**data, "currency": "euro", "target_win_rate": "130"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "three-letter currency code" in text and "Enter 0 to 100" in text


def test_api_hypotheses_accept_and_return_the_forecast(api, db):
    metric = api.metric()
    made = api.ok(
        "POST",
        "/hypotheses",
        {
            "title": "T",
            "change": "c",
            "metric_id": metric["id"],
            "area_id": api.area_id(),
            "scores": {"impact": 5, "confidence": 5, "ease": 5},
            "forecast_win_probability": 0.35,
        },
        status=201,
    )
    assert made["forecast_win_probability"] == 0.35
    stored = db.get(Hypothesis, made["id"])
    assert stored.forecast_by_id == api.users[Role.editor].id
    changed = api.ok(
        "PATCH", f"/hypotheses/{made['id']}", {"version": 1, "forecast_win_probability": 0.6}
    )
    assert changed["forecast_win_probability"] == 0.6
    refused = api.patch(
        f"/hypotheses/{made['id']}", {"version": 2, "forecast_win_probability": 1.5}
    )
    assert refused.status_code == 422
    assert "forecast_win_probability" in refused.get_json()["error"]["fields"]


def test_api_metrics_accept_and_return_unit_value_and_target(api):
    made = api.ok(
        "POST",
        "/metrics",
        {
            "name": "CSAT",
            "area_id": api.area_id("Service"),
            "kind": "proportion",
            "unit_value": 40,
            "target": 0.85,
        },
        status=201,
    )
    assert made["unit_value"] == 40 and made["target"] == 0.85
    shown = api.ok("GET", f"/metrics/{made['id']}", role=Role.viewer)
    assert shown["unit_value"] == 40 and shown["target"] == 0.85
    refused = api.post(
        "/metrics", {"name": "X", "area_id": api.area_id(), "kind": "mean", "unit_value": -1}
    )
    assert refused.status_code == 422
