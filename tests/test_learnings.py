"""Learnings: the searchable list, the form, links to experiments, soft delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tracker.models import (
    Area,
    Change,
    Experiment,
    Learning,
    LearningExperiment,
    Metric,
    MetricKind,
    Role,
    User,
)
from tracker.models.types import utcnow


@pytest.fixture
def world(db: Session) -> dict[str, Any]:
    areas = {area.name: area for area in db.exec(select(Area)).all()}
    metric = Metric(name="Win rate", area_id=areas["Sales"].id, kind=MetricKind.proportion)
    db.add(metric)
    db.flush()
    experiments = [
        Experiment(title="Case study e-mail", primary_metric_id=metric.id),
        Experiment(title="Shorter demo form", primary_metric_id=metric.id),
        Experiment(title="Old deleted test", primary_metric_id=metric.id, deleted_at=utcnow()),
    ]
    db.add_all(experiments)
    db.commit()
    return {"areas": areas, "experiments": experiments}


def add_learning(db: Session, text: str, **fields: Any) -> Learning:
    learning = Learning(text=text, **fields)
    db.add(learning)
    db.commit()
    return learning


def test_editor_writes_a_learning_with_tags_and_experiments(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, world: dict[str, Any]
) -> None:
    editor = signed_in(Role.editor)
    first, second, _deleted = world["experiments"]
    form = client.get("/learnings/new").get_data(as_text=True)
    assert "Case study e-mail" in form and "Old deleted test" not in form
    response = client.post(
        "/learnings/new",
        data={
            "text": "Peers' stories beat our promises in follow-ups.",
            "area_id": world["areas"]["Sales"].id,
            "tags": " Follow-up, CASE study ,, follow-up ",
            "experiment_ids": [first.id, second.id],
        },
    )
    assert response.status_code == 302
    learning = db.exec(select(Learning)).one()
    assert learning.tags == "follow-up, case study"
    assert learning.author_id == editor.id
    linked = db.exec(select(LearningExperiment.experiment_id)).all()
    assert sorted(linked) == sorted([first.id, second.id])
    assert db.exec(select(Change).where(Change.entity == "learning")).one().action == "create"
    page = client.get("/learnings/").get_data(as_text=True)
    assert "Peers&#39; stories beat our promises" in page
    assert 'class="chip"' in page and ">follow-up</a>" in page and ">case study</a>" in page
    assert "Case study e-mail" in page and "Shorter demo form" in page and "Sales" in page


def test_bad_learning_form_keeps_input(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, world: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    deleted = world["experiments"][2]
    response = client.post(
        "/learnings/new",
        data={"text": "", "tags": "<b>bold</b>", "area_id": "999", "experiment_ids": [deleted.id]},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Write down the insight" in page
    assert "Choose one of the areas in the list." in page
    assert "Choose experiments from the list." in page
    assert 'value="&lt;b&gt;bold&lt;/b&gt;"' in page
    assert db.exec(select(Learning)).first() is None


def test_search_over_text_and_tags_case_insensitive_and_filter_by_area(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, world: dict[str, Any]
) -> None:
    signed_in(Role.viewer)
    areas = world["areas"]
    add_learning(db, "Discounts shorten the cycle", tags="pricing", area_id=areas["Sales"].id)
    add_learning(db, "Webinars bring cold leads", tags="events", area_id=areas["Marketing"].id)
    add_learning(db, "Fast replies lift CSAT", tags="support, speed", area_id=areas["Service"].id)
    add_learning(db, "100% of tickets_with notes", tags="", area_id=areas["Service"].id)
    add_learning(db, "يثق العملاء بتجارب نظرائهم", tags="ثقة", area_id=areas["Marketing"].id)

    def shown(query: str) -> str:
        return client.get("/learnings/?" + query).get_data(as_text=True)

    page = shown("q=PRICING")
    assert "Discounts shorten" in page and "Webinars" not in page
    page = shown("q=webinars")
    assert "Webinars bring cold leads" in page and "Discounts" not in page
    page = shown(f"area={areas['Service'].id}")
    assert "Fast replies" in page and "Discounts" not in page
    page = shown(f"q=speed&area={areas['Sales'].id}")
    assert "Fast replies" not in page and "Nothing matches" in page
    page = shown("q=100%25")  # a literal percent sign, not a wildcard
    assert "100% of tickets" in page and "Discounts" not in page
    page = shown("q=s_w")  # a literal underscore
    assert "Discounts" not in page
    page = shown("q=ثقة")
    assert "يثق العملاء بتجارب نظرائهم" in page and "Discounts" not in page


def test_list_is_newest_first_paginated_and_keeps_the_search(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, world: dict[str, Any]
) -> None:
    signed_in(Role.viewer)
    for index in range(30):
        add_learning(db, f"Learning number {index:02d}", tags="loop")
    add_learning(db, "Deleted learning", tags="loop", deleted_at=utcnow())
    page = client.get("/learnings/?q=loop").get_data(as_text=True)
    assert "1–25 of 30" in page
    assert page.index("Learning number 29") < page.index("Learning number 10")
    assert "Deleted learning" not in page
    assert "page=2&amp;q=loop" in page


def test_editing_logs_changes_and_links(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session, world: dict[str, Any]
) -> None:
    signed_in(Role.editor)
    first, second, _ = world["experiments"]
    learning = add_learning(db, "Old text", tags="a")
    db.add(LearningExperiment(learning_id=learning.id, experiment_id=first.id))
    db.commit()
    form = client.get(f"/learnings/{learning.id}/edit").get_data(as_text=True)
    assert "Old text" in form
    response = client.post(
        f"/learnings/{learning.id}/edit",
        data={"text": "New text", "tags": "B", "area_id": "", "experiment_ids": [second.id]},
    )
    assert response.status_code == 302
    db.expire_all()
    learning = db.get(Learning, learning.id)
    assert learning is not None and learning.text == "New text" and learning.version == 2
    fields = {c.field: c.new_value for c in db.exec(select(Change)).all()}
    assert fields == {"text": "New text", "tags": "b", "experiments": str(second.id)}
    assert db.exec(select(LearningExperiment.experiment_id)).all() == [second.id]


def test_roles_and_soft_delete(
    client: FlaskClient,
    accounts: Any,
    db: Session,
    world: dict[str, Any],
) -> None:
    learning = add_learning(db, "Keep me")
    viewer = accounts.make(Role.viewer)
    accounts.sign_in(client, viewer)
    assert client.post("/learnings/new", data={"text": "x"}).status_code == 403
    assert client.post(f"/learnings/{learning.id}/edit", data={"text": "x"}).status_code == 403
    assert client.post(f"/learnings/{learning.id}/delete").status_code == 403
    editor_client = client.application.test_client()
    editor = accounts.make(Role.editor)
    accounts.sign_in(editor_client, editor)
    assert editor_client.post(f"/learnings/{learning.id}/delete").status_code == 403
    admin_client = client.application.test_client()
    admin = accounts.make(Role.admin)
    accounts.sign_in(admin_client, admin)
    assert admin_client.post(f"/learnings/{learning.id}/delete").status_code == 302
    db.refresh(learning)
    assert learning.deleted_at is not None
    assert "Keep me" not in client.get("/learnings/").get_data(as_text=True)
    delete = db.exec(select(Change).where(Change.action == "delete")).one()
    assert admin_client.post(f"/changes/{delete.id}/undo").status_code == 302
    assert "Keep me" in client.get("/learnings/").get_data(as_text=True)


def test_the_list_runs_a_fixed_number_of_queries(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    world: dict[str, Any],
    count_queries: Callable[[], Any],
) -> None:
    user = signed_in(Role.admin)
    experiments = world["experiments"][:2]

    def seed(count: int) -> None:
        learnings = [
            Learning(text=f"Insight {index}", tags="loop, test", author_id=user.id)
            for index in range(count)
        ]
        db.add_all(learnings)
        db.flush()
        db.add_all(
            LearningExperiment(learning_id=learning.id, experiment_id=experiment.id)
            for learning in learnings
            for experiment in experiments
        )
        db.commit()

    seed(10)
    with count_queries() as small:
        assert client.get("/learnings/?q=insight").status_code == 200
    seed(990)
    with count_queries() as large:
        assert client.get("/learnings/?q=insight").status_code == 200
    assert len(small) == len(large)
