"""Importing metric readings from CSV, whole or not at all.

Each row is checked as the metric page's reading form checks one reading, as it
is read; good rows go to the database in batches (SQLAlchemy Core executemany)
inside one transaction, so a 100,000-row file never sits whole in memory. Any
error rolls everything back and the file is refused with the errors, each naming
its line and column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from tracker.csvio.reader import (
    EXTRA,
    CellError,
    CsvRows,
    ImportRefused,
    Problems,
    date_cell,
    number_cell,
    text_cell,
)
from tracker.figures import FIGURES, fields_of, figures_problem
from tracker.figures import WHOLE_FIELDS as WHOLE
from tracker.models import Change, Metric, MetricKind, Reading
from tracker.models.limits import max_length
from tracker.models.live import is_live
from tracker.models.types import utcnow
from tracker.notifications import readings_saved
from tracker.parsing import parse_id

COLUMNS = ("metric", "period_start", "period_end", *FIGURES, "source_note")
REQUIRED = ("metric", "period_start", "period_end")
KIND_FIGURES = {kind: fields_of(kind) for kind in MetricKind}
BATCH = 2000


@dataclass(frozen=True)
class MetricIndex:
    """Every metric by lower-case name and by id, loaded once."""

    by_name: dict[str, Metric]
    by_id: dict[int, Metric]

    @classmethod
    def load(cls, session: Session) -> MetricIndex:
        metrics = session.exec(select(Metric)).all()
        # a live metric's name wins over a deleted one's
        by_name = {m.name.strip().lower(): m for m in metrics if not is_live(m)}
        by_name.update({m.name.strip().lower(): m for m in metrics if is_live(m)})
        return cls(by_name=by_name, by_id={m.id or 0: m for m in metrics})

    def find(self, text: str) -> Metric:
        """The metric named (or numbered) ``text``, or CellError."""
        if not text:
            raise CellError("name the metric (its name or its id).")
        metric = self.by_name.get(text.lower())
        if metric is None:
            metric = self.by_id.get(parse_id(text) or 0)
        if metric is None:
            raise CellError(f"there is no metric named “{text}”.")
        if not is_live(metric):
            raise CellError(f"the metric “{metric.name}” is deleted; restore it first.")
        return metric


def check_figures(
    kind: MetricKind, cells: Mapping[str, str], problems: Problems, line: int, *, comma: bool
) -> dict[str, float | int] | None:
    """The kind's figures from the row, checked as the reading form checks them;
    None (and the problems noted) if any is wrong."""
    wanted = KIND_FIGURES[kind]
    figures: dict[str, float | int] = {}
    ok = True
    for name in FIGURES:
        value = cells.get(name, "")
        if name not in wanted:
            if value:
                problems.at(
                    line,
                    name,
                    f"a {kind.value} metric takes {' and '.join(wanted)}; leave {name} empty.",
                )
                ok = False
            continue
        if not value:
            problems.at(line, name, f"enter the {name} (a {kind.value} metric needs it).")
            ok = False
            continue
        try:
            figures[name] = number_cell(value, whole=name in WHOLE, decimal_comma=comma)
        except CellError as exc:
            problems.at(line, name, str(exc))
            ok = False
    if not ok:
        return None
    broken = figures_problem(kind, figures)
    if broken:
        column, message = next(iter(broken.items()))
        problems.at(line, column, message)
        return None
    return figures


# The change log's keys in sorted order, as json.dumps(sort_keys=True) gives them.
_LOGGED = ("events", "exposure", "mean", "metric_id", "n", "period_end", "period_start", "sd")
_LOGGED_AFTER = ("successes", "trials")


def _change_text(row: Mapping[str, Any]) -> str:
    """The reading's figures as the change log keeps them: the same JSON as the
    metric page writes (sorted keys, figures left out when empty), built
    directly because json.dumps of every row is a fifth of a large import.

    >>> row = {"metric_id": 3, "period_start": date(2026, 1, 5), "period_end": date(2026, 1, 11),
    ...        "source_note": "CRM “won”", "successes": 4, "trials": 10, "n": None, "mean": None,
    ...        "sd": None, "events": None, "exposure": None}
    >>> _change_text(row) == json.dumps({"metric_id": 3, "period_start": "2026-01-05",
    ...     "period_end": "2026-01-11", "source_note": "CRM “won”", "successes": 4, "trials": 10},
    ...     ensure_ascii=False, sort_keys=True)
    True
    """
    parts = []
    for key in _LOGGED:
        value = row[key]
        if value is None:
            continue
        text = f'"{value.isoformat()}"' if isinstance(value, date) else repr(value)
        parts.append(f'"{key}": {text}')
    parts.append(f'"source_note": {json.dumps(row["source_note"], ensure_ascii=False)}')
    parts.extend(f'"{key}": {row[key]!r}' for key in _LOGGED_AFTER if row[key] is not None)
    return "{" + ", ".join(parts) + "}"


class _Batches:
    """Readings waiting to be inserted, checked against the database a batch at a
    time, and inserted with their change-log entries while the file is clean."""

    def __init__(
        self,
        session: Session,
        problems: Problems,
        *,
        names: Mapping[int, str],
        user_id: int | None,
        reason: str,
    ):
        self.session = session
        self.names = names
        self.problems = problems
        self.user_id = user_id
        self.reason = reason
        self.rows: list[dict[str, Any]] = []
        self.lines: list[int] = []
        self.inserted = 0

    def add(self, line: int, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.lines.append(line)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self._check_existing()
        if not self.problems:
            self._insert()
        self.rows, self.lines = [], []

    def _check_existing(self) -> None:
        metric_ids = {row["metric_id"] for row in self.rows}
        starts = {row["period_start"] for row in self.rows}
        existing = set(
            self.session.exec(
                select(col(Reading.metric_id), col(Reading.period_start)).where(
                    col(Reading.metric_id).in_(metric_ids), col(Reading.period_start).in_(starts)
                )
            ).all()
        )
        if not existing:
            return
        for line, row in zip(self.lines, self.rows, strict=True):
            if (row["metric_id"], row["period_start"]) in existing:
                self.problems.at(
                    line,
                    "period_start",
                    f"a reading of “{self.names[row['metric_id']]}” for the period starting"
                    f" {row['period_start']:%-d %b %Y} already exists; delete it first"
                    " to replace it.",
                )

    def _insert(self) -> None:
        now = utcnow()
        values = self.rows
        table = Reading.__table__  # type: ignore[attr-defined]
        # A plain executemany (no RETURNING) is the driver's fastest path; the new
        # ids are read back in one query: the batch's (metric, period) pairs were
        # all checked to be new, so every pair found is one of these readings.
        # Values the same for every row go into the statement, not each row.
        connection = self.session.connection()
        connection.execute(insert(table).values(created_at=now, entered_by_id=self.user_id), values)
        ids = {
            (metric_id, start): reading_id
            for reading_id, metric_id, start in connection.execute(
                select(table.c.id, table.c.metric_id, table.c.period_start).where(
                    table.c.metric_id.in_({row["metric_id"] for row in values}),
                    table.c.period_start.in_({row["period_start"] for row in values}),
                )
            )
        }
        changes = [
            {
                "entity_id": ids[(row["metric_id"], row["period_start"])],
                "new_value": _change_text(row),
            }
            for row in values
        ]
        connection.execute(
            insert(Change.__table__).values(  # type: ignore[attr-defined]
                entity="reading",
                action="create",
                field="",
                old_value=None,
                reason=self.reason,
                user_id=self.user_id,
                at=now,
            ),
            changes,
        )
        self.inserted += len(values)


def import_readings(
    session: Session,
    stream: IO[bytes],
    *,
    user_id: int | None,
    source: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import every reading of the CSV ``stream`` and return how many, or raise
    ImportRefused with nothing kept. The caller commits."""
    rows = CsvRows(
        stream,
        required=REQUIRED,
        optional=[c for c in COLUMNS if c not in REQUIRED],
        progress=progress,
    )
    comma = rows.delimiter == ";"
    metrics = MetricIndex.load(session)
    problems = Problems()
    batches = _Batches(
        session,
        problems,
        names={metric_id: metric.name for metric_id, metric in metrics.by_id.items()},
        user_id=user_id,
        reason=f"Imported from {source}"[:1000] if source else "",
    )
    seen: dict[tuple[int, date], int] = {}
    try:
        for line, cells in rows:
            row = _reading_row(line, cells, metrics, problems, comma=comma, user_id=user_id)
            if row is None:
                continue
            key = (row["metric_id"], row["period_start"])
            if key in seen:
                problems.at(
                    line,
                    "period_start",
                    f"the file has another reading of “{metrics.by_id[key[0]].name}” for the period"
                    f" starting {row['period_start']:%-d %b %Y} (line {seen[key]}).",
                )
                continue
            seen[key] = line
            batches.add(line, row)
        batches.flush()
    except ImportRefused:
        session.rollback()
        raise
    if problems:
        session.rollback()
        raise ImportRefused(problems)
    if batches.inserted == 0:
        problems.add("line 2: the file has no readings under its header.")
        raise ImportRefused(problems)
    for metric_id in {key[0] for key in seen}:
        weeks = [start for (other, start) in seen if other == metric_id]
        readings_saved(session, metric=metrics.by_id[metric_id], period_starts=weeks)
    return batches.inserted


