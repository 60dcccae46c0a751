"""Share links: made by editors and admins for one report, valid for a chosen
number of days (at most 90), revocable, counted at each use. Only a hash of
the token is stored; the link itself is shown once, when it is made."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, select

from tracker.models.notify import ShareLink
from tracker.models.types import utcnow

KINDS = {"retro": _l("Retrospective"), "dashboard": _l("Executive dashboard")}
MAX_DAYS = 90
TOKEN_BYTES = 32


class ShareError(ValueError):
    """Fields that are not valid, each with its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(fields.values()))
        self.fields = fields


@dataclass(frozen=True)
class MadeLink:
    link: ShareLink
    token: str


def token_hash(token: str) -> str:
    # tokens are long and random: a fast hash is enough, as for API tokens
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_link(
    session: Session,
    *,
    kind: str,
    range_text: str,
    days: int | None,
    label: str,
    user_id: int | None,
    now: datetime | None = None,
) -> MadeLink:
    """Check the fields and add the link; ShareError names each wrong one."""
    from tracker.reports.ranges import RangeError
    from tracker.reports.service import read_range

    fields: dict[str, str] = {}
    if kind not in KINDS:
        fields["kind"] = _("Choose the retrospective or the executive dashboard.")
    if days is None or not 1 <= days <= MAX_DAYS:
        fields["days"] = _("A link is valid for 1 to %(most)d days.", most=MAX_DAYS)
    range_text = range_text.strip()
    if kind == "retro":
        # kept as typed: a quarter's link shows the weeks so far, then the whole quarter
        try:
            read_range(session, range_text)
        except RangeError as exc:
            fields["range_text"] = exc.said(_)
        if len(range_text) > 40:
            fields["range_text"] = _(
                "Write the range shorter, e.g. %(quarter)s or %(weeks)s.",
                quarter="2026-Q4",
                weeks="2026-W40..2026-W48",
            )
    else:
        range_text = ""
    if len(label.strip()) > 120:
        fields["label"] = _("Keep the label to 120 characters.")
    if fields:
        raise ShareError(fields)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moment = now or utcnow()
    link = ShareLink(
        kind=kind,
        range_text=range_text,
        label=label.strip(),
        token_hash=token_hash(token),
        created_by_id=user_id,
        created_at=moment,
        expires_at=moment + timedelta(days=days or 0),
    )
    session.add(link)
    session.flush()
    return MadeLink(link=link, token=token)


def find_link(session: Session, token: str, *, now: datetime | None = None) -> ShareLink | None:
    """The link ``token`` opens, if it has not expired or been revoked."""
    if not token or len(token) > 100:
        return None
    link = session.exec(select(ShareLink).where(ShareLink.token_hash == token_hash(token))).first()
    moment = now or utcnow()
    if link is None or link.revoked_at is not None or link.expires_at <= moment:
        return None
    return link


def record_use(session: Session, link: ShareLink, *, now: datetime | None = None) -> None:
    """Count one opening, in the database, so two at once both count."""
    session.execute(
        update(ShareLink)
        .where(col(ShareLink.id) == link.id)
        .values(uses=ShareLink.uses + 1, last_used_at=now or utcnow())
    )


def revoke(session: Session, link: ShareLink, *, now: datetime | None = None) -> None:
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        session.add(link)


def all_links(session: Session) -> list[ShareLink]:
    """Every link, newest first (revoked and expired ones too, marked so)."""
    return list(session.exec(select(ShareLink).order_by(col(ShareLink.id).desc()).limit(200)).all())


def state(link: ShareLink, *, now: datetime | None = None) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if link.expires_at <= (now or utcnow()) else "active"
