"""E-mail: the weekly digest and the meeting recap, sent through the team's
SMTP server. Off until TRACKER_SMTP_URL and TRACKER_MAIL_FROM are set."""

from __future__ import annotations

import os

from flask import Flask


def init_app(app: Flask) -> None:
    """Read the TRACKER_SMTP_* settings (a test config wins) and check them now,
    so a wrong URL stops start-up rather than the first e-mail."""
    from tracker.mail.config import smtp_settings

    app.config.setdefault("SMTP_URL", os.environ.get("TRACKER_SMTP_URL", "").strip())
    app.config.setdefault("SMTP_PASSWORD", os.environ.get("TRACKER_SMTP_PASSWORD", ""))
    app.config.setdefault("MAIL_FROM", os.environ.get("TRACKER_MAIL_FROM", "").strip())
    smtp_settings(app.config)
