"""A user's own account: display name and password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.account.forms import PasswordForm, ProfileForm
from tracker.database import get_session

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    profile = ProfileForm(prefix="profile", obj=current_user)
    password = PasswordForm(prefix="password")
    if profile.save_profile.data and profile.validate_on_submit():
        current_user.display_name = (profile.display_name.data or "").strip()
        get_session().commit()
        flash("Your display name is saved.", "success")
        return redirect(url_for("account.index"))
    if password.save_password.data and password.validate_on_submit():
        current_user.set_password(password.new_password.data or "")
        get_session().commit()
        flash("Your password is changed.", "success")
        return redirect(url_for("account.index"))
    failed = profile.errors or password.errors
    return render_template("account/index.html", profile=profile, password=password), (
        422 if failed else 200
    )
