"""The metrics catalogue, a metric's page, its readings and the trend chart."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.arabic_pages import visible_text
from tracker.charts import trend
from tracker.demo_data.metrics import load_metrics
from tracker.metrics.format import change_between, format_value, rate_scale, reading_value
from tracker.metrics.queries import latest_readings
from tracker.models import Area, Change, Metric, MetricKind, Reading, Role, Stage, User

MONDAY = date(2025, 3, 3)


def make_metric(db: Session, kind: str = "proportion", **values: Any) -> Metric:
    area = db.exec(select(Area).where(Area.name == "Sales")).one()
    stage = db.exec(select(Stage).where(Stage.name == "Decision")).one()
    defaults = {
        "proportion": {"name": "Win rate", "unit": "%"},
        "mean": {"name": "Average deal size", "unit": "USD"},
        "rate": {"name": "Escalations per 100 tickets", "unit": "per 100 tickets"},
    }[kind]
    metric = Metric(
        **{**defaults, "area_id": area.id, "stage_id": stage.id, "kind": MetricKind(kind)},
        **values,
    )
    db.add(metric)
    db.commit()
    return metric


def add_readings(db: Session, metric: Metric, count: int, **figures: Any) -> None:
    figures = figures or {"successes": 22, "trials": 100}
    db.add_all(
        Reading(
            metric_id=metric.id,
            period_start=MONDAY - timedelta(weeks=i),
            period_end=MONDAY - timedelta(weeks=i) + timedelta(days=6),
            **figures,
        )
        for i in range(count)
    )
    db.commit()


# ---------- values per kind ----------


def test_values_read_in_each_kinds_terms() -> None:
    stats = Reading(metric_id=1, period_start=MONDAY, period_end=MONDAY, successes=243, trials=1000)
    assert (
        format_value(
            kind="proportion",
            unit="%",
            value=reading_value(kind="proportion", unit="%", stats=stats),
        )
        == "24.3%"
    )
    assert format_value(kind="mean", unit="USD", value=14210.4) == "14,210 USD"
    assert format_value(kind="mean", unit="days", value=41.96) == "42.0 days"
    rate = Reading(metric_id=1, period_start=MONDAY, period_end=MONDAY, events=36, exposure=900)
    value = reading_value(kind="rate", unit="per 100 tickets", stats=rate)
    assert value == pytest.approx(4.0)
    assert format_value(kind="rate", unit="per 100 tickets", value=value) == "4.0 per 100 tickets"
    assert rate_scale(unit="escalations/ticket") == 1.0
    assert reading_value(kind="rate", unit="", stats=rate) == pytest.approx(0.04)


def test_change_knows_which_way_is_better() -> None:
    up = change_between(kind="proportion", unit="%", direction="higher", latest=0.25, previous=0.20)
    assert up is not None and up.text == "+5.0 pp" and up.better is True
    slower = change_between(kind="mean", unit="days", direction="lower", latest=44, previous=40)
    assert slower is not None and slower.text == "+4.0 days" and slower.better is False
    assert change_between(kind="mean", unit="", direction="higher", latest=1, previous=None) is None


# ---------- the catalogue ----------


def test_catalogue_groups_by_stage_and_shows_latest_and_change(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    metric = make_metric(db)
    db.add_all(
        [
            Reading(
                metric_id=metric.id,
                period_start=MONDAY,
                period_end=MONDAY + timedelta(6),
                successes=25,
                trials=100,
            ),
            Reading(
                metric_id=metric.id,
                period_start=MONDAY - timedelta(7),
                period_end=MONDAY - timedelta(1),
                successes=20,
                trials=100,
            ),
        ]
    )
    db.commit()
    page = client.get("/metrics/").get_data(as_text=True)
    assert "Decision" in page and "Win rate" in page
    assert "25.0" in page and "+5.0 pp" in visible_text(page)
    assert "↑ higher is better" in page
    assert "New metric" not in page  # a viewer cannot create


def test_latest_readings_takes_the_newest_two_of_each(db: Session) -> None:
    first = make_metric(db)
    second = make_metric(db, "mean")
    add_readings(db, first, 5)
    add_readings(db, second, 1, n=10, mean=5.0, sd=1.0)
    found = latest_readings(session=db, metric_ids=[first.id, second.id, 999])
    assert [r.period_start for r in found[first.id]] == [MONDAY, MONDAY - timedelta(weeks=1)]
    assert len(found[second.id]) == 1
    assert found[999] == []


@pytest.mark.parametrize("path", ["/metrics/", "detail"])
def test_pages_run_a_fixed_number_of_queries(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    count_queries: Callable[[], Any],
    path: str,
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db)
    add_readings(db, metric, 10)

    def count() -> int:
        url = f"/metrics/{metric.id}" if path == "detail" else path
        client.get(url)  # warm up the session and the chart cache
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    area_id = metric.area_id
    db.add_all(
        Metric(name=f"Metric {i}", area_id=area_id, kind=MetricKind.mean) for i in range(990)
    )
    db.commit()
    others = db.exec(select(Metric.id).where(Metric.id != metric.id)).all()
    db.add_all(
        Reading(metric_id=other, period_start=MONDAY, period_end=MONDAY, n=5, mean=1.0, sd=1.0)
        for other in others
    )
    db.add_all(
        Reading(
            metric_id=metric.id,
            period_start=MONDAY - timedelta(weeks=i),
            period_end=MONDAY - timedelta(weeks=i),
            successes=1,
            trials=3,
        )
        for i in range(10, 1000)
    )
    db.commit()
    assert count() == small


# ---------- creating and editing ----------


def test_a_preset_fills_the_form(client: FlaskClient, signed_in: Callable[[Role], User]) -> None:
    signed_in(Role.editor)
    page = client.get("/metrics/new?preset=11").get_data(as_text=True)
    assert 'value="Escalations per 100 tickets"' in page
    assert 'value="per 100 tickets"' in page
    assert re.search(r'<option selected value="rate">|<option value="rate" selected', page)
    assert "Use preset" in page


def test_the_preset_select_names_each_preset_alone_and_says_what_it_is_beneath(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    """The select fits a phone: no "Marketing · " before each name, the long one
    shortened; the chosen preset's area and meaning are written beneath it."""
    signed_in(Role.editor)
    page = client.get("/metrics/new?preset=4").get_data(as_text=True)
    picker = re.search(r'<select[^>]*id="preset".*?</select>', page, re.S).group(0)
    names = re.findall(r">([^<]+)</option>", picker)
    assert names[:3] == ["Choose a preset…", "MQL to SQL", "Visitor to lead conversion"]
    assert len(names) == 13 and max(len(name) for name in names) <= 27
    assert re.search(r'<option selected value="4">Win rate</option>', picker)
    notes = re.search(r'<ul class="choice-notes" id="preset-notes">.*?</ul>', page, re.S)
    assert "Sales · Share of opportunities closed won." in notes.group(0)
    assert 'aria-describedby="preset-notes"' in picker


