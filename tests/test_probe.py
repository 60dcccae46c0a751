"""Every route in the URL map, walked with hostile path and query values and a
sample of hostile form posts: no answer is a 5xx, and everything under /api/v1
(its 404s, 405s and Flask's own errors included) answers JSON."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.test_api_support import Api
from tracker.models import Role

# Unicode digits (superscript two passes str.isdigit() but int() refuses it;
# Arabic-Indic digits do parse), past 64 and 32 bits, negative, empty, huge.
HOSTILE = [
    "²",
    "١٢",
    str(2**63),
    str(2**31),
    "-1",
    "",
    "x" * 10_000,
    "NaN",
    "inf",
    "1e309",
    "99999",
    "0",
    "\x00",
]
PATH_HOSTILE = ["²", "١٢", str(2**63), str(2**31), "0", "-1", "x" * 10_000, "99999"]
QUERY_NAMES = [
    "page",
    "per_page",
    "area",
    "area_id",
    "process",
    "owner",
    "owner_id",
    "experiment",
    "metric",
    "metric_id",
    "hypothesis",
    "hypothesis_id",
    "cycle",
    "status",
    "q",
    "show",
    "preset",
    "entity",
    "alternative",
    "mde_relative",
    "share",
    "range",
    "week",
    "kind",
    "baseline",
    "mde",
    "alpha",
    "power",
    "next",
]
QUIET = {"/api/v1/openapi.json"}  # reads no query (and takes a while to build)
SKIP = {"/static/<path:filename>", "/sign-out", "/reports/pdf"}
API = "/api/v1"


@pytest.fixture
def world(app: Flask, client: FlaskClient, db: Any, accounts: Any) -> Iterator[Api]:
    """An admin signed in on ``client`` and an admin token, over a little of everything."""
    api = Api(client=client, db=db, accounts=accounts)
    api.token(Role.admin)
    metric = api.metric()
    api.weeks_of_readings(metric["id"], weeks=4, start=date(2026, 1, 5))
    hypothesis = api.hypothesis(metric["id"])
    experiment = api.experiment(metric["id"], hypothesis_id=hypothesis["id"])
    api.ok("POST", f"/experiments/{experiment['id']}/start")
    api.ok(
        "POST",
        f"/experiments/{experiment['id']}/results",
        {
            "metric_id": metric["id"],
            "arms": {
                "control": {"successes": 40, "trials": 400},
                "B": {"successes": 55, "trials": 400},
            },
        },
        status=201,
    )
    api.ok("POST", "/actions", {"title": "Call back the lost deals"}, status=201)
    api.ok("POST", "/learnings", {"text": "Short forms convert better"}, status=201)
    accounts.sign_in(client, api.users[Role.admin])
    # a bug answers 500 (which the checks report) instead of stopping the walk
    app.config["PROPAGATE_EXCEPTIONS"] = False
    got_request_exception.connect(_record, app)
    yield api
    got_request_exception.disconnect(_record, app)
    LAST_ERROR.clear()


LAST_ERROR: list[str] = []


def _record(_sender: Any, exception: BaseException, **_extra: Any) -> None:
    """Name the exception behind a 500 in the failure message."""
    LAST_ERROR[:] = [f"{type(exception).__name__}: {str(exception)[:200]}"]


def _valid(rule: Rule, name: str) -> str:
    converter = type(rule._converters[name]).__name__
    if converter == "IntegerConverter":
        return "1"
    if converter == "AnyConverter":
        return sorted(rule._converters[name].items)[0]  # type: ignore[attr-defined]
    if name == "iso_week":
        return date.today().strftime("%G-W%V")
    return "up"


def _path(rule: Rule, **values: str) -> str:
    path = rule.rule
    for name in rule.arguments:
        value = values.get(name, _valid(rule, name))
        path = re.sub(rf"<[^>]*:?{name}>", value, path)
    return path


def _headers(path: str, api: Api) -> dict[str, str]:
    if path.startswith(API):
        return {"Authorization": f"Bearer {api.tokens[Role.admin]}"}
    return {}


def _check(response: Any, method: str, path: str, problems: list[str], **sent: Any) -> None:
    where = f"{method} {path[:80]} {str(sent)[:160]}"
    response.get_data()  # run streamed answers (CSV exports) to the end
    if response.status_code >= 500:
        problems.append(f"{response.status_code} {where} {LAST_ERROR[-1:]}")
    if path.startswith(API) and not response.is_json:
        problems.append(f"not JSON ({response.status_code}, {response.mimetype}) {where}")
    if path.startswith(API) and response.status_code >= 400:
        body = response.get_json(silent=True) or {}
        if "error" not in body:
            problems.append(f"no error body ({response.status_code}) {where}")


def _rules(app: Flask, method: str) -> list[Rule]:
    return [
        rule
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        if method in (rule.methods or set()) and rule.rule not in SKIP
    ]


FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')


def test_hostile_gets_never_fail(app: Flask, client: FlaskClient, world: Api) -> None:
    problems: list[str] = []
    for rule in _rules(app, "GET"):
        for name in rule.arguments:
            for value in PATH_HOSTILE:
                path = _path(rule, **{name: value})
                response = client.get(path, headers=_headers(path, world))
                _check(response, "GET", path, problems)
        path = _path(rule)
        for value in HOSTILE:
            query = dict.fromkeys(QUERY_NAMES, value)
            response = client.get(path, query_string=query, headers=_headers(path, world))
            _check(response, "GET", path, problems, query=value)
        if not path.startswith(API) or rule.rule in QUIET:
            continue  # pages ignore a filter they cannot read; the API refuses the first
        for index, name in enumerate(QUERY_NAMES):
            value = HOSTILE[index % len(HOSTILE)]
            response = client.get(path, query_string={name: value}, headers=_headers(path, world))
            _check(response, "GET", path, problems, **{name: value})
    assert not problems, "\n".join(problems)


def test_hostile_posts_never_fail(app: Flask, client: FlaskClient, world: Api) -> None:
    """Each form's own fields (and, for buttons, every field seen anywhere) filled with
    each hostile value; unknown ids in the meeting form are refused with a message."""
    seen: set[str] = set()
    forms: dict[str, list[str]] = {}
    for rule in _rules(app, "GET"):
        if rule.arguments - {"experiment_id", "hypothesis_id", "metric_id", "learning_id"}:
            continue
        path = _path(rule)
        if path.startswith(API):
            continue
        names = FIELD_NAME.findall(client.get(path).get_data(as_text=True))
        forms[path] = names
        seen.update(names)
    seen.discard("csrf_token")
    problems: list[str] = []
    for rule in _rules(app, "POST"):
        path = _path(rule)
        if path.startswith(API):
            for body in ({"version": 2**63}, {"id": "²", "title": "x" * 10_000}, [], "x"):
                response = client.post(path, json=body, headers=_headers(path, world))
                _check(response, "POST", path, problems, json=body)
            response = client.post(path, data="{", headers=_headers(path, world))
            _check(response, "POST", path, problems, body="{")
            continue
        names = sorted(set(forms.get(path) or seen) - {"csrf_token"})
        for value in HOSTILE:
            response = client.post(path, data=dict.fromkeys(names, value))
            _check(response, "POST", path, problems, value=value)
    assert not problems, "\n".join(problems)


def test_api_errors_are_json(app: Flask, client: FlaskClient, world: Api) -> None:
    headers = _headers(API, world)
    for method, path in [
        ("GET", f"{API}/nowhere"),
        ("DELETE", f"{API}/metrics"),
        ("PUT", f"{API}/hypotheses/1"),
        ("GET", f"{API}/metrics/{2**63}"),
        ("GET", f"{API}/metrics/²"),
        ("GET", f"{API}/metrics?page=²"),
    ]:
        response = client.open(path, method=method, headers=headers)
        assert response.is_json, (method, path, response.status_code)
        assert response.status_code in (404, 405, 422), (method, path)
        assert response.get_json()["error"]["message"]
    response = client.get(f"{API}/metrics")
    assert response.status_code == 401 and response.is_json


def test_api_unexpected_errors_are_json(app: Flask, world: Api, monkeypatch: Any) -> None:
    """A bug behind the API still answers in the API's shape, not the HTML page."""
    import tracker.api.metrics as metrics

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(metrics, "paginated", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = world.get("/metrics", role=Role.admin)
    assert response.status_code == 500
    assert response.is_json
    assert response.get_json()["error"]["code"] == "server_error"
