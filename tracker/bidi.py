"""Figures that must read left to right inside a right-to-left sentence.

A plain-text sentence (a flash, a summary line, a chart label) cannot hold a
``<span dir="ltr">``; a Unicode isolate does the same job: the signed number,
the interval bound or the ISO week between LRI and PDI is laid out left to
right as one unit, so "+8.2%" never becomes "8.2%+" in Arabic. In a
left-to-right interface (and outside a request) the text is left as it is.
"""

from __future__ import annotations

from flask import has_app_context

LRI = "\u2066"
PDI = "\u2069"


def ltr(text: object) -> str:
    """``text`` as a left-to-right isolate when the reader's language is right to left.

    >>> ltr("+8.2%")
    '+8.2%'
    """
    if not has_app_context():
        return str(text)
    from tracker.i18n import current_direction

    return f"{LRI}{text}{PDI}" if current_direction() == "rtl" else str(text)
