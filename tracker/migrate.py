"""Alembic, driven from code: the configuration, the commands and the check
that a database is at the head revision.

The migration scripts travel with the package, so the configuration is built
here rather than read from an ``alembic.ini``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from tracker.resources import resource_path


class MigrationRefused(Exception):
    """A migration run undone as a whole; the message says why."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration whose env.py runs on ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(resource_path("migrations")))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def stamp(engine: Engine, revision: str = "head") -> None:
    command.stamp(alembic_config(engine), revision)


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands against the migrations shipped with the code.

    ``unknown`` holds the database's revisions this code has no migration
    for: a newer Revloop migrated it.
    """

    current: tuple[str, ...]
    heads: tuple[str, ...]
    unknown: tuple[str, ...] = ()

    @property
    def up_to_date(self) -> bool:
        return set(self.current) == set(self.heads)

    @property
    def empty(self) -> bool:
        return not self.current

    @property
    def newer(self) -> bool:
        return bool(self.unknown)

    @property
    def verdict(self) -> str:
        """One line: up to date, newer than the code, or behind it."""
        from tracker.translation import _

        if self.up_to_date:
            return _("up to date")
        if self.newer:
            return _(
                "newer than this Revloop, which knows no revision %(revisions)s: upgrade Revloop",
                revisions=", ".join(self.unknown),
            )
        return _("behind %(heads)s: run tracker db upgrade", heads=", ".join(self.heads))


def schema_status(engine: Engine) -> SchemaStatus:
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    known = {revision.revision for revision in script.walk_revisions()}
    return SchemaStatus(
        current=tuple(current),
        heads=tuple(script.get_heads()),
        unknown=tuple(revision for revision in current if revision not in known),
    )


def migrations_dir() -> Path:
    return resource_path("migrations")
