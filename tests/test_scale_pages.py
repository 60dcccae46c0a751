"""Pages that list running experiments show the few that need attention first and
point to the rest, whatever the number running (issue 17, "Scale")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.test_experiments import make_metric
from tests.test_walk_pages import _add_running
from tracker.models import Experiment, Role, User


def _all_past_their_size(db: Session) -> None:
    for experiment in db.exec(select(Experiment)).all():
        experiment.observed_total = 1000.0
    db.commit()


def test_the_meeting_puts_five_decisions_and_five_running_on_the_page(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    count_queries: Callable[[], Any],
) -> None:
    user = signed_in(Role.editor)
    metric = make_metric(db, "Win rate")
    _add_running(db, metric.id or 0, user.id or 0, 3)  # three past their planned size
    client.get("/week")
    with count_queries() as few:
        client.get("/week")
    # six more past their planned size, and twelve still collecting
    _add_running(db, metric.id or 0, user.id or 0, 6, start=3)
    _all_past_their_size(db)
    _add_running(db, metric.id or 0, user.id or 0, 12, start=9)
    with count_queries() as many:
        page = client.get("/week").get_data(as_text=True)
    assert len(many) == len(few)
    decide = page.split('id="decide"')[1].split("</section>")[0]
    running = page.split('id="running"')[1].split("</section>")[0]
    assert decide.count('class="card decision-card"') == 5
    assert "4 more need a decision." in decide and "See them all on the board" in decide
    assert len(re.findall(r"<tr>", running)) - 1 == 5
    assert "7 more are running." in running
    # the agenda's counts are of all of them, not of those on the page
    assert re.search(r'href="#decide">1 Decide <span class="count">9<', page)
    assert re.search(r'href="#running">3 Running <span class="count">12<', page)


def _needing_and_running(db: Session, owner_id: int, *, needing: int, running: int) -> None:
    metric = make_metric(db, "Win rate")
    _add_running(db, metric.id or 0, owner_id, needing)
    _all_past_their_size(db)
    _add_running(db, metric.id or 0, owner_id, running, start=needing)


def test_the_digest_names_the_most_urgent_decisions_and_links_to_the_rest(
    app: Any, db: Session, accounts: Any
) -> None:
    from datetime import date

    from experiments.cycles import IsoWeek
    from tests.smtp_server import Mailbox
    from tracker.mail.digest import digest_message, team_part
    from tracker.mail.message import Recipient

    user = accounts.make(Role.editor)
    _needing_and_running(db, user.id or 0, needing=14, running=30)
    with app.test_request_context():
        team = team_part(db, IsoWeek.containing(date.today()))
        mail = digest_message(
            team,
            [],
            to=Recipient(user_id=user.id or 0, email=user.email, name="Eda", language="en"),
            sender="revloop@example.com",
        )
    plain, html = Mailbox.parts(mail)
    for text in (plain, html):
        named = set(re.findall(r"Running experiment (\d+)\b", text))
        assert len(named) == 10, sorted(named)
        assert "4 more need a decision." in text
        assert "http://localhost/experiments/" in text
        assert "Running experiment 20" not in text  # still collecting: not a decision


def test_the_shared_dashboard_shows_the_urgent_few_and_counts_the_rest(
    app: Any, client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    from tests.test_share import make_link

    user = signed_in(Role.editor)
    _needing_and_running(db, user.id or 0, needing=12, running=40)
    path = make_link(client)
    page = app.test_client().get(path).get_data(as_text=True)
    shown = set(re.findall(r"Running experiment (\d+)<", page))
    assert len(shown) == 20, sorted(shown, key=int)
    # the twelve waiting for a decision lead: the ten most urgent of them
    assert {str(n) for n in range(3)} <= shown
    assert "2 more need a decision." in page and "30 more are running." in page
    # a reader without an account is not sent to a board they cannot open
    assert 'href="/experiments/' not in page
