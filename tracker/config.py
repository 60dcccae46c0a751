"""Configuration read from ``TRACKER_*`` environment variables.

Every variable is documented in the README. Nothing secret is a constant in
code: outside production the secret key is generated once and kept in the
instance folder.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A setting that makes start-up impossible; its message is one line for the user."""


def from_environment(
    instance_path: str, environ: os._Environ[str] | dict[str, str]
) -> dict[str, Any]:
    """Read the TRACKER_* variables into Flask configuration keys."""
    env = environ.get("TRACKER_ENV", "development").strip().lower() or "development"
    if env not in {"development", "production"}:
        raise ConfigError(f"TRACKER_ENV must be 'development' or 'production', not {env!r}.")
    from tracker.i18n import DIGITS, direction_of

    language = environ.get("TRACKER_LANGUAGE", "en").strip() or "en"
    explicit_direction = environ.get("TRACKER_TEXT_DIRECTION", "").strip().lower()
    if explicit_direction not in {"", "ltr", "rtl"}:
        raise ConfigError(
            f"TRACKER_TEXT_DIRECTION must be 'ltr' or 'rtl', not {explicit_direction!r}."
        )
    digits = environ.get("TRACKER_DIGITS", "latn").strip().lower() or "latn"
    if digits not in DIGITS:
        raise ConfigError(f"TRACKER_DIGITS must be 'latn' or 'arab', not {digits!r}.")
    return {
        "TRACKER_ENV": env,
        "DATABASE_URL": environ.get("TRACKER_DATABASE_URL")
        or "sqlite:///" + str(Path(instance_path) / "revloop.sqlite"),
        "SECRET_KEY": _secret_key(env, instance_path, environ),
        "TEAM_NAME": environ.get("TRACKER_TEAM_NAME", "Revenue Operations"),
        "LANGUAGE": language,
        "TEXT_DIRECTION": explicit_direction or direction_of(language),
        "TEXT_DIRECTION_EXPLICIT": explicit_direction,
        "DIGITS": digits,
        "SESSION_COOKIE_SECURE": _flag(environ, "TRACKER_SECURE_COOKIES", default=False),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "RATELIMIT_STORAGE_URI": environ.get("TRACKER_RATELIMIT_STORAGE_URI", "").strip()
        or "memory://",
        "TRUSTED_PROXIES": _count(environ, "TRACKER_TRUSTED_PROXIES"),
    }


def _secret_key(env: str, instance_path: str, environ: os._Environ[str] | dict[str, str]) -> str:
    key = environ.get("TRACKER_SECRET_KEY", "").strip()
    if key:
        return key
    if env == "production":
        raise ConfigError(
            "TRACKER_SECRET_KEY is required when TRACKER_ENV=production: "
            'set it to a long random string, e.g. python -c "import secrets; '
            'print(secrets.token_hex(32))".'
        )
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def _count(environ: os._Environ[str] | dict[str, str], name: str) -> int:
    value = environ.get(name, "").strip() or "0"
    if not (value.isascii() and value.isdigit()):
        raise ConfigError(f"{name} must be a whole number (0 when no proxy), not {value!r}.")
    return int(value)


def _flag(environ: os._Environ[str] | dict[str, str], name: str, *, default: bool) -> bool:
    value = environ.get(name)
    if value is None or not value.strip():
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}.")
