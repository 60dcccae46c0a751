"""One template, two outputs: ``templates/reports/retro.html`` rendered as the HTML
preview in the browser and, through WeasyPrint, as the PDF. WeasyPrint is imported
only when a PDF is made, so the app and ``tracker --help`` start without it.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Collection
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for
from markupsafe import Markup

from tracker.backlog.statement import is_right_to_left
from tracker.reports import pages
from tracker.reports.binding import MAIN, SECOND, bind
from tracker.reports.data import Retro
from tracker.reports.worker import LayoutWorker, Part, layout_workers
from tracker.resources import resource_path

TEMPLATE = "reports/retro.html"
CHAPTERS = {
    "summary": "Summary",
    "decided": "All decided experiments",
    "experiments": "Experiments",
    "metrics": "Metrics by buyer-journey stage",
    "actions": "Action plan",
    "learnings": "Learnings",
    "next": "Next",
}
# The chapters one worker lays out while the other lays out the rest (render_pdf).
APART = ("experiments",)
PAPERS = {"a4": "A4", "letter": "Letter"}
# Charts are drawn in DejaVu Sans (matplotlib's font); in the report they use the
# shipped fonts so that the PDF is the same on every host.
_CHART_FONT = re.compile(r"font-family:\s*'DejaVu Sans'")
REPORT_FONTS = "font-family: 'Revloop Sans', 'Revloop Arabic', sans-serif"
_ALT = re.compile(r'aria-label="([^"]*)"')


@dataclass(frozen=True)
class Pdf:
    """A rendered retrospective: the bytes, how many pages they hold and the peak
    memory of each worker process that laid out part of it."""

    data: bytes
    pages: int
    worker_peaks_mb: tuple[float, ...] = ()


def text_direction(text: str | None) -> str:
    """ "rtl" when the first letter with a direction is right-to-left (Arabic,
    Hebrew...), else "ltr": the rule of ``dir="auto"``, computed here because
    WeasyPrint does not apply ``dir="auto"`` itself.

    >>> text_direction("خفض زمن الرد"), text_direction("Win rate (نسبة الفوز)")
    ('rtl', 'ltr')
    """
    return "rtl" if is_right_to_left(text or "") else "ltr"


def chart(svg: str | None, class_: str = "chart") -> Markup:
    """A chart drawn here, in the report's fonts, as an image with its alt text.

    An ``<img>`` of the SVG rather than the SVG inline: WeasyPrint then parses each
    chart on its own instead of running the page's whole stylesheet over every
    path of it, which takes the quarter's PDF from seconds to a fraction of one.
    """
    if not svg:
        return Markup("")
    alt = _ALT.search(svg)
    data = base64.b64encode(_CHART_FONT.sub(REPORT_FONTS, svg).encode()).decode("ascii")
    return Markup('<img class="{}" alt="{}" src="data:image/svg+xml;base64,{}">').format(
        class_, html.unescape(alt.group(1)) if alt else "", Markup(data)
    )


def preview_chart(svg: str | None, class_: str = "chart") -> Markup:
    """A chart in the browser's preview: inline SVG, as the pages show them (the
    Content-Security-Policy allows no data: images)."""
    from tracker.charts.base import inline

    return inline((svg or "").replace('class="chart"', f'class="{class_}"', 1))


def stylesheet_url(*, for_pdf: bool) -> str:
    """The print stylesheet: a file URL for WeasyPrint (so fonts load from disk,
    with no web server), the static URL for the browser."""
    if for_pdf:
        return (resource_path("static") / "css" / "report.css").as_uri()
    return url_for("static", filename="css/report.css")


def chapters(retro: Retro) -> dict[str, str]:
    """The report's chapters in order, anchor to title; a chapter with nothing to
    show is left out (and so is not numbered)."""
    present = {
        "summary": True,
        "decided": bool(retro.decided),
        "experiments": bool(retro.experiments),
        "metrics": bool(retro.stages),
        "actions": bool(retro.actions),
        "learnings": bool(retro.learnings),
        "next": True,
    }
    return {anchor: CHAPTERS[anchor] for anchor, shown in present.items() if shown}


def render_html(
    retro: Retro,
    *,
    paper: str = "a4",
    for_pdf: bool = False,
    links: dict[str, str] | None = None,
    part: Collection[str] | None = None,
    sheets: int = 0,
    page_of: dict[str, int] | None = None,
) -> str:
    """The report as HTML: the preview page (the cover and every chapter), or one
    part of the PDF: the chapters named in ``part`` or, with ``sheets``, the
    cover and that many blank pages for the running header and footer, with the
    chapters' page numbers (``page_of``) in its contents."""
    contents = chapters(retro)
    return render_template(
        TEMPLATE,
        retro=retro,
        summary=retro.summary,
        paper=PAPERS.get(paper, "A4"),
        for_pdf=for_pdf,
        links=links or {},
        stylesheet=stylesheet_url(for_pdf=for_pdf),
        chart=chart if for_pdf else preview_chart,
        dir_of=text_direction,
        contents=contents.items(),
        number={anchor: n for n, anchor in enumerate(contents, start=1)},
        cover=part is None or sheets > 0,
        shown=contents if part is None else set(part),
        sheets=sheets,
        page_of=page_of or {},
    )


def render_pdf(
    retro: Retro,
    *,
    paper: str = "a4",
    progress: Callable[[str], Any] | None = None,
    workers: list[LayoutWorker | None] | None = None,
) -> Pdf:
    """The report as PDF bytes, telling ``progress`` what it is doing.

    Two ``workers`` (see worker.py; started here when not given) lay out the
    parts at once: one the experiments chapter, the other the other chapters and
    then, once the page count is known, the cover and the sheets carrying the
    running header and "Page N of M". ``assemble`` binds them, each page over
    its sheet.
    """
    from tracker.reports.assemble import assemble  # pypdf, only when a PDF is made

    say = progress or (lambda _message: None)
    base_url = resource_path("static").as_uri() + "/"
    order = list(chapters(retro))
    apart = [anchor for anchor in order if anchor in APART]
    rest = [anchor for anchor in order if anchor not in APART]

    def part(worker: LayoutWorker | None, **kwargs: Any) -> Part:
        return Part(render_html(retro, paper=paper, for_pdf=True, **kwargs), base_url, worker)

    say("Laying out pages…")
    with ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(layout_workers())
        one, other = [*workers, None, None][:2]
        experiments = part(one, part=apart) if apart else None
        main = part(other, part=rest)
        nothing = pages.LaidOut(pages=0, anchors={})
        book = bind(order, main.laid_out(), experiments.laid_out() if experiments else nothing)
        main_pdf = main.pdf()  # read before the same worker takes the sheets
        say(f"Rendering {book.pages} pages…")
        sheets = part(other, part=(), sheets=book.pages - 1, page_of=book.page_of)
        parts = {MAIN: main_pdf, SECOND: experiments.pdf() if experiments else b""}
        data = assemble(sheets.pdf(), parts, book.runs)
    peaks = tuple(w.peak_memory_mb for w in workers if w is not None and w.peak_memory_mb)
    return Pdf(data=data, pages=book.pages, worker_peaks_mb=peaks)
