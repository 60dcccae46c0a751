"""``tracker retro RANGE -o FILE.pdf``: a retrospective PDF from the command line,
telling on standard error what it is doing. The command may cover more weeks than
the web page (no bound on the range) and has a longer time limit."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tracker.languages import LANGUAGES
from tracker.translation import _, ngettext

if TYPE_CHECKING:
    from sqlmodel import Session

# the database session, the configuration and the report's language
Opened = tuple["Session", dict[str, Any], str]


def _say(message: str) -> None:
    click.echo(message, err=True)


def _configuration() -> dict[str, Any]:
    """Revloop's configuration as the app reads it, without the app: its instance
    folder and the TRACKER_* environment."""
    from tracker.config import from_environment
    from tracker.resources import instance_folder

    folder = instance_folder()
    os.makedirs(folder, exist_ok=True)
    return from_environment(folder, dict(os.environ))


@contextmanager
def _on_its_own(language: str | None) -> Iterator[Opened]:
    """In a process of its own: the database and the report's language set up
    without Flask, which would be a tenth of the command's time."""
    from sqlmodel import Session

    from tracker.database import open_engine
    from tracker.languages import reading_in
    from tracker.reports.language import report_language

    config = _configuration()
    written_in = report_language(language or config["LANGUAGE"])
    with (
        reading_in(written_in, digits=config["DIGITS"]),
        Session(open_engine(config["DATABASE_URL"])) as session,
    ):
        yield session, config, written_in


@contextmanager
def _in_the_app(ctx: click.Context, language: str | None) -> Iterator[Opened]:
    """Inside the app the caller handed in (the tests): its database and catalogue."""
    from flask.cli import ScriptInfo
    from flask_babel import force_locale
    from sqlmodel import Session

    from tracker.database import get_engine
    from tracker.reports.language import report_language

    app = ctx.ensure_object(ScriptInfo).load_app()
    written_in = report_language(language or app.config["LANGUAGE"])
    with app.app_context(), force_locale(written_in), Session(get_engine()) as session:
        yield session, app.config, written_in


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
    standalone = ctx.obj is None  # no app handed in: ``tracker retro`` in its own process
    if standalone:
        # In a process of its own, all the report builds lives until the process exits:
        # the cyclic collector's passes over it are wasted work, the longest being the
        # interpreter's sweep at exit. Off while the report is made, and what is left
        # frozen before exit, they no longer cost a quarter of the command's time;
        # objects are still freed when nothing refers to them (peak memory: +4 MB).
        gc.disable()
    from tracker.reports.ranges import RangeError
    from tracker.reports.render import COMMAND_TIME_LIMIT, RenderTimeout, ReportTooLarge, render
    from tracker.reports.service import read_range
    from tracker.translation import team_name

    # the whole report in its language, the shared formatters' words included
    opened = _on_its_own(language) if standalone else _in_the_app(ctx, language)
    with opened as (session, config, written_in):
        # the team's explicit direction holds for its own language; another one has its own
        direction = config["TEXT_DIRECTION"] if language is None else None
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
                team=team_name(config),
                time_limit=COMMAND_TIME_LIMIT,
                progress=_say,
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
