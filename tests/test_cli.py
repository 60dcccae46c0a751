"""The ``tracker`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from tracker.models import Role, User


def run_tracker(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    code = "import sys; from tracker.cli import main; sys.argv[0] = 'tracker'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=input,
        timeout=120,
        check=False,
    )


def test_help_lists_the_commands_without_loading_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from tracker.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='tracker')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('statsmodels', 'matplotlib', 'typst', 'sqlmodel', 'scipy')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    for command in ("db", "demo", "serve", "user"):
        assert f"  {command} " in result.stdout
    assert "HEAVY []" in result.stdout


def test_user_create_reads_the_password_from_stdin(runner: FlaskCliRunner, db: Session) -> None:
    result = runner.invoke(
        args=["user", "create", "Lead@Example.com", "--role", "admin", "--password-stdin"],
        input="a long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.exec(select(User).where(User.email == "lead@example.com")).one()
    assert user.role == Role.admin
    assert user.check_password("a long passphrase")


def test_user_create_prompts_for_the_password(runner: FlaskCliRunner, db: Session) -> None:
    result = runner.invoke(
        args=["user", "create", "rep@example.com"], input="a long passphrase\na long passphrase\n"
    )
    assert result.exit_code == 0, result.output
    user = db.exec(select(User).where(User.email == "rep@example.com")).one()
    assert user.role == Role.editor


def test_user_create_refuses_a_short_password_and_a_duplicate(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["user", "create", "a@example.com", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    runner.invoke(
        args=["user", "create", "a@example.com", "--password-stdin"], input="long enough password\n"
    )
    result = runner.invoke(
        args=["user", "create", "A@example.com", "--password-stdin"], input="long enough password\n"
    )
    assert result.exit_code != 0
    assert "already has an account" in result.output


def test_demo_twice_leaves_one_demo_admin(
    runner: FlaskCliRunner, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DEMO_PASSWORD", "demo password 1")
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "demo@revloop.local" in first.output and "demo password 1" in first.output
    monkeypatch.delenv("TRACKER_DEMO_PASSWORD")
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    admins = db.exec(select(User).where(User.email == "demo@revloop.local")).all()
    assert len(admins) == 1 and admins[0].role == Role.admin
    printed = second.output.split("password: ")[1].strip()
    db.refresh(admins[0])
    assert admins[0].check_password(printed)


def test_bad_database_url_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run_tracker(
        "db",
        "current",
        env={
            "TRACKER_INSTANCE_PATH": str(tmp_path),
            "TRACKER_DATABASE_URL": "postgresql+nosuchdriver://localhost/x",
        },
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: TRACKER_DATABASE_URL")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_on_a_fresh_instance_from_the_command_line(tmp_path: Path) -> None:
    env = {
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_DEMO_PASSWORD": "demo password 2",
    }
    result = run_tracker("demo", env=env)
    assert result.returncode == 0, result.stderr
    assert "Sign in as demo@revloop.local with password: demo password 2" in result.stdout
    current = run_tracker("db", "current", env=env)
    assert "up to date" in current.stdout


def test_the_instance_folder_is_flask_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """``tracker retro`` finds the database without Flask: the folder it reads is the
    one Flask gives the app, so a demo made with ``tracker demo`` is found."""
    from flask import Flask

    from tracker.resources import instance_folder

    monkeypatch.delenv("TRACKER_INSTANCE_PATH", raising=False)
    assert instance_folder() == Flask("tracker").instance_path
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", "relative/folder")
    assert instance_folder() == os.path.abspath("relative/folder")
