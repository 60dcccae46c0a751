"""``tracker import``: metric readings and result snapshots from CSV files,
whole or not at all, with a progress bar for large files."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import IO, Any

import click
from flask.cli import with_appcontext

from tracker.translation import _, ngettext

# Below this size a file imports in a blink: no progress bar.
PROGRESS_FROM_BYTES = 1_000_000


@click.group("import", help="Import metric readings or result snapshots from a CSV file.")
def import_group() -> None:
    pass


def _run(path: str, importer: Callable[..., Any]) -> Any:
    """Run ``importer`` on the file at ``path`` in one transaction; on a refused
    file print the errors and exit with status 1."""
    from tracker.csvio.reader import ImportRefused
    from tracker.database import get_session

    session = get_session()
    size = os.path.getsize(path)
    with open(path, "rb") as stream:
        try:
            if size < PROGRESS_FROM_BYTES:
                result = importer(session, stream, user_id=None, source=os.path.basename(path))
            else:
                result = _with_progress(session, stream, size, path, importer)
        except ImportRefused as exc:
            session.rollback()
            click.echo(f"{path}: {exc.summary()}", err=True)
            for message in exc.messages:
                click.echo(f"  {message}", err=True)
            if exc.more:
                click.echo("  " + _("… and %(count)s more.", count=f"{exc.more:,}"), err=True)
            raise SystemExit(1) from None
    session.commit()
    return result


def _with_progress(
    session: Any, stream: IO[bytes], size: int, path: str, importer: Callable[..., Any]
) -> Any:
    with click.progressbar(length=size, label=_("Reading"), file=sys.stderr) as bar:
        done = 0

        def advance(position: int) -> None:
            nonlocal done
            if position > done:
                bar.update(position - done)
                done = position

        result = importer(
            session, stream, user_id=None, source=os.path.basename(path), progress=advance
        )
        bar.update(max(0, size - done))
    return result


@import_group.command("readings")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def readings_command(file: str) -> None:
    """Import metric readings: metric, period_start, period_end and the figures
    of the metric's kind (successes, trials / n, mean, sd / events, exposure)."""
    from tracker.csvio.readings import import_readings

    count = _run(file, import_readings)
    click.echo(
        ngettext(
            "Imported %(count)s reading from %(file)s.",
            "Imported %(count)s readings from %(file)s.",
            count,
            count=f"{count:,}",
            file=file,
        )
    )


@import_group.command("results")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def results_command(file: str) -> None:
    """Import result snapshots: experiment, recorded_at, arm, metric and the
    figures; each result set is analysed as the results form does."""
    from tracker.csvio.results import import_results

    imported = _run(file, import_results)
    sets = ngettext(
        "%(count)s result set", "%(count)s result sets", imported.sets, count=f"{imported.sets:,}"
    )
    rows = ngettext("%(count)s row", "%(count)s rows", imported.rows, count=f"{imported.rows:,}")
    experiments = ngettext("%(num)d experiment", "%(num)d experiments", imported.experiments)
    click.echo(
        _(
            "Imported %(sets)s (%(rows)s) for %(experiments)s, each analysed.",
            sets=sets,
            rows=rows,
            experiments=experiments,
        )
    )
