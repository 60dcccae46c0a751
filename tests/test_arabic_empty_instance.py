"""A new Revloop for an Arabic-speaking team (issue 16): the default areas,
processes and stages are written in the team's language when the instance is set
up, the first admin walks every page of the empty instance in Arabic and finds no
English, and the demo and the metric presets still find the defaults by name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session, select

from tests.arabic_pages import english_leftovers
from tests.conftest import Accounts
from tests.site_pages import STANDING_PAGES
from tracker.database import get_engine
from tracker.defaults import insert_defaults, seed_language
from tracker.models import Area, Process, Role, Stage


@pytest.fixture
def arabic_instance(app: Flask) -> Iterator[Flask]:
    """A new instance whose team language is Arabic, set up as ``tracker db upgrade``
    sets it up: the defaults written in Arabic."""
    app.config["LANGUAGE"] = "ar"
    with get_engine(app).begin() as connection:
        for table in ("team_settings", "process", "stage", "area"):
            connection.execute(text(f'DELETE FROM "{table}"'))
        with app.app_context():
            insert_defaults(connection)
    yield app


def test_the_defaults_are_written_in_the_teams_language(
    arabic_instance: Flask, db: Session
) -> None:
    areas = [area.name for area in db.exec(select(Area).order_by(Area.rank)).all()]
    assert areas == ["التسويق", "المبيعات", "خدمة العملاء"]
    processes = {process.name for process in db.exec(select(Process)).all()}
    assert "تخطيط الحملة" in processes and "قياس رضا العملاء" in processes
    stages = [stage.name for stage in db.exec(select(Stage).order_by(Stage.position)).all()]
    assert stages[0] == "الوعي" and stages[-1] == "التوسّع"


def test_the_team_language_is_read_where_the_instance_is_set_up(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_LANGUAGE", "ar-SA")
    assert seed_language() == "ar"  # tracker db upgrade outside the app
    monkeypatch.setenv("TRACKER_LANGUAGE", "fr")
    assert seed_language() == "en"  # a language Revloop does not speak yet
    app.config["LANGUAGE"] = "ar"
    with app.app_context():
        assert seed_language() == "ar"


def test_every_page_of_an_empty_arabic_instance_speaks_arabic(
    arabic_instance: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    accounts.sign_in(client, accounts.make(Role.admin, name="أمل"))
    left = {}
    for path in STANDING_PAGES:
        answer = client.get(path)
        assert answer.status_code == 200, path
        html = answer.get_data(as_text=True)
        assert '<html lang="ar" dir="rtl">' in html, path
        # the defaults are typed text from now on, so the check reads them too
        found = english_leftovers(html.replace(' dir="auto"', "").replace("<bdi>", "<span>"))
        if found:
            left[path] = found
    assert left == {}


def test_the_presets_and_the_demo_find_the_arabic_defaults(
    arabic_instance: Flask, client: FlaskClient, accounts: Accounts, db: Session
) -> None:
    from tracker.demo import load_demo
    from tracker.models import Metric

    accounts.sign_in(client, accounts.make(Role.admin))
    sales = db.exec(select(Area).where(Area.name == "المبيعات")).one()
    page = client.get("/metrics/new?preset=4").get_data(as_text=True)
    assert f'selected value="{sales.id}"' in page
    load_demo(get_engine(arabic_instance), admin_email="demo@revloop.local", admin_password=None)
    db.expire_all()
    win_rate = db.exec(select(Metric).where(Metric.name == "Win rate")).one()
    assert win_rate.area_id == sales.id


def test_the_default_team_name_is_said_in_the_readers_language(
    arabic_instance: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    accounts.sign_in(client, accounts.make(Role.admin))
    assert "عمليات الإيرادات" in client.get("/").get_data(as_text=True)
    arabic_instance.config["TEAM_NAME"] = "Revenue Ops EMEA"  # the team's own name stays
    assert "Revenue Ops EMEA" in client.get("/").get_data(as_text=True)
