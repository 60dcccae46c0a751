"""Laying out one part of the retrospective with WeasyPrint.

The PDF is made in parts (see ``render.py``), each an HTML document of its own,
laid out here, by a layout worker (``worker.py``) or, when one fails, in the
calling process. A part may
link to an anchor in another part: the contents on the cover link to every
chapter, the table of decided experiments to each experiment's section.
WeasyPrint drops a link whose anchor is not in its document, so such a link is
kept as a link to ``revloop-anchor:NAME``, which ``assemble.py`` turns back into
a link within the finished PDF.

WeasyPrint is imported inside the functions, so that importing this module
stays cheap; the workers' fork server imports both ahead of time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import Document

CROSS_PART = "revloop-anchor:"


@dataclass(frozen=True)
class LaidOut:
    """What the rest of the report needs to know about a part once it is laid
    out: how many pages it takes and on which of them (from 0) each anchor is."""

    pages: int
    anchors: dict[str, int]


def lay_out(html: str, base_url: str) -> Document:
    """The part's pages, its links to other parts kept (see the module's doc)."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url).render()
    anchors = {name for page in document.pages for name in page.anchors}
    for page in document.pages:
        page.links = [
            ("external", CROSS_PART + target, rectangle, box)
            if kind == "internal" and target not in anchors
            else (kind, target, rectangle, box)
            for kind, target, rectangle, box in page.links
        ]
    return document


def describe(document: Document) -> LaidOut:
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    return LaidOut(pages=len(document.pages), anchors=anchors)


def write(document: Document) -> bytes:
    return document.write_pdf() or b""
