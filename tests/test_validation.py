"""Values checked once: numbers, ids and references read the same way at every door."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.test_cycles_pages import add_experiment, cycle, form_fields  # noqa: F401
from tracker.models import ActionItem, Cycle, Learning, Role, User


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("new_actions-0-owner_id", "Choose an owner from the list"),
        ("new_learnings-0-experiment_id", "Choose an experiment from the list"),
        ("next_focus_area_id", "Choose an area from the list"),
    ],
)
def test_unknown_ids_in_the_meeting_form_get_a_message(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    cycle: Cycle,  # noqa: F811
    field: str,
    message: str,
) -> None:
    signed_in(Role.editor)
    add_experiment(db)
    data = form_fields(client.get("/week").get_data(as_text=True))
    data.update(
        {
            "new_actions-0-title": "Call the lost deals back",
            "new_actions-0-due_week": cycle.iso_week,
            "new_learnings-0-text": "Short forms convert better",
            field: "99999",
        }
    )
    response = client.post("/week", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Call the lost deals back" in page
    assert db.exec(select(ActionItem)).all() == []
    assert db.exec(select(Learning)).all() == []


@pytest.mark.parametrize("cycle_id", ["99999", "²", str(2**63), ""])
def test_closing_an_unknown_cycle_says_so(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    cycle: Cycle,  # noqa: F811
    cycle_id: str,
) -> None:
    signed_in(Role.editor)
    response = client.post("/week/close", data={"cycle_id": cycle_id}, follow_redirects=True)
    assert response.status_code == 200
    assert "The cycle was not closed" in response.get_data(as_text=True)
    db.refresh(cycle)
    assert cycle.closed_at is None


@pytest.mark.parametrize("page", ["²", "١٢", str(2**63), "-1", "", "NaN"])
@pytest.mark.parametrize("path", ["/backlog/", "/experiments/", "/learnings/", "/changes/"])
def test_odd_page_numbers_show_the_first_page(
    client: FlaskClient, signed_in: Callable[[Role], User], path: str, page: str
) -> None:
    signed_in(Role.viewer)
    response = client.get(path, query_string={"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "١٢", "-1", str(2**63), "1.5"])
def test_the_api_refuses_odd_page_numbers_in_json(
    client: FlaskClient, db: Session, accounts: object, value: str
) -> None:
    from tests.test_api_support import Api

    api = Api(client=client, db=db, accounts=accounts)
    response = api.get(f"/metrics?page={value}")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["page"].startswith("Enter a whole number")


@pytest.mark.parametrize("path", [f"/experiments/{2**63}", f"/metrics/{2**31}", "/backlog/0"])
def test_ids_no_record_can_have_are_not_found(
    client: FlaskClient, signed_in: Callable[[Role], User], path: str
) -> None:
    signed_in(Role.viewer)
    assert client.get(path).status_code == 404


def test_parsing_accepts_ascii_digits_and_finite_numbers_only() -> None:
    from tracker.parsing import parse_id, parse_int, parse_number

    assert [parse_int(v) for v in ["7", " 12 ", "²", "١٢", "1.0", ""]] == [7, 12] + [None] * 4
    assert parse_number("-0.25") == -0.25
    assert [parse_number(v) for v in ["nan", "inf", "-Infinity", "1e400", "١"]] == [None] * 5
    assert parse_id(str(2**31 - 1)) == 2**31 - 1
    assert parse_id(str(2**31)) is None


def test_a_learning_has_one_length_limit_in_the_form_the_api_and_the_meeting(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    accounts: object,
    cycle: Cycle,  # noqa: F811
) -> None:
    from tests.test_api_support import Api
    from tracker.models.limits import max_length

    limit = max_length(Learning, "text")
    signed_in(Role.editor)
    too_long = "x" * (limit + 1)
    response = client.post("/learnings/new", data={"text": too_long})
    assert response.status_code in (200, 422)
    assert f"Keep it to {limit:,} characters or fewer." in response.get_data(as_text=True)
    data = form_fields(client.get("/week").get_data(as_text=True))
    data["new_learnings-0-text"] = too_long
    page = client.post("/week", data=data).get_data(as_text=True)
    assert f"Keep it to {limit:,} characters or fewer." in page
    api = Api(client=client, db=db, accounts=accounts)
    answer = api.post("/learnings", {"text": too_long})
    assert answer.status_code == 422
    assert str(limit) in answer.get_json()["error"]["fields"]["text"]
    assert db.exec(select(Learning)).all() == []
    assert api.post("/learnings", {"text": "x" * limit}).status_code == 201


def test_successes_above_trials_read_the_same_at_every_door(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, accounts: object
) -> None:
    """The core's message, beside the field, in the form, the API and the CSV import."""
    from tests.test_api_support import Api
    from tests.test_metrics import make_metric, reading_data

    message = "Successes (70) must not be above trials (60): each trial converts at most once."
    signed_in(Role.editor)
    metric = make_metric(db)
    page = client.post(
        f"/metrics/{metric.id}/readings", data=reading_data(successes=70, trials=60)
    ).get_data(as_text=True)
    assert message in page
    api = Api(client=client, db=db, accounts=accounts)
    body = {"period_start": "2025-03-03", "period_end": "2025-03-09", "successes": 70}
    answer = api.post(f"/metrics/{metric.id}/readings", {**body, "trials": 60})
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    from tests.test_csv_import import upload
    from tracker.csvio.readings import COLUMNS

    csv = ",".join(COLUMNS) + f"\n{metric.name},2025-03-03,2025-03-09,70,60,,,,,,\n"
    page = upload(client, "readings", csv).get_data(as_text=True)
    assert "line 2, column successes: " + message in page


