"""Alembic's environment for Revloop.

It compares against ``SQLModel.metadata`` (every table in ``tracker.models``)
and runs on the engine that ``tracker.migrate`` hands over, which is the
app's own: the database named by TRACKER_DATABASE_URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers every table on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def engine_from_app():  # type: ignore[no-untyped-def]
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    from tracker import create_app
    from tracker.database import get_engine

    return get_engine(create_app())


@contextmanager
def one_transaction(connection: Connection) -> Iterator[None]:
    """Every step of the run in one transaction: all of it happens, or none.

    PostgreSQL and SQLite both undo DDL on rollback, but Python's sqlite3
    driver opens transactions only before INSERT, UPDATE and DELETE, so the
    CREATE and DROP statements would each commit on their own. For the run it
    is put in autocommit mode and the transaction is begun by hand.
    """
    sqlite = connection.dialect.name == "sqlite"
    driver = connection.connection.driver_connection if sqlite else None
    previous = driver.isolation_level if driver is not None else None
    if driver is not None:
        driver.isolation_level = None
    try:
        with connection.begin():
            if driver is not None:
                connection.exec_driver_sql("BEGIN")
            yield
    finally:
        if driver is not None:
            driver.isolation_level = previous


def run_migrations_online() -> None:
    engine = engine_from_app()
    with engine.connect() as connection, one_transaction(connection):
        # begun outside Alembic, so Alembic neither commits between steps
        # nor at the end: the transaction above does, once
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            transaction_per_migration=False,
        )
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
