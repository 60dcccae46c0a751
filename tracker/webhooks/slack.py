"""The text of a Slack incoming-webhook message for an event: its summary, the
verdict sentence when there is one, and a link to the page.

>>> slack_text("experiment.decided", {"summary": "Decided: ship.", "verdict": "B wins.",
...     "url": "https://r.example/experiments/3"})
'Decided: ship.\\nB wins.\\n<https://r.example/experiments/3|Open in Revloop>'
"""

from __future__ import annotations

from typing import Any


def _escape(text: str) -> str:
    # Slack's mrkdwn reads these three as control characters
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(event: str, payload: dict[str, Any]) -> str:
    lines = [_escape(str(payload.get("summary") or event))]
    if payload.get("verdict"):
        lines.append(_escape(str(payload["verdict"])))
    if payload.get("url"):
        lines.append(f"<{payload['url']}|Open in Revloop>")
    return "\n".join(lines)
