"""What every page's layout needs: the navigation, the team and the text direction."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, url_for
from flask_login import current_user

# The sections of the product, in the order of the navigation. A section
# appears once its blueprint is registered, so the bar never links to a page
# that does not exist.
SECTIONS = (
    ("Dashboard", "dashboard.index"),
    ("This week", "cycles.this_week"),
    ("Backlog", "backlog.index"),
    ("Experiments", "experiments.board"),
    ("Metrics", "metrics.index"),
    ("Learnings", "learnings.index"),
    ("Insights", "insights.index"),
    ("Reports", "reports.index"),
    ("Areas", "areas.index"),
    ("Calculators", "calculators.index"),
)


def navigation() -> list[dict[str, Any]]:
    endpoints = current_app.view_functions
    return [
        {
            "label": label,
            "endpoint": endpoint,
            "url": url_for(endpoint),
            "section": endpoint.split(".")[0],
        }
        for label, endpoint in SECTIONS
        if endpoint in endpoints
    ]


def init_app(app: Flask) -> None:
    from tracker.charts.sparkline import bars, sparkline

    app.add_template_global(sparkline, "sparkline")
    app.add_template_global(bars, "bars")

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        return {
            "team_name": app.config["TEAM_NAME"],
            "html_lang": app.config["LANGUAGE"],
            "html_dir": app.config["TEXT_DIRECTION"],
            "navigation": navigation() if current_user.is_authenticated else [],
            "navigation_endpoints": app.view_functions,
        }
