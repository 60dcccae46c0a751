"""The language a retrospective is written in: the interface's own catalogue
(tracker/translations, the one the pages read), loaded directly so that the
command line, which builds no web app, writes the same words as the Reports page.

``wording_for("ar")`` gives a ``Wording``: ``gettext`` and ``ngettext`` with
named placeholders (as Flask-Babel's), and the report's dates in that language.
The figures stay in Latin digits, like the pages'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from tracker.languages import LANGUAGES, say, say_plural

NBSP = "\u00a0"


def report_language(code: str | None) -> str:
    """A language the report is written in: ``ar-EG`` gives ``ar``; one without a
    catalogue gives English.

    >>> report_language("ar-EG"), report_language("fr"), report_language(None)
    ('ar', 'en', 'en')
    """
    base = (code or "").replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else "en"


@lru_cache(maxsize=len(LANGUAGES))
def _months(language: str) -> dict[int, str]:
    """The language's abbreviated month names, from Babel's locale data.

    Read from the language's own CLDR file, without the inheritance Babel's ``Locale``
    sets up: that loads CLDR's global data first, a tenth of a second the command
    line would spend on twelve names. (Not through ``localedata.load(...,
    merge_inherited=False)``, which would leave the partial data in Babel's cache for
    the pages.) Where a language's own file has no abbreviated names, CLDR's root
    makes them its wide ones (Arabic), and so does this; a test holds the result to
    ``Locale.months``.
    """
    import pickle

    from babel.localedata import resolve_locale_filename

    with open(resolve_locale_filename(language), "rb") as data:
        months = pickle.load(data)["months"]["format"]
    return dict(months.get("abbreviated") or months["wide"])


@dataclass(frozen=True)
class Wording:
    """The report's words in one language."""

    language: str

    def gettext(self, message: str, **values: Any) -> str:
        """``message`` translated, its ``%(name)s`` placeholders filled."""
        return say(self.language, message, **values)

    def ngettext(self, singular: str, plural: str, num: int, **values: Any) -> str:
        """The plural form for ``num`` (Arabic has six), ``%(num)d`` filled."""
        return say_plural(self.language, singular, plural, num, **values)

    def day(self, day: date | None, *, year: bool = True) -> str:
        """ "7 Sep 2026" / "7 سبتمبر 2026", never broken across lines.

        >>> Wording("en").day(date(2026, 9, 7)), Wording("ar").day(date(2026, 9, 7), year=False)
        ('7\xa0Sep\xa02026', '7\xa0سبتمبر')
        """
        if day is None:
            return ""
        parts = [str(day.day), _months(self.language)[day.month]]
        return NBSP.join([*parts, str(day.year)] if year else parts)

    def days(self, first: date, last: date, *, year: bool = False) -> str:
        """ "7 Sep – 13 Sep", each date on one line; the year once, at the end,
        unless the two dates fall in different years."""
        both = year and first.year != last.year
        return f"{self.day(first, year=both)} – {self.day(last, year=year)}"


def wording_for(language: str | None) -> Wording:
    return Wording(report_language(language))


ENGLISH = Wording("en")
