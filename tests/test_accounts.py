"""The account page and the admin's users page."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from tests.arabic_pages import english_leftovers
from tests.conftest import PASSWORD, Accounts
from tracker import migrate
from tracker.database import get_engine
from tracker.models import Role, User
from tracker.models.notify import MailPreference


def test_change_display_name(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.viewer)
    response = client.post(
        "/account/", data={"profile-display_name": "  Noor Haddad ", "profile-save_profile": "1"}
    )
    assert response.status_code == 302
    db.refresh(user)
    assert user.display_name == "Noor Haddad"
    assert "Your display name is saved." in client.get("/account/").get_data(as_text=True)


def test_change_password_then_sign_in_with_it(
    client: FlaskClient, signed_in: Callable[[Role], User], accounts: Accounts
) -> None:
    user = signed_in(Role.editor)
    response = client.post(
        "/account/",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "a brand new passphrase",
            "password-confirm_password": "a brand new passphrase",
            "password-save_password": "1",
        },
    )
    assert response.status_code == 302
    client.post("/sign-out")
    accounts.sign_in(client, user, "a brand new passphrase")


def test_password_form_errors_sit_beside_their_fields(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.editor)
    response = client.post(
        "/account/",
        data={
            "password-current_password": "not my password",
            "password-new_password": "short",
            "password-confirm_password": "different",
            "password-save_password": "1",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "That is not your current password." in page
    assert "Use at least 12 characters." in page
    assert "The two new passwords differ." in page


def test_admin_invites_a_user_who_must_choose_a_password(
    client: FlaskClient, signed_in: Callable[[Role], User], accounts: Accounts, db: Session
) -> None:
    signed_in(Role.admin)
    response = client.post(
        "/admin/users",
        data={
            "email": "Sam@Example.com",
            "display_name": "Sam Ortiz",
            "role": "editor",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    password = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    assert "only this once" in page
    invited = db.exec(select(User).where(User.email == "sam@example.com")).one()
    assert invited.role == Role.editor and invited.password_is_temporary
    # the password is not shown again
    assert password not in client.get("/admin/users").get_data(as_text=True)
    # the invited user signs in with it and is sent to choose a password
    other = client.application.test_client()
    response = other.post("/sign-in", data={"email": "sam@example.com", "password": password})
    assert response.headers["Location"] == "/account/"


def test_invite_with_bad_input_keeps_what_was_typed(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    admin = signed_in(Role.admin)
    response = client.post(
        "/admin/users",
        data={
            "email": admin.email,
            "display_name": "Someone <b>bold</b>",
            "role": "viewer",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already has an account" in page
    assert "Someone &lt;b&gt;bold&lt;/b&gt;" in page
    response = client.post(
        "/admin/users", data={"email": "not-an-email", "display_name": "", "role": "viewer"}
    )
    page = response.get_data(as_text=True)
    assert "Enter an e-mail address like name@company.com." in page
    assert 'value="not-an-email"' in page
    assert "Enter the name the team knows them by." in page


def test_admin_changes_role_and_deactivates(
    client: FlaskClient, signed_in: Callable[[Role], User], accounts: Accounts, db: Session
) -> None:
    signed_in(Role.admin)
    someone = accounts.make(Role.viewer)
    client.post(f"/admin/users/{someone.id}", data={"role": "editor", "change_role": "1"})
    db.refresh(someone)
    assert someone.role == Role.editor
    client.post(f"/admin/users/{someone.id}", data={"deactivate": "1"})
    db.refresh(someone)
    assert not someone.active
    response = client.application.test_client().post(
        "/sign-in", data={"email": someone.email, "password": PASSWORD}
    )
    assert response.status_code == 401


def test_deactivated_user_is_signed_out_of_an_open_session(
    client: FlaskClient, accounts: Accounts, db: Session
) -> None:
    someone = accounts.make(Role.editor)
    accounts.sign_in(client, someone)
    someone.active = False
    db.commit()
    assert client.get("/").status_code == 302


def test_the_last_admin_cannot_be_demoted_or_deactivated(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    admin = signed_in(Role.admin)
    response = client.post(f"/admin/users/{admin.id}", data={"role": "viewer", "change_role": "1"})
    assert response.status_code == 302
    db.refresh(admin)
    assert admin.role == Role.admin
    assert "at least one active admin" in client.get("/admin/users").get_data(as_text=True)


def test_admin_resets_a_password(
    client: FlaskClient, signed_in: Callable[[Role], User], accounts: Accounts
) -> None:
    signed_in(Role.admin)
    someone = accounts.make(Role.viewer)
    page = client.post(f"/admin/users/{someone.id}", data={"reset_password": "1"}).get_data(
        as_text=True
    )
    password = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    response = client.application.test_client().post(
        "/sign-in", data={"email": someone.email, "password": password}
    )
    assert response.headers["Location"] == "/account/"


def test_unknown_user_is_404(client: FlaskClient, signed_in: Callable[[Role], User]) -> None:
    signed_in(Role.admin)
    assert client.post("/admin/users/9999", data={"deactivate": "1"}).status_code == 404


def choose_language(client: FlaskClient, code: str):
    return client.post("/account/", data={"language-language": code, "language-save_language": "1"})


def test_choosing_arabic_serves_the_pages_in_arabic_right_to_left(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.editor)
    assert '<html lang="en" dir="ltr">' in client.get("/backlog/").get_data(as_text=True)
    response = choose_language(client, "ar")
    assert response.status_code == 302
    db.refresh(user)
    assert user.language == "ar"
    page = client.get("/backlog/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    nav = page.split("<main", 1)[0]
    assert "التجارب" in nav and "قائمة الفرضيات" in nav  # the navigation
    assert ">Experiments<" not in nav and ">Backlog<" not in nav
    account = client.get("/account/").get_data(as_text=True)
    assert "حسابك" in account  # "Your account", and the flash in the new language
    main = account.split('<main id="main" class="page">', 1)[1].split("</main>", 1)[0]
    assert english_leftovers(main) == []
    choose_language(client, "en")
    assert '<html lang="en" dir="ltr">' in client.get("/backlog/").get_data(as_text=True)


def test_no_choice_means_the_team_language_whatever_the_browser_says(
    app: Flask, client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    app.config["LANGUAGE"] = "ar"
    signed_in(Role.viewer)
    page = client.get("/backlog/", headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="ar" dir="rtl">' in page.get_data(as_text=True)
    account = client.get("/account/").get_data(as_text=True)
    assert "لغة الفريق (العربية)" in account  # the empty choice names the team's language
    app.config["LANGUAGE"] = "en"
    assert "language (English)</option>" in client.get("/account/").get_data(as_text=True)
    client.post("/sign-out")
    # signed out, the sign-in page follows the browser
    sign_in = client.get("/sign-in", headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="en" dir="ltr">' in sign_in.get_data(as_text=True)


def test_a_language_revloop_does_not_speak_is_refused_beside_the_field(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.viewer)
    response = choose_language(client, "de")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="language-language-error"[^>]*>Choose one of the languages', page)
    db.refresh(user)
    assert user.language == ""


def test_the_migration_moves_the_e_mail_language_to_the_person_and_back(
    app: Flask, accounts: Accounts, db: Session
) -> None:
    engine = get_engine(app)
    migrate.stamp(engine)  # the test schema is built from the models, at head
    reader = accounts.make(Role.viewer)
    keeps_defaults = accounts.make(Role.editor)
    reader.language, keeps_defaults.language = "ar", "en"
    db.add_all([reader, keeps_defaults, MailPreference(user_id=reader.id, digest=True)])
    db.commit()
    db.close()
    migrate.downgrade(engine, "0012-1")
    with engine.begin() as connection:
        rows = dict(connection.execute(text("SELECT user_id, language FROM mail_preference")).all())
        assert rows == {reader.id: "ar", keeps_defaults.id: "en"}
        # an editor without a row of their own keeps the e-mails of their role
        digest = connection.execute(
            text("SELECT digest FROM mail_preference WHERE user_id = :id"),
            {"id": keeps_defaults.id},
        ).scalar_one()
        assert bool(digest) is True
        connection.execute(
            text("UPDATE mail_preference SET language = 'en' WHERE user_id = :id"),
            {"id": reader.id},
        )
    migrate.upgrade(engine, "0012")
    with engine.connect() as connection:
        languages = dict(connection.execute(text("SELECT id, language FROM user_account")).all())
        columns = {c["name"] for c in inspect(connection).get_columns("mail_preference")}
    assert languages[reader.id] == "en" and languages[keeps_defaults.id] == "en"
    assert "language" not in columns
    migrate.upgrade(engine)
