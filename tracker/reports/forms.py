"""The Reports page's form: which weeks, which paper. It is read from the query
string (making a report changes nothing), so it has no CSRF token."""

from __future__ import annotations

from typing import Any

from wtforms import Form, RadioField, SelectChoice, StringField, ValidationError
from wtforms.validators import Length

from tracker.reports.ranges import EXAMPLES, RangeError, ReportRange

PAPER_CHOICES = [SelectChoice("a4", "A4"), SelectChoice("letter", "US Letter")]


class ReportForm(Form):
    range = StringField(
        "Weeks",
        validators=[Length(max=40, message="Keep it short, like 2026-W40..2026-W52.")],
    )
    paper = RadioField("Paper", choices=PAPER_CHOICES, default="a4")

    def __init__(self, *args: Any, read_range: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_range = read_range
        self.span: ReportRange | None = None

    def validate_range(self, field: StringField) -> None:
        try:
            self.span = self._read_range(field.data or "")
        except RangeError as exc:
            raise ValidationError(str(exc)) from None

    def validate_paper(self, field: RadioField) -> None:
        if field.data not in {"a4", "letter"}:
            raise ValidationError("Choose A4 or US Letter.")


HINT = f"One cycle, a range or a quarter: {EXAMPLES}."
