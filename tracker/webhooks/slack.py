"""The text of a Slack incoming-webhook message for an event: a sentence in the
team's language, the verdict sentence when there is one, and a link to the page.

The JSON format stays English (machines read it); a Slack channel is read by
the team, so its sentence is written from the event's data in the team's
language (``TRACKER_LANGUAGE``), falling back to the English summary.

>>> print(slack_text("experiment.decided", {"summary": "Decided.", "verdict": "B wins.",
...     "url": "https://r.example/experiments/3",
...     "experiment": {"title": "Demo form"}, "decision": {"action": "ship", "outcome": "won"}}))
Experiment “Demo form” was decided: ship (won).
B wins.
<https://r.example/experiments/3|Open in Revloop>
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

# the words of a decision and of a verdict's kind, as the pages say them
WORDS = {
    "ship": _l("ship"),
    "iterate": _l("iterate"),
    "abandon": _l("abandon"),
    "won": _l("won"),
    "lost": _l("lost"),
    "inconclusive": _l("inconclusive"),
    "untrustworthy": _l("Untrustworthy"),
    "stop_better": _l("Stop: better"),
    "stop_worse": _l("Stop: worse"),
    "keep_running": _l("Keep running"),
    "no_difference": _l("No difference"),
}


def _escape(text: str) -> str:
    # Slack's mrkdwn reads these three as control characters
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _word(code: Any) -> str:
    return str(WORDS.get(str(code), code or ""))


def _started(p: dict[str, Any]) -> str:
    return str(_("Experiment “%(title)s” started.", title=p["experiment"]["title"]))


def _decided(p: dict[str, Any]) -> str:
    return str(
        _(
            "Experiment “%(title)s” was decided: %(action)s (%(outcome)s).",
            title=p["experiment"]["title"],
            action=_word(p["decision"]["action"]),
            outcome=_word(p["decision"]["outcome"]),
        )
    )


def _verdict_changed(p: dict[str, Any]) -> str:
    return str(
        _(
            "The verdict on “%(title)s” is now “%(verdict)s”.",
            title=p["experiment"]["title"],
            verdict=_word(p["verdict_kind"]["new"]),
        )
    )


def _cycle_closed(p: dict[str, Any]) -> str:
    cycle = p["cycle"]
    return str(
        ngettext(
            "Cycle %(week)s closed; %(num)d action item carried to %(next)s.",
            "Cycle %(week)s closed; %(num)d action items carried to %(next)s.",
            int(cycle["carried"]),
            week=cycle["iso_week"],
            next=cycle["next_week"],
        )
    )


def _stuck(p: dict[str, Any]) -> str:
    action = p["action"]
    return str(
        ngettext(
            "Action “%(title)s” is stuck: carried %(num)d time.",
            "Action “%(title)s” is stuck: carried %(num)d times.",
            int(action["carried"]),
            title=action["title"],
        )
    )


def _off_target(p: dict[str, Any]) -> str:
    values = {
        "name": p["metric"]["name"],
        "week": p["week"],
        "value": p["value_text"],
        "target": p["target_text"],
    }
    if p["direction"] == "lower":
        return str(
            _(
                "“%(name)s” is off target in %(week)s: %(value)s against at most %(target)s.",
                **values,
            )
        )
    return str(
        _("“%(name)s” is off target in %(week)s: %(value)s against at least %(target)s.", **values)
    )


SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    "experiment.started": _started,
    "experiment.decided": _decided,
    "experiment.verdict_changed": _verdict_changed,
    "cycle.closed": _cycle_closed,
    "action.stuck": _stuck,
    "metric.off_target": _off_target,
}


def sentence(event: str, payload: dict[str, Any]) -> str:
    """The event in a sentence of the current language; the payload's English
    summary when its data lack what the sentence needs."""
    try:
        return SENTENCES[event](payload)
    except (KeyError, TypeError, ValueError):
        return str(payload.get("summary") or event)


def slack_text(event: str, payload: dict[str, Any]) -> str:
    lines = [_escape(sentence(event, payload))]
    if payload.get("verdict"):
        lines.append(_escape(str(payload["verdict"])))
    if payload.get("url"):
        label = _escape(str(_("Open in Revloop")))
        lines.append(f"<{payload['url']}|{label}>")
    return "\n".join(lines)
