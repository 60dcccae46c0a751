"""Results from a CSV file of per-arm figures. The whole file is checked before
anything is kept: a wrong header or one bad row refuses it, naming line and column."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Any

from tracker.experiments.analysis import INTEGER_FIELDS, KIND_FIELDS, figures_problem

HEADER = ("arm", "metric", "successes", "trials", "n", "mean", "sd", "events", "exposure")


class CsvError(ValueError):
    """What is wrong with the file, naming the line and the column."""


def parse_results_csv(
    data: bytes, *, arms: Sequence[Any], metrics: Sequence[Any], primary_id: int
) -> dict[tuple[int, int], dict[str, float | int]]:
    """The figures of the file keyed by (arm id, metric id), or CsvError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError("The file is not UTF-8 text: save it as CSV (UTF-8).") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise CsvError("The file is empty: the first line must be the header " + ",".join(HEADER))
    header = tuple(cell.strip().lower() for cell in rows[0])
    if header != HEADER:
        raise CsvError(
            f"Line 1: the header must be exactly {','.join(HEADER)}"
            f" (got {','.join(cell.strip() for cell in rows[0])})."
        )
    arm_by_name = {arm.name.strip().lower(): arm for arm in arms}
    metric_by_name = {metric.name.strip().lower(): metric for metric in metrics}
    figures: dict[tuple[int, int], dict[str, float | int]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            raise CsvError(f"Line {line}: expected {len(HEADER)} columns, found {len(row)}.")
        cells = dict(zip(HEADER, (cell.strip() for cell in row), strict=True))
        arm = arm_by_name.get(cells["arm"].lower())
        if arm is None:
            known = ", ".join(a.name for a in arms)
            raise CsvError(f"Line {line}, column arm: no arm named {cells['arm']!r} ({known}).")
        metric = metric_by_name.get(cells["metric"].lower())
        if metric is None:
            known = ", ".join(m.name for m in metrics)
            raise CsvError(
                f"Line {line}, column metric: {cells['metric']!r} is not a metric of this"
                f" experiment ({known})."
            )
        key = (arm.id, metric.id)
        if key in figures:
            raise CsvError(f"Line {line}: {arm.name} on {metric.name} appears twice.")
        kind = str(getattr(metric.kind, "value", metric.kind))
        values: dict[str, float | int] = {}
        for column in KIND_FIELDS[kind]:
            values[column] = _number(cells[column], line, column)
        problems = figures_problem(kind, values)
        if problems:
            column, message = next(iter(problems.items()))
            raise CsvError(f"Line {line}, column {column}: {message}")
        figures[key] = values
    present = {metric_id for _arm, metric_id in figures} | {primary_id}
    for metric in metrics:
        if metric.id not in present:
            continue
        for arm in arms:
            if (arm.id, metric.id) not in figures:
                raise CsvError(f"The file has no row for {arm.name} on {metric.name}.")
    return figures


def _number(text: str, line: int, column: str) -> float | int:
    if not text:
        raise CsvError(f"Line {line}, column {column}: enter a number (the cell is empty).")
    try:
        value = float(text)
    except ValueError:
        raise CsvError(f"Line {line}, column {column}: {text!r} is not a number.") from None
    if not math.isfinite(value):
        raise CsvError(f"Line {line}, column {column}: enter a finite number.")
    if column in INTEGER_FIELDS:
        if not value.is_integer():
            raise CsvError(f"Line {line}, column {column}: {text!r} is not a whole number.")
        return int(value)
    return value
