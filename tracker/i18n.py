"""The interface's language: which one a request is served in, and its direction.

A signed-in person reads Revloop in the language they chose on their account
page; anyone else (the sign-in page) in the best match of the browser's
``Accept-Language`` among the languages Revloop speaks, falling back to the
team's ``TRACKER_LANGUAGE``. The text direction follows the language.

Numbers are formatted by Babel for that language; the digits follow the team
setting ``TRACKER_DIGITS`` (``latn``, the default, or ``arab`` for
Arabic-Indic digits).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from tracker.languages import LANGUAGES, RTL_LANGUAGES, outside_the_app

if TYPE_CHECKING:  # Flask loads with the app; the command line's report runs without it
    from flask import Flask

DIGITS = ("latn", "arab")
# Babel's numbering system changes the separators and signs, not the digits.
_ARABIC_INDIC = str.maketrans("0123456789%", "٠١٢٣٤٥٦٧٨٩٪")


def base_language(code: str | None) -> str:
    """The primary subtag of a language tag, lower-cased: ``ar-EG`` gives ``ar``.

    >>> base_language("ar-EG"), base_language("EN_gb"), base_language("")
    ('ar', 'en', '')
    """
    return (code or "").replace("_", "-").split("-")[0].strip().lower()


def direction_of(language: str) -> str:
    """``rtl`` for a right-to-left language, ``ltr`` otherwise.

    >>> direction_of("ar"), direction_of("en-GB"), direction_of("fa-IR")
    ('rtl', 'ltr', 'rtl')
    """
    return "rtl" if base_language(language) in RTL_LANGUAGES else "ltr"


def team_language(app: Flask) -> str:
    """The team's default language, if Revloop speaks it, else English."""
    language = base_language(app.config.get("LANGUAGE"))
    return language if language in LANGUAGES else "en"


def select_language() -> str:
    """The language of this request: a signed-in person's choice (none chosen:
    the team's); for anyone else the browser's, then the team's."""
    from flask import current_app, has_request_context, request
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        chosen = base_language(getattr(current_user, "language", None))
        return chosen if chosen in LANGUAGES else team_language(current_app)
    if has_request_context():
        best = request.accept_languages.best_match(list(LANGUAGES))
        if best:
            return best
    return team_language(current_app)


def current_language() -> str:
    """The language the current request is being answered in; outside the app, the
    one ``reading_in`` set; English elsewhere."""
    reading = outside_the_app()
    if reading is not None:
        return reading.language
    from flask import current_app, has_request_context

    if not has_request_context() or "babel" not in current_app.extensions:
        return "en"
    from flask_babel import get_locale

    return str(get_locale() or "en")


def gettext(message: str, **values: Any) -> str:
    """Flask-Babel's ``gettext`` where the app has Babel; elsewhere (a bare app
    context, the command line's report) the English, its placeholders filled.
    For helpers that pages and the command line share, such as the figures."""
    if outside_the_app() is not None:
        from tracker.translation import _

        return _(message, **values)
    from flask import current_app, has_app_context

    if has_app_context() and "babel" in current_app.extensions:
        from flask_babel import gettext as babel_gettext

        return str(babel_gettext(message, **values))
    return message % values if values else message


def current_direction() -> str:
    """The text direction of the current request's language.

    ``TRACKER_TEXT_DIRECTION`` still wins when it is set explicitly, for a team
    whose language Revloop does not translate yet but writes right to left.
    """
    from flask import current_app

    explicit = current_app.config.get("TEXT_DIRECTION_EXPLICIT")
    return str(explicit) if explicit else direction_of(current_language())


def digits() -> str:
    """The numbering system figures are written in: ``latn`` or ``arab``."""
    reading = outside_the_app()
    if reading is not None:
        return reading.digits
    from flask import current_app, has_app_context

    if not has_app_context():
        return "latn"
    value = str(current_app.config.get("DIGITS", "latn"))
    return value if value in DIGITS else "latn"


def format_number(value: float, *, decimals: int | None = None) -> str:
    """A number in the reader's language and the team's digits.

    Without ``decimals`` Babel's default pattern is used (up to three
    fraction digits); with it, exactly that many.
    """
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    system = digits()
    text = format_decimal(value, format=pattern, locale=current_language(), numbering_system=system)
    return _in_digits(text, system)


def format_percent(fraction: float, *, decimals: int = 0) -> str:
    """A fraction as a percentage in the reader's language: 0.125 is "12.5%" or "12.5٪"."""
    from babel.numbers import format_percent as babel_percent

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    system = digits()
    text = babel_percent(
        fraction, format=pattern, locale=current_language(), numbering_system=system
    )
    return _in_digits(text, system)