def test_create_a_metric_writes_the_change_log(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.editor)
    area = db.exec(select(Area).where(Area.name == "Service")).one()
    response = client.post(
        "/metrics/new",
        data={
            "name": "Churn rate",
            "area_id": area.id,
            "stage_id": "",
            "kind": "proportion",
            "unit": "%",
            "direction": "lower",
            "formula": "churned / customers",
        },
    )
    assert response.status_code == 302
    metric = db.exec(select(Metric).where(Metric.name == "Churn rate")).one()
    assert metric.stage_id is None and metric.direction == "lower"
    log = db.exec(select(Change).where(Change.entity == "metric")).all()
    assert [(c.action, c.entity_id, c.user_id) for c in log] == [("create", metric.id, user.id)]


def test_bad_metric_keeps_what_was_typed(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    make_metric(db)
    response = client.post(
        "/metrics/new",
        data={
            "name": "win RATE",
            "area_id": "9999",
            "kind": "mean",
            "unit": "<b>bold</b>",
            "direction": "higher",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A metric named “win RATE” already exists" in page
    assert "Choose the area this metric belongs to." in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_edit_logs_each_changed_field(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db)
    response = client.post(
        f"/metrics/{metric.id}/edit",
        data={
            "name": "Opportunity win rate",
            "area_id": metric.area_id,
            "stage_id": metric.stage_id,
            "kind": "proportion",
            "unit": "%",
            "direction": "higher",
            "formula": "won / opportunities",
        },
    )
    assert response.status_code == 302
    fields = {c.field: (c.old_value, c.new_value) for c in db.exec(select(Change)).all()}
    assert fields == {
        "name": ("Win rate", "Opportunity win rate"),
        "formula": ("", "won / opportunities"),
    }


def test_kind_cannot_change_once_there_are_readings(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db)
    add_readings(db, metric, 1)
    response = client.post(
        f"/metrics/{metric.id}/edit",
        data={"name": "Win rate", "area_id": metric.area_id, "kind": "mean", "direction": "higher"},
    )
    assert response.status_code == 422
    assert "create a new metric instead" in response.get_data(as_text=True)


def test_soft_delete_is_for_admins(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db)
    assert client.post(f"/metrics/{metric.id}/delete").status_code == 403
    client.post("/sign-out")
    signed_in(Role.admin)
    assert client.post(f"/metrics/{metric.id}/delete").status_code == 302
    db.refresh(metric)
    assert metric.deleted_at is not None
    assert f'href="/metrics/{metric.id}"' not in client.get("/metrics/").get_data(as_text=True)
    assert client.post(f"/metrics/{metric.id}/restore").status_code == 302
    db.refresh(metric)
    assert metric.deleted_at is None
    actions = [c.action for c in db.exec(select(Change).order_by(Change.id)).all()]
    assert actions == ["delete", "restore"]


def test_viewers_cannot_post_anything(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    metric = make_metric(db)
    add_readings(db, metric, 1)
    reading_id = db.exec(select(Reading.id)).first()
    signed_in(Role.viewer)
    for url in (
        "/metrics/new",
        f"/metrics/{metric.id}/edit",
        f"/metrics/{metric.id}/readings",
        f"/metrics/{metric.id}/readings/{reading_id}/delete",
        f"/metrics/{metric.id}/delete",
        f"/metrics/{metric.id}/restore",
    ):
        assert client.post(url, data={"successes": 1, "trials": 2}).status_code == 403, url
    page = client.get(f"/metrics/{metric.id}").get_data(as_text=True)
    assert "Add a reading" not in page and "Edit metric" not in page


# ---------- readings ----------


def reading_data(**values: Any) -> dict[str, Any]:
    return {
        "period_start": "2025-03-03",
        "period_end": "2025-03-09",
        "source_note": "CRM",
        **values,
    }


def test_add_a_proportion_reading(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.editor)
    metric = make_metric(db)
    response = client.post(
        f"/metrics/{metric.id}/readings", data=reading_data(successes=22, trials=60)
    )
    assert response.status_code == 302
    reading = db.exec(select(Reading)).one()
    assert (reading.successes, reading.trials, reading.entered_by_id) == (22, 60, user.id)
    assert reading.mean is None
    change = db.exec(select(Change).where(Change.entity == "reading")).one()
    assert change.action == "create" and '"trials": 60' in (change.new_value or "")
    page = client.get(f"/metrics/{metric.id}").get_data(as_text=True)
    assert "36.7" in page and "3–9 Mar 2025" in page and "added: 36.7%" in visible_text(page)


@pytest.mark.parametrize(
    ("kind", "values", "messages"),
    [
        (
            "proportion",
            {"successes": 70, "trials": 60},
            ["Successes (70) must not be above trials (60)"],
        ),
        (
            "proportion",
            {"successes": -1, "trials": "abc"},
            ["Enter a whole number (digits 0-9)"],
        ),
        ("mean", {"n": 1, "mean": "12.5", "sd": "-3"}, ["n must be at least 2"]),
        ("mean", {"n": 10, "mean": "nan", "sd": "1"}, ["Enter a number, like 12 or 0.5."]),
        ("rate", {"events": 3, "exposure": "0"}, ["Exposure must be above zero, got 0.0."]),
    ],
)
def test_bad_figures_come_back_beside_their_fields(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    kind: str,
    values: dict[str, Any],
    messages: list[str],
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db, kind)
    response = client.post(f"/metrics/{metric.id}/readings", data=reading_data(**values))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in messages:
        assert message in page
    assert re.search(r'class="field\s+has-error', page)
    for value in values.values():
        assert f'value="{value}"' in page  # what was typed is kept
    assert db.exec(select(Reading)).first() is None


def test_end_before_start_and_a_repeated_period(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db, "rate")
    add_readings(db, metric, 1, events=3, exposure=100)
    response = client.post(
        f"/metrics/{metric.id}/readings",
        data=reading_data(period_end="2025-03-01", events=3, exposure=100),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A reading for the period starting 3 Mar 2025 already exists" in page
    assert "The period ends before it starts" in page


def test_the_reading_form_defaults_to_the_last_full_week(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db, "mean")
    page = client.get(f"/metrics/{metric.id}").get_data(as_text=True)
    today = date.today()
    monday = today - timedelta(days=today.weekday() + 7)
    assert f'value="{monday.isoformat()}"' in page
    assert f'value="{(monday + timedelta(days=6)).isoformat()}"' in page
    assert "Standard deviation" in page and "Successes" not in page


def test_delete_a_reading_keeps_its_figures_in_the_log(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db)
    add_readings(db, metric, 1)
    reading_id = db.exec(select(Reading.id)).one()
    response = client.post(f"/metrics/{metric.id}/readings/{reading_id}/delete")
    assert response.status_code == 302
    assert db.exec(select(Reading)).first() is None
    change = db.exec(select(Change)).one()
    assert change.action == "delete" and '"successes": 22' in (change.old_value or "")


# ---------- the trend chart ----------


def test_chart_has_its_words_and_is_not_redrawn(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    trend.clear_cache()
    metric = make_metric(db)
    db.add_all(
        Reading(
            metric_id=metric.id,
            period_start=MONDAY - timedelta(weeks=11 - i),
            period_end=MONDAY - timedelta(weeks=11 - i) + timedelta(days=6),
            successes=210 + i * 3,
            trials=1000,
        )
        for i in range(12)
    )
    db.commit()
    drawn = trend.draw_count
    page = client.get(f"/metrics/{metric.id}").get_data(as_text=True)
    assert 'aria-label="Win rate over 12 weeks, from 21.0% to 24.3% (higher is better)' in page
    assert trend.draw_count == drawn + 1
    client.get(f"/metrics/{metric.id}")
    assert trend.draw_count == drawn + 1  # nothing changed, nothing redrawn
    db.add(
        Reading(
            metric_id=metric.id,
            period_start=MONDAY + timedelta(7),
            period_end=MONDAY + timedelta(13),
            successes=250,
            trials=1000,
        )
    )
    db.commit()
    assert "to 25.0%" in client.get(f"/metrics/{metric.id}").get_data(as_text=True)
    assert trend.draw_count == drawn + 2


def test_intervals_per_kind() -> None:
    low, high = trend.wilson_interval(0, 20)
    assert low == 0 and 0.15 < high < 0.17
    low, high = trend.poisson_interval(36)
    assert low == pytest.approx(25.21, abs=0.01) and high == pytest.approx(49.84, abs=0.01)


# ---------- the demo metrics ----------


def test_demo_metrics_are_the_presets_with_twelve_weeks(db: Session) -> None:
    made = load_metrics(db, rng=random.Random(7), today=date(2025, 3, 12), entered_by_id=None)
    db.commit()
    assert len(made) == 12
    readings = db.exec(select(Reading)).all()
    assert len(readings) == 144
    assert max(r.period_end for r in readings) == date(2025, 3, 9)
    assert {r.period_start.weekday() for r in readings} == {0}
    win = made["Win rate"]
    latest = latest_readings(session=db, metric_ids=[win.id], per_metric=12)[win.id]
    rates = [r.successes / r.trials for r in latest]
    assert 0.12 < sum(rates) / len(rates) < 0.32
    again = load_metrics(db, rng=random.Random(7), today=date(2025, 3, 12), entered_by_id=None)
    db.commit()
    assert again.keys() == made.keys()
    assert len(db.exec(select(Reading)).all()) == 144  # loading twice leaves one copy


def test_demo_metrics_are_the_same_for_the_same_seed(app: Any) -> None:
    from tests.conftest import reset_schema
    from tracker.database import get_engine

    def figures() -> list[tuple[Any, ...]]:
        reset_schema(get_engine(app))
        with Session(get_engine(app)) as session:
            load_metrics(session, rng=random.Random(3), today=date(2025, 1, 8), entered_by_id=None)
            rows = session.exec(select(Reading).order_by(Reading.id)).all()
            return [
                (r.period_start, r.successes, r.trials, r.n, r.mean, r.sd, r.events) for r in rows
            ]

    assert figures() == figures()
