"""The words of the backlog pages that come from elsewhere, in the reader's
language: the priority models' inputs (named in ``experiments.priority``, which
stays free of Flask), and the statuses and outcomes of the experiments a
hypothesis lists."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from experiments.priority import FieldSpec

# The inputs' labels and help sentences, keyed by the core's English words.
SCORE_LABELS: dict[str, Any] = {
    "Impact": _l("Impact"),
    "Confidence": _l("Confidence"),
    "Ease": _l("Ease"),
    "Reach": _l("Reach"),
    "Effort": _l("Effort"),
    "Potential": _l("Potential"),
    "Importance": _l("Importance"),
}
SCORE_HELP: dict[str, Any] = {
    "How much the metric moves if it works (1 to 10).": _l(
        "How much the metric moves if it works (1 to 10)."
    ),
    "How sure you are that it works (1 to 10).": _l("How sure you are that it works (1 to 10)."),
    "How little time and effort it takes (1 to 10).": _l(
        "How little time and effort it takes (1 to 10)."
    ),
    "Leads, deals or customers it touches per quarter.": _l(
        "Leads, deals or customers it touches per quarter."
    ),
    "3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.": _l(
        "3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal."
    ),
    "100% high, 80% medium, 50% low.": _l("100%: high, 80%: medium, 50%: low."),
    "Person-months of work, at least 0.5.": _l("Person-months of work, at least 0.5."),
    "How much room to improve there is (1 to 10).": _l(
        "How much room to improve there is (1 to 10)."
    ),
    "How valuable the traffic or deals are (1 to 10).": _l(
        "How valuable the traffic or deals are (1 to 10)."
    ),
    "How easy it is to run the test (1 to 10).": _l("How easy it is to run the test (1 to 10)."),
}


def score_label(spec: FieldSpec) -> str:
    """The input's label in the reader's language: "Impact", "الأثر"."""
    return str(SCORE_LABELS.get(spec.label, spec.label))


def score_help(spec: FieldSpec) -> str:
    """The input's help sentence in the reader's language."""
    return str(SCORE_HELP.get(spec.help, spec.help))


def valid_range(spec: FieldSpec) -> str:
    """The values the input takes, in words: "from 1 to 10", "one of 100, 80, 50"."""
    from tracker.i18n import format_number

    if spec.choices is not None:
        values = "، " if _rtl() else ", "
        return str(
            _("one of %(values)s", values=values.join(format_number(v) for v in spec.choices))
        )
    if spec.maximum is None:
        return str(_("at least %(minimum)s", minimum=format_number(spec.minimum)))
    return str(
        _(
            "from %(minimum)s to %(maximum)s",
            minimum=format_number(spec.minimum),
            maximum=format_number(spec.maximum),
        )
    )


def _rtl() -> bool:
    from tracker.i18n import current_language, direction_of

    return direction_of(current_language()) == "rtl"
