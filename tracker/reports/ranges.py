"""The weeks a retrospective covers: one cycle (``2026-W48``), a range of cycles
(``2026-W40..2026-W52``) or a quarter (``2026-Q4``). A range that runs past the
current week stops there: a retrospective looks back, never ahead.

>>> r = parse_range("2026-Q4", today=IsoWeek(2026, 48))
>>> r.label, str(r.first), str(r.last), r.clipped
('2026-Q4', '2026-W40', '2026-W48', True)
>>> parse_range("2026-w45", today=IsoWeek(2026, 48)).label
'2026-W45'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from experiments.cycles import IsoWeek, quarter_weeks, weeks_between, weeks_in_year
from tracker.reports.problems import N_, ReportProblem
from tracker.teamzone import zone_named

EXAMPLES = "2026-W48, 2026-W40..2026-W52 or 2026-Q4"
_SPAN = re.compile(r"^\s*(\S+?)\s*(?:\.\.|–|—|\s+to\s+)\s*(\S+)\s*$", re.IGNORECASE)
_QUARTER = re.compile(r"^\s*\d{4}-?Q\d\s*$", re.IGNORECASE)


class RangeError(ReportProblem, ValueError):
    """A range the report cannot cover; the message is one line with an example."""


@dataclass(frozen=True)
class ReportRange:
    """The weeks of one retrospective.

    Attributes:
        label: how the report names the range ("2026-Q4", "2026-W40..2026-W48").
        first, last: the first and last ISO week covered, both included.
        asked_last: the last week asked for, later than ``last`` when clipped.
        clipped: True when the range was cut at the current week.
    """

    label: str
    first: IsoWeek
    last: IsoWeek
    asked_last: IsoWeek
    clipped: bool

    @property
    def weeks(self) -> list[IsoWeek]:
        return weeks_between(self.first, self.last)

    @property
    def starts_on(self) -> date:
        return self.first.monday

    @property
    def ends_on(self) -> date:
        return self.last.sunday

    @property
    def slug(self) -> str:
        """For file names: ``2026-Q4``, ``2026-W40-2026-W48``."""
        return self.label.replace("..", "-")

    @property
    def dates(self) -> str:
        """The calendar dates covered, e.g. "28 Sep – 29 Nov 2026"."""
        start, end = self.starts_on, self.ends_on
        if start.year == end.year:
            return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"

    @property
    def weeks_text(self) -> str:
        """ "2026-W40 to 2026-W48" or one week's name."""
        from tracker.translation import _

        if self.first == self.last:
            return str(self.first)
        return _("%(first)s to %(last)s", first=str(self.first), last=str(self.last))


def _week(text: str) -> IsoWeek:
    try:
        return IsoWeek.parse(text)
    except ValueError as exc:
        if "must be between" in str(exc):
            year = _year(text)
            raise RangeError(
                N_("%(text)s does not exist: %(year)s has %(weeks)s weeks."),
                text=text.strip(),
                year=year,
                weeks=weeks_in_year(year) if 1 <= year <= 9999 else 52,
            ) from None
        raise RangeError(
            N_("“%(text)s” is not a week, a range or a quarter; write it like %(examples)s."),
            text=text.strip(),
            examples=EXAMPLES,
        ) from None


def _year(text: str) -> int:
    digits = re.match(r"\s*(\d+)", text)
    return int(digits.group(1)) if digits else 0


def parse_range(text: str, *, today: IsoWeek) -> ReportRange:
    """Read a range and stop it at ``today``'s week; raise RangeError with a
    one-line message when it cannot be read or lies wholly in the future."""
    text = (text or "").strip()
    if not text:
        raise RangeError(
            N_("Enter a week, a range or a quarter, like %(examples)s."), examples=EXAMPLES
        )
    span = _SPAN.match(text)
    if _QUARTER.match(text):
        try:
            first, last = quarter_weeks(text)
        except ValueError:
            raise RangeError(
                N_("A quarter is Q1 to Q4, like 2026-Q4, not “%(text)s”."), text=text
            ) from None
        label = text.upper().replace("Q", "-Q") if "-" not in text else text.upper()
    elif span:
        first, last = _week(span.group(1)), _week(span.group(2))
        if last < first:
            raise RangeError(
                N_("The range ends (%(last)s) before it starts (%(first)s)."),
                last=str(last),
                first=str(first),
            )
        label = f"{first}..{last}"
    else:
        first = last = _week(text)
        label = str(first)
    if first > today:
        raise RangeError(
            N_(
                "%(range)s has not started yet: the current week is %(today)s; "
                "try %(today)s or %(quarter)s."
            ),
            range=label,
            today=str(today),
            quarter=quarter_of(today),
        )
    clipped = last > today
    return ReportRange(
        label=label if not clipped or "Q" in label else f"{first}..{today}",
        first=first,
        last=min(last, today),
        asked_last=last,
        clipped=clipped,
    )


def current_week(timezone: str | None, *, now: datetime | None = None) -> IsoWeek:
    """The ISO week it is now in the team's time zone (UTC when it is unknown)."""
    zone = zone_named(timezone)
    moment = now.astimezone(zone) if now else datetime.now(zone)
    return IsoWeek.containing(moment.date())


def _year_quarter(week: IsoWeek) -> tuple[int, int]:
    thursday = week.monday + timedelta(days=3)  # a week belongs to its Thursday's quarter
    return thursday.year, (thursday.month - 1) // 3 + 1


def quarter_of(week: IsoWeek) -> str:
    """The quarter a week belongs to.

    >>> quarter_of(IsoWeek(2026, 53)), quarter_of(IsoWeek(2027, 1))
    ('2026-Q4', '2027-Q1')
    """
    year, quarter = _year_quarter(week)
    return f"{year}-Q{quarter}"


def quick_ranges(today: IsoWeek) -> list[tuple[str, str]]:
    """Ranges a person often wants, as (label, range text), for the Reports page."""
    year, quarter = _year_quarter(today)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    four_back = today
    for _ in range(3):
        four_back = four_back.previous()
    thirteen_back = today
    for _ in range(12):
        thirteen_back = thirteen_back.previous()
    return [  # the labels are catalogue entries, translated where they are shown
        (N_("This week"), str(today)),
        (N_("Last week"), str(today.previous())),
        (N_("Last 4 weeks"), f"{four_back}..{today}"),
        (N_("Last 13 weeks"), f"{thirteen_back}..{today}"),
        (N_("This quarter"), f"{year}-Q{quarter}"),
        (N_("Last quarter"), f"{previous[0]}-Q{previous[1]}"),
    ]
