"""Results entry (form and CSV), the stored analysis and its warnings, decisions, and
the fixed number of queries of the board and the status page."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from sqlmodel import Session, select

from experiments.stats import Proportion, compare
from tests.arabic_pages import visible_text
from tests.test_experiments import (
    create_experiment,
    design_data,
    make_hypothesis,
    make_metric,
    start,
)
from tracker.models import (
    Analysis,
    Arm,
    Experiment,
    ExperimentStatus,
    HypothesisStatus,
    ResultSet,
    ResultSnapshot,
    Role,
)

HEADER = "arm,metric,successes,trials,n,mean,sd,events,exposure\n"


@pytest.fixture
def win_rate(db: Session):
    return make_metric(db, "Win rate", readings=[{"successes": 100, "trials": 1000}] * 4)


@pytest.fixture
def running(client, db, signed_in, win_rate):
    """A running experiment on win rate with escalations per ticket as guardrail."""
    user = signed_in(Role.editor)
    escalations = make_metric(db, "Escalations per ticket", "rate", "lower")
    hypothesis = make_hypothesis(db, win_rate)
    data = design_data(win_rate, user.id)
    data["guardrail_ids"] = [str(escalations.id)]
    client.post(f"/experiments/new?hypothesis_id={hypothesis.id}", data=data)
    experiment = db.exec(select(Experiment)).one()
    start(client, experiment)
    db.refresh(experiment)
    arms = db.exec(
        select(Arm).where(Arm.experiment_id == experiment.id).order_by(Arm.position)
    ).all()
    return {
        "experiment": experiment,
        "arms": arms,
        "win_rate": win_rate,
        "escalations": escalations,
        "hypothesis": hypothesis,
        "user": user,
    }


def result_data(setup: dict[str, Any], figures: dict[str, tuple]) -> dict[str, str]:
    """Form fields: figures maps 'Control'/'Short form' to (successes, trials)."""
    data = {"save_results": "Save"}
    metric = setup["win_rate"]
    for arm in setup["arms"]:
        successes, trials = figures[arm.name]
        data[f"m{metric.id}_a{arm.id}_successes"] = str(successes)
        data[f"m{metric.id}_a{arm.id}_trials"] = str(trials)
    return data


def analyses_of(db: Session, experiment: Experiment) -> list[Analysis]:
    db.expire_all()
    return db.exec(select(Analysis).where(Analysis.experiment_id == experiment.id)).all()


def test_results_form_stores_snapshots_and_the_analysis(client, db, running):
    experiment = running["experiment"]
    data = result_data(running, {"Control": (400, 4000), "Short form": (520, 4000)})
    response = client.post(f"/experiments/{experiment.id}/results", data=data)
    assert response.status_code == 302
    db.refresh(experiment)
    assert db.exec(select(ResultSet)).one().id == experiment.latest_result_set_id
    assert len(db.exec(select(ResultSnapshot)).all()) == 2
    assert experiment.observed_total == 8000
    analysis = analyses_of(db, experiment)[0]  # the guardrail was left empty
    assert analysis.is_primary
    expected = compare(Proportion(400, 4000), Proportion(520, 4000))
    variant = analysis.comparisons["variants"][0]
    assert variant["name"] == "Short form"
    assert variant["p_value"] == pytest.approx(expected.p_value)
    assert variant["lift"] == pytest.approx(0.3)
    assert variant["lift_ci"] == pytest.approx(list(expected.lift_ci))
    assert variant["chance_to_beat_control"] == pytest.approx(expected.chance_to_beat_control)
    assert variant["significant"] is True
    assert analysis.chart_svg.startswith("<svg")
    assert 'aria-label="Lift over control' in analysis.chart_svg
    # planned 7,682 and 8,000 observed: not preliminary
    assert analysis.preliminary is False
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "Short form converts 30.0% better than Control" in visible_text(page)
    # the verdict: a fixed design at its planned size with a significant result
    assert 'data-verdict="stop_better"' in page
    assert "significant at the planned sample size" in page
    assert "<svg" in page


def test_preliminary_warning_before_the_planned_size(client, db, running):
    experiment = running["experiment"]
    data = result_data(running, {"Control": (50, 500), "Short form": (60, 500)})
    client.post(f"/experiments/{experiment.id}/results", data=data)
    analysis = analyses_of(db, experiment)[0]
    assert analysis.preliminary is True
    assert "preliminary" in [w["code"] for w in analysis.warnings]
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "Don&#39;t stop early" in page
    assert "more weeks at the current volume" in page


def test_sample_ratio_mismatch_warning(client, db, running):
    experiment = running["experiment"]
    data = result_data(running, {"Control": (500, 5000), "Short form": (560, 5600)})
    client.post(f"/experiments/{experiment.id}/results", data=data)
    analysis = analyses_of(db, experiment)[0]
    assert analysis.srm["mismatch"] is True
    assert analysis.warnings[0]["code"] == "srm"
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "Sample-ratio mismatch" in page and "check the assignment" in page.lower()


def test_guardrail_significantly_worse(client, db, running):
    experiment, escalations = running["experiment"], running["escalations"]
    data = result_data(running, {"Control": (400, 4000), "Short form": (430, 4000)})
    control, variant = running["arms"]
    data |= {
        f"m{escalations.id}_a{control.id}_events": "40",
        f"m{escalations.id}_a{control.id}_exposure": "4000",
        f"m{escalations.id}_a{variant.id}_events": "90",
        f"m{escalations.id}_a{variant.id}_exposure": "4000",
    }
    assert client.post(f"/experiments/{experiment.id}/results", data=data).status_code == 302
    analyses = {a.metric_id: a for a in analyses_of(db, experiment)}
    guard = analyses[escalations.id]
    assert not guard.is_primary
    assert [w["code"] for w in guard.warnings] == ["guardrail_worse"]
    assert guard.comparisons["variants"][0]["chance_to_beat_control"] < 0.01  # lower is better
    assert "guardrail_worse" in [w["code"] for w in analyses[running["win_rate"].id].warnings]
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    # the names in the caveat are isolated in their own direction: read the text
    text = re.sub(r"<[^>]+>", "", page)
    assert "Guardrail Escalations per ticket is significantly worse in Short form" in text


def test_multiple_variants_are_adjusted_with_holm(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    data = design_data(win_rate, user.id)
    data |= {
        "arms-0-share": "0.25",
        "arms-1-name": "B",
        "arms-1-share": "0.25",
        "arms-2-name": "C",
        "arms-2-share": "0.25",
        "arms-3-name": "D",
        "arms-3-share": "0.25",
    }
    assert client.post("/experiments/new", data=data).status_code == 302
    experiment = db.exec(select(Experiment)).one()
    start(client, experiment)
    arms = db.exec(
        select(Arm).where(Arm.experiment_id == experiment.id).order_by(Arm.position)
    ).all()
    figures = {"Control": (100, 1000), "B": (130, 1000), "C": (125, 1000), "D": (90, 1000)}
    form = {"save_results": "Save"}
    for arm in arms:
        form[f"m{win_rate.id}_a{arm.id}_successes"] = str(figures[arm.name][0])
        form[f"m{win_rate.id}_a{arm.id}_trials"] = str(figures[arm.name][1])
    assert client.post(f"/experiments/{experiment.id}/results", data=form).status_code == 302
    analysis = analyses_of(db, experiment)[0]
    codes = [w["code"] for w in analysis.warnings]
    assert "multiple_variants" in codes
    variants = {v["name"]: v for v in analysis.comparisons["variants"]}
    assert list(variants) == ["B", "C", "D"]
    assert variants["B"]["adjusted_p_value"] > variants["B"]["p_value"]
    assert variants["B"]["significant"] is False  # 0.035 alone, not after Holm
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "Holm" in page


def test_insufficient_data_is_a_warning_not_an_error(client, db, running):
    experiment = running["experiment"]
    data = result_data(running, {"Control": (0, 100), "Short form": (0, 100)})
    assert client.post(f"/experiments/{experiment.id}/results", data=data).status_code == 302
    analysis = analyses_of(db, experiment)[0]
    assert [w["code"] for w in analysis.warnings if w["code"] == "insufficient_data"]
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "No successes in either arm yet" in page


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        (
            {"Control": (500, 400), "Short form": (10, 100)},
            "Successes (500) must not be above trials (400)",
        ),
        (
            {"Control": (-1, 400), "Short form": (10, 100)},
            "Successes must be zero or more, got -1.",
        ),
        ({"Control": ("", 400), "Short form": (10, 100)}, "Enter a number."),
        ({"Control": ("ten", 400), "Short form": (10, 100)}, "Enter a whole number (digits 0-9)."),
    ],
)
def test_bad_results_keep_the_entries(client, db, running, figures, message):
    experiment = running["experiment"]
    response = client.post(
        f"/experiments/{experiment.id}/results", data=result_data(running, figures)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="100"' in page
    assert db.exec(select(ResultSet)).first() is None


def test_mean_checks(client, db, signed_in):
    user = signed_in(Role.editor)
    deal = make_metric(db, "Average deal size", "mean")
    experiment = create_experiment(
        client, db, deal, user.id, baseline="5000", baseline_sd="2000", mde="500"
    )
    start(client, experiment)
    control, variant = db.exec(
        select(Arm).where(Arm.experiment_id == experiment.id).order_by(Arm.position)
    ).all()
    m = deal.id
    data = {
        "save_results": "Save",
        f"m{m}_a{control.id}_n": "1",
        f"m{m}_a{control.id}_mean": "5000",
        f"m{m}_a{control.id}_sd": "100",
        f"m{m}_a{variant.id}_n": "40",
        f"m{m}_a{variant.id}_mean": "5100",
        f"m{m}_a{variant.id}_sd": "-3",
    }
    page = client.post(f"/experiments/{experiment.id}/results", data=data).get_data(as_text=True)
    assert "n must be at least 2" in page
    assert "Sd must be zero or more, got -3.0." in page


# --- CSV ----------------------------------------------------------------------------------


def upload(client, experiment, text: str):
    return client.post(
        f"/experiments/{experiment.id}/results.csv",
        data={"csv_file": (io.BytesIO(text.encode()), "results.csv"), "upload": "Import"},
        content_type="multipart/form-data",
    )


def test_csv_good_file(client, db, running):
    experiment = running["experiment"]
    text = HEADER + (
        "Control,Win rate,400,4000,,,,,\n"
        "Short form,Win rate,470,4000,,,,,\n"
        "Control,Escalations per ticket,,,,,,40,4000\n"
        "Short form,Escalations per ticket,,,,,,38,4000\n"
    )
    assert upload(client, experiment, text).status_code == 302
    assert len(db.exec(select(ResultSnapshot)).all()) == 4
    assert len(analyses_of(db, experiment)) == 2


def test_csv_with_semicolons_reports_every_problem(client, db, running):
    """The experiment page reads the Import page's dialect: semicolons, quoted
    cells, and every problem listed with its line and column."""
    experiment = running["experiment"]
    text = (
        "arm;metric;successes;trials\n"
        '"Control";"Win rate";400;4000\n'
        "Short form;Win rate;x;4000\n"
        "Nobody;Win rate;1;4000\n"
    )
    page = html.unescape(upload(client, experiment, text).get_data(as_text=True))
    assert "Nothing was imported: the file has 3 errors." in page
    assert "line 3, column successes: “x” is not a number." in page
    assert "line 4, column arm: experiment 1 has no arm named “Nobody”" in page
    good = "arm;metric;successes;trials\nControl;Win rate;400;4000\nShort form;Win rate;470;4000\n"
    assert upload(client, experiment, good).status_code == 302
    assert len(db.exec(select(ResultSnapshot)).all()) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "arm,metric,wins,trials\nControl,Win rate,1,2\n",
            "line 1, column wins: the column “wins” is unknown",
        ),
        (
            HEADER + "Control,Win rate,400,4000,,,,,\nShort form,Win rate,4x0,4000,,,,,\n",
            "line 3, column successes: “4x0” is not a number.",
        ),
        (
            HEADER + "Control,Win rate,400,4000,,,,,\nShort form,Win rate,500,400,,,,,\n",
            "line 3, column successes: Successes (500) must not be above trials (400)",
        ),
        (
            HEADER + "Control,Win rate,400,4000,,,,,\nShort form,Win rate,,4000,,,,,\n",
            "line 3, column successes: enter the successes",
        ),
        (
            HEADER + "Control,Win rate,400,4000,,,,,\nVariant Z,Win rate,1,4000,,,,,\n",
            "line 3, column arm: experiment 1 has no arm named “Variant Z”",
        ),
        (
            HEADER + "Control,Win rate,400,4000,,,,,\n",
            "have no row for Short form on Win rate.",
        ),
    ],
)
def test_csv_bad_file_is_refused_whole(client, db, running, text, message):
    experiment = running["experiment"]
    response = upload(client, experiment, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported: the file has" in page
    assert message in html.unescape(page)
    assert db.exec(select(ResultSet)).first() is None
    assert db.exec(select(ResultSnapshot)).first() is None


# --- decisions --------------------------------------------------------------------------


def test_early_decision_needs_a_reason(client, db, running):
    experiment, hypothesis = running["experiment"], running["hypothesis"]
    client.post(
        f"/experiments/{experiment.id}/results",
        data=result_data(running, {"Control": (50, 500), "Short form": (70, 500)}),
    )
    data = {"outcome": "won", "action": "ship", "rationale": "Clearly better", "decide": "Decide"}
    response = client.post(f"/experiments/{experiment.id}/decision", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "say why you decide early" in page
    assert "Clearly better" in page
    db.refresh(experiment)
    assert experiment.status == ExperimentStatus.running
    data["early_decision_reason"] = "The quarter ends; sales needs the form now."
    assert client.post(f"/experiments/{experiment.id}/decision", data=data).status_code == 302
    db.refresh(experiment)
    db.refresh(hypothesis)
    assert experiment.status == ExperimentStatus.decided
    assert experiment.early_decision_reason.startswith("The quarter ends")
    assert experiment.decided_by_id == running["user"].id
    assert hypothesis.status == HypothesisStatus.validated
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "Decided before the planned sample size" in page


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("lost", HypothesisStatus.invalidated), ("inconclusive", HypothesisStatus.inconclusive)],
)
def test_decision_at_the_planned_size_sets_the_hypothesis(client, db, running, outcome, status):
    experiment, hypothesis = running["experiment"], running["hypothesis"]
    client.post(
        f"/experiments/{experiment.id}/results",
        data=result_data(running, {"Control": (400, 4000), "Short form": (395, 4000)}),
    )
    client.post(f"/experiments/{experiment.id}/stop")
    data = {"outcome": outcome, "action": "abandon", "rationale": "No lift.", "decide": "Decide"}
    assert client.post(f"/experiments/{experiment.id}/decision", data=data).status_code == 302
    db.refresh(hypothesis)
    assert hypothesis.status == status


def test_draft_cannot_take_results(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    experiment = create_experiment(client, db, win_rate, user.id)
    response = client.post(f"/experiments/{experiment.id}/results", data={"save_results": "Save"})
    assert response.status_code == 302
    assert db.exec(select(ResultSet)).first() is None


# --- fixed query counts -------------------------------------------------------------------


def bulk_experiments(db: Session, metric, owner_id: int, count: int) -> list[Experiment]:

    statuses = list(ExperimentStatus)
    experiments = [
        Experiment(
            title=f"Experiment {i}",
            primary_metric_id=metric.id,
            owner_id=owner_id,
            status=statuses[i % 4],
            planned_control=100,
            planned_variant=100,
            planned_total=200,
            baseline=0.1,
            mde=0.02,
        )
        for i in range(count)
    ]
    db.add_all(experiments)
    db.flush()
    for experiment in experiments:
        db.add(Arm(experiment_id=experiment.id, name="Control", share=0.5, is_control=True))
        db.add(Arm(experiment_id=experiment.id, name="B", share=0.5, position=1))
    db.commit()
    return experiments


def add_result_sets(db: Session, experiment: Experiment, metric, count: int) -> None:
    from datetime import UTC, datetime, timedelta

    from tracker.experiments.service import save_results

    arms = db.exec(
        select(Arm).where(Arm.experiment_id == experiment.id).order_by(Arm.position)
    ).all()
    for week in range(count):
        figures = {
            (arms[0].id, metric.id): {"successes": 10 + week, "trials": 100 + 10 * week},
            (arms[1].id, metric.id): {"successes": 12 + week, "trials": 100 + 10 * week},
        }
        save_results(
            db,
            experiment,
            figures,
            arms=arms,
            metrics=[metric],
            user_id=None,
            recorded_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(weeks=week),
        )
    db.commit()


def test_board_queries_do_not_grow(client, db, signed_in, win_rate, count_queries):
    user = signed_in(Role.viewer)
    experiments = bulk_experiments(db, win_rate, user.id, 10)
    add_result_sets(db, experiments[1], win_rate, 1)

    def count() -> int:
        with count_queries() as queries:
            assert client.get("/experiments/").status_code == 200
            assert client.get("/experiments/?status=decided").status_code == 200
            assert (
                client.get(f"/experiments/?owner={user.id}&area={win_rate.area_id}").status_code
                == 200
            )
        return len(queries)

    few = count()
    more = bulk_experiments(db, win_rate, user.id, 990)
    add_result_sets(db, more[5], win_rate, 1)
    page = client.get("/experiments/").get_data(as_text=True)
    assert "See all 249 decided" in page
    assert count() == few


def test_status_page_queries_do_not_grow(client, db, signed_in, win_rate, count_queries):
    user = signed_in(Role.viewer)
    small, large = bulk_experiments(db, win_rate, user.id, 2)
    small.status = large.status = ExperimentStatus.running  # only these take results
    db.commit()
    add_result_sets(db, small, win_rate, 2)
    add_result_sets(db, large, win_rate, 50)
    with count_queries() as few:
        page = client.get(f"/experiments/{small.id}").get_data(as_text=True)
    assert "lift at each result set" in page
    with count_queries() as many:
        page = client.get(f"/experiments/{large.id}").get_data(as_text=True)
    assert "50 result sets entered" in page
    assert len(many) == len(few)
