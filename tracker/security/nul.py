"""No NUL character reaches the database: PostgreSQL refuses it in text, so a
query string or form value that carries one is refused at the door with a 400
(JSON under the API, the error page elsewhere), whatever page it was meant for."""

from __future__ import annotations

from flask import Flask, abort, request


def refuse_nul() -> None:
    values = [*request.args.values(), *request.args.keys()]
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        abort(400, description="A field holds a NUL character; remove it and try again.")


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)
