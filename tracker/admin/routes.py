"""The admin's users page: list, invite, change role, deactivate, reset a password,
sign someone out everywhere, unlock their sign-in."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, func, select

from tracker.access import role_required
from tracker.admin.forms import ROLE_NAMES, InviteForm, UserActionForm
from tracker.database import get_session
from tracker.i18n import bdi, html
from tracker.models import Role, User, normalise_email
from tracker.security import throttle
from tracker.security.login import sign_out_everywhere

bp = Blueprint("admin", __name__, url_prefix="/admin")


def one_time_password() -> str:
    """A password to hand over once; the user replaces it at first sign-in."""
    return secrets.token_urlsafe(12)


@bp.get("/users")
@role_required(Role.admin)
def users() -> ResponseReturnValue:
    return _users_page(InviteForm())


def _users_page(invite: InviteForm, status: int = 200) -> ResponseReturnValue:
    people = (
        get_session()
        .exec(select(User).order_by(col(User.active).desc(), col(User.display_name)))
        .all()
    )
    return render_template(
        "admin/users.html", people=people, invite=invite, row_form=UserActionForm, roles=list(Role)
    ), status


@bp.post("/users")
@role_required(Role.admin)
def invite() -> ResponseReturnValue:
    form = InviteForm()
    if not form.validate_on_submit():
        return _users_page(form, 422)
    password = one_time_password()
    user = User(
        email=normalise_email(form.email.data or ""),
        display_name=(form.display_name.data or "").strip(),
        role=Role(form.role.data),
        password_hash="",
    )
    user.set_password(password, temporary=True)
    session = get_session()
    session.add(user)
    session.commit()
    # The password is shown in this response and nowhere else, so it is
    # rendered here rather than carried through a redirect in the cookie.
    return render_template(
        "admin/one_time_password.html", user=user, password=password, invited=True
    )


@bp.post("/users/<int:user_id>")
@role_required(Role.admin)
def update(user_id: int) -> ResponseReturnValue:
    session = get_session()
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserActionForm()
    if not form.validate_on_submit():
        flash(_("That change could not be made: reload the page and try again."), "error")
        return redirect(url_for("admin.users"))
    if form.reset_password.data:
        password = one_time_password()
        user.set_password(password, temporary=True)
        sign_out_everywhere(user_id)
        throttle.unlock(user.email)
        session.commit()
        return render_template(
            "admin/one_time_password.html", user=user, password=password, invited=False
        )
    if form.change_role.data:
        if form.role.data not in {role.value for role in Role}:
            flash(_("Choose viewer, editor or admin."), "error")
            return redirect(url_for("admin.users"))
        new_role = Role(form.role.data)
        if user.role == Role.admin and new_role != Role.admin and _last_admin(user):
            flash(
                _("Revloop needs at least one active admin: make someone else admin first."),
                "error",
            )
        else:
            user.role = new_role
            flash(
                html(
                    _("%(name)s is now %(role)s."),
                    name=bdi(user.display_name),
                    role=ROLE_NAMES[new_role],
                ),
                "success",
            )
    elif form.deactivate.data:
        if user.id == current_user.id:
            flash(_("You cannot deactivate your own account."), "error")
        elif user.role == Role.admin and _last_admin(user):
            flash(_("Revloop needs at least one active admin."), "error")
        else:
            user.active = False
            sign_out_everywhere(user_id)
            flash(
                html(_("%(name)s can no longer sign in."), name=bdi(user.display_name)), "success"
            )
    elif form.sign_out_everywhere.data:
        sign_out_everywhere(user_id)
        if user_id == current_user.id:
            session.commit()
            return redirect(url_for("auth.sign_in"))
        flash(
            html(_("%(name)s is signed out on every browser."), name=bdi(user.display_name)),
            "success",
        )
    elif form.unlock.data:
        throttle.unlock(user.email)
        flash(
            html(
                _("%(name)s may try to sign in again from anywhere."), name=bdi(user.display_name)
            ),
            "success",
        )
    elif form.reactivate.data:
        user.active = True
        flash(html(_("%(name)s can sign in again."), name=bdi(user.display_name)), "success")
    session.commit()
    return redirect(url_for("admin.users"))


def _last_admin(user: User) -> bool:
    others = (
        get_session()
        .exec(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.admin, User.active, User.id != user.id)
        )
        .one()
    )
    return others == 0
