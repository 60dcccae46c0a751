"""The team's settings (admins only): the priority model and the time zone."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.access import role_required
from tracker.changelog import record_update, snapshot
from tracker.cycles.service import team_settings
from tracker.database import get_session
from tracker.models import PriorityModel, Role
from tracker.settings.forms import PRIORITY_MODELS, SettingsForm, available_timezones

bp = Blueprint("settings", __name__, url_prefix="/settings")

COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Africa/Cairo",
)


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.admin)
def index() -> ResponseReturnValue:
    session = get_session()
    settings = team_settings(session)
    form = SettingsForm(
        data={
            "priority_model": PriorityModel(settings.priority_model).value,
            "timezone": settings.timezone,
        }
    )
    if form.validate_on_submit():
        before = snapshot(settings, ("priority_model", "timezone"))
        settings.priority_model = PriorityModel(form.priority_model.data)
        settings.timezone = (form.timezone.data or "").strip()
        changed = record_update(session, settings, before, user_id=current_user.id)
        session.commit()
        flash("Settings saved." if changed else "Nothing changed.", "success")
        return redirect(url_for("settings.index"))
    return render_template(
        "settings/index.html",
        form=form,
        models=PRIORITY_MODELS,
        zones=sorted(available_timezones()),
        common_zones=COMMON_ZONES,
    ), (422 if form.errors else 200)
