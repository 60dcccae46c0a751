"""The hypothesis as one readable sentence: "If we ..., then ... will rise by 10%,
because ...". Kept apart from the template so lists and pages say it alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tracker.models import ExpectedDirection, Hypothesis

_LEADING_IF = re.compile(r"^\s*if\s+we\s+", re.IGNORECASE)
_LEADING_BECAUSE = re.compile(r"^\s*because\s+", re.IGNORECASE)


def is_right_to_left(text: str) -> bool:
    """Whether the first letter of ``text`` belongs to a right-to-left script."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def effect_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}%"


@dataclass(frozen=True)
class Statement:
    """The parts of the sentence; ``own_words`` when the change is written in a
    right-to-left script, so the English connectives are left out."""

    change: str
    metric: str
    verb: str
    effect: str
    rationale: str
    own_words: bool

    @property
    def outcome(self) -> str:
        """ "MQL to SQL conversion will rise by 10%"."""
        size = f" by {self.effect}" if self.effect else ""
        return f"{self.metric} will {self.verb}{size}"


def statement(hypothesis: Hypothesis, metric_name: str | None) -> Statement:
    change = _LEADING_IF.sub("", hypothesis.change.strip())
    rationale = _LEADING_BECAUSE.sub("", hypothesis.rationale.strip())
    return Statement(
        change=change.rstrip(" ,."),
        metric=metric_name or "the metric",
        verb="rise" if hypothesis.direction == ExpectedDirection.increase else "fall",
        effect=effect_text(hypothesis.expected_effect),
        rationale=rationale,
        own_words=is_right_to_left(change),
    )
