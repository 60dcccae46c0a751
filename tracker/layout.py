"""What every page's layout needs: the navigation, the team and the text direction."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.translation import team_name

# The sections of the product, in the order of the navigation. A section
# appears once its blueprint is registered, so the bar never links to a page
# that does not exist.
SECTIONS = (
    (_l("Dashboard"), "dashboard.index"),
    (_l("This week"), "cycles.this_week"),
    (_l("Backlog"), "backlog.index"),
    (_l("Experiments"), "experiments.board"),
    (_l("Metrics"), "metrics.index"),
    (_l("Learnings"), "learnings.index"),
    (_l("Insights"), "insights.index"),
    (_l("Reports"), "reports.index"),
    (_l("Areas"), "areas.index"),
    (_l("Calculators"), "calculators.index"),
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
    from tracker.changes.labels import TEMPLATE_GLOBALS as change_labels
    from tracker.charts.base import inline
    from tracker.charts.sparkline import bars, sparkline
    from tracker.metrics import format as figures

    app.add_template_filter(inline, "chart")
    app.add_template_global(sparkline, "sparkline")
    app.add_template_global(bars, "bars")
    # one formatter per metric kind and unit, on every page
    app.add_template_global(figures.estimate_parts, "estimate_parts")
    app.add_template_global(figures.format_estimate, "format_estimate")
    app.add_template_global(figures.format_difference, "format_difference")
    app.add_template_global(figures.format_value, "format_value")
    # the change log's words, for every page that lists a record's history
    for name, helper in change_labels.items():
        app.add_template_global(helper, name)

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        return {
            "team_name": team_name(),
            "navigation": navigation() if current_user.is_authenticated else [],
            "navigation_endpoints": app.view_functions,
        }
