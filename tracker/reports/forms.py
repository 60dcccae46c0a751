"""The Reports page's form: which weeks, which paper. It is read from the query
string (making a report changes nothing), so it has no CSRF token."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Form, RadioField, SelectChoice, StringField, ValidationError
from wtforms.validators import Length

from tracker.reports.problems import N_, ReportProblem
from tracker.reports.ranges import EXAMPLES, RangeError, ReportRange


def paper_choices() -> list[SelectChoice]:
    return [SelectChoice("a4", "A4"), SelectChoice("letter", _("US Letter"))]


class ReportForm(Form):
    range = StringField(
        _l("Weeks"),
        validators=[Length(max=40, message=_l("Keep it short, like 2026-W40..2026-W52."))],
    )
    paper = RadioField(_l("Paper"), choices=[], default="a4")

    def __init__(self, *args: Any, read_range: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paper.choices = paper_choices()
        self._read_range = read_range
        self.span: ReportRange | None = None

    def validate_range(self, field: StringField) -> None:
        try:
            self.span = self._read_range(field.data or "")
        except RangeError as exc:
            raise ValidationError(explained(exc)) from None

    def validate_paper(self, field: RadioField) -> None:
        if field.data not in {"a4", "letter"}:
            raise ValidationError(_("Choose A4 or US Letter."))


# the values that are ISO weeks, quarters or ranges of them: left-to-right runs
WEEKS = frozenset({"range", "today", "quarter", "first", "last"})


def _ltr(text: str) -> Markup:
    return Markup('<span dir="ltr">%s</span>') % text


def examples() -> Markup:
    """ "2026-W48, 2026-W40..2026-W52 or 2026-Q4", each a left-to-right run."""
    week, span, quarter = EXAMPLES.replace(" or ", ", ").split(", ")
    said = Markup(_("%(week)s, %(range)s or %(quarter)s"))  # the catalogue's own text
    return said % {"week": _ltr(week), "range": _ltr(span), "quarter": _ltr(quarter)}


def explained(problem: ReportProblem) -> Markup:
    """Why the range cannot be used, in the reader's language: the typed text
    escaped (Markup's %), the examples as left-to-right runs."""
    values: dict[str, object] = {}
    for name, value in problem.values.items():
        if name == "examples":
            values[name] = examples()
        elif name == "text":  # what the person typed, in its own direction
            values[name] = Markup("<bdi>%s</bdi>") % value
        elif name in WEEKS:
            values[name] = _ltr(str(value))
        else:
            values[name] = value
    return Markup(_(problem.message)) % values


def hint() -> Markup:
    """The range field's hint, in the reader's language."""
    return explained(
        ReportProblem(N_("One cycle, a range or a quarter: %(examples)s."), examples=EXAMPLES)
    )
