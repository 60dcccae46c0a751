"""The shared look of every chart and the SVG rendering."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from markupsafe import Markup, escape

# The stylesheet's colours (static/css/revloop.css)
INK = "#17212b"
MUTED = "#6b7a89"
LINE = "#dfe5eb"
BRAND = "#1f4e79"
ACCENT = "#2a9d8f"
GOOD = "#1e7a4f"
BAD = "#b3261e"
WARN = "#9a6700"
NEUTRAL = "#8a97a5"

STYLE: Any = {  # matplotlib types its keys as a Literal of every rc name
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.edgecolor": LINE,
    "axes.labelcolor": MUTED,
    "axes.titlesize": 10,
    "axes.titlecolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": LINE,
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "svg.fonttype": "none",  # text stays text: crisp, searchable, selectable
    "svg.hashsalt": "revloop",  # the same chart gives the same bytes
}


@contextmanager
def figure(width: float, height: float) -> Iterator[Any]:
    """A matplotlib figure in the house style.

    A bare ``Figure``, not pyplot's: nothing global keeps it (so threads serving
    pages at once do not share one), and pyplot's import is spared.
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(STYLE):
        yield Figure(figsize=(width, height), dpi=100)


def chart_language() -> str:
    """The language the chart's words are written in: the reader's, or English
    outside a request (a chart drawn for a file)."""
    from flask import has_app_context

    if not has_app_context():
        return "en"
    from tracker.i18n import current_language

    return current_language()


def short_date(day: Any) -> str:
    """A tick label's date in the chart's language: "20 Oct", "20 أكتوبر"."""
    from babel.dates import format_date

    return str(format_date(day, "d MMM", locale=chart_language()))


def to_svg(fig: Any, alt: str) -> str:
    """The figure as an SVG string that scales to its container, with ``alt``
    as its accessible name.

    The SVG keeps a left-to-right direction in a right-to-left page: the axes
    are not mirrored, and a tick label anchored at its end ("+8.2%" beside the
    y axis) stays on the axis's side instead of running into it. Each label's
    own words still read in their own direction.
    """
    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        transparent=True,
        metadata={"Date": None, "Creator": None},
    )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)
    label = str(escape(alt))
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" class="chart" direction="ltr" ', 1
    )


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"(?:<defs>\s*)?<style[^>]*>(.*?)</style>(?:\s*</defs>)?", re.S)
_EVERY_ELEMENT_RULE = re.compile(r"\*\s*\{([^}]*)\}")


def _as_attributes(declarations: str) -> str:
    """``fill: #fff; stroke-width: 0.8`` as `` fill="#fff" stroke-width="0.8"``."""
    pairs = (part.split(":", 1) for part in declarations.split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def presentation_attributes(svg: str) -> str:
    """The chart with its CSS turned into SVG presentation attributes.

    Matplotlib writes ``style="..."`` on every shape and a ``<style>`` element;
    the pages' Content-Security-Policy (style-src 'self') ignores both in inline
    SVG, which would leave the charts black. Presentation attributes are not
    CSS, so the policy lets them through, and they draw the same.

    >>> presentation_attributes('<svg><defs><style>*{stroke-linecap: butt}</style></defs>'
    ...                         '<path style="fill: #fff; stroke-width: 0.8"/></svg>')
    '<svg stroke-linecap="butt"><path fill="#fff" stroke-width="0.8"/></svg>'
    """
    every = "".join(
        _as_attributes(rule)
        for block in _STYLE_ELEMENT.findall(svg)
        for rule in _EVERY_ELEMENT_RULE.findall(block)
    )
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: _as_attributes(match.group(1)), svg)
    return svg.replace("<svg", "<svg" + every, 1) if every else svg


def inline(svg: str | None) -> Markup:
    """A chart for a page: made here, not typed, so safe to mark; and styled
    with attributes the Content-Security-Policy allows."""
    return Markup(presentation_attributes(svg or ""))
