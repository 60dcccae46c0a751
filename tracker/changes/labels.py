"""The change log in the reader's language: record types, field names, actions,
the values of fields that hold a fixed word (a status, a kind), the reasons
Revloop itself writes, and the arrow from the old value to the new one, which
points in the reading direction.

The log stores what happened in machine terms (``status``, ``running``), so
the CSV export and the API keep them; only the pages translate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from tracker.i18n import current_direction, format_number, html, ltr

ENTITY_LABELS: dict[str, Any] = {
    "area": _l("Area"),
    "process": _l("Process"),
    "stage": _l("Stage"),
    "metric": _l("Metric"),
    "reading": _l("Reading"),
    "hypothesis": _l("Hypothesis"),
    "experiment": _l("Experiment"),
    "arm": _l("Arm"),
    "learning": _l("Learning"),
    "cycle": _l("Cycle"),
    "action_item": _l("Action item"),
    "actionitem": _l("Action item"),
    "decision": _l("Decision"),
    "team_settings": _l("Team settings"),
    "teamsettings": _l("Team settings"),
    "user": _l("User"),
    "result_set": _l("Result set"),
    "webhook": _l("Webhook"),
    "share_link": _l("Share link"),
}

FIELD_LABELS: dict[str, Any] = {
    "title": _l("title"),
    "name": _l("name"),
    "description": _l("description"),
    "details": _l("details"),
    "change": _l("change"),
    "rationale": _l("because"),
    "status": _l("status"),
    "phase": _l("phase"),
    "metric_id": _l("metric"),
    "primary_metric_id": _l("primary metric"),
    "area_id": _l("area"),
    "process_id": _l("process"),
    "stage_id": _l("stage"),
    "owner_id": _l("owner"),
    "due_week": _l("due week"),
    "direction": _l("direction"),
    "expected_effect": _l("expected change (%)"),
    "priority_model": _l("priority model"),
    "scores": _l("scores"),
    "score": _l("priority score"),
    "forecast_win_probability": _l("forecast win"),
    "forecast_by_id": _l("forecast by"),
    "kind": _l("kind"),
    "unit": _l("unit"),
    "formula": _l("formula"),
    "target": _l("weekly target"),
    "unit_value": _l("value of one unit"),
    "rank": _l("priority"),
    "position": _l("position"),
    "active": _l("active"),
    "text": _l("learning"),
    "tags": _l("tags"),
    "timezone": _l("time zone"),
    "currency": _l("currency"),
    "focus_area_id": _l("focus area"),
    "next_focus_area_id": _l("next focus area"),
    "meeting_date": _l("meeting date"),
    "attendees": _l("attendees"),
    "notes": _l("notes"),
    "baseline": _l("baseline"),
    "baseline_sd": _l("baseline standard deviation"),
    "mde": _l("minimum detectable effect"),
    "mde_relative": _l("relative effect"),
    "alpha": _l("alpha"),
    "power": _l("power"),
    "alternative": _l("test"),
    "planned_control": _l("planned control size"),
    "planned_variant": _l("planned variant size"),
    "planned_total": _l("planned sample size"),
    "weekly_volume": _l("weekly volume"),
    "design_kind": _l("design kind"),
    "design_spending": _l("alpha spending"),
    "design_looks": _l("planned looks"),
    "started_on": _l("started on"),
    "stopped_on": _l("stopped on"),
    "outcome": _l("outcome"),
    "decision": _l("decision"),
    "action": _l("decision"),
    "target_started_per_week": _l("experiments started per week"),
    "target_decisions_per_cycle": _l("decisions per cycle"),
    "target_median_days": _l("median days to decision"),
    "target_on_time": _l("actions done on time"),
    "target_win_rate": _l("win rate"),
    "version": _l("version"),
    "experiments": _l("experiments"),
    "arms": _l("arms"),
    "guardrails": _l("guardrail metrics"),
    "results": _l("results"),
}

ACTION_LABELS: dict[str, Any] = {
    "create": _l("Created"),
    "delete": _l("Deleted"),
    "restore": _l("Restored"),
    "update": _l("Changed"),
}

# Fields whose values are one fixed word: shown in the reader's language.
VALUE_LABELS: dict[str, Any] = {
    "backlog": _l("Backlog"),
    "selected": _l("Selected"),
    "testing": _l("Testing"),
    "validated": _l("Validated"),
    "invalidated": _l("Invalidated"),
    "inconclusive": _l("Inconclusive"),
    "parked": _l("Parked"),
    "draft": _l("Draft"),
    "running": _l("Running"),
    "stopped": _l("Stopped"),
    "decided": _l("Decided"),
    "won": _l("Won"),
    "lost": _l("Lost"),
    "ship": _l("Ship"),
    "iterate": _l("Iterate"),
    "abandon": _l("Abandon"),
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
    "analyse": _l("Analyse"),
    "review": _l("Review"),
    "respond": _l("Respond"),
    "act": _l("Act"),
    "proportion": _l("proportion"),
    "mean": _l("mean"),
    "rate": _l("rate"),
    "higher": _l("higher is better"),
    "lower": _l("lower is better"),
    "increase": _l("rise"),
    "decrease": _l("fall"),
    "true": _l("yes"),
    "false": _l("no"),
    "True": _l("yes"),
    "False": _l("no"),
}
WORD_FIELDS = frozenset(
    {"status", "phase", "outcome", "decision", "action", "kind", "direction", "active"}
)
_CLOSED = re.compile(r"^Closed; (\d+) action item\(s\) carried to (\S+)$")


def entity_label(entity: str) -> str:
    """The record type as a reader calls it: "Hypothesis", "الفرضية"."""
    label = ENTITY_LABELS.get(entity)
    return str(label) if label is not None else entity.replace("_", " ").capitalize()


def field_label(_entity: str, field: str) -> str:
    """A changed field's name as a reader calls it: "status", "الحالة"."""
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ")


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.capitalize()


def value_text(field: str, value: str | None) -> str:
    """An old or new value as the log shows it: "—" for none, a fixed word
    (a status, a kind) in the reader's language, anything typed as typed."""
    if value is None:
        return "—"
    if field in WORD_FIELDS and value in VALUE_LABELS:
        return str(VALUE_LABELS[value])
    return value


def reason_text(reason: str | None) -> str:
    """A reason as written, or Revloop's own reasons in the reader's language."""
    if not reason:
        return ""
    if reason == "Undone from the change log":
        return str(_("Undone from the change log"))
    if match := _CLOSED.match(reason):
        count = int(match.group(1))
        sentence = ngettext(
            "Closed; %(count)s action item carried to %(week)s",
            "Closed; %(count)s action items carried to %(week)s",
            count,
            count=format_number(count),
            week="%(week)s",
        )
        # the ISO week reads left to right in every language
        return html(sentence, week=ltr(match.group(2)))
    return reason


def arrow() -> str:
    """From the old value to the new, in the reading direction."""
    return "←" if current_direction() == "rtl" else "→"


TEMPLATE_GLOBALS: dict[str, Callable[..., str]] = {
    "entity_label": entity_label,
    "change_field_label": field_label,
    "change_action_label": action_label,
    "change_value_text": value_text,
    "change_reason_text": reason_text,
    "change_arrow": arrow,
}
