"""Putting the retrospective's parts together into one PDF.

The parts come from ``render.py``: the *sheets* (the cover, then one blank page
per page of the report carrying only the running header and "Page N of M") and
the body parts, whose pages carry no header or footer. Each body page is laid
over its sheet, in the order the ``runs`` give; then the bookmarks, the named
destinations and the links between parts are made to point into the one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    Destination,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from tracker.reports.binding import Run
from tracker.reports.pages import CROSS_PART

SHEETS = "sheets"
SHEET_FORM = "/RevloopSheet"


@dataclass
class _Bookmark:
    part: str
    destination: Destination
    children: list[_Bookmark]


def assemble(sheets: bytes, parts: dict[str, bytes], runs: list[Run]) -> bytes:
    """One PDF: the cover, then the runs' pages, each over its sheet."""
    readers = {SHEETS: PdfReader(BytesIO(sheets))}
    readers.update((name, PdfReader(BytesIO(data))) for name, data in parts.items() if data)
    book = _Book(readers)
    book.bind(runs)
    book.add_destinations()
    book.add_bookmarks()
    book.link_across_parts()
    book.take_metadata(readers[runs[0].part if runs else SHEETS])
    out = BytesIO()
    book.writer.write(out)
    return out.getvalue()


class _Book:
    def __init__(self, readers: dict[str, PdfReader]) -> None:
        self.readers = readers
        self.writer = PdfWriter()
        self.final: dict[tuple[str, int], int] = {}  # (part, its page) to the book's page

    def bind(self, runs: list[Run]) -> None:
        sheets = self.readers[SHEETS].pages
        self.writer.add_page(sheets[0])
        self.final[SHEETS, 0] = 0
        for run in runs:
            for number in range(run.start, run.stop):
                page = self.writer.add_page(self.readers[run.part].pages[number])
                self._lay_over(page, sheets[len(self.writer.pages) - 1])
                self.final[run.part, number] = len(self.writer.pages) - 1

    def _lay_over(self, page: PageObject, sheet: PageObject) -> None:
        """Draw ``sheet`` over ``page``: the sheet becomes a form the page draws
        after its own content, which is left as it is (neither parsed nor
        rewritten, so binding a page costs next to nothing)."""
        form = DecodedStreamObject()
        form.set_data(b"".join(stream.get_data() for stream in _streams(sheet)))
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in sheet.mediabox),
                NameObject("/Resources"): sheet["/Resources"].clone(self.writer),
            }
        )
        resources = DictionaryObject(cast(DictionaryObject, page["/Resources"].get_object()))
        forms = DictionaryObject(
            cast(DictionaryObject, resources.get("/XObject", DictionaryObject()).get_object())
        )  # copies: the part's pages may share their resources
        # (pypdf has no public way to add an object of one's own)
        forms[NameObject(SHEET_FORM)] = self.writer._add_object(form.flate_encode())
        resources[NameObject("/XObject")] = forms
        page[NameObject("/Resources")] = resources
        contents = page.raw_get("/Contents")
        streams = contents.get_object() if isinstance(contents.get_object(), list) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [self._stream(b"q\n"), *streams, self._stream(f"Q q {SHEET_FORM} Do Q\n".encode())]
        )

    def _stream(self, data: bytes) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.writer._add_object(stream)

    def place(self, part: str, destination: Destination) -> tuple[int, Fit] | None:
        """The book's page for a destination in a part, and where on it."""
        number = self.readers[part].get_destination_page_number(destination)
        page = self.final.get((part, number)) if number is not None else None
        if page is None:
            return None
        return page, Fit.xyz(destination.left, destination.top, destination.zoom)

    def add_destinations(self) -> None:
        for part, reader in self.readers.items():
            for name, destination in reader.named_destinations.items():
                placed = self.place(part, destination)
                if placed is not None:
                    page = self.writer.pages[placed[0]].indirect_reference
                    assert page is not None
                    self.writer.add_named_destination_object(Destination(name, page, placed[1]))

    def add_bookmarks(self) -> None:
        """Every part's bookmarks, in the order of their pages."""
        bookmarks = [
            bookmark
            for part, reader in self.readers.items()
            for bookmark in _bookmarks(part, reader.outline)
        ]

        def order(bookmark: _Bookmark) -> tuple[int, float]:
            placed = self.place(bookmark.part, bookmark.destination)
            return (
                placed[0] if placed else len(self.writer.pages),
                -(bookmark.destination.top or 0),
            )

        self._add(sorted(bookmarks, key=order), parent=None)

    def _add(self, bookmarks: list[_Bookmark], parent: Any) -> None:
        for bookmark in bookmarks:
            placed = self.place(bookmark.part, bookmark.destination)
            if placed is None:
                continue
            entry = self.writer.add_outline_item(
                title=str(bookmark.destination.title),
                page_number=placed[0],
                parent=parent,
                fit=placed[1],
            )
            self._add(bookmark.children, parent=entry)

    def link_across_parts(self) -> None:
        """A link a part kept as ``revloop-anchor:NAME`` (see pages.py) now goes
        to the named destination NAME."""
        for page in self.writer.pages:
            for reference in page.get("/Annots") or []:
                annotation = reference.get_object()
                action = annotation.get("/A")
                target = str(action.get("/URI", "")) if action is not None else ""
                if target.startswith(CROSS_PART):
                    del annotation[NameObject("/A")]
                    annotation[NameObject("/Dest")] = TextStringObject(target[len(CROSS_PART) :])

    def take_metadata(self, source: PdfReader) -> None:
        """The title, author, date and language of the part given."""
        if source.metadata:
            self.writer.add_metadata(dict(source.metadata))
        language = source.root_object.get("/Lang")
        if language is not None:
            self.writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))


def _streams(page: PageObject) -> list[Any]:
    """The content streams of a page, one or an array of them."""
    contents = page["/Contents"].get_object()
    return [s.get_object() for s in contents] if isinstance(contents, list) else [contents]


def _bookmarks(part: str, outline: list[Any]) -> list[_Bookmark]:
    """pypdf's outline (an item, then the list of its children) as a tree."""
    items: list[_Bookmark] = []
    for entry in outline:
        if isinstance(entry, list):
            items[-1].children = _bookmarks(part, entry)
        else:
            items.append(_Bookmark(part, entry, []))
    return items
