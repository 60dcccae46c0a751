"""Retrospective PDFs: the range, the figures, the PDF read back, the command and
the Reports page."""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlmodel import Session, select

from experiments.cycles import IsoWeek
from tests.report_data import (
    ARABIC_CHANGE,
    ARABIC_LEARNING,
    ARABIC_RATIONALE,
    MIXED_TITLE,
    Quarter,
    build_quarter,
)
from tracker.models import ActionItem, Cycle, Experiment, Role, TeamSettings
from tracker.reports.data import gather
from tracker.reports.ranges import RangeError, current_week, parse_range
from tracker.reports.render import TEMPLATE, render_pdf, text_direction
from tracker.reports.worker import LayoutWorker

Q3 = (IsoWeek(2026, 27), IsoWeek(2026, 39))  # 13 weeks, long past
TODAY = IsoWeek(2026, 48)


@pytest.fixture
def quarter(db: Session) -> Quarter:
    return build_quarter(db, first=Q3[0], last=Q3[1], experiments=9)


def pdf_for(
    app: Flask,
    db: Session,
    text: str,
    *,
    paper: str = "a4",
    workers: Any = None,
    in_workers: bool = True,
) -> tuple[bytes, Any]:
    span = parse_range(text, today=TODAY)
    with app.test_request_context():
        retro = gather(db, span, team="Acme Revenue")
        document = render_pdf(retro, paper=paper, workers=workers)
    if in_workers:  # both layout workers did their part, none was left to this process
        assert len(document.worker_peaks_mb) == (2 if retro.experiments else 1)
    return document.data, retro


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Text as pypdf gives it, with line breaks and doubled spaces folded, and
    NFKC so that Arabic presentation forms (if any) compare equal to letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026-W30", "2026-W30", "2026-W30", "2026-W30"),
        (" 2026-w5 ", "2026-W05", "2026-W05", "2026-W05"),
        ("2026-W40..2026-W44", "2026-W40", "2026-W44", "2026-W40..2026-W44"),
        ("2026-Q3", "2026-W27", "2026-W39", "2026-Q3"),
        ("2026q1", "2026-W01", "2026-W13", "2026-Q1"),
    ],
)
def test_a_range_reads_a_week_a_span_or_a_quarter(
    text: str, first: str, last: str, label: str
) -> None:
    span = parse_range(text, today=TODAY)
    assert (str(span.first), str(span.last), span.label) == (first, last, label)
    assert not span.clipped


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("last quarter", "write it like 2026-W48, 2026-W40..2026-W52 or 2026-Q4"),
        ("", "Enter a week, a range or a quarter, like 2026-W48"),
        ("2026-W44..2026-W40", "ends (2026-W40) before it starts (2026-W44)"),
        ("2026-W54", "2026-W54 does not exist"),
        ("2026-Q5", "like 2026-Q4"),
        ("2027-W10", "has not started yet: the current week is 2026-W48"),
    ],
)
def test_a_range_that_cannot_be_read_says_why_in_one_line(text: str, message: str) -> None:
    with pytest.raises(RangeError) as raised:
        parse_range(text, today=TODAY)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_range_into_the_future_stops_at_the_current_week() -> None:
    span = parse_range("2026-Q4", today=TODAY)
    assert (str(span.first), str(span.last), str(span.asked_last)) == (
        "2026-W40",
        "2026-W48",
        "2026-W53",
    )
    assert span.clipped and span.label == "2026-Q4"
    span = parse_range("2026-W45..2027-W05", today=TODAY)
    assert span.label == "2026-W45..2026-W48" and len(span.weeks) == 4


def test_the_current_week_is_the_team_time_zone_s() -> None:
    late_sunday = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)  # Sunday of 2026-W48 in UTC
    assert str(current_week("UTC", now=late_sunday)) == "2026-W48"
    assert str(current_week("Asia/Dubai", now=late_sunday)) == "2026-W49"  # already Monday
    assert str(current_week("Not/AZone", now=late_sunday)) == "2026-W48"


