"""The database engine, one SQLModel session per request, and the check that
the schema is not behind the code.

The view that owns the request commits; the teardown only closes (and so
rolls back whatever was left uncommitted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from tracker.config import ConfigError

if TYPE_CHECKING:  # the command line's report opens the database without the app
    from flask import Flask

ENGINE_KEY = "revloop.engine"
SQLITE_BUSY_TIMEOUT_MS = 5000


def build_engine(url: str, **pool: Any) -> Engine:
    """Make an engine for ``url``, or raise ConfigError naming the variable.
    ``pool`` passes pool options (``pool_size``, ``max_overflow``) on."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"TRACKER_DATABASE_URL is not a database URL: {url!r} "
            "(try sqlite:///path/revloop.sqlite or postgresql+psycopg://user@host/db)."
        ) from None
    options: dict[str, Any] = dict(pool)
    if parsed.get_backend_name() == "sqlite":
        options["connect_args"] = {"check_same_thread": False}
        if parsed.database in (None, "", ":memory:"):
            options["poolclass"] = StaticPool
    else:
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError(
            f"TRACKER_DATABASE_URL names a database driver that is not installed ({exc}); "
            "for PostgreSQL install the postgres extra: pip install 'revloop[postgres]'."
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_engine(url: str) -> Engine:
    """The engine for ``url``, its first connection made: a bad URL or an unreachable
    server is said at start-up (by the app or the command line's report)."""
    engine = build_engine(url)
    check_connection(engine)
    return engine


def check_connection(engine: Engine) -> None:
    """Open one connection so a bad URL stops start-up, not the first request."""
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(
            f"TRACKER_DATABASE_URL cannot be used: {reason} "
            f"(URL {engine.url.render_as_string(hide_password=True)})."
        ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def get_engine(app: Flask | None = None) -> Engine:
    from flask import current_app

    engine: Engine = (app or current_app).extensions[ENGINE_KEY]
    return engine


def get_session() -> Session:
    """The request's session, opened on first use."""
    from flask import g

    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    from flask import g

    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def refuse_outdated_schema() -> Any:
    """Answer every request with 503 while the database is behind the code."""
    from flask import current_app, render_template, request

    if current_app.config.get("SCHEMA_CHECKED"):
        return None
    from tracker.migrate import schema_status

    status = schema_status(get_engine())
    if status.up_to_date:
        current_app.config["SCHEMA_CHECKED"] = True
        return None
    if request.path.startswith("/api/"):
        from tracker.api.errors import ApiError, error_response
        from tracker.translation import _

        message = _("The database is %(verdict)s.", verdict=status.verdict)
        return error_response(ApiError(503, message, code="database_not_ready"))
    return render_template("errors/schema.html", status=status), 503


def init_app(app: Flask) -> None:
    app.extensions[ENGINE_KEY] = open_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)
    app.before_request(refuse_outdated_schema)
