"""``tracker token create EMAIL --name NAME``: an API token for a script."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.translation import _


@click.group("token", help="Manage API tokens.")
def token_group() -> None:
    pass


@token_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What will use the token, such as “CRM export”.")
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Make an API token for EMAIL and print it (it is shown only this once)."""
    from sqlmodel import Session, select

    from tracker.database import get_engine
    from tracker.models import User, normalise_email
    from tracker.tokens.service import TokenError, create_token

    with Session(get_engine()) as session:
        user = session.exec(select(User).where(User.email == normalise_email(email))).first()
        if user is None or not user.active:
            raise click.UsageError(_("%(email)s has no active account.", email=email))
        try:
            made = create_token(session, user=user, name=name)
        except TokenError as exc:
            raise click.UsageError(str(exc)) from None
        note = _(
            "Token “%(name)s” for %(email)s (%(role)s). Keep it safe: it is not shown again.",
            name=made.token.name,
            email=user.email,
            role=user.role.value,
        )
        session.commit()
    click.echo(made.plain)
    click.echo(note, err=True)
