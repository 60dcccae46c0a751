"""A user's own account: display name, language, password and API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from tracker.account.forms import (
    LanguageForm,
    PasswordForm,
    ProfileForm,
    RevokeTokenForm,
    SignOutEverywhereForm,
    TokenForm,
)
from tracker.database import get_session
from tracker.security.login import restart_sign_in, sign_out_everywhere

bp = Blueprint("account", __name__, url_prefix="/account")

# A new token is shown in the answer to the POST itself rather than after a
# redirect: carrying it to the next page would put it in the session cookie,
# which is signed but readable. Only its hash is ever stored.


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    from tracker.mail.routes import account_panel
    from tracker.tokens.service import TokenError, create_token, tokens_of

    profile = ProfileForm(prefix="profile", obj=current_user)
    language = LanguageForm(prefix="language", obj=current_user)
    password = PasswordForm(prefix="password")
    token_form = TokenForm(prefix="token")
    if profile.save_profile.data and profile.validate_on_submit():
        current_user.display_name = (profile.display_name.data or "").strip()
        get_session().commit()
        flash(_("Your display name is saved."), "success")
        return redirect(url_for("account.index"))
    if language.save_language.data and language.validate_on_submit():
        current_user.language = language.language.data or ""
        get_session().commit()
        with force_locale(_language_of(current_user.language)):
            flash(
                _("Revloop now speaks your language to you, on its pages and in its e-mails."),
                "success",
            )
        return redirect(url_for("account.index", _anchor="language"))
    if password.save_password.data and password.validate_on_submit():
        current_user.set_password(password.new_password.data or "")
        restart_sign_in(current_user)
        get_session().commit()
        flash(_("Your password is changed, and you are signed out everywhere else."), "success")
        return redirect(url_for("account.index"))
    new_token = None
    if token_form.create_token.data and token_form.validate_on_submit():
        try:
            new_token = create_token(
                get_session(), user=current_user, name=token_form.name.data or ""
            )
        except TokenError as error:
            token_form.name.errors = [*token_form.name.errors, str(error)]
        else:
            get_session().commit()
            token_form = TokenForm(prefix="token", formdata=None)
    failed = profile.errors or language.errors or password.errors or token_form.errors
    return render_template(
        "account/index.html",
        profile=profile,
        language_form=language,
        password=password,
        token_form=token_form,
        revoke_form=RevokeTokenForm(formdata=None),
        everywhere_form=SignOutEverywhereForm(formdata=None),
        tokens=tokens_of(get_session(), current_user.id),
        new_token=new_token,
        **account_panel(),
    ), (422 if failed else 200)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> ResponseReturnValue:
    from tracker.tokens.service import TokenError
    from tracker.tokens.service import revoke_token as revoke

    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    try:
        token = revoke(get_session(), token_id=token_id, user_id=current_user.id)
    except TokenError:
        abort(404)
    get_session().commit()
    flash(
        _("The token “%(name)s” is revoked: scripts using it are refused now.", name=token.name),
        "success",
    )
    return redirect(url_for("account.index") + "#api-tokens")


@bp.post("/sign-out-everywhere", endpoint="sign_out_everywhere")
def sign_out_everywhere_view() -> ResponseReturnValue:
    if not SignOutEverywhereForm().validate_on_submit():
        abort(400)
    sign_out_everywhere(current_user.id)
    get_session().commit()
    flash(_("You are signed out on every browser, this one included."), "info")
    return redirect(url_for("auth.sign_in"))


def _language_of(chosen: str) -> str:
    """The language a choice means: the one chosen, or the team's."""
    from flask import current_app

    from tracker.i18n import team_language

    return chosen or team_language(current_app)
