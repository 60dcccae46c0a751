"""One rule, every door: each rule about a record is driven through every door that
reaches it (the pages, the API, the meeting page, CSV import and the command line)
and must give the same outcome and the same message, because every door asks the
record's service and none checks on its own.
"""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.test_api_support import Api
from tests.test_cycles_pages import form_fields
from tracker.models import ActionItem, Experiment, ExperimentStatus, Hypothesis, ResultSet, Role

RESULTS_ON_A_DRAFT = (
    "The experiment is draft: only a running or stopped experiment takes results, "
    "so start it first."
)
DECIDING_A_DRAFT = "The experiment is draft: only a running or stopped experiment can be decided."
UNKNOWN_EXPERIMENT = "There is no experiment with that id."
IMPORT_HEADER = "experiment,recorded_at,arm,metric,successes,trials,n,mean,sd,events,exposure,note"
UPLOAD_HEADER = "arm,metric,successes,trials,n,mean,sd,events,exposure"


@pytest.fixture
def api(client: FlaskClient, db: Session, accounts: Any) -> Api:
    return Api(client=client, db=db, accounts=accounts)


@pytest.fixture
def web(app: Any, accounts: Any) -> FlaskClient:
    """A second client, signed in to the pages as an editor."""
    client = app.test_client()
    accounts.sign_in(client, accounts.make(Role.editor))
    return client


@pytest.fixture
def draft(api: Api) -> dict[str, Any]:
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    experiment = api.experiment(metric["id"])
    return {"metric": metric, "experiment": experiment}


def page_of(response: Any, client: FlaskClient) -> str:
    """The page the person ends up on (after a redirect, the next page with its flash)."""
    if response.status_code in (301, 302, 303):
        response = client.get(response.headers["Location"])
    return html.unescape(response.get_data(as_text=True))


def results_form(db: Session, experiment_id: int, figures: dict[str, tuple[int, int]]) -> dict:
    from tracker.experiments.service import arms_of

    experiment = db.get(Experiment, experiment_id)
    data = {"save_results": "Save"}
    for arm in arms_of(db, experiment_id):
        successes, trials = figures[arm.name]
        data[f"m{experiment.primary_metric_id}_a{arm.id}_successes"] = str(successes)
        data[f"m{experiment.primary_metric_id}_a{arm.id}_trials"] = str(trials)
    return data


