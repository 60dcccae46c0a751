"""A newcomer signs in, finds the layout and signs out, in a real browser."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tracker.database import get_engine
from tracker.models import Role, User


def make_admin(app: Any) -> None:
    with Session(get_engine(app)) as session:
        user = User(
            email="lead@example.com", display_name="Lena Lead", role=Role.admin, password_hash=""
        )
        user.set_password("a long passphrase")
        session.add(user)
        session.commit()


def test_sign_in_see_the_layout_and_sign_out(live_server: Any, page: Any) -> None:
    make_admin(live_server.app)
    page.goto(live_server.url + "/")
    assert "/sign-in" in page.url
    page.fill("input[name=email]", "lead@example.com")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    assert page.locator(".alert-error").inner_text().startswith("That e-mail and password")
    assert page.input_value("input[name=email]") == "lead@example.com"
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Good to see you, Lena"
    assert page.locator(".mainnav a[aria-current=page]").inner_text() == "Dashboard"
    # the stylesheet is applied: the top bar is sticky and white
    assert page.eval_on_selector(".topbar", "e => getComputedStyle(e).position") == "sticky"
    page.click(".user-chip")
    page.click("text=Sign out")
    page.wait_for_url("**/sign-in")
    assert "You are signed out." in page.content()
