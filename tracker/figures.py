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

from tracker.translation import N_, _, translate

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
    from experiments.stats.checks import ArgumentError

    wanted = fields_of(kind)
    missing = {name: _("Enter a number.") for name in wanted if figures.get(name) is None}
    if missing:
        return missing
    for name in wanted:
        limit = MAX_COUNT if name in WHOLE_FIELDS else MAX_VALUE
        value = figures[name]
        if isinstance(value, int | float) and abs(value) > limit:
            return {
                name: _(
                    "%(value)s is too large for %(field)s (at most %(limit)s).",
                    value=f"{value:,}",
                    field=argument_word(name),
                    limit=f"{limit:,.0f}",
                )
            }
    try:
        as_stats(kind, figures)
    except ArgumentError as exc:
        return {exc.name if exc.name in wanted else wanted[0]: argument_message(exc)}
    except (TypeError, ValueError) as exc:
        return {wanted[0]: sentence(str(exc))}
    return {}


# The core's arguments as a message names them (a CSV column keeps its own name).
ARGUMENTS = {
    "successes": N_("successes"),
    "trials": N_("trials"),
    "n": N_("n"),
    "mean": N_("mean"),
    "sd": N_("sd"),
    "events": N_("events"),
    "exposure": N_("exposure"),
    "alpha": N_("alpha"),
    "power": N_("power"),
    "baseline": N_("baseline"),
    "mde": N_("the MDE"),
}
# A sentence per rule of ``experiments.stats.checks``, in the reader's language.
RULES = {
    "number": N_("%(name)s must be a number, got %(value)s."),
    "whole": N_("%(name)s must be a whole number, got %(value)s."),
    "finite": N_("%(name)s must be a finite number, got %(value)s."),
    "above_zero": N_("%(name)s must be above zero, got %(value)s."),
    "share": N_("%(name)s must be a proportion strictly between 0 and 1, got %(value)s."),
    "alpha": N_("%(name)s must be between 0 and 0.5 (such as 0.05), got %(value)s."),
    "power": N_("%(name)s must be between alpha and 1 (such as 0.8), got %(value)s."),
}


def argument_word(name: str) -> str:
    """An argument of the core's as a message names it."""
    return translate(ARGUMENTS[name]) if name in ARGUMENTS else name


def argument_message(exc: Any) -> str:
    """The sentence for the core's ``experiments.stats.checks.ArgumentError``, written
    from its rule and numbers in the reader's language (not from its English text)."""
    values = dict(exc.numbers)
    shown = {
        key: repr(value) if exc.rule in ("number", "whole") and key == "value" else str(value)
        for key, value in values.items()
    }
    shown["name"] = argument_word(exc.name)
    shown["why"] = translate(values["why"]) if values.get("why") else ""
    if exc.rule == "at_least" and values.get("minimum") == 0:
        text = _("%(name)s must be zero or more, got %(value)s.", **shown)
    elif exc.rule == "at_least" and shown["why"]:
        text = _("%(name)s must be at least %(minimum)s %(why)s, got %(value)s.", **shown)
    elif exc.rule == "at_least":
        text = _("%(name)s must be at least %(minimum)s, got %(value)s.", **shown)
    elif exc.rule == "not_above":
        shown["other"] = argument_word(str(values["other"]))
        text = (
            _("%(name)s (%(value)s) must not be above %(other)s (%(limit)s): %(why)s.", **shown)
            if shown["why"]
            else _("%(name)s (%(value)s) must not be above %(other)s (%(limit)s).", **shown)
        )
    elif exc.rule in RULES:
        text = translate(RULES[exc.rule]) % shown
    else:
        text = str(exc)
    return sentence(text)


def sentence(message: str) -> str:
    """A message as a sentence: a capital first letter (the statistician's n stays
    lower case) and a full stop."""
    if not message.startswith("n "):
        message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."
