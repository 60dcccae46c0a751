"""``tracker retro RANGE -o FILE.pdf``: a retrospective PDF from the command line,
telling on standard error what it is doing. The command may cover more weeks than
the web page (no bound on the range) and has a longer time limit."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

import click
from flask.cli import ScriptInfo

from tracker.languages import LANGUAGES
from tracker.translation import _, ngettext


def _say(message: str) -> None:
    click.echo(message, err=True)


def _report_app() -> Any:
    """Revloop's configuration and database without its pages: all a report
    needs, built in a fraction of the time the whole app takes (its blueprints,
    forms and templates are not imported)."""
    from flask import Flask

    from tracker import database, i18n
    from tracker.config import from_environment

    instance_path = os.environ.get("TRACKER_INSTANCE_PATH") or None
    app = Flask(
        "tracker",
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(from_environment(app.instance_path, dict(os.environ)))
    database.init_app(app)
    i18n.init_app(app)  # the shared formatters write their words through the catalogue
    return app


def _standalone(ctx: click.Context) -> bool:
    """Whether the command runs as ``tracker``, in a process of its own (tests hand in
    their app and run it inside theirs)."""
    from tracker.cli import _create_app

    return ctx.ensure_object(ScriptInfo).create_app is _create_app


@click.command("retro")
@click.argument("range_text", metavar="RANGE")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The PDF file to write.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
)
@click.option(
    "--language",
    type=click.Choice(list(LANGUAGES), case_sensitive=False),
    default=None,
    help="The language to write it in (default: the team's, TRACKER_LANGUAGE).",
)
@click.pass_context
def retro_command(
    ctx: click.Context, range_text: str, output: Path, paper: str, language: str | None
) -> None:
    """Write the retrospective of RANGE as a PDF.

    RANGE is one cycle (2026-W48), a range of cycles (2026-W40..2026-W52) or a
    quarter (2026-Q4). A range running into the future stops at the current week.
    """
    if not output.parent.is_dir():  # said now, not after the report is made
        raise click.ClickException(
            _("Could not write %(file)s: no folder %(folder)s.", file=output, folder=output.parent)
        )
    started = time.perf_counter()
    standalone = _standalone(ctx)
    if standalone:
        # In a process of its own, all the report builds lives until the process exits:
        # the cyclic collector's passes over it are wasted work, the longest being the
        # interpreter's sweep at exit. Off while the report is made, and what is left
        # frozen before exit, they no longer cost a quarter of the command's time;
        # objects are still freed when nothing refers to them (peak memory: +4 MB).
        gc.disable()
    app = _report_app() if standalone else ctx.ensure_object(ScriptInfo).load_app()

    from sqlmodel import Session

    from tracker.database import get_engine
    from tracker.reports.language import report_language
    from tracker.reports.ranges import RangeError
    from tracker.reports.render import COMMAND_TIME_LIMIT, RenderTimeout, ReportTooLarge, render
    from tracker.reports.service import read_range
    from tracker.translation import team_name

    written_in = report_language(language or app.config["LANGUAGE"])
    # the team's explicit direction holds for its own language; another one has its own
    direction = app.config["TEXT_DIRECTION"] if language is None else None
    from flask_babel import force_locale

    # the whole report in its language, the shared formatters' words included
    with app.app_context(), force_locale(written_in), Session(get_engine()) as session:
        try:
            span = read_range(session, range_text, max_weeks=None)
        except RangeError as exc:
            raise click.ClickException(str(exc)) from None
        if span.clipped:
            _say(
                _(
                    "%(range)s runs past the current week; stopping at %(last)s.",
                    range=range_text,
                    last=str(span.last),
                )
            )
        _say(
            ngettext(
                "Loading %(num)d cycle (%(weeks)s)…",
                "Loading %(num)d cycles (%(weeks)s)…",
                len(span.weeks),
                weeks=span.weeks_text,
            )
        )
        try:
            made = render(
                session=session,
                report_range=span,
                paper=paper.lower(),
                language=written_in,
                direction=direction,
                team=team_name(),
                time_limit=COMMAND_TIME_LIMIT,
                progress=_say,
                one_shot=standalone,
            )
        except (RenderTimeout, ReportTooLarge) as exc:
            raise click.ClickException(exc.said(_)) from None
        try:
            output.write_bytes(made.pdf)
        except OSError as exc:
            raise click.ClickException(
                _("Could not write %(file)s: %(problem)s.", file=output, problem=exc.strerror)
            ) from None
        size = len(made.pdf) / 1024
        seconds = time.perf_counter() - started
        _say(
            ngettext(
                "Wrote %(file)s (%(num)d page, %(size)s KB) in %(seconds)s s.",
                "Wrote %(file)s (%(num)d pages, %(size)s KB) in %(seconds)s s.",
                made.pages,
                file=output,
                size=f"{size:,.0f}",
                seconds=f"{seconds:.1f}",
            )
        )
    if standalone:
        gc.freeze()
