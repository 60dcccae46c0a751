"""Retrospectives: the range and its bounds, the figures gathered, the time
limit, the Reports page and the command. The PDF itself: test_reports_pdf.py."""

from __future__ import annotations

import os
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from experiments.cycles import IsoWeek
from tests.arabic_pages import english_leftovers
from tests.report_data import (
    ARABIC_CHANGE,
    MIXED_TITLE,
    SRM_INDEX,
    Quarter,
    ReadPdf,
    build_quarter,
    flat,
    has_words,
)
from tracker.models import ActionItem, Cycle, Experiment, Role, TeamSettings
from tracker.reports import render as render_module
from tracker.reports.gather import gather
from tracker.reports.payload import text_direction
from tracker.reports.ranges import RangeError, current_week, parse_range
from tracker.reports.render import RenderTimeout, render
from tracker.reports.service import WEB_MAX_WEEKS, read_range

Q3 = (IsoWeek(2026, 27), IsoWeek(2026, 39))  # 13 weeks, long past
TODAY = IsoWeek(2026, 48)


@pytest.fixture
def quarter(db: Session) -> Quarter:
    return build_quarter(db, first=Q3[0], last=Q3[1], experiments=9)


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


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_report_s_month_names_are_cldr_s_as_on_the_pages(language: str) -> None:
    """The report reads its month names straight from CLDR's file for speed; they must be
    the names Babel gives the pages."""
    from babel.core import Locale

    from tracker.reports.language import Wording

    day = Wording(language).day(datetime(2026, 9, 7).date())
    cldr = Locale.parse(language).months["format"]["abbreviated"][9]
    assert day.split("\u00a0")[1] == cldr


def test_gathering_runs_the_same_number_of_queries_whatever_the_size(
    app: Flask, count_queries: Any
) -> None:
    from tracker.database import get_engine

    counts = []
    for size in (6, 18):  # each with shipped winners, so the ledger reads their metrics
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
    assert counts[0] <= 17 + 7  # the report's own, then calibration's and the ledger's


def test_summary_figures_match_counts_made_from_the_database(
    app: Flask, db: Session, quarter: Quarter
) -> None:
    span = parse_range("2026-Q3", today=TODAY)
    summary = gather(db, span, team="Acme", draw_charts=False).summary
    experiments = db.exec(select(Experiment)).all()
    start, end = span.starts_on, span.ends_on
    decided = [e for e in experiments if e.decided_at and start <= e.decided_at.date() <= end]
    srm = quarter.experiments[SRM_INDEX]
    won = [e for e in decided if e.outcome == "won" and e.id != srm.id]  # SRM: never a win
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
    due = [a for a in actions if a.due_week <= "2026-W39"]
    on_time = [a for a in due if a.status == "done" and a.finished_week <= a.due_week]
    assert (summary.actions_due, summary.actions_on_time) == (len(due), len(on_time))


# --------------------------------------------------------------- bounds


def test_the_web_covers_at_most_27_cycles_the_command_more(db: Session) -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)  # 2026-W48
    assert len(read_range(db, "2026-W22..2026-W48", now=now).weeks) == WEB_MAX_WEEKS == 27
    with pytest.raises(RangeError) as raised:
        read_range(db, "2026-W21..2026-W48", now=now)
    assert "covers 28 cycles; a report covers at most 27 (half a year)" in str(raised.value)
    with pytest.raises(RangeError):
        read_range(db, "0001-W01..2026-W48", now=now)  # refused without listing the weeks
    assert len(read_range(db, "2025-W01..2026-W48", now=now, max_weeks=None).weeks) == 100


