"""Priority scores for the backlog: ICE (the default), RICE and PIE.

The conventions are those of PRODUCT.md, Prioritisation:

- **ICE** ("Hacking Growth"): impact, confidence and ease, each 1 to 10; the
  score is their mean.
- **RICE** (Intercom): reach per period x impact x confidence / effort, with
  impact one of 3, 2, 1, 0.5 or 0.25, confidence one of 100, 80 or 50 percent,
  and effort in person-months, at least 0.5.
- **PIE**: potential, importance and ease, each 1 to 10; the score is their mean.

Every input is checked when a score is made; a bad one raises ``ValueError``
naming the field and what it may be.

>>> score("ice", {"impact": 8, "confidence": 6, "ease": 7})
7.0
>>> score("rice", {"reach": 400, "impact": 2, "confidence": 80, "effort": 2})
320.0
>>> score("pie", {"potential": 9, "importance": 6, "ease": 3})
6.0
>>> score("ice", {"impact": 11, "confidence": 6, "ease": 7})
Traceback (most recent call last):
...
ValueError: impact must be from 1 to 10, got 11
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "FIELDS",
    "MODELS",
    "FieldSpec",
    "Ice",
    "Pie",
    "Rice",
    "check_field",
    "format_score",
    "score",
]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input of a scoring model, described well enough to build a form from it.

    Attributes:
        name: the key in the scores mapping, such as ``"impact"``.
        label: the label a form shows.
        help: one sentence on what the number means.
        minimum: the smallest allowed value.
        maximum: the largest allowed value, or ``None`` when there is none.
        choices: the only allowed values, largest first, or ``None`` for a range.
        step: the step a number input offers.
        default: a sensible starting value.
        unit: a suffix a form shows after the value (``"%"``), or ``""``.
    """

    name: str
    label: str
    help: str
    minimum: float
    maximum: float | None = None
    choices: tuple[float, ...] | None = None
    step: float = 1.0
    default: float = 5.0
    unit: str = ""

    @property
    def valid_range(self) -> str:
        """The allowed values in words.

        >>> FIELDS["ice"][0].valid_range
        'from 1 to 10'
        >>> FIELDS["rice"][2].valid_range
        'one of 100, 80, 50'
        >>> FIELDS["rice"][3].valid_range
        'at least 0.5'
        """
        if self.choices is not None:
            return "one of " + ", ".join(_plain(choice) for choice in self.choices)
        if self.maximum is None:
            return f"at least {_plain(self.minimum)}"
        return f"from {_plain(self.minimum)} to {_plain(self.maximum)}"

    def check(self, value: object) -> float:
        """``value`` as a float, or ``ValueError`` naming the field and its range.

        >>> FIELDS["rice"][1].check(0.5)
        0.5
        >>> FIELDS["rice"][1].check(4)
        Traceback (most recent call last):
        ...
        ValueError: impact must be one of 3, 2, 1, 0.5, 0.25, got 4
        """
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{self.name} must be a number {self.valid_range}, got {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{self.name} must be {self.valid_range}, got {_plain(number)}")
        if self.choices is not None:
            if not any(math.isclose(number, choice) for choice in self.choices):
                raise ValueError(f"{self.name} must be {self.valid_range}, got {_plain(number)}")
        elif number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise ValueError(f"{self.name} must be {self.valid_range}, got {_plain(number)}")
        return number


def _one_to_ten(name: str, label: str, help: str) -> FieldSpec:
    return FieldSpec(name=name, label=label, help=help, minimum=1, maximum=10)


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "ice": (
        _one_to_ten("impact", "Impact", "How much the metric moves if it works (1 to 10)."),
        _one_to_ten("confidence", "Confidence", "How sure you are that it works (1 to 10)."),
        _one_to_ten("ease", "Ease", "How little time and effort it takes (1 to 10)."),
    ),
    "rice": (
        FieldSpec(
            name="reach",
            label="Reach",
            help="Leads, deals or customers it touches per quarter.",
            minimum=0,
            step=1,
            default=100,
        ),
        FieldSpec(
            name="impact",
            label="Impact",
            help="3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.",
            minimum=0.25,
            maximum=3,
            choices=(3, 2, 1, 0.5, 0.25),
            default=1,
        ),
        FieldSpec(
            name="confidence",
            label="Confidence",
            help="100% high, 80% medium, 50% low.",
            minimum=50,
            maximum=100,
            choices=(100, 80, 50),
            default=80,
            unit="%",
        ),
        FieldSpec(
            name="effort",
            label="Effort",
            help="Person-months of work, at least 0.5.",
            minimum=0.5,
            step=0.5,
            default=1,
        ),
    ),
    "pie": (
        _one_to_ten("potential", "Potential", "How much room to improve there is (1 to 10)."),
        _one_to_ten("importance", "Importance", "How valuable the traffic or deals are (1 to 10)."),
        _one_to_ten("ease", "Ease", "How easy it is to run the test (1 to 10)."),
    ),
}
"""Each model's inputs, in the order a form shows them."""

