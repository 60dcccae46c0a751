"""The recap after a meeting: when a cycle closes, its attendees who want it
receive what was decided, learned and planned, with owners.

The close only queues the recap (``recap_after_commit``); it is sent after the
close commits, by the background worker, so a slow mail server never holds the
transaction and a close that rolls back sends nothing. A record per person and
cycle makes a second run send nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tracker.cycles.history import CycleRecord, cycle_record
from tracker.mail.config import smtp_settings
from tracker.mail.message import compose
from tracker.mail.people import recipient, subscribers
from tracker.mail.sender import MailError, connection, send_one
from tracker.models import ActionItem, Cycle, User
from tracker.models.notify import MailPreference, MailSent

log = logging.getLogger(__name__)
KIND = "recap"
RECAP_KEY = "mail.recap.{cycle_id}"


@dataclass
class Recap:
    record: CycleRecord
    carried: list[tuple[ActionItem, str]]


def recap_after_commit(session: Session, *, cycle_id: int) -> None:
    """Queue the recap of ``cycle_id`` to be sent once this transaction commits."""
    from flask import has_app_context

    from tracker.background import after_commit

    if has_app_context() and smtp_settings(current_app.config) is not None:
        after_commit(
            session, partial(_send_later, cycle_id), key=RECAP_KEY.format(cycle_id=cycle_id)
        )


def attendees_of(
    cycle: Cycle, people: list[tuple[User, MailPreference | None]]
) -> list[tuple[User, MailPreference | None]]:
    """The people named in the cycle's attendees (by display name or e-mail)."""
    named = {part.strip().lower() for part in re.split(r"[,;\n]", cycle.attendees) if part.strip()}
    return [
        (user, chosen)
        for user, chosen in people
        if user.display_name.strip().lower() in named or user.email.lower() in named
    ]


def gather(session: Session, cycle: Cycle) -> Recap:
    record = cycle_record(session=session, cycle=cycle)
    following = session.exec(
        select(Cycle.id)
        .where(col(Cycle.starts_on) > cycle.starts_on)
        .order_by(col(Cycle.starts_on))
    ).first()
    carried = session.exec(
        select(ActionItem, User.display_name)
        .join(User, col(User.id) == ActionItem.owner_id, isouter=True)
        .where(
            ActionItem.cycle_id == following,
            col(ActionItem.carried_count) > 0,
            ActionItem.first_cycle_id != following,
        )
        .order_by(col(ActionItem.carried_count).desc(), col(ActionItem.id))
    ).all()
    return Recap(record=record, carried=[(item, name or "") for item, name in carried])


def _send_later(cycle_id: int) -> None:
    send_recap(cycle_id)


def send_recap(cycle_id: int) -> list[tuple[str, str]]:
    """Send the recap to every attendee who wants it; returns the failures."""
    from tracker.database import get_engine

    settings = smtp_settings(current_app.config)
    failures: list[tuple[str, str]] = []
    if settings is None:
        return failures
    with Session(get_engine(), expire_on_commit=False) as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            return failures
        people = attendees_of(cycle, subscribers(session, KIND))
        if not people:
            return failures
        recap = gather(session, cycle)
        try:
            with connection(settings) as server:
                for user, _chosen in people:
                    try:
                        session.add(
                            MailSent(kind=KIND, period=cycle.iso_week, user_id=user.id or 0)
                        )
                        session.commit()
                    except IntegrityError:
                        session.rollback()
                        continue
                    to = recipient(user)
                    from flask_babel import force_locale

                    with force_locale(to.locale):
                        subject = _("Recap of the %(week)s review", week=cycle.iso_week)
                    message = compose(
                        recipient=to,
                        sender=settings.sender,
                        subject=subject,
                        template="recap",
                        recap=recap,
                    )
                    problem = send_one(server, message)
                    if problem is not None:
                        failures.append((user.email, problem))
        except MailError as exc:
            failures.append(("*", str(exc)))
    for email, problem in failures:
        log.warning("The recap of cycle %s was not sent to %s: %s", cycle_id, email, problem)
    return failures
