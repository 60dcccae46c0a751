"""CSV exports of every list (``/export/...``) and the import page (``/import/``)
for metric readings and result snapshots."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker.access import role_required
from tracker.csvio import exports, list_exports
from tracker.csvio.forms import ReadingsImportForm, ResultsImportForm
from tracker.csvio.reader import ImportRefused
from tracker.csvio.writer import csv_chunks
from tracker.database import get_session
from tracker.i18n import bdi, format_number, html
from tracker.models import Metric, Role
from tracker.models.types import utcnow
from tracker.parsing import arg_id

bp = Blueprint("csvio", __name__)


def _int(name: str) -> int | None:
    return arg_id(name)


def send_csv(export: exports.Export) -> Response:
    """Stream the export as a download, a few hundred rows at a time."""
    # The rows are read through the view's session while the response streams,
    # after the request's own teardown has run, so the stream closes it itself
    # (otherwise its connection stays checked out, and on PostgreSQL holds locks).
    session = get_session()

    def body() -> Iterator[bytes]:
        try:
            for chunk in csv_chunks(export.header, export.rows):
                yield chunk.encode("utf-8")
        finally:
            session.close()

    filename = f"revloop-{export.name}-{utcnow():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(body()),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(filename)}",
            "Cache-Control": "no-store",
        },
    )


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)


# --- exports ----------------------------------------------------------------------


@bp.get("/export/backlog.csv")
def backlog() -> ResponseReturnValue:
    return send_csv(
        exports.backlog(
            get_session(),
            area=_int("area"),
            process=_int("process"),
            status=request.args.get("status", ""),
        )
    )


@bp.get("/export/experiments.csv")
def experiments() -> ResponseReturnValue:
    return send_csv(
        exports.experiments(
            get_session(),
            area=_int("area"),
            owner=_int("owner"),
            status=request.args.get("status", ""),
        )
    )


@bp.get("/export/actions.csv")
def actions() -> ResponseReturnValue:
    owner = request.args.get("owner", "")
    return send_csv(
        exports.actions(
            get_session(),
            cycle=request.args.get("cycle", "").strip().upper(),
            owner=current_user.id if owner == "me" else _int("owner"),
            statuses=request.args.getlist("status"),
        )
    )


@bp.get("/export/readings.csv")
def readings() -> ResponseReturnValue:
    session = get_session()
    metric = None
    if request.args.get("metric"):
        metric = session.get(Metric, _int("metric") or 0)
        if metric is None:
            abort(404)
    return send_csv(exports.readings(session, metric=metric))


@bp.get("/export/metrics/<int:metric_id>/readings.csv")
def metric_readings(metric_id: int) -> ResponseReturnValue:
    session = get_session()
    metric = session.get(Metric, metric_id)
    if metric is None:
        abort(404)
    return send_csv(exports.readings(session, metric=metric))


@bp.get("/export/results.csv")
def results() -> ResponseReturnValue:
    return send_csv(exports.results(get_session(), experiment_id=_int("experiment")))


@bp.get("/export/metrics.csv")
def metrics() -> ResponseReturnValue:
    return send_csv(list_exports.metrics(get_session()))


@bp.get("/export/changes.csv")
def changes() -> ResponseReturnValue:
    return send_csv(list_exports.changes(get_session(), entity=request.args.get("entity", "")))


@bp.get("/export/users.csv")
@role_required(Role.admin)
def users() -> ResponseReturnValue:
    return send_csv(list_exports.users(get_session()))


@bp.get("/export/learnings.csv")
def learnings() -> ResponseReturnValue:
    return send_csv(
        exports.learnings(get_session(), q=request.args.get("q", ""), area=_int("area"))
    )


@bp.get("/export/cycles.csv")
def cycles() -> ResponseReturnValue:
    return send_csv(exports.cycles(get_session()))


# --- imports ----------------------------------------------------------------------


def _page(
    *,
    readings_form: ReadingsImportForm | None = None,
    results_form: ResultsImportForm | None = None,
    refused: dict[str, Any] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    from tracker.csvio.readings import COLUMNS as READING_COLUMNS
    from tracker.csvio.results import COLUMNS as RESULT_COLUMNS

    return (
        render_template(
            "csvio/import.html",
            readings_form=readings_form or ReadingsImportForm(formdata=None, prefix="readings"),
            results_form=results_form or ResultsImportForm(formdata=None, prefix="results"),
            refused=refused or {},
            reading_columns=READING_COLUMNS,
            result_columns=RESULT_COLUMNS,
        ),
        status,
    )


def _refusal(exc: ImportRefused, filename: str) -> dict[str, Any]:
    return {
        "filename": filename,
        "summary": exc.summary(),
        "messages": exc.messages,
        "more": exc.more,
    }


@bp.get("/import/")
@role_required(Role.editor)
def index() -> ResponseReturnValue:
    return _page()


@bp.post("/import/readings")
@role_required(Role.editor)
def import_readings() -> ResponseReturnValue:
    from tracker.csvio.readings import import_readings as run

    def done(count: int, filename: str) -> str:
        return html(
            ngettext(
                "Imported %(count)s reading from %(file)s.",
                "Imported %(count)s readings from %(file)s.",
                count,
                count=format_number(count),
                file="%(file)s",
            ),
            file=bdi(filename),
        )

    return _import("readings", ReadingsImportForm(prefix="readings"), run, done)


@bp.post("/import/results")
@role_required(Role.editor)
def import_results() -> ResponseReturnValue:
    from tracker.csvio.results import import_results as run

    def done(imported: Any, _filename: str) -> str:
        sets = ngettext(
            "%(count)s result set",
            "%(count)s result sets",
            imported.sets,
            count=format_number(imported.sets),
        )
        rows = ngettext(
            "%(count)s row", "%(count)s rows", imported.rows, count=format_number(imported.rows)
        )
        experiments = ngettext(
            "%(count)s experiment",
            "%(count)s experiments",
            imported.experiments,
            count=format_number(imported.experiments),
        )
        return str(
            _(
                "Imported %(sets)s (%(rows)s) for %(experiments)s, each analysed.",
                sets=sets,
                rows=rows,
                experiments=experiments,
            )
        )

    return _import("results", ResultsImportForm(prefix="results"), run, done)


def _import(
    kind: str, form: Any, run: Callable[..., Any], done: Callable[[Any, str], str]
) -> ResponseReturnValue:
    """Run one import from the page: whole or nothing, the refusal beside its form."""
    if not form.validate_on_submit():
        return _page(**{f"{kind}_form": form}, status=422)
    upload = form.csv_file.data
    filename = upload.filename or ""
    session = get_session()
    try:
        outcome = run(session, io.BytesIO(upload.read()), user_id=current_user.id, source=filename)
    except ImportRefused as exc:
        session.rollback()
        return _page(**{f"{kind}_form": form}, refused={kind: _refusal(exc, filename)}, status=422)
    session.commit()
    flash(done(outcome, filename), "success")
    return redirect(url_for("csvio.index"))
