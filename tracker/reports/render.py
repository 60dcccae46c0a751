"""One template, two outputs: ``templates/reports/retro.html`` rendered as the HTML
preview in the browser and, through WeasyPrint, as the PDF. WeasyPrint is imported
only inside ``render_pdf``, so the app and ``tracker --help`` start without it.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for
from markupsafe import Markup

from tracker.backlog.statement import is_right_to_left
from tracker.reports.data import Retro
from tracker.resources import resource_path

TEMPLATE = "reports/retro.html"
PAPERS = {"a4": "A4", "letter": "Letter"}
# Charts are drawn in DejaVu Sans (matplotlib's font); in the report they use the
# shipped fonts so that the PDF is the same on every host.
_CHART_FONT = re.compile(r"font-family:\s*'DejaVu Sans'")
REPORT_FONTS = "font-family: 'Revloop Sans', 'Revloop Arabic', sans-serif"
_ALT = re.compile(r'aria-label="([^"]*)"')


@dataclass(frozen=True)
class Pdf:
    """A rendered retrospective: the bytes and how many pages they hold."""

    data: bytes
    pages: int


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


def stylesheet_url(*, for_pdf: bool) -> str:
    """The print stylesheet: a file URL for WeasyPrint (so fonts load from disk,
    with no web server), the static URL for the browser."""
    if for_pdf:
        return (resource_path("static") / "css" / "report.css").as_uri()
    return url_for("static", filename="css/report.css")


def render_html(
    retro: Retro, *, paper: str = "a4", for_pdf: bool = False, links: dict[str, str] | None = None
) -> str:
    """The report as HTML: the preview page, or the document WeasyPrint lays out."""
    return render_template(
        TEMPLATE,
        retro=retro,
        summary=retro.summary,
        paper=PAPERS.get(paper, "A4"),
        for_pdf=for_pdf,
        links=links or {},
        stylesheet=stylesheet_url(for_pdf=for_pdf),
        chart=chart,
        dir_of=text_direction,
    )


def render_pdf(
    retro: Retro,
    *,
    paper: str = "a4",
    progress: Callable[[str], Any] | None = None,
) -> Pdf:
    """The report as PDF bytes, telling ``progress`` what it is doing."""
    import weasyprint

    say = progress or (lambda _message: None)
    page = render_html(retro, paper=paper, for_pdf=True)
    say("Laying out pages…")
    document = weasyprint.HTML(
        string=page, base_url=resource_path("static").as_uri() + "/"
    ).render()
    pages = len(document.pages)
    say(f"Rendering {pages} pages…")
    data = document.write_pdf()
    return Pdf(data=data or b"", pages=pages)
