"""Share links: the list in Settings where editors and admins make and revoke
them, and ``/shared/<token>``, which opens without signing in (it is listed in
``tracker.access.PUBLIC_ENDPOINTS``) and shows that one report, nothing else."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session

from tracker.access import role_required
from tracker.database import get_session
from tracker.models import Role
from tracker.models.notify import ShareLink
from tracker.share import service
from tracker.share.forms import RevokeForm, ShareLinkForm
from tracker.share.reports import dashboard_context, retrospective_pdf

bp = Blueprint("share", __name__)


@bp.route("/settings/share-links/", methods=["GET", "POST"])
@role_required(Role.editor)
def links() -> ResponseReturnValue:
    session = get_session()
    form = ShareLinkForm()
    made = None
    if form.validate_on_submit():
        try:
            made = service.create_link(
                session,
                kind=form.kind.data or "",
                range_text=form.range_text.data or "",
                days=form.days.data,
                label=form.label.data or "",
                user_id=current_user.id,
            )
        except service.ShareError as exc:
            for name, message in exc.fields.items():
                getattr(form, name).errors = [message]
        else:
            session.commit()
            form = ShareLinkForm(formdata=None)
    # the new link is shown in the answer to the POST itself, never stored
    return render_template(
        "share/links.html",
        form=form,
        revoke_form=RevokeForm(formdata=None),
        links=service.all_links(session),
        made=made,
        made_url=url_for(".view", token=made.token, _external=True) if made else None,
        kinds=service.KINDS,
        state=service.state,
    ), (422 if form.errors else 200)


@bp.post("/settings/share-links/<int:link_id>/revoke")
@role_required(Role.editor)
def revoke(link_id: int) -> ResponseReturnValue:
    session = get_session()
    link = session.get(ShareLink, link_id)
    if link is None:
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    service.revoke(session, link)
    session.commit()
    flash(_("The link is revoked: it no longer opens."), "success")
    return redirect(url_for(".links"))


@bp.get("/shared/<token>")
def view(token: str) -> ResponseReturnValue:
    """The one public page: the report behind a valid link, or a plain 404."""
    session = get_session()
    link = service.find_link(session, token)
    if link is None:
        return _private(Response(render_template("share/gone.html"), status=404))
    service.record_use(session, link)
    session.commit()
    if link.kind == "retro":
        return _retrospective(session, link)
    page = render_template(
        "share/dashboard.html", link=link, sentence=_sentence, **dashboard_context(session)
    )
    return _private(Response(page))


def _retrospective(session: Session, link: ShareLink) -> Response:
    """The PDF, or a page that says why it cannot be made: a range that no longer
    reads or holds more than a report can (422), a render past its time limit (503)."""
    from tracker.reports.ranges import RangeError
    from tracker.reports.render import RenderTimeout, ReportTooLarge

    try:
        pdf = retrospective_pdf(session, link.range_text)
    except (RangeError, ReportTooLarge) as exc:
        why = exc.said(_)
        return _cannot(_("The report behind this link cannot be made."), why, 422, link)
    except RenderTimeout as exc:
        response = _cannot(_("The report took too long to make."), exc.said(_), 503, link)
        response.headers["Retry-After"] = "60"
        return response
    response = send_file(
        BytesIO(pdf.data),
        mimetype="application/pdf",
        as_attachment=False,
        download_name=pdf.file_name,
        max_age=0,
    )
    return _private(response)


def _cannot(headline: str, detail: str, status: int, link: ShareLink) -> Response:
    page = render_template(
        "share/gone.html", headline=headline, problem=detail, status=status, link=link
    )
    return _private(Response(page, status=status))


def _sentence(shown: Any) -> str:
    """An experiment's verdict sentence in the reader's language."""
    return str(shown.sentence(_))


def _private(response: Response) -> Response:
    # the token is in the address: keep it out of caches, referrers and search engines
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