def test_text_direction_follows_the_first_strong_letter() -> None:
    assert text_direction(ARABIC_CHANGE) == "rtl"
    assert text_direction(MIXED_TITLE) == "ltr"
    assert text_direction("42 — ") == "ltr"


# -------------------------------------------------------------- gathering


def test_gathering_runs_the_same_number_of_queries_whatever_the_size(
    app: Flask, count_queries: Any
) -> None:
    from tracker.database import get_engine

    counts = []
    for size in (2, 12):
        from tests.conftest import reset_schema

        reset_schema(get_engine(app))
        with Session(get_engine(app)) as session:
            build_quarter(session, first=Q3[0], last=Q3[1], experiments=size, analyse=False)
            span = parse_range("2026-Q3", today=TODAY)
            with count_queries() as queries:
                retro = gather(session, span, team="Acme", draw_charts=False)
            assert len(retro.experiments) == size
            counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 16


def test_summary_figures_match_counts_made_from_the_database(
    app: Flask, db: Session, quarter: Quarter
) -> None:
    span = parse_range("2026-Q3", today=TODAY)
    summary = gather(db, span, team="Acme", draw_charts=False).summary
    experiments = db.exec(select(Experiment)).all()
    start, end = span.starts_on, span.ends_on
    decided = [e for e in experiments if e.decided_at and start <= e.decided_at.date() <= end]
    won = [e for e in decided if e.outcome == "won"]
    cycle_ids = {c.id for c in db.exec(select(Cycle)).all()}
    actions = db.exec(select(ActionItem)).all()
    assert summary.cycles == 13 == len(cycle_ids)
    assert summary.started == sum(1 for e in experiments if start <= e.started_on <= end)
    assert summary.decided == len(decided) > 0
    assert summary.won == len(won)
    assert summary.lost == sum(1 for e in decided if e.outcome == "lost")
    assert summary.inconclusive == sum(1 for e in decided if e.outcome == "inconclusive")
    assert summary.win_rate == f"{len(won) / len(decided):.0%}"
    days = [(e.decided_at.date() - e.started_on).days for e in decided]
    assert summary.median_days == f"{statistics.median(days):g}"
    assert summary.actions_created == sum(1 for a in actions if a.first_cycle_id in cycle_ids)
    assert summary.actions_done == sum(1 for a in actions if a.status == "done")
    open_items = [a for a in actions if a.status in ("open", "in_progress")]
    assert summary.actions_carried == sum(1 for a in open_items if a.carried_count >= 1)
    assert summary.actions_stuck == sum(1 for a in open_items if a.carried_count >= 3)
    assert summary.actions_stuck > 0


# -------------------------------------------------------------------- PDF


def test_the_quarter_pdf_holds_every_experiment_the_arabic_text_and_the_figures(
    app: Flask, db: Session, quarter: Quarter
) -> None:
    data, retro = pdf_for(app, db, "2026-Q3")
    assert data.startswith(b"%PDF")
    reader, pages = pdf_text(data)
    experiments = len(quarter.experiments)
    # cover, summary, chart, a page or so per two experiments, metrics, plan, learnings, next
    assert experiments // 2 + 6 <= len(reader.pages) <= 2 * experiments + 12
    text = flat("\n".join(pages))
    for experiment in quarter.experiments:
        assert flat(experiment.title) in text, experiment.title
    # pypdf reads the text back through the fonts' ToUnicode maps: the Arabic
    # comes back in logical order, as typed, in base letters (not presentation
    # forms), which is only so when each shaped glyph maps to the typed letters.
    assert ARABIC_CHANGE in text
    assert ARABIC_RATIONALE in text
    assert ARABIC_LEARNING in text
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", "".join(pages))
    summary_page = flat(pages[1])
    s = retro.summary

    def tile(value: object, label: str) -> bool:
        # pypdf joins a tile's figure to its label ("13cycles covered")
        return re.search(rf"(^|\s){re.escape(str(value))}\s?{label}", summary_page) is not None

    assert tile(s.cycles, "cycles covered") and s.cycles == 13
    assert tile(s.started, "experiments started")
    assert tile(s.decided, "experiments decided")
    assert tile(s.won, "won") and tile(s.lost, "lost") and tile(s.inconclusive, "inconclusive")
    assert tile(s.win_rate, "win rate")
    assert tile(s.median_days, "median days to decision")
    assert tile(s.per_week, "started per week")
    assert f"Created in the range {s.actions_created}" in summary_page
    assert f"Stuck (carried three times or more) {s.actions_stuck}" in summary_page
    # running header and "page N of M" footer on every page but the cover
    assert "Page 1 of" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert "Acme Revenue" in page and "Retrospective 2026-Q3" in page
        assert f"Page {number} of {len(reader.pages)}" in page
    # bookmarks: the chapters, and each experiment beneath Experiments
    outline = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in outline]
    for chapter in ("Summary", "All decided experiments", "Experiments", "Action plan", "Next"):
        assert chapter in titles
    nested = reader.outline[titles.index("Experiments") + 1]
    assert isinstance(nested, list)
    assert len(nested) == experiments


