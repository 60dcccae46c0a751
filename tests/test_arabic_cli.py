"""The command line in the team's language (issue 16): an Arabic team's operator
reads the lines of ``cycle``, ``digest send``, ``webhooks deliver``, ``user`` and
``token`` in Arabic, with plurals that agree with their number; English teams
read what they always read."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from experiments.cycles import IsoWeek
from tests.test_cycles_service import add_item

LATIN_WORD = re.compile(r"\b(?!W\d)[A-Za-z]{3,}\b")


def _words(output: str) -> list[str]:
    """Latin words left in ``output``, e-mail addresses, ISO weeks and names aside."""
    kept = re.sub(r"\S+@\S+|\d{4}-W\d{2}|TRACKER_\w+|Revloop|API", "", output)
    return LATIN_WORD.findall(kept)


@pytest.fixture
def arabic_team(app: Flask) -> Flask:
    app.config["LANGUAGE"] = "ar"
    return app


def test_the_cycle_commands_speak_arabic(arabic_team: Flask, runner: Any, db: Session) -> None:
    from sqlmodel import select

    from tracker.models import Cycle

    opened = runner.invoke(args=["cycle", "open"])
    assert opened.exit_code == 0, opened.output
    week = IsoWeek.containing(date.today())
    assert f"الدورة {week} مفتوحة، في مرحلة «حلّل»." in opened.output
    cycle = db.exec(select(Cycle)).one()
    add_item(db, cycle)
    add_item(db, cycle)
    closed = runner.invoke(args=["cycle", "close"])
    assert closed.exit_code == 0, closed.output
    assert "رُحِّل بندا عمل." in closed.output  # two: the dual, not "item(s)"
    assert _words(opened.output + closed.output) == []


def test_digest_and_webhook_commands_report_in_arabic(arabic_team: Flask, runner: Any) -> None:
    digest = runner.invoke(args=["digest", "send", "--week", "2026-W49", "--dry-run"])
    assert digest.exit_code == 0, digest.output
    assert "الموجز الأسبوعي لـ 2026-W49: أُرسل 0، وسبق إرساله 0، وفشل 0." in digest.output
    wrong = runner.invoke(args=["digest", "send", "--week", "2026-49", "--dry-run"])
    assert "(اكتبه هكذا: 2026-W49)" in wrong.output
    webhooks = runner.invoke(args=["webhooks", "deliver"])
    assert webhooks.exit_code == 0, webhooks.output
    assert webhooks.output.strip() == "أُرسل 0، وستُعاد محاولة 0، وتُرك 0."


def test_user_and_token_commands_speak_arabic(arabic_team: Flask, runner: Any) -> None:
    created = runner.invoke(
        args=["user", "create", "amal@example.com", "--password-stdin"],
        input="violet tractor summit\n",
    )
    assert created.exit_code == 0, created.output
    assert "أُنشئ الحساب amal@example.com بدور editor." in created.output
    refused = runner.invoke(
        args=["user", "create", "eric@example.com", "--password-stdin"], input="short\n"
    )
    assert refused.exit_code != 0
    assert "رُفضت كلمة المرور: استخدم 12 حرفًا على الأقل." in refused.output
    token = runner.invoke(args=["token", "create", "amal@example.com", "--name", "CRM"])
    assert token.exit_code == 0, token.output
    assert "احفظه في مكان آمن" in token.output
    nobody = runner.invoke(args=["token", "create", "nobody@example.com", "--name", "CRM"])
    assert "ليس لـ nobody@example.com حساب نشط." in nobody.output


def test_the_retrospective_command_reports_in_its_language(runner: Any, tmp_path: Any) -> None:
    target = tmp_path / "retro.pdf"
    result = runner.invoke(args=["retro", "2026-W10", "-o", str(target), "--language", "ar"])
    assert result.exit_code == 0, result.output
    assert "تحميل دورة واحدة" in result.stderr
    assert "جارٍ التنضيد…" in result.stderr and "كُتب " in result.stderr
    assert "Loading" not in result.stderr and "Wrote" not in result.stderr
    span = runner.invoke(
        args=["retro", "2026-W10..2026-W12", "-o", str(target), "--language", "ar"]
    )
    assert "(من 2026-W10 إلى 2026-W12)" in span.stderr
    assert "وُجد: 0 تجربة، 0 بند عمل، 0 درس مستفاد." in span.stderr
    assert _words(span.stderr.replace(str(target), "")) == []


def test_the_database_commands_speak_arabic(arabic_team: Flask, runner: Any) -> None:
    """``tracker db current`` and ``upgrade`` tell an Arabic team where its schema is."""
    current = runner.invoke(args=["db", "current"])
    assert current.exit_code == 0, current.output
    assert "(محدّثة)" in current.output
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.output.startswith("قاعدة البيانات عند ")
    assert _words(current.output + upgraded.output) == []


def test_the_demo_server_says_where_it_is_in_arabic(
    arabic_team: Flask, runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.cli import serve

    monkeypatch.setenv("TRACKER_DEMO_PASSWORD", "a demo passphrase")
    monkeypatch.setattr(serve, "run_gunicorn", lambda *args, **kw: None)
    result = runner.invoke(args=["demo", "--serve", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert "Revloop متاح على http://127.0.0.1:5999/  (أوقفه بـ Ctrl+C)" in result.output