def test_a_render_past_its_time_limit_stops_and_leaves_no_process_behind(
    app: Flask, db: Session, quarter: Quarter
) -> None:
    def children() -> set[int]:
        mine = str(os.getpid())
        found = set()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[1] == mine:
                        found.add(int(pid))
            except OSError:
                continue
        return found

    before = children()
    span = parse_range("2026-Q3", today=TODAY)
    with app.app_context(), pytest.raises(RenderTimeout) as raised:
        render(session=db, report_range=span, time_limit=0.0)
    assert "longer than its limit of 0 s (stopped after the queries)" in str(raised.value)
    assert children() == before
    with app.app_context():
        render(session=db, report_range=span)  # within the limit: made in this process
    assert children() == before


# -------------------------------------------------------------------- web


def test_the_reports_page_offers_ranges_and_paper(client: FlaskClient, signed_in: Any) -> None:
    signed_in(Role.viewer)
    page = re.sub(r"<[^>]+>", "", client.get("/reports/").get_data(as_text=True))
    assert "Make a retrospective" in page
    assert "2026-W48, 2026-W40..2026-W52 or 2026-Q4" in page
    assert "Download PDF" in page and "Preview" in page
    assert "Last quarter" in page and "US Letter" in page


def test_the_preview_is_the_pdf_s_own_pages(
    app: Flask, db: Session, client: FlaskClient, signed_in: Any, quarter: Quarter, tmp_path: Path
) -> None:
    """The preview shows the PDF's document as SVG pages: as many pages, and no
    second HTML template of the report."""
    signed_in(Role.viewer)
    response = client.get("/reports/preview?range=2026-Q3&paper=letter")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    path = tmp_path / "retro.pdf"
    path.write_bytes(client.get("/reports/pdf?range=2026-Q3&paper=letter").data)
    pages = ReadPdf(path).page_count
    assert page.count('<section class="report-page"') == pages
    assert page.count("<svg") >= pages
    assert f"Preview of the PDF · 2026-Q3 · {pages} pages" in re.sub(r"<[^>]+>", "", page)
    assert "Download PDF" in page and "paper=letter" in page
    assert ARABIC_CHANGE not in page and MIXED_TITLE not in page  # glyphs, not HTML text
    # each glyph drawn is defined once in the page, however many pages use it
    defined = re.findall(r'<symbol id="([^"]+)"', page)
    used = set(re.findall(r'<use xlink:href="#([^"]+)"', page))
    assert len(defined) == len(set(defined)) and used <= set(defined) and len(used) > 100


def main_of(page: str) -> str:
    """The page's own content (the shared navigation is translated elsewhere),
    without the preview's typeset pages (glyphs, not text)."""
    main = page[page.index("<main") : page.index("</main>")]
    return '<html dir="rtl">' + re.sub(r"<svg.*?</svg>", "", main, flags=re.S) + "</html>"


def test_the_reports_page_and_the_pdf_speak_the_reader_s_language(
    db: Session, client: FlaskClient, signed_in: Any, quarter: Quarter, tmp_path: Path
) -> None:
    """A reader who reads Revloop in Arabic gets the page, the preview and the PDF
    in Arabic, whatever the team's language."""
    reader = signed_in(Role.viewer)
    reader.language = "ar"
    db.add(reader)
    db.commit()
    arabic = {"Accept-Language": "ar"}
    page = client.get("/reports/", headers=arabic).get_data(as_text=True)
    assert 'dir="rtl"' in page and "أنشئ تقريرًا استعاديًا" in page and "تنزيل PDF" in page
    assert not english_leftovers(main_of(page))
    wrong = client.get("/reports/?range=Q4+please", headers=arabic).get_data(as_text=True)
    assert "ليس أسبوعًا ولا فترة ولا ربع سنة" in wrong and not english_leftovers(main_of(wrong))
    preview = client.get("/reports/preview?range=2026-Q3", headers=arabic)
    assert preview.status_code == 200
    assert not english_leftovers(main_of(preview.get_data(as_text=True)))
    path = tmp_path / "retro-ar.pdf"
    path.write_bytes(client.get("/reports/pdf?range=2026-Q3", headers=arabic).data)
    cover = ReadPdf(path).pages()[0]
    assert has_words("التقرير الاستعادي", cover) and "Retrospective" not in cover


