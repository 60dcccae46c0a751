"""The verdict every page shows, read from a stored analysis, and its sentence.

The core (``experiments.verdict``) gives the code and the numbers; the sentence is
written here, through a ``gettext``-like callable (identity by default) so that the
interface can speak the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from experiments.stats.results import N_

Gettext = Callable[[str], str]

# A word for each verdict, where a page has room for only one (marked N_ for the
# catalogue; the pages say it through ``ShownVerdict.word(translate)``).
WORDS: dict[str, str] = {
    "untrustworthy": N_("Untrustworthy"),
    "stop_better": N_("Stop: better"),
    "stop_worse": N_("Stop: worse"),
    "guardrail_worse": N_("Guardrail worse"),
    "keep_running": N_("Keep running"),
    "final_no_difference": N_("No difference"),
}
# How a page colours each verdict.
TONES: dict[str, str] = {
    "untrustworthy": "bad",
    "stop_better": "good",
    "stop_worse": "bad",
    "guardrail_worse": "bad",
    "keep_running": "neutral",
    "final_no_difference": "neutral",
}


def _identity(text: str) -> str:
    return text


def format_chance(chance: float | None) -> str:
    """A chance as a page shows it: never "100%" nor "0%", which no data can prove.

    >>> format_chance(0.99996), format_chance(0.973), format_chance(0.0002), format_chance(None)
    ('> 99.9%', '97.3%', '< 0.1%', '—')
    """
    if chance is None or not math.isfinite(chance):
        return "—"
    if chance > 0.999:
        return "> 99.9%"
    if chance < 0.001:
        return "< 0.1%"
    return f"{100 * chance:.1f}%"


@dataclass(frozen=True, slots=True)
class ShownVerdict:
    """A verdict with the names its sentence needs.

    Attributes:
        verdict: the core's ``experiments.verdict.Verdict``.
        metric: the primary metric's name.
        control: control's name.
        kind: ``"proportion"``, ``"mean"`` or ``"rate"``.
    """

    verdict: Any
    metric: str
    control: str
    kind: str

    @property
    def code(self) -> str:
        return str(self.verdict.code)

    @property
    def crossed(self) -> bool:
        return bool(self.verdict.crossed)

    @property
    def calls_for_decision(self) -> bool:
        return bool(self.verdict.calls_for_decision)

    @property
    def tone(self) -> str:
        return TONES[self.code]

    def word(self, gettext: Gettext = _identity) -> str:
        return gettext(WORDS[self.code])

    def sentence(self, gettext: Gettext = _identity) -> str:
        return verdict_sentence(self, gettext=gettext)

    def as_dict(self, gettext: Gettext = _identity) -> dict[str, str]:
        return {"code": self.code, "sentence": self.sentence(gettext)}


def shown_verdict(
    analysis: Any, *, planned_total: int | None = None, alpha: float | None = None
) -> ShownVerdict | None:
    """The verdict of a stored primary ``Analysis`` (``None`` for a guardrail's).

    This is all a report needs: the look, the design and the comparisons are stored
    with the analysis. An analysis made before looks were stored is read as a fixed
    design judged at ``alpha`` over ``planned_total``.
    """
    from experiments.verdict import Reading, verdict

    if not analysis.is_primary:
        return None
    comparisons: Mapping[str, Any] = analysis.comparisons or {}
    stored_look = analysis.look or {}
    design = _design(stored_look)
    look = _look(stored_look, comparisons, planned_total=planned_total, alpha=alpha)
    srm = analysis.srm or {}
    reading = Reading(
        design=design,
        look=look,
        variants=tuple(_variant(v) for v in comparisons.get("variants", [])),
        srm_p_value=float(srm["p_value"]) if srm.get("mismatch") else None,
        guardrails_worse=_guardrails(comparisons, analysis.warnings or []),
    )
    return ShownVerdict(
        verdict=verdict(reading, weeks_left=stored_look.get("weeks_left")),
        metric=str(comparisons.get("metric", "the primary metric")),
        control=str(comparisons.get("control", "control")),
        kind=str(comparisons.get("kind", "proportion")),
    )


def _design(stored_look: Mapping[str, Any]) -> Any:
    from experiments.design import Design

    design = stored_look.get("design") or {}
    return Design(
        design.get("kind", "fixed"),
        design.get("spending", "obrien-fleming"),
        int(design.get("planned_looks", 1)),
    )


def _look(
    stored_look: Mapping[str, Any],
    comparisons: Mapping[str, Any],
    *,
    planned_total: int | None,
    alpha: float | None,
) -> Any:
    from experiments.design import Look

    if stored_look.get("critical_z") is not None:
        return Look(
            number=int(stored_look["number"]),
            information=float(stored_look["information"]),
            critical_z=float(stored_look["critical_z"]),
            nominal_alpha=float(stored_look["nominal_alpha"]),
        )
    level = alpha if alpha is not None else 0.05
    sizes = [float(e.get("size") or 0) for e in comparisons.get("estimates", {}).values()]
    information = math.fsum(sizes) / planned_total if planned_total else 0.0
    from scipy import special

    return Look(0, information, float(-special.ndtri(level / 2)), level)


def _variant(stored: Mapping[str, Any]) -> Any:
    from experiments.verdict import VariantReading

    power = stored.get("conditional_power") or None

    def pair(values: Any) -> tuple[float | None, float | None] | None:
        return None if values is None else (values[0], values[1])

    return VariantReading(
        name=str(stored["name"]),
        significant=bool(stored.get("significant")),
        better=bool(stored.get("good_direction")),
        lift=stored.get("lift"),
        lift_ci=pair(stored.get("lift_ci")),
        difference=stored.get("difference"),
        difference_ci=pair(stored.get("difference_ci")),
        p_value=stored.get("adjusted_p_value", stored.get("p_value")),
        chance_better=stored.get("chance_to_beat_control"),
        conditional_power=(
            (float(power["current_trend"]), float(power["planned_effect"])) if power else None
        ),
    )


def _guardrails(
    comparisons: Mapping[str, Any], warnings: list[dict[str, str]]
) -> tuple[tuple[str, str], ...]:
    stored = comparisons.get("guardrails_worse")
    if stored is not None:
        return tuple((str(metric), str(variant)) for metric, variant in stored)
    if any(w.get("code") == "guardrail_worse" for w in warnings):
        return (("a guardrail metric", ""),)
    return ()


# --- the sentence --------------------------------------------------------------------


def verdict_sentence(shown: ShownVerdict, *, gettext: Gettext = _identity) -> str:
    """The one plain sentence for a verdict, in the reader's language.

    A fixed design before its planned size reads "keep running" and never
    "significant", whatever its p-value.
    """
    _ = gettext
    v = shown.verdict
    variant = v.variant
    look = v.look
    names = {
        "metric": shown.metric,
        "control": shown.control,
        "variant": variant.name if variant else "",
        "look": look.number,
        "z": f"{look.critical_z:.2f}" if math.isfinite(look.critical_z) else "∞",
        "progress": f"{100 * min(look.information, 1.0):.0f}%",
    }
    if v.code == "untrustworthy":
        p = v.srm_p_value
        names["p"] = f"{p:.2g}" if p is not None else "—"
        return (
            _(
                "Don't read this result: the arms' sizes do not match the planned split"
                " (sample-ratio mismatch, p = %(p)s). Check how units are assigned to the"
                " arms and whether some are lost or counted twice, fix it, then start again."
            )
            % names
        )
    if variant is not None:
        names["effect"] = _effect(variant, shown.kind, gettext)
        names["interval"] = _interval(variant, shown.kind, look.nominal_alpha, v.design, gettext)
    if v.code in ("stop_better", "stop_worse", "guardrail_worse"):
        if v.design.kind == "fixed":
            where = _("significant at the planned sample size")
        elif v.design.kind == "always_valid":
            where = _("its always-valid interval excludes no difference (look %(look)s)") % names
        else:
            where = _("it crossed the boundary at look %(look)s (|z| ≥ %(z)s)") % names
        names["where"] = where
        if v.code == "stop_worse":
            return (
                _(
                    "Stop: %(variant)s is worse than %(control)s on %(metric)s, %(effect)s"
                    " %(interval)s; %(where)s. Decide now."
                )
                % names
            )
        if v.code == "guardrail_worse":
            names["guardrails"] = ", ".join(metric for metric, _variant in v.guardrails)
            return (
                _(
                    "%(variant)s is better than %(control)s on %(metric)s, %(effect)s"
                    " %(interval)s; %(where)s. But %(guardrails)s is significantly worse:"
                    " weigh that cost before shipping."
                )
                % names
            )
        return (
            _(
                "Stop: %(variant)s is better than %(control)s on %(metric)s, %(effect)s"
                " %(interval)s; %(where)s. Decide now."
            )
            % names
        )
    if v.code == "final_no_difference":
        if variant is None:
            return _("The maximum sample size is reached with no difference to report.")
        return (
            _(
                "No difference found: the maximum sample size is reached and %(variant)s is"
                " %(effect)s %(interval)s, within what chance explains. An effect as large"
                " as planned is unlikely: abandon or iterate."
            )
            % names
        )
    return _keep_running(shown, names, gettext)


def _keep_running(shown: ShownVerdict, names: dict[str, Any], gettext: Gettext) -> str:
    _ = gettext
    v = shown.verdict
    if v.design.kind == "fixed":
        text = (
            _(
                "Keep running: %(progress)s of the planned sample size. A fixed design is"
                " judged once, at its planned size, so this look decides nothing."
            )
            % names
        )
    elif v.design.kind == "always_valid":
        text = (
            _(
                "Keep running: look %(look)s, %(progress)s of the planned size; no variant's"
                " always-valid interval excludes no difference yet."
            )
            % names
        )
    else:
        names["looks"] = v.design.planned_looks
        text = (
            _(
                "Keep running: look %(look)s of %(looks)s planned, %(progress)s of the"
                " maximum; no variant reached the boundary (|z| ≥ %(z)s)."
            )
            % names
        )
    variant = v.variant
    if variant is not None and variant.conditional_power is not None:
        trend, planned = variant.conditional_power
        names["trend"], names["planned"] = format_chance(trend), format_chance(planned)
        text += (
            " "
            + _(
                "Chance of a clear result by the maximum: %(trend)s on the current trend,"
                " %(planned)s if the planned effect is real."
            )
            % names
        )
    if v.weeks_left is not None and v.weeks_left > 0:
        names["weeks"] = f"{v.weeks_left:g}"
        text += " " + _("About %(weeks)s more weeks at the current volume.") % names
    return str(text)


def _effect(variant: Any, kind: str, gettext: Gettext) -> str:
    _ = gettext
    if variant.lift is not None:
        size = f"{abs(100 * variant.lift):.1f}%"
        return (_("%(size)s higher") if variant.lift > 0 else _("%(size)s lower")) % {"size": size}
    if variant.difference is None:
        return _("no estimate")
    if kind == "proportion":
        size = f"{abs(100 * variant.difference):.2g} " + _("percentage points")
    else:
        size = f"{abs(variant.difference):.3g}"
    return (_("%(size)s higher") if variant.difference > 0 else _("%(size)s lower")) % {
        "size": size
    }


def _interval(variant: Any, kind: str, nominal_alpha: float, design: Any, gettext: Gettext) -> str:
    _ = gettext
    if variant.lift is not None and variant.lift_ci is not None:
        low, high = variant.lift_ci
        scale, unit = 100.0, "%"
    elif variant.difference_ci is not None:
        low, high = variant.difference_ci
        scale, unit = (100.0, " pp") if kind == "proportion" else (1.0, "")
    else:
        return ""
    level = 100 * (1 - nominal_alpha)
    # as compare's own sentence writes it: 95%, 99.26%, never a rounded 100%
    label = f"{level:.4g}%" if level < 99.99 else "> 99.99%"
    names = {
        "level": label,
        "low": _bound(low, scale, unit, side=-1),
        "high": _bound(high, scale, unit, side=1),
    }
    if design.kind == "fixed":
        return _("(%(level)s CI %(low)s to %(high)s)") % names
    return _("(%(level)s repeated CI %(low)s to %(high)s)") % names


def _bound(value: float | None, scale: float, unit: str, *, side: int) -> str:
    """One end of an interval; JSON stores an unbounded end as null."""
    if value is None or not math.isfinite(value):
        return "+∞" if side > 0 else "-∞"
    return f"{scale * value:+.1f}{unit}"


# Verdicts at which deciding is not early: a boundary was crossed.
CROSSED = frozenset({"stop_better", "stop_worse", "guardrail_worse"})


def decided_early(experiment: Any) -> bool:
    """Whether deciding now is early, and so needs a reason: the planned maximum is
    not reached and the latest look did not cross a boundary."""
    from experiments.planning import is_preliminary

    if not is_preliminary(experiment.observed_total, experiment.planned_total):
        return False
    return not experiment.planned_total or experiment.latest_verdict not in CROSSED


def page_gettext() -> Gettext:
    """The request's ``gettext`` when Flask-Babel is set up on the app, else identity."""
    from flask import current_app

    if "babel" not in current_app.extensions:
        return _identity
    from flask_babel import gettext

    translate: Gettext = gettext
    return translate


def primary_verdict(analyses: Any, experiment: Any) -> ShownVerdict | None:
    """The verdict of the primary analysis among ``analyses``, or ``None``."""
    for analysis in analyses:
        if analysis.is_primary:
            return shown_verdict(
                analysis, planned_total=experiment.planned_total, alpha=experiment.alpha
            )
    return None
