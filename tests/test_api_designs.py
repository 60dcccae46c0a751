"""The API's designs: weekly looks unless said, the inflated maximum beside the fixed
size, a design kept through a PATCH that does not mention it, and locked once running."""

from __future__ import annotations

import pytest

from experiments.stats import sample_size_proportion
from tests.test_api_support import Api
from tracker.models import Role


@pytest.fixture
def api(client, db, accounts) -> Api:
    return Api(client=client, db=db, accounts=accounts)


def test_a_new_experiment_looks_every_week_unless_told(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    weekly = api.experiment(metric["id"])
    assert weekly["design"] == {
        "kind": "group_sequential",
        "spending": "obrien-fleming",
        "planned_looks": 5,
    }
    sizes = weekly["planned_sample_size"]
    assert sizes["total"] > sizes["fixed_total"]
    assert sizes["total"] / sizes["fixed_total"] == pytest.approx(1.025, abs=0.002)
    pocock = api.experiment(
        metric["id"], design={"kind": "group_sequential", "spending": "pocock", "planned_looks": 4}
    )
    assert pocock["design"]["spending"] == "pocock"
    assert pocock["planned_sample_size"]["total"] > sizes["total"]
    fixed = api.experiment(metric["id"], design={"kind": "fixed"})
    assert fixed["design"] == {"kind": "fixed", "spending": "obrien-fleming", "planned_looks": 1}
    assert fixed["planned_sample_size"]["total"] == fixed["planned_sample_size"]["fixed_total"]
    assert fixed["planned_sample_size"]["fixed_total"] == sizes["fixed_total"]


@pytest.mark.parametrize(
    "design",
    [{"kind": "bayesian"}, {"kind": "group_sequential", "planned_looks": 1}, {"looks": 3}],
)
def test_a_bad_design_is_refused_with_its_field(api, design):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    response = api.post(
        "/experiments",
        {
            "title": "Bad design",
            "primary_metric_id": metric["id"],
            "arms": [{"name": "control", "share": 0.5}, {"name": "B", "share": 0.5}],
            "mde": 0.1,
            "mde_relative": True,
            "design": design,
        },
    )
    assert response.status_code == 422
    assert any(field.startswith("design") for field in response.get_json()["error"]["fields"])


def test_a_patch_keeps_the_design_and_a_running_design_is_locked(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(metric["id"], design={"kind": "always_valid"})
    renamed = api.ok(
        "PATCH", f"/experiments/{made['id']}", {"version": made["version"], "title": "New"}
    )
    assert renamed["design"]["kind"] == "always_valid"
    running = api.ok("POST", f"/experiments/{made['id']}/start")
    change = {"version": running["version"], "design": {"kind": "fixed"}}
    refused = api.patch(f"/experiments/{made['id']}", change)
    assert refused.status_code == 422
    assert "design kind" in refused.get_json()["error"]["fields"]["reason"]
    allowed = api.ok(
        "PATCH", f"/experiments/{made['id']}", {**change, "reason": "Looks are counted after all"}
    )
    assert allowed["design"]["kind"] == "fixed"


def test_the_fixed_size_matches_the_engine(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    fixed = api.experiment(metric["id"], design={"kind": "fixed"})
    baseline = fixed["baseline"]
    expected = sample_size_proportion(baseline, 0.1, relative=True)
    assert fixed["planned_sample_size"]["control"] == expected.control
    assert (
        api.ok("GET", f"/experiments/{fixed['id']}", role=Role.viewer)["design"]["kind"] == "fixed"
    )
