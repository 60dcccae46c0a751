"""API tokens: made once, kept hashed, revoked; from the account page and the CLI."""

from __future__ import annotations

import hashlib
import re

from sqlmodel import select

from tracker.models import ApiToken, Role
from tracker.tokens.service import (
    TokenError,
    create_token,
    revoke_token,
    tokens_of,
    verify_token,
)


def test_a_token_is_stored_only_as_its_hash(accounts, db):
    user = accounts.make(Role.editor)
    made = create_token(db, user=user, name="  CRM   export ")
    db.commit()
    stored = db.exec(select(ApiToken)).one()
    assert stored.name == "CRM export"
    assert stored.token_hash == hashlib.sha256(made.plain.encode()).hexdigest()
    assert made.plain not in (stored.token_hash, stored.prefix)
    assert made.plain.startswith(stored.prefix) and len(made.plain) > 40


def test_verify_and_revoke(accounts, db):
    user = accounts.make(Role.viewer)
    made = create_token(db, user=user, name="BI")
    db.commit()
    token, found_user = verify_token(db, made.plain)
    assert found_user.id == user.id
    assert verify_token(db, made.plain + "x") is None
    assert verify_token(db, "") is None
    revoke_token(db, token_id=token.id, user_id=user.id)
    db.commit()
    assert verify_token(db, made.plain) is None
    assert tokens_of(db, user.id) == []


def test_a_user_cannot_revoke_someone_elses_token(accounts, db):
    owner, other = accounts.make(Role.editor), accounts.make(Role.editor)
    made = create_token(db, user=owner, name="Mine")
    db.commit()
    try:
        revoke_token(db, token_id=made.token.id, user_id=other.id)
    except TokenError:
        pass
    else:
        raise AssertionError("revoked another user's token")


def test_a_nameless_token_is_refused(accounts, db):
    user = accounts.make(Role.editor)
    for name in ("", "   ", "x" * 81):
        try:
            create_token(db, user=user, name=name)
        except TokenError:
            continue
        raise AssertionError(f"accepted the name {name!r}")


def test_cli_prints_a_token_that_works(runner, accounts, client):
    user = accounts.make(Role.editor, email="ops@example.com")
    result = runner.invoke(args=["token", "create", "OPS@example.com", "--name", "Nightly sync"])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip().splitlines()[0]
    assert plain.startswith("rvl_")
    response = client.get("/api/v1/areas", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200
    assert user.email in result.output or "Nightly sync" in result.output


def test_cli_refuses_an_unknown_user(runner):
    result = runner.invoke(args=["token", "create", "ghost@example.com", "--name", "x"])
    assert result.exit_code != 0
    assert "no active account" in result.output


def test_account_page_makes_shows_once_and_revokes(client, signed_in, db):
    user = signed_in(Role.viewer)
    page = client.get("/account/")
    assert "API tokens" in page.get_data(as_text=True)
    assert "You have no API tokens yet." in page.get_data(as_text=True)
    made = client.post(
        "/account/", data={"token-name": "Sheets export", "token-create_token": "Create token"}
    )
    assert made.status_code == 200
    html = made.get_data(as_text=True)
    plain = re.search(r'id="new-token">(rvl_[^<]+)<', html).group(1)
    assert "shown only this once" in html
    # the token works for reading, with the viewer's role
    auth = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/areas", headers=auth).status_code == 200
    again = client.get("/account/").get_data(as_text=True)
    assert plain not in again
    token = db.exec(select(ApiToken)).one()
    assert token.prefix in again and "Sheets export" in again
    assert token.user_id == user.id
    revoked = client.post(f"/account/tokens/{token.id}/revoke", data={})
    assert revoked.status_code == 302
    assert "is revoked" in client.get("/account/").get_data(as_text=True)
    assert client.get("/api/v1/areas", headers=auth).status_code == 401


def test_account_page_keeps_a_bad_name_with_a_message(client, signed_in):
    signed_in(Role.editor)
    response = client.post(
        "/account/", data={"token-name": "", "token-create_token": "Create token"}
    )
    assert response.status_code == 422
    assert "Name the token" in response.get_data(as_text=True)


def test_revoking_another_users_token_from_the_page_is_404(client, signed_in, accounts, db):
    other = accounts.make(Role.editor)
    made = create_token(db, user=other, name="Theirs")
    db.commit()
    signed_in(Role.admin)
    assert client.post(f"/account/tokens/{made.token.id}/revoke", data={}).status_code == 404
