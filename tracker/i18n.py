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

from typing import Any

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, get_locale

# The languages with a complete catalogue under tracker/translations, by code,
# each named in its own language (as a language menu shows them).
LANGUAGES: dict[str, str] = {"en": "English", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})
DIGITS = ("latn", "arab")
# Babel's numbering system changes the separators and signs, not the digits.
_ARABIC_INDIC = str.maketrans("0123456789%", "٠١٢٣٤٥٦٧٨٩٪")

babel = Babel()


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
    """The language the current request is being answered in."""
    return str(get_locale() or "en")


def current_direction() -> str:
    """The text direction of the current request's language.

    ``TRACKER_TEXT_DIRECTION`` still wins when it is set explicitly, for a team
    whose language Revloop does not translate yet but writes right to left.
    """
    explicit = current_app.config.get("TEXT_DIRECTION_EXPLICIT")
    return str(explicit) if explicit else direction_of(current_language())


def digits() -> str:
    """The numbering system figures are written in: ``latn`` or ``arab``."""
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


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the app, with the catalogues that ship in the package."""
    from pathlib import Path

    translations = Path(__file__).parent / "translations"
    babel.init_app(
        app,
        default_locale=team_language(app),
        default_translation_directories=str(translations),
        locale_selector=select_language,
    )

    @app.context_processor
    def language_context() -> dict[str, Any]:
        return {
            "html_lang": current_language(),
            "html_dir": current_direction(),
            "languages": LANGUAGES,
            "format_number": format_number,
            "format_percent": format_percent,
        }
