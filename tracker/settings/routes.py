"""The team's settings (admins only): the priority model and the time zone."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import role_required
from tracker.changelog import record_update, snapshot
from tracker.cycles.service import team_settings
from tracker.database import get_session
from tracker.models import PriorityModel, Role
from tracker.settings.forms import (
    HEALTH_TARGETS,
    PRIORITY_MODELS,
    SHARE_TARGETS,
    SettingsForm,
    available_timezones,
)

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
            "currency": settings.currency,
            **{name: _shown(name, getattr(settings, name)) for name in HEALTH_TARGETS},
        }
    )
    if form.validate_on_submit():
        before = snapshot(settings, ("priority_model", "timezone", "currency", *HEALTH_TARGETS))
        settings.priority_model = PriorityModel(form.priority_model.data)
        settings.timezone = (form.timezone.data or "").strip()
        settings.currency = (form.currency.data or "").strip().upper()
        for name in HEALTH_TARGETS:
            value = form[name].data
            setattr(
                settings,
                name,
                value / 100 if value is not None and name in SHARE_TARGETS else value,
            )
        changed = record_update(session, settings, before, user_id=current_user.id)
        session.commit()
        flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("settings.index"))
    return render_template(
        "settings/index.html",
        form=form,
        models=PRIORITY_MODELS,
        zones=sorted(available_timezones()),
        common_zones=COMMON_ZONES,
    ), (422 if form.errors else 200)


def _shown(name: str, value: float | None) -> float | None:
    """A stored target as the form shows it: shares in percent."""
    if value is None or name not in SHARE_TARGETS:
        return value
    return round(value * 100, 2)
