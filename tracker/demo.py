"""The demo instance: a demo admin now, and the demo data each feature adds.

Loading twice leaves one copy: every step finds what it made last time
before it makes anything.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from tracker.models import Role, User


@dataclass(frozen=True)
class DemoResult:
    admin_password: str
    summary: str


def load_demo(engine: Engine, *, admin_email: str, admin_password: str | None) -> DemoResult:
    password = admin_password or secrets.token_urlsafe(9)
    with Session(engine) as session:
        ensure_demo_admin(session, admin_email, password)
        session.commit()
        people = len(session.exec(select(User.id)).all())
    return DemoResult(admin_password=password, summary=f"{people} user(s)")


def ensure_demo_admin(session: Session, email: str, password: str) -> User:
    """The demo admin, created or given the new password, always active."""
    admin = session.exec(select(User).where(User.email == email)).first()
    if admin is None:
        admin = User(email=email, display_name="Demo Admin", role=Role.admin, password_hash="")
        session.add(admin)
    admin.role = Role.admin
    admin.active = True
    admin.set_password(password)
    admin.record_sign_in()
    return admin
