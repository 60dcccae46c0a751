"""Figures, dates, plurals and the change log's words in English and Arabic
(issue 16): the helpers every page of the team's tools formats through."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from flask import Flask, render_template_string
from flask_babel import ngettext

from tests.arabic_pages import visible_text
from tracker.i18n import (
    format_currency,
    format_day,
    format_moment,
    format_period,
    localize_figures,
)
from tracker.metrics.format import change_between, format_difference, format_value, whole_percent


@pytest.fixture
def speak(app: Flask) -> Iterator[object]:
    """Enter a request served in a language and digits: ``speak("ar", "arab")``."""
    contexts = []

    def enter(language: str, digits: str = "latn") -> None:
        # a fresh app context each time: Flask-Babel keeps the locale in it
        while contexts:
            contexts.pop().pop()
        app.config.update(LANGUAGE=language, DIGITS=digits)
        context = app.test_request_context("/")
        context.push()
        contexts.append(context)

    yield enter
    while contexts:
        contexts.pop().pop()


ROWS = {
    "en": {0: "0 rows", 1: "1 row", 2: "2 rows", 3: "3 rows", 11: "11 rows", 100: "100 rows"},
    "ar": {0: "لا صفوف", 1: "صف واحد", 2: "صفان", 3: "3 صفوف", 11: "11 صفًا", 100: "100 صف"},
}


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("count", [0, 1, 2, 3, 11, 100])
def test_counts_take_the_plural_form_of_the_language(
    speak: object, language: str, count: int
) -> None:
    speak(language)  # type: ignore[operator]
    text = ngettext("%(count)s row", "%(count)s rows", count, count=str(count))
    assert text == ROWS[language][count]


METRICS = {0: "لا مقاييس", 1: "مقياس واحد", 2: "مقياسان", 3: "3 مقاييس", 11: "11 مقياسًا"}


@pytest.mark.parametrize(("count", "expected"), sorted(METRICS.items()))
def test_template_plurals_count_in_arabic(speak: object, count: int, expected: str) -> None:
    speak("ar")  # type: ignore[operator]
    text = render_template_string(
        '{{ ngettext("%(num)s metric", "%(num)s metrics", n, num=format_number(n)) }}', n=count
    )
    assert text == expected


def test_arabic_indic_digits_reach_plurals_and_figures(speak: object) -> None:
    speak("ar", "arab")  # type: ignore[operator]
    text = render_template_string(
        '{{ ngettext("%(num)s metric", "%(num)s metrics", n, num=format_number(n)) }}', n=11
    )
    assert text == "١١ مقياسًا"
    assert localize_figures("1,234.5") == "١٬٢٣٤٫٥"
    assert whole_percent(3 / 7) == "٤٣٪"
    assert format_value(kind="proportion", unit="%", value=0.2431) == "٢٤٫٣%"


def test_dates_read_in_the_language(speak: object) -> None:
    speak("en")  # type: ignore[operator]
    assert format_day(date(2025, 3, 3)) == "3 Mar 2025"
    assert format_period(date(2025, 3, 3), date(2025, 3, 9)) == "3–9 Mar 2025"
    assert format_period(date(2024, 12, 30), date(2025, 1, 5)) == "30 Dec 2024 – 5 Jan 2025"
    assert format_moment(datetime(2025, 3, 3, 14, 5)) == "3 Mar 2025, 14:05"
    speak("ar")  # type: ignore[operator]
    assert format_day(date(2025, 3, 3)) == "3 مارس 2025"
    assert format_period(date(2025, 3, 3), date(2025, 3, 9)) == "3–9 مارس 2025"
    speak("ar", "arab")  # type: ignore[operator]
    assert format_day(date(2025, 3, 3)) == "٣ مارس ٢٠٢٥"


def test_money_keeps_its_iso_code_and_sign(speak: object) -> None:
    speak("en")  # type: ignore[operator]
    assert format_currency(14210.4, "USD") == "14,210 USD"
    assert format_currency(-3050.5, "EUR", decimals=2) == "−3,050.50 EUR"
    speak("ar", "arab")  # type: ignore[operator]
    assert format_currency(14210.4, "SAR") == "١٤٬٢١٠ SAR"


def test_a_metric_change_speaks_arabic(speak: object) -> None:
    speak("ar")  # type: ignore[operator]
    change = change_between(
        kind="proportion", unit="%", direction="higher", latest=0.243, previous=0.231
    )
    assert change is not None and change.text == "+1.2 نقطة مئوية"
    still = change_between(kind="mean", unit="USD", direction="higher", latest=5.0, previous=5.0)
    assert still is not None and still.text == "لا تغيّر"
    assert format_difference(kind="proportion", unit="%", value=-0.0081) == "−0.8 نقطة مئوية"


def test_english_figures_are_unchanged(speak: object) -> None:
    speak("en")  # type: ignore[operator]
    change = change_between(
        kind="proportion", unit="%", direction="higher", latest=0.243, previous=0.231
    )
    assert change is not None and change.text == "+1.2 pp"
    assert format_value(kind="mean", unit="USD", value=14210.4) == "14,210 USD"


def test_the_change_log_arrow_points_in_reading_direction(speak: object) -> None:
    from tracker.changes.labels import arrow, field_label, value_text

    speak("en")  # type: ignore[operator]
    assert arrow() == "→" and field_label("experiment", "status") == "status"
    assert value_text("status", "running") == "Running" and value_text("title", None) == "—"
    speak("ar")  # type: ignore[operator]
    assert arrow() == "←" and field_label("experiment", "status") == "الحالة"
    assert value_text("status", "running") == "جارية"
    assert value_text("title", "running") == "running"  # typed text stays as typed


def test_the_calculator_sentence_isolates_its_figures(speak: object) -> None:
    from experiments.stats import Proportion, compare
    from tracker.calculators.sentences import summary

    result = compare(Proportion(100, 1000), Proportion(130, 1000))
    speak("en")  # type: ignore[operator]
    assert visible_text(summary(result)) == visible_text(result.summary())
    speak("ar")  # type: ignore[operator]
    arabic = summary(result)
    assert '<span dir="ltr">+1.8%</span>' in arabic
    assert visible_text(arabic).startswith("معدل تحويل النسخة البديلة أفضل من المجموعة الضابطة")
    assert "دال إحصائيًا عند مستوى دلالة 0.05" in visible_text(arabic)
