"""Messages the rules and the API write, read by an Arabic-speaking person (issue
16): the password rule and the API tokens on the account page, and the API's
field messages for someone who chose Arabic. JSON keys and field paths stay as
they are; the sentences follow the reader's language (for the API, the request's
``Accept-Language``), English by default."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from experiments.cycles import IsoWeek
from tests.arabic_pages import english_leftovers
from tests.conftest import PASSWORD, Accounts
from tests.test_api_support import Api
from tracker.models import Role, User

ARABIC = re.compile(r"[\u0600-\u06ff]")
# An API client asks for a language the HTTP way; without it, the team's language.
IN_ARABIC = {"Accept-Language": "ar"}


def _arabic_user(accounts: Accounts, db: Session, role: Role = Role.editor) -> User:
    user = accounts.make(role)
    user.language = "ar"
    db.add(user)
    db.commit()
    return user


def _errors(page: str) -> list[str]:
    return re.findall(r'<(?:p|span|li)[^>]*class="[^"]*error[^"]*"[^>]*>(.*?)</', page, re.S)


def test_the_password_rule_speaks_arabic_beside_the_field(
    client: FlaskClient, accounts: Accounts, db: Session
) -> None:
    accounts.sign_in(client, _arabic_user(accounts, db))
    for new in ("short", "password1234", "zzzzzzzzzzzzzzzz"):
        answer = client.post(
            "/account/",
            data={
                "password-current_password": PASSWORD,
                "password-new_password": new,
                "password-confirm_password": new,
                "password-save_password": "1",
            },
        )
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422
        assert "Use at least" not in page and "most common passwords" not in page, new
        assert "استخدم 12 حرفًا" in page or "أكثر كلمات المرور شيوعًا" in page, new
        assert english_leftovers(page) == [], new


def test_a_token_without_a_name_is_refused_in_arabic(
    client: FlaskClient, accounts: Accounts, db: Session
) -> None:
    accounts.sign_in(client, _arabic_user(accounts, db))
    answer = client.post("/account/", data={"token-name": "  ", "token-create_token": "1"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Name the token" not in page and "CRM" in page
    assert english_leftovers(page) == []


def test_the_api_writes_its_field_messages_in_the_readers_language(
    app: Flask, client: FlaskClient, db: Session, accounts: Accounts
) -> None:
    api = Api(client=client, db=db, accounts=accounts)
    metric = api.metric()
    week = {"period_start": "2026-01-05", "period_end": "2026-01-11", "successes": 1}
    readings = [{**week, "trials": 9}, {**week, "trials": 9, "n": 4}]
    english = api.post(f"/metrics/{metric['id']}/readings", readings).get_json()["error"]
    assert english["fields"]["1.period_start"] == "Item 0 has the same period start."
    assert english["fields"]["1.n"].startswith("A proportion metric's reading has no n")

    arabic = api.post(f"/metrics/{metric['id']}/readings", readings, headers=IN_ARABIC)
    arabic = arabic.get_json()["error"]
    assert set(arabic["fields"]) == set(english["fields"])
    assert arabic["fields"]["1.period_start"] == "للعنصر 0 بداية الفترة نفسها."
    for message in arabic["fields"].values():
        assert ARABIC.search(message), message
    arms = [
        {"name": "A", "share": 0.5, "is_control": True},
        {"name": "B", "share": 0.5, "is_control": True},
    ]
    design = {"title": "x", "primary_metric_id": metric["id"], "arms": arms, "mde": 0.1}
    refused = api.post("/experiments", design, headers=IN_ARABIC).get_json()["error"]["fields"]
    assert refused["arms"] == "حدّد ذراعًا واحدة فقط مجموعةً ضابطة."


def test_the_locked_design_names_its_fields_in_the_readers_language(
    client: FlaskClient, db: Session, accounts: Accounts
) -> None:
    from tests.test_experiments import create_experiment, design_data, make_metric, start

    readings = [{"successes": 100, "trials": 1000} for _ in range(4)]
    win_rate = make_metric(db, "Win rate", readings=readings)

    user = _arabic_user(accounts, db)
    accounts.sign_in(client, user)
    experiment = create_experiment(client, db, win_rate, user.id)
    start(client, experiment)
    db.refresh(experiment)
    data = design_data(win_rate, user.id, mde="3", alpha="0.1", version=str(experiment.version))
    answer = client.post(f"/experiments/{experiment.id}/edit", data=data)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "أدنى أثر قابل للرصد" in page and "planned" not in re.sub(r"<[^>]+>", "", page)
    assert english_leftovers(page) == []
    user.language = "en"
    db.add(user)
    db.commit()
    page = client.post(f"/experiments/{experiment.id}/edit", data=data).get_data(as_text=True)
    assert "(alpha, minimum detectable effect, planned control size," in page


def test_the_metric_presets_are_offered_in_the_readers_language(
    client: FlaskClient, db: Session, accounts: Accounts
) -> None:
    from sqlmodel import select

    from tracker.defaults import METRIC_PRESETS
    from tracker.models import Area

    accounts.sign_in(client, _arabic_user(accounts, db))
    page = client.get("/metrics/new").get_data(as_text=True)
    presets = page.split('class="card presets"', 1)[1]
    assert "معدل الفوز" in presets and "صافي الاحتفاظ بالإيرادات" in presets
    assert "Win rate" not in presets and "Net revenue retention" not in presets
    assert english_leftovers(f'<html dir="rtl">{presets}</html>') == []
    number = next(i for i, p in enumerate(METRIC_PRESETS, 1) if p["name"] == "Win rate")
    filled = client.get(f"/metrics/new?preset={number}").get_data(as_text=True)
    assert 'value="معدل الفوز"' in filled
    sales = db.exec(select(Area).where(Area.name == "Sales")).one()
    assert re.search(rf'<option[^>]* selected value="{sales.id}"', filled)
    # the preset itself, as the demo and the migrations read it, stays English
    assert METRIC_PRESETS[number - 1]["name"] == "Win rate"


def test_a_report_past_its_time_limit_names_its_stage_in_arabic(app: Flask, db: Session) -> None:
    import pytest
    from flask_babel import gettext

    from tracker.reports.ranges import parse_range
    from tracker.reports.render import RenderTimeout, render

    span = parse_range("2026-W10", today=IsoWeek(2026, 12))
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        with pytest.raises(RenderTimeout) as raised:
            render(session=db, report_range=span, time_limit=0.0)
        said = raised.value.said(gettext)
    assert "توقف بعد مرحلة الاستعلامات" in said and "queries" not in said
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "(stopped after the queries)" in raised.value.said(gettext)


def test_the_api_writes_the_analysis_sentence_in_the_requests_language(
    client: FlaskClient, db: Session, accounts: Accounts
) -> None:
    api = Api(client=client, db=db, accounts=accounts)
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(metric["id"])
    api.ok("POST", f"/experiments/{made['id']}/start")
    body = {
        "metric_id": metric["id"],
        "arms": {
            "control": {"successes": 100, "trials": 1000},
            "B": {"successes": 130, "trials": 1000},
        },
    }
    api.ok("POST", f"/experiments/{made['id']}/results", body, status=201)
    path = f"/experiments/{made['id']}/analysis"
    english = api.ok("GET", path)["metrics"][0]["comparisons"]["B"]["summary"]
    arabic = api.ok("GET", path, headers=IN_ARABIC)["metrics"][0]["comparisons"]["B"]["summary"]
    assert english.startswith("B converts 30.0% better than control (> 99.99% CI ")
    assert arabic.startswith("معدل تحويل B أفضل من control بنسبة 30.0% (فترة ثقة > 99.99% من ")
