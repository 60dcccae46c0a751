"""Share links: a link opens its one report without signing in, and nothing
else; it expires; it stops when revoked; each use is counted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.arabic_pages import english_leftovers
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


def retro_link(editor_client: FlaskClient, db: Session) -> tuple[str, ShareLink]:
    path = make_link(editor_client, kind="retro", range_text="2026-W40..2026-W44")
    return path, db.exec(select(ShareLink).where(ShareLink.kind == "retro")).one()


def test_a_link_to_a_range_that_no_longer_reads_shows_a_clear_page(
    app, editor_client: FlaskClient, db: Session
) -> None:
    path, link = retro_link(editor_client, db)
    # a range longer than a report may cover (27 cycles), as a link made before
    # the limit, or edited in the database, could hold
    link.range_text = "2024-W01..2026-W40"
    db.add(link)
    db.commit()
    page = app.test_client().get(path)
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "The report behind this link cannot be made." in text
    assert "Ask the person who shared it for a new link, to a shorter range." in text
    assert "2024-W01..2026-W40" in text
    assert "Sign out" not in text and page.headers["Referrer-Policy"] == "no-referrer"
    link.range_text = "not a range"
    db.add(link)
    db.commit()
    assert app.test_client().get(path).status_code == 422


def test_a_report_too_large_or_too_slow_shows_a_clear_page(
    app, editor_client: FlaskClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.reports import render

    path, _link = retro_link(editor_client, db)
    stranger = app.test_client()
    monkeypatch.setattr(render, "MAX_EXPERIMENTS", -1)  # any range holds too many
    too_large = stranger.get(path)
    assert too_large.status_code == 422
    assert "The report behind this link cannot be made." in too_large.get_data(as_text=True)
    monkeypatch.undo()
    monkeypatch.setattr(render, "WEB_TIME_LIMIT", -1.0)  # past its limit at once
    too_slow = stranger.get(path)
    assert too_slow.status_code == 503
    assert too_slow.headers["Retry-After"] == "60"
    text = too_slow.get_data(as_text=True)
    assert "The report took too long to make." in text and "Try again in a minute" in text


def test_a_shared_page_speaks_the_reader_language(
    app, editor_client: FlaskClient, db: Session
) -> None:
    path = make_link(editor_client, label="مجلس الإدارة")
    stranger = app.test_client()
    page = stranger.get(path, headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "أين تقف الحلقة في" in page and "للقراءة فقط" in page
    assert "<bdi>مجلس الإدارة</bdi>" in page
    main = page.split('<main id="main" class="page">', 1)[1].split("</main>", 1)[0]
    assert english_leftovers(main) == []
    path, link = retro_link(editor_client, db)
    link.range_text = "2024-W01..2026-W40"
    db.add(link)
    db.commit()
    gone = stranger.get(path, headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "تعذّر إعداد التقرير الذي يشير إليه هذا الرابط." in gone
    # the reason too is in the reader's language, the range itself left to right
    gone_main = gone.split('<main id="main" class="page">', 1)[1].split("</main>", 1)[0]
    assert english_leftovers(gone_main) == []
    assert "والتقرير يغطي 27 على الأكثر" in gone_main


def test_the_share_links_page_reads_in_arabic(client: FlaskClient, accounts, db: Session) -> None:
    editor = accounts.make(Role.editor)
    editor.language = "ar"
    db.add(editor)
    db.commit()
    accounts.sign_in(client, editor)
    make_link(client, kind="retro", range_text="2026-W40..2026-W44", label="Board")
    page = client.get("/settings/share-links/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page and "روابط المشاركة" in page
    main = page.split('<main id="main" class="page">', 1)[1].split("</main>", 1)[0]
    assert english_leftovers(main) == []
    wrong = client.post("/settings/share-links/", data={"kind": "retro", "days": "120"})
    assert wrong.status_code == 422
    assert "يبقى الرابط صالحًا من يوم واحد إلى 90 يومًا." in wrong.get_data(as_text=True)
