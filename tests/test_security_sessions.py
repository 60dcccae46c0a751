"""Sign-ins the server can end: a captured session cookie or remember token
stops working after signing out, a new password, deactivation or "sign out
everywhere"; the remember token is random, hashed, rotated and expires."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.conftest import PASSWORD, Accounts
from tracker.models import Role, SignIn, User
from tracker.models.types import utcnow
from tracker.security.login import REMEMBER_COOKIE
from tracker.security.sign_ins import hash_secret

NEW_PASSWORD = "a brand new passphrase"


def sign_in(client: FlaskClient, user: User, *, remember: bool = False) -> None:
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def cookie(client: FlaskClient, name: str) -> str:
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


def browser_with(app: Flask, **cookies: str) -> FlaskClient:
    """A fresh browser holding only the given cookies, as an attacker who copied them."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def lands_on_sign_in(client: FlaskClient) -> bool:
    response = client.get("/account/")
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def change_password(client: FlaskClient) -> None:
    response = client.post(
        "/account/",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": NEW_PASSWORD,
            "password-confirm_password": NEW_PASSWORD,
            "password-save_password": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_copied_session_cookie_works_until_sign_out_then_leads_to_sign_in(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    sign_in(client, accounts.make())
    stolen = browser_with(app, session=cookie(client, "session"))
    assert stolen.get("/account/").status_code == 200
    client.post("/sign-out")
    assert lands_on_sign_in(stolen)
    assert lands_on_sign_in(client)


def test_a_password_change_ends_other_sign_ins_but_keeps_this_one(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    sign_in(client, accounts.make())
    stolen = browser_with(app, session=cookie(client, "session"))
    change_password(client)
    assert lands_on_sign_in(stolen)
    assert client.get("/account/").status_code == 200


def test_the_remember_token_signs_a_new_browser_in_once_and_is_replaced(
    app: Flask, client: FlaskClient, accounts: Accounts, db: Session
) -> None:
    user = accounts.make()
    sign_in(client, user, remember=True)
    token = cookie(client, REMEMBER_COOKIE)
    row = db.exec(select(SignIn).where(SignIn.user_id == user.id)).one()
    assert row.remember_hash == hash_secret(token) and token not in row.remember_hash
    assert row.expires_at - utcnow() > timedelta(days=29, hours=23)

    restarted = browser_with(app, **{REMEMBER_COOKIE: token})
    assert restarted.get("/account/").status_code == 200
    rotated = cookie(restarted, REMEMBER_COOKIE)
    assert rotated != token
    # the spent token opens nothing, the new one does
    assert lands_on_sign_in(browser_with(app, **{REMEMBER_COOKIE: token}))
    assert browser_with(app, **{REMEMBER_COOKIE: rotated}).get("/account/").status_code == 200


def test_every_sign_in_gets_its_own_remember_token(
    app: Flask, accounts: Accounts, db: Session
) -> None:
    user = accounts.make()
    first, second = app.test_client(), app.test_client()
    sign_in(first, user, remember=True)
    sign_in(second, user, remember=True)
    assert cookie(first, REMEMBER_COOKIE) != cookie(second, REMEMBER_COOKIE)
    assert len(db.exec(select(SignIn).where(SignIn.user_id == user.id)).all()) == 2


def test_old_remember_token_after_sign_out_or_password_change_leads_to_sign_in(
    app: Flask, accounts: Accounts
) -> None:
    user = accounts.make()
    for end in ("sign-out", "password"):
        client = app.test_client()
        sign_in(client, user, remember=True)
        token = cookie(client, REMEMBER_COOKIE)
        if end == "sign-out":
            client.post("/sign-out")
            assert client.get_cookie(REMEMBER_COOKIE) is None
        else:
            change_password(client)
        assert lands_on_sign_in(browser_with(app, **{REMEMBER_COOKIE: token})), end
    # the old password no longer works, the new one does
    response = app.test_client().post(
        "/sign-in", data={"email": user.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_an_expired_remember_token_leads_to_sign_in(
    app: Flask, client: FlaskClient, accounts: Accounts, db: Session
) -> None:
    user = accounts.make()
    sign_in(client, user, remember=True)
    token = cookie(client, REMEMBER_COOKIE)
    row = db.exec(select(SignIn).where(SignIn.user_id == user.id)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    restarted = browser_with(app, **{REMEMBER_COOKIE: token})
    assert lands_on_sign_in(restarted)
    assert restarted.get_cookie(REMEMBER_COOKIE) is None  # the dead cookie is cleared


def test_remember_cookie_flags(app: Flask, client: FlaskClient, accounts: Accounts) -> None:
    user = accounts.make()
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    header = next(h for h in response.headers.getlist("Set-Cookie") if REMEMBER_COOKIE in h)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    max_age = int(header.split("Max-Age=")[1].split(";")[0])
    assert 30 * 24 * 3600 - 60 < max_age <= 30 * 24 * 3600
    client.post("/sign-out")
    app.config["SESSION_COOKIE_SECURE"] = True
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    for name in (REMEMBER_COOKIE, "session"):
        header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(name))
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_a_session_cookie_of_the_old_kind_leads_to_sign_in(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    """Before sign-ins were kept, the cookie held the user id: it opens nothing now."""
    user = accounts.make(Role.admin)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert lands_on_sign_in(client)


def test_admin_signs_a_user_out_everywhere_and_deactivation_ends_sign_ins(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    admin = accounts.make(Role.admin)
    user = accounts.make(Role.viewer)
    sign_in(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Sign out everywhere" in page and "Unlock sign-in" in page
    for action in ("sign_out_everywhere", "deactivate"):
        theirs = app.test_client()
        sign_in(theirs, user, remember=True)
        response = client.post(f"/admin/users/{user.id}", data={"user_id": user.id, action: "1"})
        assert response.status_code == 302
        assert lands_on_sign_in(theirs), action
    # reactivated, the old browser still has to sign in again
    client.post(f"/admin/users/{user.id}", data={"user_id": user.id, "reactivate": "1"})
    assert lands_on_sign_in(theirs)


def test_sign_out_everywhere_from_ones_own_account(app: Flask, accounts: Accounts) -> None:
    user = accounts.make()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user, remember=True)
    assert "Sign out everywhere" in laptop.get("/account/").get_data(as_text=True)
    response = laptop.post("/account/sign-out-everywhere")
    assert response.headers["Location"] == "/sign-in"
    assert lands_on_sign_in(laptop)
    assert lands_on_sign_in(phone)
