"""The significance calculator's words in the reader's language: the plain
sentence for the review and the caveats, written here from the core's
numbers and codes (``experiments.stats`` stays free of Flask and speaks
English only)."""

from __future__ import annotations

import math
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.i18n import html, localize_figures, ltr


def _figure(text: str) -> str:
    """A figure as the sentence shows it, signs kept, in the team's digits."""
    return localize_figures(text).replace("-", "−")


def _percent(value: float) -> str:
    return _figure(f"{100 * value:.1f}%")


def _signed_percent(value: float) -> str:
    if math.isinf(value):
        return "+∞" if value > 0 else "−∞"
    return _figure(f"{100 * value:+.1f}%")


def _plain(value: float) -> str:
    return _figure(f"{value:.3g}")


def _signed_plain(value: float) -> str:
    if math.isinf(value):
        return "+∞" if value > 0 else "−∞"
    return _figure(f"{value:+.3g}")


def _level(alpha: float) -> str:
    level = 100 * (1 - alpha)
    return "> 99.99" if level >= 99.99 else _figure(f"{level:.4g}")


def _p_text(p_value: float) -> str:
    if p_value < 0.001:
        return "< " + _figure("0.001")
    return "= " + _figure(f"{p_value:#.2g}".rstrip("."))


def _effect(kind: str, effect: float, size: Markup) -> Markup:
    """'Variant converts 3.0% better than control' and its kin."""
    if kind == "proportion":
        if effect == 0:
            return html(_("Variant converts as well as control"))
        if effect > 0:
            return html(_("Variant converts %(size)s better than control"), size=size)
        return html(_("Variant converts %(size)s worse than control"), size=size)
    if kind == "mean":
        if effect == 0:
            return html(_("Variant's mean equals control's"))
        if effect > 0:
            return html(_("Variant's mean is %(size)s higher than control's"), size=size)
        return html(_("Variant's mean is %(size)s lower than control's"), size=size)
    if effect == 0:
        return html(_("Variant's rate equals control's"))
    if effect > 0:
        return html(_("Variant's rate is %(size)s higher than control's"), size=size)
    return html(_("Variant's rate is %(size)s lower than control's"), size=size)


def summary(result: Any) -> Markup:
    """The plain sentence under a comparison, as the core's ``summary`` says it:
    "Variant converts 30.0% better than control (95% CI +1.8% to +66.1%);
    p = 0.035, significant at alpha 0.05."."""
    if result.lift is not None and result.lift_ci is not None and result.control_estimate > 0:
        size = ltr(_percent(abs(result.lift)))
        low, high = (_signed_percent(bound) for bound in result.lift_ci)
        effect = result.lift
    elif result.kind == "proportion":
        points = ltr(_plain(abs(100 * result.difference)))
        size = html(_("%(points)s percentage points"), points=points)
        low, high = (_signed_plain(100 * bound) for bound in result.difference_ci)
        effect = result.difference
    else:
        size = ltr(_plain(abs(result.difference)))
        low, high = (_signed_plain(bound) for bound in result.difference_ci)
        effect = result.difference
    level = ltr(_level(result.alpha) + localize_figures("%"))
    if result.alternative != "two-sided":
        level = html(_("%(level)s one-sided"), level=level)
    p_value = result.p_value if result.adjusted_p_value is None else result.adjusted_p_value
    adjusted = p_value != result.p_value
    alpha = _figure(f"{result.alpha:.2g}" if result.alpha < 0.01 else f"{result.alpha:g}")
    values = {
        "effect": _effect(result.kind, effect, size),
        "level": level,
        "low": ltr(low),
        "high": ltr(high),
        "p": ltr(_p_text(p_value)),
        "alpha": ltr(alpha),
    }
    if result.significant:
        if adjusted:
            return html(
                _(
                    "%(effect)s (%(level)s CI %(low)s to %(high)s); adjusted p %(p)s,"
                    " significant at alpha %(alpha)s.",
                ),
                **values,
            )
        return html(
            _(
                "%(effect)s (%(level)s CI %(low)s to %(high)s); p %(p)s,"
                " significant at alpha %(alpha)s.",
            ),
            **values,
        )
    if adjusted:
        return html(
            _(
                "%(effect)s (%(level)s CI %(low)s to %(high)s); adjusted p %(p)s,"
                " not significant at alpha %(alpha)s.",
            ),
            **values,
        )
    return html(
        _(
            "%(effect)s (%(level)s CI %(low)s to %(high)s); p %(p)s,"
            " not significant at alpha %(alpha)s.",
        ),
        **values,
    )


def caveat_message(caveat: Any, kind: str) -> str:
    """A caveat of a two-arm comparison, by its code; the core's English
    for a code this page does not know."""
    code = caveat.code
    if code == "small_sample" and kind == "rate":
        return str(
            _(
                "Fewer than 5 expected events in an arm: the normal approximation is"
                " unreliable; keep collecting data before deciding."
            )
        )
    if code == "small_sample":
        return str(
            _(
                "Fewer than 5 expected successes or failures in an arm: the normal"
                " approximation is unreliable; rely on the exact p-value (Fisher) and keep"
                " collecting data."
            )
        )
    if code == "unbounded_lift":
        return str(
            _(
                "Control's mean is not clearly away from zero, so the interval of the"
                " relative lift is unbounded; judge the experiment on the absolute difference"
                " and its interval."
            )
        )
    if code == "lift_undefined":
        return str(
            _(
                "Control's estimate is zero, so a relative lift is undefined; read the"
                " absolute difference instead, and keep collecting data if control should"
                " not be zero."
            )
        )
    return str(caveat.message)


def engine_message(message: str, *, comparing: bool = False) -> str:
    """A planning or comparison refusal from the core, said for the reader: the
    core names the figure in English ("baseline + mde must be ..."), the page
    says what to change."""
    if message.startswith("mde (") and "points the other way" in message:
        return str(
            _(
                "The effect points the other way from the test: use a positive effect with"
                " “variant higher” and a negative one with “variant lower”."
            )
        )
    if message.startswith("baseline + mde"):
        return str(
            _(
                "The baseline plus this effect must stay between 0 and 100 percent:"
                " choose a smaller effect."
            )
        )
    if message.startswith("baseline_rate + mde"):
        return str(
            _("The baseline plus this effect must stay above zero: choose a smaller effect.")
        )
    if message.startswith("alpha"):
        return str(_("Alpha must be between 0 and 0.5, like 0.05."))
    if message.startswith("power"):
        return str(_("The power must be between alpha and 1, like 0.8."))
    if message.startswith("ratio"):
        return str(_("The ratio must be above 0 (1 splits traffic equally)."))
    if message.startswith("mde must not be zero"):
        return str(_("The effect cannot be zero: enter the smallest change that matters."))
    if comparing:
        return str(_("These figures cannot be compared: %(reason)s", reason=message))
    return str(_("These figures cannot be planned: %(reason)s", reason=message))
