"""``tracker user``: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from tracker.translation import _

ROLES = ("viewer", "editor", "admin")


@click.group("user", help="Manage user accounts.")
def user_group() -> None:
    pass


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
@with_appcontext
def create_user_command(
    email: str, role: str, display_name: str | None, password_stdin: bool
) -> None:
    """Create an account for EMAIL."""
    from sqlmodel import Session, select

    from tracker.database import get_engine
    from tracker.models import Role, User, normalise_email
    from tracker.security.passwords import password_problem
    from tracker.validators import EMAIL_SHAPE

    email = normalise_email(email)
    if not EMAIL_SHAPE.match(email):
        raise click.BadParameter(
            _("enter an e-mail address like name@company.com"), param_hint="EMAIL"
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email=email)
    if problem:
        raise click.UsageError(_("The password is refused: %(problem)s", problem=problem))
    with Session(get_engine()) as session:
        if session.exec(select(User).where(User.email == email)).first() is not None:
            raise click.UsageError(_("%(email)s already has an account.", email=email))
        user = User(
            email=email,
            display_name=display_name or email.split("@")[0],
            role=Role(role),
            password_hash="",
        )
        user.set_password(password)
        session.add(user)
        session.commit()
    click.echo(_("Created %(role)s %(email)s.", role=role, email=email))
