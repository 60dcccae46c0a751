"""Flask-Babel's ``gettext`` and ``ngettext``, typed, for the sentences the rules write.

A service's message is read beside a form field, in an API error body and on the
command line, so it is translated when it is made, in the language of the request
(or of the team, within an app context without a request). Outside any app
context these return the English, so the services also run from a plain script.
``pybabel extract`` finds these calls by their names, ``_`` and ``ngettext``.

>>> _("Enter a title."), _("Version %(v)s.", v=3)
('Enter a title.', 'Version 3.')
>>> ngettext("%(num)d item", "%(num)d items", 2)
'2 items'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# A gettext-like callable, as the core's sentence functions take it.
Gettext = Callable[[str], str]


def _(text: str, **names: Any) -> str:
    """``text`` in the reader's language, with ``names`` put in its placeholders."""
    from flask_babel import gettext

    return str(gettext(text, **names))


def ngettext(singular: str, plural: str, num: int, **names: Any) -> str:
    """The singular or a plural form for ``num`` (``%(num)d`` in the text)."""
    from flask_babel import ngettext as babel_ngettext

    return str(babel_ngettext(singular, plural, num, **names))


def _l(text: str, **names: Any) -> Any:
    """``text`` translated when it is shown (Flask-Babel's ``lazy_gettext``), for a
    message made before there is a reader: a form's class, a module's table."""
    from flask_babel import lazy_gettext

    return lazy_gettext(text, **names)


def translate(text: str) -> str:
    """A message marked with ``N_`` where it is written, in the reader's language."""
    from flask_babel import gettext

    return str(gettext(text))


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
    from flask import current_app, has_app_context

    locale = "en"
    if has_app_context() and "babel" in current_app.extensions:
        from flask_babel import get_locale

        locale = str(get_locale() or "en")
    return str(format_list(list(items), style="unit", locale=locale))


# The team's name when TRACKER_TEAM_NAME is not set (tracker/config.py).
DEFAULT_TEAM_NAME = "Revenue Operations"


def team_name() -> str:
    """The name the team set, or the default in the reader's language (in the app)."""
    from flask import current_app

    name = str(current_app.config["TEAM_NAME"])
    return _("Revenue Operations") if name == DEFAULT_TEAM_NAME else name
