"""The two reports a share link can show, each in ONE function, so that the
report behind a link can be re-pointed in one place (the retrospective's
renderer and the executive dashboard are being rebuilt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from tracker.models.live import live


@dataclass(frozen=True)
class SharedPdf:
    data: bytes
    file_name: str


def retrospective_pdf(session: Session, range_text: str) -> SharedPdf:
    """The retrospective PDF of ``range_text``, as the Reports page makes it
    (the Typst renderer, within the web's time and size limits). Raises the
    report's RangeError, RenderTimeout or ReportTooLarge."""
    from tracker.i18n import current_direction, current_language
    from tracker.reports import render as rendering
    from tracker.reports.service import file_name, read_range
    from tracker.translation import team_name

    span = read_range(session, range_text)
    made = rendering.render(
        session=session,
        report_range=span,
        output="pdf",
        paper="a4",
        # the reader's language: their browser's, else the team's
        language=current_language(),
        direction=current_direction(),
        team=team_name(),
        time_limit=rendering.WEB_TIME_LIMIT,
    )
    return SharedPdf(data=made.pdf, file_name=file_name(span))


def dashboard_context(session: Session) -> dict[str, Any]:
    """What the shared dashboard shows: the week, its focus, the experiments
    that need attention first with their verdicts (and how many more), and
    each metric's latest value by stage. Reads only: a cycle it has to open for
    the week is never committed."""
    from experiments.cycles import IsoWeek
    from tracker.cycles.agenda import experiment_attention, metric_groups
    from tracker.cycles.service import open_cycle, team_today
    from tracker.dashboard.health import loop_health
    from tracker.models import Area, User

    today = team_today(session)
    cycle = open_cycle(session=session, today=today)
    areas = {a.id: a for a in session.exec(select(Area).where(live(Area)))}
    names = dict(session.exec(select(User.id, User.display_name)).all())
    # the most urgent few, as on the dashboard; the rest are counted
    attention = experiment_attention(session=session, today=today, names=names)
    return {
        "cycle": cycle,
        "focus": areas.get(cycle.focus_area_id),
        "needing": attention.needing,
        "running": attention.running,
        "more_needing": attention.more_needing,
        "more_running": attention.more_running,
        "stages": metric_groups(session=session, area_by_id=dict(areas)),
        "health": loop_health(session=session, current_week=IsoWeek.parse(cycle.iso_week)),
    }
