"""The significance calculator's words in the reader's language: the plain
sentence for the review and the caveats, written here from the core's
numbers and codes (``experiments.stats`` stays free of Flask and speaks
English only)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup


def summary(result: Any) -> Markup:
    """The plain sentence under a comparison, the core's phrase in the reader's
    language: "Variant converts 30.0% better than control (95% CI +1.8% to +66.1%);
    p = 0.035, significant at alpha 0.05."."""
    from tracker.experiments.summaries import phrase_markup

    return phrase_markup(result.summary_phrase(_("Variant"), _("control")))


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
