"""Signing in and out, and who may reach what (throttling: test_security_sign_in.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Accounts
from tracker.auth.routes import WRONG_CREDENTIALS
from tracker.models import Role, User

PAGES = ["/", "/account/", "/admin/users"]


def test_sign_in_and_out(client: FlaskClient, accounts: Accounts) -> None:
    user = accounts.make(Role.viewer, name="Dana Viewer")
    response = client.post("/sign-in", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Dana Viewer" in client.get("/").get_data(as_text=True)
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(
    client: FlaskClient, accounts: Accounts
) -> None:
    user = accounts.make()
    response = client.get("/account/")
    assert response.headers["Location"].startswith("/sign-in?next=")
    signed = client.post(
        "/sign-in?next=/account/", data={"email": user.email, "password": PASSWORD}
    )
    assert signed.headers["Location"] == "/account/"
    client.post("/sign-out")
    signed = client.post(
        "/sign-in?next=//evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert signed.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, accounts: Accounts
) -> None:
    user = accounts.make()
    wrong = client.post("/sign-in", data={"email": user.email, "password": "nope-nope-nope"})
    unknown = client.post("/sign-in", data={"email": "who@example.com", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        page = response.get_data(as_text=True)
        assert WRONG_CREDENTIALS in page
    # what was typed comes back, except the password
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)
    assert "nope-nope-nope" not in wrong.get_data(as_text=True)


def test_empty_fields_get_messages_beside_them(client: FlaskClient) -> None:
    page = client.post("/sign-in", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Enter your e-mail address." in page
    assert "Enter your password." in page


def test_deactivated_user_cannot_sign_in(client: FlaskClient, accounts: Accounts) -> None:
    user = accounts.make(active=False)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401
    assert WRONG_CREDENTIALS in response.get_data(as_text=True)


def test_nine_failures_do_not_lock(client: FlaskClient, accounts: Accounts) -> None:
    user = accounts.make()
    for _ in range(9):
        client.post("/sign-in", data={"email": user.email, "password": "wrong-password"})
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_real_password_hashing_round_trips() -> None:
    user = User(email="a@example.com", display_name="A", password_hash="")
    user.set_password("a long passphrase")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("a long passphrase")
    assert not user.check_password("a long passphrasE")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_but_sign_in_redirects_an_anonymous_visitor(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_every_registered_page_needs_sign_in(app: Flask, client: FlaskClient) -> None:
    """Walks the URL map, so a page added later cannot forget the rule. The JSON
    API answers 401 itself (tested in test_api.py), and its OpenAPI document is
    public."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"static", "auth.sign_in"} or rule.arguments - set(rule.defaults or {}):
            continue
        if rule.endpoint.startswith("api."):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(rule.rule, method=method)
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/sign-in"), rule.rule


def test_sign_in_page_is_public(client: FlaskClient) -> None:
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert 'name="email"' in response.get_data(as_text=True)


def test_stylesheet_is_served(client: FlaskClient) -> None:
    with client.get("/static/css/revloop.css") as response:
        assert response.status_code == 200
        assert b"--brand" in response.data


def test_viewer_reads_but_gets_403_on_changes(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.viewer)
    assert client.get("/").status_code == 200
    assert client.get("/account/").status_code == 200
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users", data={"email": "x@example.com"}).status_code == 403


def test_editor_cannot_manage_users(client: FlaskClient, signed_in: Callable[[Role], User]) -> None:
    signed_in(Role.editor)
    assert client.get("/admin/users").status_code == 403
    page = client.get("/").get_data(as_text=True)
    assert "Manage users" not in page


def test_error_pages_sit_inside_the_layout(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.viewer)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Not found" in page and 'class="topbar"' in page
    forbidden = client.get("/admin/users").get_data(as_text=True)
    assert "Your role does not allow this" in forbidden


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config: dict[str, object]) -> dict[str, object]:
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused(self, client: FlaskClient, accounts: Accounts) -> None:
        user = accounts.make()
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert "security token" in response.get_data(as_text=True)

    def test_every_form_carries_a_token_and_works_with_it(
        self, client: FlaskClient, accounts: Accounts
    ) -> None:
        import re

        user = accounts.make(Role.admin)
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        response = client.post(
            "/sign-in",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert response.status_code == 302
        for path in ("/", "/account/", "/admin/users"):
            page = client.get(path).get_data(as_text=True)
            tokens = re.findall(r'<input[^>]*name="(?:\w+-)?csrf_token"[^>]*value="[^"]+"', page)
            assert page.count("<form") == len(tokens), path
