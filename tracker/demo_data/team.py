"""The demo team: the people who own experiments and action items."""

from __future__ import annotations

from sqlmodel import Session, col, select
from werkzeug.security import generate_password_hash

from tracker.models import Role, User

# e-mail, display name, role: one operations lead per area
TEAM = (
    ("maya@revloop.local", "Maya Chen", Role.editor),  # marketing operations
    ("omar@revloop.local", "Omar Haddad", Role.editor),  # sales operations
    ("lena@revloop.local", "Lena Fischer", Role.editor),  # service operations
    ("sam@revloop.local", "Sam Okafor", Role.viewer),  # the executive who reads
)


def load_team(session: Session, *, password_seed: str) -> list[User]:
    """The demo team, created once. They cannot sign in until an admin resets
    their password: their hash is of a secret nobody was told."""
    emails = [email for email, _, _ in TEAM]
    found = {u.email: u for u in session.exec(select(User).where(col(User.email).in_(emails)))}
    team = []
    for email, name, role in TEAM:
        user = found.get(email)
        if user is None:
            user = User(
                email=email,
                display_name=name,
                role=role,
                password_hash=generate_password_hash(
                    password_seed + email, method="pbkdf2:sha256:1000"
                ),
            )
            session.add(user)
        team.append(user)
    session.flush()
    return team
