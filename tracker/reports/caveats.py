"""An analysis's warnings in the report's language.

An analysis stores its warnings as a code and an English message with its
figures in it (the core's ``Caveat``). An English report prints the message as
stored; a report in another language prints the code's sentence from the
catalogue (the figures it leaves out are in the section's own tables).
"""

from __future__ import annotations

from collections.abc import Mapping

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


def caveat_sentence(warning: Mapping[str, str], wording: Wording) -> str:
    """The warning as the reader reads it."""
    if wording.language == "en" and warning.get("message"):
        return str(warning["message"])
    return wording.gettext(SENTENCES.get(str(warning.get("code", "")), OTHER))
