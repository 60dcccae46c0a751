"""The security headers on every kind of response, and pages that keep to the
Content-Security-Policy: no inline script, style or event handler anywhere."""

from __future__ import annotations

import re
import threading
import urllib.request
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from tests.conftest import Accounts
from tracker.models import Analysis, Cycle, Experiment, Hypothesis, Metric, Role

DEMO_PASSWORD = "violet tractor summit"


def directives(policy: str) -> dict[str, str]:
    pairs = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: value for name, _, value in pairs}


def assert_secure(response: Any, *, cacheable: bool = False) -> None:
    headers = response.headers
    policy = directives(headers["Content-Security-Policy"])
    for source in ("default-src", "script-src", "style-src", "font-src"):
        assert policy[source] == "'self'", source
    assert policy["img-src"] == "'self' data:"  # the report preview's charts
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers
    if cacheable:
        assert "no-store" not in headers.get("Cache-Control", "")
    else:
        assert headers["Cache-Control"] == "no-store"


@pytest.fixture
def viewer(client: FlaskClient, accounts: Accounts) -> FlaskClient:
    accounts.sign_in(client, accounts.make(Role.viewer))
    return client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/account/", 200),
        ("/experiments/", 200),
        ("/admin/users", 403),
        ("/no/such/page", 404),
        ("/experiments/999999", 404),
    ],
)
def test_pages_and_error_pages(viewer: FlaskClient, path: str, status: int) -> None:
    response = viewer.get(path)
    assert response.status_code == status
    assert_secure(response)


def test_the_sign_in_page_and_the_redirect_to_it(client: FlaskClient) -> None:
    assert_secure(client.get("/sign-in"))
    assert_secure(client.get("/account/"))


def test_api_answers(app: Flask, client: FlaskClient, accounts: Accounts, db: Session) -> None:
    from tracker.tokens.service import create_token

    token = create_token(db, user=accounts.make(Role.viewer), name="script")
    db.commit()
    auth = {"Authorization": f"Bearer {token.plain}"}
    for response, status in (
        (client.get("/api/v1/metrics", headers=auth), 200),
        (client.get("/api/v1/metrics"), 401),
        (client.get("/api/v1/nothing-here", headers=auth), 404),
        (client.get("/api/v1/openapi.json"), 200),
    ):
        assert response.status_code == status
        assert response.is_json
        assert_secure(response)


def test_static_files_keep_their_cache_but_get_the_rest(client: FlaskClient) -> None:
    for path in ("/static/css/revloop.css", "/static/js/backlog.js", "/static/no-such.css"):
        with client.get(path) as response:
            assert_secure(response, cacheable=True)
            if response.status_code == 200:
                assert "max-age" in response.headers["Cache-Control"]


def test_a_server_error_page(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-for-test", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    accounts.sign_in(client, accounts.make(Role.viewer))
    response = client.get("/broken-for-test")
    assert response.status_code == 500
    assert_secure(response)


def test_strict_transport_security_only_with_secure_cookies(
    app: Flask, client: FlaskClient
) -> None:
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    for path in ("/sign-in", "/static/css/revloop.css", "/api/v1/metrics"):
        with client.get(path) as response:
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_development_server_names_no_version(app: Flask) -> None:
    from werkzeug.serving import make_server

    from tracker.cli.serve import quiet_request_handler

    server = make_server("127.0.0.1", 0, app, request_handler=quiet_request_handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/sign-in") as answer:
            assert answer.headers.get_all("Server") == ["Revloop"]
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def pages_of_the_demo(db: Session) -> list[str]:
    paths = [
        "/",
        "/week",
        "/actions/mine",
        "/cycles",
        "/backlog/",
        "/backlog/new",
        "/experiments/",
        "/experiments/new",
        "/experiments/plan",
        "/metrics/",
        "/metrics/new",
        "/learnings/",
        "/learnings/new",
        "/areas/",
        "/calculators/",
        "/changes/",
        "/settings/",
        "/import/",
        "/account/",
        "/admin/users",
    ]
    analysed = select(Analysis.experiment_id).where(col(Analysis.chart_svg) != "")
    experiments = db.exec(select(Experiment).where(col(Experiment.id).in_(analysed)).limit(3))
    paths += [f"/experiments/{e.id}" for e in experiments.all()]
    paths += [f"/metrics/{m.id}" for m in db.exec(select(Metric).limit(2)).all()]
    paths += [f"/backlog/{h.id}" for h in db.exec(select(Hypothesis).limit(2)).all()]
    weeks = [c.iso_week for c in db.exec(select(Cycle).order_by(col(Cycle.starts_on))).all()]
    paths += [f"/cycles/{week}" for week in weeks[-2:]]
    paths.append(f"/reports/preview?range={weeks[-4]}..{weeks[-1]}")
    return paths


def test_no_page_of_the_demo_has_inline_script_style_or_handlers(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    """What the policy would block in a browser: a page added later with an
    inline style or a chart passed through ``| safe`` fails here."""
    from tracker.database import get_engine
    from tracker.demo import load_demo

    load_demo(get_engine(app), admin_email="demo@revloop.local", admin_password=DEMO_PASSWORD)
    signed = client.post(
        "/sign-in", data={"email": "demo@revloop.local", "password": DEMO_PASSWORD}
    )
    assert signed.status_code == 302
    charts = 0
    for path in pages_of_the_demo(db):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, SCRIPT_URL):
            found = pattern.search(html)
            assert found is None, f"{path}: {found.group(0)[:120] if found else ''}"
        charts += html.count('class="chart')
    assert charts > 5  # the charts are there, drawn with attributes
