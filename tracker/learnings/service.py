"""What happens to a learning: kept, edited, linked to the experiments behind it,
deleted. Every rule about a learning lives here and refuses with ``RuleError``:
its text, its area, the experiments it names, its tags, and the version the
person read. Functions add to the caller's session; the caller commits. The
meeting page keeps learnings through ``create_learning`` too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from sqlmodel import Session, col, delete, select

from tracker.changelog import record_created, record_event, record_update, snapshot
from tracker.models import Area, Experiment, Learning, LearningExperiment
from tracker.models.live import live
from tracker.models.types import utcnow
from tracker.rules import Edit, checked_edit, invalid, is_gone, live_one
from tracker.translation import _, ngettext

MAX_TAGS = 300


def normalise_tags(text: str) -> str:
    """Comma-separated tags, trimmed, lower-case, each once, in the order typed.

    >>> normalise_tags(" Pricing, follow-up ,,PRICING, Case Study ")
    'pricing, follow-up, case study'
    """
    seen: list[str] = []
    for tag in text.split(","):
        cleaned = " ".join(tag.split()).lower()
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return ", ".join(seen)


def live_learning(session: Session, learning_id: int | None) -> Learning:
    return live_one(session, Learning, learning_id, "learning")


def linked_experiments(session: Session, learning_id: int) -> list[int]:
    return sorted(
        session.exec(
            select(LearningExperiment.experiment_id).where(
                LearningExperiment.learning_id == learning_id
            )
        ).all()
    )


def check_learning(
    session: Session, *, text: str, area_id: int | None, tags: str, experiment_ids: Sequence[int]
) -> None:
    fields: dict[str, str] = {}
    if not text.strip():
        fields["text"] = _("Write down the insight: what the team now knows.")
    if area_id is not None and is_gone(session, Area, area_id):
        fields["area_id"] = _("There is no area with that id.")
    wanted = sorted(set(experiment_ids))
    if wanted:
        found = set(
            session.exec(
                select(Experiment.id).where(col(Experiment.id).in_(wanted), live(Experiment))
            ).all()
        )
        missing = [str(i) for i in wanted if i not in found]
        if missing:
            fields["experiment_ids"] = ngettext(
                "There is no experiment %(ids)s.",
                "There are no experiments %(ids)s.",
                len(missing),
                ids=", ".join(missing),
            )
    if len(normalise_tags(tags)) > MAX_TAGS:
        fields["tags"] = _("Keep the tags under %(count)s characters in all.", count=MAX_TAGS)
    if fields:
        raise invalid(fields)


def create_learning(
    session: Session,
    *,
    text: str,
    area_id: int | None,
    tags: str,
    experiment_ids: Sequence[int],
    user_id: int | None,
) -> Learning:
    check_learning(session, text=text, area_id=area_id, tags=tags, experiment_ids=experiment_ids)
    learning = Learning(
        text=text.strip(), area_id=area_id, tags=normalise_tags(tags), author_id=user_id
    )
    record_created(session, learning, user_id=user_id)
    _link(session, learning.id or 0, experiment_ids)
    return learning


def update_learning(
    session: Session,
    learning: Learning,
    *,
    text: str,
    area_id: int | None,
    tags: str,
    experiment_ids: Sequence[int],
    **edit: Unpack[Edit],
) -> bool:
    """Change the learning and its links; True when anything changed."""
    user_id = checked_edit("learning", learning, edit)
    check_learning(session, text=text, area_id=area_id, tags=tags, experiment_ids=experiment_ids)
    linked = linked_experiments(session, learning.id or 0)
    chosen = sorted(set(experiment_ids))
    before = snapshot(learning, ["text", "area_id", "tags"])
    with session.no_autoflush:
        learning.text = text.strip()
        learning.area_id = area_id
        learning.tags = normalise_tags(tags)
        changes = record_update(session, learning, before, user_id=user_id)
        if chosen != linked:
            _link(session, learning.id or 0, chosen)
            record_event(
                session,
                learning,
                "update",
                user_id=user_id,
                field="experiments",
                old_value=", ".join(map(str, linked)) or None,
                new_value=", ".join(map(str, chosen)) or None,
            )
            if not changes:
                learning.version += 1  # the links are part of what people read
    return bool(changes) or chosen != linked


def soft_delete(session: Session, learning: Learning, *, user_id: int | None) -> None:
    learning.deleted_at = utcnow()
    record_event(session, learning, "delete", user_id=user_id)


def _link(session: Session, learning_id: int, experiment_ids: Sequence[int]) -> None:
    session.exec(
        delete(LearningExperiment).where(col(LearningExperiment.learning_id) == learning_id)
    )
    session.add_all(
        LearningExperiment(learning_id=learning_id, experiment_id=experiment_id)
        for experiment_id in sorted(set(experiment_ids))
    )
