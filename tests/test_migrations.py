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


def _check_names(engine: Engine) -> dict[str, set[str]]:
    from tracker.models.checks import CHECKS

    found = inspect(engine)
    return {
        table: {c["name"] for c in found.get_check_constraints(table) if c["name"]}
        for table in CHECKS
    }


def test_migrations_and_models_hold_the_same_check_constraints(app: Flask) -> None:
    """Autogenerate does not compare CHECK constraints: compare their names, and
    that the migrated database refuses figures the statistics would refuse."""
    from sqlalchemy.exc import IntegrityError

    from tracker.models.checks import CHECKS

    engine = get_engine(app)
    wanted = {table: {f"ck_{table}_{name}" for name in rules} for table, rules in CHECKS.items()}
    assert _check_names(engine) == wanted  # built from the models
    empty(engine)
    migrate.upgrade(engine)
    assert _check_names(engine) == wanted
    for values in ["5, 3", "-1, 3"]:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO metric (name, area_id, kind, unit, direction, formula, "
                    "description, version, created_at) SELECT 'm', id, 'proportion', '', "
                    "'higher', '', '', 1, CURRENT_TIMESTAMP FROM area LIMIT 1"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO reading (metric_id, period_start, period_end, source_note, "
                    f"created_at, successes, trials) SELECT id, '2026-01-05', '2026-01-11', '', "
                    f"CURRENT_TIMESTAMP, {values} FROM metric LIMIT 1"
                )
            )
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(migrate.migrations_dir()))
    parent = scripts.get_revision("0007").down_revision  # wherever the revision is chained
    migrate.downgrade(engine, str(parent))
    assert _check_names(engine) == {table: set() for table in CHECKS}
    migrate.upgrade(engine)
