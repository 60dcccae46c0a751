"""What the command line and the Reports page share: read the range in the
team's time zone (no longer than a door allows), name the file."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from experiments.cycles import IsoWeek
from tracker.models import TeamSettings
from tracker.reports.problems import N_
from tracker.reports.queries import team_zone
from tracker.reports.ranges import RangeError, ReportRange, current_week, parse_range

# The web page and the API make a report of at most half a year; the command
# line, run by whoever runs the server, may ask for more.
WEB_MAX_WEEKS = 27


def this_week(session: Session, *, now: datetime | None = None) -> IsoWeek:
    """The current ISO week in the team's time zone (TeamSettings.timezone)."""
    settings = session.get(TeamSettings, 1)
    return current_week(str(team_zone(settings).key), now=now)


def read_range(
    session: Session,
    text: str,
    *,
    now: datetime | None = None,
    max_weeks: int | None = WEB_MAX_WEEKS,
) -> ReportRange:
    """``text`` as a range stopped at the current week; RangeError when unreadable
    or longer than ``max_weeks`` cycles (None: no bound)."""
    span = parse_range(text, today=this_week(session, now=now))
    weeks = (span.last.monday - span.first.monday).days // 7 + 1  # without listing them
    if max_weeks is not None and weeks > max_weeks:
        raise RangeError(
            N_(
                "%(range)s covers %(weeks)s cycles; a report covers at most %(most)s "
                "(half a year). Choose a shorter range, or use `tracker retro` for more."
            ),
            range=span.label,
            weeks=weeks,
            most=max_weeks,
        )
    return span


def file_name(span: ReportRange) -> str:
    """revloop-retro-2026-Q4.pdf"""
    return f"revloop-retro-{span.slug}.pdf"