MODELS: dict[str, str] = {"ice": "ICE", "rice": "RICE", "pie": "PIE"}
"""Each model's key and the name a page shows."""


def _spec(model: str, name: str) -> FieldSpec:
    for spec in _fields(model):
        if spec.name == name:
            return spec
    raise ValueError(f"{model.upper()} has no field {name!r}")


def _fields(model: str) -> tuple[FieldSpec, ...]:
    try:
        return FIELDS[model]
    except KeyError:
        raise ValueError(
            f"model must be one of {', '.join(sorted(FIELDS))}, got {model!r}"
        ) from None


def check_field(model: str, name: str, value: object) -> float:
    """One input of ``model`` checked on its own, for a form's field.

    >>> check_field("pie", "ease", 3)
    3.0
    >>> check_field("rice", "effort", 0.25)
    Traceback (most recent call last):
    ...
    ValueError: effort must be at least 0.5, got 0.25
    """
    return _spec(model, name).check(value)


@dataclass(frozen=True, slots=True)
class Ice:
    """An ICE score's inputs, each from 1 to 10.

    >>> Ice(impact=9, confidence=5, ease=7).score
    7.0
    """

    impact: float
    confidence: float
    ease: float

    def __post_init__(self) -> None:
        _check_all(self, "ice")

    @property
    def score(self) -> float:
        return (self.impact + self.confidence + self.ease) / 3


@dataclass(frozen=True, slots=True)
class Rice:
    """A RICE score's inputs: reach per period, impact, confidence (percent), effort.

    >>> Rice(reach=1000, impact=0.5, confidence=50, effort=0.5).score
    500.0
    """

    reach: float
    impact: float
    confidence: float
    effort: float

    def __post_init__(self) -> None:
        _check_all(self, "rice")

    @property
    def score(self) -> float:
        return self.reach * self.impact * (self.confidence / 100) / self.effort


@dataclass(frozen=True, slots=True)
class Pie:
    """A PIE score's inputs, each from 1 to 10.

    >>> round(Pie(potential=8, importance=7, ease=4).score, 3)
    6.333
    """

    potential: float
    importance: float
    ease: float

    def __post_init__(self) -> None:
        _check_all(self, "pie")

    @property
    def score(self) -> float:
        return (self.potential + self.importance + self.ease) / 3


_MODEL_CLASSES: dict[str, type[Ice] | type[Rice] | type[Pie]] = {
    "ice": Ice,
    "rice": Rice,
    "pie": Pie,
}


def _check_all(inputs: Ice | Rice | Pie, model: str) -> None:
    for spec in FIELDS[model]:
        object.__setattr__(inputs, spec.name, spec.check(getattr(inputs, spec.name)))


def score(model: str, scores: Mapping[str, float]) -> float:
    """The priority score of ``scores`` under ``model`` (``"ice"``, ``"rice"`` or ``"pie"``).

    A missing or unknown field raises ``ValueError``, as does a value out of range.

    >>> score("ice", {"impact": 10, "confidence": 10, "ease": 1})
    7.0
    >>> score("pie", {"potential": 5, "importance": 5})
    Traceback (most recent call last):
    ...
    ValueError: ease is missing: PIE needs potential, importance, ease
    >>> score("moscow", {})
    Traceback (most recent call last):
    ...
    ValueError: model must be one of ice, pie, rice, got 'moscow'
    """
    specs = _fields(model)
    names = [spec.name for spec in specs]
    for name in names:
        if name not in scores:
            raise ValueError(f"{name} is missing: {MODELS[model]} needs {', '.join(names)}")
    unknown = sorted(set(scores) - set(names))
    if unknown:
        raise ValueError(
            f"{unknown[0]} is not a {MODELS[model]} field: it needs {', '.join(names)}"
        )
    inputs = _MODEL_CLASSES[model](**{name: scores[name] for name in names})
    return inputs.score


def format_score(model: str, value: float) -> str:
    """The score as a list shows it, with the model's name.

    >>> format_score("ice", 22 / 3)
    'ICE 7.3'
    >>> format_score("rice", 1234.5)
    'RICE 1,234'
    >>> format_score("rice", 12.25)
    'RICE 12.2'
    """
    name = MODELS.get(model, model.upper())
    if abs(value) >= 100:
        return f"{name} {math.floor(value):,}"
    return f"{name} {value:.1f}"


def _plain(value: float) -> str:
    return f"{value:g}"
