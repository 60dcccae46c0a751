"""The meeting form's quicker widgets write exactly what WTForms' own would."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import widgets as wtforms_widgets

from tracker import widgets
from tracker.cycles.forms import MeetingForm

ORIGINALS = {
    widgets.TextInput: wtforms_widgets.TextInput,
    widgets.HiddenInput: wtforms_widgets.HiddenInput,
    widgets.CheckboxInput: wtforms_widgets.CheckboxInput,
    widgets.DateInput: wtforms_widgets.DateInput,
    widgets.SubmitInput: wtforms_widgets.SubmitInput,
    widgets.TextArea: wtforms_widgets.TextArea,
    widgets.Select: wtforms_widgets.Select,
}

TYPED = {
    "version": "3",
    "meeting_date": "2026-11-30",
    "attendees": 'Ana "the host" & <Bo>',
    "notes": "line one\n<script>alert(1)</script>",
    "decisions-0-experiment_id": "7",
    "decisions-0-outcome": "won",
    "decisions-0-action": "ship",
    "decisions-0-rationale": 'It "won" & held',
    "selections-0-hypothesis_id": "4",
    "selections-0-selected": "y",
    "new_actions-0-title": "Call <them>",
    "new_actions-0-owner_id": "2",
    "new_actions-0-due_week": "2026-W49",
    "new_learnings-0-text": "Prices ending in 9 read cheaper",
    "new_learnings-0-experiment_id": "7",
    "next_focus_area_id": "1",
}


def every_field(form: Any) -> list[Any]:
    fields = []
    for field in form:
        if hasattr(field, "entries"):
            for entry in field.entries:
                fields.extend(entry.form)
        else:
            fields.append(field)
    return fields


def test_each_meeting_field_renders_as_wtforms_would(app: Flask) -> None:
    people = [type("Person", (), {"id": 2, "display_name": 'Dana "D" <x>'})()]
    areas = [type("Area", (), {"id": 1, "name": "Sales & <Ops>"})()]
    with app.test_request_context(method="POST", data=MultiDict(TYPED)):
        form = MeetingForm()
        form.set_choices(people=people, areas=areas, experiments=[(7, 'Price "9" <test>')])
        form.validate()
        checked = 0
        for field in every_field(form):
            ours = type(field.widget)
            if ours not in ORIGINALS:
                continue
            extra = {"class_": "compact", "data_add_row": "x", "aria_describedby": "h e"}
            theirs = ORIGINALS[ours]()
            assert field.widget(field, **extra) == theirs(field, **extra), field.name
            assert field.widget(field) == theirs(field), field.name
            checked += 1
        # every kind of control the page shows was compared
        assert checked >= 20
        kinds = {type(field.widget) for field in every_field(form)}
        assert set(ORIGINALS) <= kinds


def test_a_value_marked_safe_keeps_its_markup_but_not_its_quotes() -> None:
    assert widgets.html_params(title=Markup('<b>"x"</b>')) == wtforms_widgets.html_params(
        title=Markup('<b>"x"</b>')
    )
    assert widgets.html_params(maxlength=200, checked=True, readonly=False) == (
        wtforms_widgets.html_params(maxlength=200, checked=True, readonly=False)
    )
