"""E-mail against a real SMTP server on 127.0.0.1 (aiosmtpd): the weekly
digest's content for people of different roles and languages, opting out,
a second send of the week sending nothing, a refused recipient while the
others arrive, the recap after a meeting closes, and e-mail switched off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlmodel import Session, select

from tests.smtp_server import Mailbox, smtp_server
from tests.test_api_support import Api
from tracker.background import wait_idle
from tracker.cycles.service import close_cycle, open_cycle
from tracker.models import ActionItem, Analysis, Cycle, Metric, Role, User
from tracker.models.notify import MailPreference, MailSent

WEEK = "2026-W49"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def app_config(app_config: dict[str, object], mailbox: Mailbox) -> dict[str, object]:
    return {
        **app_config,
        "SMTP_URL": mailbox.url,
        "MAIL_FROM": "revloop@example.com",
        "BASE_URL": "https://revloop.example",
    }


@pytest.fixture
def team(client: FlaskClient, db: Session, accounts) -> dict[str, User]:
    """An admin reading Arabic, an editor with actions, a viewer; an experiment
    that needs a decision."""
    api = Api(client=client, db=db, accounts=accounts)
    metric = api.metric()
    api.weeks_of_readings(metric["id"], weeks=4)
    experiment = api.experiment(metric["id"], title="Three-field demo form")
    api.ok("POST", f"/experiments/{experiment['id']}/start")
    api.ok(
        "POST",
        f"/experiments/{experiment['id']}/results",
        {
            "metric_id": metric["id"],
            "arms": {
                "control": {"successes": 100, "trials": 1000},
                "B": {"successes": 160, "trials": 1000},
            },
        },
        status=201,
    )
    api.ok("POST", f"/experiments/{experiment['id']}/stop")
    admin = accounts.make(Role.admin, email="amal@example.com", name="Amal Haddad")
    editor = accounts.make(Role.editor, email="eric@example.com", name="Eric Stone")
    viewer = accounts.make(Role.viewer, email="vera@example.com", name="Vera Lind")
    admin.language = "ar"  # chosen on the account page: pages and e-mails in Arabic
    db.add(admin)
    for script in api.users.values():  # the API's own user wants no e-mail
        db.add(MailPreference(user_id=script.id, digest=False, recap=False))
    cycle = open_cycle(session=db, today=date(2026, 12, 2))
    db.commit()
    for title, carried in (("Fresh follow-up calls", 0), ("Fix lead routing", 3)):
        db.add(
            ActionItem(
                title=title,
                owner_id=editor.id,
                cycle_id=cycle.id,
                first_cycle_id=cycle.id,
                due_week=cycle.iso_week,
                carried_count=carried,
            )
        )
    db.commit()
    return {"admin": admin, "editor": editor, "viewer": viewer}


def send(runner, *args: str):
    result = runner.invoke(args=["digest", "send", "--week", WEEK, *args])
    return result


def test_the_digest_reaches_editors_and_admins_in_their_language(
    runner, mailbox: Mailbox, team: dict[str, User], db: Session
) -> None:
    result = send(runner)
    assert result.exit_code == 0, result.output
    assert sorted(str(m["To"]) for m in mailbox.messages) == [
        "Amal Haddad <amal@example.com>",
        "Eric Stone <eric@example.com>",
    ]
    [editor_mail] = mailbox.to("eric@example.com")
    assert editor_mail["Subject"] == f"Revloop digest for {WEEK}"
    plain, html = Mailbox.parts(editor_mail)
    verdict = db.exec(select(Analysis).where(Analysis.is_primary)).one().comparisons["verdict"]
    assert verdict in plain  # the verdict sentence
    assert escape(verdict) in html
    for text in (plain, html):
        assert "Three-field demo form" in text
        assert "Stopped, waiting for a decision" in text
        # the verdict sentence: weekly looks, far from the first boundary
        assert "Keep running: look 1 of 5 planned" in text
        assert "https://revloop.example/experiments/1" in text
        # own actions, stuck first
        assert text.index("Fix lead routing") < text.index("Fresh follow-up calls")
    assert 'dir="ltr"' in html and "style=" in html
    [admin_mail] = mailbox.to("amal@example.com")
    admin_plain, admin_html = Mailbox.parts(admin_mail)
    assert admin_mail["Content-Language"] == "ar"
    assert 'lang="ar" dir="rtl"' in admin_html
    assert '<span dir="ltr">2026-W49</span>' in admin_html  # the week reads left to right
    assert "ليست لديك إجراءات مفتوحة." in admin_plain  # the admin owns none, in Arabic
    assert "Fix lead routing" not in admin_plain


def test_a_second_send_of_the_week_sends_nothing(
    runner, mailbox: Mailbox, team: dict[str, User], db: Session
) -> None:
    assert send(runner).exit_code == 0
    assert len(mailbox.messages) == 2
    again = send(runner)
    assert again.exit_code == 0
    assert len(mailbox.messages) == 2
    assert "already sent the digest for 2026-W49" in again.output
    assert len(db.exec(select(MailSent)).all()) == 2


def test_opting_out_and_in_on_the_account_page(
    client: FlaskClient, accounts, runner, mailbox: Mailbox, team: dict[str, User]
) -> None:
    accounts.sign_in(client, team["editor"])
    page = client.get("/account/").get_data(as_text=True)
    assert "Send me the weekly digest" in page and "Send a test digest to me" in page
    client.post("/account/email/", data={"recap": "y"})
    client.post("/sign-out")
    accounts.sign_in(client, team["viewer"])
    client.post("/account/email/", data={"digest": "y"})
    assert send(runner).exit_code == 0
    assert sorted(str(m["To"]) for m in mailbox.messages) == [
        "Amal Haddad <amal@example.com>",
        "Vera Lind <vera@example.com>",
    ]


def test_a_refused_recipient_does_not_stop_the_others(
    runner, mailbox: Mailbox, team: dict[str, User], db: Session
) -> None:
    mailbox.refuse.add("amal@example.com")
    result = send(runner)
    assert result.exit_code == 1
    assert "Failed amal@example.com: refused by the server: 550" in result.output
    assert "Sent to eric@example.com." in result.output
    assert [str(m["To"]) for m in mailbox.messages] == ["Eric Stone <eric@example.com>"]
    # the failed one is not recorded, so the next run tries again
    mailbox.refuse.clear()
    assert send(runner).exit_code == 0
    assert len(mailbox.to("amal@example.com")) == 1
    assert len(mailbox.to("eric@example.com")) == 1


def test_a_dry_run_sends_nothing_and_says_what_it_would(
    runner, mailbox: Mailbox, team: dict[str, User]
) -> None:
    result = send(runner, "--dry-run")
    assert result.exit_code == 0
    assert "Would send to eric@example.com: 1 experiment to decide, 2 open actions" in (
        result.output
    )
    assert mailbox.messages == []


def test_the_test_digest_button_mails_only_me(
    client: FlaskClient, accounts, mailbox: Mailbox, team: dict[str, User], db: Session
) -> None:
    accounts.sign_in(client, team["viewer"])
    response = client.post("/account/email/test", follow_redirects=True)
    assert "A test digest is on its way to vera@example.com" in response.get_data(as_text=True)
    assert [str(m["To"]) for m in mailbox.messages] == ["Vera Lind <vera@example.com>"]
    assert db.exec(select(MailSent)).all() == []


def test_the_recap_goes_to_attendees_who_want_it_after_the_close_commits(
    app: Flask, mailbox: Mailbox, team: dict[str, User], db: Session
) -> None:
    cycle = db.exec(select(Cycle)).one()
    cycle.attendees = "Eric Stone, vera@example.com, Someone Else"
    db.add(cycle)
    db.commit()
    with app.app_context():
        close_cycle(session=db, cycle_id=cycle.id, today=date(2026, 12, 6), user_id=None)
        assert wait_idle()
        assert mailbox.messages == []  # nothing before the commit
        db.commit()
        assert wait_idle()
    # the viewer attended but has not opted in; the admin opted in but did not attend
    [recap] = mailbox.messages
    assert str(recap["To"]) == "Eric Stone <eric@example.com>"
    assert recap["Subject"] == "Recap of the 2026-W49 review"
    plain, html = Mailbox.parts(recap)
    assert "Carried to next week" in plain
    assert "[Stuck] Fix lead routing (Eric Stone, carried 4 times)" in plain
    assert "https://revloop.example/cycles/2026-W49" in html


@pytest.mark.parametrize("setting", [{"SMTP_URL": "", "MAIL_FROM": ""}])
def test_without_settings_e_mail_says_it_is_off_and_nothing_fails(
    app: Flask, client: FlaskClient, accounts, runner, setting: dict[str, str]
) -> None:
    app.config.update(setting)
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0
    assert "E-mail is off" in result.output
    accounts.sign_in(client, accounts.make(Role.editor))
    page = client.get("/account/").get_data(as_text=True)
    assert "E-mail is off on this server" in page
    assert "Send a test digest to me" not in page


def test_the_digest_lists_the_metrics_off_target_in_each_reader_language(
    runner, mailbox: Mailbox, team: dict[str, User], db: Session
) -> None:
    win_rate = db.exec(select(Metric).where(Metric.name == "Win rate")).one()
    win_rate.target = 0.25  # its latest week read 12.3%
    db.add(win_rate)
    db.commit()
    assert send(runner).exit_code == 0
    [editor_mail] = mailbox.to("eric@example.com")
    plain, html = Mailbox.parts(editor_mail)
    plain = plain.replace("\r\n", "\n")
    assert "Metrics off target\n- Win rate: 12.3% (target: at least 25.0% · Sales)" in plain
    assert 'dir="auto">Win rate</a>: <span dir="ltr">12.3%</span>' in html
    assert "target: at least 25.0%" in html
    [admin_mail] = mailbox.to("amal@example.com")
    admin_plain, admin_html = Mailbox.parts(admin_mail)
    admin_plain = admin_plain.replace("\r\n", "\n")
    assert "مقاييس لم تبلغ المستهدف\n- Win rate: 12.3% (المستهدف: 25.0% على الأقل" in admin_plain
    assert "المستهدف: 25.0% على الأقل" in admin_html
    assert "Metrics off target" not in admin_plain
    # the verdict sentence is written in the reader's language too
    assert "Keep running: look 1 of 5 planned" in plain
    assert "- Fresh follow-up calls (due 2026-W49)\n" in plain  # never "carried 0 times"
    assert "Keep running" not in admin_plain and "Three-field demo form" in admin_plain
    # and so is why it needs a decision: the team's part is gathered per language
    assert "Stopped, waiting for a decision" in plain
    assert "متوقفة بانتظار قرار" in admin_plain and "Stopped" not in admin_plain


def test_without_targets_the_digest_says_every_target_was_met(
    runner, mailbox: Mailbox, team: dict[str, User]
) -> None:
    assert send(runner).exit_code == 0
    plain, _html = Mailbox.parts(mailbox.to("eric@example.com")[0])
    plain = plain.replace("\r\n", "\n")
    assert "Metrics off target\n  Every metric with a target reached it." in plain
