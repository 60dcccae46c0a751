"""Why a report cannot be made, said in the reader's language.

A problem keeps its message as a catalogue entry with named values: ``str()``
gives it in English (the command line, the logs), ``said(gettext)`` in the
language of the page that shows it beside the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue; it is translated where it is shown."""
    return message


class ReportProblem(Exception):
    """A report that cannot be made; the message says what to do."""

    def __init__(self, message: str, **values: Any) -> None:
        self.message = message
        self.values = values
        super().__init__(message % values if values else message)

    def said(self, gettext: Callable[..., str]) -> str:
        """The message through ``gettext(message, **values)`` (Flask-Babel's)."""
        return gettext(self.message, **self.values)
