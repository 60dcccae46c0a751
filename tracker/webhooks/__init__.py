"""Signed webhooks: an outbox written with each change, and a deliverer that
posts it to the endpoints admins registered."""

from __future__ import annotations

import os

from flask import Flask

from tracker.config import ConfigError


def init_app(app: Flask) -> None:
    """Read TRACKER_WEBHOOK_ALLOW_PRIVATE and TRACKER_BASE_URL (a test config wins)."""
    raw = os.environ.get("TRACKER_WEBHOOK_ALLOW_PRIVATE", "").strip().lower()
    if raw not in {"", "1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ConfigError(f"TRACKER_WEBHOOK_ALLOW_PRIVATE must be true or false, not {raw!r}.")
    app.config.setdefault("WEBHOOK_ALLOW_PRIVATE", raw in {"1", "true", "yes", "on"})
    app.config.setdefault("BASE_URL", os.environ.get("TRACKER_BASE_URL", "").strip())
