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
