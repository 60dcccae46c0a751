"""Flask-Babel's ``gettext`` and ``ngettext``, typed, for the sentences the rules write.

A service's message is read beside a form field, in an API error body and on the
command line, so it is translated when it is made, in the language of the request
(or of the team, within an app context without a request). The command line's
retrospective runs without the app: there the language set by
``tracker.languages.reading_in`` is read. Outside both these return the English,
so the services also run from a plain script.
``pybabel extract`` finds these calls by their names, ``_`` and ``ngettext``.

>>> _("Enter a title."), _("Version %(v)s.", v=3)
('Enter a title.', 'Version 3.')
>>> ngettext("%(num)d item", "%(num)d items", 2)
'2 items'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tracker.languages import outside_the_app, say, say_plural

# A gettext-like callable, as the core's sentence functions take it.
Gettext = Callable[[str], str]


def _(text: str, **names: Any) -> str:
    """``text`` in the reader's language, with ``names`` put in its placeholders."""
    reading = outside_the_app()
    if reading is not None:
        return say(reading.language, text, **names)
    from flask_babel import gettext

    return str(gettext(text, **names))


def ngettext(singular: str, plural: str, num: int, **names: Any) -> str:
    """The singular or a plural form for ``num`` (``%(num)d`` in the text)."""
    reading = outside_the_app()
    if reading is not None:
        return say_plural(reading.language, singular, plural, num, **names)
    from flask_babel import ngettext as babel_ngettext

    return str(babel_ngettext(singular, plural, num, **names))


def _l(text: str, **names: Any) -> Any:
    """``text`` translated when it is shown (Flask-Babel's ``lazy_gettext``), for a
    message made before there is a reader: a form's class, a module's table.
    Outside the app the reader is known for the whole run: translated at once."""
    if outside_the_app() is not None:
        return _(text, **names)
    from flask_babel import lazy_gettext

    return lazy_gettext(text, **names)


def translate(text: str) -> str:
    """A message marked with ``N_`` where it is written, in the reader's language."""
    return _(text)


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue where it cannot be translated yet (a
    module-level table, a word put in a sentence later); ``translate`` reads it."""
    return text


def listed(items: Iterable[str]) -> str:
    """Words as one list in the reader's language: "a, b, c" or "أ، وب، وج".

    >>> listed(["alpha", "power"])
    'alpha, power'
    """
    from babel.lists import format_list

    reading = outside_the_app()
    if reading is not None:
        return str(format_list(list(items), style="unit", locale=reading.language))
    from flask import current_app, has_app_context

    locale = "en"
    if has_app_context() and "babel" in current_app.extensions:
        from flask_babel import get_locale

        locale = str(get_locale() or "en")
    return str(format_list(list(items), style="unit", locale=locale))


# The team's name when TRACKER_TEAM_NAME is not set (tracker/config.py).
DEFAULT_TEAM_NAME = "Revenue Operations"


def team_name(config: Mapping[str, Any] | None = None) -> str:
    """The name the team set, or the default in the reader's language; from the app's
    configuration, or ``config`` outside the app."""
    if config is None:
        from flask import current_app

        config = current_app.config
    name = str(config["TEAM_NAME"])
    return _("Revenue Operations") if name == DEFAULT_TEAM_NAME else name
