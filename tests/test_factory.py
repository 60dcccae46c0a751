"""The app factory and its configuration from TRACKER_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import reset_schema
from tracker import ConfigError, create_app
from tracker.database import get_engine


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (
        "TRACKER_DATABASE_URL",
        "TRACKER_SECRET_KEY",
        "TRACKER_ENV",
        "TRACKER_LANGUAGE",
        "TRACKER_TEXT_DIRECTION",
        "TRACKER_TEAM_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(instance))
    return instance


def test_default_database_is_sqlite_in_the_instance_folder(env: Path) -> None:
    app = create_app()
    assert app.instance_path == str(env)
    assert app.config["DATABASE_URL"] == f"sqlite:///{env / 'revloop.sqlite'}"
    get_engine(app).dispose()


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(env: Path) -> None:
    app = create_app()
    with get_engine(app).connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    get_engine(app).dispose()


def test_secret_key_is_generated_once_and_kept(env: Path) -> None:
    first = create_app()
    second = create_app()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert (env / "secret_key").read_text().strip() == first.config["SECRET_KEY"]
    assert (env / "secret_key").stat().st_mode & 0o077 == 0
    for app in (first, second):
        get_engine(app).dispose()


def test_production_requires_a_secret_key(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_ENV", "production")
    with pytest.raises(ConfigError, match="TRACKER_SECRET_KEY is required"):
        create_app()
    monkeypatch.setenv("TRACKER_SECRET_KEY", "s" * 40)
    app = create_app()
    assert app.config["SECRET_KEY"] == "s" * 40
    assert not (env / "secret_key").exists()
    get_engine(app).dispose()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("not a url", "is not a database URL"),
        ("nosuchdb://x/y", "driver that is not installed"),
        ("sqlite:////nonexistent-folder/deeper/revloop.sqlite", "cannot be used"),
    ],
)
def test_unusable_database_url_stops_start_up_naming_the_variable(
    env: Path, monkeypatch: pytest.MonkeyPatch, url: str, problem: str
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    with pytest.raises(ConfigError) as error:
        create_app()
    message = str(error.value)
    assert message.startswith("TRACKER_DATABASE_URL")
    assert problem in message
    assert "\n" not in message


def test_arabic_language_turns_the_page_right_to_left(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_LANGUAGE", "ar")
    monkeypatch.setenv("TRACKER_TEAM_NAME", "فريق الإيرادات")
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://", "TESTING": True})
    reset_schema(get_engine(app))
    with app.test_client() as client:
        page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "فريق الإيرادات" in page


def test_a_bad_setting_is_named(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_TEXT_DIRECTION", "sideways")
    with pytest.raises(ConfigError, match="TRACKER_TEXT_DIRECTION"):
        create_app()


def test_test_config_overrides_the_environment(app_config: dict[str, object], env: Path) -> None:
    app = create_app({**app_config, "TEAM_NAME": "Growth"})
    assert app.testing
    assert app.config["TEAM_NAME"] == "Growth"
    get_engine(app).dispose()
