"""The account page's e-mail settings: which e-mails, and a test digest sent at
once. The account page includes ``mail/account_panel.html``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.database import get_session
from tracker.mail.config import smtp_settings
from tracker.mail.forms import MailPreferenceForm, TestDigestForm
from tracker.mail.people import preference, save_preference

bp = Blueprint("mail", __name__, url_prefix="/account/email")


def account_panel() -> dict[str, Any]:
    """What ``mail/account_panel.html`` needs, for the account page's context."""
    chosen = preference(get_session(), current_user)
    form = MailPreferenceForm(
        formdata=None,
        data={"digest": chosen.digest, "recap": chosen.recap},
    )
    return {
        "mail_form": form,
        "mail_test_form": TestDigestForm(formdata=None),
        "mail_on": smtp_settings(current_app.config) is not None,
    }


@bp.post("/")
def save() -> ResponseReturnValue:
    form = MailPreferenceForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    save_preference(
        session,
        current_user,
        digest=bool(form.digest.data),
        recap=bool(form.recap.data),
    )
    session.commit()
    flash(_("Your e-mail settings are saved."), "success")
    return redirect(url_for("account.index", _anchor="email"))


@bp.post("/test")
def send_test() -> ResponseReturnValue:
    from tracker.mail.digest import send_test_digest

    if not TestDigestForm().validate_on_submit():
        abort(400)
    problem = send_test_digest(get_session(), current_user)
    if problem is None:
        flash(_("A test digest is on its way to %(email)s.", email=current_user.email), "success")
    else:
        flash(_("The test digest was not sent: %(problem)s", problem=problem), "error")
    return redirect(url_for("account.index", _anchor="email"))
