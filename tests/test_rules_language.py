"""The rules speak the reader's language: a service's refusal, a figure's check and an
analysis's caveat are written in Arabic for a request in Arabic and for the command
line of a team whose language is Arabic, while the codes and the JSON keys a program
reads stay the same."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.test_api_support import Api
from tests.test_rules_matrix import command_line, import_rows

ARABIC = {"Accept-Language": "ar"}


@pytest.fixture
def api(client: FlaskClient, db: Session, accounts: Any) -> Api:
    return Api(client=client, db=db, accounts=accounts)


@pytest.fixture
def draft(api: Api) -> dict[str, Any]:
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    return {"metric": metric, "experiment": api.experiment(metric["id"])}


def results(metric_id: int, control: tuple[int, int]) -> dict[str, Any]:
    return {
        "metric_id": metric_id,
        "arms": {
            "control": {"successes": control[0], "trials": control[1]},
            "B": {"successes": 12, "trials": 100},
        },
    }


def test_a_refusal_of_a_service_reads_in_arabic_with_its_codes_unchanged(api, draft):
    experiment, metric = draft["experiment"], draft["metric"]
    path = f"/experiments/{experiment['id']}/results"
    english = api.post(path, results(metric["id"], (10, 100))).get_json()["error"]
    arabic = api.post(path, results(metric["id"], (10, 100)), headers=ARABIC).get_json()["error"]
    assert english["message"].startswith("The experiment is draft")
    assert arabic["message"].startswith("حالة التجربة: مسودة.")
    assert arabic["code"] == english["code"] == "invalid_state"
    assert arabic["fields"].keys() == english["fields"].keys() == {"results"}


def test_a_figure_check_of_the_core_reads_in_arabic(api, draft):
    experiment, metric = draft["experiment"], draft["metric"]
    api.ok("POST", f"/experiments/{experiment['id']}/start")
    answer = api.post(
        f"/experiments/{experiment['id']}/results",
        results(metric["id"], (120, 100)),
        headers=ARABIC,
    )
    assert answer.status_code == 422
    message = answer.get_json()["error"]["fields"]["arms.control.successes"]
    assert message == (
        "يجب ألّا تزيد قيمة النجاحات (120) على محاولات (100): فكل محاولة تتحوّل مرة واحدة على الأكثر."
    )


def test_a_query_the_document_refuses_is_explained_in_arabic(api):
    answer = api.get("/learnings?q=" + "x" * 201, headers=ARABIC)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"]["q"] == "أدخل 200 حرف على الأكثر."


def test_an_analysis_caveat_is_written_in_the_readers_language(api, draft):
    """The sample-ratio mismatch caveat, stored in English with its values, is
    written again in the language of whoever reads the analysis."""
    experiment, metric = draft["experiment"], draft["metric"]
    api.ok("POST", f"/experiments/{experiment['id']}/start")
    lopsided = {
        "metric_id": metric["id"],
        "arms": {
            "control": {"successes": 50, "trials": 1000},
            "B": {"successes": 80, "trials": 1500},
        },
    }
    api.ok("POST", f"/experiments/{experiment['id']}/results", lopsided, status=201)

    def mismatch(headers: dict[str, str]) -> str:
        shown = api.ok("GET", f"/experiments/{experiment['id']}/analysis", headers=headers)
        warnings = [w for m in shown["metrics"] for w in m["warnings"]]
        return next(w["message"] for w in warnings if w["code"] == "srm")

    english, arabic = mismatch({}), mismatch(ARABIC)
    assert english.startswith("Sample-ratio mismatch: the arms' sizes")
    assert "control 1,000 (1,250), B 1,500 (1,250)" in english
    assert arabic.startswith("عدم تطابق نسبة العينة (SRM): أحجام الأذرع")
    assert "control 1,000 (1,250), B 1,500 (1,250)" in arabic


def test_the_command_line_speaks_the_team_language(app, api, draft, runner, tmp_path):
    experiment, metric = draft["experiment"], draft["metric"]
    rows = import_rows(experiment["id"], metric["name"], (10, 100), (12, 100))
    app.config["LANGUAGE"] = "ar"
    by_command = command_line(runner, tmp_path, rows)
    assert by_command.exit_code != 0
    assert "حالة التجربة: مسودة." in by_command.output
