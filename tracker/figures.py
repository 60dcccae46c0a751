"""A metric kind's figures, and whether they can be one arm's or one period's
statistics: stated once, for the forms, the API, the CSV imports and the
meeting page alike.

The check is the core's own: the figures are built as ``experiments.stats``'
``Proportion``, ``Mean`` or ``Rate``, whose ``ValueError`` names the field it
is about; that message becomes the field's message.

>>> figures_problem("proportion", {"successes": 5, "trials": 3})
{'successes': 'Successes (5) must not be above trials (3): each trial converts at most once.'}
>>> figures_problem("mean", {"n": 1, "mean": 2.0, "sd": 0.5})
{'n': 'n must be at least 2 to estimate a standard deviation, got 1.'}
>>> figures_problem("rate", {"events": 4, "exposure": None})
{'exposure': 'Enter a number.'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The figures each kind of metric carries, in the order forms and CSV files use:
# the fields of experiments.stats' Proportion, Mean and Rate.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "proportion": ("successes", "trials"),
    "mean": ("n", "mean", "sd"),
    "rate": ("events", "exposure"),
}
FIGURES = ("successes", "trials", "n", "mean", "sd", "events", "exposure")
WHOLE_FIELDS = frozenset({"successes", "trials", "n", "events"})
# A count is stored in an INTEGER column; other figures are kept to sane sizes.
MAX_COUNT = 2**31 - 1
MAX_VALUE = 1e15


def fields_of(kind: Any) -> tuple[str, ...]:
    """The figures of ``kind`` (a MetricKind or its value)."""
    return KIND_FIELDS[str(getattr(kind, "value", kind))]


def as_stats(kind: Any, figures: Mapping[str, Any]) -> Any:
    """The figures as the core's Proportion, Mean or Rate (ValueError or TypeError,
    naming the field, when they cannot be)."""
    from experiments.stats.inputs import Mean, Proportion, Rate

    kind = str(getattr(kind, "value", kind))
    if kind == "proportion":
        return Proportion(figures["successes"], figures["trials"])
    if kind == "mean":
        return Mean(figures["n"], figures["mean"], figures["sd"])
    return Rate(figures["events"], figures["exposure"])


def figures_problem(kind: Any, figures: Mapping[str, Any]) -> dict[str, str]:
    """The message, by field, when ``figures`` cannot be statistics of ``kind``."""
    wanted = fields_of(kind)
    missing = {name: "Enter a number." for name in wanted if figures.get(name) is None}
    if missing:
        return missing
    for name in wanted:
        limit = MAX_COUNT if name in WHOLE_FIELDS else MAX_VALUE
        value = figures[name]
        if isinstance(value, int | float) and abs(value) > limit:
            return {name: f"{value:,} is too large for {name} (at most {limit:,.0f})."}
    try:
        as_stats(kind, figures)
    except (TypeError, ValueError) as exc:
        message = str(exc)
        first = message.split(" ", 1)[0]
        field = first if first in wanted else wanted[0]
        return {field: _sentence(message)}
    return {}


def _sentence(message: str) -> str:
    if not message.startswith("n "):  # the statistician's n stays lower case
        message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."
