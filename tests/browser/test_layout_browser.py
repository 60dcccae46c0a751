"""Every page of the demo at a phone's, a tablet's, a laptop's and two desktop
widths: the page never scrolls sideways, its blocks never cover each other,
every form control can be seen and reached, and the navigation fits.

One server and one browser page for the whole walk, so it stays quick.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select
from werkzeug.serving import make_server

from tests.browser.layout import layout_problems
from tests.site_pages import STANDING_PAGES

WIDTHS = (390, 768, 1280, 1440, 1920)
PASSWORD = "a demo passphrase"
PAGES = [*STANDING_PAGES, "/areas/1/edit"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    from tracker import create_app, migrate
    from tracker.database import get_engine
    from tracker.demo import load_demo
    from tracker.models import Cycle, Experiment, Hypothesis, Metric

    folder: Path = tmp_path_factory.mktemp("walk")
    mp = pytest.MonkeyPatch()
    mp.setenv("TRACKER_INSTANCE_PATH", str(folder / "instance"))
    mp.delenv("TRACKER_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "walk", "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}"})
    engine = get_engine(app)
    migrate.upgrade(engine)
    load_demo(engine, admin_email="demo@revloop.local", admin_password=PASSWORD)
    with Session(engine) as session:
        experiments = session.exec(select(Experiment.id)).all()
        hypotheses = session.exec(select(Hypothesis.id)).all()[:2]
        metrics = session.exec(select(Metric.id)).all()[:2]
        closed = session.exec(select(Cycle.iso_week).where(Cycle.phase == "closed")).first()
    pages = [
        *PAGES,
        *(f"/experiments/{i}" for i in experiments),
        f"/experiments/{experiments[0]}/edit",
        *(f"/backlog/{i}" for i in hypotheses),
        f"/backlog/{hypotheses[0]}/edit",
        f"/experiments/new?hypothesis_id={hypotheses[0]}",
        *(f"/metrics/{i}" for i in metrics),
        f"/metrics/{metrics[0]}/edit",
        f"/cycles/{closed}",
    ]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    engine.dispose()
    mp.undo()


@pytest.fixture(scope="module")
def signed_in(browser: Any, demo: tuple[str, list[str]]) -> Iterator[Any]:
    base, _ = demo
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/sign-in")
    page.fill("input[name=email]", "demo@revloop.local")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    yield page
    context.close()


def test_every_demo_page_holds_at_every_width(signed_in: Any, demo: tuple[str, list[str]]) -> None:
    base, pages = demo
    page = signed_in
    found: list[str] = []
    for path in pages:
        # load once, then resize: the layout reflows exactly as on a fresh load
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found += [f"{path} at {width} px: {problem}" for problem in layout_problems(page)]
    assert not found, "\n".join(found)


def test_the_menu_button_opens_the_navigation_on_a_phone(signed_in: Any, demo: Any) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(base + "/")
    assert not page.locator(".mainnav").is_visible()
    page.click(".nav-toggle")
    assert page.get_attribute(".nav-toggle", "aria-expanded") == "true"
    page.click(".mainnav >> text=Backlog")
    page.wait_for_url("**/backlog/**")
    assert page.locator("h1").is_visible()
    # the top bar is one short row: the page starts right under it
    assert page.locator(".topbar").bounding_box()["height"] < 70


def test_the_meeting_starts_with_decisions_and_the_save_bar_stays_small(
    signed_in: Any, demo: Any
) -> None:
    base, _ = demo
    page = signed_in
    for width in (390, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(base + "/week")
        sections = page.eval_on_selector_all(".agenda-section", "els => els.map(e => e.id)")
        assert sections[:2] == ["decide", "metrics"]
        assert page.locator(".save-bar").bounding_box()["height"] < 80
        # the decisions start near the top, and the scorecard is one compact row a metric
        decide = page.locator("#decide").bounding_box()
        assert decide["y"] < (500 if width == 1440 else 700)
        rows = page.eval_on_selector_all(
            "#metrics .scorecard-table tbody tr",
            "els => els.map(e => e.getBoundingClientRect().height)",
        )
        assert len(rows) >= 10
        if width == 1440:
            assert max(rows) < 100
            table = page.locator("#metrics .scorecard-table").bounding_box()
            card = page.locator("#metrics .scorecard").bounding_box()
            assert table["width"] <= card["width"] + 1


def test_on_a_phone_each_user_is_a_card_with_every_button_in_view(
    signed_in: Any, demo: Any
) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/admin/users")
    card = page.locator("section.card:has(table)")
    box = card.bounding_box()
    # nothing to scroll sideways inside the card: the table fits it
    scroll, client = card.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll <= client + 1, (scroll, client)
    controls = page.eval_on_selector_all(
        "section.card table :is(button, input[type=submit], select, .status)",
        "els => els.map(e => [e.value || e.textContent.trim(), e.getBoundingClientRect().right,"
        " e.scrollWidth <= e.clientWidth + 1])",
    )
    assert len(controls) >= 20
    for text, right, whole in controls:
        assert right <= box["x"] + box["width"] + 1 and whole, text
    # each person reads as a heading (name) with the e-mail under it
    name = page.locator("table tbody tr").first.locator("td").nth(0).bounding_box()
    email = page.locator("table tbody tr").first.locator("td").nth(1).bounding_box()
    assert email["y"] >= name["y"] + name["height"] - 1


# the width a select needs to show its chosen option whole (its arrow included)
SELECT_FITS = """els => els.map(s => {
  const style = getComputedStyle(s);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const text = s.options[s.selectedIndex].text;
  const needed = pen.measureText(text).width + parseFloat(style.paddingLeft)
    + parseFloat(style.paddingRight) + 18;
  return [text, needed <= s.clientWidth];
})"""


def test_on_a_phone_the_meeting_and_the_dashboard_read_whole(signed_in: Any, demo: Any) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/week")
    fits = page.eval_on_selector_all(".decision-fields select", SELECT_FITS)
    assert fits and all(whole for _text, whole in fits), fits
    page.goto(base + "/")
    page.click("button[name=view][value=my_week]")
    page.wait_for_load_state("networkidle")
    # the hypotheses waiting: one small card each, nothing to scroll sideways
    cards = page.eval_on_selector_all(
        ".dash-section .card.flush", "els => els.map(e => e.scrollWidth <= e.clientWidth + 1)"
    )
    assert cards and all(cards)
    # a verdict tag is a plain pill: no coloured edge on one side only
    edges = page.eval_on_selector_all(
        ".x-verdict-tag",
        "els => els.map(e => { const s = getComputedStyle(e);"
        " return s.borderLeftColor === s.borderRightColor; })",
    )
    assert edges and all(edges)


def test_on_a_phone_an_experiment_reads_without_sideways_scrolling(
    signed_in: Any, demo: tuple[str, list[str]]
) -> None:
    base, pages = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    found: list[str] = []
    checked = 0
    for path in [p for p in pages if p.removeprefix("/experiments/").isdigit()]:
        page.goto(base + path)
        # the analysis: each variant a card, its sentence read whole
        for scroll, client in page.eval_on_selector_all(
            ".x-table-wrap", "els => els.map(e => [e.scrollWidth, e.clientWidth])"
        ):
            checked += 1
            if scroll > client + 1:
                found.append(f"{path}: the analysis scrolls sideways ({scroll} > {client} px)")
        # the results form: every figure typed so far is seen whole
        for name, value, whole in page.eval_on_selector_all(
            ".x-results-table input",
            "els => els.map(e => [e.name, e.value, e.scrollWidth <= e.clientWidth + 1])",
        ):
            checked += 1
            if not whole:
                found.append(f"{path}: {name} shows only part of {value}")
    assert checked > 20
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "path", ["/experiments/?status=running", "/experiments/?status=decided", "/metrics/2"]
)
def test_on_a_phone_a_list_is_a_stack_of_cards_not_a_squeezed_table(
    signed_in: Any, demo: Any, path: str
) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + path)
    scrolls = page.eval_on_selector_all(
        ".card:has(table)", "els => els.map(e => e.scrollWidth <= e.clientWidth + 1)"
    )
    assert scrolls and all(scrolls), scrolls
    # a sentence reads in lines of words, not one word a line
    heights = page.eval_on_selector_all(
        "table tbody td", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and max(heights) < 250, max(heights)


# a button whose label wraps: taller than two lines of its text (with its padding)
WRAPPED_BUTTONS = """() => [...document.querySelectorAll('.button, button')]
  .filter(e => e.offsetParent && e.getBoundingClientRect().height
    > parseFloat(getComputedStyle(e).lineHeight) * 1.6 + 14)
  .map(e => (e.value || e.textContent).trim())"""


def test_on_a_phone_no_button_label_wraps(signed_in: Any, demo: tuple[str, list[str]]) -> None:
    base, pages = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    found = []
    for path in pages:
        page.goto(base + path)
        found += [f"{path}: {label}" for label in page.evaluate(WRAPPED_BUTTONS)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", ["/backlog/", "/metrics/new", "/learnings/", "/experiments/"])
def test_on_a_phone_a_select_shows_its_choice_whole(signed_in: Any, demo: Any, path: str) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + path)
    fits = page.eval_on_selector_all("main select", SELECT_FITS)
    assert fits and all(whole for _text, whole in fits), fits


@pytest.mark.parametrize("path", ["/settings/share-links/", "/settings/webhooks/"])
def test_a_list_of_choices_has_no_bullets(signed_in: Any, demo: Any, path: str) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + path)
    items = page.eval_on_selector_all(
        ".field ul li:has(input)",
        "els => els.map(e => [getComputedStyle(e).listStyleType,"
        " e.querySelector('input').getBoundingClientRect().left"
        " - e.closest('.field').getBoundingClientRect().left])",
    )
    assert items
    # no bullet, and each control lines up with the field's label
    assert all(style == "none" and indent < 4 for style, indent in items), items


def test_on_a_phone_the_shared_dashboard_stacks_its_experiments(
    signed_in: Any, browser: Any, demo: Any
) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/settings/share-links/")
    page.check("input[value=dashboard]")
    page.fill("input[name=label]", "Board")
    page.click("text=Make the link")
    link = page.inner_text("#new-link")
    stranger = browser.new_context(viewport={"width": 390, "height": 844})
    shared = stranger.new_page()
    try:
        shared.goto(link)
        assert "Where the loop stands" in shared.inner_text("h1")
        assert shared.evaluate("document.documentElement.scrollWidth") <= 390
        fits = shared.eval_on_selector_all(
            ".card:has(table)", "els => els.map(e => e.scrollWidth <= e.clientWidth + 1)"
        )
        assert fits and all(fits), fits
        heights = shared.eval_on_selector_all(
            "table tbody td", "els => els.map(e => e.getBoundingClientRect().height)"
        )
        assert max(heights) < 250, max(heights)
    finally:
        stranger.close()


def test_on_a_phone_the_design_form_gives_each_arm_name_room(signed_in: Any, demo: Any) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/experiments/new")
    widths = page.eval_on_selector_all(
        ".x-arms-table input:not(.x-share)", "els => els.map(e => e.clientWidth)"
    )
    # "Control" and "Variant B" read whole while typing (about 8 characters)
    assert widths and min(widths) >= 90, widths


# every option of every select shown, measured as the closed select would show it
OPTIONS_CUT = """() => [...document.querySelectorAll('main select:not([multiple])')]
  .filter(s => s.getClientRects().length > 0).flatMap(s => {
  const style = getComputedStyle(s);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18;
  return [...s.options].filter(o => pen.measureText(o.text).width > room)
    .map(o => s.name + ': ' + o.text);
})"""
# the notes under a select that a person can see
SHOWN_NOTES = """id => [...document.querySelectorAll('#' + id + '-notes li')]
  .filter(li => li.getClientRects().length > 0)
  .map(li => [li.innerText.trim(), li.scrollWidth <= li.clientWidth + 1,
              li.getBoundingClientRect().right <= window.innerWidth])"""


@pytest.mark.parametrize("path", ["/experiments/new", "/experiments/1/edit"])
def test_on_a_phone_every_choice_of_the_design_form_reads_whole(
    signed_in: Any, demo: Any, path: str
) -> None:
    base, _ = demo
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + path)
    assert page.locator("#design_kind").count() == 1
    assert page.evaluate(OPTIONS_CUT) == []
    # no list box clips its names: each guardrail is a checkbox with its whole name
    assert page.locator("main select[multiple]").count() == 0
    guardrails = page.eval_on_selector_all(
        "#guardrail_ids label",
        "els => els.map(e => [e.textContent.trim(), e.scrollWidth <= e.clientWidth + 1,"
        " e.getBoundingClientRect().right <= window.innerWidth])",
    )
    assert len(guardrails) >= 10 and all(whole and inside for _, whole, inside in guardrails)
    # the chosen way of looking is explained under it, whole, and follows the choice
    page.select_option("#design_kind", "group_sequential")
    assert page.evaluate(OPTIONS_CUT) == []  # the boundaries' select shown too
    [(note, whole, inside)] = page.evaluate(SHOWN_NOTES, "design_kind")
    assert "weekly review" in note and whole and inside
    page.select_option("#design_kind", "fixed")
    [(note, whole, inside)] = page.evaluate(SHOWN_NOTES, "design_kind")
    assert "judged once" in note and whole and inside
    page.select_option("#design_kind", "group_sequential")
    page.select_option("#design_spending", "pocock")
    [(note, _whole, _inside)] = page.evaluate(SHOWN_NOTES, "design_spending")
    assert "same bar at every look" in note
    page.select_option("#alternative", "larger")
    [(note, _whole, _inside)] = page.evaluate(SHOWN_NOTES, "alternative")
    assert note.startswith("Only a variant above control")
    # the primary metric's select names it; its kind is said beneath
    page.select_option("#primary_metric_id", label="Win rate")
    assert page.inner_text("#primary_metric_id-hint").endswith("a proportion.")
    # nor on a laptop, where three selects share a row
    page.set_viewport_size({"width": 1280, "height": 844})
    assert page.evaluate(OPTIONS_CUT) == []


# each chart a person sees: its width against its container's content box, and the
# size its smallest words are drawn at, in CSS pixels
CHARTS_SEEN = """() => [...document.querySelectorAll('main svg.chart')]
  .filter(s => s.getClientRects().length > 0)
  .map(s => {
    const box = s.parentElement, style = getComputedStyle(box);
    const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
    const sizes = [...s.querySelectorAll('text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize));
    return [s.getAttribute('aria-label').slice(0, 40), s.getBoundingClientRect().width / room,
            Math.min(...sizes) * scale];
  })"""


def test_on_a_phone_each_chart_fills_its_column_and_its_words_read(
    signed_in: Any, demo: tuple[str, list[str]]
) -> None:
    base, pages = demo
    page = signed_in
    experiments = [p for p in pages if p.removeprefix("/experiments/").isdigit()]
    paths = [*experiments, "/metrics/1", "/insights/"]
    found: list[str] = []
    status_charts = 0
    for width in (390, 1440):
        page.set_viewport_size({"width": width, "height": 844})
        for path in paths:
            page.goto(base + path)
            # one drawing of each chart at a time: never the same chart twice
            shown = page.eval_on_selector_all(
                "main svg.chart",
                "els => els.filter(s => s.getClientRects().length > 0)"
                ".map(s => s.getAttribute('aria-label'))",
            )
            assert len(shown) == len(set(shown)), (path, width, shown)
            if width != 390:
                continue
            for name, share, smallest in page.evaluate(CHARTS_SEEN):
                status_charts += path in experiments
                if share < 0.9:
                    found.append(f"{path}: {name} takes {share:.0%} of its column")
                if smallest < 11:
                    found.append(f"{path}: {name} has words at {smallest:.1f} px")
    assert status_charts >= 10
    assert not found, "\n".join(found)


def test_on_a_tablet_a_charts_words_read_as_well_as_on_a_laptop(
    signed_in: Any, demo: tuple[str, list[str]]
) -> None:
    """Between a phone and a laptop (and beside a sidebar) each chart is drawn for
    the column it sits in: its words at 11 px or more, or at least as large as the
    same chart's on a laptop (the lift chart's are 10 px there)."""
    base, pages = demo
    page = signed_in
    experiments = [p for p in pages if p.removeprefix("/experiments/").isdigit()][:4]
    paths = [*experiments, "/metrics/1", "/insights/"]
    laptop: dict[tuple[str, str], float] = {}
    page.set_viewport_size({"width": 1440, "height": 900})
    for path in paths:
        page.goto(base + path)
        laptop |= {(path, name): smallest for name, _share, smallest in page.evaluate(CHARTS_SEEN)}
    assert len(laptop) >= 8
    found: list[str] = []
    for width in (700, 820, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(base + path)
            for name, _share, smallest in page.evaluate(CHARTS_SEEN):
                if smallest < min(11.0, 0.97 * laptop[(path, name)]):
                    found.append(f"{path} at {width} px: {name} has words at {smallest:.1f} px")
    assert not found, "\n".join(found)