def import_page(client: FlaskClient, text: str) -> str:
    response = client.post(
        "/import/results",
        data={"results-csv_file": (io.BytesIO(text.encode()), "week.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    return html.unescape(response.get_data(as_text=True))


def upload_on_page(client: FlaskClient, experiment_id: int, text: str) -> str:
    response = client.post(
        f"/experiments/{experiment_id}/results.csv",
        data={"csv_file": (io.BytesIO(text.encode()), "week.csv")},
        content_type="multipart/form-data",
    )
    return page_of(response, client)


def command_line(runner: Any, tmp_path: Any, text: str) -> Any:
    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["import", "results", str(path)])


def import_rows(experiment_id: int | str, metric: str, control: tuple, variant: tuple) -> str:
    return (
        f"{IMPORT_HEADER}\n"
        f"{experiment_id},,control,{metric},{control[0]},{control[1]},,,,,,\n"
        f"{experiment_id},,B,{metric},{variant[0]},{variant[1]},,,,,,\n"
    )


def upload_rows(metric: str, control: tuple, variant: tuple) -> str:
    return (
        f"{UPLOAD_HEADER}\n"
        f"control,{metric},{control[0]},{control[1]},,,,,\n"
        f"B,{metric},{variant[0]},{variant[1]},,,,,\n"
    )


def meeting_post(web: FlaskClient, **extra: str) -> str:
    data = form_fields(web.get("/week").get_data(as_text=True))
    data.update(extra)
    response = web.post("/week", data=data)
    assert response.status_code in (409, 422), response.status_code
    return html.unescape(response.get_data(as_text=True))


def no_results(db: Session, experiment_id: int) -> bool:
    db.expire_all()
    return not db.exec(select(ResultSet).where(ResultSet.experiment_id == experiment_id)).all()


# --- results on a draft experiment ------------------------------------------------


def test_results_on_a_draft_are_refused_alike_at_every_door(api, web, db, draft, runner, tmp_path):
    experiment, metric = draft["experiment"], draft["metric"]
    body = {
        "metric_id": metric["id"],
        "arms": {
            "control": {"successes": 10, "trials": 100},
            "B": {"successes": 12, "trials": 100},
        },
    }
    by_api = api.post(f"/experiments/{experiment['id']}/results", body)
    assert by_api.status_code == 409
    assert by_api.get_json()["error"]["message"] == RESULTS_ON_A_DRAFT

    form = results_form(db, experiment["id"], {"control": (10, 100), "B": (12, 100)})
    by_form = web.post(f"/experiments/{experiment['id']}/results", data=form)
    assert RESULTS_ON_A_DRAFT in page_of(by_form, web)

    upload = (
        f"{UPLOAD_HEADER}\ncontrol,{metric['name']},10,100,,,,,\nB,{metric['name']},12,100,,,,,\n"
    )
    assert RESULTS_ON_A_DRAFT in upload_on_page(web, experiment["id"], upload)

    rows = import_rows(experiment["id"], metric["name"], (10, 100), (12, 100))
    assert f"experiment {experiment['id']}: {RESULTS_ON_A_DRAFT}" in import_page(web, rows)

    by_command = command_line(runner, tmp_path, rows)
    assert by_command.exit_code != 0
    assert RESULTS_ON_A_DRAFT in by_command.output

    assert no_results(db, experiment["id"])


# --- deciding a draft -------------------------------------------------------------


def test_deciding_a_draft_is_refused_alike_at_every_door(api, web, db, draft):
    experiment = draft["experiment"]
    decision = {"outcome": "won", "action": "ship", "rationale": "It won."}
    by_api = api.post(
        f"/experiments/{experiment['id']}/decision", {**decision, "early_decision_reason": "x"}
    )
    assert by_api.status_code == 409
    assert by_api.get_json()["error"]["message"] == DECIDING_A_DRAFT

    by_form = web.post(
        f"/experiments/{experiment['id']}/decision",
        data={**decision, "early_decision_reason": "Too slow.", "decide": "Record"},
    )
    assert by_form.status_code == 409
    assert DECIDING_A_DRAFT in page_of(by_form, web)

    page = meeting_post(
        web,
        **{
            "decisions-0-experiment_id": str(experiment["id"]),
            "decisions-0-outcome": "won",
            "decisions-0-action": "ship",
            "decisions-0-rationale": "It won.",
            "decisions-0-early_reason": "Too slow.",
        },
    )
    assert DECIDING_A_DRAFT in page

    db.expire_all()
    assert db.get(Experiment, experiment["id"]).status == ExperimentStatus.draft


# --- a stale version --------------------------------------------------------------


def test_a_stale_hypothesis_is_refused_alike_at_every_door(api, web, db, draft):
    hypothesis = api.hypothesis(draft["metric"]["id"])
    read = hypothesis["version"]
    api.ok("PATCH", f"/hypotheses/{hypothesis['id']}", {"version": read, "title": "Newer"})

    by_api = api.patch(f"/hypotheses/{hypothesis['id']}", {"version": read, "title": "Mine"})
    assert by_api.status_code == 409
    message = by_api.get_json()["error"]["message"]
    assert "changed by someone else meanwhile (it is at version 2)" in message

    form = form_fields_of(web, f"/backlog/{hypothesis['id']}/edit")
    form.update({"title": "Mine", "version": str(read)})
    by_form = web.post(f"/backlog/{hypothesis['id']}/edit", data=form)
    assert by_form.status_code == 409
    page = html.unescape(by_form.get_data(as_text=True))
    assert message in page
    assert "The saved version now reads: title “Newer”" in page
    assert 'value="Mine"' in page  # what the person typed is kept

    db.expire_all()
    saved = db.get(Hypothesis, hypothesis["id"])
    assert (saved.title, saved.version) == ("Newer", 2)


def test_a_stale_action_item_is_refused_alike_at_every_door(api, web, db):
    item = api.ok("POST", "/actions", {"title": "Call the lost deals"}, status=201)
    meeting = form_fields(web.get("/week").get_data(as_text=True))  # read at version 1
    read = item["version"]
    api.ok("PATCH", f"/actions/{item['id']}", {"version": read, "title": "Call them today"})

    by_api = api.patch(f"/actions/{item['id']}", {"version": read, "status": "done"})
    assert by_api.status_code == 409
    message = by_api.get_json()["error"]["message"]
    assert "changed by someone else meanwhile" in message

    by_mine = web.post(f"/actions/{item['id']}/status", data={"status": "done", "version": read})
    assert message in page_of(by_mine, web)

    row = next(k for k, v in meeting.items() if k.endswith("-item_id") and v == str(item["id"]))
    meeting[row.replace("item_id", "status")] = "done"
    by_meeting = web.post("/week", data=meeting)
    assert by_meeting.status_code == 409
    assert message in html.unescape(by_meeting.get_data(as_text=True))

    db.expire_all()
    assert db.get(ActionItem, item["id"]).status.value == "open"


def form_fields_of(client: FlaskClient, url: str) -> dict[str, str]:
    """Every named input, textarea and selected option of the page's form."""
    import re

    page = client.get(url).get_data(as_text=True)
    fields: dict[str, str] = {}
    for match in re.finditer(r"<input([^>]*)>", page):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        if "name" in attrs and attrs.get("type") not in ("submit", "checkbox"):
            fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[match.group(1)] = html.unescape(match.group(2)).strip()
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', match.group(2))
        chosen = chosen or re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', match.group(2))
        if chosen:
            fields[match.group(1)] = chosen.group(1)
    return fields


# --- successes above trials -------------------------------------------------------


def test_successes_above_trials_are_refused_alike_at_every_door(
    api, web, db, draft, runner, tmp_path
):
    experiment, metric = draft["experiment"], draft["metric"]
    api.ok("POST", f"/experiments/{experiment['id']}/start")
    body = {
        "metric_id": metric["id"],
        "arms": {
            "control": {"successes": 120, "trials": 100},
            "B": {"successes": 12, "trials": 100},
        },
    }
    by_api = api.post(f"/experiments/{experiment['id']}/results", body)
    assert by_api.status_code == 422
    message = by_api.get_json()["error"]["fields"]["arms.control.successes"]
    assert "must not be above trials" in message

    form = results_form(db, experiment["id"], {"control": (120, 100), "B": (12, 100)})
    by_form = web.post(f"/experiments/{experiment['id']}/results", data=form)
    assert by_form.status_code == 422
    assert message in page_of(by_form, web)

    upload = (
        f"{UPLOAD_HEADER}\ncontrol,{metric['name']},120,100,,,,,\nB,{metric['name']},12,100,,,,,\n"
    )
    assert message in upload_on_page(web, experiment["id"], upload)

    # The Import page and the command line read the same file with the same reader,
    # and word the check as the core does.
    rows = import_rows(experiment["id"], metric["name"], (120, 100), (12, 100))
    assert "must not be above trials (100)" in html.unescape(import_page(web, rows))
    by_command = command_line(runner, tmp_path, rows)
    assert by_command.exit_code != 0 and "must not be above trials (100)" in by_command.output

    assert no_results(db, experiment["id"])


# --- an unknown id ----------------------------------------------------------------


def test_an_unknown_experiment_is_not_found_alike_at_every_door(
    api, web, db, draft, runner, tmp_path
):
    metric = draft["metric"]
    missing = 987654
    by_api = api.get(f"/experiments/{missing}")
    assert by_api.status_code == 404
    assert by_api.get_json()["error"]["message"] == UNKNOWN_EXPERIMENT

    by_page = web.get(f"/experiments/{missing}")
    assert by_page.status_code == 404
    assert UNKNOWN_EXPERIMENT in page_of(by_page, web)

    page = meeting_post(
        web,
        **{
            "decisions-0-experiment_id": str(missing),
            "decisions-0-outcome": "won",
            "decisions-0-action": "ship",
            "decisions-0-rationale": "It won.",
        },
    )
    assert UNKNOWN_EXPERIMENT in page

    rows = import_rows(missing, metric["name"], (10, 100), (12, 100))
    assert f"experiment {missing}: {UNKNOWN_EXPERIMENT}" in import_page(web, rows)
    by_command = command_line(runner, tmp_path, rows)
    assert by_command.exit_code != 0 and UNKNOWN_EXPERIMENT in by_command.output
