"""``tracker db``: move the database schema up or down."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("db", help="Create and migrate the database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Apply the migrations up to REVISION (the latest by default)."""
    from tracker import migrate
    from tracker.database import get_engine

    migrate.upgrade(get_engine(), revision)
    click.echo(f"Database is at {_current()}.")


@db_group.command("downgrade")
@click.argument("revision", default="-1")
@with_appcontext
def downgrade_command(revision: str) -> None:
    """Undo migrations down to REVISION (one step by default; 'base' empties it)."""
    from tracker import migrate
    from tracker.database import get_engine

    migrate.downgrade(get_engine(), revision)
    click.echo(f"Database is at {_current()}.")


@db_group.command("current")
@with_appcontext
def current_command() -> None:
    """Show the database's revision and whether it is up to date."""
    click.echo(_current())


def _current() -> str:
    from tracker.database import get_engine
    from tracker.migrate import schema_status

    status = schema_status(get_engine())
    current = ", ".join(status.current) or "empty (no migrations applied)"
    verdict = "up to date" if status.up_to_date else f"behind {', '.join(status.heads)}"
    return f"{current} ({verdict})"
