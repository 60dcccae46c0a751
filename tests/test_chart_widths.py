"""Charts read on a phone: drawn for a column of about 310 CSS px, the words of a
chart's phone drawing come out at 11 px or more; its wide drawing stays as it was,
and the two never share an id on the page that shows both."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import pairwise

import pytest

from tracker.charts.base import for_each_screen, inline
from tracker.charts.lift import LiftRow, lift_chart
from tracker.charts.snapshots import LiftPoint, snapshots_chart

PHONE_COLUMN_PX = 310
ROWS = [
    LiftRow("Escalations per 100 tickets · Variant B", 0.126, -0.21, 0.52, False, False),
    LiftRow("Win rate · Variant B", 0.1, 0.02, 0.2, True, True),
    LiftRow("Win rate · Variant C", -0.03, None, 0.01, True, False),
]
START = datetime(2026, 10, 5, 9)
POINTS = [
    LiftPoint(name, START + timedelta(weeks=week), lift, lift - 0.1, lift + 0.1)
    for week in range(4)
    for name, lift in (("Variant B", 0.05 * week), ("Variant C", -0.02 * week))
]


def smallest_words_px(svg: str, column_px: float = PHONE_COLUMN_PX) -> float:
    """The size of the chart's smallest words, in CSS px, when it fills the column."""
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))  # type: ignore[union-attr]
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg)]
    return min(sizes) * column_px / view_width


def ids(svg: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', svg))


@pytest.mark.parametrize(
    "draw",
    [
        lambda phone: lift_chart(ROWS, phone=phone),
        lambda phone: snapshots_chart("Win rate", POINTS, phone=phone),
    ],
    ids=["lift", "history"],
)
def test_a_phone_drawing_keeps_its_words_readable(draw: object) -> None:
    wide, phone = draw(False), draw(True)  # type: ignore[operator]
    # the desktop drawing, scaled into a phone's column, shows words of 4 to 7 px
    assert smallest_words_px(wide) < 8
    assert smallest_words_px(phone) >= 11
    assert 'class="chart chart-phone"' in phone and 'class="chart"' in wide
    assert not ids(wide) & ids(phone)
    # every reference in the phone drawing points at one of its own ids
    for target in re.findall(r'(?:href="#|url\(#)([^")]+)', phone):
        assert target in ids(phone)


def test_the_phone_lift_chart_names_every_row_whole() -> None:
    phone = lift_chart(ROWS, phone=True)
    words = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", phone))
    for name in ("Escalations per 100 tickets ·", "Win rate · Variant B", "+12.6%", "-3.0%"):
        assert name in words


def test_a_page_holds_both_drawings_marked_for_their_screens() -> None:
    both = str(inline(for_each_screen(lift_chart(ROWS), lift_chart(ROWS, phone=True))))
    assert both.count("<svg") == 2
    assert 'class="chart chart-wide"' in both and 'class="chart chart-phone"' in both
    # styled with attributes (the page's policy ignores <style>), each drawing once
    assert "<style" not in both
    assert all(tag.count('stroke-linecap="butt"') == 1 for tag in re.findall(r"<svg[^>]*>", both))
    assert for_each_screen("", lift_chart(ROWS, phone=True)).count("chart-wide") == 0


def date_labels(svg: str) -> list[str]:
    words = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return [word for word in words if re.fullmatch(r"\d{1,2} \w{3}( \d{4})?", word)]


@pytest.mark.parametrize("phone", [False, True], ids=["wide", "phone"])
@pytest.mark.parametrize(
    "span",
    [
        timedelta(seconds=3),
        timedelta(seconds=200),
        timedelta(hours=2),
        timedelta(hours=42),
        timedelta(days=2.9),
        timedelta(days=40),
        timedelta(days=400),
    ],
    ids=str,
)
def test_the_history_names_distinct_days_whatever_its_span(span: timedelta, phone: bool) -> None:
    # result sets seconds apart (a script) or two days apart had no tick step that
    # fit: matplotlib warned, which the suite turns into an error, as on the phone page
    points = [
        LiftPoint("Variant B", START + span * step / 3, 0.01 * step, -0.1, 0.1) for step in range(4)
    ]
    labels = date_labels(snapshots_chart("Win rate", points, phone=phone))
    assert 1 <= len(labels) <= (4 if phone else 8)
    assert len(set(labels)) == len(labels), labels


@pytest.mark.parametrize("phone", [False, True], ids=["wide", "phone"])
def test_the_history_s_dates_are_evenly_spaced_across_a_month_s_end(phone: bool) -> None:
    # steps counted from each month's first put "29 Sep" and "1 Oct" two days apart,
    # their labels running together
    start = datetime(2026, 9, 21, 9)
    points = [
        LiftPoint("Variant B", start + timedelta(days=days), 0.3, 0.2, 0.4) for days in (0, 7, 14)
    ]
    svg = snapshots_chart("Win rate", points, phone=phone)
    xs = [float(x) for x in re.findall(r'x="([\d.]+)"[^>]*>\d{1,2} \w{3}</text>', svg)]
    gaps = [later - earlier for earlier, later in pairwise(xs)]
    assert len(xs) >= 2 and max(gaps) - min(gaps) < 0.01 * max(gaps), xs
