"""The areas page: ranking, the focus area, processes and stages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from tracker.models import Area, Change, Cycle, Hypothesis, Process, Role, Stage, TeamSettings, User


def area(db: Session, name: str) -> Area:
    db.expire_all()
    return db.exec(select(Area).where(Area.name == name)).one()


def ranking(db: Session) -> list[str]:
    db.expire_all()
    rows = db.exec(select(Area).where(Area.active).order_by(col(Area.rank))).all()
    return [a.name for a in rows]


def test_page_shows_ranked_areas_focus_processes_and_stages(
    client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    signed_in(Role.viewer)
    page = client.get("/areas/").get_data(as_text=True)
    assert page.index("Marketing") < page.index("Sales") < page.index("Service")
    assert "★ Focus area" in page
    assert "Pipeline review" in page and "Customer escalation" in page
    assert page.index("Awareness") < page.index("Consideration") < page.index("Expansion")
    assert "Add an area" not in page and "Make focus" not in page  # viewers read only


def test_move_down_and_up_logs_the_ranks(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    marketing = area(db, "Marketing")
    assert client.post(f"/areas/{marketing.id}/move/down").status_code == 302
    assert ranking(db) == ["Sales", "Marketing", "Service"]
    rank_changes = db.exec(select(Change).where(Change.field == "rank")).all()
    assert {(c.old_value, c.new_value) for c in rank_changes} == {("1", "2"), ("2", "1")}
    service = area(db, "Service")
    client.post(f"/areas/{service.id}/move/up")
    assert ranking(db) == ["Sales", "Service", "Marketing"]
    page = client.get("/areas/").get_data(as_text=True)
    page = page[page.index('class="area-list"') :]
    assert page.index("Sales") < page.index("Service") < page.index("Marketing")


def test_moving_the_top_area_up_changes_nothing(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    client.post(f"/areas/{area(db, 'Marketing').id}/move/up")
    assert ranking(db) == ["Marketing", "Sales", "Service"]
    assert db.exec(select(Change)).first() is None


def test_mark_the_focus_area(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.editor)
    sales = area(db, "Sales")
    assert client.post(f"/areas/{sales.id}/focus").status_code == 302
    db.expire_all()
    assert db.get(TeamSettings, 1).focus_area_id == sales.id
    # the open cycle's review now leads with the new focus too
    assert db.exec(select(Cycle)).one().focus_area_id == sales.id
    change = db.exec(select(Change).where(Change.entity == "team_settings")).one()
    assert (change.entity, change.field, change.new_value, change.user_id) == (
        "team_settings",
        "focus_area_id",
        str(sales.id),
        user.id,
    )
    page = client.get("/areas/").get_data(as_text=True)
    focus_card = page[page.index("area-card focus") :]
    assert focus_card.index("Sales") < focus_card.index("★ Focus area") < 400


def test_add_an_area_and_refuse_a_duplicate(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    response = client.post(
        "/areas/", data={"area-name": " Partnerships ", "area-description": "Channel deals"}
    )
    assert response.status_code == 302
    partnerships = area(db, "Partnerships")
    assert partnerships.rank == 4
    assert db.exec(select(Change)).one().action == "create"
    response = client.post("/areas/", data={"area-name": "sales", "area-description": "typed"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is already an area named “sales”." in page
    assert 'value="sales"' in page and "typed</textarea>" in page
    response = client.post("/areas/", data={"area-name": "   "})
    assert response.status_code == 422
    assert "Give the area a name." in response.get_data(as_text=True)


def test_edit_an_area(client: FlaskClient, signed_in: Callable[[Role], User], db: Session) -> None:
    signed_in(Role.editor)
    service = area(db, "Service")
    assert client.get(f"/areas/{service.id}/edit").status_code == 200
    response = client.post(
        f"/areas/{service.id}/edit", data={"name": "Customer service", "description": "Support"}
    )
    assert response.status_code == 302
    fields = {c.field: c.new_value for c in db.exec(select(Change)).all()}
    assert fields == {"name": "Customer service", "description": "Support"}
    response = client.post(f"/areas/{service.id}/edit", data={"name": "Marketing"})
    assert response.status_code == 422
    assert "There is already an area named “Marketing”." in response.get_data(as_text=True)


def test_deactivate_and_reactivate(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    marketing, service = area(db, "Marketing"), area(db, "Service")
    client.post(f"/areas/{marketing.id}/deactivate")
    assert area(db, "Marketing").active  # the focus area stays
    client.post(f"/areas/{service.id}/deactivate")
    assert not area(db, "Service").active
    page = client.get("/areas/").get_data(as_text=True)
    assert "Inactive areas" in page and "Reactivate" in page
    client.post(f"/areas/{service.id}/reactivate")
    assert area(db, "Service").active
    actions = [(c.field, c.new_value) for c in db.exec(select(Change)).all()]
    assert ("active", "False") in actions and ("active", "True") in actions


def test_processes_add_rename_remove(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    sales = area(db, "Sales")
    prefix = f"process-{sales.id}"
    assert client.post(f"/areas/{sales.id}/processes", data={f"{prefix}-name": "Forecasting"})
    process = db.exec(select(Process).where(Process.name == "Forecasting")).one()
    response = client.post(f"/areas/{sales.id}/processes", data={f"{prefix}-name": "forecasting"})
    assert response.status_code == 422
    assert "This area already has a process named “forecasting”." in response.get_data(as_text=True)
    response = client.post(
        f"/areas/processes/{process.id}", data={f"rename-{process.id}-name": "Sales forecasting"}
    )
    assert response.status_code == 302
    response = client.post(f"/areas/processes/{process.id}", data={f"rename-{process.id}-name": ""})
    assert response.status_code == 422
    assert "Give the process a name." in response.get_data(as_text=True)
    assert client.post(f"/areas/processes/{process.id}/remove").status_code == 302
    assert db.exec(select(Process).where(Process.id == process.id)).first() is None
    log = [(c.entity, c.action, c.old_value, c.new_value) for c in db.exec(select(Change)).all()]
    assert log == [
        ("process", "create", None, "Forecasting"),
        ("process", "update", "Forecasting", "Sales forecasting"),
        ("process", "delete", "Sales forecasting", None),
    ]


def test_a_process_in_use_is_not_removed(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.editor)
    process = db.exec(select(Process).where(Process.name == "Pipeline review")).one()
    hypothesis = Hypothesis.model_validate(
        {
            "title": "Call new leads within an hour",
            "area_id": process.area_id,
            "process_id": process.id,
            "change": "call within an hour",
            "because": "speed wins",
            "author_id": user.id,
        }
    )
    db.add(hypothesis)
    db.commit()
    response = client.post(f"/areas/processes/{process.id}/remove", follow_redirects=True)
    assert "is used by 1 hypothesis" in response.get_data(as_text=True)
    assert db.get(Process, process.id) is not None


def test_stages_add_rename_move(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.editor)
    assert client.post("/areas/stages", data={"stage-name": "Advocacy"}).status_code == 302
    response = client.post("/areas/stages", data={"stage-name": "awareness"})
    assert response.status_code == 422
    assert "There is already a stage named “awareness”." in response.get_data(as_text=True)
    advocacy = db.exec(select(Stage).where(Stage.name == "Advocacy")).one()
    client.post(f"/areas/stages/{advocacy.id}/move/up")
    db.expire_all()
    names = [s.name for s in db.exec(select(Stage).order_by(col(Stage.position))).all()]
    assert names[-2:] == ["Advocacy", "Expansion"]
    client.post(f"/areas/stages/{advocacy.id}", data={f"stage-{advocacy.id}-name": "Referral"})
    db.expire_all()
    assert db.get(Stage, advocacy.id).name == "Referral"
    entities = {c.entity for c in db.exec(select(Change)).all()}
    assert entities == {"stage"}


def test_viewers_get_403_on_every_post(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    signed_in(Role.viewer)
    sales = area(db, "Sales")
    process = db.exec(select(Process)).first()
    stage = db.exec(select(Stage)).first()
    urls = [
        "/areas/",
        f"/areas/{sales.id}/edit",
        f"/areas/{sales.id}/move/up",
        f"/areas/{sales.id}/focus",
        f"/areas/{sales.id}/deactivate",
        f"/areas/{sales.id}/reactivate",
        f"/areas/{sales.id}/processes",
        f"/areas/processes/{process.id}",
        f"/areas/processes/{process.id}/remove",
        "/areas/stages",
        f"/areas/stages/{stage.id}",
        f"/areas/stages/{stage.id}/move/down",
    ]
    for url in urls:
        assert client.post(url, data={"name": "x"}).status_code == 403, url
    assert db.exec(select(Change)).first() is None


def test_areas_page_runs_a_fixed_number_of_queries(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    count_queries: Callable[[], Any],
) -> None:
    signed_in(Role.editor)

    def count() -> int:
        client.get("/areas/")
        with count_queries() as queries:
            assert client.get("/areas/").status_code == 200
        return len(queries)

    small = count()
    db.add_all(Area(name=f"Area {i}", rank=10 + i) for i in range(60))
    db.commit()
    ids = db.exec(select(Area.id)).all()
    db.add_all(Process(area_id=area_id, name=f"P{i}") for area_id in ids for i in range(15))
    db.commit()
    assert count() == small
