"""An analysis's warnings in the report's language.

An analysis stores each warning with the core's English template and its values
(``experiments.stats.results.Caveat``), written again through the catalogue by
the core's own ``caveat_sentence``, as the pages do. A warning stored before it
had a template keeps its English message in an English report, and reads its
code's sentence from the catalogue in another language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.reports.language import Wording


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue; it is translated in ``caveat_sentence``."""
    return message


SENTENCES: dict[str, str] = {
    "small_sample": N_(
        "Too few successes, failures or events in an arm for the normal approximation: "
        "keep collecting data before deciding."
    ),
    "unbounded_lift": N_(
        "Control's mean is not clearly away from zero, so the interval of the relative "
        "lift is unbounded; judge the experiment on the absolute difference."
    ),
    "lift_undefined": N_(
        "Control's estimate is zero, so a relative lift is undefined; read the absolute "
        "difference instead."
    ),
    "srm": N_(
        "Sample-ratio mismatch: the arms' sizes do not match the planned split. Check the "
        "assignment before trusting the result."
    ),
    "preliminary": N_(
        "Preliminary: the planned sample size is not reached yet. Don't stop early on this result."
    ),
    "guardrail_worse": N_(
        "A guardrail metric is significantly worse in a variant: look into it before shipping."
    ),
    "multiple_variants": N_(
        "Several variants are compared with control: their p-values are adjusted for it."
    ),
}
OTHER = N_("The analysis gave a warning; see the experiment's page.")


def caveat_sentence(warning: Mapping[str, Any], wording: Wording) -> str:
    """The warning as the reader reads it."""
    template = warning.get("template")
    if template:
        from experiments.stats.results import caveat_sentence as written

        values = {name: str(value) for name, value in dict(warning.get("values") or {}).items()}
        return written(str(template), values, wording.gettext)
    if wording.language == "en" and warning.get("message"):
        return str(warning["message"])
    return wording.gettext(SENTENCES.get(str(warning.get("code", "")), OTHER))
