"""The loop's pages in Arabic (issue 16): an Arabic-speaking team walks the
dashboard in each view, the meeting, the cycles, its actions, the experiment
board and every kind of experiment page, and the insights, on the demo
quarter, and finds no interface text left in English; the same pages still
speak English to an English reader. The hypothesis sentence keeps its own
language and direction in either interface."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from tests.arabic_pages import english_leftovers
from tracker.database import get_engine
from tracker.models import Cycle, Experiment, ExperimentStatus, Hypothesis, User

DEMO_EMAIL = "demo@revloop.local"
DEMO_PASSWORD = "demo password 9"
VIEWS = ("my_week", "area", "executive")


@pytest.fixture
def demo_client(app: Flask, client: FlaskClient) -> Iterator[FlaskClient]:
    from tracker.demo import load_demo

    load_demo(get_engine(app), admin_email=DEMO_EMAIL, admin_password=DEMO_PASSWORD)
    answer = client.post("/sign-in", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    yield client


def loop_pages(db: Session) -> dict[str, str]:
    """Every page of the loop, by name: one experiment page of each kind."""

    def experiment(status: ExperimentStatus) -> int:
        found = db.exec(
            select(Experiment.id)
            .where(Experiment.status == status, col(Experiment.deleted_at).is_(None))
            .order_by(col(Experiment.id))
        ).first()
        assert found is not None, status
        return found

    closed = db.exec(
        select(Cycle.iso_week).where(Cycle.phase == "closed").order_by(col(Cycle.starts_on).desc())
    ).first()
    hypothesis = db.exec(select(Hypothesis.id).order_by(col(Hypothesis.id))).first()
    draft = experiment(ExperimentStatus.draft)
    return {
        "this week (the meeting)": "/week",
        "cycles": "/cycles",
        "a closed cycle": f"/cycles/{closed}",
        "my actions": "/actions/mine",
        "all my actions": "/actions/mine?show=all",
        "experiment board": "/experiments/",
        "decided experiments": "/experiments/?status=decided",
        "a new design": f"/experiments/new?hypothesis_id={hypothesis}",
        "a draft design": f"/experiments/{draft}/edit",
        "a draft experiment": f"/experiments/{draft}",
        "a running experiment": f"/experiments/{experiment(ExperimentStatus.running)}",
        "a stopped experiment": f"/experiments/{experiment(ExperimentStatus.stopped)}",
        "a decided experiment": f"/experiments/{experiment(ExperimentStatus.decided)}",
        "insights": "/insights/",
    }


def leftovers(html: str) -> list[str]:
    """English left on an Arabic page. An element marked ``dir="rtl"`` reads in the
    interface's own direction (a phrase of figures and words held against a
    left-to-right rule), so unlike ``dir="auto"`` or ``dir="ltr"`` it does not
    mark user-written text or a figure: its words are checked too."""
    return english_leftovers(html.replace(' dir="rtl"', ""))


def walk(client: FlaskClient, db: Session) -> Iterator[tuple[str, str]]:
    """(name, html) of each dashboard view and each loop page."""
    for view in VIEWS:
        client.post("/dashboard/view", data={"view": view})
        answer = client.get("/")
        assert answer.status_code == 200, view
        yield f"dashboard, {view}", answer.get_data(as_text=True)
    for name, path in loop_pages(db).items():
        answer = client.get(path)
        assert answer.status_code == 200, (name, path, answer.status_code)
        yield name, answer.get_data(as_text=True)


def test_every_loop_page_speaks_arabic_to_an_arabic_team(
    app: Flask, demo_client: FlaskClient, db: Session
) -> None:
    app.config["LANGUAGE"] = "ar"
    left: dict[str, list[str]] = {}
    for name, html in walk(demo_client, db):
        assert '<html lang="ar" dir="rtl">' in html, name
        if found := leftovers(html):
            left[name] = found
    assert left == {}


def test_the_loop_pages_still_speak_english_to_an_english_reader(
    app: Flask, demo_client: FlaskClient, db: Session
) -> None:
    app.config["LANGUAGE"] = "en"
    pages = dict(walk(demo_client, db))
    for name, html in pages.items():
        assert '<html lang="en" dir="ltr">' in html, name
    assert "Calibration" in pages["insights"] and "Impact ledger" in pages["insights"]
    assert "Save the meeting" in pages["this week (the meeting)"]
    assert "Record the decision" in pages["a stopped experiment"]


def test_a_person_who_chose_arabic_reads_the_loop_in_arabic(
    app: Flask, demo_client: FlaskClient, db: Session
) -> None:
    """The team's language is English; the person chose Arabic on their account page."""
    app.config["LANGUAGE"] = "en"
    admin = db.exec(select(User).where(User.email == DEMO_EMAIL)).one()
    admin.language = "ar"
    db.add(admin)
    db.commit()
    html = demo_client.get("/insights/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and "سجل الأثر" in html
    assert leftovers(html) == []


ARABIC_CHANGE = "إذا أضفنا دراسة حالة من عميل في القطاع نفسه إلى رسالة المتابعة الثانية"
ARABIC_BECAUSE = "لأن العملاء المحتملين يثقون بتجارب نظرائهم أكثر من وعودنا"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_arabic_hypothesis_is_one_arabic_sentence_in_either_interface(
    app: Flask, demo_client: FlaskClient, db: Session, language: str
) -> None:
    app.config["LANGUAGE"] = language
    hypothesis = db.exec(select(Hypothesis).where(Hypothesis.change == ARABIC_CHANGE)).one()
    html = demo_client.get(f"/backlog/{hypothesis.id}").get_data(as_text=True)
    sentence = html[html.index('<span class="statement-text') :]
    sentence = sentence[: sentence.index("</span>")]
    assert 'lang="ar" dir="rtl"' in sentence
    # "إذا" comes first, "لأن" last, each said once, and the user's words kept
    assert sentence.index("إذا") < sentence.index("فإن") < sentence.index("لأن")
    assert sentence.count("إذا") == 1 and sentence.count("لأن") == 1
    assert ARABIC_CHANGE.removeprefix("إذا ") in sentence
    assert ARABIC_BECAUSE.removeprefix("لأن ") in sentence
    words = re.sub(r"<[^>]+>", "", sentence)
    assert "If we" not in words and "because" not in words


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_english_hypothesis_is_one_english_sentence_in_either_interface(
    app: Flask, demo_client: FlaskClient, db: Session, language: str
) -> None:
    app.config["LANGUAGE"] = language
    hypothesis = (
        db.exec(select(Hypothesis).where(col(Hypothesis.change).startswith("add")).limit(1)).first()
        or db.exec(select(Hypothesis).where(Hypothesis.change != ARABIC_CHANGE)).first()
    )
    assert hypothesis is not None
    html = demo_client.get(f"/backlog/{hypothesis.id}").get_data(as_text=True)
    sentence = html[html.index('<span class="statement-text') :]
    sentence = sentence[: sentence.index("</span>")]
    assert 'lang="en" dir="ltr"' in sentence
    assert sentence.index("If we") < sentence.index("then") < sentence.index("because")
    assert "إذا" not in re.sub(r"<[^>]+>", "", sentence)


def test_every_verdict_word_is_in_the_catalogue() -> None:
    from babel.messages.pofile import read_po

    from tracker.experiments.verdicts import WORDS

    po = Path(__file__).resolve().parents[1] / "tracker/translations/ar/LC_MESSAGES/messages.po"
    with po.open("rb") as catalogue:
        arabic = {m.id: m.string for m in read_po(catalogue) if m.id}
    assert all(arabic.get(word) for word in WORDS.values())
