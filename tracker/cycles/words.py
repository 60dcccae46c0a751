"""The loop's fixed words in the reader's language: phases, action statuses,
experiment statuses, outcomes and decisions, as the pages and flashes say them.

The records keep their codes (``review``, ``in_progress``, ``won``); these maps
give the words. The templates reach them as globals (``phase_label(...)`` and
friends, registered by the cycles blueprint).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

# a phase as a step of the loop (the stepper, the history's phase column)
PHASE_LABELS: dict[str, Any] = {
    "analyse": _l("Analyse"),
    "review": _l("Review"),
    "respond": _l("Respond"),
    "act": _l("Act"),
    "closed": _l("Closed"),
}
ACTION_STATUS_LABELS: dict[str, Any] = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}
EXPERIMENT_STATUS_LABELS: dict[str, Any] = {
    "draft": _l("Draft"),
    "running": _l("Running"),
    "stopped": _l("Stopped"),
    "decided": _l("Decided"),
}
OUTCOME_LABELS: dict[str, Any] = {
    "won": _l("Won"),
    "lost": _l("Lost"),
    "inconclusive": _l("Inconclusive"),
}
DECISION_LABELS: dict[str, Any] = {
    "ship": _l("Ship"),
    "iterate": _l("Iterate"),
    "abandon": _l("Abandon"),
}


# The verdict words of tracker.experiments.verdicts.WORDS, marked here so that
# the extractor puts them in the catalogue (the pages say them through
# ``ShownVerdict.word(translate)``); tests/test_arabic_loop_pages.py keeps the
# two lists the same.
VERDICT_WORDS = (
    _l("Untrustworthy"),
    _l("Stop: better"),
    _l("Stop: worse"),
    _l("Guardrail worse"),
    _l("Keep running"),
    _l("No difference"),
)


# The title of each warning an analysis stores, by its code.
WARNING_TITLES: dict[str, Any] = {
    "preliminary": _l("Preliminary"),
    "srm": _l("Sample-ratio mismatch"),
    "guardrail_worse": _l("Guardrail worse"),
    "multiple_variants": _l("Multiple variants"),
    "insufficient_data": _l("Insufficient data"),
}


def warning_title(code: str) -> str:
    """A stored warning's title in the reader's language: "srm" is "Sample-ratio mismatch"."""
    return str(WARNING_TITLES.get(code, code.replace("_", " ").capitalize()))


def _code(value: object) -> str:
    return str(getattr(value, "value", value) or "")


def phase_label(phase: object) -> str:
    code = _code(phase)
    return str(PHASE_LABELS.get(code, code))


def action_status_label(status: object) -> str:
    code = _code(status)
    return str(ACTION_STATUS_LABELS.get(code, code.replace("_", " ")))


def experiment_status_label(status: object) -> str:
    code = _code(status)
    return str(EXPERIMENT_STATUS_LABELS.get(code, code))


def outcome_label(outcome: object) -> str:
    code = _code(outcome)
    return str(OUTCOME_LABELS.get(code, code))


def decision_label(action: object) -> str:
    code = _code(action)
    return str(DECISION_LABELS.get(code, code))


def status_sentence(title: str, status: str) -> str:
    """The flash after an action item's status changed: "“Fix the form” is now done."."""
    from tracker.translate import gettext as _

    sentences = {
        "open": _("“%(title)s” is now open.", title=title),
        "in_progress": _("“%(title)s” is now in progress.", title=title),
        "done": _("“%(title)s” is now done.", title=title),
        "dropped": _("“%(title)s” is now dropped.", title=title),
    }
    return sentences.get(status, f"“{title}”: {action_status_label(status)}")


def ltr(text: object) -> Markup:
    """A figure that reads left to right (an ISO week, a bound, a p-value) as its own run."""
    return Markup('<span dir="ltr">{}</span>').format("" if text is None else text)


def bdi(text: object) -> Markup:
    """Text someone wrote, isolated with its own direction inside a sentence."""
    return Markup("<bdi>{}</bdi>").format("" if text is None else text)


def translate(text: str) -> str:
    """A plain gettext for templates to hand to Python code that words things
    (``line.shown.word(translate)``): Jinja's own ``gettext`` needs its context."""
    from tracker.translate import gettext

    return gettext(text)


TEMPLATE_GLOBALS = {
    "translate": translate,
    "warning_title": warning_title,
    "ltr": ltr,
    "bdi": bdi,
    "phase_label": phase_label,
    "action_status_label": action_status_label,
    "experiment_status_label": experiment_status_label,
    "outcome_label": outcome_label,
    "decision_label": decision_label,
}
