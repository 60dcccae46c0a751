"""Absolute links to Revloop's pages, for e-mails and webhooks that are read
outside the browser.

``TRACKER_BASE_URL`` (for example https://revloop.example.com) says where
Revloop is served; without it a request's own address is used, and outside a
request http://localhost/.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for


def base_url() -> str:
    configured = str(current_app.config.get("BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/") + "/"
    if has_request_context():
        return request.url_root
    return "http://localhost/"


def absolute_url(endpoint: str, **values: Any) -> str:
    """The page's full address, e.g. ``absolute_url("experiments.detail", experiment_id=3)``."""
    if has_request_context() and not current_app.config.get("BASE_URL"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base_url()):
        return url_for(endpoint, _external=True, **values)
