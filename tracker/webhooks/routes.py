"""Settings → Webhooks (admins): register endpoints, see each one's recent
deliveries, send one again, delete an endpoint."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.access import role_required
from tracker.database import get_session
from tracker.models import Role
from tracker.models.notify import WebhookDelivery
from tracker.webhooks import service
from tracker.webhooks.forms import EVENT_TEXT, ConfirmForm, EndpointForm

bp = Blueprint("webhooks", __name__, url_prefix="/settings/webhooks")


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.admin)
def index() -> ResponseReturnValue:
    session = get_session()
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            service.create_endpoint(
                session,
                url=form.url.data or "",
                events=form.events.data or [],
                secret=form.secret.data or "",
                format=form.format.data or "",
                user_id=current_user.id,
                allow_private=bool(current_app.config["WEBHOOK_ALLOW_PRIVATE"]),
            )
        except service.WebhookError as exc:
            for name, message in exc.fields.items():
                getattr(form, name).errors = [message]
        else:
            session.commit()
            flash(_("The endpoint is added. Events are signed with its secret."), "success")
            return redirect(url_for(".index"))
    elif not form.is_submitted():
        form.secret.data = EndpointForm.new_secret()
    found = service.endpoints(session)
    return render_template(
        "webhooks/index.html",
        form=form,
        confirm=ConfirmForm(formdata=None),
        endpoints=found,
        deliveries=service.recent_deliveries(session, [e.id for e in found if e.id]),
        event_text=EVENT_TEXT,
    ), (422 if form.errors else 200)


@bp.post("/<int:endpoint_id>/delete")
@role_required(Role.admin)
def delete(endpoint_id: int) -> ResponseReturnValue:
    session = get_session()
    endpoint = service.get_endpoint(session, endpoint_id)
    if endpoint is None or not ConfirmForm().validate_on_submit():
        abort(404 if endpoint is None else 400)
    service.delete_endpoint(session, endpoint)
    session.commit()
    flash(
        _("The endpoint %(url)s is deleted; nothing more is sent to it.", url=endpoint.url),
        "success",
    )
    return redirect(url_for(".index"))


@bp.post("/deliveries/<int:delivery_pk>/resend")
@role_required(Role.admin)
def resend(delivery_pk: int) -> ResponseReturnValue:
    session = get_session()
    delivery = session.get(WebhookDelivery, delivery_pk)
    if delivery is None or service.get_endpoint(session, delivery.endpoint_id) is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.resend(session, delivery)
    session.commit()
    flash(
        _("The event is being sent again; the new delivery is at the top of the list."), "success"
    )
    return redirect(url_for(".index", _anchor=f"endpoint-{delivery.endpoint_id}"))
