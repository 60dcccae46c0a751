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


def short_date(day: Any, *, with_year: bool = False) -> str:
    """A tick label's date in the chart's language: "20 Oct", "20 أكتوبر"; "20 Oct
    2026" ``with_year``, for an axis that spans years."""
    from babel.dates import format_date

    return str(format_date(day, "d MMM y" if with_year else "d MMM", locale=chart_language()))


def to_svg(fig: Any, alt: str, *, phone: bool = False) -> str:
    """The figure as an SVG string that scales to its container, with ``alt``
    as its accessible name. A ``phone`` drawing is marked for narrow screens
    (see ``for_each_screen``) and its ids are its own.

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
    if phone:
        svg = _own_ids(svg, "phone-")
    classes = "chart chart-phone" if phone else "chart"
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" class="{classes}" direction="ltr" ', 1
    )


# the width of a chart's phone drawing, in inches (see for_each_screen)
PHONE_WIDTH = 3.1

# A chart is drawn for the width it is read at: on a phone (about 310 CSS px of
# column) a desktop drawing scaled down shows its words at 5 px. The phone drawing
# is narrower, so the same point sizes come out at 12 px or more; the page's CSS
# (revloop.css, .chart-wide / .chart-phone) shows one of the two by the width of
# the column the chart sits in: the phone drawing below 45rem (a tablet, or a
# laptop's column beside a sidebar), where the wide one's words fell under 11 px.
_ID = re.compile(r'(\sid="|url\(#|href="#)(?=[^"#)])')


def _own_ids(svg: str, prefix: str) -> str:
    """The SVG with every id and reference to one prefixed, so two drawings of one
    chart on a page never share an id (matplotlib names its clip paths and markers
    by their shape).

    >>> _own_ids('<path id="m1"/><use xlink:href="#m1"/><g clip-path="url(#p2)"/>', "phone-")
    '<path id="phone-m1"/><use xlink:href="#phone-m1"/><g clip-path="url(#phone-p2)"/>'
    """
    return _ID.sub(lambda match: match.group(1) + prefix, svg)


def for_each_screen(wide: str, phone: str) -> str:
    """The chart's wide drawing and its phone drawing, one after the other: the
    page's CSS shows the one that suits the screen. Either alone when the other
    is missing.

    >>> for_each_screen('<svg class="chart">A</svg>', '<svg class="chart chart-phone">B</svg>')
    '<svg class="chart chart-wide">A</svg><svg class="chart chart-phone">B</svg>'
    """
    if not wide or not phone:
        return wide or phone
    return wide.replace('class="chart"', 'class="chart chart-wide"', 1) + phone


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
    rules = (
        _as_attributes(rule)
        for block in _STYLE_ELEMENT.findall(svg)
        for rule in _EVERY_ELEMENT_RULE.findall(block)
    )
    every = "".join(dict.fromkeys(rules))  # each drawing's rule once
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: _as_attributes(match.group(1)), svg)
    # every drawing of the chart (a page may hold its wide and its phone one)
    return svg.replace("<svg", "<svg" + every) if every else svg


_TEXT = re.compile(r"<text([^>]*)>([^<]*)</text>")
_SWAPPED = {"start": "end", "end": "start", "middle": "middle"}


def _right_to_left_words(svg: str) -> str:
    """Each label that reads right to left set so: ``direction="rtl"``, its anchor
    swapped so it stays where matplotlib placed it. Without it the browser lays
    "% per week" in Arabic out left to right and its figures land in the wrong place.

    >>> _right_to_left_words('<text style="text-anchor: start">نسبة 95%</text><text>95%</text>')
    '<text style="text-anchor: end" direction="rtl">نسبة 95%</text><text>95%</text>'
    >>> _right_to_left_words('<text style="font-size: 9px">سطر</text>')
    '<text style="font-size: 9px; text-anchor: end" direction="rtl">سطر</text>'
    """
    from tracker.backlog.statement import is_right_to_left

    def turn(match: re.Match[str]) -> str:
        attributes, words = match.groups()
        if not is_right_to_left(words):
            return match.group(0)
        anchor = re.search(r"text-anchor: (\w+)", attributes)
        if anchor:
            swapped = f"text-anchor: {_SWAPPED.get(anchor.group(1), anchor.group(1))}"
            attributes = attributes.replace(anchor.group(0), swapped)
        else:  # matplotlib leaves out the default, start
            attributes = re.sub(r'style="([^"]*)"', r'style="\1; text-anchor: end"', attributes)
        return f'<text{attributes} direction="rtl">{words}</text>'

    return _TEXT.sub(turn, svg)


def inline(svg: str | None) -> Markup:
    """A chart for a page: made here, not typed, so safe to mark; and styled
    with attributes the Content-Security-Policy allows, its right-to-left words
    laid out so by the browser (the stored SVG, which the PDF reads, is left as
    drawn)."""
    return Markup(presentation_attributes(_right_to_left_words(svg or "")))
