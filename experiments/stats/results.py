"""The results of the statistics engine: immutable, typed records."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "N_",
    "Alternative",
    "ArmsComparison",
    "Caveat",
    "Comparison",
    "Kind",
    "Phrase",
    "SampleSize",
    "SrmResult",
    "caveat_sentence",
]

Kind = Literal["proportion", "mean", "rate"]
Alternative = Literal["two-sided", "larger", "smaller"]


Gettext = Callable[[str], str]
"""A translation function an application passes to a sentence writer."""


def N_(text: str) -> str:  # the name pybabel looks for
    """Mark an English sentence for an application's catalogue (it stays English)."""
    return text


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Caveat:
    """A reason to read a result with care.

    The core writes no reader's language: a caveat keeps its English sentence as a
    template and the numbers that fill it, so an application can translate the
    template (its ``gettext``) and fill it in the reader's language.

    Attributes:
        code: a stable identifier a page can key on, such as ``"small_sample"``.
        template: what is wrong and what to do about it, with ``%(name)s`` where a
            value goes (``%%`` for a percent sign when there are values).
        values: the values, already written as text.

    >>> caveat = Caveat("srm", N_("The split is off (p = %(p)s)."), {"p": "0.003"})
    >>> french = {"The split is off (p = %(p)s).": "Le partage est faussé (p = %(p)s)."}
    >>> caveat.message, caveat.sentence(french.__getitem__)
    ('The split is off (p = 0.003).', 'Le partage est faussé (p = 0.003).')
    """

    code: str
    template: str
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The sentence in English."""
        return self.sentence()

    def sentence(self, gettext: Gettext = _identity) -> str:
        """The sentence in the language of ``gettext``."""
        return caveat_sentence(self.template, self.values, gettext)

    def as_dict(self) -> dict[str, Any]:
        """The caveat as stored with an analysis: its code, its English message, and
        the template and values an application translates it from."""
        return {
            "code": self.code,
            "message": self.message,
            "template": self.template,
            "values": dict(self.values),
        }


def caveat_sentence(template: str, values: Mapping[str, str], gettext: Gettext = _identity) -> str:
    """A caveat's template, translated by ``gettext`` and filled with ``values``."""
    text = gettext(template)
    return text % dict(values) if values else text


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words the core writes in no reader's language: an English template, marked
    for an application's catalogue, and the values that fill it.

    Attributes:
        template: the English, with ``%(name)s`` where a value goes.
        values: each value, a figure already written as text or a phrase of its own.
        typed: the names of the values a person typed (an arm's name), which an
            application shows in their own direction; the others are figures.

    >>> phrase = Phrase("%(who)s is %(size)s higher", {"who": "B", "size": "3%"}, ("who",))
    >>> phrase.text(), phrase.text({"%(who)s is %(size)s higher": "%(who)s: +%(size)s"}.get)
    ('B is 3% higher', 'B: +3%')
    >>> Phrase.from_dict(phrase.as_dict()) == phrase
    True
    """

    template: str
    values: Mapping[str, str | Phrase] = field(default_factory=dict)
    typed: tuple[str, ...] = ()

    def text(self, gettext: Callable[[str], str | None] = _identity) -> str:
        """The words in the language of ``gettext`` (English without it)."""
        filled = {
            key: value.text(gettext) if isinstance(value, Phrase) else value
            for key, value in self.values.items()
        }
        return (gettext(self.template) or self.template) % filled

    def as_dict(self) -> dict[str, Any]:
        """The phrase as JSON holds it."""
        return {
            "template": self.template,
            "values": {
                key: value.as_dict() if isinstance(value, Phrase) else value
                for key, value in self.values.items()
            },
            "typed": list(self.typed),
        }

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> Phrase:
        """A phrase back from :meth:`as_dict`."""
        values = {
            str(key): cls.from_dict(value) if isinstance(value, Mapping) else str(value)
            for key, value in dict(stored.get("values") or {}).items()
        }
        return cls(str(stored["template"]), values, tuple(stored.get("typed") or ()))


@dataclass(frozen=True, slots=True)
class Comparison:
    """One variant against control on one metric.

    Attributes:
        kind: ``"proportion"``, ``"mean"`` or ``"rate"``.
        control_estimate: control's observed proportion, mean or rate.
        variant_estimate: the variant's observed proportion, mean or rate.
        difference: variant minus control.
        difference_ci: the confidence interval of ``difference`` as (low, high); a
            one-sided test has an infinite bound on the other side.
        lift: variant / control - 1, or ``None`` when control's estimate is zero.
        lift_ci: the confidence interval of ``lift``, or ``None`` with ``lift``. It can
            be unbounded for a mean (see the ``unbounded_lift`` caveat).
        p_value: the p-value of the test of no difference.
        statistic: the test statistic (z for proportions and rates, t for means).
        df: the Welch-Satterthwaite degrees of freedom for a mean, else ``None``.
        alpha: the significance level the test and the intervals use.
        alternative: ``"two-sided"``, ``"larger"`` (variant above control) or
            ``"smaller"``.
        significant: whether ``adjusted_p_value`` is below ``alpha``.
        method: a readable name of the test.
        chance_to_beat_control: the probability that the variant's true value is above
            control's (for a metric where lower is better, one minus it).
        warnings: a tuple of :class:`Caveat`, empty when nothing needs saying.
        adjusted_p_value: the p-value adjusted for the other variants of the same
            experiment; equal to ``p_value`` for a single variant or no correction.
        exact_p_value: Fisher's exact p-value for a proportion with a small sample,
            else ``None``.
    """

    kind: Kind
    control_estimate: float
    variant_estimate: float
    difference: float
    difference_ci: tuple[float, float]
    lift: float | None
    lift_ci: tuple[float, float] | None
    p_value: float
    statistic: float
    df: float | None
    alpha: float
    alternative: Alternative
    significant: bool
    method: str
    chance_to_beat_control: float
    warnings: tuple[Caveat, ...] = ()
    adjusted_p_value: float | None = None
    exact_p_value: float | None = None

    def __post_init__(self) -> None:
        if self.adjusted_p_value is None:
            object.__setattr__(self, "adjusted_p_value", self.p_value)

    def summary(
        self,
        variant_name: str = "Variant",
        control_name: str = "control",
        *,
        preliminary: bool = False,
    ) -> str:
        """The plain sentence a page shows, in English (:meth:`summary_phrase` holds
        it as templates and values, for an application to translate). A
        ``preliminary`` result (a fixed design before its planned size) is not judged:
        its sentence says so instead of calling it significant or not.

        >>> from experiments.stats import Proportion, compare
        >>> result = compare(Proportion(100, 1000), Proportion(130, 1000))
        >>> print(result.summary())  # doctest: +NORMALIZE_WHITESPACE
        Variant converts 30.0% better than control (95% CI +1.8% to +66.1%);
        p = 0.035, significant at alpha 0.05.
        >>> print(result.summary(variant_name="Short form", control_name="the long form"))
        ... # doctest: +NORMALIZE_WHITESPACE
        Short form converts 30.0% better than the long form (95% CI +1.8% to +66.1%);
        p = 0.035, significant at alpha 0.05.
        >>> print(result.summary(preliminary=True))  # doctest: +NORMALIZE_WHITESPACE
        Variant converts 30.0% better than control (95% CI +1.8% to +66.1%);
        p = 0.035, preliminary: judged only at the planned sample size.
        """
        return self.summary_phrase(variant_name, control_name, preliminary=preliminary).text()

    def summary_phrase(
        self,
        variant_name: str = "Variant",
        control_name: str = "control",
        *,
        preliminary: bool = False,
    ) -> Phrase:
        """The plain sentence as English templates and the figures that fill them,
        so an application writes it in its reader's language.

        >>> from experiments.stats import Proportion, compare
        >>> phrase = compare(Proportion(100, 1000), Proportion(130, 1000)).summary_phrase("B")
        >>> phrase.template
        '%(effect)s (%(level)s CI %(low)s to %(high)s); p %(p)s, significant at alpha %(alpha)s.'
        >>> phrase.values["effect"].template, phrase.values["effect"].values["size"]
        ('%(variant)s converts %(size)s better than %(control)s', '30.0%')
        """
        level: str | Phrase = f"{_level(self.alpha)}%"
        if self.alternative != "two-sided":
            level = Phrase(N_("%(level)s one-sided"), {"level": level})
        # A lift reads well only against a positive control: "-10 is 50% lower than
        # -20" would mislead, so a negative control falls back to the difference.
        size: str | Phrase
        if self.lift is not None and self.lift_ci is not None and self.control_estimate > 0:
            size, low, high = (_percent(self.lift), *map(_signed_percent, self.lift_ci))
            effect = self.lift
        else:
            size, low, high = (_plain(self.difference), *map(_signed_plain, self.difference_ci))
            if self.kind == "proportion":
                points = _plain(100 * self.difference).lstrip("-")
                size = Phrase(N_("%(points)s percentage points"), {"points": points})
                low, high = (_signed_plain(100 * bound) for bound in self.difference_ci)
            effect = self.difference
        if isinstance(size, str):
            size = size.lstrip("-")
        p_value = self.p_value if self.adjusted_p_value is None else self.adjusted_p_value
        values: dict[str, str | Phrase] = {
            "effect": _effect_phrase(self.kind, effect, size, variant_name, control_name),
            "level": level,
            "low": low,
            "high": high,
            "p": _p_text(p_value),
        }
        adjusted = p_value != self.p_value
        if preliminary:
            template = _PRELIMINARY[adjusted]
        else:
            values["alpha"] = _number(self.alpha)
            template = (_SIGNIFICANT if self.significant else _NOT_SIGNIFICANT)[adjusted]
        return Phrase(template, values)


# The sentence's frame, by whether the p-value is adjusted for the other variants.
_SIGNIFICANT = {
    False: N_(
        "%(effect)s (%(level)s CI %(low)s to %(high)s); p %(p)s, significant at alpha %(alpha)s."
    ),
    True: N_(
        "%(effect)s (%(level)s CI %(low)s to %(high)s); adjusted p %(p)s,"
        " significant at alpha %(alpha)s."
    ),
}
_NOT_SIGNIFICANT = {
    False: N_(
        "%(effect)s (%(level)s CI %(low)s to %(high)s); p %(p)s,"
        " not significant at alpha %(alpha)s."
    ),
    True: N_(
        "%(effect)s (%(level)s CI %(low)s to %(high)s); adjusted p %(p)s,"
        " not significant at alpha %(alpha)s."
    ),
}
_PRELIMINARY = {
    False: N_(
        "%(effect)s (%(level)s CI %(low)s to %(high)s); p %(p)s,"
        " preliminary: judged only at the planned sample size."
    ),
    True: N_(
        "%(effect)s (%(level)s CI %(low)s to %(high)s); adjusted p %(p)s,"
        " preliminary: judged only at the planned sample size."
    ),
}
# "Variant converts 3.0% better than control" and its kin, by kind and by the sign
# of the effect (below, equal, above zero), neutral about which direction is good.
_EFFECTS = {
    "proportion": (
        N_("%(variant)s converts %(size)s worse than %(control)s"),
        N_("%(variant)s converts as well as %(control)s"),
        N_("%(variant)s converts %(size)s better than %(control)s"),
    ),
    "mean": (
        N_("%(variant)s mean is %(size)s lower than %(control)s"),
        N_("%(variant)s mean equals %(control)s"),
        N_("%(variant)s mean is %(size)s higher than %(control)s"),
    ),
    "rate": (
        N_("%(variant)s rate is %(size)s lower than %(control)s"),
        N_("%(variant)s rate equals %(control)s"),
        N_("%(variant)s rate is %(size)s higher than %(control)s"),
    ),
}


def _effect_phrase(
    kind: Kind, effect: float, size: str | Phrase, variant: str, control: str
) -> Phrase:
    """The effect's words; a mean or a rate is the arm's own ("B's mean"), a
    possessive only English writes, so it is a phrase of its own."""
    template = _EFFECTS[kind][(effect > 0) - (effect < 0) + 1]
    names: dict[str, str | Phrase] = {"variant": variant, "control": control}
    if kind != "proportion":
        names = {"variant": _possessive(variant), "control": _possessive(control)}
    values = names if effect == 0 else {**names, "size": size}
    return Phrase(template, values, typed=("variant", "control"))


def _possessive(name: str) -> Phrase:
    """'B's', 'Callbacks'': an arm's name as the owner of its mean or rate."""
    # Translators: an arm's name as the owner of its mean ("B's mean"); most
    # languages write the name alone here.
    template = N_("%(name)s'") if name.endswith("s") else N_("%(name)s's")
    return Phrase(template, {"name": name}, typed=("name",))


def _number(value: float) -> str:
    return f"{value:.2g}" if value < 0.01 else f"{value:g}"


def _level(alpha: float) -> str:
    """The confidence level: 95, 99.5, 99.97; never a rounded 100."""
    level = 100 * (1 - alpha)
    if level >= 99.99:
        return "> 99.99"
    return f"{level:.4g}"


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _signed_percent(value: float) -> str:
    if math.isinf(value):
        return "+∞" if value > 0 else "-∞"
    return f"{100 * value:+.1f}%"


def _plain(value: float) -> str:
    return f"{value:.3g}"


def _signed_plain(value: float) -> str:
    if math.isinf(value):
        return "+∞" if value > 0 else "-∞"
    return f"{value:+.3g}"


def _p_text(p_value: float) -> str:
    if p_value < 0.001:
        return "< 0.001"
    return f"= {p_value:#.2g}".rstrip(".")


@dataclass(frozen=True, slots=True)
class ArmsComparison:
    """Every variant of one experiment against control.

    Attributes:
        comparisons: each variant's name mapped to its :class:`Comparison`, whose
            ``adjusted_p_value`` carries the correction and decides ``significant``.
        correction: ``"holm"``, ``"fdr_bh"``, ``"bonferroni"`` or ``"none"``.
        warnings: a tuple of :class:`Caveat` about the set as a whole, such as
            ``multiple_variants``.
    """

    comparisons: Mapping[str, Comparison]
    correction: str
    warnings: tuple[Caveat, ...] = ()


@dataclass(frozen=True, slots=True)
class SampleSize:
    """The units each arm needs, each rounded up.

    Attributes:
        control: control's units (trials, people, units of exposure).
        variant: each variant's units.
        total: control plus one variant.
    """

    control: int
    variant: int
    total: int


@dataclass(frozen=True, slots=True)
class SrmResult:
    """The sample-ratio check: do the arm sizes match the planned split?

    Attributes:
        statistic: the chi-square goodness-of-fit statistic.
        p_value: its p-value.
        expected: the arm sizes the planned weights lead one to expect.
        mismatch: whether ``p_value`` is below the threshold; if so, the assignment is
            suspect and the comparisons should not be trusted until it is explained.
    """

    statistic: float
    p_value: float
    expected: tuple[float, ...]
    mismatch: bool
