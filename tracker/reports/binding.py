"""Where each part's pages go in the finished report.

The PDF is made of the cover, then the pages of the main part (every chapter
but the experiments) with the second part's pages (the experiments chapter)
bound in before the first main chapter that follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.reports.pages import LaidOut

MAIN, SECOND = "main", "second"


@dataclass(frozen=True)
class Run:
    """Pages ``start`` to ``stop`` (from 0, ``stop`` excluded) of one part."""

    part: str
    start: int
    stop: int


@dataclass(frozen=True)
class Binding:
    runs: list[Run]  # after the cover, in the order they are bound
    pages: int  # the cover included
    page_of: dict[str, int]  # each chapter's first page, counted from 1 at the cover


def bind(chapters: list[str], main: LaidOut, second: LaidOut) -> Binding:
    """The order of the parts' pages and the page number of each chapter.

    >>> main = LaidOut(pages=4, anchors={"summary": 0, "decided": 1, "next": 3})
    >>> second = LaidOut(pages=5, anchors={"experiments": 0})
    >>> book = bind(["summary", "decided", "experiments", "next"], main, second)
    >>> book.pages, book.page_of
    (10, {'summary': 2, 'decided': 3, 'experiments': 5, 'next': 10})
    >>> [(run.part, run.start, run.stop) for run in book.runs]
    [('main', 0, 3), ('second', 0, 5), ('main', 3, 4)]
    """
    after = [
        anchor for anchor in chapters[_first_of(chapters, second) + 1 :] if anchor in main.anchors
    ]
    split = main.anchors[after[0]] if after else main.pages
    runs = [Run(MAIN, 0, split), Run(SECOND, 0, second.pages), Run(MAIN, split, main.pages)]
    runs = [run for run in runs if run.stop > run.start]
    final: dict[tuple[str, int], int] = {}
    for run in runs:
        for number in range(run.start, run.stop):
            final[run.part, number] = len(final) + 2  # page 1 is the cover
    page_of = {}
    for anchor in chapters:
        if anchor in second.anchors:
            page_of[anchor] = final[SECOND, second.anchors[anchor]]
        elif anchor in main.anchors:
            page_of[anchor] = final[MAIN, main.anchors[anchor]]
    return Binding(runs=runs, pages=1 + main.pages + second.pages, page_of=page_of)


def _first_of(chapters: list[str], second: LaidOut) -> int:
    """Where the second part's first chapter is in ``chapters`` (past the end when
    there is no second part, which leaves the main part whole)."""
    for index, anchor in enumerate(chapters):
        if anchor in second.anchors:
            return index
    return len(chapters)
