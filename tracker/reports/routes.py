"""The Reports page: choose the weeks and the paper, then preview the
retrospective in the browser or download it as a PDF. Both come from the one
template, ``templates/reports/retro.html``."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Blueprint, current_app, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from tracker.database import get_session
from tracker.reports.forms import HINT, ReportForm
from tracker.reports.ranges import quarter_of, quick_ranges
from tracker.reports.render import render_html, render_pdf
from tracker.reports.service import build_retro, file_name, read_range, this_week
from tracker.reports.worker import layout_workers, warm_up

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _form(*, suggest: bool = False) -> ReportForm:
    session = get_session()
    data = MultiDict(request.args)
    if suggest and "range" not in data:
        data["range"] = quarter_of(this_week(session))
    data.setdefault("paper", "a4")
    return ReportForm(data, read_range=lambda text: read_range(session, text))


def _page(form: ReportForm, status: int = 200) -> Any:
    week = this_week(get_session())
    return (
        render_template(
            "reports/index.html",
            form=form,
            hint=HINT,
            quick=quick_ranges(week),
            this_week=week,
        ),
        status,
    )


@bp.get("/")
def index() -> Any:
    warm_up()  # so that the PDF asked for next is laid out by workers ready for it
    form = _form(suggest=True)
    if "range" in request.args:
        form.validate()
    return _page(form)


@bp.get("/preview")
def preview() -> Any:
    form = _form()
    if not form.validate() or form.span is None:
        return _page(form, 422)
    retro = build_retro(get_session(), form.span, team=current_app.config["TEAM_NAME"])
    args = {"range": form.range.data, "paper": form.paper.data}
    links = {"back": url_for(".index", **args), "pdf": url_for(".pdf", **args)}
    return render_html(retro, paper=form.paper.data, links=links)


@bp.get("/pdf")
def pdf() -> Any:
    form = _form()
    if not form.validate() or form.span is None:
        return _page(form, 422)
    # the workers start while the report's data is gathered
    with layout_workers() as workers:
        retro = build_retro(get_session(), form.span, team=current_app.config["TEAM_NAME"])
        document = render_pdf(retro, paper=form.paper.data, workers=workers)
    return send_file(
        BytesIO(document.data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=file_name(form.span),
        max_age=0,
    )
