"""A script drives the whole weekly loop through the API alone: its token comes
from ``tracker token create``, everything else is HTTP with JSON."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.models import Role


def test_the_weekly_loop_through_the_api(client, runner, accounts):
    accounts.make(Role.editor, email="revops@example.com")
    teammate = accounts.make(Role.viewer, email="sam@example.com")
    made = runner.invoke(args=["token", "create", "revops@example.com", "--name", "loop script"])
    token = made.stdout.strip().splitlines()[0]
    auth = {"Authorization": f"Bearer {token}"}

    def call(method: str, path: str, body=None, status: int = 200):
        response = client.open(f"/api/v1{path}", method=method, json=body, headers=auth)
        assert response.status_code == status, (path, response.get_data(as_text=True))
        return response.get_json()

    # Analyse: the metric and its weekly readings come in
    sales = next(a for a in call("GET", "/areas")["items"] if a["name"] == "Sales")
    metric = call(
        "POST",
        "/metrics",
        {"name": "Demo to opportunity", "area_id": sales["id"], "kind": "proportion"},
        status=201,
    )
    monday = date(2026, 10, 5)
    call(
        "POST",
        f"/metrics/{metric['id']}/readings",
        [
            {
                "period_start": str(monday + timedelta(weeks=w)),
                "period_end": str(monday + timedelta(weeks=w, days=6)),
                "successes": 200 + w,
                "trials": 1000,
            }
            for w in range(6)
        ],
        status=201,
    )
    cycle = call("GET", "/cycles/current")

    # Respond: a hypothesis, an experiment designed from it, started
    hypothesis = call(
        "POST",
        "/hypotheses",
        {
            "title": "Same-day demo follow-up",
            "change": "send the recap within two hours of every demo",
            "metric_id": metric["id"],
            "direction": "increase",
            "expected_effect": 15,
            "rationale": "deals go cold over the weekend",
            "area_id": sales["id"],
            "scores": {"impact": 7, "confidence": 6, "ease": 9},
        },
        status=201,
    )
    experiment = call(
        "POST",
        "/experiments",
        {
            "hypothesis_id": hypothesis["id"],
            "title": "Two-hour recap",
            "primary_metric_id": metric["id"],
            "guardrail_metric_ids": [],
            "arms": [
                {"name": "control", "share": 0.5, "is_control": True},
                {"name": "B", "share": 0.5},
            ],
            "mde": 0.15,
            "mde_relative": True,
            "alpha": 0.05,
            "power": 0.8,
        },
        status=201,
    )
    planned = experiment["planned_sample_size"]
    call("POST", f"/experiments/{experiment['id']}/start")
    assert call("GET", f"/hypotheses/{hypothesis['id']}")["status"] == "testing"

    # Act, then analyse again: results past the planned size
    per_arm = planned["total"] // 2 + 50
    call(
        "POST",
        f"/experiments/{experiment['id']}/results",
        {
            "metric_id": metric["id"],
            "arms": {
                "control": {"successes": round(per_arm * 0.20), "trials": per_arm},
                "B": {"successes": round(per_arm * 0.25), "trials": per_arm},
            },
        },
        status=201,
    )
    analysis = call("GET", f"/experiments/{experiment['id']}/analysis")
    b = analysis["metrics"][0]["comparisons"]["B"]
    assert analysis["preliminary"] is False
    assert b["significant"] is True and b["lift"] > 0.1
    assert b["summary"]

    # Review and respond: decide, and plan two action items
    call("POST", "/cycles/current/phase")
    decided = call(
        "POST",
        f"/experiments/{experiment['id']}/decision",
        {"outcome": "won", "action": "ship", "rationale": "B lifts demo conversion by a fifth"},
    )
    assert decided["status"] == "decided"
    assert call("GET", f"/hypotheses/{hypothesis['id']}")["status"] == "validated"
    rollout = call(
        "POST",
        "/actions",
        {
            "title": "Roll the recap template out to every AE",
            "details": "",
            "owner_email": teammate.email,
            "due_cycle": cycle["iso_week"],
        },
        status=201,
    )
    playbook = call(
        "POST", "/actions", {"title": "Add the recap to the sales playbook"}, status=201
    )
    call("PATCH", f"/actions/{playbook['id']}", {"status": "done", "version": playbook["version"]})
    call(
        "POST",
        "/learnings",
        {
            "text": "A recap within two hours keeps demos warm.",
            "experiment_ids": [experiment["id"]],
        },
        status=201,
    )

    # Close the week: the unfinished item moves to the next cycle
    closed = call("POST", "/cycles/current/close", {"iso_week": cycle["iso_week"]})
    assert closed == {"closed": cycle["iso_week"], "current": closed["current"], "carried": 1}
    assert closed["current"] > cycle["iso_week"]
    following = call("GET", "/cycles/current")
    assert following["iso_week"] == closed["current"]
    open_items = call("GET", f"/actions?cycle={closed['current']}&status=open")["items"]
    assert [item["id"] for item in open_items] == [rollout["id"]]
    assert open_items[0]["carried_count"] == 1 and open_items[0]["first_cycle"] == cycle["iso_week"]
    assert [a["id"] for a in following["actions"]] == [rollout["id"]]
    assert call("GET", f"/cycles/{cycle['iso_week']}")["phase"] == "closed"
