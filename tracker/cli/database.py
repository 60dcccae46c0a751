"""``tracker db``: move the database schema up or down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask.cli import with_appcontext

from tracker.translation import _


@click.group("db", help="Create and migrate the database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Apply the migrations up to REVISION (the latest by default)."""
    from tracker import migrate

    _migrate(migrate.upgrade, revision)


# "-1" is a revision here, not an option
@db_group.command("downgrade", context_settings={"ignore_unknown_options": True})
@click.argument("revision", default="-1")
@with_appcontext
def downgrade_command(revision: str) -> None:
    """Undo migrations down to REVISION: -1 (the default) one step, -2 two, 'base' all.

    All the steps run in one transaction: if one fails, the database stays as it was.
    """
    from tracker import migrate

    _migrate(migrate.downgrade, revision)


def _migrate(move: Callable[[Any, str], None], revision: str) -> None:
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from tracker.database import get_engine
    from tracker.migrate import MigrationRefused, schema_status

    status = schema_status(get_engine())
    if status.newer:
        raise click.ClickException(_("The database is %(verdict)s.", verdict=status.verdict))
    try:
        move(get_engine(), revision)
    except CommandError as exc:
        raise click.ClickException(_("%(error)s (nothing was changed).", error=exc)) from None
    except MigrationRefused as exc:
        raise click.ClickException(_("The migration was undone: %(error)s", error=exc)) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(
            _(
                "The migration failed, and was undone: the database is as it was (%(reason)s).",
                reason=reason,
            )
        ) from None
    click.echo(_("Database is at %(revision)s.", revision=_current()))


@db_group.command("current")
@with_appcontext
def current_command() -> None:
    """Show the database's revision and whether it is up to date."""
    click.echo(_current())


def _current() -> str:
    from tracker.database import get_engine
    from tracker.migrate import schema_status

    status = schema_status(get_engine())
    current = ", ".join(status.current) or _("empty (no migrations applied)")
    return f"{current} ({status.verdict})"
