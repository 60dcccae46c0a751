"""An analysis's plain sentences in the reader's language.

The core writes each variant's comparison as English templates and figures
(``experiments.stats.results.Phrase``), and an analysis stores that phrase beside
the English sentence. A page writes it again here, translated: each figure an
isolated left-to-right run in the team's digits, each arm's name in its own
direction. An analysis stored before it kept its phrase shows its English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from tracker.i18n import bdi, html, localize_figures, ltr
from tracker.translation import translate


def phrase_markup(phrase: Any) -> Markup:
    """One of the core's phrases (``experiments.stats.results.Phrase``) as markup in
    the reader's language."""
    from experiments.stats.results import Phrase

    values: dict[str, Any] = {}
    for key, value in phrase.values.items():
        if isinstance(value, Phrase):
            values[key] = phrase_markup(value)
        elif key in phrase.typed:
            values[key] = bdi(value)
        else:
            values[key] = ltr(localize_figures(value).replace("-", "−"))
    return html(translate(phrase.template), **values)


def variant_summary(variant: Mapping[str, Any]) -> Markup | str:
    """The sentence under one variant's row of a stored analysis."""
    from experiments.stats.results import Phrase

    stored = variant.get("sentence")
    if not stored:
        return str(variant.get("summary", ""))
    return phrase_markup(Phrase.from_dict(stored))


def variant_summary_text(variant: Mapping[str, Any]) -> str:
    """The same sentence as plain text, its figures as the engine wrote them (Latin
    digits), for a machine format that a person also reads (the API)."""
    from experiments.stats.results import Phrase

    stored = variant.get("sentence")
    if not stored:
        return str(variant.get("summary", ""))
    return Phrase.from_dict(stored).text(translate)


def no_comparison(analysis: Any) -> str:
    """Why an analysis compares no variant (no successes in either arm yet, ...),
    from its ``insufficient_data`` caveat; the stored sentence when it has none."""
    from tracker.experiments.caveats import caveat_message

    for warning in analysis.warnings or ():
        if warning.get("code") == "insufficient_data":
            return caveat_message(warning)
    return str(analysis.comparisons.get("verdict", ""))
