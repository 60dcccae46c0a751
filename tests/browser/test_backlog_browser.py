"""Write a hypothesis in the backlog form in a real browser: the score follows
the chosen scores, a mistake comes back with everything typed, and the saved
hypothesis leads to the experiment design (which test_experiments_browser
carries on to a decision)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from tracker.database import get_engine
from tracker.models import Area, Hypothesis, Metric, MetricKind, Role, User


def arrange(app: Any) -> None:
    with Session(get_engine(app)) as session:
        user = User(
            email="ed@example.com", display_name="Eda Editor", role=Role.editor, password_hash=""
        )
        user.set_password("a long passphrase")
        session.add(user)
        area = session.exec(select(Area).where(Area.name == "Sales")).one()
        session.add(Metric(name="Win rate", area_id=area.id, kind=MetricKind.proportion))
        session.commit()


def test_write_a_hypothesis_and_design_its_experiment(live_server: Any, page: Any) -> None:
    arrange(live_server.app)
    page.goto(live_server.url + "/sign-in")
    page.fill("input[name=email]", "ed@example.com")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.click("nav.mainnav >> text=Backlog")
    page.click("text=New hypothesis")

    page.fill("input[name=title]", "Same-day callback")
    page.select_option("select[name=metric_id]", label="Win rate")
    page.select_option("select[name=direction]", "increase")
    page.fill("input[name=expected_effect]", "20")
    page.fill("textarea[name=rationale]", "leads called within hours close more often")
    page.select_option("select[name=area_id]", label="Sales")
    page.select_option("select[data-score-field=impact]", "9")
    page.select_option("select[data-score-field=confidence]", "6")
    page.select_option("select[data-score-field=ease]", "6")
    page.wait_for_function("document.querySelector('.score-live').textContent.includes('7')")
    assert "7" in page.inner_text(".score-live")

    # the change is missing: the form comes back with the message and every entry kept
    page.click("text=Save hypothesis")
    page.wait_for_selector(".has-error")
    assert page.input_value("input[name=title]") == "Same-day callback"
    assert page.input_value("textarea[name=rationale]") == (
        "leads called within hours close more often"
    )
    assert page.input_value("input[name=expected_effect]") == "20"

    page.fill("textarea[name=change]", "call every inbound demo request back the same day")
    page.click("text=Save hypothesis")
    page.wait_for_selector("text=Design an experiment")
    statement = page.inner_text("main")
    assert "call every inbound demo request back the same day" in statement
    assert "ICE 7.0" in statement

    page.click("text=Design an experiment")
    page.wait_for_url("**/experiments/new?hypothesis_id=*")
    assert page.input_value("#title") == "Same-day callback"
    with Session(get_engine(live_server.app)) as session:
        assert session.exec(select(Hypothesis)).one().score == 7.0
