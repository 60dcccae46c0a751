"""The ``tracker`` command.

Commands are attached to the group itself rather than to ``app.cli``, so
``tracker --help`` lists them without building the app: it answers at once
and does not touch the database. A command's module is imported only when it
runs (or when the help lists it), and imports what it needs when it runs.

Every command but ``retro`` runs with the app (Flask's ``ScriptInfo`` builds it
when the command asks). ``tracker retro`` in a process of its own reads the
configuration and the database without it: Flask and its extensions would be a
tenth of its time.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name: "module:attribute" of the click command
COMMANDS = {
    "cycle": "tracker.cli.cycles:cycle_group",
    "db": "tracker.cli.database:db_group",
    "demo": "tracker.cli.demo:demo_command",
    "digest": "tracker.mail.cli:digest_group",
    "import": "tracker.cli.imports:import_group",
    "retro": "tracker.cli.retro:retro_command",
    "serve": "tracker.cli.serve:serve_command",
    "token": "tracker.cli.tokens:token_group",
    "user": "tracker.cli.users:user_group",
    "webhooks": "tracker.webhooks.cli:webhooks_group",
}
# commands that make their own way to the database when no app is handed in
WITHOUT_THE_APP = frozenset({"retro"})


def _create_app() -> Any:
    from tracker import create_app

    return create_app()


class TrackerGroup(click.Group):
    """The commands of ``COMMANDS``, each loaded when it is asked for. A command
    that runs with the app finds a ``ScriptInfo`` that builds it (as Flask's own
    group gives), unless the caller handed one in (the tests hand in theirs)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        where = COMMANDS.get(name)
        if where is None:
            return None
        module, _, attribute = where.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        if ctx.obj is None and name not in WITHOUT_THE_APP:
            from flask.cli import ScriptInfo

            ctx.obj = ScriptInfo(create_app=_create_app, set_debug_flag=False)
        return command


@click.group(
    cls=TrackerGroup,
    help="Revloop: the weekly experiment loop for revenue operations teams.",
)
def cli() -> None:
    pass


def main() -> None:
    from tracker.config import ConfigError

    try:
        cli.main(prog_name="tracker")
    except ConfigError as exc:
        raise SystemExit(f"Error: {exc}") from None