def test_a_hypothesis_in_arabic_reads_in_its_own_words_on_the_experiment_page(
    client: FlaskClient, db: Session, accounts: object
) -> None:
    """The experiment pages say the hypothesis as the backlog does: a change written
    in a right-to-left script keeps its own words, without "If we" around it."""
    from tests.test_api_support import Api

    api = Api(client=client, db=db, accounts=accounts)
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    change = "تقصير نموذج طلب العرض إلى ثلاثة حقول"
    hypothesis = api.hypothesis(metric["id"], change=change, rationale="نصف الزوار يغادرون")
    experiment = api.experiment(metric["id"], hypothesis_id=hypothesis["id"])
    accounts.sign_in(client, api.users[Role.editor])  # type: ignore[attr-defined]
    for path in (f"/experiments/{experiment['id']}", f"/backlog/{hypothesis['id']}"):
        page = client.get(path).get_data(as_text=True)
        assert "statement-text own-words" in page, path
        assert f'<bdi class="statement-change">{change}</bdi>' in page, path
        assert "If we" not in page.split("statement-text own-words")[1][:200], path


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("per_page=", "per_page", "Give a value, or leave the parameter out."),
        ("areas=1", "areas", "Unknown query parameter"),
        ("page=1&page=2", "page", "Give this parameter once."),
        (f"area={2**31}", "area", "Enter an id"),
    ],
)
def test_the_api_reads_its_query_string_as_documented(
    client: FlaskClient, db: Session, accounts: object, query: str, field: str, message: str
) -> None:
    from tests.test_api_support import Api

    api = Api(client=client, db=db, accounts=accounts)
    response = api.get(f"/metrics?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][field].startswith(message)


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/learnings?q=" + "x" * 201, "q", "Enter at most 200 characters."),
        ("/actions?status=finished", "status", "Choose one of open, in_progress, done, dropped."),
        ("/experiments?status=live", "status", "Choose one of draft,"),
        ("/actions?cycle=W49", "cycle", "Write it like 2026-W49."),
        ("/metrics?per_page=201", "per_page", "Enter a whole number from 1 to 200."),
    ],
)
def test_every_list_refuses_a_query_value_its_document_refuses(
    client: FlaskClient, db: Session, accounts: object, path: str, field: str, message: str
) -> None:
    """A filter the document would refuse is refused, never truncated or ignored:
    the same check for every list, beside the parameter."""
    from tests.test_api_support import Api

    api = Api(client=client, db=db, accounts=accounts)
    response = api.get(path)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][field].startswith(message)
    assert api.ok("GET", path.split("?")[0])["total"] >= 0  # the same list without it answers


def test_the_document_says_what_the_door_refuses_in_any_query_value(
    client: FlaskClient, db: Session, accounts: object
) -> None:
    """A NUL character in a query value is refused at the door (400): the document
    says so for every operation, and a free-text filter's schema excludes it."""
    from tests.test_api_support import Api

    api = Api(client=client, db=db, accounts=accounts)
    document = api.ok("GET", "/openapi.json")
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            assert "400" in spec["responses"], f"{method.upper()} {path}"
    parameters = document["paths"]["/learnings"]["get"]["parameters"]
    text = next(p for p in parameters if p["name"] == "q")
    assert text["schema"]["pattern"] == "^[^\\u0000]*$"
    assert api.get("/learnings?q=a%00b").status_code == 400


def test_a_patch_field_that_cannot_be_null_says_so_in_the_document(
    client: FlaskClient, db: Session, accounts: object
) -> None:
    """The document no longer offers null for a field the server must refuse it for."""
    from tests.test_api_support import Api

    api = Api(client=client, db=db, accounts=accounts)
    document = api.ok("GET", "/openapi.json")
    title = document["components"]["schemas"]["HypothesisUpdate"]["properties"]["title"]
    assert "anyOf" not in title and title["type"] == "string"
    metric = api.metric()
    hypothesis = api.hypothesis(metric["id"])
    response = api.patch(f"/hypotheses/{hypothesis['id']}", {"version": 1, "title": None})
    assert response.status_code == 422
    assert "title" in response.get_json()["error"]["fields"]
    rationale = {"version": 1, "rationale": "a reason"}
    assert api.patch(f"/hypotheses/{hypothesis['id']}", rationale).status_code == 200
