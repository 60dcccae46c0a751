"""Who gets which e-mail: each person's choice, or the default for their role
(the digest and the recap on for editors and admins, off for viewers), and the
language they read it in (their own, chosen on the account page, else the team's)."""

from __future__ import annotations

from flask import current_app
from sqlmodel import Session, col, select

from tracker.mail.message import Recipient
from tracker.models import Role, User
from tracker.models.notify import MailPreference


def default_on(user: User) -> bool:
    return Role(user.role).allows(Role.editor)


def preference(session: Session, user: User) -> MailPreference:
    """The person's choices, or the defaults for their role (not saved)."""
    found = session.get(MailPreference, user.id)
    if found is not None:
        return found
    return MailPreference(user_id=user.id or 0, digest=default_on(user), recap=default_on(user))


def save_preference(session: Session, user: User, *, digest: bool, recap: bool) -> MailPreference:
    found = session.get(MailPreference, user.id) or MailPreference(user_id=user.id or 0)
    found.digest, found.recap = digest, recap
    session.add(found)
    return found


def recipient(user: User) -> Recipient:
    """The person as an addressee, in the language they chose, else the team's."""
    from tracker.i18n import base_language, team_language
    from tracker.languages import LANGUAGES

    chosen = base_language(user.language)
    language = chosen if chosen in LANGUAGES else team_language(current_app)
    return Recipient(
        user_id=user.id or 0, email=user.email, name=user.display_name, language=language
    )


def subscribers(session: Session, kind: str) -> list[tuple[User, MailPreference | None]]:
    """Active people who want e-mails of ``kind`` ("digest" or "recap"), by name."""
    rows = session.exec(
        select(User, MailPreference)
        .join(MailPreference, col(MailPreference.user_id) == User.id, isouter=True)
        .where(col(User.active).is_(True))
        .order_by(User.display_name, col(User.id))
    ).all()
    return [
        (user, chosen)
        for user, chosen in rows
        if (getattr(chosen, kind) if chosen is not None else default_on(user))
    ]
