"""Share links: a link opens its one report without signing in, and nothing
else; it expires; it stops when revoked; each use is counted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tracker.models import Role
from tracker.models.notify import ShareLink
from tracker.models.types import utcnow
from tracker.share.service import token_hash


def make_link(client: FlaskClient, **fields: str) -> str:
    data = {"kind": "dashboard", "range_text": "", "days": "7", "label": "Board", **fields}
    response = client.post("/settings/share-links/", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    found = re.search(r'id="new-link"[^>]*>([^<]+)<', response.get_data(as_text=True))
    assert found, "the new link is shown once"
    return found.group(1).replace("http://localhost", "")


@pytest.fixture
def editor_client(client: FlaskClient, accounts) -> FlaskClient:
    accounts.sign_in(client, accounts.make(Role.editor))
    return client


def test_a_dashboard_link_opens_without_signing_in_and_nothing_else(
    app, editor_client: FlaskClient, db: Session
) -> None:
    path = make_link(editor_client)
    [link] = db.exec(select(ShareLink)).all()
    assert link.token_hash == token_hash(path.rsplit("/", 1)[1])  # only the hash is kept
    stranger = app.test_client()
    page = stranger.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Where the loop stands in" in text and "read-only" in text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Sign out" not in text
    for other in (
        "/",
        "/week",
        "/experiments/",
        "/reports/",
        "/settings/share-links/",
        "/account/",
        "/metrics/",
    ):
        answer = stranger.get(other)
        assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"], other
    stranger.get(path)
    db.expire_all()
    assert db.get(ShareLink, link.id).uses == 2
    listing = editor_client.get("/settings/share-links/").get_data(as_text=True)
    assert re.search(r'<td class="num">2</td>', listing)


def test_a_retrospective_link_serves_the_pdf(app, editor_client: FlaskClient) -> None:
    path = make_link(editor_client, kind="retro", range_text="2026-W40..2026-W44")
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "inline" in response.headers["Content-Disposition"]


def test_bad_fields_are_said_beside_them(editor_client: FlaskClient) -> None:
    response = editor_client.post(
        "/settings/share-links/", data={"kind": "retro", "range_text": "soon", "days": "120"}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "1 to 90 days" in text
    assert "2026-W48" in text  # how a week is written


def test_a_link_expires(app, editor_client: FlaskClient, db: Session) -> None:
    path = make_link(editor_client)
    link = db.exec(select(ShareLink)).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.add(link)
    db.commit()
    assert app.test_client().get(path).status_code == 404
    assert "Expired" in editor_client.get("/settings/share-links/").get_data(as_text=True)


def test_a_revoked_link_stops_working(app, editor_client: FlaskClient, db: Session) -> None:
    path = make_link(editor_client)
    stranger = app.test_client()
    assert stranger.get(path).status_code == 200
    link = db.exec(select(ShareLink)).one()
    assert editor_client.post(f"/settings/share-links/{link.id}/revoke").status_code == 302
    gone = stranger.get(path)
    assert gone.status_code == 404
    assert "does not open" in gone.get_data(as_text=True)
    assert stranger.get(path + "x").status_code == 404


def test_viewers_cannot_make_links(client: FlaskClient, accounts) -> None:
    accounts.sign_in(client, accounts.make(Role.viewer))
    assert client.get("/settings/share-links/").status_code == 403
