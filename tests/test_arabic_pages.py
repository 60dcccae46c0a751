"""The pages of the team's tools in Arabic (issue 16): sign-in, users, areas,
backlog, calculators, change log, CSV import, learnings, metrics, settings and
the error pages, walked on the demo data as an Arabic-speaking admin.

Every page must be laid out right to left and leave no interface text in
English (user-written text and left-to-right figures aside, see
``tests/arabic_pages.py``); the same pages must still render in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.arabic_pages import english_leftovers
from tracker.database import get_engine
from tracker.demo import load_demo
from tracker.models import Area, Hypothesis, Learning, Metric, MetricKind

DEMO_EMAIL = "demo@revloop.local"
DEMO_PASSWORD = "demo password 9"


@pytest.fixture
def demo(app: Flask, db: Session) -> dict[str, Any]:
    """The demo quarter, with the ids of a few of its records."""
    load_demo(get_engine(app), admin_email=DEMO_EMAIL, admin_password=DEMO_PASSWORD)
    metrics = {m.kind: m for m in db.exec(select(Metric).order_by(Metric.id)).all()}
    return {
        "area": db.exec(select(Area).order_by(Area.id)).first(),
        "hypothesis": db.exec(select(Hypothesis).order_by(Hypothesis.id)).first(),
        "learning": db.exec(select(Learning).order_by(Learning.id)).first(),
        "metrics": metrics,
    }


def _sign_in(client: FlaskClient, language: str) -> None:
    response = client.post(
        "/sign-in",
        data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 302


def _pages(demo: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """(method, path, form data): every page of this half of the interface,
    lists, details, forms, empty states and forms sent back with errors."""
    area = demo["area"].id
    hypothesis = demo["hypothesis"].id
    learning = demo["learning"].id
    metrics = demo["metrics"]
    yield "GET", "/admin/users", None
    yield "POST", "/admin/users", {"email": "not an address", "display_name": "", "role": "editor"}
    yield "GET", "/areas/", None
    yield "GET", f"/areas/{area}/edit", None
    yield "POST", "/areas/", {"area-name": "", "area-description": ""}
    yield "POST", "/areas/stages", {"stage-name": ""}
    yield "GET", "/backlog/", None
    yield "GET", "/backlog/?status=any", None
    yield "GET", "/backlog/?status=parked&area=999999", None
    yield "GET", "/backlog/new", None
    yield "POST", "/backlog/new", {"title": "", "expected_effect": "-4"}
    yield "GET", f"/backlog/{hypothesis}", None
    yield "GET", f"/backlog/{hypothesis}/edit", None
    yield "GET", "/calculators/", None
    size = "size-kind=proportion&size-baseline=12&size-mde=10&size-mde_type=relative"
    size += "&size-alpha=0.05&size-power=0.8&size-alternative=two-sided&size-variants=2"
    size += "&size-ratio=1&size-weekly_volume=900&calc=size"
    yield "GET", "/calculators/?" + size, None
    yield "GET", "/calculators/?size-kind=mean&size-baseline=&size-alpha=2&calc=size", None
    sig = "sig-kind=proportion&sig-alpha=0.05&sig-alternative=two-sided"
    for control, variant in (("100", "130"), ("1", "3")):
        arms = f"&sig-control_successes={control}&sig-control_trials=1000"
        arms += f"&sig-variant_successes={variant}&sig-variant_trials=1000"
        yield "GET", f"/calculators/?{sig}{arms}&calc=sig", None
    yield (
        "GET",
        f"/calculators/?{sig}&sig-control_successes=20&sig-control_trials=10&calc=sig",
        None,
    )
    yield "GET", "/changes/", None
    yield "GET", "/changes/?entity=hypothesis", None
    yield "GET", "/changes/?page=2", None
    yield "GET", "/import/", None
    yield "POST", "/import/readings", {}
    yield "GET", "/learnings/", None
    yield "GET", "/learnings/?q=zzzz-nothing-matches", None
    yield "GET", "/learnings/new", None
    yield "POST", "/learnings/new", {"text": "", "tags": "x" * 400}
    yield "GET", f"/learnings/{learning}/edit", None
    yield "GET", "/metrics/", None
    yield "GET", "/metrics/new", None
    yield "GET", "/metrics/new?preset=1", None
    yield "POST", "/metrics/new", {"name": "", "kind": "proportion", "target": "140"}
    for metric in metrics.values():
        yield "GET", f"/metrics/{metric.id}", None
        yield "GET", f"/metrics/{metric.id}/edit", None
    proportion = metrics[MetricKind.proportion].id
    yield "POST", f"/metrics/{proportion}/readings", {"period_start": "2026-01-05"}
    yield "GET", "/settings/", None
    yield "POST", "/settings/", {"priority_model": "ice", "timezone": "Mars/Base", "currency": "$"}
    yield "GET", "/no-such-page", None
    yield "GET", "/backlog/999999", None
    yield "GET", "/areas/stages", None  # a page that only takes a form: 405
    # saves that succeed: the messages that follow them, then the page
    yield "POST", "/areas/", {"area-name": "Partnerships", "area-description": ""}
    yield "POST", f"/areas/{area}/move/down", {}
    week = {"period_start": "2020-01-06", "period_end": "2020-01-12"}
    yield "POST", f"/metrics/{proportion}/readings", {**week, "successes": "3", "trials": "9"}
    yield "POST", "/learnings/new", {"text": "Peers convince.", "tags": "case study"}
    yield (
        "POST",
        "/settings/",
        {"priority_model": "ice", "timezone": "Asia/Dubai", "currency": "SAR"},
    )
    invite = {"email": "rania@example.com", "display_name": "Rania", "role": "viewer"}
    yield "POST", "/admin/users", invite


def _visit(client: FlaskClient, method: str, path: str, data: dict[str, Any] | None) -> Any:
    if method == "GET":
        return client.get(path)
    return client.post(
        path, data=data or {}, content_type="multipart/form-data", follow_redirects=True
    )


def test_every_page_reads_in_arabic_right_to_left(
    app: Flask, client: FlaskClient, demo: dict[str, Any]
) -> None:
    app.config["LANGUAGE"] = "ar"
    found: dict[str, list[str]] = {}
    sign_in = client.get("/sign-in").get_data(as_text=True)
    wrong = client.post("/sign-in", data={"email": DEMO_EMAIL, "password": "wrong"})
    for path, html in (("/sign-in", sign_in), ("POST /sign-in", wrong.get_data(as_text=True))):
        assert 'dir="rtl"' in html
        if leftovers := english_leftovers(html):
            found[path] = leftovers
    _sign_in(client, "ar")
    for method, path, data in _pages(demo):
        response = _visit(client, method, path, data)
        assert response.status_code < 500, (method, path)
        html = response.get_data(as_text=True)
        assert '<html lang="ar" dir="rtl">' in html, (method, path)
        if leftovers := english_leftovers(html):
            found[f"{method} {path}"] = leftovers
    assert found == {}, "\n".join(f"{page}: {texts}" for page, texts in found.items())


def test_the_same_pages_still_read_in_english(
    app: Flask, client: FlaskClient, demo: dict[str, Any]
) -> None:
    app.config["LANGUAGE"] = "en"
    assert "Sign in" in client.get("/sign-in").get_data(as_text=True)
    _sign_in(client, "en")
    for method, path, data in _pages(demo):
        response = _visit(client, method, path, data)
        assert response.status_code < 500, (method, path)
        html = response.get_data(as_text=True)
        assert '<html lang="en" dir="ltr">' in html, (method, path)
        assert not any("\u0600" <= ch <= "\u06ff" for ch in _interface_text(html)), (method, path)
    backlog = client.get("/backlog/").get_data(as_text=True)
    assert "Hypotheses worth testing, highest priority first." in backlog


def _interface_text(html: str) -> str:
    """The page without the runs that hold user-written text: English pages
    must not show Arabic interface text."""
    import re

    html = re.sub(r'<([a-z0-9]+)[^>]*\bdir="(auto|rtl)"[^>]*>.*?</\1>', "", html, flags=re.S)
    html = re.sub(r"<bdi[^>]*>.*?</bdi>", "", html, flags=re.S)
    html = re.sub(r"<(option|optgroup|textarea|input)[^>]*>(.*?</\1>)?", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)
