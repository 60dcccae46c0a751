"""What a walk through every page at 390 and 1440 px found, with the demo and
with an empty instance (issue 17: "go beyond the list")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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


def test_a_new_team_dashboard_says_where_to_start_until_its_first_experiment(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.editor)
    page = client.get("/").get_data(as_text=True)
    assert "Start here" in page
    steps = page.split('class="start-steps"')[1].split("</ol>")[0]
    assert 'href="/metrics/new"' in steps and 'href="/backlog/new"' in steps
    assert 'href="/week"' in steps and "Done" not in steps
    metric = make_metric(db, "Win rate")
    steps = client.get("/").get_data(as_text=True).split('class="start-steps"')[1]
    assert steps.index("Done") < steps.index("/backlog/new")  # the first step is done
    make_hypothesis(db, metric)
    from tracker.models import Experiment

    db.add(Experiment(title="First test", primary_metric_id=metric.id, owner_id=user.id))
    db.commit()
    assert "Start here" not in client.get("/").get_data(as_text=True)


def test_a_viewer_of_a_new_team_is_not_sent_to_pages_they_cannot_use(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.viewer)
    page = client.get("/").get_data(as_text=True)
    assert "Start here" in page and 'href="/metrics/new"' not in page
    assert "an editor" in page


def _stopped_with_results(
    client: FlaskClient, db: Session, accounts: Any, *, variant_trials: int = 450
) -> int:
    """An experiment stopped after one result set (by default far from its
    planned split)."""
    from tests.test_api_support import Api

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
                "control": {"successes": 30, "trials": 300},
                "B": {"successes": 40, "trials": variant_trials},
            },
        },
        status=201,
    )
    api.ok("POST", f"/experiments/{experiment['id']}/stop")
    accounts.sign_in(client, accounts.make(Role.editor))
    return int(experiment["id"])


def test_a_decision_card_says_each_caveat_once(
    client: FlaskClient, db: Session, accounts: Any
) -> None:
    _stopped_with_results(client, db, accounts)
    page = client.get("/week").get_data(as_text=True)
    card = page.split('class="card decision-card"')[1].split("</article>")[0]
    [caveat] = re.findall(r'<p class="alert[^>]*>(.*?)</p>', card, re.S)
    # the sentence names its caveat itself: no title said twice before it
    assert re.sub(r"<[^>]+>", "", caveat).strip().startswith("Sample-ratio mismatch: the arms")


def test_the_verdict_panel_does_not_say_its_word_twice(
    client: FlaskClient, db: Session, accounts: Any
) -> None:
    experiment_id = _stopped_with_results(client, db, accounts, variant_trials=300)
    page = client.get(f"/experiments/{experiment_id}").get_data(as_text=True)
    panel = page.split('class="x-verdict ')[1].split("</div>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", panel).split())
    # the sentence opens with the verdict ("Keep running: look 1 of 5 planned")
    assert "Keep running: look 1" in text
    assert text.count("Keep running") == 1, text


# The list, re-checked: two of its bugs had no test of their own.


def test_a_stopped_experiment_says_since_when_it_stopped_not_when_it_started(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    from datetime import date

    from tracker.models import Experiment, ExperimentStatus

    user = signed_in(Role.editor)
    metric = make_metric(db, "Win rate")
    db.add(
        Experiment(
            title="Lead routing by territory",
            primary_metric_id=metric.id,
            owner_id=user.id,
            status=ExperimentStatus.stopped,
            started_on=date(2026, 10, 18),
            stopped_on=date(2026, 11, 8),
        )
    )
    db.commit()
    card = client.get("/week").get_data(as_text=True).split('class="card decision-card"')[1]
    assert "Stopped since 8 Nov" in card and "18 Oct" not in card


def test_a_decided_experiment_page_shows_what_was_learned_from_it(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    from tracker.models import Experiment, ExperimentStatus, Learning, LearningExperiment

    signed_in(Role.viewer)
    metric = make_metric(db, "Win rate")
    experiment = Experiment(
        title="Case study e-mail", primary_metric_id=metric.id, status=ExperimentStatus.decided
    )
    kept = Learning(text="Peers' stories beat our promises in follow-ups.", tags="follow-up")
    other = Learning(text="Nothing to do with this test.")
    db.add_all([experiment, kept, other])
    db.flush()
    db.add(LearningExperiment(learning_id=kept.id, experiment_id=experiment.id))
    db.commit()
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    learned = page.split("What we learned")[1]
    assert "Peers&#39; stories beat our promises" in learned and "follow-up" in learned
    assert "Nothing to do with this test." not in page


def test_an_empty_team_insights_page_has_no_dash_in_its_sentences(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.viewer)
    page = client.get("/insights/").get_data(as_text=True)
    assert "win rate, —" not in page
    assert "the team's win rate, every time: none decided yet" in page


def test_a_new_team_writing_its_first_hypothesis_is_told_there_is_no_metric_yet(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    form = client.get("/backlog/new").get_data(as_text=True)
    assert "There is no metric to choose yet" in form and 'href="/metrics/new"' in form
    make_metric(db, "Win rate")
    assert "There is no metric to choose yet" not in client.get("/backlog/new").get_data(
        as_text=True
    )
