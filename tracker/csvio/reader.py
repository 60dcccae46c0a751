"""Reading CSV files people export from spreadsheets and CRMs: a byte-order mark
or none, commas or semicolons (sniffed from the header line), quoted fields with
commas and line breaks inside. Rows come one at a time with their line number,
so a large file is never held whole in memory."""

from __future__ import annotations

import contextlib
import csv
import io
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO, TypeVar

from tracker.csvio.writer import FORMULA_STARTS
from tracker.translation import ngettext

MAX_SHOWN = 20
PROGRESS_EVERY = 2000
csv.field_size_limit(1_000_000)
# The key of a row whose extra cells make it unreadable; its value says why.
EXTRA = "\x00extra"


T = TypeVar("T")


class CellError(ValueError):
    """What is wrong with one cell; the importer adds the line and the column."""


@dataclass
class Problems:
    """The errors of a file: the first few in full, and how many in all."""

    messages: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_SHOWN:
            self.messages.append(message)

    def at(self, line: int, column: str | None, message: str) -> None:
        where = f"line {line}, column {column}" if column else f"line {line}"
        self.add(f"{where}: {message}")

    def __bool__(self) -> bool:
        return self.count > 0


class ImportRefused(Exception):
    """The file is refused whole: nothing was imported."""

    def __init__(self, problems: Problems) -> None:
        super().__init__("; ".join(problems.messages))
        self.problems = problems

    @property
    def messages(self) -> list[str]:
        return self.problems.messages

    @property
    def more(self) -> int:
        """How many errors are not among ``messages``."""
        return self.problems.count - len(self.problems.messages)

    def summary(self) -> str:
        count = self.problems.count
        return ngettext(
            "Nothing was imported: the file has %(num)d error.",
            "Nothing was imported: the file has %(num)d errors.",
            count,
        )


def refuse(line: int, column: str | None, message: str) -> ImportRefused:
    problems = Problems()
    problems.at(line, column, message)
    return ImportRefused(problems)


def sniff_delimiter(header_line: str) -> str:
    """Semicolon if the header line has more of them than commas (outside quotes).

    >>> sniff_delimiter("metric;period_start;note"), sniff_delimiter('"a;b",c,d')
    (';', ',')
    """
    counts = {",": 0, ";": 0}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _column_name(text: str) -> str:
    return "_".join(text.strip().strip("'").lower().split())


class CsvRows:
    """The rows of a CSV file as ``(line, {column: text})``, after its header is
    checked against the ``required`` and ``optional`` columns (ImportRefused
    names any missing or unknown one)."""

    def __init__(
        self,
        stream: IO[bytes],
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self._stream = stream
        self._progress = progress
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        header_line = self._read(self._text.readline)
        if not header_line.strip():
            self._release()
            raise refuse(1, None, "the file is empty: the first line must name the columns.")
        self.delimiter = sniff_delimiter(header_line)
        self._reader = csv.reader(self._lines(header_line), delimiter=self.delimiter, strict=False)
        self.header = [_column_name(name) for name in self._read(lambda: next(self._reader))]
        try:
            self._check_header(required, optional)
        except ImportRefused:
            self._release()
            raise

    def _release(self) -> None:
        """Let go of the caller's stream without closing it (the caller owns it)."""
        if not self._text.closed and self._text.buffer is not None:
            with contextlib.suppress(ValueError):
                self._text.detach()

    def _read(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except UnicodeDecodeError:
            raise refuse(
                1, None, "the file is not UTF-8 text: save it as “CSV UTF-8” and try again."
            ) from None

    def _lines(self, first: str) -> Iterator[str]:
        yield first
        yield from self._text

    def _check_header(self, required: Sequence[str], optional: Sequence[str]) -> None:
        known = list(required) + list(optional)
        problems = Problems()
        for name in required:
            if name not in self.header:
                problems.at(
                    1, name, f"the column {name} is missing (needed: {', '.join(required)})."
                )
        seen: set[str] = set()
        for name in self.header:
            if name and name not in known:
                problems.at(
                    1, name, f"the column “{name}” is unknown; the columns are {', '.join(known)}."
                )
            elif name in seen:
                problems.at(1, name, f"the column {name} appears twice.")
            seen.add(name)
        if problems:
            raise ImportRefused(problems)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            yield from self._rows()
        finally:
            self._release()

    def _rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self.header)
        last_line = self._reader.line_num
        number = 0
        rows = iter(self._reader)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except UnicodeDecodeError:
                raise refuse(
                    last_line + 1,
                    None,
                    "the file is not UTF-8 text: save it as “CSV UTF-8” and try again.",
                ) from None
            except csv.Error as exc:
                raise refuse(
                    last_line + 1, None, f"the line cannot be read as CSV ({exc})."
                ) from None
            line = last_line + 1
            last_line = self._reader.line_num
            number += 1
            if self._progress is not None and number % PROGRESS_EVERY == 0:
                self._report_progress()
            if not any(value.strip() for value in row):
                continue
            if len(row) > width and any(value.strip() for value in row[width:]):
                yield line, {EXTRA: f"{len(row)} cells but the header names {width} columns."}
                continue
            values = [value.strip() for value in row[:width]]
            values += [""] * (width - len(values))
            yield line, dict(zip(self.header, values, strict=True))
        if self._progress is not None:
            self._report_progress()

    def _report_progress(self) -> None:
        try:
            position = self._stream.tell()
        except (OSError, ValueError):
            return
        if self._progress is not None:
            self._progress(position)


# --- cells -------------------------------------------------------------------------


def text_cell(value: str) -> str:
    """Text as it was before an export neutralised it for spreadsheets.

    >>> text_cell("'=SUM(A1)"), text_cell("'quoted'")
    ('=SUM(A1)', "'quoted'")
    """
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def number_cell(value: str, *, whole: bool, decimal_comma: bool = False) -> float | int:
    """A number, or CellError saying what is wrong with it."""
    text = value.replace(",", ".") if decimal_comma and value.count(",") == 1 else value
    try:
        number = float(text)
    except ValueError:
        raise CellError(f"“{value}” is not a number.") from None
    if not math.isfinite(number):
        raise CellError(f"“{value}” is not an ordinary number.")
    if whole:
        if not number.is_integer():
            raise CellError(f"“{value}” is not a whole number.")
        return int(number)
    return number


def date_cell(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CellError(f"“{value}” is not a date: write it as YYYY-MM-DD.") from None


def datetime_cell(value: str) -> datetime:
    """An ISO 8601 date and time (UTC when it names no zone)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CellError(
            f"“{value}” is not a date and time: write it as YYYY-MM-DD HH:MM (UTC)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
