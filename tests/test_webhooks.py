"""Webhooks against a real HTTP receiver on 127.0.0.1: signed, retried,
never sent for a change that rolled back, once per endpoint with two
deliverers, in Slack's format, and never to a refused address."""

from __future__ import annotations

import io
import json
import re
import threading
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from tests.arabic_pages import english_leftovers
from tests.conftest import TEST_DATABASE_URL
from tests.test_api_support import Api
from tests.webhook_receiver import Receiver, receiver
from tracker.background import wait_idle
from tracker.cycles.service import close_cycle, open_cycle
from tracker.database import get_engine
from tracker.models import (
    ActionItem,
    Analysis,
    Metric,
    Reading,
    Role,
    WebhookDelivery,
    WebhookEvent,
)
from tracker.models.types import utcnow
from tracker.notifications import readings_saved
from tracker.webhooks.deliverer import deliver_due
from tracker.webhooks.destinations import DestinationError, check_url, resolve
from tracker.webhooks.events import emit
from tracker.webhooks.service import create_endpoint
from tracker.webhooks.signer import verify

SECRET = "a-long-shared-secret-for-tests"


@pytest.fixture
def app_config(app_config: dict[str, object]) -> dict[str, object]:
    return {**app_config, "WEBHOOK_ALLOW_PRIVATE": True, "BASE_URL": "https://revloop.example"}


@pytest.fixture
def api(client, db, accounts) -> Api:
    return Api(client=client, db=db, accounts=accounts)


def register(api: Api, url: str, events: list[str], fmt: str = "json") -> dict:
    body = {"url": url, "events": events, "secret": SECRET, "format": fmt}
    return api.ok("POST", "/webhooks", body, status=201, role=Role.admin)


def started_experiment(api: Api) -> dict:
    metric = api.metric()
    api.weeks_of_readings(metric["id"], weeks=4)
    experiment = api.experiment(metric["id"])
    api.ok("POST", f"/experiments/{experiment['id']}/start")
    assert wait_idle()
    return experiment


def test_an_event_arrives_signed_with_the_endpoint_secret(api: Api) -> None:
    with receiver() as hook:
        register(api, hook.url, ["experiment.started"])
        experiment = started_experiment(api)
    [request] = hook.received
    assert request.headers["X-Revloop-Event"] == "experiment.started"
    timestamp = request.headers["X-Revloop-Timestamp"]
    signature = request.headers["X-Revloop-Signature"]
    assert verify(SECRET, timestamp, request.body, signature)
    assert not verify("another-secret-entirely", timestamp, request.body, signature)
    body = json.loads(request.body)
    assert body["delivery"] == request.headers["X-Revloop-Delivery"]
    assert body["data"]["experiment"]["id"] == experiment["id"]
    assert body["data"]["url"] == f"https://revloop.example/experiments/{experiment['id']}"


def test_the_api_lists_and_deletes_endpoints_for_admins_only(api: Api) -> None:
    made = register(api, "http://127.0.0.1:9/hook", ["cycle.closed"])
    assert "secret" not in made
    listed = api.ok("GET", "/webhooks", role=Role.admin)["items"]
    assert [e["url"] for e in listed] == ["http://127.0.0.1:9/hook"]
    assert api.get("/webhooks", role=Role.editor).status_code == 403
    wrong = api.post(
        "/webhooks",
        {"url": "gopher://x", "events": ["cycle.closed"], "secret": SECRET},
        role=Role.admin,
    )
    assert wrong.status_code == 422
    assert "http" in wrong.get_json()["error"]["fields"]["url"]
    api.ok("DELETE", f"/webhooks/{made['id']}", role=Role.admin)
    assert api.ok("GET", "/webhooks", role=Role.admin)["items"] == []
    assert "/webhooks" in api.client.get("/api/v1/openapi.json").get_json()["paths"]


