"""Alembic: the migrations match the models and run both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from tracker import migrate
from tracker.database import get_engine


def empty(engine: Engine) -> None:
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_autogenerate_finds_no_difference_between_migrations_and_models(app: Flask) -> None:
    engine = get_engine(app)
    empty(engine)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrade_downgrade_to_base_and_upgrade_again(app: Flask) -> None:
    engine = get_engine(app)
    empty(engine)
    migrate.upgrade(engine)
    assert "user_account" in inspect(engine).get_table_names()
    assert migrate.schema_status(engine).up_to_date
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert migrate.schema_status(engine).empty
    migrate.upgrade(engine)
    assert migrate.schema_status(engine).up_to_date


def test_app_refuses_a_database_behind_the_code_and_names_the_command(app: Flask) -> None:
    migrate.downgrade(get_engine(app), "base")
    response = app.test_client().get("/sign-in")
    assert response.status_code == 503
    assert "tracker db upgrade" in response.get_data(as_text=True)


def test_db_commands(app: Flask, runner: FlaskCliRunner) -> None:
    empty(get_engine(app))
    result = runner.invoke(args=["db", "current"])
    assert "empty" in result.output and "behind" in result.output
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "up to date" in runner.invoke(args=["db", "current"]).output
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert "empty" in result.output
    assert app.test_client().get("/sign-in").status_code == 503


def test_migrations_folder_ships_with_the_code() -> None:
    folder = migrate.migrations_dir()
    assert (folder / "env.py").is_file()
    assert any(Path(folder, "versions").glob("0001_*.py"))


@pytest.mark.parametrize("url", ["sqlite:///{tmp}/fresh.sqlite"])
def test_a_fresh_file_database_migrates(tmp_path: Path, url: str) -> None:
    from tracker.database import build_engine

    engine = build_engine(url.format(tmp=tmp_path))
    migrate.upgrade(engine)
    assert migrate.schema_status(engine).up_to_date
    engine.dispose()
