"""``tracker digest send [--week 2026-W49] [--dry-run]``: the weekly digest, for
a scheduled job on Monday morning. It says for each person whether it was
sent, skipped (already sent that week) or failed, and exits with status 1 when
any failed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.translation import _


@click.group("digest", help="Send the weekly digest by e-mail.")
def digest_group() -> None:
    pass


@digest_group.command("send")
@click.option(
    "--week", metavar="YYYY-Www", help="The ISO week, such as 2026-W49 (default: this week)."
)
@click.option("--dry-run", is_flag=True, help="Say who would receive what; send nothing.")
@with_appcontext
def send_command(week: str | None, dry_run: bool) -> None:
    """Send the digest to everyone who opted in and has not had this week's."""
    from sqlmodel import Session

    from experiments.cycles import IsoWeek
    from tracker.cycles.service import team_today
    from tracker.database import get_engine
    from tracker.mail.digest import send_digests

    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            chosen = IsoWeek.parse(week) if week else IsoWeek.containing(team_today(session))
        except ValueError as exc:
            raise click.BadParameter(
                _("%(problem)s (write it as 2026-W49)", problem=exc), param_hint="--week"
            ) from None
        run = send_digests(session, week=chosen, dry_run=dry_run, say=click.echo)
    click.echo(
        _(
            "Digest for %(week)s: sent %(sent)d, already sent %(skipped)d, failed %(failed)d.",
            week=str(chosen),
            sent=len(run.sent),
            skipped=len(run.skipped),
            failed=len(run.failed),
        ),
        err=True,
    )
    if run.failed:
        raise SystemExit(1)
