"""What a person would notice about a page's layout, measured in the browser.

``layout_problems(page)`` returns sentences, one per problem: the document
wider than the window, two of the page's main blocks overlapping (the main
column, the aside, cards and tables, each clipped to the box that scrolls it),
a form control that is off-screen or covered by something else, a
navigation that wraps or a menu button missing at phone widths, and two runs of
text printed over each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MEASURE = (Path(__file__).parent / "layout.js").read_text(encoding="utf-8")
TEXT_OVERLAP = (Path(__file__).parent / "text_overlap.js").read_text(encoding="utf-8")


def layout_problems(page: Any, phone_width: int = 768) -> list[str]:
    """Every layout problem on the page as it stands, as sentences."""
    return [*page.evaluate(MEASURE, phone_width), *overlapping_text(page)]


def overlapping_text(page: Any) -> list[str]:
    """Runs of text printed over each other on the page (the first five), as sentences."""
    return list(page.evaluate(TEXT_OVERLAP))
