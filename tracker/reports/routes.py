"""The Reports page: choose the weeks and the paper, then preview the
retrospective in the browser or download it as a PDF. The preview is the PDF's
own document, typeset as SVG pages (render.py), not a second template."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Blueprint, Response, after_this_request, render_template, request, send_file
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from tracker.database import get_session
from tracker.reports import render as rendering
from tracker.reports.forms import ReportForm, explained, hint
from tracker.reports.ranges import quarter_of, quick_ranges
from tracker.reports.render import RenderTimeout, ReportTooLarge, forget_layouts, render
from tracker.reports.service import file_name, read_range, this_week

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
            hint=hint(),
            # the labels are catalogue entries (ranges.quick_ranges)
            quick=[(_(label), text) for label, text in quick_ranges(week)],
            this_week=week,
        ),
        status,
    )


def _render(form: ReportForm, output: str) -> Any:
    """The report of the form's range, or the form again with why it could not be made."""
    from tracker.i18n import current_direction, current_language
    from tracker.translation import team_name

    assert form.span is not None

    @after_this_request
    def forget_once_sent(response: Response) -> Response:
        # once the reader has the report (or why it could not be made), so that the
        # worker keeps the memory of one report without the reader waiting on it
        response.call_on_close(forget_layouts)
        return response

    try:
        # in the reader's language (their choice, else the team's), like the page
        return render(
            session=get_session(),
            report_range=form.span,
            output="svg" if output == "svg" else "pdf",
            paper=form.paper.data,
            language=current_language(),
            direction=current_direction(),
            team=team_name(),
            time_limit=rendering.WEB_TIME_LIMIT,
        )
    except (RenderTimeout, ReportTooLarge) as exc:
        form.range.errors = [*form.range.errors, explained(exc)]
        return None


@bp.get("/")
def index() -> Any:
    form = _form(suggest=True)
    if "range" in request.args:
        form.validate()
    return _page(form)


@bp.get("/preview")
def preview() -> Any:
    form = _form()
    if not form.validate() or form.span is None:
        return _page(form, 422)
    made = _render(form, "svg")
    if made is None:
        return _page(form, 422)
    return render_template(
        "reports/preview.html",
        span=form.span,
        paper=form.paper.data,
        # typeset here from the report's data, never from text a person typed
        pages=[Markup(page) for page in made.svg_pages],
    )


@bp.get("/pdf")
def pdf() -> Any:
    form = _form()
    if not form.validate() or form.span is None:
        return _page(form, 422)
    made = _render(form, "pdf")
    if made is None:
        return _page(form, 422)
    response = send_file(
        BytesIO(made.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=file_name(form.span),
        max_age=0,
    )
    # handed to the server through the response's own iterator, whose close runs
    # what the request asked for once it is sent (a passed-through file's does not)
    response.direct_passthrough = False
    return response
