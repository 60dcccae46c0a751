"""The Content-Security-Policy in Chromium: the demo's pages raise no
violation and the charts keep their colours. (The other browser tests show
the pages' scripts still run under the policy.)"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from tracker.database import get_engine
from tracker.demo import load_demo
from tracker.models import Analysis, Cycle

PASSWORD = "violet tractor summit"


def test_demo_pages_keep_to_the_policy(live_server: Any, page: Any) -> None:
    engine = get_engine(live_server.app)
    load_demo(engine, admin_email="demo@revloop.local", admin_password=PASSWORD)
    with Session(engine) as session:
        analysed = session.exec(
            select(Analysis.experiment_id).where(col(Analysis.chart_svg) != "")
        ).first()
        weeks = [c.iso_week for c in session.exec(select(Cycle)).all()]
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + "/sign-in")
    page.fill("input[name=email]", "demo@revloop.local")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    for path in (
        "/",
        "/week",
        "/experiments/",
        f"/experiments/{analysed}",
        "/metrics/1",
        "/backlog/new",
        "/calculators/",
        f"/reports/preview?range={min(weeks)}..{max(weeks)}",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
    # a chart drawn with presentation attributes: its lines are coloured, not black
    page.goto(live_server.url + f"/experiments/{analysed}")
    strokes = page.eval_on_selector_all(
        "svg.chart path[stroke]", "paths => paths.map(p => getComputedStyle(p).stroke)"
    )
    assert strokes and any(s not in ("none", "rgb(0, 0, 0)") for s in strokes)
