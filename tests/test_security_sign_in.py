"""Sign-in that neither tells who has an account nor lets anyone lock one:
the same answer and the same hashing work for an unknown account, a wrong
password and a deactivated account; failures throttled per address and
account together; admins lift the throttle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from tests.conftest import PASSWORD, Accounts
from tracker.auth.routes import WRONG_CREDENTIALS
from tracker.models import Role
from tracker.security import credentials

ATTACKER = "203.0.113.7"
REAL_USER = "198.51.100.20"


def attempt(client: FlaskClient, email: str, password: str, address: str = ATTACKER) -> Any:
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def error_of(response: Any) -> str:
    """The message above the form."""
    page = response.get_data(as_text=True)
    return page[page.index('class="alert alert-error"') :].split("</div>", 1)[0]


@pytest.fixture
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password-hash check made while signing in."""
    calls: list[str] = []
    real: Callable[[str, str], bool] = credentials.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        calls.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(credentials, "check_password_hash", counting)
    return calls


def test_unknown_wrong_and_deactivated_get_the_same_answer_and_one_hash_check(
    client: FlaskClient, accounts: Accounts, hash_checks: list[str]
) -> None:
    user = accounts.make()
    gone = accounts.make(active=False)
    answers = [
        attempt(client, "nobody@example.com", PASSWORD),
        attempt(client, user.email, "not the password at all"),
        attempt(client, gone.email, PASSWORD),
    ]
    assert [r.status_code for r in answers] == [401, 401, 401]
    assert len({error_of(r) for r in answers}) == 1
    assert WRONG_CREDENTIALS in error_of(answers[0])
    assert len(hash_checks) == 3  # one each, the unknown account against a dummy hash
    attempt(client, user.email, PASSWORD)
    assert len(hash_checks) == 4


def test_the_dummy_hash_costs_what_a_real_one_does() -> None:
    """Same method and parameters as a password set through the app."""
    method = generate_password_hash("anything").split("$", 1)[0]
    assert credentials.dummy_hash().split("$", 1)[0] == method


def test_an_overlong_password_is_refused_without_hashing_for_every_account(
    client: FlaskClient, accounts: Accounts, hash_checks: list[str]
) -> None:
    user = accounts.make()
    huge = "x" * 1_000_000
    known = attempt(client, user.email, huge)
    unknown = attempt(client, "nobody@example.com", huge)
    assert known.status_code == unknown.status_code == 401
    assert error_of(known) == error_of(unknown)
    assert hash_checks == []


def test_a_throttled_attacker_does_not_lock_out_the_real_user(
    client: FlaskClient, accounts: Accounts, hash_checks: list[str]
) -> None:
    user = accounts.make(Role.admin)
    for _ in range(10):
        assert attempt(client, user.email, "guess guess guess").status_code == 401
    checks = len(hash_checks)
    blocked = attempt(client, user.email, PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed sign-ins to this account from your network" in error_of(blocked)
    assert "15 minutes" in error_of(blocked)
    assert len(hash_checks) == checks  # a throttled try is not even checked
    # the admin, from the office, signs in as usual
    assert attempt(client, user.email, PASSWORD, address=REAL_USER).status_code == 302


def test_throttling_an_unknown_account_looks_the_same_as_a_real_one(
    app: Flask, accounts: Accounts
) -> None:
    user = accounts.make()
    answers = []
    for email in (user.email, "nobody@example.com"):
        client = app.test_client()
        for _ in range(10):
            attempt(client, email, "guess guess guess")
        answers.append(attempt(client, email, "guess guess guess"))
    assert [r.status_code for r in answers] == [429, 429]
    assert error_of(answers[0]) == error_of(answers[1])


def test_an_admin_unlocks_an_account_for_every_address(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    user = accounts.make()
    for _ in range(10):
        attempt(client, user.email, "guess guess guess")
    assert attempt(client, user.email, PASSWORD).status_code == 429
    admin = app.test_client()
    accounts.sign_in(admin, accounts.make(Role.admin))
    response = admin.post(f"/admin/users/{user.id}", data={"user_id": user.id, "unlock": "1"})
    assert response.status_code == 302
    assert "may try to sign in again" in admin.get("/admin/users").get_data(as_text=True)
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_a_viewer_cannot_unlock(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    user = accounts.make()
    accounts.sign_in(client, accounts.make(Role.editor))
    response = client.post(f"/admin/users/{user.id}", data={"user_id": user.id, "unlock": "1"})
    assert response.status_code == 403
