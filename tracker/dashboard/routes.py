"""The landing page after sign-in: where the loop stands this week."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlmodel import col, select

from experiments.cycles import IsoWeek, Phase
from tracker.cycles.agenda import metric_groups
from tracker.cycles.attention import experiment_attention
from tracker.cycles.history import my_actions
from tracker.cycles.service import current_cycle, team_today
from tracker.dashboard.health import loop_health
from tracker.database import get_session
from tracker.models import Area, User

bp = Blueprint("dashboard", __name__)
MY_ACTIONS_SHOWN = 6
FLIGHT_SHOWN = 9  # experiments in flight: those needing a decision first


@bp.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    today = team_today(session)
    cycle = current_cycle(session=session, today=today)
    areas = {a.id: a for a in session.exec(select(Area).where(col(Area.deleted_at).is_(None)))}
    names = dict(session.exec(select(User.id, User.display_name)).all())
    attention = experiment_attention(
        session=session,
        today=today,
        names=names,
        needing_shown=FLIGHT_SHOWN,
        running_shown=FLIGHT_SHOWN,
    )
    shown = (attention.needing + attention.running)[:FLIGHT_SHOWN]
    actions = my_actions(session=session, user_id=current_user.id, include_finished=False)
    return render_template(
        "dashboard/index.html",
        cycle=cycle,
        focus=areas.get(cycle.focus_area_id),
        phases=[p for p in Phase if p != Phase.closed],
        experiments=shown,
        needing=attention.needing_total,
        running_total=attention.running_total,
        more_experiments=attention.needing_total + attention.running_total - len(shown),
        actions=actions[:MY_ACTIONS_SHOWN],
        more_actions=max(0, len(actions) - MY_ACTIONS_SHOWN),
        stuck=sum(1 for line in actions if line.stuck),
        stages=metric_groups(session=session, area_by_id=areas),
        health=loop_health(session=session, current_week=IsoWeek.parse(cycle.iso_week)),
    )
