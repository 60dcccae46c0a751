"""The security headers every response carries: pages, API answers, static
files and error pages alike.

A small after-request hook rather than Flask-Talisman: the policy is one
fixed set of headers, Talisman would have to be talked out of its HTTPS
redirect and its own session-cookie settings (Revloop sits behind a proxy
that terminates TLS and has TRACKER_SECURE_COOKIES for the cookies), and it
does not set Cache-Control. The Server header is the web server's own:
``tracker serve`` names no version (see tracker/cli/serve.py).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask.wrappers import Response

# Only the app's own files: no inline script, no inline style attribute
# (charts are inline SVG drawn with presentation attributes), no frames.
# Images may also be data: URLs, which run nothing: the retrospective's
# preview is Typst's own SVG pages, which carry their charts that way.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def secure_headers(response: Response) -> Response:
    for name, value in STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        # pages show one-time passwords, new API tokens and the team's data:
        # no browser or proxy cache may keep them
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
