"""The hypothesis sentence as one element, in its own language and direction.

A hypothesis written in Arabic is an Arabic sentence, whatever the interface
language: its direction is its content's (right to left), and so are its
connectives ("إذا …، فإن … سيرتفع بمقدار …، لأن …"), because English
connectives inside a right-to-left sentence would read backwards to an English
reader, and Arabic ones inside a left-to-right sentence backwards to an Arabic
reader. An English hypothesis likewise stays an English sentence, left to
right, in the Arabic interface. The parts a person typed are isolated
(``<bdi>``), so a name in the other script keeps its place.

The sentence's language is the reader's when its direction matches the
content's, otherwise the first language Revloop speaks in the content's
direction.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from tracker.backlog.statement import Statement, is_right_to_left
from tracker.translation import _

# the connectives a person may have typed themselves; the sentence adds its own
_LEADING_IF = re.compile(r"^\s*(?:إذا|اذا|لو)\s+")
_LEADING_BECAUSE = re.compile(r"^\s*(?:لأنّ|لأن|لان)\s+")
_NO_METRIC = "the metric"  # what tracker.backlog.statement says when none is linked


def sentence_language(right_to_left: bool) -> str:
    """The language to write a sentence in whose content runs in that direction."""
    from tracker.i18n import current_language, direction_of
    from tracker.languages import LANGUAGES

    wanted = "rtl" if right_to_left else "ltr"
    reader = current_language()
    if direction_of(reader) == wanted:
        return reader
    return next((code for code in LANGUAGES if direction_of(code) == wanted), reader)


def sentence_direction(st: Statement) -> str:
    """``rtl`` or ``ltr``: the direction the sentence's content reads in, for the
    block that holds it (so a left-to-right sentence starts on the left of a
    right-to-left page, and the other way round)."""
    return "rtl" if is_right_to_left(st.change or st.rationale or st.metric) else "ltr"


def hypothesis_sentence(st: Statement, *, change: str, rationale: str) -> Markup:
    """The sentence as one ``<span>`` with its own ``lang`` and ``dir``.

    ``change`` and ``rationale`` are the statement's parts as the page shows
    them (a list may shorten them).
    """
    from flask_babel import force_locale

    from tracker.i18n import current_direction

    right_to_left = is_right_to_left(change or rationale or st.metric)
    language = sentence_language(right_to_left)
    direction = "rtl" if right_to_left else "ltr"
    if right_to_left:
        change = _LEADING_IF.sub("", change)
        rationale = _LEADING_BECAUSE.sub("", rationale)
    with force_locale(language):
        text = _words(st, change=change, rationale=rationale)
    own = " own-words" if direction != current_direction() else ""
    return Markup('<span class="statement-text{}" lang="{}" dir="{}">{}</span>').format(
        own, language, direction, text
    )


def _words(st: Statement, *, change: str, rationale: str) -> Markup:
    metric = _("the metric") if st.metric == _NO_METRIC else st.metric
    parts = {
        "change": Markup('<bdi class="statement-change">{}</bdi>').format(change),
        "metric": Markup('<strong dir="auto">{}</strong>').format(metric),
        "effect": Markup("<strong>{}</strong>").format(st.effect),
        "rationale": Markup('<bdi class="statement-because">{}</bdi>').format(rationale),
    }
    rises = st.verb == "rise"
    if st.effect:
        outcome = (
            _("%(metric)s will rise by %(effect)s")
            if rises
            else _("%(metric)s will fall by %(effect)s")
        )
    else:
        outcome = _("%(metric)s will rise") if rises else _("%(metric)s will fall")
    parts["outcome"] = escape(outcome) % parts
    if rationale:
        return escape(_("If we %(change)s, then %(outcome)s, because %(rationale)s")) % parts
    return escape(_("If we %(change)s, then %(outcome)s")) % parts
