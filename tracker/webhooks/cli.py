"""``tracker webhooks deliver [--loop]``: send the webhook deliveries that are due,
once (for cron, every minute) or for ever (for a long-running service)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from tracker.translation import _


@click.group("webhooks", help="Deliver webhook events.")
def webhooks_group() -> None:
    pass


@webhooks_group.command("deliver")
@click.option("--loop", is_flag=True, help="Keep running, delivering as events become due.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="With --loop: seconds between looks at the outbox.",
)
@with_appcontext
def deliver_command(loop: bool, interval: float) -> None:
    """Send every delivery that is due, retrying failed ones on their schedule."""
    from flask import current_app

    from tracker.database import get_engine
    from tracker.webhooks.deliverer import deliver_due

    allow_private = bool(current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    while True:
        run = deliver_due(get_engine(), allow_private=allow_private)
        if run.sent or run.retrying or run.failed or not loop:
            click.echo(
                _(
                    "Sent %(sent)d, will retry %(retrying)d, gave up on %(failed)d.",
                    sent=run.sent,
                    retrying=run.retrying,
                    failed=run.failed,
                ),
                err=loop,
            )
        if not loop:
            return
        time.sleep(interval)
