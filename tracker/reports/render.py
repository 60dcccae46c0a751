"""The retrospective, typeset: ``render`` is the one entry point, for the PDF of
a range (the Reports page, the command line, share links) and for the same
document as SVG pages (the Reports page's preview).

One Typst compile in this process (the ``typst`` package, Rust, no child
process) of ``templates/reports/retro.typ`` fed the report's data as JSON; the
fonts are only those under ``static/fonts/``, so the PDF is the same on every
host.

Every render has a time limit: the deadline is checked after the queries, after
each sparkline and before the compile, and the compile's own work is bounded by the
size of what it is given (at most ``MAX_EXPERIMENTS`` experiment sections; the
web and the API also refuse a range over ``WEB_MAX_WEEKS`` cycles, see
service.read_range). A render past its limit raises ``RenderTimeout``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlmodel import Session

from tracker.reports.problems import N_, ReportProblem
from tracker.reports.ranges import ReportRange
from tracker.resources import resource_path

if TYPE_CHECKING:
    import typst

    from tracker.reports.records import Retro

TEMPLATE = "reports/retro.typ"
WEB_TIME_LIMIT = 20.0  # seconds: under gunicorn's 30 s, with room for the answer
COMMAND_TIME_LIMIT = 300.0
# A compile takes about 6 ms per experiment section on this machine (README):
# 400 sections stay within the web's limit with room to spare.
MAX_EXPERIMENTS = 400

_fonts: typst.Fonts | None = None
_fonts_lock = threading.Lock()


# The stages a render is checked between, as the timeout message names them.
STAGE_NAMES = {
    "queries": N_("queries"),
    "calibration": N_("calibration"),
    "charts": N_("charts"),
    "writing": N_("writing"),
    "typesetting": N_("typesetting"),
}


class RenderTimeout(ReportProblem):
    """A render that ran past its time limit; the message says what to do."""


class ReportTooLarge(ReportProblem):
    """A range with more than a report can hold; the message says what to do."""


@dataclass
class Deadline:
    """Seconds a render may take, checked between its stages."""

    seconds: float
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.started or time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def check(self, stage: str) -> None:
        if self.elapsed > self.seconds:
            from tracker.translation import _l

            raise RenderTimeout(
                N_(
                    "The report took longer than its limit of %(seconds)s s (stopped after "
                    "the %(stage)s); choose a shorter range."
                ),
                seconds=f"{self.seconds:g}",
                stage=_l(STAGE_NAMES.get(stage, stage)),  # said in the reader's language
            )


@dataclass(frozen=True)
class Rendered:
    """The retrospective as a PDF (``pdf``) or as SVG pages (``svg_pages``)."""

    retro: Retro
    pdf: bytes = b""
    svg_pages: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return len(self.svg_pages) if self.svg_pages else _page_count(self.pdf)


def _page_count(pdf: bytes) -> int:
    """Pages of a PDF Typst wrote: its page tree's root counts them."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)


def fonts() -> typst.Fonts:
    """The shipped fonts (static/fonts/), scanned once per process; no system fonts
    and none of Typst's own."""
    global _fonts
    with _fonts_lock:
        if _fonts is None:
            import typst

            _fonts = typst.Fonts(
                include_system_fonts=False,
                include_embedded_fonts=False,
                font_paths=[str(resource_path("static") / "fonts")],
            )
        return _fonts


def _found(retro: Retro) -> str:
    """What the report holds, for the command line's progress. (A sentence of its own,
    not Babel's list patterns: those load all of CLDR's data, a tenth of a second of
    the command's time, for one line.)"""
    from tracker.translation import _, ngettext

    return _(
        "Found %(experiments)s, %(actions)s, %(learnings)s.",
        experiments=ngettext("%(num)d experiment", "%(num)d experiments", len(retro.experiments)),
        actions=ngettext("%(num)d action item", "%(num)d action items", len(retro.actions)),
        learnings=ngettext("%(num)d learning", "%(num)d learnings", len(retro.learnings)),
    )


def _typesetting() -> str:
    from tracker.translation import _

    return _("Typesetting…")


