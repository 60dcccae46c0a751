"""Finding interface text left in English on a page served in Arabic.

A page served in Arabic may still hold Latin letters where a person wrote
them (a title, a note, a name) or where a figure must read left to right (an
ISO week, an e-mail address, a p-value). Both are marked in the templates:
user-written text sits in an element with its own direction (``dir`` set, or
``<bdi>``), and left-to-right runs in an element with ``dir="ltr"``. Any other
Latin word in the visible text is interface text nobody translated.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Names and abbreviations that stay as they are in the Arabic interface.
KEPT_AS_IS = frozenset(
    {
        "Revloop",
        "ICE",
        "RICE",
        "PIE",
        "CSV",
        "PDF",
        "API",
        "JSON",
        "URL",
        "HTTP",
        "HTTPS",
        "SMTP",
        "ISO",
        "A/B",
        "SD",
        "SRM",
        "Brier",
        "Wilson",
        "Holm",
        "Slack",
        "Typst",
        "Chromium",
        # statistical symbols and standard names an Arabic text keeps in Latin
        "n",
        "p",
        "t",
        "z",
        "UTC",
        "IANA",
        "Ctrl",
        "USD",
        "EUR",
        "SAR",
        "MQL",
        "SQL",
        "CSAT",
        "NPS",
        "CRM",
    }
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_HIDDEN = frozenset({"script", "style", "template", "code", "kbd", "samp", "pre", "svg", "title"})
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z/'’.-]*")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # for each open element: does it exempt its text (own direction, hidden)?
        self.stack: list[bool] = []
        self.leftovers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        names = dict(attrs)
        exempt = (
            tag == "bdi"
            or tag in _HIDDEN
            or "dir" in names
            or names.get("hidden") is not None
            or "hidden" in names
            or names.get("aria-hidden") == "true"
            or "data-user-text" in names
        )
        self.stack.append(exempt)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        # the <html dir="rtl"> element itself does not exempt the page
        if any(self.stack[1:]):
            return
        words = [w.strip(".-/'’") for w in _LATIN_WORD.findall(data)]
        english = [w for w in words if w and w not in KEPT_AS_IS]
        if english:
            self.leftovers.append(" ".join(data.split()))


def english_leftovers(html: str) -> list[str]:
    """The visible text runs of a page that still hold untranslated English.

    >>> english_leftovers('<html dir="rtl"><p>مرحبا <bdi>Hello</bdi></p><p>Save</p></html>')
    ['Save']
    >>> english_leftovers('<html dir="rtl"><p>تصدير CSV</p><span dir="ltr">2026-W49</span></html>')
    []
    """
    reader = _Reader()
    reader.feed(html)
    return reader.leftovers


def visible_text(html: str) -> str:
    """A page's text as a reader sees it, without tags and with single spaces,
    so a test can find a sentence whose figures sit in their own runs.

    >>> visible_text('<p>Variant converts <span dir="ltr">30.0%</span>\\n better</p>')
    'Variant converts 30.0% better'
    """
    import re
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())
