"""Flask-Babel's translation functions with types that ``mypy --strict`` can check.

Flask-Babel ships no type information, so its ``gettext`` returns ``Any``;
these thin wrappers say what comes back. Import them under the names the
extractor looks for: ``from tracker.translate import gettext as _, ngettext``.
"""

from __future__ import annotations

from typing import Any


def gettext(string: str, **variables: Any) -> str:
    """``string`` in the reader's language, with ``%(name)s`` filled in."""
    from flask_babel import gettext as babel_gettext

    return str(babel_gettext(string, **variables))


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The singular or plural form for ``num`` (``%(num)d`` filled in)."""
    from flask_babel import ngettext as babel_ngettext

    return str(babel_ngettext(singular, plural, num, **variables))
