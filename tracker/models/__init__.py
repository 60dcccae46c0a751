"""The SQLModel tables. Importing this package registers every table on
``SQLModel.metadata``, which Alembic compares against the migrations."""

from tracker.models.user import Role, User, normalise_email

__all__ = ["Role", "User", "normalise_email"]
