"""Signing in and out."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from sqlmodel import select

from tracker.auth.forms import SignInForm, SignOutForm
from tracker.database import get_session
from tracker.models import User, normalise_email
from tracker.models.types import utcnow

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "That e-mail and password do not match an active account."


# The addresses people type or other tools link to: each leads to the one page.
SIGN_IN_ALIASES = ("/login", "/signin", "/log-in", "/auth/login", "/user/login")


def sign_in_alias() -> ResponseReturnValue:
    """Any common sign-in address leads to /sign-in, keeping where to go next."""
    target = request.args.get("next", "")
    return redirect(url_for("auth.sign_in", next=target) if target else url_for("auth.sign_in"))


for _path in SIGN_IN_ALIASES:
    bp.add_url_rule(_path, "sign_in_alias", sign_in_alias, methods=["GET"])


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = SignInForm()
    if form.validate_on_submit():
        session = get_session()
        user = session.exec(
            select(User).where(User.email == normalise_email(form.email.data or ""))
        ).first()
        now = utcnow()
        locked = user.locked_for(now) if user else None
        if user is not None and locked is not None:
            minutes = max(1, math.ceil(locked.total_seconds() / 60))
            form.form_errors.append(
                f"This account is locked for {minutes} more minute{'s' if minutes != 1 else ''} "
                "after ten failed sign-ins. Wait, or ask an admin to reset your password."
            )
        elif user is None or not user.active or not user.check_password(form.password.data or ""):
            if user is not None and user.active:
                user.record_failed_sign_in(now)
                session.commit()
            form.form_errors.append(WRONG_CREDENTIALS)
        else:
            user.record_sign_in()
            session.commit()
            login_user(user, remember=bool(form.remember.data))
            if user.password_is_temporary:
                flash("Welcome! Choose a password of your own to finish setting up.", "info")
                return redirect(url_for("account.index"))
            return redirect(_safe_next() or url_for("dashboard.index"))
    status = 401 if form.form_errors else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    if SignOutForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))


def _safe_next() -> str | None:
    """The page the visitor was sent away from, if it is on this site."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return None
