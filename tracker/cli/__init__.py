"""The ``tracker`` command.

Commands are attached to the group itself rather than to ``app.cli``, so
``tracker --help`` lists them without building the app: it answers at once
and does not touch the database. Each command imports what it needs when it
runs.
"""

from __future__ import annotations

from typing import Any

import click
from flask.cli import FlaskGroup

from tracker.cli.cycles import cycle_group
from tracker.cli.database import db_group
from tracker.cli.demo import demo_command
from tracker.cli.imports import import_group
from tracker.cli.retro import retro_command
from tracker.cli.serve import serve_command
from tracker.cli.tokens import token_group
from tracker.cli.users import user_group
from tracker.mail.cli import digest_group
from tracker.webhooks.cli import webhooks_group


def _create_app() -> Any:
    from tracker import create_app

    return create_app()


class TrackerGroup(FlaskGroup):
    """A FlaskGroup that lists its own commands without loading the app.

    Flask's own --app, --env-file and --debug options are dropped: the app is
    always Revloop, configured by TRACKER_* variables.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.params = [p for p in self.params if p.name not in {"app", "env_file", "debug"}]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name)


@click.group(
    cls=TrackerGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
    help="Revloop: the weekly experiment loop for revenue operations teams.",
)
def cli() -> None:
    pass


for command in (
    cycle_group,
    db_group,
    demo_command,
    digest_group,
    import_group,
    retro_command,
    serve_command,
    token_group,
    user_group,
    webhooks_group,
):
    cli.add_command(command)


def main() -> None:
    from tracker.config import ConfigError

    try:
        cli.main(prog_name="tracker")
    except ConfigError as exc:
        raise SystemExit(f"Error: {exc}") from None
