"""One verdict on every page: an SRM reads untrustworthy everywhere, a fixed design at
half its size keeps running everywhere, and a weekly-looks design that crosses its
boundary at the third look is decided without an early-decision reason."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from tests.test_analysis import analyses_of, result_data
from tests.test_api_support import Api
from tests.test_experiments import design_data, make_hypothesis, make_metric, start
from tracker.experiments.verdicts import shown_verdict
from tracker.models import Arm, Experiment, ExperimentStatus, Role


@pytest.fixture
def win_rate(db: Session):
    return make_metric(db, "Win rate", readings=[{"successes": 100, "trials": 1000}] * 4)


def running(client, db, user, metric, **design: str) -> dict[str, Any]:
    hypothesis = make_hypothesis(db, metric)
    client.post(
        f"/experiments/new?hypothesis_id={hypothesis.id}",
        data=design_data(metric, user.id, **design),
    )
    experiment = db.exec(select(Experiment).order_by(Experiment.id.desc())).first()
    start(client, experiment)
    db.refresh(experiment)
    arms = db.exec(
        select(Arm).where(Arm.experiment_id == experiment.id).order_by(Arm.position)
    ).all()
    return {"experiment": experiment, "arms": arms, "win_rate": metric}


def post_results(client, setup, control: tuple[int, int], variant: tuple[int, int]) -> None:
    data = result_data(setup, {"Control": control, "Short form": variant})
    response = client.post(f"/experiments/{setup['experiment'].id}/results", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def primary_analysis(db, experiment):
    return next(a for a in reversed(analyses_of(db, experiment)) if a.is_primary)


def everywhere(client, db, accounts, experiment) -> dict[str, Any]:
    """The status page, the weekly review, the dashboard and the API's analysis."""
    api = Api(client=client, db=db, accounts=accounts)
    return {
        "status": client.get(f"/experiments/{experiment.id}").get_data(as_text=True),
        "agenda": client.get("/week").get_data(as_text=True),
        "dashboard": client.get("/").get_data(as_text=True),
        "api": api.ok("GET", f"/experiments/{experiment.id}/analysis", role=Role.viewer),
    }


def test_a_sample_ratio_mismatch_reads_untrustworthy_everywhere(
    client, db, accounts, signed_in, win_rate
):
    user = signed_in(Role.editor)
    setup = running(client, db, user, win_rate)
    # a 50/50 split that delivered 1,000 against 1,300: the assignment is broken
    post_results(client, setup, (100, 1000), (160, 1300))
    pages = everywhere(client, db, accounts, setup["experiment"])
    status = pages["status"]
    assert 'data-verdict="untrustworthy"' in status
    assert "Don&#39;t read this result" in status or "Don't read this result" in status
    # no lift sentence is shown as a finding
    assert "converts 23.1% better" not in status
    agenda = pages["agenda"]
    decide = agenda[agenda.index('id="decide"') : agenda.index('id="running"')]
    assert "Sample-ratio mismatch: untrustworthy" in decide
    assert 'data-verdict="untrustworthy"' in decide
    assert 'data-verdict="untrustworthy"' in pages["dashboard"]
    assert pages["api"]["verdict"]["code"] == "untrustworthy"
    assert "sample-ratio mismatch" in pages["api"]["verdict"]["sentence"]
    stored = shown_verdict(primary_analysis(db, setup["experiment"]))
    assert stored is not None and stored.code == "untrustworthy"


def test_a_fixed_design_at_half_its_size_keeps_running_everywhere(
    client, db, accounts, signed_in, win_rate
):
    user = signed_in(Role.editor)
    setup = running(client, db, user, win_rate, design_kind="fixed")
    experiment = setup["experiment"]
    assert experiment.planned_total == 7682
    # 13.0% against 16.7% at half the planned size: p < 0.001, but the design
    # judges only at its planned size
    post_results(client, setup, (250, 1920), (320, 1920))
    pages = everywhere(client, db, accounts, experiment)
    status = pages["status"]
    assert 'data-verdict="keep_running"' in status
    assert "Keep running: 50% of the planned sample size" in status
    assert "significant" not in status.split('id="analysis-title"')[1].split("</section>")[0]
    agenda = pages["agenda"]
    running_section = agenda[agenda.index('id="running"') :]
    assert 'data-verdict="keep_running"' in running_section
    assert experiment.title in running_section
    assert (
        experiment.title not in agenda[agenda.index('id="decide"') : agenda.index('id="running"')]
    )
    assert 'data-verdict="keep_running"' in pages["dashboard"]
    api = pages["api"]
    assert api["verdict"]["code"] == "keep_running"
    assert "significant" not in api["verdict"]["sentence"]
    assert api["design"]["kind"] == "fixed"
    assert api["look"]["nominal_alpha"] == 0.05
    # the report reads the same verdict from the stored analysis alone
    stored = shown_verdict(primary_analysis(db, experiment))
    assert stored is not None and stored.code == "keep_running"
    assert "significant" not in stored.sentence()
    # deciding now is early: the reason is asked for
    decision = {"outcome": "won", "action": "ship", "rationale": "Looks good", "decide": "Decide"}
    response = client.post(f"/experiments/{experiment.id}/decision", data=decision)
    assert response.status_code == 422
    assert "say why you decide early" in response.get_data(as_text=True)


def test_weekly_looks_crossing_at_the_third_look_are_decided_without_a_reason(
    client, db, accounts, signed_in, win_rate
):
    user = signed_in(Role.editor)
    setup = running(client, db, user, win_rate, design_kind="group_sequential", design_looks="5")
    experiment = setup["experiment"]
    assert experiment.planned_total == 7872 and experiment.fixed_total == 7682
    post_results(client, setup, (79, 787), (85, 787))  # look 1: 20% of the maximum
    first = primary_analysis(db, experiment).look
    post_results(client, setup, (79, 787), (85, 787))  # the same figures again
    again = primary_analysis(db, experiment).look
    assert (again["number"], again["critical_z"]) == (1, first["critical_z"])
    post_results(client, setup, (157, 1574), (175, 1574))  # look 2
    second = primary_analysis(db, experiment).look
    assert second["number"] == 2 and second["critical_z"] == pytest.approx(3.357, abs=0.01)
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert 'data-verdict="keep_running"' in page
    assert "Keep running: look 2 of 5 planned" in page
    # the decision form starts with no outcome chosen
    assert 'value="">Choose the outcome' in page
    assert "<option selected value=" not in page.split('id="decision-title"')[1].split("</form>")[0]
    post_results(client, setup, (236, 2362), (330, 2362))  # look 3: z = 4.2
    third = primary_analysis(db, experiment)
    assert third.look["number"] == 3 and third.look["critical_z"] == pytest.approx(2.68, abs=0.01)
    db.refresh(experiment)
    assert experiment.latest_verdict == "stop_better"
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert 'data-verdict="stop_better"' in page
    assert "crossed the boundary at look 3" in page
    assert 'name="early_decision_reason"' not in page
    agenda = client.get("/week").get_data(as_text=True)
    decide = agenda[agenda.index('id="decide"') : agenda.index('id="running"')]
    assert "Crossed its boundary at look 3: better" in decide
    decision = {
        "outcome": "won",
        "action": "ship",
        "rationale": "Crossed at the third weekly look",
        "decide": "Decide",
    }
    response = client.post(f"/experiments/{experiment.id}/decision", data=decision)
    assert response.status_code == 302
    db.refresh(experiment)
    assert experiment.status == ExperimentStatus.decided
    assert experiment.early_decision_reason == ""
