"""The landing page after sign-in: where the loop stands this week, for the
reader's audience (my week, area, executive), the view remembered per person."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlmodel import Session, col, select
from wtforms import SelectChoice

from experiments.cycles import Phase
from tracker.backlog.ranking import team_model
from tracker.cycles.service import current_cycle, team_today
from tracker.dashboard.forms import ViewForm
from tracker.dashboard.start import first_steps
from tracker.dashboard.views import View, build_view, chosen_view
from tracker.database import get_session
from tracker.models import Area, User
from tracker.models.live import live
from tracker.translation import _

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    today = team_today(session)
    cycle = current_cycle(session=session, today=today)
    user = session.get(User, current_user.id)
    assert user is not None
    view = chosen_view(user)
    focus = session.get(Area, cycle.focus_area_id) if cycle.focus_area_id else None
    area_id = user.dashboard_area_id or cycle.focus_area_id
    form = _view_form(session, area_id)
    return render_template(
        "dashboard/index.html",
        cycle=cycle,
        focus=focus,
        phases=[p for p in Phase if p != Phase.closed],
        view=view,
        views=list(View),
        form=form,
        team_model=team_model(session).value,
        start_steps=first_steps(session),
        **build_view(
            view,
            session=session,
            user=user,
            cycle=cycle,
            today=today,
            area_id=area_id,
        ),
    )


@bp.post("/dashboard/view")
def switch() -> ResponseReturnValue:
    """Remember the chosen view (and area) for this person, then show it."""
    session = get_session()
    user = session.get(User, current_user.id)
    assert user is not None
    form = _view_form(session, user.dashboard_area_id)
    if not form.validate_on_submit() or form.chosen() is None:
        flash(_("Choose one of the views: My week, Area or Executive."), "error")
        return redirect(url_for("dashboard.index"))
    user.dashboard_view = (form.chosen() or View.my_week).value
    area_ids = {int(choice.value) for choice in form.area_id.choices}
    if form.area_id.data in area_ids:
        user.dashboard_area_id = form.area_id.data
    session.commit()
    return redirect(url_for("dashboard.index"))


def _view_form(session: Session, area_id: int | None) -> ViewForm:
    form = ViewForm(area_id=area_id)
    areas = session.exec(select(Area).where(live(Area), Area.active).order_by(col(Area.rank))).all()
    form.area_id.choices = [
        SelectChoice(str(a.id), a.name, render_kw={"dir": "auto"}) for a in areas
    ]
    return form