def test_the_contents_links_and_bookmarks_lead_to_where_they_say(
    app: Flask, db: Session, quarter: Quarter
) -> None:
    """The experiments chapter is laid out in a second process and the cover last:
    the contents' page numbers, the links and the bookmarks must still meet."""
    data, retro = pdf_for(app, db, "2026-Q3")
    reader, pages = pdf_text(data)
    cover = reader.pages[0].extract_text(extraction_mode="layout")
    contents = dict(re.findall(r"^\s*\d\s+(\S.*?\S)\s{3,}(\d+)\s*$", cover, re.M))
    assert list(contents) == [
        "Summary",
        "All decided experiments",
        "Experiments",
        "Metrics by buyer-journey stage",
        "Action plan",
        "Learnings",
        "Next",
    ]
    for chapter, (title, number) in enumerate(contents.items(), start=1):
        # the page opens with the chapter's eyebrow ("3 · WHAT WE TRIED") and title
        opening = flat(pages[int(number) - 1])[:80]
        assert opening.startswith(f"{chapter} · ") and title in opening

    destinations = reader.named_destinations
    links = [
        str(annotation.get_object()["/Dest"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    # the cover's seven chapters, and each decided experiment from the table
    # (a title on two lines is two links)
    chapters = ["summary", "decided", "experiments", "metrics", "actions", "learnings", "next"]
    assert links[:7] == chapters
    assert set(links[7:]) == {e.anchor for e in retro.decided}
    for name in links:
        assert name in destinations, name

    def opens(title: str) -> str:
        # a title's first words: pypdf may put a mixed title's Arabic run apart
        return " ".join(flat(title).split()[:2])

    for e in retro.decided:
        target = reader.get_destination_page_number(destinations[e.anchor])
        assert opens(e.title) in flat(pages[target])

    def pages_of(outline: list[Any]) -> list[int]:
        return [
            reader.get_destination_page_number(item)
            for item in outline
            if not isinstance(item, list)
        ]

    top = pages_of(reader.outline)
    assert top == sorted(top)
    assert [n + 1 for n in top[1:]] == [int(n) for n in contents.values()]
    experiments = next(item for item in reader.outline if isinstance(item, list))
    for item, e in zip(experiments, retro.experiments, strict=True):
        assert opens(e.title) in flat(pages[reader.get_destination_page_number(item)])


def test_without_worker_processes_the_pdf_is_the_same(
    app: Flask, db: Session, quarter: Quarter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no worker process can start, the parts are laid out in this one:
    the report is made all the same, page for page."""
    made, _ = pdf_for(app, db, "2026-Q3")

    def refuse(self: Any, *_args: Any, **_kwargs: Any) -> None:
        raise OSError("no processes left")

    monkeypatch.setattr("tracker.reports.worker.LayoutWorker.__init__", refuse)
    alone, _ = pdf_for(app, db, "2026-Q3", in_workers=False)
    assert pdf_text(alone)[1] == pdf_text(made)[1]


@pytest.mark.parametrize("slow_one", [0, 1], ids=["experiments", "other chapters and sheets"])
def test_a_worker_that_does_not_answer_leaves_its_parts_to_this_process(
    app: Flask, db: Session, quarter: Quarter, slow_one: int
) -> None:
    made, _ = pdf_for(app, db, "2026-Q3")
    slow = LayoutWorker(timeout=0.001)
    workers: list[LayoutWorker | None] = [None, None]
    workers[slow_one] = slow
    try:
        late, _ = pdf_for(app, db, "2026-Q3", workers=workers, in_workers=False)
    finally:
        slow.close()
    assert pdf_text(late)[1] == pdf_text(made)[1]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_arabic_runs_are_laid_out_right_to_left(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    """pypdf gives the logical order, not where the glyphs sit; poppler's word
    boxes do: in the hypothesis line, the first Arabic word typed must sit to
    the right of the last one. An Arabic statement is shown in its own words,
    with the English outcome after it reading left to right."""
    data, _ = pdf_for(app, db, "2026-Q3")
    path = tmp_path / "retro.pdf"
    path.write_bytes(data)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)
    first_word, last_word = ARABIC_CHANGE.split()[0], ARABIC_CHANGE.split()[-1]

    def x_of(word: str) -> list[tuple[float, float]]:
        # poppler writes each Arabic word's glyphs in visual order, reversed
        found = [(float(x), float(y)) for x, y, w in words if w.strip(",.")[::-1] == word]
        return found or [(float(x), float(y)) for x, y, w in words if w.strip(",.") == word]

    first, last = x_of(first_word), x_of(last_word)
    assert first and last
    same_line = [(a, b) for a in first for b in last if abs(a[1] - b[1]) < 2]
    assert same_line and all(a[0] > b[0] for a, b in same_line)
    will = [float(x) for x, _y, w in words if w == "will"]
    rise = [float(x) for x, _y, w in words if w == "rise"]
    assert will and rise and min(will) < min(rise)


def test_letter_paper_is_letter_sized(app: Flask, db: Session, quarter: Quarter) -> None:
    data, _ = pdf_for(app, db, "2026-W30", paper="letter")
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a_range_without_experiments_gives_a_short_report_that_says_so(
    app: Flask, db: Session, quarter: Quarter
) -> None:
    data, retro = pdf_for(app, db, "2026-W10")
    assert retro.empty
    reader, pages = pdf_text(data)
    assert len(reader.pages) <= 3
    assert "No experiments ran in 2026-W10." in flat("\n".join(pages))


def test_the_preview_and_the_pdf_come_from_one_template(
    app: Flask, db: Session, client: FlaskClient, signed_in: Any, quarter: Quarter
) -> None:
    signed_in(Role.viewer)
    rendered: list[str] = []

    def record(_sender: Any, template: Any, **_extra: Any) -> None:
        rendered.append(template.name)

    template_rendered.connect(record, app)
    try:
        client.get("/reports/preview?range=2026-Q3")
        preview = list(rendered)
        rendered.clear()
        client.get("/reports/pdf?range=2026-Q3")
        made_pdf = list(rendered)
    finally:
        template_rendered.disconnect(record, app)
    # the PDF is laid out in parts (cover, chapters, experiments), each from it
    assert preview == [TEMPLATE]
    assert set(made_pdf) == {TEMPLATE}


# -------------------------------------------------------------------- web


def test_the_reports_page_offers_ranges_and_paper(client: FlaskClient, signed_in: Any) -> None:
    signed_in(Role.viewer)
    page = client.get("/reports/").get_data(as_text=True)
    assert "Make a retrospective" in page
    assert "2026-W48, 2026-W40..2026-W52 or 2026-Q4" in page
    assert "Download PDF" in page and "Preview" in page
    assert "Last quarter" in page and "US Letter" in page


def test_the_preview_shows_the_report_with_arabic_marked_right_to_left(
    client: FlaskClient, signed_in: Any, quarter: Quarter
) -> None:
    signed_in(Role.viewer)
    response = client.get("/reports/preview?range=2026-Q3&paper=letter")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for experiment in quarter.experiments:
        assert experiment.title.replace("(", "(") in page.replace("&#39;", "'")
    assert f'dir="rtl">{ARABIC_LEARNING}<' in page
    assert f'<bdi class="user" dir="rtl">{ARABIC_CHANGE}</bdi>' in page
    assert "Download PDF" in page and "paper=letter" in page


def test_download_sends_the_pdf_with_a_file_name(
    client: FlaskClient, signed_in: Any, quarter: Quarter
) -> None:
    signed_in(Role.viewer)
    response = client.get("/reports/pdf?range=2026-q3&paper=a4")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "revloop-retro-2026-Q3.pdf" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF")


@pytest.mark.parametrize("endpoint", ["/reports/pdf", "/reports/preview", "/reports/"])
def test_a_bad_range_is_explained_beside_the_field_and_kept(
    client: FlaskClient, signed_in: Any, endpoint: str
) -> None:
    signed_in(Role.viewer)
    response = client.get(f"{endpoint}?range=Q4+please&paper=letter")
    page = response.get_data(as_text=True)
    assert response.status_code == (200 if endpoint == "/reports/" else 422)
    assert 'value="Q4 please"' in page
    assert "write it like 2026-W48, 2026-W40..2026-W52 or 2026-Q4" in page
    assert 'class="error" id="range-error"' in page
    assert '<input checked id="paper-1" name="paper" type="radio" value="letter">' in page


def test_an_unknown_paper_is_refused_not_a_500(client: FlaskClient, signed_in: Any) -> None:
    signed_in(Role.viewer)
    response = client.get("/reports/pdf?range=2026-W30&paper=a0")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="paper-error"' in page and 'value="2026-W30"' in page


def test_a_future_range_is_clipped_on_the_page_too(
    db: Session, client: FlaskClient, signed_in: Any
) -> None:
    signed_in(Role.viewer)
    settings = db.get(TeamSettings, 1)
    assert settings is not None
    this_week = current_week(settings.timezone)
    response = client.get(f"/reports/preview?range={this_week.year}-W01..9999-W01")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"it stops at the current week, {this_week}" in page


# -------------------------------------------------------------------- CLI


def test_the_command_writes_the_pdf_and_reports_progress(
    runner: Any, quarter: Quarter, tmp_path: Path
) -> None:
    target = tmp_path / "retro.pdf"
    result = runner.invoke(args=["retro", "2026-Q3", "-o", str(target), "--paper", "letter"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    pages = len(PdfReader(target).pages)
    assert "Loading 13 cycles (2026-W27 to 2026-W39)…" in result.stderr
    assert f"Rendering {pages} pages…" in result.stderr
    assert re.search(rf"Wrote .*retro.pdf \({pages} pages, [\d,]+ KB\)", result.stderr)
    assert result.stdout == ""


def test_the_command_refuses_a_bad_range_in_one_line(runner: Any, tmp_path: Path) -> None:
    target = tmp_path / "retro.pdf"
    result = runner.invoke(args=["retro", "2026/48", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "like 2026-W48, 2026-W40..2026-W52 or 2026-Q4" in result.stderr
    assert not target.exists()


def test_the_command_refuses_a_missing_folder_before_making_the_report(
    runner: Any, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "retro.pdf"
    result = runner.invoke(args=["retro", "2026-Q3", "-o", str(target)])
    assert result.exit_code == 1
    assert "Loading" not in result.stderr
    assert f"Could not write {target}: no folder {target.parent}." in result.stderr


def test_the_command_says_when_it_stops_at_the_current_week(runner: Any, tmp_path: Path) -> None:
    target = tmp_path / "retro.pdf"
    week = current_week("UTC")
    result = runner.invoke(args=["retro", f"{week.year}-W01..9999-W01", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"stopping at {week}" in result.stderr
    assert "No experiments ran" in flat(
        "\n".join(PdfReader(target).pages[1].extract_text() for _ in [0])
    )
