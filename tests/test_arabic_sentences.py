"""Sentences the core writes, read in Arabic (issue 16): each variant's comparison
under the analysis table is the core's phrase written in the reader's language,
with its figures as left-to-right runs and the arms' names in their own direction."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from experiments.stats import Mean, Proportion, Rate, compare
from tests.arabic_pages import english_leftovers, visible_text
from tracker.database import get_engine
from tracker.models import Experiment, ExperimentStatus

DEMO_EMAIL = "demo@revloop.local"
DEMO_PASSWORD = "demo password 9"
SENTENCE = re.compile(r'<p class="x-sentence">(.*?)</p>', re.S)


@pytest.fixture
def demo_client(app: Flask, client: FlaskClient) -> Iterator[FlaskClient]:
    from tracker.demo import load_demo

    load_demo(get_engine(app), admin_email=DEMO_EMAIL, admin_password=DEMO_PASSWORD)
    answer = client.post("/sign-in", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    yield client


def _analysed(db: Session) -> list[int]:
    return list(
        db.exec(
            select(Experiment.id)
            .where(
                col(Experiment.latest_result_set_id).is_not(None),
                Experiment.status != ExperimentStatus.draft,
            )
            .order_by(col(Experiment.id))
        ).all()
    )


def test_the_analysis_sentences_are_written_in_arabic(
    app: Flask, demo_client: FlaskClient, db: Session
) -> None:
    app.config["LANGUAGE"] = "ar"
    sentences = []
    for experiment_id in _analysed(db):
        page = demo_client.get(f"/experiments/{experiment_id}").get_data(as_text=True)
        sentences += SENTENCE.findall(page)
    assert sentences, "the demo has analysed experiments"
    for sentence in sentences:
        assert english_leftovers(f'<html dir="rtl"><p>{sentence}</p></html>') == [], sentence
        assert "فترة ثقة" in sentence and "القيمة الاحتمالية" in sentence, sentence
        # the interval's bounds are runs of their own, and no name is left bare
        assert re.search(r'من <span dir="ltr">[+−]', sentence), sentence
    assert any("<bdi>" in sentence for sentence in sentences)


def test_the_analysis_sentences_still_read_in_english(
    app: Flask, demo_client: FlaskClient, db: Session
) -> None:
    app.config["LANGUAGE"] = "en"
    page = demo_client.get(f"/experiments/{_analysed(db)[0]}").get_data(as_text=True)
    sentences = [visible_text(s) for s in SENTENCE.findall(page)]
    assert sentences and all(
        " CI " in s and re.search(r"; (adjusted )?p [=<]", s) for s in sentences
    )


def test_the_core_phrase_is_its_english_summary_and_translates_whole() -> None:
    arabic = {
        "%(variant)s rate is %(size)s lower than %(control)s": "معدّل %(variant)s أدنى من معدّل"
        " %(control)s بمقدار %(size)s",
        "%(name)s'": "%(name)s",
        "%(name)s's": "%(name)s",
    }
    result = compare(Rate(40, 100.0), Rate(30, 100.0))
    phrase = result.summary_phrase("Callbacks", "Control")
    assert phrase.text() == result.summary("Callbacks", "Control")
    assert phrase.text().startswith("Callbacks' rate is 25.0% lower than Control's")
    assert phrase.text(arabic.get).startswith("معدّل Callbacks أدنى من معدّل Control بمقدار 25.0%")
    for figures in (
        (Proportion(100, 1000), Proportion(130, 1000)),
        (Mean(40, 10, 3), Mean(40, 11, 3)),
    ):
        compared = compare(*figures)
        assert compared.summary_phrase(preliminary=True).text() == compared.summary(
            preliminary=True
        )
        assert type(compared.summary_phrase()).from_dict(compared.summary_phrase().as_dict()) == (
            compared.summary_phrase()
        )


def test_an_analysis_with_nothing_to_compare_says_why_in_arabic(
    app: Flask, demo_client: FlaskClient, db: Session
) -> None:
    from tracker.experiments.summaries import no_comparison
    from tracker.models import Analysis

    app.config["LANGUAGE"] = "ar"
    message = (
        "No successes in either arm yet, so nothing can be compared: keep the"
        " experiment running until some trials convert."
    )
    analysis = Analysis(
        result_set_id=0,
        experiment_id=0,
        metric_id=0,
        comparisons={"verdict": message},
        warnings=[{"code": "insufficient_data", "message": message, "template": message}],
    )
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        assert no_comparison(analysis).startswith("لا توجد حالات نجاح")


def test_the_design_page_says_the_engines_refusal_in_arabic(
    app: Flask, demo_client: FlaskClient
) -> None:
    app.config["LANGUAGE"] = "ar"
    page = demo_client.get("/experiments/new").get_data(as_text=True)
    refusal = re.search(r'<p class="error" id="plan-message"[^>]*>(.*?)</p>', page, re.S)
    assert refusal is not None
    assert "MDE" not in refusal.group(1)
    # the empty form's effect is zero: the engine's refusal, said in Arabic
    assert refusal.group(1) == (
        "لا يمكن أن يكون أدنى أثر قابل للرصد صفرًا: لا توجد عينة ترصد انعدام الأثر."
    )


def test_a_cycles_record_names_statuses_in_the_readers_language(
    app: Flask, client: FlaskClient, db: Session, accounts: Any
) -> None:
    from tracker.models import Cycle, ReviewRecord, Role

    cycle = Cycle(
        iso_week="2026-W10", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 8), phase="closed"
    )
    db.add(cycle)
    db.commit()
    db.add(ReviewRecord(cycle_id=cycle.id, kind="action_status", summary="Fix the form: done"))
    db.add(ReviewRecord(cycle_id=cycle.id, kind="selection", summary="إذا جرّبنا: selected"))
    db.commit()
    app.config["LANGUAGE"] = "ar"
    accounts.sign_in(client, accounts.make(Role.viewer))
    page = client.get("/cycles/2026-W10").get_data(as_text=True)
    assert "<bdi>Fix the form</bdi>: " in page and ": done" not in page
    assert "<bdi>إذا جرّبنا</bdi>: " in page and ": selected" not in page
    assert english_leftovers(page) == []


def test_the_recap_names_each_decision_in_the_readers_language(
    app: Flask, demo_client: FlaskClient, db: Session
) -> None:
    from tracker.mail.message import Recipient, compose
    from tracker.mail.recap import gather
    from tracker.models import Cycle, ReviewRecord

    decided = db.exec(
        select(Cycle)
        .join(ReviewRecord, col(ReviewRecord.cycle_id) == Cycle.id)
        .where(ReviewRecord.kind == "decision", col(ReviewRecord.experiment_id).is_not(None))
    ).first()
    assert decided is not None
    with app.app_context():
        recap = gather(db, decided)
        for language, words in (("ar", ("فازت", "خسرت", "غير حاسمة")), ("en", ("Won", "Lost"))):
            reader = Recipient(user_id=1, email="a@example.com", name="A", language=language)
            message = compose(
                recipient=reader, sender="r@example.com", subject="s", template="recap", recap=recap
            )
            plain = message.get_body(("plain",)).get_content()
            decisions = plain.split("\n\n")[1]
            assert any(word in decisions for word in words), decisions
            if language == "ar":
                assert not re.search(r": (won|lost|inconclusive)\b", decisions), decisions
