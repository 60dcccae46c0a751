"""``tracker cycle``: open and close the weekly cycle from the command line
(for a scheduled job, say, that closes each week on Sunday night)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


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
    click.echo(f"{cycle.iso_week} is open, in the {cycle.phase.value} phase.")


@cycle_group.command("close")
@with_appcontext
def close_command() -> None:
    """Close the open cycle, open the next and carry unfinished action items."""
    from tracker.cycles.service import close_cycle, open_cycle, team_today
    from tracker.database import get_session

    session = get_session()
    today = team_today(session)
    cycle = open_cycle(session=session, today=today)
    session.commit()
    result = close_cycle(session=session, cycle_id=cycle.id or 0, today=today, user_id=None)
    session.commit()
    if result is None:
        click.echo(f"{cycle.iso_week} was already closed.")
        return
    click.echo(
        f"Closed {result.closed}; {result.current} is open; "
        f"{result.carried} action item(s) carried."
    )
