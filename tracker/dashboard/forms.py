"""The dashboard's view switch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField

from tracker.dashboard.views import View


def optional_id(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "", "None") else None
    except ValueError:
        return None


class ViewForm(FlaskForm):
    view = HiddenField()
    area_id = SelectField(_l("Area"), coerce=optional_id, validate_choice=False)
    switch = SubmitField(_l("Show"))

    def chosen(self) -> View | None:
        return View(self.view.data) if self.view.data in View.__members__ else None
