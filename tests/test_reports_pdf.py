"""The retrospective PDF, read back with poppler: its pages, header and footer,
contents, links and bookmarks, right-to-left text, what it says about guardrails
and untrustworthy results, and text a person typed printed as text, never
obeyed as markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from experiments.cycles import IsoWeek
from tests.report_data import (
    ARABIC_CHANGE,
    ARABIC_LEARNING,
    ARABIC_RATIONALE,
    ISOLATES,
    MIXED_TITLE,
    SRM_INDEX,
    Quarter,
    ReadPdf,
    arabic,
    build_quarter,
    flat,
    has_words,
    lines,
)
from tracker.models import (
    ActionItem,
    Area,
    Arm,
    Experiment,
    Hypothesis,
    Learning,
    Metric,
    Stage,
    User,
)
from tracker.reports.ranges import parse_range
from tracker.reports.records import Retro
from tracker.reports.render import render

Q3 = (IsoWeek(2026, 27), IsoWeek(2026, 39))  # 13 weeks, long past
TODAY = IsoWeek(2026, 48)
CHAPTERS = [
    "Summary",
    "All decided experiments",
    "Experiments",
    "Metrics by buyer-journey stage",
    "Action plan",
    "Learnings",
    "Forecasts and impact",
    "Next",
]


@pytest.fixture
def quarter(db: Session) -> Quarter:
    return build_quarter(db, first=Q3[0], last=Q3[1], experiments=9)


def pdf_for(
    app: Flask,
    db: Session,
    text: str,
    tmp_path: Path,
    *,
    paper: str = "a4",
    language: str = "en",
    team: str = "Acme Revenue",
) -> tuple[ReadPdf, Retro]:
    span = parse_range(text, today=TODAY)
    with app.app_context():
        made = render(session=db, report_range=span, paper=paper, language=language, team=team)
    path = tmp_path / f"retro-{language}-{paper}.pdf"
    path.write_bytes(made.pdf)
    assert made.pdf.startswith(b"%PDF")
    return ReadPdf(path), made.retro


def test_the_quarter_pdf_holds_every_experiment_the_arabic_text_and_the_figures(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, retro = pdf_for(app, db, "2026-Q3", tmp_path)
    pages = pdf.pages()
    assert pdf.page_count == len(pages)
    experiments = len(quarter.experiments)
    # cover, summary, chart, a page or so per two experiments, metrics, plan, learnings, next
    assert experiments // 2 + 6 <= pdf.page_count <= 2 * experiments + 12
    text = flat("\n".join(pages))
    for experiment in quarter.experiments:
        assert has_words(experiment.title, text), experiment.title
    for typed in (ARABIC_CHANGE, ARABIC_RATIONALE, ARABIC_LEARNING):
        assert has_words(typed, text), typed  # shaped from the letters typed
    s = retro.summary
    summary = flat(pages[1])
    assert f"{s.cycles} cycles covered" in summary and s.cycles == 13
    assert f"{s.started} experiments started" in summary
    assert f"{s.won} won" in summary and f"{s.lost} lost" in summary
    assert f"{s.win_rate} win rate" in summary
    assert f"Created in the range {s.actions_created}" in summary
    assert f"Stuck (carried three times or more) {s.actions_stuck}" in summary


def test_every_page_has_the_running_header_and_page_n_of_m(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path)
    pages = pdf.pages()
    total = pdf.page_count
    for number, page in enumerate(pages, start=1):
        assert "Acme Revenue" in page and "Retrospective 2026-Q3" in page, number
        assert f"Page {number} of {total}" in page, number


def test_the_cover_is_an_executive_summary(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, retro = pdf_for(app, db, "2026-Q3", tmp_path)
    cover = flat(pdf.pages()[0])
    s = retro.summary
    assert "29 Jun – 27 Sep 2026 · 2026-W27 to 2026-W39 · 13 weeks" in cover
    assert "Marketing (4 cycles) · Sales (5 cycles) · Service (4 cycles)" in cover
    assert f"{s.decided} experiments decided" in cover
    assert f"{s.win_rate} win rate" in cover
    assert f"{s.median_days} median days to decision" in cover
    assert (
        f"{s.on_time_rate} action items done on time ({s.actions_on_time} / {s.actions_due})"
        in cover
    )
    assert len(retro.findings) == 3
    for sentence in retro.findings:
        assert flat(sentence.split("\u2068")[0]) in cover
    assert retro.findings[2].startswith("Next, cycle 2026-W40 focuses on")


def test_the_contents_links_and_bookmarks_lead_to_where_they_say(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, retro = pdf_for(app, db, "2026-Q3", tmp_path)
    pages = [flat(page) for page in pdf.pages()]
    cover = ISOLATES.sub("", pdf.pages(layout=True)[0])
    contents = dict(re.findall(r"^\s*(\S.*?\S)[ .]{4,}(\d+)\s*$", cover, re.M))
    assert list(contents) == CHAPTERS
    for number, (title, page) in enumerate(contents.items(), start=1):
        # the page opens, under the running header, with the chapter's eyebrow and title
        assert re.search(rf"{number} · [A-Z ]+ {re.escape(title)}", pages[int(page) - 1]), title
    links = pdf.links()
    cover_links = [
        (re.sub(r"[ .]{4,}\d+$", "", text), target) for page, text, target in links if page == 1
    ]
    assert [text for text, _ in cover_links] == CHAPTERS
    assert [target for _, target in cover_links] == [int(n) for n in contents.values()]
    # the decided experiments' table links each title (a title on two lines is two
    # links) to the page where its section starts
    titled = [(text, target) for page, text, target in links if page > 1]
    checked = 0
    for text, target in titled:
        if not re.search("[A-Za-z]{3}", text):
            continue  # an Arabic part of a mixed title
        section = next(e for e in retro.decided if text in flat(e.title))
        assert " ".join(flat(section.title).split()[:2]) in pages[target - 1], text
        checked += 1
    assert checked >= len(retro.decided)
    bookmarks = pdf.bookmarks()
    top = [(title, page) for depth, title, page in bookmarks if depth == 0]
    assert [title for title, _ in top] == CHAPTERS
    assert [page for _, page in top] == [int(n) for n in contents.values()]
    nested = [(title, page) for depth, title, page in bookmarks if depth == 1]
    assert len(nested) == len(retro.experiments)
    for (title, page), section in zip(nested, retro.experiments, strict=True):
        assert flat(section.title) in title
        assert " ".join(flat(section.title).split()[:2]) in pages[page - 1]


def _statement_lines(pdf: ReadPdf) -> list[list[tuple[float, str]]]:
    """The lines of the Arabic hypothesis's first showing: from the line of its
    first word, three lines, each as (x, word) with each word spelled as typed
    (poppler gives an Arabic word's glyphs left to right, so backwards)."""
    first = arabic(ARABIC_CHANGE.split()[0])
    found = lines(pdf.words())
    start = next(
        i for i, line in enumerate(found) if any(arabic(w[::-1]) == first for _x, w in line)
    )
    return [
        [(x, w[::-1] if re.search("[\u0600-\u06ff]", w) else w) for x, w in line]
        for line in found[start : start + 3]
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_arabic_hypothesis_reads_right_to_left_in_order(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path, language: str
) -> None:
    """poppler's word boxes give where each word sits: read from the right, line
    by line, the words of the change come in the order they were typed, with
    "إذا" (if) before them and "فإن" (then) and "لأن" (because) after, in an
    English report as in an Arabic one."""
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path, language=language)
    read = [
        arabic(w.strip("،."))
        for line in _statement_lines(pdf)
        for _x, w in sorted(line, reverse=True)
    ]
    typed = [arabic(w) for w in ARABIC_CHANGE.split()]
    at = [read.index(word) for word in typed]
    assert at == sorted(at)  # in the order typed
    if_, then, because = (read.index(arabic(word)) for word in ("إذا", "فإن", "لأن"))
    assert if_ < at[0] and at[-1] < then < because
    assert because < read.index(arabic(ARABIC_RATIONALE.split()[0]))
    if language == "ar":
        assert "صفحة 1 من" in arabic(pdf.pages()[0])
        assert has_words("1 · نظرة عامة الملخص", pdf.pages()[1])


def test_guardrails_and_their_verdicts_are_shown(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, retro = pdf_for(app, db, "2026-Q3", tmp_path)
    guarded = [s for s in retro.experiments if s.guardrails]
    assert guarded
    verdicts = {g.verdict for s in guarded for g in s.guardrails}
    assert "worse" in verdicts and "held" in verdicts
    text = flat("\n".join(pdf.pages()))
    assert text.count("Guardrail Verdict Lift over control") == len(guarded)
    hurt = next(s for s in guarded if s.guardrails[0].verdict == "worse")
    assert f"{hurt.guardrails[0].metric} higher is better worse" in text


def test_a_sample_ratio_mismatch_is_flagged_and_not_counted_as_a_win(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, retro = pdf_for(app, db, "2026-Q3", tmp_path)
    srm_title = quarter.experiments[SRM_INDEX].title
    section = next(s for s in retro.experiments if s.title == srm_title)
    assert section.outcome == "won" and not section.trustworthy
    s = retro.summary
    recorded_wins = sum(1 for e in retro.decided if e.outcome == "won")
    assert s.won == recorded_wins - 1 and s.untrustworthy == 1
    assert s.win_rate == f"{s.won / s.decided:.0%}"
    text = flat("\n".join(pdf.pages()))
    assert "Not trustworthy. The arms' sample sizes do not match their planned shares" in text
    assert "SRM: not trustworthy" in text  # in the forest plot, beside its row


def test_no_iso_week_breaks_across_lines(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path, paper="letter")
    words = [w for _p, _x, _y, w in pdf.words()]
    assert sum(1 for w in words if re.search(r"\d{4}-W\d{2}", w)) > 50
    assert not [w for w in words if re.fullmatch(r"\(?\d{4}-", w)]
    assert not [w for w in words if re.fullmatch(r"W\d{2}\)?[.,]?", w)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_words_are_printed_over_each_other(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path, language: str
) -> None:
    """The Arabic column headers are long: in a table of auto widths they squeezed
    the arm's column to nothing, and "Control" was printed over the sample size."""
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path, language=language)
    assert len(pdf.boxes()) > 2000
    assert pdf.overlapping_words() == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_long_names_stay_in_their_columns(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path, language: str
) -> None:
    """Metric names and units, arm names and titles near their longest: they wrap
    in their own column, never over another word or past the page's margins."""
    for metric in db.exec(select(Metric)).all():
        metric.name = f"{metric.name} among enterprise opportunities, weighted by deal size"
        if metric.kind == "rate":
            metric.unit = "per 1,000 qualified opportunities"
    for arm in db.exec(select(Arm).where(Arm.is_control == False)).all():  # noqa: E712
        arm.name = f"{arm.name}: nurture with a personalised video"
    for experiment in db.exec(select(Experiment)).all():
        experiment.title += ", in a second clause as long as the team's titles get"
    db.commit()
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path, language=language)
    assert pdf.overlapping_words() == []
    width = float(pdf.info["Page size"].split()[0])
    margin = 18 * 72 / 25.4 - 2  # the template's 18 mm, less 2 pt of glyph overhang
    outside = [
        w for _p, left, _t, right, _b, w in pdf.boxes() if left < margin or right > width - margin
    ]
    assert outside == []


def test_an_interval_is_in_parentheses_once(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    """The Arabic interval is "a … b" in the template's parentheses, not "([a … b])"."""
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path, language="ar")
    text = "\n".join(pdf.pages())
    assert re.search(r"\(\+\d+\.\d% … \+\d+\.\d%\)", text)
    assert "([" not in text and "])" not in text


def test_only_the_shipped_fonts_are_used(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path)
    assert pdf.fonts() <= {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSans-Italic",
        "NotoSansArabic-Regular",
        "NotoSansArabic-Bold",
        "DejaVuSans",
    }


def test_letter_paper_is_letter_sized(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, _ = pdf_for(app, db, "2026-W30", tmp_path, paper="letter")
    assert pdf.info["Page size"].startswith("612 x 792 pts")
    pdf, _ = pdf_for(app, db, "2026-W30", tmp_path)
    assert pdf.info["Page size"].startswith("595.276 x 841.89 pts")


def test_a_range_without_data_gives_a_short_report_that_says_so(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    pdf, retro = pdf_for(app, db, "2026-W10", tmp_path)
    assert retro.empty
    assert pdf.page_count <= 3
    text = flat("\n".join(pdf.pages()))
    assert "No experiments ran in 2026-W10." in text
    assert "No experiment was decided in 2026-W10; 0 experiments still running." in text
    assert "All decided experiments" not in text


def test_a_range_whose_cycles_have_no_decisions(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, retro = pdf_for(app, db, "2026-W27..2026-W28", tmp_path)
    assert retro.experiments and not retro.decided
    text = flat("\n".join(pdf.pages()))
    assert "No experiment was decided in 2026-W27..2026-W28" in text
    assert "All decided experiments" not in text
    assert "0 decided and 2 still open at the end of the range" in text
    assert [title for depth, title, _ in pdf.bookmarks() if depth == 0][:2] == [
        "Summary",
        "Experiments",
    ]


MARKUP = '#set page(width: 1cm) ] #import "x" \\ $x$ @ref <label> *b* _i_ = h // c'


def test_text_a_person_typed_is_printed_never_obeyed(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    """Typst markup in every text field: the PDF is laid out as usual (A4, same
    page count) and shows each text as typed."""
    before, _ = pdf_for(app, db, "2026-Q3", tmp_path)
    pages_before = before.page_count
    for model, fields in (
        (Experiment, ("title", "rationale", "early_decision_reason")),
        (Hypothesis, ("title", "change", "rationale")),
        (Learning, ("text", "tags")),
        (ActionItem, ("title",)),
        (User, ("display_name",)),
        (Area, ("name",)),
        (Metric, ("name", "unit")),
        (Stage, ("name",)),
        (Arm, ("name",)),
    ):
        for index, row in enumerate(db.exec(select(model)).all()):
            for name in fields:
                # names must stay unique: the index keeps them apart
                length = model.__table__.c[name].type.length or 10**6  # type: ignore[attr-defined]
                setattr(row, name, f"{index} {MARKUP}"[:length])
    db.commit()
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path, team=MARKUP)
    assert pdf.info["Page size"].startswith("595.276 x 841.89 pts")
    assert pdf.page_count < 3 * pages_before  # longer texts, not a page per letter
    text = flat("\n".join(pdf.pages()))
    assert text.count(flat(MARKUP)) >= 40
    for page in pdf.pages():
        assert flat(MARKUP) in flat(page)  # the team's name in the running header


def test_the_mixed_title_and_the_arabic_learning_keep_their_words(
    app: Flask, db: Session, quarter: Quarter, tmp_path: Path
) -> None:
    pdf, _ = pdf_for(app, db, "2026-Q3", tmp_path)
    text = flat("\n".join(pdf.pages()))
    assert "Arabic onboarding e-mail" in text and "for MENA leads" in text
    assert MIXED_TITLE.split("(")[0].strip() in text
    assert has_words(ARABIC_LEARNING, text)
