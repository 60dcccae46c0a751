"""Revloop's web application: ``create_app`` builds it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tracker.config import ConfigError
from tracker.resources import instance_folder, resource_path

if TYPE_CHECKING:  # loaded by create_app: the command line's report runs without Flask
    from flask import Flask

__all__ = ["ConfigError", "create_app"]

# One blueprint per feature, each a package with routes.py (and forms.py).
BLUEPRINTS = (
    "auth",
    "dashboard",
    "cycles",
    "account",
    "admin",
    "areas",
    "metrics",
    "backlog",
    "experiments",
    "learnings",
    "insights",
    "calculators",
    "changes",
    "settings",
    "reports",
    "api",
    "csvio",
    "webhooks",
    "mail",
    "share",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the TRACKER_* environment, or from ``test_config``."""
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=instance_folder(),
        instance_relative_config=True,
        template_folder=str(resource_path("templates")),
        static_folder=str(resource_path("static")),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    environ = dict(os.environ)
    if test_config and "SECRET_KEY" in test_config:
        environ["TRACKER_SECRET_KEY"] = test_config["SECRET_KEY"]
    from tracker.config import from_environment

    app.config.from_mapping(from_environment(app.instance_path, environ))
    app.config.update(
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    if test_config:
        app.config.update(test_config)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from tracker import database, i18n, mail, security, webhooks
    from tracker.extensions import csrf, login_manager

    database.init_app(app)
    i18n.init_app(app)
    webhooks.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from tracker.access import require_sign_in

    app.before_request(require_sign_in)
    for feature in BLUEPRINTS:
        app.register_blueprint(import_module(f"tracker.{feature}.routes").bp)


def register_errorhandlers(app: Flask) -> None:
    from tracker.errors import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    from tracker.layout import init_app

    init_app(app)
