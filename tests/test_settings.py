"""The team's settings: admins only, the priority model and the time zone."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.arabic_pages import visible_text
from tracker.models import Change, PriorityModel, Role, TeamSettings, User


def test_only_admins_see_or_change_settings(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.editor)
    assert client.get("/settings/").status_code == 403
    assert client.post("/settings/", data={"priority_model": "pie"}).status_code == 403
    client.post("/sign-out")
    signed_in(Role.viewer)
    assert client.get("/settings/").status_code == 403
    assert client.post("/settings/", data={"priority_model": "pie"}).status_code == 403


def test_the_page_explains_each_model(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.admin)
    page = client.get("/settings/").get_data(as_text=True)
    assert "Impact, Confidence and Ease, each 1 to 10" in page
    assert "Reach × Impact × Confidence ÷ Effort" in page
    assert "Potential, Importance and Ease" in page
    assert "does not rescore old hypotheses" in page


def test_change_model_and_zone_writes_the_log(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    admin = signed_in(Role.admin)
    response = client.post(
        "/settings/", data={"priority_model": "rice", "timezone": " Asia/Dubai "}
    )
    assert response.status_code == 302
    settings = db.get(TeamSettings, 1)
    assert settings.priority_model == PriorityModel.rice and settings.timezone == "Asia/Dubai"
    log = {(c.field, c.old_value, c.new_value, c.user_id) for c in db.exec(select(Change)).all()}
    assert log == {
        ("priority_model", "ice", "rice", admin.id),
        ("timezone", "UTC", "Asia/Dubai", admin.id),
    }


def test_an_unknown_zone_is_refused_beside_the_field(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.admin)
    response = client.post("/settings/", data={"priority_model": "pie", "timezone": "Mars/Olympus"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“Mars/Olympus” is not a time zone Revloop knows" in visible_text(page)
    assert 'value="Mars/Olympus"' in page
    assert 'value="pie" checked' in page or 'checked id="priority_model-2"' in page
    assert db.get(TeamSettings, 1).timezone == "UTC"
    response = client.post("/settings/", data={"priority_model": "xyz", "timezone": "UTC"})
    assert response.status_code == 422
