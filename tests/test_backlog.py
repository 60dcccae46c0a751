"""The hypothesis backlog: the list, the statement form, a hypothesis's page,
status changes, soft deletes and the change log they write."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tracker.models import (
    Area,
    Change,
    Hypothesis,
    HypothesisStatus,
    Metric,
    MetricKind,
    PriorityModel,
    Process,
    Role,
    TeamSettings,
    User,
)


@pytest.fixture
def catalogue(db: Session) -> dict[str, Any]:
    areas = {area.name: area for area in db.exec(select(Area)).all()}
    processes = {process.name: process for process in db.exec(select(Process)).all()}
    metrics = {
        name: Metric(name=name, area_id=areas[area].id, kind=MetricKind.proportion)
        for name, area in (("MQL to SQL conversion", "Marketing"), ("Win rate", "Sales"))
    }
    db.add_all(metrics.values())
    db.commit()
    return {"areas": areas, "processes": processes, "metrics": metrics}


def form_data(catalogue: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Case study in follow-up",
        "change": "add a customer case study to the second follow-up e-mail",
        "metric_id": catalogue["metrics"]["MQL to SQL conversion"].id,
        "direction": "increase",
        "expected_effect": "10",
        "rationale": "prospects trust their peers more than our promises",
        "area_id": catalogue["areas"]["Marketing"].id,
        "process_id": catalogue["processes"]["Campaign planning"].id,
        "status": "backlog",
        "score_impact": "8",
        "score_confidence": "6",
        "score_ease": "7",
    }
    data.update(overrides)
    return data


def make_hypothesis(
    db: Session, catalogue: dict[str, Any], author: User | None = None, **fields: Any
) -> Hypothesis:
    values: dict[str, Any] = {
        "title": "Shorter demo form",
        "change": "cut the demo request form to three fields",
        "metric_id": catalogue["metrics"]["Win rate"].id,
        "expected_effect": 5.0,
        "rationale": "long forms put off busy buyers",
        "area_id": catalogue["areas"]["Sales"].id,
        "scores": {"impact": 6, "confidence": 5, "ease": 4},
        "score": 5.0,
        "author_id": author.id if author else None,
    }
    values.update(fields)
    hypothesis = Hypothesis(**values)
    db.add(hypothesis)
    db.commit()
    return hypothesis


def test_editor_creates_a_hypothesis_with_its_ice_score_and_a_create_entry(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    editor = signed_in(Role.editor)
    response = client.post("/backlog/new", data=form_data(catalogue))
    assert response.status_code == 302
    hypothesis = db.exec(select(Hypothesis)).one()
    assert hypothesis.score == pytest.approx(7.0)
    assert hypothesis.scores == {"impact": 8, "confidence": 6, "ease": 7}
    assert hypothesis.priority_model == PriorityModel.ice
    assert hypothesis.author_id == editor.id
    assert response.headers["Location"].endswith(f"/backlog/{hypothesis.id}")
    change = db.exec(select(Change).where(Change.entity == "hypothesis")).one()
    assert (change.action, change.entity_id, change.user_id) == ("create", hypothesis.id, editor.id)

    page = client.get(f"/backlog/{hypothesis.id}").get_data(as_text=True)
    assert "If we" in page and "add a customer case study" in page
    assert "MQL to SQL conversion</strong> will rise by <strong>10%" in page
    assert "because" in page and "ICE 7.0" in page


def test_the_list_shows_the_statement_score_status_and_author_sorted_by_score(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    viewer = signed_in(Role.viewer)
    make_hypothesis(db, catalogue, viewer, title="Low one", score=3.0)
    make_hypothesis(db, catalogue, viewer, title="High one", score=8.333, status="selected")
    page = client.get("/backlog/").get_data(as_text=True)
    assert page.index("High one") < page.index("Low one")
    assert "ICE 8.3" in page and "ICE 3.0" in page
    assert "Selected" in page and viewer.display_name in page
    assert "Win rate</strong> will rise by <strong>5%" in page
    assert "New hypothesis" not in page  # a viewer cannot write one


def test_filters_keep_their_values_in_the_pager_links(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.viewer)
    sales = catalogue["areas"]["Sales"].id
    pipeline = catalogue["processes"]["Pipeline review"].id
    for index in range(30):
        make_hypothesis(db, catalogue, title=f"Sales idea {index}", process_id=pipeline)
    make_hypothesis(
        db,
        catalogue,
        title="Marketing idea",
        area_id=catalogue["areas"]["Marketing"].id,
        metric_id=catalogue["metrics"]["MQL to SQL conversion"].id,
    )
    make_hypothesis(db, catalogue, title="Parked sales idea", status="parked")
    page = client.get(f"/backlog/?area={sales}&process={pipeline}&status=backlog")
    text = page.get_data(as_text=True)
    assert "Marketing idea" not in text and "Parked sales idea" not in text
    assert "1–25 of 30" in text
    assert f"page=2&amp;area={sales}&amp;process={pipeline}&amp;status=backlog" in text
    parked = client.get("/backlog/?status=parked").get_data(as_text=True)
    assert "Parked sales idea" in parked and "Sales idea 1<" not in parked
    # nonsense filters are ignored rather than failing
    assert client.get("/backlog/?area=x&status=<b>&page=-3").status_code == 200


def test_deleted_hypotheses_are_hidden(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    from tracker.models.types import utcnow

    signed_in(Role.viewer)
    gone = make_hypothesis(db, catalogue, title="Gone idea", deleted_at=utcnow())
    assert "Gone idea" not in client.get("/backlog/").get_data(as_text=True)
    assert client.get(f"/backlog/{gone.id}").status_code == 404


def test_a_bad_form_comes_back_with_messages_and_everything_typed(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    data = form_data(
        catalogue,
        title="",
        change="raise the <b>price</b> on the pricing page",
        expected_effect="0",
        rationale="",
        process_id=catalogue["processes"]["Pipeline review"].id,  # a Sales process
        score_impact="11",
    )
    response = client.post("/backlog/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give the hypothesis a short title" in page
    assert "The expected change cannot be zero" in page
    assert "Say why you believe it" in page
    assert "This process belongs to another area" in page
    assert "Impact must be from 1 to 10" in page
    assert "raise the &lt;b&gt;price&lt;/b&gt; on the pricing page" in page
    assert 'value="0"' in page
    assert db.exec(select(Hypothesis)).first() is None


def test_a_long_process_name_is_kept_whole_beneath_its_select(
    client: FlaskClient, signed_in: Callable[[Role], User], catalogue: dict[str, Any]
) -> None:
    """One flat list of processes, each with its area (the page's script offers the
    chosen area's); a name a phone's select would cut is written whole beneath it,
    its note in the same place as its option."""
    signed_in(Role.editor)
    chosen = catalogue["processes"]["Customer-satisfaction measurement"]
    data = form_data(catalogue, title="", area_id=chosen.area_id, process_id=chosen.id)
    page = client.post("/backlog/new", data=data).get_data(as_text=True)
    select_html = re.search(r'<select[^>]*id="process_id".*?</select>', page, re.S).group(0)
    assert "<optgroup" not in select_html
    options = re.findall(r'<option[^>]*value="(\d*)"', select_html)
    assert len(options) == 9 and options[0] == ""
    notes = re.search(r'<ul class="choice-notes" id="process_id-notes">.*?</ul>', page, re.S)
    items = re.findall(r'<li data-choice="(\d*)"[^>]*>(.*?)</li>', notes.group(0), re.S)
    assert [value for value, _ in items] == options
    whole = {value: text for value, text in items if text}
    long = {str(p.id) for p in catalogue["processes"].values() if len(p.name) > 24}
    assert set(whole) == long and len(long) == 2  # the others fit any select
    assert "Customer-satisfaction measurement</span>" in whole[str(chosen.id)]


def test_metric_and_area_are_required(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    response = client.post(
        "/backlog/new", data=form_data(catalogue, metric_id="", area_id="", expected_effect="")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the metric this change should move." in page
    assert "Choose the area this hypothesis belongs to." in page
    assert "Enter by how much, in percent" in page


def test_viewers_may_not_write(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.viewer)
    hypothesis = make_hypothesis(db, catalogue)
    assert client.post("/backlog/new", data=form_data(catalogue)).status_code == 403
    assert client.get("/backlog/new").status_code == 403
    assert (
        client.post(f"/backlog/{hypothesis.id}/edit", data=form_data(catalogue)).status_code == 403
    )
    assert (
        client.post(f"/backlog/{hypothesis.id}/status", data={"status": "parked"}).status_code
        == 403
    )
    assert client.post(f"/backlog/{hypothesis.id}/delete").status_code == 403


def test_editors_may_not_delete(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    hypothesis = make_hypothesis(db, catalogue)
    assert client.post(f"/backlog/{hypothesis.id}/delete").status_code == 403
    assert "Delete hypothesis" not in client.get(f"/backlog/{hypothesis.id}").get_data(as_text=True)


def test_editing_logs_each_changed_field_and_bumps_the_version(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    editor = signed_in(Role.editor)
    client.post("/backlog/new", data=form_data(catalogue))
    hypothesis = db.exec(select(Hypothesis)).one()
    created = hypothesis.updated_at
    form = client.get(f"/backlog/{hypothesis.id}/edit").get_data(as_text=True)
    assert "add a customer case study" in form and 'value="10' in form
    assert '<option selected value="8">' in form or 'value="8" selected' in form
    response = client.post(
        f"/backlog/{hypothesis.id}/edit",
        data=form_data(catalogue, expected_effect="15", score_ease="10", direction="decrease"),
    )
    assert response.status_code == 302
    db.expire_all()
    hypothesis = db.get(Hypothesis, hypothesis.id)
    assert hypothesis is not None
    assert hypothesis.version == 2 and hypothesis.updated_at > created
    assert hypothesis.score == pytest.approx(8.0)
    updates = {
        change.field: (change.old_value, change.new_value)
        for change in db.exec(select(Change).where(Change.action == "update")).all()
    }
    assert updates["expected_effect"] == ("10.0", "15.0")
    assert updates["direction"] == ("increase", "decrease")
    assert updates["score"] == ("7.0", "8.0")
    assert set(updates) == {"expected_effect", "direction", "score", "scores"}
    assert all(change.user_id == editor.id for change in db.exec(select(Change)).all())
    page = client.get(f"/backlog/{hypothesis.id}").get_data(as_text=True)
    assert "will fall by <strong>15%" in page
    assert "expected change (%)" in page and "10.0" in page  # the change log on the page


def test_status_change_writes_the_change_log(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    hypothesis = make_hypothesis(db, catalogue)
    response = client.post(f"/backlog/{hypothesis.id}/status", data={"status": "selected"})
    assert response.status_code == 302
    db.refresh(hypothesis)
    assert hypothesis.status == HypothesisStatus.selected and hypothesis.version == 2
    change = db.exec(select(Change)).one()
    assert (change.field, change.old_value, change.new_value) == ("status", "backlog", "selected")
    bad = client.post(f"/backlog/{hypothesis.id}/status", data={"status": "won"})
    assert bad.status_code == 302
    db.refresh(hypothesis)
    assert hypothesis.status == HypothesisStatus.selected


def test_admin_deletes_and_undoes_from_the_change_log(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.admin)
    hypothesis = make_hypothesis(db, catalogue, title="Deletable idea")
    assert client.post(f"/backlog/{hypothesis.id}/delete").status_code == 302
    db.refresh(hypothesis)
    assert hypothesis.deleted_at is not None
    assert ">Deletable idea</a>" not in client.get("/backlog/").get_data(as_text=True)
    delete = db.exec(select(Change).where(Change.action == "delete")).one()
    log = client.get("/changes/").get_data(as_text=True)
    assert 'value="Undo delete"' in log
    response = client.post(f"/changes/{delete.id}/undo")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/backlog/{hypothesis.id}")
    db.refresh(hypothesis)
    assert hypothesis.deleted_at is None
    assert (
        db.exec(select(Change).where(Change.action == "restore")).one().entity_id == hypothesis.id
    )
    assert ">Deletable idea</a>" in client.get("/backlog/").get_data(as_text=True)
    log = client.get("/changes/").get_data(as_text=True)
    assert 'value="Undo delete"' not in log and "Undone from the change log" in log


def test_user_html_is_shown_as_text(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    script = "<script>alert('x')</script>"
    client.post(
        "/backlog/new",
        data=form_data(
            catalogue, title=f"Title {script}", change=f"show {script}", rationale=script
        ),
    )
    hypothesis = db.exec(select(Hypothesis)).one()
    for url in ("/backlog/", f"/backlog/{hypothesis.id}", f"/backlog/{hypothesis.id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert script not in page, url
        assert "&lt;script&gt;alert(" in page, url


def test_arabic_text_round_trips(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    change = "إذا أضفنا دراسة حالة من عميل في القطاع نفسه إلى رسالة المتابعة الثانية"
    because = "لأن العملاء المحتملين يثقون بتجارب نظرائهم أكثر من وعودنا"
    client.post(
        "/backlog/new",
        data=form_data(catalogue, title="دراسة حالة", change=change, rationale=because),
    )
    hypothesis = db.exec(select(Hypothesis)).one()
    assert (hypothesis.change, hypothesis.rationale) == (change, because)
    for url in ("/backlog/", f"/backlog/{hypothesis.id}"):
        page = client.get(url).get_data(as_text=True)
        # one Arabic sentence, right to left, its connectives said once (not "إذا إذا")
        words = change.removeprefix("إذا "), because.removeprefix("لأن ")
        assert f'إذا <bdi class="statement-change">{words[0]}</bdi>' in page
        assert f'لأن <bdi class="statement-because">{words[1]}</bdi>' in page
        assert "دراسة حالة" in page and 'lang="ar" dir="rtl"' in page
        assert "If we <bdi" not in page  # its own words, without the English connectives
        assert 'dir="auto"' in page


def test_rice_teams_get_rice_fields(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, catalogue: dict[str, Any]
) -> None:
    settings = db.get(TeamSettings, 1)
    assert settings is not None
    settings.priority_model = PriorityModel.rice
    db.commit()
    signed_in(Role.editor)
    form = client.get("/backlog/new").get_data(as_text=True)
    assert "Reach" in form and "Effort" in form and "Priority · RICE" in form
    data = form_data(catalogue)
    for name in ("score_impact", "score_confidence", "score_ease"):
        data.pop(name)
    data.update(score_reach="500", score_impact="2", score_confidence="80", score_effort="0.4")
    response = client.post("/backlog/new", data=data)
    assert response.status_code == 422
    assert "Effort must be at least 0.5." in response.get_data(as_text=True)
    data["score_effort"] = "1"
    assert client.post("/backlog/new", data=data).status_code == 302
    hypothesis = db.exec(select(Hypothesis)).one()
    assert hypothesis.priority_model == PriorityModel.rice and hypothesis.score == 800
    assert "RICE 800" in client.get("/backlog/").get_data(as_text=True)


def test_design_button_only_when_the_experiments_page_exists(
    app: Any,
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    catalogue: dict[str, Any],
) -> None:
    signed_in(Role.editor)
    hypothesis = make_hypothesis(db, catalogue)
    page = client.get(f"/backlog/{hypothesis.id}").get_data(as_text=True)
    has_endpoint = "experiments.new" in app.view_functions
    assert ("Design an experiment" in page) == has_endpoint


def seed_hypotheses(db: Session, catalogue: dict[str, Any], count: int, author: User) -> None:
    areas = list(catalogue["areas"].values())
    metrics = list(catalogue["metrics"].values())
    processes = list(catalogue["processes"].values())
    db.add_all(
        Hypothesis(
            title=f"Idea {index}",
            change=f"change number {index}",
            rationale="because",
            metric_id=metrics[index % 2].id,
            area_id=areas[index % 3].id,
            process_id=processes[index % 8].id,
            score=index % 10,
            author_id=author.id,
        )
        for index in range(count)
    )
    db.commit()


@pytest.mark.parametrize("url", ["/backlog/", "/backlog/?status=backlog&area=1", "detail"])
def test_pages_run_a_fixed_number_of_queries(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    catalogue: dict[str, Any],
    count_queries: Callable[[], Any],
    url: str,
) -> None:
    user = signed_in(Role.admin)
    seed_hypotheses(db, catalogue, 10, user)
    first = db.exec(select(Hypothesis)).first()
    assert first is not None
    target = f"/backlog/{first.id}" if url == "detail" else url
    with count_queries() as small:
        assert client.get(target).status_code == 200
    seed_hypotheses(db, catalogue, 990, user)
    db.add_all(
        Change(entity="hypothesis", entity_id=first.id, action="update", field="title")
        for _ in range(200)
    )
    db.commit()
    with count_queries() as large:
        assert client.get(target).status_code == 200
    assert len(small) == len(large)