def _in_digits(text: str, system: str) -> str:
    return text.translate(_ARABIC_INDIC) if system == "arab" else text


_ARABIC_SEPARATORS = str.maketrans({",": "٬", ".": "٫"})


def localize_figures(text: str) -> str:
    """A figure written the Python way ("1,234.5", "12%") in the team's digits:
    unchanged with Latin digits, "١٬٢٣٤٫٥" and "١٢٪" with Arabic-Indic ones.

    English and Arabic share the Latin separators, so only the digits setting
    changes a figure; writing it with Python keeps its rounding the same in
    every language.
    """
    if digits() != "arab":
        return text
    return text.translate(_ARABIC_SEPARATORS).translate(_ARABIC_INDIC)


def in_team_digits(text: str) -> str:
    """Text whose figures were written with Latin digits, in the team's digits."""
    return _in_digits(text, digits())


def _date_locale() -> str:
    # English dates read day first ("3 Mar 2025"), as they always have here.
    language = current_language()
    return "en_GB" if language == "en" else language


def format_day(value: date) -> str:
    """A day, short: "3 Mar 2025" or "3 مارس 2025"."""
    from babel.dates import format_date

    return in_team_digits(format_date(value, "d MMM y", locale=_date_locale()))


def format_day_month(value: date) -> str:
    """A day without its year: "3 Mar" or "3 مارس"."""
    from babel.dates import format_date

    return in_team_digits(format_date(value, "d MMM", locale=_date_locale()))


def format_moment(value: datetime) -> str:
    """A moment to the minute: "3 Mar 2025, 14:05"."""
    from babel.dates import format_datetime

    comma = "،" if direction_of(current_language()) == "rtl" else ","
    pattern = f"d MMM y{comma} HH:mm"
    text = format_datetime(value, pattern, locale=_date_locale(), tzinfo=value.tzinfo)
    return in_team_digits(text)


def format_period(start: date, end: date) -> str:
    """Two days as one period: "3–9 Mar 2025", "24 Feb – 2 Mar 2025", "3–9 مارس 2025"."""
    if current_language() == "en":
        if start.year != end.year:
            return in_team_digits(f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}")
        if start.month != end.month:
            return in_team_digits(f"{start.day} {start:%b} – {end.day} {end:%b %Y}")
        return in_team_digits(f"{start.day}–{end.day} {end:%b %Y}")
    from babel.dates import format_interval

    return in_team_digits(format_interval(start, end, "yMMMd", locale=_date_locale()))


def format_currency(amount: float, currency: str, *, decimals: int = 0) -> str:
    """An amount of money with its ISO code: "14,210 USD", "−3,050.50 EUR".

    The code is kept rather than a symbol, so "$" never hides which dollar.
    """
    sign = "−" if amount < 0 else ""
    return f"{sign}{format_number(abs(amount), decimals=decimals)} {currency}".strip()


def bdi(text: Any) -> Markup:
    """Text someone wrote, isolated with its own direction inside a sentence."""
    return Markup("<bdi>%s</bdi>") % ("" if text is None else text)


def ltr(text: Any) -> Markup:
    """A figure that reads left to right (an ISO week, an interval, an address)."""
    return Markup('<span dir="ltr">%s</span>') % ("" if text is None else text)


def N_(message: str) -> str:
    """Marks a message for the catalogue and returns it as it is: it is
    translated with ``gettext`` where it is shown, and stays English where a
    machine reads it (the API, a test)."""
    return message


def html(translated: str, **values: Any) -> Markup:
    """A translated message with its placeholders filled, as markup: the values
    are escaped unless they are markup already (``bdi(name)``, ``ltr(week)``).

    Pass the message through ``gettext`` without values, then its values here:
    ``html(_("“%(name)s” is the focus area."), name=bdi(area.name))``.
    """
    return Markup(translated) % values


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the app, with the catalogues that ship in the package."""
    from pathlib import Path

    from flask_babel import Babel

    translations = Path(__file__).parent / "translations"
    Babel(
        app,
        default_locale=team_language(app),
        default_translation_directories=str(translations),
        locale_selector=select_language,
    )

    for name, helper in (
        ("bdi", bdi),
        ("ltr", ltr),
        ("day", format_day),
        ("day_month", format_day_month),
        ("moment", format_moment),
        ("number", format_number),
        ("currency", format_currency),
    ):
        app.add_template_filter(helper, name)
    # globals, so macros imported without context can use them too
    for function in (format_period, format_number, format_percent, current_direction, bdi, ltr):
        app.add_template_global(function, function.__name__)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        return {
            "html_lang": current_language(),
            "html_dir": current_direction(),
            "languages": LANGUAGES,
            "format_number": format_number,
            "format_percent": format_percent,
        }
