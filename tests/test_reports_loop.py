"""The retrospective's "the loop learns" chapter (forecast calibration and the
impact ledger) reads the same figures as the Insights page and its API, and an
Arabic retrospective is written in Arabic throughout."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from experiments.cycles import IsoWeek
from tests.report_data import ReadPdf, build_quarter, flat, has_words
from tests.test_api_support import Api
from tracker.metrics.format import whole_percent
from tracker.models import Role, User
from tracker.reports.caveats import SENTENCES
from tracker.reports.ranges import parse_range
from tracker.reports.records import Retro
from tracker.reports.render import render
from tracker.reports.words import EN

Q3 = (IsoWeek(2026, 27), IsoWeek(2026, 39))
TODAY = IsoWeek(2026, 48)


@pytest.fixture
def api(client: FlaskClient, db: Session, accounts: Any) -> Api:
    return Api(client=client, db=db, accounts=accounts)


def retro_pdf(app: Flask, db: Session, tmp_path: Path, language: str) -> tuple[ReadPdf, Retro]:
    with app.app_context():
        made = render(
            session=db, report_range=parse_range("2026-Q3", today=TODAY), language=language
        )
    path = tmp_path / f"retro-{language}.pdf"
    path.write_bytes(made.pdf)
    return ReadPdf(path), made.retro


def money(value: float) -> str:
    return f"{'−' if value < 0 else ''}{abs(value):,.0f}"


def test_calibration_and_ledger_read_the_same_on_the_page_in_the_api_and_in_the_pdf(
    app: Flask,
    db: Session,
    client: FlaskClient,
    api: Api,
    signed_in: Callable[[Role], User],
    tmp_path: Path,
) -> None:
    build_quarter(db, first=Q3[0], last=Q3[1], experiments=9)
    calibration = api.ok("GET", "/insights/calibration?from=2026-W27&to=2026-W39", role=Role.viewer)
    impact = api.ok("GET", "/insights/impact", role=Role.viewer)
    team = calibration["team"]
    assert team["n"] == 6 and impact["items"] and impact["total"]  # something to compare
    figures = {
        "Brier": f"{team['brier']:.3f}",
        "reference Brier": f"{team['reference_brier']:.3f}",
        "skill": f"{team['skill']:+.2f}",
        "total a year": money(impact["total"]),
        "total, low": money(impact["total_ci"][0]),
        "total, high": money(impact["total_ci"][1]),
    }
    for scorer in calibration["scorers"]:
        figures[scorer["email"]] = f"{scorer['brier']:.3f}"
    for number, item in enumerate(impact["items"]):
        figures[f"shrunk lift {number}"] = f"{item['shrunk_lift'] * 100:+.1f}%"
        figures[f"annual value {number}"] = money(item["annual_value"])
    for number, found in enumerate(team["bins"]):
        if found["n"]:
            figures[f"bin {number}"] = f"{found['won']} {whole_percent(found['won'] / found['n'])}"

    signed_in(Role.viewer)
    page = client.get("/insights/?from=2026-W27&to=2026-W39").get_data(as_text=True)
    page_text = flat(re.sub(r"<[^>]+>", " ", page))
    pdf, retro = retro_pdf(app, db, tmp_path, "en")
    pdf_text = flat(" ".join(pdf.pages()))
    for name, figure in figures.items():
        assert figure in page_text, (name, figure, "page")
        assert figure in pdf_text, (name, figure, "PDF")
    # one rounding everywhere: the win rate of the summary is whole_percent's
    s = retro.summary
    assert s.win_rate == whole_percent(s.won / s.decided)


def test_the_chapter_lists_the_shipped_winners_and_the_forecast_bins(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    quarter = build_quarter(db, first=Q3[0], last=Q3[1], experiments=9)
    pdf, retro = retro_pdf(app, db, tmp_path, "en")
    text = flat(" ".join(pdf.pages()))
    assert "7 · THE LOOP LEARNS Forecasts and impact How good are our forecasts?" in text
    assert "Forecast Decided Won Share won (95% CI) 0%–20%" in text
    shipped = [e for e in quarter.experiments if e.action and e.action.value == "ship"]
    assert shipped and len(retro.loop["ledger"]["lines"]) == len(shipped) - 1  # one SRM
    assert "1 shipped winner left out: a sample-ratio mismatch" in text
    assert "Your expected lifts run" in text


ENGLISH_LEFT = re.compile(r"[A-Za-z]{3,}")


def test_an_arabic_retrospective_has_arabic_headings_and_no_english_fixed_text(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    build_quarter(db, first=Q3[0], last=Q3[1], experiments=9)
    pdf, retro = retro_pdf(app, db, tmp_path, "ar")
    pages = pdf.pages()
    text = " ".join(pages)
    # poppler gives a run of Arabic words in visual order: the words are compared
    for heading in ("الملخص", "كل التجارب المحسومة", "التجارب", "خطة العمل", "التالي"):
        assert has_words(heading, text), heading
    assert has_words("التقرير الاستعادي", pages[0])
    assert has_words("مستوى الدلالة (ألفا)", text) and has_words("سجل الأثر", text)
    # no fixed English left: every English word on the pages is a text a person typed
    # (titles, names, metrics, areas, the team), or a name: SRM, Brier, Wilson, Holm...
    typed = flat(
        " ".join(
            [retro.team]
            + [e.title for e in retro.experiments]
            + [e.metric for e in retro.experiments]
            + [e.owner for e in retro.experiments]
            + [g.metric for e in retro.experiments for g in e.guardrails]
            + [r.arm for e in retro.experiments for r in e.results]
            + [e.rationale for e in retro.experiments]
            + [a.title + " " + a.owner for a in retro.actions]
            + [
                m.name + " " + m.area + " " + m.last + " " + m.first
                for g in retro.stages
                for m in g.metrics
            ]
            + [g.name for g in retro.stages]
            + [w.focus for w in retro.weeks]
            + [line.text for line in retro.learnings]
            + [t for line in retro.learnings for t in line.tags]
            + [h["title"] for h in retro.next.hypotheses]
            + [" ".join(text for text, _typed in h["parts"]) for h in retro.next.hypotheses]
            + [" ".join(text for text, _typed in e.hypothesis) for e in retro.experiments]
            + [s["email"] for s in retro.loop["calibration"]["scorers"]]
        )
    )
    allowed = set(ENGLISH_LEFT.findall(typed)) | {
        "SRM",
        "Brier",
        "Revloop",
        "ICE",
        "USD",
        "Wilson",
        "Holm",
    }
    left = set(ENGLISH_LEFT.findall(flat(" ".join(pages)))) - allowed
    assert not left, sorted(left)
    # and the English of the fixed words is not there
    for english in [*EN.values(), *SENTENCES.values()]:
        if len(english.split()) >= 3:
            assert english not in flat(" ".join(pages)), english