def _reading_row(
    line: int,
    cells: Mapping[str, str],
    metrics: MetricIndex,
    problems: Problems,
    *,
    comma: bool,
    user_id: int | None,
) -> dict[str, Any] | None:
    if EXTRA in cells:
        problems.at(line, None, cells[EXTRA])
        return None
    before = problems.count
    try:
        metric = metrics.find(text_cell(cells["metric"]))
    except CellError as exc:
        problems.at(line, "metric", str(exc))
        metric = None
    dates: dict[str, date] = {}
    for name in ("period_start", "period_end"):
        if not cells[name]:
            problems.at(line, name, "enter the date (YYYY-MM-DD).")
            continue
        try:
            dates[name] = date_cell(cells[name])
        except CellError as exc:
            problems.at(line, name, str(exc))
    if len(dates) == 2 and dates["period_end"] < dates["period_start"]:
        problems.at(
            line,
            "period_end",
            f"the period ends ({dates['period_end']}) before it starts ({dates['period_start']}).",
        )
    note = text_cell(cells.get("source_note", ""))
    limit = max_length(Reading, "source_note")
    if len(note) > limit:
        problems.at(
            line, "source_note", f"keep the note to {limit} characters (it has {len(note)})."
        )
    figures = None
    if metric is not None:
        figures = check_figures(MetricKind(metric.kind), cells, problems, line, comma=comma)
    if problems.count > before or metric is None or figures is None:
        return None
    row: dict[str, Any] = {name: None for name in FIGURES}
    row.update(figures)
    row.update(
        metric_id=metric.id,
        period_start=dates["period_start"],
        period_end=dates["period_end"],
        source_note=note,
    )
    return row