# typst-py keeps the layout caches of its last ten compiles (comemo's evict(10)
# after each); a quarter's report leaves about 35 MB in them, so a web worker that
# had made reports of ten ranges would hold some 400 MB more, for as long as it
# lives. Every compile ages each cache entry by one, and an entry older than ten
# is dropped: ten compiles of an empty page after a report drop its caches, and a
# worker's memory stays that of one report (about 180 MB). They take 50 to 75 ms,
# most of it freeing the report's caches, so the pages run them once the reader has
# the report (reports/routes.py); the command's process ends with its report and
# skips them. The price: a second download of the same range is typeset again.
AGE_OUT_COMPILES = 10


def forget_layouts() -> None:
    """Age Typst's caches by ``AGE_OUT_COMPILES`` compiles of an empty page, so that
    no report's layout stays in memory after it."""
    import typst

    for _ in range(AGE_OUT_COMPILES):
        typst.Compiler(b"", font_paths=fonts(), ignore_system_fonts=True).compile(format="svg")


def compile_report(data: dict[str, Any], *, output: Literal["pdf", "svg"]) -> bytes | list[bytes]:
    """One Typst compile of the template with ``data``."""
    import typst

    template = resource_path("templates") / TEMPLATE
    compiler = typst.Compiler(
        str(template),
        root=str(template.parent),
        font_paths=fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
    result = compiler.compile(format=output, pdf_tags=False)
    if output == "svg":
        return result if isinstance(result, list) else [result]  # type: ignore[list-item]
    assert isinstance(result, bytes)
    return result


def render(
    *,
    session: Session,
    report_range: ReportRange,
    output: Literal["pdf", "svg"] = "pdf",
    paper: str = "a4",
    language: str = "en",
    direction: str | None = None,
    team: str = "Revenue Operations",
    time_limit: float = WEB_TIME_LIMIT,
    progress: Callable[[str], Any] | None = None,
) -> Rendered:
    """Gather the report of ``report_range`` and typeset it within ``time_limit``
    seconds, telling ``progress`` what it is doing. A long-lived process calls
    ``forget_layouts`` afterwards."""
    from tracker.i18n import direction_of
    from tracker.reports.gather import gather
    from tracker.reports.language import wording_for
    from tracker.reports.payload import payload

    say = progress or (lambda _message: None)
    deadline = Deadline(time_limit)
    wording = wording_for(language)
    retro = gather(session, report_range, team=team, check=deadline.check, wording=wording)
    if len(retro.experiments) > MAX_EXPERIMENTS:
        raise ReportTooLarge(
            N_(
                "%(range)s holds %(count)s experiments; a report holds at most %(most)s. "
                "Choose a shorter range."
            ),
            range=report_range.label,
            count=len(retro.experiments),
            most=MAX_EXPERIMENTS,
        )
    say(_found(retro))
    if direction is None:
        direction = direction_of(wording.language)  # the one language-to-direction rule
    data = payload(retro, paper=paper, wording=wording, direction=direction)
    deadline.check("writing")
    say(_typesetting())
    result = compile_report(data, output=output)
    deadline.check("typesetting")
    if isinstance(result, list):
        return Rendered(retro, svg_pages=glyphs_once([page.decode() for page in result]))
    return Rendered(retro, pdf=result)


_GLYPH = re.compile(r'<symbol id="(g[0-9A-Fa-f]+)"[^>]*>.*?</symbol>', re.S)


def glyphs_once(pages: list[str]) -> tuple[str, ...]:
    """SVG pages to be shown in one HTML document, each glyph's outline defined
    once: Typst writes into every page the glyphs it uses, under an id made from
    the glyph, so a quarter's 28 pages defined 965 glyphs 7,762 times (4 MB of
    its 10). A page uses the first definition of its id, wherever it stands."""
    seen: set[str] = set()

    def first_only(match: re.Match[str]) -> str:
        if match.group(1) in seen:
            return ""
        seen.add(match.group(1))
        return match.group(0)

    return tuple(_GLYPH.sub(first_only, page) for page in pages)
