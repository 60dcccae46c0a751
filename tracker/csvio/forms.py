"""The two upload forms of the import page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class ReadingsImportForm(FlaskForm):
    csv_file = FileField(
        "CSV file of readings", validators=[FileRequired("Choose a CSV file to import.")]
    )
    submit = SubmitField("Import readings")


class ResultsImportForm(FlaskForm):
    csv_file = FileField(
        "CSV file of results", validators=[FileRequired("Choose a CSV file to import.")]
    )
    submit = SubmitField("Import results")
