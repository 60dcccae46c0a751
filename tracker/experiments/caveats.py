"""An analysis's caveats in the reader's language.

The core keeps each caveat's English sentence as a template with its values
(``experiments.stats.results.Caveat``), and an analysis stores both with the
English message. A page, the meeting agenda and the API write the sentence again
here, translated, from the template and the values; a caveat stored before it had
a template keeps its English message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.translation import translate


def caveat_message(stored: Mapping[str, Any]) -> str:
    """One stored caveat's sentence in the reader's language."""
    from experiments.stats.results import caveat_sentence

    template = stored.get("template")
    if not template:
        return str(stored.get("message", ""))
    return caveat_sentence(str(template), dict(stored.get("values") or {}), translate)


def shown_caveats(warnings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored caveats as a page shows them: each with its message translated."""
    return [{**warning, "message": caveat_message(warning)} for warning in warnings]
