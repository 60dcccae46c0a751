"""What a walk through every page at 390 and 1440 px found, with the demo and
with an empty instance (issue 17: "go beyond the list")."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.test_experiments import make_hypothesis, make_metric
from tracker.models import Cycle, Role, User


def test_the_meeting_names_a_hypothesis_score_once(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    metric = make_metric(db, "Win rate")
    hypothesis = make_hypothesis(db, metric)
    hypothesis.score = 7.0
    db.commit()
    client.get("/week")  # opens the cycle
    cycle = db.exec(select(Cycle)).one()
    cycle.focus_area_id = metric.area_id  # the top of the focus area's backlog
    db.commit()
    page = client.get("/week").get_data(as_text=True)
    nxt = page.split('id="next"')[1].split("</section>")[0]
    assert "ICE 7.0" in nxt and "ICE ICE" not in nxt
