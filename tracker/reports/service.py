"""What the command line and the Reports page share: read the range in the
team's time zone, gather the report, name the file."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from experiments.cycles import IsoWeek
from tracker.models import TeamSettings
from tracker.reports.data import Retro, gather, team_zone
from tracker.reports.ranges import ReportRange, current_week, parse_range


def this_week(session: Session, *, now: datetime | None = None) -> IsoWeek:
    """The current ISO week in the team's time zone (TeamSettings.timezone)."""
    settings = session.get(TeamSettings, 1)
    return current_week(str(team_zone(settings).key), now=now)


def read_range(session: Session, text: str, *, now: datetime | None = None) -> ReportRange:
    """``text`` as a range stopped at the current week; RangeError when unreadable."""
    return parse_range(text, today=this_week(session, now=now))


def build_retro(session: Session, span: ReportRange, *, team: str) -> Retro:
    return gather(session, span, team=team)


def file_name(span: ReportRange) -> str:
    """revloop-retro-2026-Q4.pdf"""
    return f"revloop-retro-{span.slug}.pdf"
