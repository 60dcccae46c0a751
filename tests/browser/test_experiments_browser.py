"""Design an experiment from a hypothesis in a real browser: the planned size follows the
fields, JavaScript adds a variant, bad values come back with their messages, and the
experiment runs to a decision."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from tracker.database import get_engine
from tracker.models import Area, Hypothesis, Metric, MetricKind, Reading, Role, User


def arrange(app: Any) -> int:
    with Session(get_engine(app)) as session:
        user = User(
            email="ed@example.com", display_name="Eda Editor", role=Role.editor, password_hash=""
        )
        user.set_password("a long passphrase")
        session.add(user)
        area = session.exec(select(Area).where(Area.name == "Sales")).one()
        metric = Metric(name="Win rate", area_id=area.id, kind=MetricKind.proportion)
        session.add(metric)
        session.flush()
        for week in range(4):
            start = date(2025, 1, 6) + timedelta(weeks=week)
            session.add(
                Reading(
                    metric_id=metric.id,
                    period_start=start,
                    period_end=start + timedelta(days=6),
                    successes=100,
                    trials=1000,
                )
            )
        hypothesis = Hypothesis(
            title="Same-day callback",
            change="call inbound leads back the same day",
            metric_id=metric.id,
            area_id=area.id,
            expected_effect=20,
            rationale="speed wins deals",
        )
        session.add(hypothesis)
        session.commit()
        return hypothesis.id or 0


def sign_in(page: Any, url: str) -> None:
    page.goto(url + "/sign-in")
    page.fill("input[name=email]", "ed@example.com")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_design_start_results_and_decide(live_server: Any, page: Any) -> None:
    from playwright.sync_api import expect

    hypothesis_id = arrange(live_server.app)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/experiments/new?hypothesis_id={hypothesis_id}")
    assert page.input_value("#title") == "Same-day callback"
    # typed as the calculator asks: the baseline in percent, the effect in points
    assert page.input_value("#baseline") == "10.0"
    expect(page.locator("label[for=baseline]")).to_have_text("Baseline (%)")
    page.fill("#mde", "2")
    page.uncheck("#mde_relative")
    # weekly looks are the default: five looks cost a little more than one fixed look
    expect(page.locator("#plan-control")).to_have_text("3,936")
    expect(page.locator("#plan-weeks")).to_contain_text("7.9")
    page.select_option("#design_kind", "fixed")
    expect(page.locator("#plan-control")).to_have_text("3,841")
    expect(page.locator("#plan-weeks")).to_contain_text("7.7")
    expect(page.locator("#plan-weeks")).not_to_have_class("x-plan-weeks is-long")
    # a design of months is warned about in words, not shown in green
    page.fill("#mde", "0.5")
    expect(page.locator("#plan-long")).to_be_visible()
    expect(page.locator("#plan-long")).to_contain_text("longer than")
    expect(page.locator("#plan-weeks")).to_have_class("x-plan-weeks is-long")
    page.fill("#mde", "2")
    expect(page.locator("#plan-long")).to_be_hidden()
    # JavaScript adds the row in place and spreads the traffic
    page.click("#add_variant")
    assert page.locator(".x-arm-row").count() == 3
    page.fill("input[name='arms-2-share']", "0.5")
    assert "must add up to 1" in page.inner_text("#share-sum")
    page.click("#save")
    assert "add up to" in page.inner_text("#arms-error")
    assert page.input_value("input[name='arms-2-name']") == "Variant C"
    page.click("#remove_variant")
    page.wait_for_selector("input[name='arms-1-name']")
    assert page.locator(".x-arm-row").count() == 2
    page.fill("#mde", "2")
    page.uncheck("#mde_relative")
    page.select_option("#design_kind", "fixed")
    page.click("#save")
    page.wait_for_selector("text=Start the experiment")
    page.click("text=Start the experiment")
    page.wait_for_selector("#results")
    fields = page.locator("#results input[type=number]")
    for index, value in enumerate(("400", "4000", "520", "4000")):
        fields.nth(index).fill(value)
    page.click("text=Save the results and analyse")
    page.wait_for_selector(".x-sentence")
    assert "converts 30.0% better than Control" in page.inner_text("#analysis")
    assert page.locator("svg.chart").count() >= 1
    page.select_option("#outcome", "won")
    page.select_option("#action", "ship")
    page.fill("#rationale", "Faster callbacks win more deals.")
    page.click("#decide")
    page.wait_for_selector(".x-decision-done")
    assert "Faster callbacks win more deals." in page.inner_text(".x-decision-done")
