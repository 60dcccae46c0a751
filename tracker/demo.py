"""The demo instance: a demo admin, a team, and a realistic RevOps quarter.

Loading twice leaves one copy: every step finds what it made last time
before it makes anything. The data comes from a fixed seed and is dated
relative to today, so it always looks current.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from tracker.defaults import by_default_name
from tracker.models import (
    ActionItem,
    Area,
    Cycle,
    Experiment,
    Hypothesis,
    Metric,
    Process,
    Role,
    User,
)
from tracker.translation import listed, ngettext

SEED = 20261126


@dataclass(frozen=True)
class DemoResult:
    admin_password: str
    summary: str


def load_demo(engine: Engine, *, admin_email: str, admin_password: str | None) -> DemoResult:
    from tracker.cycles.service import team_today

    password = admin_password or secrets.token_urlsafe(12)
    with Session(engine) as session:
        admin = ensure_demo_admin(session, admin_email, password)
        session.flush()
        load_demo_data(session, admin=admin, today=team_today(session))
        session.commit()
        summary = describe(session)
    return DemoResult(admin_password=password, summary=summary)


def load_demo_data(session: Session, *, admin: User, today: date) -> None:
    from tracker.demo_data.backlog import load_backlog
    from tracker.demo_data.cycles import load_cycles
    from tracker.demo_data.experiments import load_experiments
    from tracker.demo_data.metrics import load_metrics
    from tracker.demo_data.team import load_team

    rng = random.Random(SEED)
    team = load_team(session, password_seed=secrets.token_hex(16))
    metrics = load_metrics(session, rng=rng, today=today, entered_by_id=admin.id)
    areas = by_default_name(session.exec(select(Area)).all())
    processes = by_default_name(session.exec(select(Process)).all())
    people = [*team[:3], admin]
    load_backlog(session, rng=rng, metrics=metrics, areas=areas, processes=processes, users=people)
    experiments = load_experiments(session, rng=rng, today=today, metrics=metrics, users=people)
    load_cycles(session, rng=rng, today=today, users=people, experiments=experiments)
    from tracker.demo_data.forecasts import load_forecasts_and_targets

    load_forecasts_and_targets(session)


def describe(session: Session) -> str:
    def count(model: type) -> int:
        return int(session.exec(select(func.count()).select_from(model)).one())

    counts = [
        ngettext("%(num)d metric", "%(num)d metrics", count(Metric)),
        ngettext("%(num)d hypothesis", "%(num)d hypotheses", count(Hypothesis)),
        ngettext("%(num)d experiment", "%(num)d experiments", count(Experiment)),
        ngettext("%(num)d cycle", "%(num)d cycles", count(Cycle)),
        ngettext("%(num)d action item", "%(num)d action items", count(ActionItem)),
        ngettext("%(num)d person", "%(num)d people", count(User)),
    ]
    return listed(counts)


def ensure_demo_admin(session: Session, email: str, password: str) -> User:
    """The demo admin, created or given the new password, always active."""
    admin = session.exec(select(User).where(User.email == email)).first()
    if admin is None:
        admin = User(email=email, display_name="Demo Admin", role=Role.admin, password_hash="")
        session.add(admin)
    admin.role = Role.admin
    admin.active = True
    admin.set_password(password)
    return admin
