"""What happens to a hypothesis: added to the backlog, edited, its status changed,
deleted. Every rule about a hypothesis lives here and refuses with ``RuleError``:
the metric, area and process it names, its priority scores under the team's
model, and the version the person read. Functions add to the caller's session;
the caller commits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from sqlmodel import Session

from experiments.priority import score
from tracker.changelog import record_created, record_event, record_update, snapshot
from tracker.models import (
    Area,
    ExpectedDirection,
    Hypothesis,
    HypothesisStatus,
    Metric,
    PriorityModel,
    Process,
    TeamSettings,
)
from tracker.models.types import utcnow
from tracker.rules import Edit, checked_edit, invalid, is_gone, live_one
from tracker.translation import _

# The fields an edit may change, as the change log records them.
EDITABLE = (
    "title",
    "change",
    "metric_id",
    "direction",
    "expected_effect",
    "rationale",
    "area_id",
    "process_id",
    "status",
    "priority_model",
    "scores",
    "score",
    "forecast_win_probability",
    "forecast_by_id",
)
# What a person sends: EDITABLE without what the service works out itself.
VALUES = frozenset(EDITABLE) - {"priority_model", "score", "forecast_by_id"}


def team_model(session: Session) -> str:
    settings = session.get(TeamSettings, 1)
    return settings.priority_model.value if settings else PriorityModel.ice.value


def live_hypothesis(session: Session, hypothesis_id: int | None) -> Hypothesis:
    return live_one(session, Hypothesis, hypothesis_id, "hypothesis")


def check_links(
    session: Session, *, metric_id: int | None, area_id: int | None, process_id: int | None
) -> None:
    """The metric and area exist and are live; the process belongs to the area."""
    fields: dict[str, str] = {}
    if metric_id is not None and is_gone(session, Metric, metric_id):
        fields["metric_id"] = _("There is no metric with that id.")
    if is_gone(session, Area, area_id):
        fields["area_id"] = _("There is no area with that id: choose the area it belongs to.")
    if process_id is not None:
        process = session.get(Process, process_id)
        if process is None:
            fields["process_id"] = _("There is no process with that id.")
        elif process.area_id != area_id:
            fields["process_id"] = _(
                "This process belongs to another area: choose one of this area's."
            )
    if fields:
        raise invalid(fields)


def scored(model: str, scores: Mapping[str, float]) -> tuple[dict[str, Any], float]:
    """The scores as stored and their priority score; RuleError naming the wrong one."""
    try:
        value = score(model, dict(scores))
    except ValueError as exc:
        message = str(exc)
        name = message.split(" ", 1)[0]
        key = f"scores.{name}" if name.isidentifier() else "scores"
        raise invalid({key: message[:1].upper() + message[1:] + "."}) from None
    whole = {name: int(v) if float(v).is_integer() else v for name, v in scores.items()}
    return whole, round(value, 4)


def _apply(
    session: Session, hypothesis: Hypothesis, values: Mapping[str, Any], user_id: int | None
) -> None:
    unknown = set(values) - VALUES
    if unknown:
        raise ValueError(f"not a hypothesis value: {', '.join(sorted(unknown))}")
    # every lookup before the first change: a query now would flush half an edit,
    # and each flush of a versioned row is a version
    model = team_model(session)
    check_links(
        session,
        metric_id=values.get("metric_id", hypothesis.metric_id),
        area_id=values.get("area_id", hypothesis.area_id),
        process_id=values.get("process_id", hypothesis.process_id),
    )
    for name in ("title", "change", "rationale"):
        if name in values:
            setattr(hypothesis, name, str(values[name] or "").strip())
    for name in ("metric_id", "expected_effect", "area_id", "process_id"):
        if name in values:
            setattr(hypothesis, name, values[name])
    if "direction" in values:
        hypothesis.direction = ExpectedDirection(values["direction"])
    if "status" in values:
        hypothesis.status = HypothesisStatus(values["status"])
    forecast = values.get("forecast_win_probability", hypothesis.forecast_win_probability)
    if forecast != hypothesis.forecast_win_probability:
        # the forecast is the scorer's: whoever gives it is named with it
        hypothesis.forecast_win_probability = forecast
        hypothesis.forecast_by_id = user_id if forecast is not None else None
    if "scores" in values:
        hypothesis.scores, hypothesis.score = scored(model, values["scores"])
        hypothesis.priority_model = PriorityModel(model)


def create_hypothesis(
    session: Session, values: Mapping[str, Any], *, user_id: int | None
) -> Hypothesis:
    """A new backlog item scored with the team's model."""
    hypothesis = Hypothesis(
        title="",
        change="",
        area_id=0,
        author_id=user_id,
        priority_model=PriorityModel(team_model(session)),
    )
    _apply(session, hypothesis, values, user_id)
    return record_created(session, hypothesis, user_id=user_id)


def update_hypothesis(
    session: Session,
    hypothesis: Hypothesis,
    values: Mapping[str, Any],
    **edit: Unpack[Edit],
) -> bool:
    """Change what ``values`` names; True when anything changed. Moving to another
    area without naming a process drops the old area's process."""
    user_id = checked_edit("hypothesis", hypothesis, edit)
    values = dict(values)
    if (
        "area_id" in values
        and "process_id" not in values
        and values["area_id"] != hypothesis.area_id
    ):
        values["process_id"] = None
    before = snapshot(hypothesis, EDITABLE)
    with session.no_autoflush:
        _apply(session, hypothesis, values, user_id)
        changed = record_update(session, hypothesis, before, user_id=user_id)
        if changed:
            hypothesis.updated_at = utcnow()
    return bool(changed)


def set_status(
    session: Session,
    hypothesis: Hypothesis,
    status: HypothesisStatus | str,
    **edit: Unpack[Edit],
) -> bool:
    return update_hypothesis(session, hypothesis, {"status": status}, **edit)


def soft_delete(session: Session, hypothesis: Hypothesis, *, user_id: int | None) -> None:
    hypothesis.deleted_at = utcnow()
    record_event(session, hypothesis, "delete", user_id=user_id)