def test_download_sends_the_pdf_with_a_file_name(
    client: FlaskClient, signed_in: Any, quarter: Quarter
) -> None:
    signed_in(Role.viewer)
    response = client.get("/reports/pdf?range=2026-q3&paper=a4")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "revloop-retro-2026-Q3.pdf" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF")


@pytest.mark.parametrize("endpoint", ["/reports/pdf", "/reports/preview"])
def test_the_worker_forgets_the_layout_once_the_reader_has_the_report(
    client: FlaskClient,
    signed_in: Any,
    quarter: Quarter,
    monkeypatch: pytest.MonkeyPatch,
    endpoint: str,
) -> None:
    """Typst's caches of a report are aged out (a worker keeps the memory of one
    report), after the response is sent: the reader does not wait on it."""
    from tracker.reports import routes

    forgotten: list[str] = []
    monkeypatch.setattr(routes, "forget_layouts", lambda: forgotten.append("once"))
    signed_in(Role.viewer)
    response = client.get(f"{endpoint}?range=2026-q3")
    assert response.status_code == 200 and response.get_data()
    assert forgotten == []
    response.close()  # as the server does once the response is sent
    assert forgotten == ["once"]


@pytest.mark.parametrize("endpoint", ["/reports/pdf", "/reports/preview", "/reports/"])
def test_a_bad_range_is_explained_beside_the_field_and_kept(
    client: FlaskClient, signed_in: Any, endpoint: str
) -> None:
    signed_in(Role.viewer)
    response = client.get(f"{endpoint}?range=Q4+please&paper=letter")
    page = response.get_data(as_text=True)
    assert response.status_code == (200 if endpoint == "/reports/" else 422)
    assert 'value="Q4 please"' in page
    assert "write it like 2026-W48, 2026-W40..2026-W52 or 2026-Q4" in re.sub("<[^>]+>", "", page)
    assert 'class="error" id="range-error"' in page
    assert '<input checked id="paper-1" name="paper" type="radio" value="letter">' in page


