"""The languages Revloop speaks: one list for the pages, the e-mails, the
retrospective and the command line. A language is added here, with its
catalogue under tracker/translations (README, Languages)."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# those with a complete catalogue, by code, each named in its own language (as a
# language menu shows them)
LANGUAGES: dict[str, str] = {"en": "English", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})


CATALOGUES = Path(__file__).resolve().parent / "translations"


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (the one Flask-Babel reads for the
    pages), read by the standard library's gettext; English has none."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("messages", str(CATALOGUES), [language], fallback=True)


def say(language: str, message: str, **values: Any) -> str:
    """``message`` in ``language``, its ``%(name)s`` placeholders filled, as
    Flask-Babel's ``gettext`` writes it in the app.

    >>> say("ar", "Sales"), say("en", "Version %(v)s.", v=3)
    ('المبيعات', 'Version 3.')
    """
    text = catalogue(language).gettext(message)
    return text % values if values else text


def say_plural(language: str, singular: str, plural: str, num: int, **values: Any) -> str:
    """The plural form for ``num`` (Arabic has six), ``%(num)d`` and ``values`` filled."""
    text = catalogue(language).ngettext(singular, plural, num)
    return text % {"num": num, **values}


@dataclass(frozen=True)
class Reading:
    """The language and digits of words written outside the app: the
    command line's retrospective, which loads neither Flask nor its extensions
    (they are a tenth of its time). Inside the app, Flask-Babel says the same."""

    language: str
    digits: str


_reading: ContextVar[Reading | None] = ContextVar("reading", default=None)


def outside_the_app() -> Reading | None:
    """The reading set by ``reading_in``, if any."""
    return _reading.get()


@contextmanager
def reading_in(language: str, *, digits: str = "latn") -> Iterator[Reading]:
    """Write in ``language`` with ``digits`` until the block ends, from the catalogue
    Flask-Babel reads in the app."""
    reading = Reading(language, digits)
    token = _reading.set(reading)
    try:
        yield reading
    finally:
        _reading.reset(token)
