"""Fixtures: a fresh app and database for every test.

Tests run on in-memory SQLite (one shared connection through StaticPool)
unless TRACKER_TEST_DATABASE_URL names another database, which CI points at
PostgreSQL. That database is emptied before each test, so never point it at
data you want to keep; TRACKER_DATABASE_URL is ignored here for that reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel
from werkzeug.security import generate_password_hash

from tracker import create_app
from tracker.database import get_engine
from tracker.models import Role, User

# Scripts beside the tests that pytest must not import (the doctest run
# imports every module it collects): benchmarks, the installed-package smoke
# check, the screenshot maker.
collect_ignore = ["smoke_installed.py", "benchmarks", "screenshots.py"]

TEST_DATABASE_URL = os.environ.get("TRACKER_TEST_DATABASE_URL", "sqlite://")
PASSWORD = "correct horse battery"
# A fast hash keeps the suite quick; the production method is tested on its own.
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def reset_schema(engine: Engine) -> None:
    """Empty the database and build the current schema, stamped at head.

    On PostgreSQL an intact schema is truncated instead of rebuilt, which is
    many times faster; anything else (a test that migrated down, say) gets a
    full rebuild.
    """
    import tracker.models  # noqa: F401
    from tracker.defaults import insert_defaults
    from tracker.migrate import schema_status, stamp

    if engine.dialect.name == "postgresql" and _schema_intact(engine, schema_status):
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as connection:
            # a connection leaked by an earlier test would block the TRUNCATE
            # for ever: fail that test loudly instead of hanging the run
            connection.execute(text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            insert_defaults(connection, language="en")
        return
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    SQLModel.metadata.create_all(engine)
    with engine.begin() as connection:
        insert_defaults(connection, language="en")
    stamp(engine)


def _schema_intact(engine: Engine, schema_status: Any) -> bool:
    from sqlalchemy import inspect

    present = set(inspect(engine).get_table_names())
    wanted = set(SQLModel.metadata.tables)
    return wanted <= present and schema_status(engine).up_to_date


@pytest.fixture
def app_config(tmp_path: pytest.TempPathFactory) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": TEST_DATABASE_URL,
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(
    app_config: dict[str, object], tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    app = create_app(app_config)
    engine = get_engine(app)
    reset_schema(engine)
    yield app
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class TrackerRunner(FlaskCliRunner):
    """Runs the ``tracker`` command against the test app."""

    def invoke(self, cli: Any = None, args: Any = None, **kwargs: Any) -> Any:
        from tracker.cli import cli as tracker_cli

        return super().invoke(cli or tracker_cli, args, **kwargs)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return TrackerRunner(app)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """``with count_queries() as queries:`` collects the SQL statements run inside."""
    from contextlib import contextmanager

    from sqlalchemy import event

    engine = get_engine(app)

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session outside any request, for arranging and checking data."""
    with Session(get_engine(app), expire_on_commit=False) as session:
        yield session


@dataclass
class Accounts:
    """Makes users and signs test clients in as them."""

    app: Flask
    session: Session

    def make(
        self,
        role: Role = Role.editor,
        *,
        email: str | None = None,
        name: str | None = None,
        active: bool = True,
    ) -> User:
        email = email or f"{role.value}-{os.urandom(3).hex()}@example.com"
        user = User(
            email=email,
            display_name=name or f"{role.value.title()} User",
            role=role,
            active=active,
            password_hash=FAST_HASH,
        )
        self.session.add(user)
        self.session.commit()
        return user

    def sign_in(self, client: FlaskClient, user: User, password: str = PASSWORD) -> None:
        response = client.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def accounts(app: Flask, db: Session) -> Accounts:
    return Accounts(app=app, session=db)


@pytest.fixture
def signed_in(accounts: Accounts, client: FlaskClient) -> Callable[[Role], User]:
    """Sign the test client in with a new user of the given role."""

    def sign_in(role: Role = Role.editor) -> User:
        user = accounts.make(role)
        accounts.sign_in(client, user)
        return user

    return sign_in
