"""Forms of the areas page: areas, their processes, and the buyer-journey stages."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func
from sqlmodel import SQLModel, select
from wtforms import HiddenField, StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from tracker.database import get_session
from tracker.models import Area, Process, Stage


def _taken(model: type[SQLModel], name: str, *, exclude_id: int | None, **where: Any) -> bool:
    """Whether another row of ``model`` already has this name (any case)."""
    column = model.name  # type: ignore[attr-defined]
    statement = select(model.id).where(func.lower(column) == name.strip().lower())  # type: ignore[attr-defined]
    for field, value in where.items():
        statement = statement.where(getattr(model, field) == value)
    if exclude_id is not None:
        statement = statement.where(model.id != exclude_id)  # type: ignore[attr-defined]
    return get_session().exec(statement).first() is not None


class AreaForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the area a name.")), Length(max=80)],
        render_kw={"placeholder": _l("e.g. Partnerships")},
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=500)])
    # the version the person read (on the edit page): a save over a newer one is refused
    version = HiddenField()
    save = SubmitField(_l("Add area"))

    def __init__(self, *args: Any, area: Area | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area

    def validate_name(self, field: StringField) -> None:
        from tracker.areas.service import name_problem

        if problem := name_problem(get_session(), field.data or "", self.area):
            raise ValidationError(problem)


class ProcessForm(FlaskForm):
    name = StringField(
        _l("Process name"),
        validators=[DataRequired(_l("Give the process a name.")), Length(max=120)],
    )
    save = SubmitField(_l("Add"))

    def __init__(
        self, *args: Any, area_id: int, process: Process | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.area_id = area_id
        self.process = process

    def validate_name(self, field: StringField) -> None:
        if _taken(
            Process,
            field.data or "",
            exclude_id=self.process.id if self.process else None,
            area_id=self.area_id,
        ):
            raise ValidationError(
                _("This area already has a process named “%(name)s”.", name=field.data.strip())
            )


class StageForm(FlaskForm):
    name = StringField(
        _l("Stage name"),
        validators=[DataRequired(_l("Give the stage a name.")), Length(max=80)],
    )
    save = SubmitField(_l("Add"))

    def __init__(self, *args: Any, stage: Stage | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stage = stage

    def validate_name(self, field: StringField) -> None:
        if _taken(Stage, field.data or "", exclude_id=self.stage.id if self.stage else None):
            raise ValidationError(
                _("There is already a stage named “%(name)s”.", name=field.data.strip())
            )


class ButtonForm(FlaskForm):
    """A button alone (move, focus, deactivate, remove): its CSRF token is all it carries."""

    submit = SubmitField(_l("Go"))
