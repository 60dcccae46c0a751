"""The password rule in every door: the account page, the command line and
the demo; and the one-time password that must be replaced before anything."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from tests.conftest import PASSWORD, Accounts
from tracker.models import ApiToken, Role, User
from tracker.security.passwords import (
    MIN_LENGTH,
    common_passwords,
    password_problem,
)

EMAIL = "dana.lee@example.com"
REFUSED = {
    "short": ("eleven char", "Use at least 12 characters."),
    "common": ("Password1234", "That is one of the most common passwords"),
    "keyboard": ("qwertyuiop123", "That is one of the most common passwords"),
    "repeated": ("zzzzzzzzzzzzzzzz", "That is one of the most common passwords"),
    "e-mail": (EMAIL.upper(), "Do not use your e-mail address"),
    "local part": ("dana.lee2024!", "Do not use your e-mail address"),
    "too long": ("é" * 513, "Use at most 1,024 bytes"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_the_rule_refuses(case: str) -> None:
    password, message = REFUSED[case]
    problem = password_problem(password, email=EMAIL)
    assert problem is not None and problem.startswith(message)


def test_the_rule_accepts_a_passphrase_and_the_test_password() -> None:
    assert password_problem("violet tractor summit", email=EMAIL) is None
    assert password_problem(PASSWORD, email=EMAIL) is None
    assert password_problem("éa" * 341 + "b", email=EMAIL) is None  # 1,024 bytes exactly


def test_the_shipped_list_is_a_few_thousand_long_passwords() -> None:
    common = common_passwords()
    assert 2000 < len(common) < 20000
    assert all(len(p) >= MIN_LENGTH and p == p.lower() for p in common)
    assert PASSWORD not in common


def change(client: FlaskClient, current: str, new: str) -> str:
    response = client.post(
        "/account/",
        data={
            "password-current_password": current,
            "password-new_password": new,
            "password-confirm_password": new,
            "password-save_password": "1",
        },
    )
    return response.get_data(as_text=True) if response.status_code == 422 else ""


def test_the_account_page_applies_the_rule_beside_the_field(
    client: FlaskClient, accounts: Accounts
) -> None:
    user = accounts.make(email=EMAIL)
    accounts.sign_in(client, user)
    for case, (password, message) in REFUSED.items():
        page = change(client, PASSWORD, password)
        assert message in page, case
        assert 'id="password-new_password"' in page
    assert change(client, PASSWORD, "violet tractor summit") == ""


def test_the_command_line_applies_the_rule(runner: FlaskCliRunner, db: Session) -> None:
    for email, password in (("a@example.com", "password1234"), (EMAIL, "dana.lee123")):
        result = runner.invoke(
            args=["user", "create", email, "--password-stdin"], input=password + "\n"
        )
        assert result.exit_code != 0
        assert "The password is refused" in result.output
    result = runner.invoke(
        args=["user", "create", EMAIL, "--password-stdin"], input="violet tractor summit\n"
    )
    assert result.exit_code == 0, result.output
    assert db.exec(select(User).where(User.email == EMAIL)).one()


def test_the_demo_refuses_a_weak_password_and_generates_a_good_one(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DEMO_PASSWORD", "password1234")
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "TRACKER_DEMO_PASSWORD is refused" in result.output
    from tracker.database import get_engine
    from tracker.demo import load_demo

    engine = get_engine(runner.app)
    generated = load_demo(engine, admin_email="demo@revloop.local", admin_password=None)
    assert password_problem(generated.admin_password, email="demo@revloop.local") is None


def invite(client: FlaskClient) -> str:
    response = client.post(
        "/admin/users",
        data={"email": "sam@example.com", "display_name": "Sam Ortiz", "role": "editor"},
    )
    found = re.search(r'<code class="secret">([^<]+)</code>', response.get_data(as_text=True))
    assert found is not None
    return found.group(1)


def test_an_invited_user_chooses_a_password_before_anything_else(
    app: Flask, client: FlaskClient, accounts: Accounts, db: Session
) -> None:
    accounts.sign_in(client, accounts.make(Role.admin))
    one_time = invite(client)
    sam = app.test_client()
    response = sam.post("/sign-in", data={"email": "sam@example.com", "password": one_time})
    assert response.headers["Location"] == "/account/"
    for path in ("/", "/experiments/", "/backlog/", "/admin/users"):
        response = sam.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/", path
    page = sam.get("/account/").get_data(as_text=True)
    assert "Choose a password of your own" in page
    # no API token with a one-time password
    response = sam.post("/account/", data={"token-name": "CRM export", "token-create_token": "1"})
    assert response.status_code == 422
    assert "Choose a password of your own first" in response.get_data(as_text=True)
    assert db.exec(select(ApiToken)).all() == []
    # once chosen, the way is open
    assert change(sam, one_time, "violet tractor summit") == ""
    assert sam.get("/experiments/").status_code == 200
    response = sam.post("/account/", data={"token-name": "CRM export", "token-create_token": "1"})
    assert response.status_code == 200 and "rvl_" in response.get_data(as_text=True)


def test_the_command_line_makes_no_token_for_a_one_time_password(
    client: FlaskClient, runner: FlaskCliRunner, accounts: Accounts
) -> None:
    accounts.sign_in(client, accounts.make(Role.admin))
    invite(client)
    result = runner.invoke(args=["token", "create", "sam@example.com", "--name", "CRM"])
    assert result.exit_code != 0
    assert "Choose a password of your own first" in result.output