def test_a_failure_is_retried_later_and_delivered_once(app: Flask, api: Api, db: Session) -> None:
    with receiver(answers=[500]) as hook:
        register(api, hook.url, ["experiment.started"])
        started_experiment(api)
        assert [r.answered for r in hook.received] == [500]
        delivery = db.exec(select(WebhookDelivery)).one()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "pending",
            1,
            500,
        )
        engine = get_engine(app)
        # not due yet: nothing is sent again
        assert deliver_due(engine, allow_private=True).sent == 0
        later = utcnow() + timedelta(minutes=1)
        assert deliver_due(engine, allow_private=True, now=later).sent == 1
        assert deliver_due(engine, allow_private=True, now=later + timedelta(hours=1)).sent == 0
    assert [r.answered for r in hook.received] == [500, 200]
    first, second = hook.received
    assert first.headers["X-Revloop-Delivery"] == second.headers["X-Revloop-Delivery"]
    db.expire_all()
    delivery = db.exec(select(WebhookDelivery)).one()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_delivery_failing_for_24_hours_is_marked_failed(
    app: Flask, api: Api, db: Session
) -> None:
    register(api, "http://127.0.0.1:9/nobody-listens", ["experiment.started"])
    started_experiment(api)
    engine = get_engine(app)
    moment = utcnow()
    for _ in range(40):
        moment += timedelta(hours=4)
        deliver_due(engine, allow_private=True, now=moment)
    delivery = db.exec(select(WebhookDelivery)).one()
    assert delivery.status == "failed"
    assert 5 < delivery.attempts < 20
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()


def test_a_rolled_back_change_emits_nothing(app: Flask, api: Api, db: Session) -> None:
    with receiver() as hook:
        register(api, hook.url, ["cycle.closed"])
        with app.app_context():
            with Session(get_engine(app)) as session:
                cycle = open_cycle(session=session, today=date(2026, 11, 23))
                session.commit()
                close_cycle(
                    session=session, cycle_id=cycle.id, today=date(2026, 11, 29), user_id=None
                )
                assert session.exec(select(WebhookEvent)).all()  # written in the transaction
                session.rollback()
            assert wait_idle()
            assert deliver_due(get_engine(app), allow_private=True).sent == 0
        assert db.exec(select(WebhookEvent)).all() == []
        assert hook.received == []


def test_closing_a_cycle_announces_it_and_the_items_now_stuck(
    app: Flask, api: Api, db: Session
) -> None:
    with receiver() as hook:
        register(api, hook.url, ["cycle.closed", "action.stuck"])
        cycle = open_cycle(session=db, today=date(2026, 11, 23))
        db.commit()
        db.add(
            ActionItem(
                title="Fix lead routing",
                cycle_id=cycle.id,
                first_cycle_id=cycle.id,
                due_week=cycle.iso_week,
                carried_count=2,
            )
        )
        db.commit()
        with app.app_context():
            close_cycle(session=db, cycle_id=cycle.id, today=date(2026, 11, 29), user_id=None)
            db.commit()
            assert wait_idle()
    events = sorted(r.headers["X-Revloop-Event"] for r in hook.delivered)
    assert events == ["action.stuck", "cycle.closed"]
    stuck = next(json.loads(r.body) for r in hook.received if b"stuck" in r.body)
    assert stuck["data"]["action"]["title"] == "Fix lead routing"
    assert stuck["data"]["action"]["carried"] == 3


