"""Experiments: design, start rules, the design lock, version conflicts, decisions,
roles and escaping."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from experiments.stats import Proportion, sample_size_mean, sample_size_proportion
from tracker.models import (
    Area,
    Arm,
    Change,
    Experiment,
    ExperimentStatus,
    Guardrail,
    Hypothesis,
    HypothesisStatus,
    Metric,
    MetricKind,
    Reading,
    Role,
)


def make_metric(
    db: Session,
    name: str,
    kind: str = "proportion",
    direction: str = "higher",
    readings: list[dict[str, Any]] | None = None,
) -> Metric:
    area = db.exec(select(Area).where(Area.name == "Sales")).one()
    metric = Metric(name=name, area_id=area.id, kind=MetricKind(kind), direction=direction)
    db.add(metric)
    db.flush()
    start = date(2025, 1, 6)
    for index, figures in enumerate(readings or []):
        db.add(
            Reading(
                metric_id=metric.id,
                period_start=start + timedelta(weeks=index),
                period_end=start + timedelta(weeks=index, days=6),
                **figures,
            )
        )
    db.commit()
    return metric


def make_hypothesis(
    db: Session, metric: Metric, title: str = "Shorter demo-request form"
) -> Hypothesis:
    hypothesis = Hypothesis(
        title=title,
        change="cut the demo-request form from nine fields to four",
        metric_id=metric.id,
        expected_effect=20,
        rationale="prospects abandon long forms",
        area_id=metric.area_id,
    )
    db.add(hypothesis)
    db.commit()
    return hypothesis


@pytest.fixture
def win_rate(db: Session) -> Metric:
    # 5 readings: the last four pool to 400/4000 = 0.10, weekly volume 1000
    readings = [{"successes": 300, "trials": 1000}] + [
        {"successes": 100, "trials": 1000} for _ in range(4)
    ]
    return make_metric(db, "Win rate", readings=readings)


def design_data(metric: Metric, user_id: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Shorter demo-request form",
        "owner_id": user_id,
        "primary_metric_id": metric.id,
        "arms-0-name": "Control",
        "arms-0-share": "0.5",
        "arms-1-name": "Short form",
        "arms-1-share": "0.5",
        # typed as the calculator asks: a proportion in percent, its effect in points
        "baseline": "10",
        "mde": "2",
        "alpha": "0.05",
        "power": "0.8",
        "alternative": "two-sided",
        # the fixed design these tests pin their sizes on; weekly looks are tested apart
        "design_kind": "fixed",
        "save": "Save the design",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create_experiment(
    client: Any, db: Session, metric: Metric, user_id: int, **overrides: Any
) -> Experiment:
    response = client.post("/experiments/new", data=design_data(metric, user_id, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    experiment = db.exec(select(Experiment).order_by(Experiment.id.desc())).first()
    db.refresh(experiment)
    return experiment


def input_value(page: str, name: str) -> str | None:
    """The value of the input named ``name`` in the page."""
    import re

    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def start(client: Any, experiment: Experiment) -> Any:
    return client.post(f"/experiments/{experiment.id}/start")


# --- design ------------------------------------------------------------------------------


def test_new_form_is_filled_from_the_hypothesis_and_readings(client, db, signed_in, win_rate):
    signed_in(Role.editor)
    hypothesis = make_hypothesis(db, win_rate)
    page = client.get(f"/experiments/new?hypothesis_id={hypothesis.id}").get_data(as_text=True)
    assert 'value="Shorter demo-request form"' in page
    assert "cut the demo-request form from nine fields to four" in page
    # a proportion's baseline reads as the calculator asks for it: 10 for 10%
    assert input_value(page, "baseline") == "10.0"
    assert "Baseline (%)" in page
    # the hypothesis expects +20%: a relative MDE of 20%
    assert input_value(page, "mde") == "20.0"
    # new experiments look every week: the maximum, the fixed size and the inflation
    assert 'value="group_sequential" selected' in page or (
        '<option selected value="group_sequential"' in page
    )
    fixed = sample_size_proportion(0.1, 0.2, relative=True)
    weekly = sample_size_proportion(0.1, 0.2, relative=True, looks=5)
    assert f"{weekly.control:,}" in page
    assert f"Fixed size {2 * fixed.control:,}" in page


def test_design_stores_the_engine_sample_size_and_weeks(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    hypothesis = make_hypothesis(db, win_rate)
    response = client.post(
        f"/experiments/new?hypothesis_id={hypothesis.id}",
        data=design_data(win_rate, user.id, **{"arms-0-share": "0.4", "arms-1-share": "0.6"}),
    )
    assert response.status_code == 302
    experiment = db.exec(select(Experiment)).one()
    expected = sample_size_proportion(0.1, 0.02, ratio=0.6 / 0.4)
    assert experiment.planned_control == expected.control
    assert experiment.planned_variant == expected.variant
    assert experiment.planned_total >= expected.total
    assert experiment.weekly_volume == pytest.approx(1000)
    assert experiment.hypothesis_id == hypothesis.id
    arms = db.exec(
        select(Arm).where(Arm.experiment_id == experiment.id).order_by(Arm.position)
    ).all()
    assert [(a.name, a.share, a.is_control) for a in arms] == [
        ("Control", 0.4, True),
        ("Short form", 0.6, False),
    ]
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    # the figure is its own left-to-right run: read the text without the tags
    assert f"{expected.control:,} control" in re.sub(r"<[^>]+>", "", page)
    log = db.exec(select(Change).where(Change.entity == "experiment")).all()
    assert [c.action for c in log] == ["create"]


def test_empty_baseline_is_pooled_from_the_last_four_readings(client, db, signed_in):
    user = signed_in(Role.editor)
    cycle = make_metric(
        db,
        "Sales cycle length",
        "mean",
        "lower",
        readings=[{"n": 50, "mean": 40.0, "sd": 10.0}, {"n": 50, "mean": 44.0, "sd": 10.0}],
    )
    response = client.post(
        "/experiments/new",
        data=design_data(cycle, user.id, baseline="", baseline_sd="", mde="-3"),
    )
    assert response.status_code == 302
    experiment = db.exec(select(Experiment)).one()
    assert experiment.baseline == pytest.approx(42.0)
    from experiments.stats import Mean

    pooled = Mean(50, 40.0, 10.0) + Mean(50, 44.0, 10.0)
    assert experiment.baseline_sd == pytest.approx(pooled.sd)
    assert experiment.planned_control == sample_size_mean(pooled.sd, -3, baseline=42.0).control


def test_plan_preview_json(client, db, signed_in, win_rate):
    signed_in(Role.viewer)
    answer = client.get(
        f"/experiments/plan?metric_id={win_rate.id}&baseline=10&mde=2&alpha=0.05"
        "&power=0.8&alternative=two-sided&share=0.5&share=0.5"
    ).get_json()
    assert answer["ok"] is True
    # weekly looks by default: five looks cost 2.5% more at most
    assert answer["control"] == 3936
    assert (answer["total"], answer["fixed_total"]) == (7872, 7682)
    assert answer["inflation"] == pytest.approx(1.025, abs=1e-3)
    assert answer["weeks"] == pytest.approx(7.9)
    assert answer["recent"]["baseline"] == pytest.approx(10)
    fixed = client.get(
        f"/experiments/plan?metric_id={win_rate.id}&baseline=10&mde=2&alpha=0.05"
        "&power=0.8&alternative=two-sided&share=0.5&share=0.5&design_kind=fixed"
    ).get_json()
    assert (fixed["control"], fixed["total"], fixed["inflation"]) == (3841, 7682, 1.0)
    assert fixed["weeks"] == pytest.approx(7.7)
    bad = client.get(
        f"/experiments/plan?metric_id={win_rate.id}&baseline=10&mde=0&alpha=0.05"
        "&power=0.8&share=0.5&share=0.5"
    ).get_json()
    assert bad["ok"] is False and "The MDE must not be zero" in bad["message"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"alpha": "1.5"}, "alpha", "Alpha must be between 0 and 1"),
        ({"power": "0"}, "power", "Power must be between 0 and 1"),
        ({"mde": "0"}, "mde", "must not be zero"),
        ({"baseline": "120"}, "baseline", "a percentage between 0 and 100"),
        ({"arms-1-share": "0.4"}, "arms", "add up to 0.9"),
        ({"arms-1-share": "-0.5"}, "arms-1-share", "above 0"),
    ],
)
def test_design_checks_keep_every_entry(client, db, signed_in, win_rate, overrides, field, message):
    user = signed_in(Role.editor)
    data = design_data(win_rate, user.id, title="Keep <this> title", **overrides)
    response = client.post("/experiments/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Keep &lt;this&gt; title"' in page
    for value in overrides.values():
        assert f'value="{value}"' in page
    assert db.exec(select(Experiment)).first() is None


def test_sd_must_be_positive_for_a_mean(client, db, signed_in):
    user = signed_in(Role.editor)
    deal = make_metric(db, "Average deal size", "mean")
    response = client.post(
        "/experiments/new",
        data=design_data(deal, user.id, baseline="5000", baseline_sd="0", mde="500"),
    )
    assert response.status_code == 422
    assert "The standard deviation must be above zero." in response.get_data(as_text=True)


def test_add_variant_without_javascript(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    data = design_data(win_rate, user.id, title="Three ways")
    del data["save"]
    data["add_variant"] = "Add a variant"
    response = client.post("/experiments/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="arms-2-name"' in page and 'value="Variant C"' in page
    assert 'value="Three ways"' in page
    assert db.exec(select(Experiment)).first() is None


def test_three_variants_share_the_traffic(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    data = design_data(win_rate, user.id)
    data.update(
        {
            "arms-0-share": "0.25",
            "arms-1-share": "0.25",
            "arms-2-name": "C",
            "arms-2-share": "0.25",
            "arms-3-name": "D",
            "arms-3-share": "0.25",
        }
    )
    assert client.post("/experiments/new", data=data).status_code == 302
    experiment = db.exec(select(Experiment)).one()
    assert experiment.planned_total == 4 * sample_size_proportion(0.1, 0.02).control


def test_guardrails_are_saved(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    csat = make_metric(db, "CSAT")
    data = design_data(win_rate, user.id)
    data["guardrail_ids"] = [str(csat.id)]
    assert client.post("/experiments/new", data=data).status_code == 302
    experiment = db.exec(select(Experiment)).one()
    assert db.exec(
        select(Guardrail.metric_id).where(Guardrail.experiment_id == experiment.id)
    ).all() == [csat.id]


def test_a_design_sent_back_keeps_its_ticked_guardrails(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    csat = make_metric(db, "CSAT")
    nps = make_metric(db, "NPS", kind="mean")
    data = design_data(win_rate, user.id, alpha="0.7")
    data["guardrail_ids"] = [str(csat.id)]
    response = client.post("/experiments/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # a checkbox a metric, named with its kind; the one ticked is still ticked
    assert re.search(rf'name="guardrail_ids" value="{csat.id}"[^>]*checked', page)
    assert not re.search(rf'name="guardrail_ids" value="{nps.id}"[^>]*checked', page)
    assert "NPS (mean)</span>" in page


def test_each_choice_of_the_design_has_a_short_name_and_its_meaning_beneath(
    client, db, signed_in, win_rate
):
    signed_in(Role.editor)
    page = client.get("/experiments/new").get_data(as_text=True)
    kinds = re.search(r'<select[^>]*id="design_kind".*?</select>', page, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", kinds) == ["Weekly looks", "One look", "Any time"]
    notes = re.search(r'<ul class="choice-notes" id="design_kind-notes">.*?</ul>', page, re.S)
    assert "judged once, when the planned sample size is reached" in notes.group(0)
    assert 'aria-describedby="design_kind-notes"' in page
    # the primary metric is named alone in its select, its kind said beneath
    assert re.search(rf'<option[^>]*value="{win_rate.id}"[^>]*>Win rate</option>', page)
    assert "The metric the experiment is judged on: a proportion." in page


# --- start rules and the lock ---------------------------------------------------------------


def test_start_sets_running_and_the_hypothesis_testing(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    hypothesis = make_hypothesis(db, win_rate)
    client.post(
        f"/experiments/new?hypothesis_id={hypothesis.id}", data=design_data(win_rate, user.id)
    )
    experiment = db.exec(select(Experiment)).one()
    assert start(client, experiment).status_code == 302
    db.refresh(experiment)
    db.refresh(hypothesis)
    assert experiment.status == ExperimentStatus.running
    assert experiment.started_on == date.today()
    assert hypothesis.status == HypothesisStatus.testing


def test_start_refused_names_what_is_missing(client, db, signed_in, win_rate):
    signed_in(Role.editor)
    experiment = Experiment(title="Half designed", primary_metric_id=win_rate.id)
    db.add(experiment)
    db.commit()
    db.add(Arm(experiment_id=experiment.id, name="Control", share=1.0, is_control=True))
    db.commit()
    response = start(client, experiment)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot start yet" in page
    assert "at least two arms" in page
    assert "a planned sample size" in page
    db.refresh(experiment)
    assert experiment.status == ExperimentStatus.draft


def test_running_design_needs_a_reason_and_logs_it(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    experiment = create_experiment(client, db, win_rate, user.id)
    start(client, experiment)
    db.refresh(experiment)
    data = design_data(win_rate, user.id, mde="3", version=str(experiment.version))
    response = client.post(f"/experiments/{experiment.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "so its design is locked" in page and "mde" in page
    assert 'value="3"' in page
    data["reason"] = "Sales asked for a <b>bigger</b> effect only"
    assert client.post(f"/experiments/{experiment.id}/edit", data=data).status_code == 302
    db.refresh(experiment)
    assert experiment.mde == 0.03
    assert experiment.planned_control == sample_size_proportion(0.1, 0.03).control
    change = db.exec(select(Change).where(Change.field == "mde")).one()
    assert change.reason.startswith("Sales asked")
    page = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "Sales asked for a &lt;b&gt;bigger&lt;/b&gt; effect only" in page


def test_running_title_change_needs_no_reason(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    experiment = create_experiment(client, db, win_rate, user.id)
    start(client, experiment)
    db.refresh(experiment)
    data = design_data(win_rate, user.id, title="A better title", version=str(experiment.version))
    assert client.post(f"/experiments/{experiment.id}/edit", data=data).status_code == 302


def test_stale_version_is_a_conflict_not_an_overwrite(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    experiment = create_experiment(client, db, win_rate, user.id)
    opened = experiment.version
    first = design_data(win_rate, user.id, title="First edit", version=str(opened))
    assert client.post(f"/experiments/{experiment.id}/edit", data=first).status_code == 302
    second = design_data(win_rate, user.id, title="Second edit", version=str(opened))
    response = client.post(f"/experiments/{experiment.id}/edit", data=second)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this experiment since you opened it" in page
    assert 'value="Second edit"' in page
    db.refresh(experiment)
    assert experiment.title == "First edit"
    assert experiment.version == opened + 1


def test_admin_delete_is_soft(client, db, signed_in, win_rate, accounts):
    admin = signed_in(Role.admin)
    experiment = create_experiment(client, db, win_rate, admin.id)
    assert client.post(f"/experiments/{experiment.id}/delete").status_code == 302
    db.refresh(experiment)
    assert experiment.deleted_at is not None
    assert client.get(f"/experiments/{experiment.id}").status_code == 404
    assert "Shorter demo-request form" not in client.get("/experiments/").get_data(as_text=True)


def test_editor_cannot_delete(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    experiment = create_experiment(client, db, win_rate, user.id)
    assert client.post(f"/experiments/{experiment.id}/delete").status_code == 403


def test_viewer_gets_403_on_every_post(client, db, accounts, win_rate):
    editor = accounts.make(Role.editor)
    accounts.sign_in(client, editor)
    experiment = create_experiment(client, db, win_rate, editor.id)
    client.post("/sign-out")
    viewer = accounts.make(Role.viewer)
    accounts.sign_in(client, viewer)
    base = f"/experiments/{experiment.id}"
    for url in (
        "/experiments/new",
        f"{base}/edit",
        f"{base}/start",
        f"{base}/stop",
        f"{base}/results",
        f"{base}/results.csv",
        f"{base}/decision",
        f"{base}/delete",
    ):
        assert client.post(url, data={}).status_code == 403, url
    page = client.get(base).get_data(as_text=True)
    assert '/edit"' not in page and f"{base}/start" not in page
    assert client.get("/experiments/new").status_code == 403


def test_user_text_is_escaped(client, db, signed_in, win_rate):
    user = signed_in(Role.editor)
    hypothesis = make_hypothesis(db, win_rate, title="<script>alert(1)</script>")
    response = client.post(
        f"/experiments/new?hypothesis_id={hypothesis.id}",
        data=design_data(
            win_rate,
            user.id,
            title="<script>alert('x')</script>",
            **{"arms-1-name": "<img src=x onerror=alert(2)>"},
        ),
    )
    assert response.status_code == 302
    experiment = db.exec(select(Experiment)).one()
    for url in (
        f"/experiments/{experiment.id}",
        "/experiments/",
        f"/experiments/{experiment.id}/edit",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(" not in page, url
        assert "<img src=x" not in page, url
    assert "&lt;script&gt;alert(" in client.get(f"/experiments/{experiment.id}").get_data(
        as_text=True
    )


def test_pooled_proportion_baseline_matches_the_engine():
    from experiments.planning import baseline_from

    readings = [Proportion(12, 100), Proportion(30, 200), Proportion(9, 100), Proportion(20, 200)]
    assert baseline_from(readings).value == pytest.approx(71 / 600)
