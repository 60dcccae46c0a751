"""Sparklines: a metric's recent weeks as a tiny inline SVG.

They are drawn by hand rather than with matplotlib: a review page or the
dashboard shows a dozen of them, and a polyline costs microseconds where a
matplotlib figure costs tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from tracker.charts.base import ACCENT, BAD, GOOD, LINE

WIDTH = 120
HEIGHT = 32
PAD = 3


OPEN = (
    f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
    f'width="{WIDTH}" height="{HEIGHT}" role="img" '
)


def sparkline(values: Sequence[float], *, alt: str, tone: str = "neutral") -> Markup:
    """An SVG line of ``values`` (oldest first) with the last point marked.

    ``tone`` colours the last point: "good", "bad" or "neutral". The SVG
    stands alone too (namespace and size), so a PDF can embed it as an image.
    """
    values = [value for value in values if value == value]  # drop NaN
    label = str(escape(alt))
    if len(values) < 2:
        return Markup(
            f'{OPEN}aria-label="{label}"><line x1="{PAD}" y1="{HEIGHT / 2}" x2="{WIDTH - PAD}" '
            f'y2="{HEIGHT / 2}" stroke="{LINE}" stroke-dasharray="3 3"/></svg>'
        )
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    points = [
        (PAD + i * step, HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD))
        for i, value in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    colour = {"good": GOOD, "bad": BAD}.get(tone, ACCENT)
    return Markup(
        f'{OPEN}aria-label="{label}">'
        f'<polyline points="{path}" fill="none" stroke="#8a97a5" stroke-width="1.5" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.8" fill="{colour}"/></svg>'
    )


def bars(values: Sequence[int], *, alt: str) -> Markup:
    """Small vertical bars, one per week (oldest first), for counts."""
    label = str(escape(alt))
    count = max(len(values), 1)
    top = max(values, default=0) or 1
    gap = 3
    width = (WIDTH - 2 * PAD - gap * (count - 1)) / count
    shapes = []
    for i, value in enumerate(values):
        height = max(1.5, (HEIGHT - 2 * PAD) * value / top) if value else 1.5
        x = PAD + i * (width + gap)
        colour = ACCENT if value else LINE
        shapes.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - height:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" rx="1.5" fill="{colour}"/>'
        )
    return Markup(f'{OPEN}aria-label="{label}">{"".join(shapes)}</svg>')