def test_slack_format_sends_the_sentence_and_a_link(api: Api) -> None:
    with receiver() as hook:
        register(api, hook.url, ["experiment.decided", "experiment.verdict_changed"], "slack")
        metric = api.metric()
        api.weeks_of_readings(metric["id"], weeks=4)
        experiment = api.experiment(metric["id"])
        api.ok("POST", f"/experiments/{experiment['id']}/start")
        figures = {
            "metric_id": metric["id"],
            "arms": {
                "control": {"successes": 100, "trials": 1000},
                "B": {"successes": 160, "trials": 1000},
            },
        }
        api.ok("POST", f"/experiments/{experiment['id']}/results", figures, status=201)
        api.ok(
            "POST",
            f"/experiments/{experiment['id']}/decision",
            {
                "outcome": "won",
                "action": "ship",
                "rationale": "B wins clearly",
                "early_decision_reason": "The lift is too large to wait",
            },
        )
        assert wait_idle()
    texts = {r.headers["X-Revloop-Event"]: json.loads(r.body) for r in hook.delivered}
    decided = texts["experiment.decided"]
    assert list(decided) == ["text"]
    assert "was decided: ship (won)" in decided["text"]
    print(decided["text"])
    verdict = api.db.exec(select(Analysis).where(Analysis.is_primary)).one().comparisons["verdict"]
    assert verdict and decided["text"].splitlines()[1] == verdict.replace(">", "&gt;")
    link = f"<https://revloop.example/experiments/{experiment['id']}|Open in Revloop>"
    assert decided["text"].endswith(link)
    changed = texts["experiment.verdict_changed"]["text"]
    assert "The verdict on “Three-field demo form” is now “" in changed


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.com/hook",
        "javascript:alert(1)",
    ],
)
def test_refused_destinations(url: str) -> None:
    with pytest.raises(DestinationError):
        resolve(check_url(url, allow_private=False), allow_private=False)


def test_a_refused_destination_is_said_beside_the_field(
    app: Flask, client, accounts, db: Session
) -> None:
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    accounts.sign_in(client, accounts.make(Role.admin))
    response = client.post(
        "/settings/webhooks/",
        data={"url": "http://127.0.0.1:8080/x", "events": ["cycle.closed"], "secret": SECRET},
    )
    assert response.status_code == 422
    assert "private network" in response.get_data(as_text=True)
    # and the deliverer refuses it too, even if it got into the table
    with app.app_context():
        create_endpoint(
            db,
            url="http://127.0.0.1:9/x",
            events=["cycle.closed"],
            secret=SECRET,
            format="json",
            user_id=None,
            allow_private=True,
        )
        emit(db, "cycle.closed", {"summary": "closed"})
        db.commit()
        assert wait_idle()
    delivery = db.exec(select(WebhookDelivery)).one()
    assert delivery.status == "pending" and "private network" in delivery.last_error


def test_no_redirect_is_followed(api: Api) -> None:
    with receiver(answers=[302]) as hook:
        register(api, hook.url, ["experiment.started"])
        started_experiment(api)
    assert [r.answered for r in hook.received] == [302]
    assert [r.path for r in hook.received] == ["/hook"]


def test_settings_show_deliveries_and_resend_one(client, accounts, api: Api) -> None:
    with receiver() as hook:
        register(api, hook.url, ["experiment.started"])
        started_experiment(api)
        accounts.sign_in(client, accounts.make(Role.admin))
        page = client.get("/settings/webhooks/").get_data(as_text=True)
        assert "experiment.started" in page and "delivered" in page and "HTTP 200" in page
        delivery_pk = api.db.exec(select(WebhookDelivery.id)).one()
        response = client.post(f"/settings/webhooks/deliveries/{delivery_pk}/resend")
        assert response.status_code == 302
        assert wait_idle()
    assert len(hook.delivered) == 2
    ids = {r.headers["X-Revloop-Delivery"] for r in hook.delivered}
    assert len(ids) == 2


def test_viewers_and_editors_cannot_open_webhook_settings(client, accounts) -> None:
    accounts.sign_in(client, accounts.make(Role.editor))
    assert client.get("/settings/webhooks/").status_code == 403


