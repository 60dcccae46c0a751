"""One scale for the backlog: the team's current priority model.

Scores of different models do not compare (RICE 800 is not "more" than ICE 7),
so a hypothesis ranks by its score only when it was scored with the model the
team uses now; the others come after, marked "needs scoring".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col

from tracker.models import Hypothesis, PriorityModel, TeamSettings


def team_model(session: Session) -> PriorityModel:
    """The priority model chosen in Settings (ICE until someone changes it)."""
    settings = session.get(TeamSettings, 1)
    return PriorityModel(settings.priority_model) if settings else PriorityModel.ice


def needs_scoring(hypothesis: Hypothesis, model: PriorityModel | str) -> bool:
    return PriorityModel(hypothesis.priority_model) is not PriorityModel(model)


def by_priority(model: PriorityModel | str) -> list[Any]:
    """ORDER BY terms: scored with ``model`` first, best score first."""
    unscored = case((col(Hypothesis.priority_model) == PriorityModel(model).value, 0), else_=1)
    return [unscored, col(Hypothesis.score).desc()]