@pytest.mark.parametrize("endpoint", ["/reports/pdf", "/reports/preview"])
def test_a_range_of_28_cycles_is_refused_beside_the_field(
    db: Session, client: FlaskClient, signed_in: Any, endpoint: str
) -> None:
    signed_in(Role.viewer)
    settings = db.get(TeamSettings, 1)
    week = current_week(settings.timezone if settings else "UTC")
    first = week
    for _ in range(27):
        first = first.previous()
    response = client.get(f"{endpoint}?range={first}..{week}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "covers 28 cycles; a report covers at most 27 (half a year)" in page
    assert 'class="error" id="range-error"' in page


def test_a_render_past_the_web_s_time_limit_says_so_beside_the_field(
    client: FlaskClient, signed_in: Any, quarter: Quarter, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(Role.viewer)
    monkeypatch.setattr(render_module, "WEB_TIME_LIMIT", 0.0)
    response = client.get("/reports/pdf?range=2026-Q3")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The report took longer than its limit of 0 s" in page
    assert 'value="2026-Q3"' in page


def test_an_unknown_paper_is_refused_not_a_500(client: FlaskClient, signed_in: Any) -> None:
    signed_in(Role.viewer)
    response = client.get("/reports/pdf?range=2026-W30&paper=a0")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="paper-error"' in page and 'value="2026-W30"' in page


def test_a_future_range_is_clipped_in_the_report_too(
    db: Session, client: FlaskClient, signed_in: Any, tmp_path: Path
) -> None:
    signed_in(Role.viewer)
    settings = db.get(TeamSettings, 1)
    assert settings is not None
    this_week = current_week(settings.timezone)
    response = client.get(f"/reports/pdf?range={this_week}..9999-W01")
    assert response.status_code == 200
    path = tmp_path / "retro.pdf"
    path.write_bytes(response.data)
    assert f"it stops at the current week, {this_week}" in flat(ReadPdf(path).pages()[0])


# -------------------------------------------------------------------- CLI


def test_the_command_writes_the_pdf_and_reports_progress(
    runner: Any, quarter: Quarter, tmp_path: Path
) -> None:
    target = tmp_path / "retro.pdf"
    result = runner.invoke(args=["retro", "2026-Q3", "-o", str(target), "--paper", "letter"])
    assert result.exit_code == 0, result.output
    pdf = ReadPdf(target)
    pages = pdf.page_count
    assert pdf.info["Page size"].startswith("612 x 792")
    assert "Loading 13 cycles (2026-W27 to 2026-W39)…" in result.stderr
    assert "Found 9 experiments, 26 action items, 4 learnings." in result.stderr
    assert "Typesetting…" in result.stderr
    assert re.search(rf"Wrote .*retro.pdf \({pages} pages, [\d,]+ KB\)", result.stderr)
    assert result.stdout == ""


@pytest.mark.parametrize(
    "team",
    [
        {"TRACKER_TEAM_NAME": "Acme Revenue"},
        {"TRACKER_LANGUAGE": "ar", "TRACKER_DIGITS": "arab"},
    ],
    ids=["english", "arabic-digits"],
)
def test_the_command_in_its_own_process_makes_the_app_s_report_without_flask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, team: dict[str, str]
) -> None:
    """``tracker retro`` run as a program reads the configuration, the database and
    the catalogue without Flask (a fifth of its time), and writes the very report
    the app writes: the same words, language, digits and team name."""
    import subprocess
    import sys

    from tests.conftest import reset_schema
    from tracker import create_app
    from tracker.cli import cli
    from tracker.database import build_engine, get_engine

    url = f"sqlite:///{tmp_path / 'retro.sqlite'}"  # a file the command's process opens
    engine = build_engine(url)
    reset_schema(engine)
    with Session(engine) as session:
        build_quarter(session, first=Q3[0], last=Q3[1], experiments=3)
    engine.dispose()
    env = {
        "TRACKER_DATABASE_URL": url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_SECRET_KEY": "a secret for this test only",
        **team,
    }
    own = tmp_path / "own.pdf"
    code = (
        "import sys\n"
        "from tracker.cli import main\n"
        "try:\n    main()\n"
        "finally:\n"
        "    print('LOADED', sorted(m for m in ('flask', 'flask_babel', 'flask_login',"
        " 'werkzeug', 'jinja2') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "retro", "2026-Q3", "-o", str(own)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    in_app = tmp_path / "in-app.pdf"
    app = create_app()
    result = app.test_cli_runner().invoke(cli, ["retro", "2026-Q3", "-o", str(in_app)])
    assert result.exit_code == 0, result.output
    get_engine(app).dispose()
    assert done.stderr.splitlines()[:-1] == result.stderr.splitlines()[:-1]  # all but the time
    assert ReadPdf(own).pages() == ReadPdf(in_app).pages()
    cover = ReadPdf(own).pages()[1]
    if "TRACKER_TEAM_NAME" in team:
        assert "Acme Revenue" in cover
    else:
        # the team's default name and the title, in Arabic (the PDF's text is read
        # back word by word, and with the lam-alef ligature split)
        assert "عمليات" in cover and "التقرير" in cover and "Revenue" not in cover


def test_the_command_may_cover_more_than_27_cycles(
    runner: Any, quarter: Quarter, tmp_path: Path
) -> None:
    target = tmp_path / "retro.pdf"
    result = runner.invoke(args=["retro", "2026-W01..2026-W39", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Loading 39 cycles" in result.stderr
    assert "39 weeks" in flat(ReadPdf(target).pages()[0])


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
    assert "No experiments ran" in flat(ReadPdf(target).pages()[1])
