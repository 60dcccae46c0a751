"""The CSV reader and writer: byte-order mark, delimiters, quoted fields,
formula neutralising and the line numbers errors name."""

from __future__ import annotations

import csv
import io

import pytest

from tracker.csvio.reader import CsvRows, ImportRefused, text_cell
from tracker.csvio.writer import BOM, cell, csv_text


def rows_of(text: str, *, bom: bool = False, **kwargs):
    data = (BOM if bom else "") + text
    reader = CsvRows(io.BytesIO(data.encode("utf-8")), **kwargs)
    return reader, list(reader)


def test_export_starts_with_a_bom_and_reads_back():
    text = csv_text(["name", "value"], [["نسبة الفوز", 0.25], ["Win rate", 3]])
    assert text.startswith("\ufeffname,value\r\n")
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    _reader, rows = rows_of(text, required=["name", "value"])
    assert rows == [
        (2, {"name": "نسبة الفوز", "value": "0.25"}),
        (3, {"name": "Win rate", "value": "3"}),
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
    ],
)
def test_text_that_starts_a_formula_is_neutralised(value, written):
    assert cell(value) == written
    assert text_cell(written) == value


def test_numbers_stay_numbers_even_when_negative():
    text = csv_text(["lift", "count", "note"], [[-0.125, -3, "-0.125"]])
    line = text.splitlines()[1]
    assert line == "-0.125,-3,'-0.125"


def test_semicolons_are_sniffed_from_the_header():
    reader, rows = rows_of(
        'metric;period_start;note\nWin rate;2026-01-05;"a; b, c"\n',
        required=["metric"],
        optional=["period_start", "note"],
    )
    assert reader.delimiter == ";"
    assert rows == [(2, {"metric": "Win rate", "period_start": "2026-01-05", "note": "a; b, c"})]


def test_quoted_fields_with_commas_and_newlines_keep_line_numbers():
    text = (
        'metric,note\r\nA,"first, with comma"\r\nB,"two\r\nlines"\r\n'
        'C,"three\nmore\nlines"\r\nD,last\r\n'
    )
    _reader, rows = rows_of(text, bom=True, required=["metric", "note"])
    assert [(line, row["metric"]) for line, row in rows] == [(2, "A"), (3, "B"), (5, "C"), (8, "D")]
    assert rows[1][1]["note"] == "two\r\nlines"
    assert rows[0][1]["note"] == "first, with comma"


def test_written_newlines_read_back_through_the_csv_module():
    text = csv_text(["note"], [['line one\nline two, with comma "quoted"']])
    assert list(csv.reader(io.StringIO(text.lstrip(BOM))))[1] == [
        'line one\nline two, with comma "quoted"'
    ]


def test_header_names_the_missing_and_unknown_columns():
    with pytest.raises(ImportRefused) as caught:
        rows_of("metric,perod_start\n", required=["metric", "period_start"])
    assert caught.value.messages == [
        "line 1, column period_start: the column period_start is missing"
        " (needed: metric, period_start).",
        "line 1, column perod_start: the column “perod_start” is unknown;"
        " the columns are metric, period_start.",
    ]


def test_header_case_and_spaces_do_not_matter():
    reader, rows = rows_of(" Metric , Period Start\nx,y\n", required=["metric", "period_start"])
    assert reader.header == ["metric", "period_start"]
    assert rows == [(2, {"metric": "x", "period_start": "y"})]


def test_an_empty_file_and_a_non_utf8_file_are_refused():
    with pytest.raises(ImportRefused, match="the file is empty"):
        CsvRows(io.BytesIO(b""), required=["metric"])
    with pytest.raises(ImportRefused, match="not UTF-8"):
        list(CsvRows(io.BytesIO("metric\nCo\xfbt\n".encode("latin-1")), required=["metric"]))


def test_blank_lines_are_skipped_and_extra_cells_reported():
    _reader, rows = rows_of("a,b\n\n1,2\n1,2,3\n1\n", required=["a", "b"])
    assert rows[0] == (3, {"a": "1", "b": "2"})
    assert rows[1][0] == 4 and "3 cells but the header names 2 columns" in next(
        iter(rows[1][1].values())
    )
    assert rows[2] == (5, {"a": "1", "b": ""})
