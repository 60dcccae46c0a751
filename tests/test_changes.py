"""The change log page, undoing a delete, and a record's history for other pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import render_template_string
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tracker.changes.queries import changes_for
from tracker.models import Area, Change, Hypothesis, Learning, Role, User
from tracker.models.types import utcnow


def add_hypothesis(db: Session, **fields: Any) -> Hypothesis:
    area = db.exec(select(Area)).first()
    assert area is not None
    values: dict[str, Any] = {"title": "An idea", "change": "change it", "area_id": area.id}
    values.update(fields)
    hypothesis = Hypothesis(**values)
    db.add(hypothesis)
    db.commit()
    return hypothesis


def test_changes_for_returns_a_records_entries_newest_first_with_names(
    db: Session, accounts: Any
) -> None:
    user = accounts.make(Role.editor, name="Layla Haddad")
    now = utcnow()
    db.add_all(
        [
            Change(entity="hypothesis", entity_id=1, action="create", user_id=user.id, at=now),
            Change(
                entity="hypothesis",
                entity_id=1,
                action="update",
                field="title",
                old_value="A",
                new_value="B",
                at=now + timedelta(minutes=1),
            ),
            Change(entity="hypothesis", entity_id=2, action="create", at=now),
            Change(entity="learning", entity_id=1, action="create", at=now),
        ]
    )
    db.commit()
    entries = changes_for(session=db, entity="hypothesis", entity_id=1)
    assert [(change.action, name) for change, name in entries] == [
        ("update", None),
        ("create", "Layla Haddad"),
    ]
    assert len(changes_for(session=db, entity="hypothesis", entity_id=1, limit=1)) == 1


def test_history_macro_renders_compactly_and_escapes(app: Any, db: Session) -> None:
    db.add(
        Change(
            entity="hypothesis",
            entity_id=1,
            action="update",
            field="expected_effect",
            old_value="<script>x</script>",
            new_value="15.0",
            reason="Design locked: مراجعة",
        )
    )
    db.commit()
    with app.test_request_context():
        html = render_template_string(
            '{% from "changes/_history.html" import history %}{{ history(entries) }}',
            entries=changes_for(session=db, entity="hypothesis", entity_id=1),
        )
        empty = render_template_string(
            '{% from "changes/_history.html" import history %}{{ history([]) }}'
        )
    assert "expected change (%)" in html and "15.0" in html and "System" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "Reason: <bdi>Design locked: مراجعة</bdi>" in html
    assert "No changes recorded yet." in empty


def test_the_page_lists_changes_newest_first_and_filters_by_type(
    client: FlaskClient, signed_in: Callable[[Role], User], db: Session
) -> None:
    user = signed_in(Role.viewer)
    hypothesis = add_hypothesis(db, title="Case study follow-up")
    learning = Learning(text="Peers convince")
    db.add(learning)
    db.commit()
    now = utcnow()
    db.add_all(
        [
            Change(
                entity="hypothesis",
                entity_id=hypothesis.id,
                action="update",
                field="status",
                old_value="backlog",
                new_value="selected",
                reason="Chosen at the review",
                user_id=user.id,
                at=now,
            ),
            Change(
                entity="learning", entity_id=learning.id, action="create", at=now - timedelta(1)
            ),
        ]
    )
    db.commit()
    page = client.get("/changes/").get_data(as_text=True)
    assert page.index("Case study follow-up") < page.index("Peers convince")
    assert "Backlog" in page and "Selected" in page and "Chosen at the review" in page
    assert user.display_name in page
    assert f'href="/backlog/{hypothesis.id}"' in page
    filtered = client.get("/changes/?entity=learning").get_data(as_text=True)
    assert "Peers convince" in filtered and "Case study follow-up" not in filtered
    assert client.get("/changes/?entity=nonsense").status_code == 200


def test_only_admins_undo_and_only_deleted_records(
    client: FlaskClient, accounts: Any, db: Session
) -> None:
    hypothesis = add_hypothesis(db, deleted_at=utcnow())
    entry = Change(entity="hypothesis", entity_id=hypothesis.id, action="delete")
    update = Change(entity="hypothesis", entity_id=hypothesis.id, action="update", field="title")
    db.add_all([entry, update])
    db.commit()
    editor = accounts.make(Role.editor)
    accounts.sign_in(client, editor)
    assert 'value="Undo delete"' not in client.get("/changes/").get_data(as_text=True)
    assert client.post(f"/changes/{entry.id}/undo").status_code == 403
    admin_client = client.application.test_client()
    accounts.sign_in(admin_client, accounts.make(Role.admin))
    assert admin_client.post(f"/changes/{update.id}/undo").status_code == 404
    assert admin_client.post("/changes/99999/undo").status_code == 404
    assert admin_client.post(f"/changes/{entry.id}/undo").status_code == 302
    again = admin_client.post(f"/changes/{entry.id}/undo", follow_redirects=True)
    assert "nothing to undo" in again.get_data(as_text=True)
    assert len(db.exec(select(Change).where(Change.action == "restore")).all()) == 1


def test_the_page_runs_a_fixed_number_of_queries(
    client: FlaskClient,
    signed_in: Callable[[Role], User],
    db: Session,
    count_queries: Callable[[], Any],
) -> None:
    user = signed_in(Role.admin)

    def seed(count: int) -> None:
        hypotheses = [add_hypothesis(db, title=f"Idea {index}") for index in range(count // 10)]
        db.add_all(
            Change(
                entity=("hypothesis", "learning", "metric")[index % 3],
                entity_id=hypotheses[index % len(hypotheses)].id,
                action=("update", "delete", "create")[index % 3],
                field="title",
                user_id=user.id,
            )
            for index in range(count)
        )
        db.commit()

    seed(10)
    with count_queries() as small:
        assert client.get("/changes/").status_code == 200
    seed(990)
    with count_queries() as large:
        assert client.get("/changes/").status_code == 200
    assert len(small) == len(large)
