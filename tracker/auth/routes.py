"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.auth.forms import SignInForm, SignOutForm
from tracker.database import get_session
from tracker.i18n import N_, format_number
from tracker.models import normalise_email
from tracker.security import throttle
from tracker.security.credentials import authenticate
from tracker.security.login import sign_in_browser, sign_out_browser

bp = Blueprint("auth", __name__)


WRONG_CREDENTIALS = N_("That e-mail and password do not match an active account.")


def throttled_message(minutes: int) -> str:
    return str(
        ngettext(
            "Too many failed sign-ins to this account from your network: try again in "
            "%(count)s minute, or ask an admin to unlock it.",
            "Too many failed sign-ins to this account from your network: try again in "
            "%(count)s minutes, or ask an admin to unlock it.",
            minutes,
            count=format_number(minutes),
        )
    )


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
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form)
    email = normalise_email(form.email.data or "")
    address = request.remote_addr or "unknown"
    wait = throttle.blocked_for(email, address)
    if wait is not None:
        form.form_errors.append(throttled_message(wait))
        return render_template("auth/sign_in.html", form=form), 429
    user = authenticate(get_session(), email=email, password=form.password.data or "")
    if user is None:
        throttle.record_failure(email, address)
        form.form_errors.append(_(WRONG_CREDENTIALS))
        return render_template("auth/sign_in.html", form=form), 401
    sign_in_browser(user, remember=bool(form.remember.data))
    get_session().commit()
    if user.password_is_temporary:
        flash(_("Welcome! Choose a password of your own to finish setting up."), "info")
        return redirect(url_for("account.index"))
    return redirect(_safe_next() or url_for("dashboard.index"))


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    if SignOutForm().validate_on_submit():
        sign_out_browser()
        get_session().commit()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


def _safe_next() -> str | None:
    """The page the visitor was sent away from, if it is on this site."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return None
