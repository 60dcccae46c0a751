"""The rules of the weekly cycle: ISO weeks, the order of the phases, which
week comes next, and when an action item is stuck.

A cycle is one ISO week, Monday to Sunday, named like ``2026-W48``. Its
phases run analyse, review, respond, act, and then it is closed. Closing opens
the next week's cycle (or the current week's, when weeks were skipped) and
carries every unfinished action item into it.

>>> week = IsoWeek.parse("2026-W53")
>>> str(week.next())
'2027-W01'
>>> week.monday, week.sunday
(datetime.date(2026, 12, 28), datetime.date(2027, 1, 3))
>>> str(next_cycle_week(IsoWeek.parse("2026-W40"), today=IsoWeek.parse("2026-W48")))
'2026-W48'
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta

STUCK_AFTER = 3
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
_QUARTER = re.compile(r"^\s*(\d{4})-?Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week.

    Attributes:
        year: the ISO year (which can differ from the calendar year near 1 January).
        week: 1 to 52, or 53 in long years.
    """

    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be between 1 and 9999, not {self.year}")
        if not 1 <= self.week <= weeks_in_year(self.year):
            raise ValueError(
                f"week must be between 1 and {weeks_in_year(self.year)} in {self.year}, "
                f"not {self.week}"
            )

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """Read ``2026-W48`` (or ``2026W48``, ``2026-w48``).

        >>> IsoWeek.parse("2026-w5")
        IsoWeek(year=2026, week=5)
        """
        match = _WEEK.match(text)
        if not match:
            raise ValueError(f"a week is written like 2026-W48, not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        """The week that ``day`` falls in.

        >>> str(IsoWeek.containing(date(2026, 11, 26)))
        '2026-W48'
        """
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.monday + timedelta(days=7))

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.monday - timedelta(days=7))

    def weeks_until(self, other: IsoWeek) -> int:
        """How many weeks from this week to ``other`` (negative if before)."""
        return (other.monday - self.monday).days // 7

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return date(year, 12, 28).isocalendar()[1]


def weeks_between(first: IsoWeek, last: IsoWeek) -> list[IsoWeek]:
    """Every week from ``first`` to ``last``, both included.

    >>> [str(w) for w in weeks_between(IsoWeek(2026, 52), IsoWeek(2027, 2))]
    ['2026-W52', '2026-W53', '2027-W01', '2027-W02']
    """
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    weeks = [first]
    while weeks[-1] < last:
        weeks.append(weeks[-1].next())
    return weeks


def quarter_weeks(text: str) -> tuple[IsoWeek, IsoWeek]:
    """The first and last ISO week of a quarter such as ``2026-Q4``: the weeks
    whose Thursday falls in the quarter's months (so every week belongs to
    exactly one quarter).

    >>> [str(w) for w in quarter_weeks("2026-Q4")]
    ['2026-W40', '2026-W53']
    """
    match = _QUARTER.match(text)
    if not match:
        raise ValueError(f"a quarter is written like 2026-Q4, not {text!r}")
    year, quarter = int(match.group(1)), int(match.group(2))
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    first_thursday = start + timedelta(days=(3 - start.weekday()) % 7)
    last_thursday = end - timedelta(days=1)
    last_thursday -= timedelta(days=(last_thursday.weekday() - 3) % 7)
    return IsoWeek.containing(first_thursday), IsoWeek.containing(last_thursday)


class Phase(enum.StrEnum):
    """The phases of a cycle, in order."""

    analyse = "analyse"
    review = "review"
    respond = "respond"
    act = "act"
    closed = "closed"

    @property
    def order(self) -> int:
        return list(Phase).index(self)

    def next(self) -> Phase | None:
        """The phase that follows, or None from ``act`` (closing is its own step)
        and from ``closed``.

        >>> Phase.review.next()
        <Phase.respond: 'respond'>
        """
        if self in (Phase.act, Phase.closed):
            return None
        return list(Phase)[self.order + 1]

    def previous(self) -> Phase | None:
        """The phase before, or None from ``analyse`` and from ``closed``."""
        if self in (Phase.analyse, Phase.closed):
            return None
        return list(Phase)[self.order - 1]


class ActionStatus(enum.StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"

    @property
    def finished(self) -> bool:
        return self in (ActionStatus.done, ActionStatus.dropped)


def next_cycle_week(closed: IsoWeek, *, today: IsoWeek) -> IsoWeek:
    """The week of the cycle that closing ``closed`` opens: the next week, or
    the current one when weeks were skipped.

    >>> str(next_cycle_week(IsoWeek(2026, 48), today=IsoWeek(2026, 48)))
    '2026-W49'
    """
    return max(closed.next(), today)


def is_stuck(carried_count: int) -> bool:
    """An action item carried three times or more is stuck.

    >>> is_stuck(2), is_stuck(3)
    (False, True)
    """
    if carried_count < 0:
        raise ValueError(f"carried_count cannot be negative, not {carried_count}")
    return carried_count >= STUCK_AFTER


def carries_over(due_week: str | None, closing_week: str) -> bool:
    """Whether closing ``closing_week`` counts as carrying an unfinished item:
    only when it was due by then. An item due later simply moves along with
    the cycles, and its "carried" count stays at zero until it is overdue.

    >>> carries_over("2026-W48", "2026-W48"), carries_over("2026-W47", "2026-W48")
    (True, True)
    >>> carries_over("2026-W49", "2026-W48")
    False
    >>> carries_over(None, "2026-W48")
    True
    """
    if not due_week:
        return True
    try:
        return IsoWeek.parse(due_week) <= IsoWeek.parse(closing_week)
    except ValueError:
        return True


def meeting_day(iso_week: str, today: date) -> date:
    """The day a meeting of ``iso_week`` is assumed to be held: today when today
    falls in that week, else the nearest day of the week.

    >>> meeting_day("2026-W48", date(2026, 11, 26))
    datetime.date(2026, 11, 26)
    >>> meeting_day("2026-W47", date(2026, 11, 26))
    datetime.date(2026, 11, 22)
    """
    week = IsoWeek.parse(iso_week)
    return min(max(today, week.monday), week.sunday)
