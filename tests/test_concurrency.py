"""Writers racing for one version, with real threads on a real database file.

Twenty writers send the same version at once: exactly one saves, nineteen get
409 and change nothing. Ten closes of one week close it once and carry each
item once. The database is a SQLite file here, or PostgreSQL when
TRACKER_TEST_DATABASE_URL names it (CI runs both).

To make the race certain rather than likely, every writer waits, after it has
read the record and passed every check in Python, until all the others have too
(a barrier in ``before_flush``): only the database's ``UPDATE ... WHERE
version = :v`` is left to tell them apart.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlmodel import Session, select

from experiments.cycles import Phase
from tests.conftest import TEST_DATABASE_URL
from tests.test_api_support import Api
from tracker.database import ENGINE_KEY, build_engine
from tracker.models import ActionItem, Cycle, Experiment, Hypothesis, Metric, Role

WRITERS = 20
CLOSERS = 10


@pytest.fixture
def app_config(app_config: dict[str, object], tmp_path: Any) -> dict[str, object]:
    """A database file, not SQLite's one shared in-memory connection."""
    if TEST_DATABASE_URL.startswith("sqlite"):
        return {**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite'}"}
    return app_config


@pytest.fixture
def racing_app(app: Flask) -> Iterator[Flask]:
    """The app with a connection for every writer at once."""
    small = app.extensions[ENGINE_KEY]
    url = small.url.render_as_string(hide_password=False)
    app.extensions[ENGINE_KEY] = build_engine(url, pool_size=WRITERS + 5, max_overflow=5)
    small.dispose()
    yield app
    app.extensions[ENGINE_KEY].dispose()


@pytest.fixture
def api(racing_app: Flask, db: Session, accounts: Any) -> Api:
    return Api(client=racing_app.test_client(), db=db, accounts=accounts)


@contextmanager
def all_read_before_any_write(model: type, parties: int) -> Iterator[None]:
    """Hold each session's flush of a changed ``model`` until ``parties`` are there."""
    barrier = threading.Barrier(parties, timeout=30)

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        if any(isinstance(record, model) for record in session.dirty):
            with suppress(threading.BrokenBarrierError):
                barrier.wait()

    event.listen(Session, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", before_flush)


def at_once(requests: list[Callable[[], Any]]) -> list[Any]:
    """Run the requests on as many threads, released together."""
    start = threading.Barrier(len(requests), timeout=30)

    def run(request: Callable[[], Any]) -> Any:
        start.wait()
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(run, requests))


def api_burst(app: Flask, api: Api, path: str, bodies: list[dict[str, Any]]) -> list[Any]:
    headers = {"Authorization": f"Bearer {api.token(Role.editor)}"}
    api.get("/areas")  # the token's last use is written now, not during the race

    def patch(body: dict[str, Any]) -> Callable[[], Any]:
        return lambda: app.test_client().patch(f"/api/v1{path}", json=body, headers=headers)

    return at_once([patch(body) for body in bodies])


def one_winner(responses: list[Any], success: int = 200) -> int:
    """The index of the one writer that saved; every other got 409 stale_version."""
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {success: 1, 409: len(responses) - 1}, statuses
    for response in responses:
        if response.status_code == 409 and response.is_json:
            assert response.get_json()["error"]["code"] == "stale_version"
    return next(i for i, r in enumerate(responses) if r.status_code == success)


def reread(db: Session, model: type, record_id: int) -> Any:
    db.expire_all()
    return db.get(model, record_id)


def test_twenty_hypothesis_writers_leave_one_winner(racing_app, api, db):
    metric = api.metric()
    hypothesis = api.hypothesis(metric["id"])
    bodies = [{"version": hypothesis["version"], "title": f"Title {i}"} for i in range(WRITERS)]
    with all_read_before_any_write(Hypothesis, WRITERS):
        responses = api_burst(racing_app, api, f"/hypotheses/{hypothesis['id']}", bodies)
    winner = one_winner(responses)
    saved = reread(db, Hypothesis, hypothesis["id"])
    assert saved.title == f"Title {winner}"
    assert saved.version == hypothesis["version"] + 1


def test_twenty_experiment_writers_leave_one_winner(racing_app, api, db):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    experiment = api.experiment(metric["id"])
    bodies = [{"version": experiment["version"], "title": f"Design {i}"} for i in range(WRITERS)]
    with all_read_before_any_write(Experiment, WRITERS):
        responses = api_burst(racing_app, api, f"/experiments/{experiment['id']}", bodies)
    winner = one_winner(responses)
    saved = reread(db, Experiment, experiment["id"])
    assert saved.title == f"Design {winner}"
    assert saved.version == experiment["version"] + 1


def test_twenty_action_writers_leave_one_winner(racing_app, api, db):
    item = api.ok("POST", "/actions", {"title": "Call the lost deals"}, status=201)
    bodies = [{"version": item["version"], "title": f"Call {i}"} for i in range(WRITERS)]
    with all_read_before_any_write(ActionItem, WRITERS):
        responses = api_burst(racing_app, api, f"/actions/{item['id']}", bodies)
    winner = one_winner(responses)
    saved = reread(db, ActionItem, item["id"])
    assert saved.title == f"Call {winner}"
    assert saved.version == item["version"] + 1


def test_twenty_metric_editors_leave_one_winner(racing_app, api, db, accounts):
    metric = api.metric(unit="%")
    editor = accounts.make(Role.editor)
    clients = [racing_app.test_client() for _ in range(WRITERS)]
    for client in clients:
        accounts.sign_in(client, editor)

    def save(client: Any, index: int) -> Callable[[], Any]:
        form = {
            "name": f"Win rate {index}",
            "area_id": str(metric["area_id"]),
            "stage_id": "",
            "kind": "proportion",
            "unit": "%",
            "direction": "higher",
            "formula": "",
            "description": "",
            "version": str(metric["version"]),
        }
        return lambda: client.post(f"/metrics/{metric['id']}/edit", data=form)

    with all_read_before_any_write(Metric, WRITERS):
        responses = at_once([save(client, i) for i, client in enumerate(clients)])
    winner = one_winner(responses, success=302)
    saved = reread(db, Metric, metric["id"])
    assert saved.name == f"Win rate {winner}"
    assert saved.version == metric["version"] + 1
    loser = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "changed by someone else" in loser
    assert f"Win rate {winner}" in loser  # what the saved version now reads


def test_ten_closes_of_one_week_close_it_once(racing_app, api, db):
    week = api.ok("GET", "/cycles/current")["iso_week"]
    for title in ("Call the lost deals", "Rewrite the demo script"):
        api.ok("POST", "/actions", {"title": title}, status=201)
    headers = {"Authorization": f"Bearer {api.token(Role.editor)}"}

    def close() -> Any:
        client = racing_app.test_client()
        return client.post("/api/v1/cycles/current/close", json={"iso_week": week}, headers=headers)

    responses = at_once([close for _ in range(CLOSERS)])
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {200: 1, 409: CLOSERS - 1}, statuses
    closed = next(r for r in responses if r.status_code == 200).get_json()
    assert closed["closed"] == week and closed["carried"] == 2
    for response in responses:
        if response.status_code == 409:
            error = response.get_json()["error"]
            assert error["code"] == "already_closed"
            assert error["current"]["iso_week"] == closed["current"]
    db.expire_all()
    cycles = db.exec(select(Cycle).order_by(Cycle.starts_on)).all()
    assert [(c.iso_week, c.phase) for c in cycles] == [
        (week, Phase.closed),
        (closed["current"], Phase.analyse),
    ]
    items = db.exec(select(ActionItem)).all()
    assert [item.carried_count for item in items] == [1, 1]
    assert {item.cycle_id for item in items} == {cycles[1].id}
