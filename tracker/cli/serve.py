"""``tracker serve``: the development server, or gunicorn in production."""

from __future__ import annotations

import click

from tracker.translation import _


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--production", is_flag=True, help="Serve with gunicorn instead of Flask's server.")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="gunicorn worker processes (with --production).",
)
def serve_command(host: str, port: int, production: bool, workers: int) -> None:
    """Serve Revloop over HTTP."""
    from tracker import create_app

    if production:
        run_gunicorn(host, port, workers)
        return
    from werkzeug.serving import run_simple

    app = create_app()
    with app.app_context():  # the line in the team's language
        announce(host, port)
    # not app.run(): Flask ignores that inside its own command line
    run_simple(
        host,
        port,
        app,
        threaded=True,
        use_reloader=False,
        use_debugger=False,
        request_handler=quiet_request_handler(),
    )


def announce(host: str, port: int) -> None:
    """Where Revloop is served, said once as it starts."""
    url = f"http://{host}:{port}/"
    click.echo(_("Revloop is at %(url)s  (Ctrl+C stops it)", url=url))


def quiet_request_handler() -> type:
    """Werkzeug's request handler, with a Server header that names no version."""
    from werkzeug.serving import WSGIRequestHandler

    class QuietRequestHandler(WSGIRequestHandler):
        server_version = "Revloop"

        def version_string(self) -> str:
            return "Revloop"

    return QuietRequestHandler


def serve_demo(host: str, port: int) -> None:
    """Serve the demo without a development server's red warning: gunicorn
    (one process, a few threads: the demo's SQLite file has one writer), or
    where gunicorn cannot run (Windows) Werkzeug's server without its banner."""
    announce(host, port)
    try:
        import gunicorn.app.base  # noqa: F401  (needs fcntl: not on Windows)
    except ImportError:
        from werkzeug.serving import make_server

        from tracker import create_app

        # make_server, unlike run_simple, prints no banner
        server = make_server(host, port, create_app(), threaded=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            server.server_close()
        return
    run_gunicorn(host, port, 1, threads=4, quiet=True)


def run_gunicorn(
    host: str, port: int, workers: int, *, threads: int = 1, quiet: bool = False
) -> None:
    from gunicorn.app.base import BaseApplication

    from tracker import create_app

    class Revloop(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")
            if quiet:  # our one line said where to go; gunicorn's boot lines add nothing
                self.cfg.set("loglevel", "warning")

        def load(self) -> object:
            return create_app()

    Revloop().run()
