"""The loop's fixed words in the reader's language: phases, action statuses,
experiment statuses, outcomes and decisions, as the pages and flashes say them.

The records keep their codes (``review``, ``in_progress``, ``won``); these maps
give the words. The templates reach them as globals (``phase_label(...)`` and
friends, registered by the cycles blueprint).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

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


# A metric's kind, the figures of each kind, and a design's alternative.
KIND_LABELS: dict[str, Any] = {
    "proportion": _l("proportion"),
    "mean": _l("mean"),
    "rate": _l("rate"),
}
STAT_LABELS: dict[str, Any] = {
    "successes": _l("successes"),
    "trials": _l("trials"),
    "n": "n",
    "mean": _l("mean"),
    "sd": _l("standard deviation"),
    "events": _l("events"),
    "exposure": _l("exposure"),
}
ALTERNATIVE_LABELS: dict[str, Any] = {
    "two-sided": _l("Two-sided"),
    "larger": _l("One-sided, variant higher"),
    "smaller": _l("One-sided, variant lower"),
}
DESIGN_KIND_LABELS: dict[str, Any] = {
    "group_sequential": _l("Weekly looks"),
    "fixed": _l("One look at the planned size"),
    "always_valid": _l("Any time"),
}
# An experiment's change log: the fields a change names, and whole-record events.
FIELD_LABELS: dict[str, Any] = {
    "title": _l("Title"),
    "owner_id": _l("Owner"),
    "primary_metric_id": _l("Primary metric"),
    "baseline": _l("Baseline"),
    "baseline_sd": _l("Standard deviation"),
    "mde": _l("Minimum detectable effect"),
    "mde_relative": _l("Relative effect"),
    "alpha": _l("Alpha"),
    "power": _l("power"),
    "alternative": _l("Alternative"),
    "planned_control": _l("Planned control size"),
    "planned_variant": _l("Planned size per variant"),
    "planned_total": _l("Planned size"),
    "weekly_volume": _l("Weekly volume"),
    "design_kind": _l("Looks"),
    "design_spending": _l("Boundaries"),
    "design_looks": _l("Planned looks"),
    "status": _l("Status"),
    "started_on": _l("Started"),
    "stopped_on": _l("Stopped"),
    "outcome": _l("Outcome"),
    "action": _l("Action"),
    "rationale": _l("Rationale"),
    "early_decision_reason": _l("Reason for deciding before the planned sample size"),
    "decided_at": _l("Decided"),
    "arms": _l("Arms"),
    "guardrails": _l("Guardrail metrics"),
    "results": _l("Results"),
}
CHANGE_ACTIONS: dict[str, Any] = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "delete": _l("Deleted"),
    "restore": _l("Restored"),
}


def kind_label(kind: object) -> str:
    code = _code(kind)
    return str(KIND_LABELS.get(code, code))


def stat_label(stat: str) -> str:
    return str(STAT_LABELS.get(stat, stat))


def alternative_label(alternative: object) -> str:
    code = _code(alternative)
    return str(ALTERNATIVE_LABELS.get(code, code))


def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field.replace("_", " ")))


def change_action(action: str) -> str:
    return str(CHANGE_ACTIONS.get(action, action))


def change_value(field: str, value: str | None) -> str:
    """A logged value as the reader says it: a status or an outcome in words."""
    if value is None or value == "":
        return "—"
    labels: dict[str, Any] = {
        "status": EXPERIMENT_STATUS_LABELS,
        "outcome": OUTCOME_LABELS,
        "action": DECISION_LABELS,
        "alternative": ALTERNATIVE_LABELS,
        "design_kind": DESIGN_KIND_LABELS,
    }.get(field, {})
    return str(labels.get(value, value))


# a figure as the core writes it: "317", "1.4e-07", "−3.5%", "12,345" (a hyphen
# inside it must not break the line, so it becomes a non-breaking one)
_FIGURE = re.compile(r"^[−+-]?[\d.,]+(?:e[−+-]?\d+)?%?$")


def caveat_html(stored: Any) -> Markup:
    """A stored caveat's sentence in the reader's language, as markup: each value
    in its own run, a name (an arm, a metric) isolated in its own direction and a
    figure left to right, so "Variant B 464 (390)" stays whole inside Arabic."""
    from tracker.translation import translate

    template = stored.get("template")
    if not template:
        return Markup("{}").format(stored.get("message", ""))
    values = {
        key: (
            Markup('<span dir="ltr">{}</span>').format(str(value).replace("-", "\u2011"))
            if _FIGURE.match(str(value))
            else Markup("<bdi>{}</bdi>").format(value)
        )
        for key, value in dict(stored.get("values") or {}).items()
    }
    sentence = escape(translate(str(template)))
    return sentence % values if values else sentence


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
    from tracker.translation import _

    sentences = {
        "open": _("“%(title)s” is now open.", title=title),
        "in_progress": _("“%(title)s” is now in progress.", title=title),
        "done": _("“%(title)s” is now done.", title=title),
        "dropped": _("“%(title)s” is now dropped.", title=title),
    }
    return sentences.get(status, f"“{title}”: {action_status_label(status)}")


def record_line(entry: Any) -> Markup:
    """A meeting's status change or selection as the cycle's record lists it: the
    title as typed, the status in the reader's language (the record keeps the code:
    "Fix the form: done")."""
    from tracker.backlog.forms import STATUS_LABELS
    from tracker.i18n import bdi, html
    from tracker.models import HypothesisStatus
    from tracker.translation import _

    title, said, code = str(entry.summary).rpartition(": ")
    if not said:
        return bdi(entry.summary)
    word = action_status_label(code)
    if entry.kind == "selection" and code in {status.value for status in HypothesisStatus}:
        word = str(STATUS_LABELS[HypothesisStatus(code)])
    return html(_("%(title)s: %(status)s"), title=bdi(title), status=word)


def translate(text: str) -> str:
    """A plain gettext for templates to hand to Python code that words things
    (``line.shown.word(translate)``): Jinja's own ``gettext`` needs its context."""
    from tracker.translation import _ as gettext

    return gettext(text)


TEMPLATE_GLOBALS: dict[str, Callable[..., Any]] = {
    "translate": translate,
    "caveat_html": caveat_html,
    "kind_label": kind_label,
    "alternative_label": alternative_label,
    "field_label": field_label,
    "change_action": change_action,
    "change_value": change_value,
    "phase_label": phase_label,
    "action_status_label": action_status_label,
    "record_line": record_line,
    "experiment_status_label": experiment_status_label,
    "outcome_label": outcome_label,
    "decision_label": decision_label,
}
