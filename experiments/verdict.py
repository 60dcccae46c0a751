"""One verdict for every page: what an analysis means for the decision.

The core returns a code and the numbers a sentence needs; the sentence is written
where the reader's language is known (``tracker.experiments.verdicts``).

Pure: the standard library and :mod:`experiments.design`, no web, no database.

>>> from experiments.design import Design, Look
>>> early = Look(number=2, information=0.5, critical_z=1.96, nominal_alpha=0.05)
>>> winner = VariantReading("B", significant=True, better=True, lift=0.3)
>>> verdict(Reading(Design("fixed"), early, (winner,))).code
'keep_running'
>>> verdict(Reading(Design("group_sequential", planned_looks=5), early, (winner,))).code
'stop_better'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from experiments.design import Design, Look

__all__ = [
    "CALLS_FOR_DECISION",
    "Reading",
    "VariantReading",
    "Verdict",
    "VerdictCode",
    "verdict",
]

VerdictCode = Literal[
    "untrustworthy",
    "stop_better",
    "stop_worse",
    "guardrail_worse",
    "keep_running",
    "final_no_difference",
]
# Every verdict but keep_running asks the team to decide something this week.
CALLS_FOR_DECISION: frozenset[str] = frozenset(
    {"untrustworthy", "stop_better", "stop_worse", "guardrail_worse", "final_no_difference"}
)


@dataclass(frozen=True, slots=True)
class VariantReading:
    """One variant against control on the primary metric, at one look.

    Attributes:
        name: the variant's name.
        significant: whether the comparison crossed the look's boundary (its adjusted
            p-value is below the look's nominal alpha).
        better: whether the variant's estimate points the good way for the metric.
        lift: variant / control - 1, or ``None``.
        lift_ci: the look's repeated confidence interval of ``lift``, or ``None``.
        difference: variant minus control.
        difference_ci: the interval of ``difference``.
        p_value: the (adjusted) p-value.
        chance_better: the chance the variant is better than control.
        conditional_power: the chance of ending significant at the maximum, on the
            current trend and under the planned effect, or ``None``.
    """

    name: str
    significant: bool
    better: bool
    lift: float | None = None
    lift_ci: tuple[float | None, float | None] | None = None
    difference: float | None = None
    difference_ci: tuple[float | None, float | None] | None = None
    p_value: float | None = None
    chance_better: float | None = None
    conditional_power: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """What an analysis of the primary metric says at one look.

    Attributes:
        design: how the experiment is looked at.
        look: the look, with its boundary.
        variants: each variant against control (empty when the data cannot compare
            them yet).
        srm_p_value: the sample-ratio check's p-value when it found a mismatch, else
            ``None``.
        guardrails_worse: ``(metric, variant)`` pairs of guardrails made significantly
            worse.
    """

    design: Design
    look: Look
    variants: tuple[VariantReading, ...]
    srm_p_value: float | None = None
    guardrails_worse: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """What an analysis means for the decision.

    Attributes:
        code: one of :data:`VerdictCode`.
        design: the design the look was judged by.
        look: the look.
        variant: the variant the verdict is about (the best one, or the crossing
            one), or ``None`` when no variant could be compared.
        srm_p_value: for ``untrustworthy``, the mismatch's p-value.
        guardrails: for ``guardrail_worse``, the ``(metric, variant)`` pairs.
        weeks_left: the weeks still needed to reach the maximum at the current volume.
    """

    code: VerdictCode
    design: Design
    look: Look
    variant: VariantReading | None = None
    srm_p_value: float | None = None
    guardrails: tuple[tuple[str, str], ...] = field(default=())
    weeks_left: float | None = None

    @property
    def calls_for_decision(self) -> bool:
        return self.code in CALLS_FOR_DECISION

    @property
    def crossed(self) -> bool:
        """Whether a boundary was crossed (so deciding now needs no early reason)."""
        return self.code in {"stop_better", "stop_worse", "guardrail_worse"}


def verdict(reading: Reading, *, weeks_left: float | None = None) -> Verdict:
    """Turn one look's analysis into the verdict every page shows.

    - ``untrustworthy``: a sample-ratio mismatch; nothing else is read.
    - ``stop_better`` / ``stop_worse``: a variant crossed the boundary, better or worse
      than control (a fixed design only at its planned size);
    - ``guardrail_worse``: ``stop_better``, but a guardrail is significantly worse.
    - ``keep_running``: no crossing before the maximum (a fixed design before its
      planned size, always, whatever its p-value).
    - ``final_no_difference``: the maximum reached without crossing.

    >>> from experiments.design import Design, Look
    >>> final = Look(number=5, information=1.0, critical_z=2.03, nominal_alpha=0.042)
    >>> flat = VariantReading("B", significant=False, better=True)
    >>> verdict(Reading(Design("fixed"), final, (flat,))).code
    'final_no_difference'
    >>> verdict(Reading(Design("fixed"), final, (flat,), srm_p_value=1e-5)).code
    'untrustworthy'
    """
    design, look, variants = reading.design, reading.look, reading.variants
    best = _best(variants)

    def made(code: VerdictCode, variant: VariantReading | None = best) -> Verdict:
        return Verdict(
            code=code,
            design=design,
            look=look,
            variant=variant,
            srm_p_value=reading.srm_p_value,
            guardrails=reading.guardrails_worse,
            weeks_left=None if look.final else weeks_left,
        )

    if reading.srm_p_value is not None:
        return made("untrustworthy")
    may_stop = design.kind != "fixed" or look.final
    crossed = [variant for variant in variants if variant.significant]
    if may_stop and crossed:
        winners = [variant for variant in crossed if variant.better]
        if winners:
            winner = _best(winners)
            if reading.guardrails_worse:
                return made("guardrail_worse", winner)
            return made("stop_better", winner)
        return made("stop_worse", _worst(crossed))
    if look.final:
        return made("final_no_difference")
    return made("keep_running")


def _best(variants: Sequence[VariantReading]) -> VariantReading | None:
    """The variant most likely better than control (the first when none says)."""
    if not variants:
        return None
    return max(variants, key=lambda v: -1.0 if v.chance_better is None else v.chance_better)


def _worst(variants: Sequence[VariantReading]) -> VariantReading:
    return min(variants, key=lambda v: 2.0 if v.chance_better is None else v.chance_better)
