"""Migrations both ways on a database with data: down to base and up again on
the demo database (on SQLite, and on PostgreSQL when the suite runs there),
all or nothing when a step fails, ``downgrade -1``, a database newer than the
code, and the 503 in JSON under the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import Engine, func, inspect, select, text
from sqlmodel import SQLModel

from tracker import migrate
from tracker.database import build_engine, get_engine
from tracker.demo import load_demo
from tracker.models import Cycle, Experiment, Metric, User

DEMO = {"admin_email": "demo@revloop.local", "admin_password": "violet tractor summit"}


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.execute(  # type: ignore[attr-defined]
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (User, Metric, Experiment, Cycle)
        }


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def round_trip(engine: Engine) -> None:
    load_demo(engine, **DEMO)
    before = counts(engine)
    assert before["metric"] > 5 and before["experiment"] > 5
    migrate.downgrade(engine, "base")
    assert tables(engine) == set()
    assert migrate.schema_status(engine).empty
    migrate.upgrade(engine)
    assert migrate.schema_status(engine).up_to_date
    assert tables(engine) == set(SQLModel.metadata.tables)
    load_demo(engine, **DEMO)
    assert counts(engine) == before


def test_the_demo_database_goes_down_to_base_and_up_again(app: Flask) -> None:
    """On the suite's database: in-memory SQLite, or PostgreSQL in CI."""
    round_trip(get_engine(app))


def test_a_demo_sqlite_file_goes_down_to_base_and_up_again(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    try:
        migrate.upgrade(engine)
        round_trip(engine)
    finally:
        engine.dispose()


def test_one_step_down_keeps_the_teams_data(app: Flask) -> None:
    """Down past the defaults (0003) keeps the areas and stages the data uses."""
    engine = get_engine(app)
    load_demo(engine, **DEMO)
    before = counts(engine)
    migrate.downgrade(engine, "0002")
    with engine.connect() as connection:
        areas = connection.execute(text("SELECT count(*) FROM area")).scalar_one()
        metrics = connection.execute(text("SELECT count(*) FROM metric")).scalar_one()
    assert areas == 3 and metrics == before["metric"]
    migrate.upgrade(engine)
    assert counts(engine)["metric"] == before["metric"]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM team_settings")).scalar_one() == 1


def test_a_failed_downgrade_leaves_the_database_as_it_was(app: Flask) -> None:
    engine = get_engine(app)
    load_demo(engine, **DEMO)
    before = counts(engine)
    # a table Revloop does not know, pointing at an area: dropping the areas
    # (the last steps down) must fail, after every later step has run
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE blocker (id INTEGER PRIMARY KEY, area_id INTEGER REFERENCES area(id))"
            )
        )
        connection.execute(text("INSERT INTO blocker VALUES (1, (SELECT min(id) FROM area))"))
    shape = tables(engine)
    try:
        with pytest.raises(Exception):  # noqa: B017 (SQLite and PostgreSQL raise differently)
            migrate.downgrade(engine, "base")
        assert migrate.schema_status(engine).up_to_date
        assert tables(engine) == shape
        assert counts(engine) == before
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE blocker"))


def test_downgrade_minus_one_on_the_command_line(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "downgrade", "-1"])
    assert result.exit_code == 0, result.output
    previous = migrate.schema_status(get_engine(app)).current
    assert previous and not migrate.schema_status(get_engine(app)).up_to_date
    assert "behind" in result.output and "tracker db upgrade" in result.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert "up to date" in runner.invoke(args=["db", "current"]).output


def test_a_database_newer_than_the_code_is_called_newer(app: Flask, runner: FlaskCliRunner) -> None:
    engine = get_engine(app)
    (head,) = migrate.schema_status(engine).heads
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff0001'"))
    try:
        current = runner.invoke(args=["db", "current"]).output
        assert "newer than this Revloop" in current and "upgrade Revloop" in current
        assert "behind" not in current
        refused = runner.invoke(args=["db", "upgrade"])
        assert refused.exit_code != 0 and "upgrade Revloop" in refused.output
        client = app.test_client()
        page = client.get("/sign-in")
        assert page.status_code == 503
        assert "newer than this version of Revloop" in page.get_data(as_text=True)
        answer = client.get("/api/v1/metrics")
        assert answer.status_code == 503 and answer.is_json
        error = answer.get_json()["error"]
        assert error["code"] == "database_not_ready" and "upgrade Revloop" in error["message"]
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"UPDATE alembic_version SET version_num = '{head}'"))


def test_the_api_answers_json_while_the_database_is_behind(app: Flask) -> None:
    migrate.downgrade(get_engine(app), "base")
    answer = app.test_client().get("/api/v1/metrics")
    assert answer.status_code == 503
    assert "tracker db upgrade" in answer.get_json()["error"]["message"]
