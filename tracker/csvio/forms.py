"""The two upload forms of the import page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class ReadingsImportForm(FlaskForm):
    csv_file = FileField(
        _l("CSV file of readings"), validators=[FileRequired(_l("Choose a CSV file to import."))]
    )
    submit = SubmitField(_l("Import readings"))


class ResultsImportForm(FlaskForm):
    csv_file = FileField(
        _l("CSV file of results"), validators=[FileRequired(_l("Choose a CSV file to import."))]
    )
    submit = SubmitField(_l("Import results"))
