"""The interface's languages: the catalogues, the choice of language, figures."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from tracker.i18n import format_number, format_percent
from tracker.languages import LANGUAGES
from tracker.models import Role, User

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "tracker" / "translations"
TRANSLATED = sorted(code for code in LANGUAGES if code != "en")


def _extract(tmp_path: Path) -> set[str]:
    """Every message the source code and templates ask to translate, as of now."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--no-location",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with pot.open("rb") as handle:
        return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_interface_string_is_translated(language: str, tmp_path: Path) -> None:
    wanted = _extract(tmp_path)
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    messages = {str(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue if m.id}
    missing = sorted(wanted - set(messages))
    untranslated = sorted(
        key
        for key, message in messages.items()
        if key in wanted
        and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    )
    fuzzy = sorted(key for key, message in messages.items() if message.fuzzy)
    assert not missing, f"not in the {language} catalogue (run pybabel update): {missing}"
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        source = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id}
    with (folder / "messages.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source, "run pybabel compile -d tracker/translations"


def _key(value: object) -> object:
    """A message id or string as a hashable value (plural forms come as lists)."""
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_sign_in_page_follows_the_browser_language(client: FlaskClient) -> None:
    arabic = client.get("/sign-in", headers={"Accept-Language": "ar-EG,ar;q=0.9,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in arabic.get_data(as_text=True)
    english = client.get("/sign-in", headers={"Accept-Language": "fr-FR,en;q=0.5"})
    assert '<html lang="en" dir="ltr">' in english.get_data(as_text=True)


def test_a_language_revloop_does_not_speak_falls_back_to_the_team_language(
    app: Flask, client: FlaskClient
) -> None:
    app.config["LANGUAGE"] = "ar"
    page = client.get("/sign-in", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


def test_the_navigation_speaks_the_team_language(
    app: Flask, client: FlaskClient, signed_in: Callable[[Role], User]
) -> None:
    app.config["LANGUAGE"] = "ar"
    signed_in(Role.viewer)
    page = client.get("/backlog/").get_data(as_text=True)
    assert "لوحة المعلومات" in page and "التجارب" in page
    assert ">Dashboard<" not in page


@pytest.mark.parametrize(
    ("language", "digits", "number", "percent"),
    [
        ("en", "latn", "1,234.50", "12.5%"),
        ("ar", "latn", "1,234.50", "12.5%"),
        ("ar", "arab", "١٬٢٣٤٫٥٠", "١٢٫٥٪"),
    ],
)
def test_figures_follow_the_language_and_the_team_digits(
    app: Flask, language: str, digits: str, number: str, percent: str
) -> None:
    app.config.update(LANGUAGE=language, DIGITS=digits)
    with app.test_request_context("/"):
        assert format_number(1234.5, decimals=2) == number
        assert format_percent(0.125, decimals=1) == percent
