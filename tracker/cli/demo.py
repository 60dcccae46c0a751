"""``tracker demo``: an instance to try Revloop with, ready in one command."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from tracker.cli.serve import serve_demo
from tracker.translation import _

DEMO_EMAIL = "demo@revloop.local"


@click.command("demo")
@click.option("--serve", "then_serve", is_flag=True, help="Start the server afterwards.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@with_appcontext
def demo_command(then_serve: bool, host: str, port: int) -> None:
    """Create or refresh the demo: migrate, a demo admin and the demo data."""
    from tracker import migrate
    from tracker.database import get_engine
    from tracker.demo import load_demo
    from tracker.security.passwords import password_problem

    password = os.environ.get("TRACKER_DEMO_PASSWORD") or None
    problem = password and password_problem(password, email=DEMO_EMAIL)
    if problem:
        raise click.UsageError(_("TRACKER_DEMO_PASSWORD is refused: %(problem)s", problem=problem))
    engine = get_engine()
    migrate.upgrade(engine)
    result = load_demo(engine, admin_email=DEMO_EMAIL, admin_password=password)
    click.echo(_("Demo ready: %(summary)s", summary=result.summary))
    click.echo(
        _(
            "Sign in as %(email)s with password: %(password)s",
            email=DEMO_EMAIL,
            password=result.admin_password,
        )
    )
    if then_serve:
        serve_demo(host, port)
