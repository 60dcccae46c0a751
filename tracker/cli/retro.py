"""``tracker retro RANGE -o FILE.pdf``: a retrospective PDF from the command line,
telling on standard error what it is doing. The command may cover more weeks than
the web page (no bound on the range) and has a longer time limit."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import ScriptInfo


def _say(message: str) -> None:
    click.echo(message, err=True)


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
@click.pass_context
def retro_command(ctx: click.Context, range_text: str, output: Path, paper: str) -> None:
    """Write the retrospective of RANGE as a PDF.

    RANGE is one cycle (2026-W48), a range of cycles (2026-W40..2026-W52) or a
    quarter (2026-Q4). A range running into the future stops at the current week.
    """
    if not output.parent.is_dir():  # said now, not after the report is made
        raise click.ClickException(f"Could not write {output}: no folder {output.parent}.")
    started = time.perf_counter()
    app = ctx.ensure_object(ScriptInfo).load_app()

    from sqlmodel import Session

    from tracker.database import get_engine
    from tracker.reports.ranges import RangeError
    from tracker.reports.render import COMMAND_TIME_LIMIT, RenderTimeout, ReportTooLarge, render
    from tracker.reports.service import read_range

    with app.app_context(), Session(get_engine()) as session:
        try:
            span = read_range(session, range_text, max_weeks=None)
        except RangeError as exc:
            raise click.ClickException(str(exc)) from None
        if span.clipped:
            _say(f"{range_text} runs past the current week; stopping at {span.last}.")
        weeks = len(span.weeks)
        _say(f"Loading {weeks} cycle{'s' if weeks != 1 else ''} ({span.weeks_text})…")
        try:
            made = render(
                session=session,
                report_range=span,
                paper=paper.lower(),
                language=app.config["LANGUAGE"],
                direction=app.config["TEXT_DIRECTION"],
                team=app.config["TEAM_NAME"],
                time_limit=COMMAND_TIME_LIMIT,
                progress=_say,
            )
        except (RenderTimeout, ReportTooLarge) as exc:
            raise click.ClickException(str(exc)) from None
    try:
        output.write_bytes(made.pdf)
    except OSError as exc:
        raise click.ClickException(f"Could not write {output}: {exc.strerror}.") from None
    size = len(made.pdf) / 1024
    seconds = time.perf_counter() - started
    _say(f"Wrote {output} ({made.pages} pages, {size:,.0f} KB) in {seconds:.1f} s.")