@pytest.mark.postgres
@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="needs TRACKER_TEST_DATABASE_URL"
)
def test_two_deliverers_send_each_event_once_per_endpoint(app: Flask, db: Session) -> None:
    engine = get_engine(app)
    with receiver() as one, receiver() as two:
        with app.app_context():
            for url in (one.url, two.url):
                create_endpoint(
                    db,
                    url=url,
                    events=["cycle.closed"],
                    secret=SECRET,
                    format="json",
                    user_id=None,
                    allow_private=True,
                )
            db.commit()
        for n in range(30):
            emit(db, "cycle.closed", {"summary": f"closed {n}"})
        db.commit()
        start = threading.Barrier(2)

        def deliverer() -> None:
            start.wait()
            deliver_due(engine, allow_private=True)

        threads = [threading.Thread(target=deliverer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for hook in (one, two):
        assert_once_each(hook, 30)


def test_a_busy_endpoint_does_not_hide_a_quiet_one_s_deliveries(app: Flask, db: Session) -> None:
    """Settings lists each endpoint's latest deliveries: 45 newer ones to a busy
    endpoint leave the quiet one its own 3, and the busy one shows its newest 20."""
    from tracker.models.notify import WebhookDelivery, WebhookEndpoint, WebhookEvent
    from tracker.webhooks.service import RECENT, recent_deliveries

    quiet, busy = (
        WebhookEndpoint(
            url=f"https://{name}.example.com/hook", events="cycle.closed", secret=SECRET
        )
        for name in ("quiet", "busy")
    )
    db.add_all([quiet, busy])
    db.commit()
    for endpoint, count in ((quiet, 3), (busy, 45)):
        for n in range(count):
            event = WebhookEvent(event="cycle.closed", payload={"n": n})
            db.add(event)
            db.flush()
            db.add(
                WebhookDelivery(
                    delivery_id=str(uuid.uuid4()), endpoint_id=endpoint.id, event_id=event.id
                )
            )
    db.commit()
    shown = recent_deliveries(db, [quiet.id, busy.id])
    assert len(shown[quiet.id]) == 3 and len(shown[busy.id]) == RECENT == 20
    ids = [line.delivery.id for line in shown[busy.id]]
    assert ids == sorted(ids, reverse=True)  # newest first


def assert_once_each(hook: Receiver, count: int) -> None:
    ids = [r.headers["X-Revloop-Delivery"] for r in hook.received]
    assert len(ids) == count
    assert len(set(ids)) == count


def test_the_readme_shows_how_to_verify_a_signature(api: Api) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Webhooks", 1)[1].split("### Share links", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    namespace: dict[str, object] = {}
    exec(found.group(1), namespace)
    verified = namespace["verified"]
    with receiver() as hook:
        register(api, hook.url, ["experiment.started"])
        started_experiment(api)
    [request] = hook.received
    assert verified(SECRET, request.headers, request.body)  # type: ignore[operator]
    assert not verified("not-the-secret-at-all", request.headers, request.body)  # type: ignore[operator]
    assert not verified(SECRET, request.headers, request.body + b" ")  # type: ignore[operator]


def test_the_command_delivers_what_the_web_process_did_not(app: Flask, runner, db: Session) -> None:
    with receiver() as hook:
        with app.app_context():
            create_endpoint(
                db,
                url=hook.url,
                events=["cycle.closed"],
                secret=SECRET,
                format="json",
                user_id=None,
                allow_private=True,
            )
            db.commit()
        emit(db, "cycle.closed", {"summary": "Cycle 2026-W48 closed"})  # no app: not sent yet
        db.commit()
        assert hook.received == []
        result = runner.invoke(args=["webhooks", "deliver"])
        assert result.exit_code == 0, result.output
        assert "Sent 1, will retry 0, gave up on 0." in result.output
        assert runner.invoke(args=["webhooks", "deliver"]).output.startswith("Sent 0")
    assert len(hook.delivered) == 1


def week_of(monday: date, share: float) -> dict:
    """A reading of a proportion metric (per 1,000 trials), as the API takes it."""
    return {
        "period_start": monday.isoformat(),
        "period_end": (monday + timedelta(days=6)).isoformat(),
        "successes": round(share * 1000),
        "trials": 1000,
    }


def test_a_reading_that_misses_the_weekly_target_is_announced(api: Api) -> None:
    with receiver() as hook, receiver() as slack:
        register(api, hook.url, ["metric.off_target"])
        register(api, slack.url, ["metric.off_target"], "slack")
        metric = api.metric(target=0.25)
        readings = f"/metrics/{metric['id']}/readings"
        api.ok("POST", readings, week_of(date(2026, 1, 5), 0.30), status=201)  # on target
        assert wait_idle()
        assert hook.received == []
        # two weeks in one request: the later one is where the metric stands
        weeks = [week_of(date(2026, 1, 19), 0.21), week_of(date(2026, 1, 12), 0.40)]
        api.ok("POST", readings, weeks, status=201)
        assert wait_idle()
    [request] = hook.received
    assert request.headers["X-Revloop-Event"] == "metric.off_target"
    timestamp, signature = (request.headers[f"X-Revloop-{h}"] for h in ("Timestamp", "Signature"))
    assert verify(SECRET, timestamp, request.body, signature)
    data = json.loads(request.body)["data"]
    assert data["week"] == "2026-W04"
    assert (data["value"], data["target"], data["direction"]) == (0.21, 0.25, "higher")
    assert (data["value_text"], data["target_text"]) == ("21.0%", "25.0%")
    assert data["metric"]["name"] == "Win rate" and data["metric"]["id"] == metric["id"]
    assert data["reading"]["period_start"] == "2026-01-19"
    assert data["url"] == f"https://revloop.example/metrics/{metric['id']}"
    assert data["summary"] == (
        "“Win rate” is off target in 2026-W04: 21.0% against a target of at least 25.0%."
    )
    [message] = slack.delivered
    text = json.loads(message.body)["text"]
    assert text.startswith("“Win rate” is off target in 2026-W04: 21.0%")
    assert text.endswith(f"<https://revloop.example/metrics/{metric['id']}|Open in Revloop>")


def test_the_metric_page_and_the_csv_import_announce_it_too(
    app: Flask, api: Api, client, accounts, db: Session
) -> None:
    from tracker.csvio.reader import ImportRefused
    from tracker.csvio.readings import import_readings

    with receiver() as hook:
        register(api, hook.url, ["metric.off_target"])
        cycle_length = api.metric(
            "Sales cycle length", kind="mean", unit="days", direction="lower", target=40
        )
        accounts.sign_in(client, accounts.make(Role.editor))
        form = {
            "period_start": "2026-01-05",
            "period_end": "2026-01-11",
            "n": "30",
            "mean": "45",
            "sd": "9",
        }
        answer = client.post(f"/metrics/{cycle_length['id']}/readings", data=form)
        assert answer.status_code == 302, answer.get_data(as_text=True)
        assert wait_idle()
        assert len(hook.received) == 1
        win_rate = api.metric(target=0.25)
        csv = (
            "metric,period_start,period_end,successes,trials\n"
            "Win rate,2026-01-05,2026-01-11,300,1000\n"
            "Win rate,2026-01-12,2026-01-18,200,1000\n"
            "Sales cycle length,2025-12-29,2026-01-04,,\n"
        )
        with app.app_context():
            with pytest.raises(ImportRefused):  # a refused file announces nothing
                import_readings(db, io.BytesIO(csv.encode()), user_id=None)
            db.rollback()
            good = csv.rsplit("Sales cycle length", 1)[0]
            assert import_readings(db, io.BytesIO(good.encode()), user_id=None) == 2
            db.commit()
            assert wait_idle()
    first, second = (json.loads(r.body)["data"] for r in hook.delivered)
    assert (first["metric"]["name"], first["value"], first["direction"]) == (
        "Sales cycle length",
        45.0,
        "lower",
    )
    assert "against a target of at most 40.0 days" in first["summary"]
    assert (second["metric"]["id"], second["week"], second["value"]) == (
        win_rate["id"],
        "2026-W03",
        0.2,
    )


def test_no_off_target_event_for_a_week_filled_in_late_a_met_target_or_a_rollback(
    app: Flask, api: Api, db: Session
) -> None:
    with receiver() as hook:
        register(api, hook.url, ["metric.off_target"])
        metric = api.metric(target=0.25)
        readings = f"/metrics/{metric['id']}/readings"
        api.ok("POST", readings, week_of(date(2026, 1, 12), 0.26), status=201)
        api.ok("POST", readings, week_of(date(2026, 1, 5), 0.10), status=201)  # filled in late
        with app.app_context():
            late = Reading(
                metric_id=metric["id"],
                period_start=date(2026, 1, 19),
                period_end=date(2026, 1, 25),
                successes=100,
                trials=1000,
            )
            db.add(late)
            db.flush()
            stored = db.get(Metric, metric["id"])
            readings_saved(db, metric=stored, period_starts=[late.period_start])
            assert db.exec(select(WebhookEvent)).all()  # written in the transaction
            db.rollback()
            assert wait_idle()
            assert deliver_due(get_engine(app), allow_private=True).sent == 0
        assert wait_idle()
    assert hook.received == []
    assert db.exec(select(WebhookEvent)).all() == []


def test_the_webhooks_page_reads_in_arabic(client, accounts, api: Api, db: Session) -> None:
    with receiver(answers=[500]) as hook:
        register(api, hook.url, ["experiment.started", "metric.off_target"])
        started_experiment(api)
    admin = accounts.make(Role.admin)
    admin.language = "ar"
    db.add(admin)
    db.commit()
    accounts.sign_in(client, admin)
    page = client.get("/settings/webhooks/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "خطافات الويب" in page and "قيد الانتظار" in page and "أعد الإرسال" in page
    main = page.split('<main id="main" class="page">', 1)[1].split("</main>", 1)[0]

    assert english_leftovers(main) == []
    wrong = client.post(
        "/settings/webhooks/", data={"url": "ftp://x", "events": [], "secret": "short"}
    )
    assert wrong.status_code == 422
    text = wrong.get_data(as_text=True)
    assert "يجب أن يبدأ العنوان بـ http:// أو https://." in text
    assert "اختر حدثًا واحدًا على الأقل." in text


def test_slack_speaks_the_team_language_and_the_json_stays_english(app: Flask, api: Api) -> None:
    app.config["LANGUAGE"] = "ar"
    with receiver() as hook, receiver() as slack:
        register(api, hook.url, ["metric.off_target"])
        register(api, slack.url, ["metric.off_target"], "slack")
        metric = api.metric(target=0.25)
        api.ok("POST", f"/metrics/{metric['id']}/readings", week_of(date(2026, 1, 5), 0.2), 201)
        assert wait_idle()
    data = json.loads(hook.delivered[0].body)["data"]
    assert data["summary"].startswith("“Win rate” is off target in 2026-W02")
    text = json.loads(slack.delivered[0].body)["text"]
    assert text.startswith("«Win rate» لم يبلغ المستهدف في 2026-W02")
    assert "25.0% على الأقل" in text
    assert text.endswith(f"<https://revloop.example/metrics/{metric['id']}|افتح في Revloop>")


def test_the_json_keeps_latin_digits_when_the_team_writes_arabic_ones(app: Flask, api: Api) -> None:
    app.config.update(LANGUAGE="ar", DIGITS="arab")
    with receiver() as hook:
        register(api, hook.url, ["metric.off_target"])
        metric = api.metric(target=0.25)
        api.ok("POST", f"/metrics/{metric['id']}/readings", week_of(date(2026, 1, 5), 0.2), 201)
        assert wait_idle()
    data = json.loads(hook.delivered[0].body)["data"]
    assert (data["value_text"], data["target_text"]) == ("20.0%", "25.0%")
    assert "20.0% against a target of at least 25.0%" in data["summary"]
