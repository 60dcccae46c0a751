"""Form widgets that write the same HTML as WTForms' own, with less work per field.

The review meeting renders some hundred controls and options. WTForms builds
every attribute with ``Markup.format``, which made its widgets the largest part
of the page's time; these build the same attributes, in the same order, with
plain string joins. Use them through ``widget=`` on a form's fields.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets


def html_params(**attributes: Any) -> Markup:
    """HTML attributes from keyword arguments, as ``wtforms.widgets.html_params``
    writes them: sorted by name, ``class_`` for ``class``, ``data_``/``aria_``
    names with hyphens, ``True`` as a bare name and ``False`` left out.

    >>> html_params(name="title", id="f", class_="grow", data_add_row="x", required=True)
    Markup('class="grow" data-add-row="x" id="f" name="title" required')
    >>> html_params(value='say "hi" & <go>', disabled=False)
    Markup('value="say &#34;hi&#34; &amp; &lt;go&gt;"')
    """
    written = []
    for name in sorted(attributes):
        value = attributes[name]
        if value is False:
            continue
        key = name.rstrip("_")
        if key.startswith(("data_", "aria_")):
            key = key.replace("_", "-")
        if value is True:
            written.append(key)
        else:
            # a value already marked safe keeps its markup: only its quotes are escaped
            written.append(f'{key}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(written))


class TextInput(widgets.TextInput):
    html_params = staticmethod(html_params)


class HiddenInput(widgets.HiddenInput):
    html_params = staticmethod(html_params)


class CheckboxInput(widgets.CheckboxInput):
    html_params = staticmethod(html_params)


class DateInput(widgets.DateInput):
    html_params = staticmethod(html_params)


class SubmitInput(widgets.SubmitInput):
    html_params = staticmethod(html_params)


def _validation_attributes(field: Any, names: list[str], attributes: dict[str, Any]) -> None:
    # the flags the field's validators set (WTForms reads them with ``dir``)
    flags = vars(field.flags)
    for name in names:
        if name in flags and name not in attributes:
            attributes[name] = flags[name]


class TextArea(widgets.TextArea):
    def __call__(self, field: Any, **attributes: Any) -> Markup:
        attributes.setdefault("id", field.id)
        _validation_attributes(field, self.validation_attrs, attributes)
        params = html_params(name=field.name, **attributes)
        return Markup(f"<textarea {params}>\r\n{escape(field._value())}</textarea>")


class Select(widgets.Select):
    """A single select without option groups (what the forms here use)."""

    def __call__(self, field: Any, **attributes: Any) -> Markup:
        attributes.setdefault("id", field.id)
        _validation_attributes(field, self.validation_attrs, attributes)
        html = [f"<select {html_params(name=field.name, **attributes)}>"]
        for choice in field._iter_choices_normalized():
            value = choice.value
            options = {"value": str(value) if isinstance(value, bool) else value}
            options.update(choice.render_kw or {})
            if choice.selected:
                options["selected"] = True
            label = escape(choice.label or choice.value)
            html.append(f"<option {html_params(**options)}>{label}</option>")
        html.append("</select>")
        return Markup("".join(html))
