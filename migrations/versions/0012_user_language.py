"""Each person's language: one on the user, for the pages and the e-mails alike.

The e-mail language chosen on the account page (mail_preference.language)
becomes the person's language; the old column goes. Empty means the team's
language (TRACKER_LANGUAGE).

Revision ID: 0012
Revises: 0007
Create Date: 2026-11-29 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="",
            )
        )
    op.execute(
        "UPDATE user_account SET language = (SELECT mail_preference.language "
        "FROM mail_preference WHERE mail_preference.user_id = user_account.id) "
        "WHERE id IN (SELECT user_id FROM mail_preference)"
    )
    with op.batch_alter_table("mail_preference", schema=None) as batch_op:
        batch_op.drop_column("language")


def downgrade() -> None:
    with op.batch_alter_table("mail_preference", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="",
            )
        )
    # a person who chose a language but kept the default e-mails has no
    # preference row: give them one, so the choice survives the downgrade
    op.execute(
        "INSERT INTO mail_preference (user_id, digest, recap, language) "
        "SELECT id, role IN ('editor', 'admin'), role IN ('editor', 'admin'), language "
        "FROM user_account WHERE language != '' "
        "AND id NOT IN (SELECT user_id FROM mail_preference)"
    )
    op.execute(
        "UPDATE mail_preference SET language = (SELECT user_account.language "
        "FROM user_account WHERE user_account.id = mail_preference.user_id)"
    )
    with op.batch_alter_table("mail_preference", schema=None) as batch_op:
        batch_op.alter_column("language", server_default=None)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("language")
