"""The JSON API: each endpoint, each error code and each role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.test_api_support import Api
from tracker.models import ActionItem, ApiToken, Change, Experiment, Hypothesis, Reading, Role


@pytest.fixture
def api(client, db, accounts) -> Api:
    return Api(client=client, db=db, accounts=accounts)


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"}
    # "current": the record as it is now, on a 409 that has one (a closed week)
    assert set(body["error"]) - {"current"} == {"code", "message", "fields"}
    return body["error"]


# --- authentication and roles ---------------------------------------------------------


def test_no_token_is_401_json(client):
    response = client.get("/api/v1/areas")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_revoked_token_is_401(api, db):
    api.token(Role.viewer)
    response = api.client.get("/api/v1/areas", headers={"Authorization": "Bearer rvl_nope"})
    assert response.status_code == 401
    token = db.exec(select(ApiToken)).one()
    from tracker.models.types import utcnow

    token.revoked_at = utcnow()
    db.commit()
    assert api.get("/areas", role=Role.viewer).status_code == 401


def test_a_signed_in_browser_session_is_not_enough(client, signed_in):
    signed_in(Role.admin)
    response = client.get("/api/v1/areas")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_an_inactive_users_token_is_refused(api, db):
    api.token(Role.editor)
    user = api.users[Role.editor]
    user.active = False
    db.add(user)
    db.commit()
    assert api.get("/areas").status_code == 401


def test_viewer_reads_but_may_not_write(api):
    assert api.get("/areas", role=Role.viewer).status_code == 200
    response = api.post(
        "/metrics", {"name": "X", "area_id": api.area_id(), "kind": "mean"}, role=Role.viewer
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_editor_and_admin_write(api):
    for role in (Role.editor, Role.admin):
        body = {"name": f"Metric {role.value}", "area_id": api.area_id(), "kind": "rate"}
        assert api.post("/metrics", body, role=role).status_code == 201


def test_last_used_time_is_kept(api, db):
    api.token(Role.viewer)
    assert db.exec(select(ApiToken)).one().last_used_at is None
    api.get("/areas", role=Role.viewer)
    db.expire_all()
    assert db.exec(select(ApiToken)).one().last_used_at is not None


def test_no_csrf_token_is_needed(app, api):
    app.config["WTF_CSRF_ENABLED"] = True
    body = {"name": "Cost per lead", "area_id": api.area_id(), "kind": "mean"}
    assert api.post("/metrics", body).status_code == 201


# --- errors ---------------------------------------------------------------------------


def test_malformed_json_is_400(api):
    response = api.call(
        "POST", "/metrics", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed"


def test_validation_errors_name_each_field(api):
    response = api.post("/metrics", {"name": " ", "area_id": 0, "kind": "median", "colour": 1})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"name", "area_id", "kind", "colour"}


def test_unknown_record_and_address_are_404_json(api):
    assert error_of(api.get("/metrics/999"))["code"] == "not_found"
    assert api.get("/experiments/999").status_code == 404
    assert api.get("/nothing-here").status_code == 404
    assert error_of(api.get("/nothing-here"))["code"] == "not_found"
    assert api.get("/metrics/99999999999999999999999").status_code == 404


def test_wrong_method_is_405_json(api):
    response = api.call("DELETE", "/areas", role=Role.admin)
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_bad_page_argument_is_422(api):
    response = api.get("/areas?per_page=500")
    assert response.status_code == 422
    assert "per_page" in error_of(response)["fields"]


# --- areas and metrics ----------------------------------------------------------------


def test_areas_are_listed_by_rank_with_processes(api):
    body = api.ok("GET", "/areas", role=Role.viewer)
    assert {"items", "page", "per_page", "total"} == set(body)
    assert [a["name"] for a in body["items"]] == ["Marketing", "Sales", "Service"]
    sales = body["items"][1]
    assert "Pipeline review" in [p["name"] for p in sales["processes"]]
    assert sales["version"] == 1


def test_metrics_create_list_and_show(api, db):
    metric = api.metric("Win rate", unit="%")
    assert metric["version"] == 1 and metric["kind"] == "proportion"
    duplicate = api.post("/metrics", {"name": "win RATE", "area_id": api.area_id(), "kind": "mean"})
    assert duplicate.status_code == 422
    assert "already exists" in error_of(duplicate)["fields"]["name"]
    listed = api.ok("GET", "/metrics", role=Role.viewer)
    assert [m["name"] for m in listed["items"]] == ["Win rate"]
    shown = api.ok("GET", f"/metrics/{metric['id']}", role=Role.viewer)
    assert shown["recent_readings"] == []
    assert db.exec(select(Change).where(Change.entity == "metric")).first() is not None


def test_one_reading_or_a_list(api, db):
    metric = api.metric()
    one = api.post(
        f"/metrics/{metric['id']}/readings",
        {"period_start": "2026-01-05", "period_end": "2026-01-11", "successes": 30, "trials": 200},
    )
    assert one.status_code == 201
    assert one.get_json()["successes"] == 30 and one.get_json()["version"] == 1
    api.weeks_of_readings(metric["id"], weeks=3, start=date(2026, 1, 12))
    assert len(db.exec(select(Reading)).all()) == 4
    shown = api.ok("GET", f"/metrics/{metric['id']}")
    assert shown["recent_readings"][0]["period_start"] == "2026-01-05"


def test_a_list_with_one_bad_reading_saves_none(api, db):
    metric = api.metric()
    readings = [
        {"period_start": "2026-01-05", "period_end": "2026-01-11", "successes": 3, "trials": 9},
        {"period_start": "2026-01-12", "period_end": "2026-01-18", "successes": 10, "trials": 9},
        {"period_start": "2026-01-19", "period_end": "2026-01-25", "n": 10, "mean": 3.0, "sd": 1},
        {"period_start": "2026-01-05", "period_end": "2026-01-11", "successes": 1, "trials": 9},
    ]
    response = api.post(f"/metrics/{metric['id']}/readings", readings)
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert "1.successes" in fields
    assert "2.n" in fields and "2.trials" in fields
    assert "3.period_start" in fields
    assert db.exec(select(Reading)).all() == []


def test_a_reading_for_a_week_already_read_is_refused(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"], weeks=1)
    again = api.post(
        f"/metrics/{metric['id']}/readings",
        {"period_start": "2026-01-05", "period_end": "2026-01-11", "successes": 1, "trials": 5},
    )
    assert again.status_code == 422
    assert "already exists" in error_of(again)["fields"]["period_start"]


def test_period_end_before_start_is_refused(api):
    metric = api.metric()
    response = api.post(
        f"/metrics/{metric['id']}/readings",
        {"period_start": "2026-01-11", "period_end": "2026-01-05", "successes": 1, "trials": 5},
    )
    assert response.status_code == 422


# --- hypotheses -----------------------------------------------------------------------


def test_hypothesis_create_carries_id_score_status_version(api):
    metric = api.metric()
    made = api.hypothesis(metric["id"])
    assert made["score"] == 7.0
    assert made["status"] == "backlog" and made["version"] == 1 and made["id"]
    listed = api.ok("GET", "/hypotheses?status=backlog", role=Role.viewer)
    assert listed["total"] == 1


def test_hypothesis_scores_out_of_range_name_the_score(api):
    metric = api.metric()
    response = api.post(
        "/hypotheses",
        {
            "title": "T",
            "change": "c",
            "metric_id": metric["id"],
            "area_id": api.area_id(),
            "scores": {"impact": 11, "confidence": 5, "ease": 5},
        },
    )
    assert response.status_code == 422
    assert "scores.impact" in error_of(response)["fields"]


def test_hypothesis_process_of_another_area_is_refused(api):
    areas = api.ok("GET", "/areas")["items"]
    marketing_process = areas[0]["processes"][0]["id"]
    response = api.post(
        "/hypotheses",
        {
            "title": "T",
            "change": "c",
            "area_id": areas[1]["id"],
            "process_id": marketing_process,
            "scores": {"impact": 5, "confidence": 5, "ease": 5},
        },
    )
    assert response.status_code == 422
    assert "process_id" in error_of(response)["fields"]


def test_patch_with_the_current_version_changes_and_bumps_it(api, db):
    made = api.hypothesis(api.metric()["id"])
    changed = api.ok("PATCH", f"/hypotheses/{made['id']}", {"version": 1, "title": "New title"})
    assert changed["title"] == "New title" and changed["version"] == 2
    assert api.ok("GET", f"/hypotheses/{made['id']}")["title"] == "New title"
    log = db.exec(select(Change).where(Change.entity == "hypothesis", Change.field == "title"))
    assert log.one().new_value == "New title"


def test_patch_with_a_stale_version_is_409_and_changes_nothing(api, db):
    made = api.hypothesis(api.metric()["id"])
    api.ok("PATCH", f"/hypotheses/{made['id']}", {"version": 1, "status": "selected"})
    stale = api.patch(f"/hypotheses/{made['id']}", {"version": 1, "title": "Overwrite"})
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_version"
    db.expire_all()
    hypothesis = db.get(Hypothesis, made["id"])
    assert hypothesis.title == "Shorter demo form" and hypothesis.version == 2


def test_patch_without_a_version_is_422(api):
    made = api.hypothesis(api.metric()["id"])
    response = api.patch(f"/hypotheses/{made['id']}", {"title": "x"})
    assert response.status_code == 422
    assert "version" in error_of(response)["fields"]


def test_viewer_may_not_patch(api):
    made = api.hypothesis(api.metric()["id"])
    response = api.patch(f"/hypotheses/{made['id']}", {"version": 1}, role=Role.viewer)
    assert response.status_code == 403


# --- experiments ----------------------------------------------------------------------


def test_experiment_design_plans_the_sample_size(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    hypothesis = api.hypothesis(metric["id"])
    made = api.experiment(metric["id"], hypothesis_id=hypothesis["id"])
    assert made["status"] == "draft" and made["version"] == 1
    plan = made["planned_sample_size"]
    assert plan["total"] == plan["control"] + plan["variant"] > 1000
    assert [arm["name"] for arm in made["arms"]] == ["control", "B"]
    assert made["arms"][0]["is_control"] is True
    assert made["baseline"] == pytest.approx(0.1215, abs=1e-3)


def test_control_marked_later_in_the_list_comes_first(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(
        metric["id"],
        arms=[{"name": "B", "share": 0.5}, {"name": "Control", "share": 0.5, "is_control": True}],
    )
    assert [(a["name"], a["is_control"]) for a in made["arms"]] == [
        ("Control", True),
        ("B", False),
    ]


def test_experiment_without_baseline_or_bad_shares_is_422(api):
    metric = api.metric()
    response = api.post(
        "/experiments",
        {
            "title": "T",
            "primary_metric_id": metric["id"],
            "arms": [{"name": "a", "share": 0.5}, {"name": "b", "share": 0.5}],
            "mde": 0.02,
        },
    )
    assert response.status_code == 422
    assert "baseline" in error_of(response)["fields"]
    response = api.post(
        "/experiments",
        {
            "title": "T",
            "primary_metric_id": metric["id"],
            "baseline": 0.1,
            "arms": [{"name": "a", "share": 0.5}, {"name": "b", "share": 0.2}],
            "mde": 0.02,
        },
    )
    assert "add up to 1" in error_of(response)["fields"]["arms"]


def test_start_stop_and_their_state_rules(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(metric["id"])
    started = api.ok("POST", f"/experiments/{made['id']}/start")
    assert started["status"] == "running" and started["started_on"]
    again = api.post(f"/experiments/{made['id']}/start")
    assert again.status_code == 409 and error_of(again)["code"] == "invalid_state"
    stopped = api.ok("POST", f"/experiments/{made['id']}/stop", {"version": started["version"]})
    assert stopped["status"] == "stopped"
    stale = api.post(f"/experiments/{made['id']}/start", {"version": 1})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"


def test_patch_a_running_design_needs_a_reason(api, db):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(metric["id"])
    running = api.ok("POST", f"/experiments/{made['id']}/start")
    response = api.patch(f"/experiments/{made['id']}", {"version": running["version"], "mde": 0.2})
    assert response.status_code == 422 and "reason" in error_of(response)["fields"]
    changed = api.ok(
        "PATCH",
        f"/experiments/{made['id']}",
        {"version": running["version"], "mde": 0.2, "reason": "Traffic is lower than planned"},
    )
    assert changed["mde"] == 0.2 and changed["version"] == running["version"] + 1
    assert changed["planned_sample_size"]["total"] < running["planned_sample_size"]["total"]
    stale = api.patch(f"/experiments/{made['id']}", {"version": running["version"], "title": "x"})
    assert stale.status_code == 409
    db.expire_all()
    assert db.get(Experiment, made["id"]).title == "Three-field demo form"


def test_results_need_a_running_experiment_and_every_arm(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(metric["id"])
    body = {
        "metric_id": metric["id"],
        "arms": {
            "control": {"successes": 100, "trials": 1000},
            "B": {"successes": 130, "trials": 1000},
        },
    }
    assert api.post(f"/experiments/{made['id']}/results", body).status_code == 409
    api.ok("POST", f"/experiments/{made['id']}/start")
    missing = api.post(
        f"/experiments/{made['id']}/results",
        {"metric_id": metric["id"], "arms": {"control": {"successes": 5, "trials": 4}}},
    )
    fields = error_of(missing)["fields"]
    assert missing.status_code == 422 and "arms.B" in fields and "arms.control.successes" in fields


def test_results_then_analysis_with_null_for_infinite_bounds(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(metric["id"])
    api.ok("POST", f"/experiments/{made['id']}/start")
    before = api.ok("GET", f"/experiments/{made['id']}/analysis", role=Role.viewer)
    assert before["metrics"] == [] and before["srm"] is None
    body = {
        "metric_id": metric["id"],
        "arms": {"control": {"successes": 0, "trials": 500}, "B": {"successes": 12, "trials": 500}},
    }
    analysis = api.ok("POST", f"/experiments/{made['id']}/results", body, status=201)
    primary = analysis["metrics"][0]
    assert primary["primary"] is True and primary["metric_id"] == metric["id"]
    b = primary["comparisons"]["B"]
    assert set(b) == {
        "p_value",
        "adjusted_p_value",
        "difference",
        "difference_ci",
        "lift",
        "lift_ci",
        "chance_to_beat_control",
        "significant",
        "summary",
    }
    # control converted nobody: the lift is unbounded, written as null
    assert b["lift"] is None or b["lift_ci"] is None or None in b["lift_ci"]
    assert analysis["preliminary"] is True
    assert set(analysis["srm"]) == {"p_value", "mismatch"}
    assert api.ok("GET", f"/experiments/{made['id']}/analysis") == analysis


def test_decision_rules(api, db):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    hypothesis = api.hypothesis(metric["id"])
    made = api.experiment(metric["id"], hypothesis_id=hypothesis["id"])
    decision = {"outcome": "won", "action": "ship", "rationale": "B converts better"}
    assert api.post(f"/experiments/{made['id']}/decision", decision).status_code == 409
    api.ok("POST", f"/experiments/{made['id']}/start")
    early = api.post(f"/experiments/{made['id']}/decision", decision)
    assert early.status_code == 422 and "early_decision_reason" in error_of(early)["fields"]
    decided = api.ok(
        "POST",
        f"/experiments/{made['id']}/decision",
        {**decision, "early_decision_reason": "The quarter ends"},
    )
    assert decided["status"] == "decided" and decided["outcome"] == "won"
    assert api.ok("GET", f"/hypotheses/{hypothesis['id']}")["status"] == "validated"


# --- cycles, actions, learnings -------------------------------------------------------


def test_current_cycle_phase_and_close(api):
    current = api.ok("GET", "/cycles/current", role=Role.viewer)
    assert current["phase"] == "analyse" and current["actions"] == []
    moved = api.ok("POST", "/cycles/current/phase")
    assert moved["phase"] == "review"
    stale = api.post("/cycles/current/phase", {"version": current["version"]})
    assert stale.status_code == 409
    api.ok("POST", "/actions", {"title": "Call the lost deals"}, status=201)
    closed = api.ok("POST", "/cycles/current/close", {"iso_week": current["iso_week"]})
    assert closed["closed"] == current["iso_week"] and closed["carried"] == 1
    again = api.post("/cycles/current/close", {"iso_week": current["iso_week"]})
    assert again.status_code == 409 and error_of(again)["code"] == "already_closed"
    assert error_of(again)["current"]["iso_week"] == closed["current"]
    assert api.ok("GET", f"/actions?cycle={closed['current']}")["items"][0]["carried_count"] == 1
    missing = api.post("/cycles/current/close", {})
    assert error_of(missing)["fields"] == {"iso_week": "This field is required."}
    assert api.ok("GET", "/cycles/current")["iso_week"] == closed["current"]
    listed = api.ok("GET", "/cycles")
    assert [c["iso_week"] for c in listed["items"]] == [closed["current"], closed["closed"]]
    old = api.ok("GET", f"/cycles/{closed['closed']}")
    assert old["phase"] == "closed"
    assert api.get("/cycles/2001-W01").status_code == 404
    assert api.get("/cycles/not-a-week").status_code == 404


def test_viewer_may_not_close_the_cycle(api):
    assert (
        api.post("/cycles/current/close", {"iso_week": "2026-W48"}, role=Role.viewer).status_code
        == 403
    )


def test_actions_create_filter_and_patch(api, db):
    api.token(Role.viewer)
    owner = api.users[Role.viewer].email
    made = api.ok(
        "POST",
        "/actions",
        {
            "title": "Fix the routing rule",
            "details": "",
            "owner_email": owner,
            "due_cycle": "2026-W49",
        },
        status=201,
    )
    assert {"id", "status", "cycle", "carried_count", "version"} <= set(made)
    assert made["status"] == "open" and made["carried_count"] == 0 and made["owner_email"] == owner
    assert api.ok("GET", f"/actions?owner={owner}")["total"] == 1
    assert api.ok("GET", f"/actions?cycle={made['cycle']}&status=open")["total"] == 1
    assert api.ok("GET", "/actions?status=done")["total"] == 0
    done = api.ok("PATCH", f"/actions/{made['id']}", {"status": "done", "version": 1})
    assert done["status"] == "done" and done["version"] == 2 and done["finished_week"]
    stale = api.patch(f"/actions/{made['id']}", {"status": "open", "version": 1})
    assert stale.status_code == 409
    db.expire_all()
    assert db.get(ActionItem, made["id"]).status == "done"


def test_action_owner_and_week_are_checked(api):
    response = api.post(
        "/actions", {"title": "x", "owner_email": "nobody@example.com", "due_cycle": "2026-W60"}
    )
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert "owner_email" in fields or "due_cycle" in fields


def test_learnings_create_and_search(api):
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    experiment = api.experiment(metric["id"])
    made = api.ok(
        "POST",
        "/learnings",
        {
            "text": "Buyers answer faster in Arabic: الردود أسرع",
            "tags": ["Language", "Speed"],
            "experiment_ids": [experiment["id"]],
        },
        status=201,
    )
    assert made["tags"] == ["language", "speed"] and made["experiment_ids"] == [experiment["id"]]
    assert api.ok("GET", "/learnings?q=أسرع", role=Role.viewer)["total"] == 1
    assert api.ok("GET", "/learnings?q=nothing")["total"] == 0
    bad = api.post("/learnings", {"text": "x", "experiment_ids": [999]})
    assert bad.status_code == 422 and "experiment_ids" in error_of(bad)["fields"]


# --- what is never exposed, and fixed queries -----------------------------------------


def test_no_hash_is_ever_in_an_answer(api, db):
    api.ok("GET", "/cycles/current")
    token = db.exec(select(ApiToken)).one()
    user = api.users[Role.editor]
    for path in ("/areas", "/actions", "/cycles/current", "/openapi.json"):
        text = api.get(path).get_data(as_text=True)
        assert token.token_hash not in text and user.password_hash not in text
        assert "password" not in text and "token_hash" not in text


def test_lists_run_a_fixed_number_of_queries(api, count_queries):
    metric = api.metric()
    api.weeks_of_readings(metric["id"], weeks=1)

    def experiments_query_count() -> int:
        with count_queries() as queries:
            api.ok("GET", "/experiments?per_page=200")
        return len(queries)

    api.experiment(metric["id"])
    few = experiments_query_count()
    for number in range(30):
        api.experiment(metric["id"], title=f"Test {number}")
    assert experiments_query_count() == few


def test_openapi_document_lists_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    expected = {
        ("/areas", "get"),
        ("/metrics", "get"),
        ("/metrics", "post"),
        ("/metrics/{metric_id}", "get"),
        ("/metrics/{metric_id}/readings", "post"),
        ("/hypotheses", "get"),
        ("/hypotheses", "post"),
        ("/hypotheses/{hypothesis_id}", "get"),
        ("/hypotheses/{hypothesis_id}", "patch"),
        ("/experiments", "get"),
        ("/experiments", "post"),
        ("/experiments/{experiment_id}", "get"),
        ("/experiments/{experiment_id}", "patch"),
        ("/experiments/{experiment_id}/start", "post"),
        ("/experiments/{experiment_id}/stop", "post"),
        ("/experiments/{experiment_id}/decision", "post"),
        ("/experiments/{experiment_id}/results", "post"),
        ("/experiments/{experiment_id}/analysis", "get"),
        ("/cycles", "get"),
        ("/cycles/current", "get"),
        ("/cycles/{iso_week}", "get"),
        ("/cycles/current/phase", "post"),
        ("/cycles/current/close", "post"),
        ("/actions", "get"),
        ("/actions", "post"),
        ("/actions/{item_id}", "patch"),
        ("/learnings", "get"),
        ("/learnings", "post"),
        ("/webhooks", "get"),
        ("/webhooks", "post"),
        ("/webhooks/{endpoint_id}", "delete"),
        ("/openapi.json", "get"),
    }
    assert {(path, method) for path, item in paths.items() for method in item} == expected
    schemas = document["components"]["schemas"]
    for family in ("Hypothesis", "Experiment", "Action"):
        assert f"{family}Create" in schemas and f"{family}Update" in schemas
        assert f"{family}Public" in schemas
    assert "version" in schemas["ExperimentPublic"]["required"]


def test_week_of_readings_in_one_request_is_change_logged(api, db):
    metric = api.metric()
    api.weeks_of_readings(metric["id"], weeks=7, start=date(2026, 2, 2) - timedelta(weeks=1))
    logged = db.exec(select(Change).where(Change.entity == "reading")).all()
    assert len(logged) == 7
