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
    from tracker.metrics import format as figures

    app.add_template_global(sparkline, "sparkline")
    app.add_template_global(bars, "bars")
    # one formatter per metric kind and unit, on every page
    app.add_template_global(figures.estimate_parts, "estimate_parts")
    app.add_template_global(figures.format_estimate, "format_estimate")
    app.add_template_global(figures.format_difference, "format_difference")
    app.add_template_global(figures.format_value, "format_value")

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        return {
            "team_name": app.config["TEAM_NAME"],
            "html_lang": app.config["LANGUAGE"],
            "html_dir": app.config["TEXT_DIRECTION"],
            "navigation": navigation() if current_user.is_authenticated else [],
            "navigation_endpoints": app.view_functions,
        }
