"""Protections that span the app: passwords, sign-ins, throttling, headers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from tracker.extensions import limiter
    from tracker.security import headers, login, nul

    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        # the client's address (the throttle's key) and scheme, as the proxy saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    limiter.init_app(app)
    login.init_app(app)
    headers.init_app(app)
    nul.init_app(app)
