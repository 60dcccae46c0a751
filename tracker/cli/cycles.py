"""``tracker cycle``: open and close the weekly cycle from the command line
(for a scheduled job, say, that closes each week on Sunday night)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.translation import _, ngettext


@click.group("cycle", help="Open, inspect and close the weekly cycle.")
def cycle_group() -> None:
    pass


@cycle_group.command("open")
@with_appcontext
def open_command() -> None:
    """Make sure the current cycle exists, and show it."""
    from tracker.cycles.service import open_cycle, team_today
    from tracker.database import get_session

    session = get_session()
    cycle = open_cycle(session=session, today=team_today(session))
    session.commit()
    from tracker.cycles.words import phase_label

    click.echo(
        _(
            "%(week)s is open, in the %(phase)s phase.",
            week=cycle.iso_week,
            phase=phase_label(cycle.phase.value).lower(),
        )
    )


@cycle_group.command("close")
@click.option(
    "--week",
    metavar="YYYY-Www",
    help="The ISO week to close (2026-W48); the open cycle's week when left out. "
    "A week that is not open any more is left alone.",
)
@with_appcontext
def close_command(week: str | None) -> None:
    """Close a week's cycle, open the next and carry unfinished action items."""
    from tracker.cycles.service import close_week, open_cycle, team_today
    from tracker.database import get_session
    from tracker.rules import RuleError

    session = get_session()
    today = team_today(session)
    if week is None:
        week = open_cycle(session=session, today=today).iso_week
        session.commit()
    click.echo(_("Closing %(week)s…", week=week))
    try:
        result = close_week(session=session, iso_week=week, today=today, user_id=None)
        session.commit()
    except RuleError as error:
        session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(
        ngettext(
            "Closed %(closed)s; %(current)s is open; %(num)d action item carried.",
            "Closed %(closed)s; %(current)s is open; %(num)d action items carried.",
            result.carried,
            closed=result.closed,
            current=result.current,
        )
    )
