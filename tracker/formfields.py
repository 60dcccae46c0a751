"""Number fields for the HTML forms that read numbers the way ``tracker.parsing``
does: ASCII digits only, finite values only. WTForms' own fields take "nan",
"inf" and Arabic-Indic digits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import fields
from wtforms.validators import Length

from tracker.models.limits import max_length
from tracker.parsing import parse_id, parse_int, parse_number
from tracker.translation import _, _l


class IntegerField(fields.IntegerField):
    """A whole number in ASCII digits."""

    data: Any

    def process_formdata(self, valuelist: Sequence[Any]) -> None:
        if not valuelist:
            return
        self.data = parse_int(valuelist[0])
        if self.data is None:
            raise ValueError(_("Enter a whole number (digits 0-9)."))


class FloatField(fields.FloatField):
    """A finite decimal number in ASCII digits."""

    data: Any

    def process_formdata(self, valuelist: Sequence[Any]) -> None:
        if not valuelist:
            return
        self.data = parse_number(valuelist[0])
        if self.data is None:
            raise ValueError(_("Enter a number, like 12 or 0.5."))


def coerce_id(value: Any) -> int | None:
    """A select's value as an id: None for the empty choice, ValueError when it
    cannot name a record (so the field says "Not a valid choice")."""
    if value in (None, "", "None"):
        return None
    found = parse_id(value)
    if found is None:
        raise ValueError(_("Not a valid choice."))
    return found


def fits(model: Any, name: str) -> Length:
    """The length check of a text field, with the limit the table declares."""
    limit = max_length(model, name)
    # WTForms formats the message with %: the limit is put in before, when it is shown
    return Length(
        max=limit, message=_l("Keep it to %(limit)s characters or fewer.", limit=f"{limit:,}")
    )
