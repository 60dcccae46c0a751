"""Right to left done right (issue 16), measured in Chromium on the demo quarter,
in Arabic and in English: the Arabic hypothesis reads "إذا" before "لأن" in
its own direction; alpha and power each keep their number; an interval reads
from its low bound to its high one, each sign on its number; ISO weeks stay
whole; words in cells, badges and tiles keep the page's direction, only their
figures reading left to right; nothing runs out of its card on the dashboard,
the meeting and an experiment page.

One server for the module; the demo admin reads in the language set on their
account, Arabic then English, each in its own browser context.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select
from werkzeug.serving import make_server

MEASURE = (Path(__file__).parent / "rtl.js").read_text(encoding="utf-8")
PASSWORD = "a demo passphrase"
ARABIC_CHANGE = "إذا أضفنا دراسة حالة من عميل في القطاع نفسه إلى رسالة المتابعة الثانية"
LOCALES = {"ar": "ar", "en": "en-US"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from tracker import create_app, migrate
    from tracker.database import get_engine
    from tracker.demo import load_demo
    from tracker.models import Experiment, ExperimentStatus, Hypothesis

    folder: Path = tmp_path_factory.mktemp("rtl")
    mp = pytest.MonkeyPatch()
    mp.setenv("TRACKER_INSTANCE_PATH", str(folder / "instance"))
    mp.delenv("TRACKER_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "rtl", "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}"})
    engine = get_engine(app)
    migrate.upgrade(engine)
    load_demo(engine, admin_email="demo@revloop.local", admin_password=PASSWORD)
    with Session(engine) as session:
        arabic = session.exec(select(Hypothesis.id).where(Hypothesis.change == ARABIC_CHANGE)).one()
        running = session.exec(
            select(Experiment.id)
            .where(Experiment.status == ExperimentStatus.running)
            .order_by(col(Experiment.id))
        ).first()
        tested = session.exec(
            select(Experiment.id).where(Experiment.hypothesis_id == arabic)
        ).first()
        english = session.exec(
            select(Hypothesis.id)
            .where(Hypothesis.change != ARABIC_CHANGE, Hypothesis.rationale != "")
            .order_by(col(Hypothesis.id))
        ).first()
        decided = session.exec(
            select(Experiment.id)
            .where(Experiment.status == ExperimentStatus.decided)
            .order_by(col(Experiment.id))
        ).first()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "base": f"http://127.0.0.1:{server.server_port}",
        "app": app,
        "arabic_pages": [f"/backlog/{arabic}", *([f"/experiments/{tested}"] if tested else [])],
        "english_hypothesis": f"/backlog/{english}",
        "running": f"/experiments/{running}",
        "decided": f"/experiments/{decided}",
    }
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    engine.dispose()
    mp.undo()


@pytest.fixture(scope="module", params=sorted(LOCALES))
def reader(request: pytest.FixtureRequest, browser: Any, demo: dict[str, Any]) -> Iterator[Any]:
    """A signed-in page of a person who chose Arabic, or English, on their account."""
    from tracker.database import get_engine
    from tracker.models import User

    with Session(get_engine(demo["app"])) as session:
        admin = session.exec(select(User).where(User.email == "demo@revloop.local")).one()
        admin.language = request.param
        session.commit()
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, locale=LOCALES[request.param]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(demo["base"] + "/sign-in")
    page.fill("input[name=email]", "demo@revloop.local")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(demo["base"] + "/")
    page.language = request.param
    yield page
    context.close()


def open_page(page: Any, demo: dict[str, Any], path: str) -> None:
    page.goto(demo["base"] + path)
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == page.language


def measure(page: Any, kind: str, **details: Any) -> Any:
    return page.evaluate(MEASURE, {"kind": kind, **details})


def test_the_arabic_hypothesis_reads_if_before_because(reader: Any, demo: dict[str, Any]) -> None:
    for path in demo["arabic_pages"]:
        open_page(reader, demo, path)
        sentence = measure(reader, "sentence", selector=".statement-text", first="إذا", last="لأن")
        assert sentence == {"direction": "rtl", "lang": "ar", "found": True, "inOrder": True}, path


def test_an_english_hypothesis_reads_left_to_right_in_either_interface(
    reader: Any, demo: dict[str, Any]
) -> None:
    open_page(reader, demo, demo["english_hypothesis"])
    sentence = measure(reader, "sentence", selector=".statement-text", first="If we", last="then")
    assert sentence == {"direction": "ltr", "lang": "en", "found": True, "inOrder": True}


def test_alpha_and_power_each_keep_their_number(reader: Any, demo: dict[str, Any]) -> None:
    open_page(reader, demo, demo["running"])
    pairs = measure(reader, "pairs", selector=".x-pair")
    assert pairs["count"] >= 2 and pairs["problems"] == []
    labels = [text.replace("\xa0", " ") for text in reader.locator(".x-pair").all_inner_texts()]
    if reader.language == "en":
        assert "Alpha 0.05" in labels[0] and "power 0.8" in labels[1].lower()


@pytest.mark.parametrize("which", ["running", "decided"])
def test_intervals_read_from_low_to_high_with_their_signs(
    reader: Any, demo: dict[str, Any], which: str
) -> None:
    open_page(reader, demo, demo[which])
    intervals = measure(reader, "intervals")
    assert intervals["count"] >= 1 and intervals["problems"] == []


@pytest.mark.parametrize("path", ["/", "/week", "/cycles"])
def test_iso_weeks_stay_whole(reader: Any, demo: dict[str, Any], path: str) -> None:
    open_page(reader, demo, path)
    weeks = measure(reader, "weeks")
    assert weeks["count"] >= 1 and weeks["problems"] == []


@pytest.mark.parametrize("which", ["/", "/week", "running", "decided"])
def test_nothing_runs_out_of_its_card(reader: Any, demo: dict[str, Any], which: str) -> None:
    open_page(reader, demo, demo.get(which, which))
    assert measure(reader, "overflow")["problems"] == []


@pytest.mark.parametrize("width", [390, 1440])
def test_no_text_is_printed_over_other_text(reader: Any, demo: dict[str, Any], width: int) -> None:
    """Every page that stands without a record, and the records' own, at a phone's
    and a desktop's width: the longer Arabic words wrap, never over their neighbours."""
    from tests.browser.layout import overlapping_text
    from tests.site_pages import STANDING_PAGES

    reader.set_viewport_size({"width": width, "height": 900})
    found = []
    for path in [*STANDING_PAGES, *demo["arabic_pages"], demo["running"], demo["decided"]]:
        open_page(reader, demo, path)
        found += [f"{path}: {problem}" for problem in overlapping_text(reader)]
    reader.set_viewport_size({"width": 1440, "height": 900})
    assert found == []


WORD_HOLDERS = ".num, .badge, .status, .tile-value, .progress-text, .week-dates, .value, .change"


@pytest.mark.parametrize("which", ["/", "/week", "/cycles", "/insights/", "running", "decided"])
def test_words_in_cells_and_badges_keep_the_pages_direction(
    reader: Any, demo: dict[str, Any], which: str
) -> None:
    """Only figures are left-to-right runs: a badge, a table cell or a progress line
    reads in the page's direction, its figures in the order they are written."""
    open_page(reader, demo, demo.get(which, which))
    words = measure(reader, "words", selector=WORD_HOLDERS)
    assert words["count"] >= 1 and words["problems"] == []


@pytest.mark.parametrize("which", ["running", "decided"])
def test_the_analysis_sentences_keep_each_figure_whole(
    reader: Any, demo: dict[str, Any], which: str
) -> None:
    """The sentence under each variant, in the reader's language: its lift, interval,
    p-value and alpha each read left to right, signs on the left, percent on the right."""
    open_page(reader, demo, demo[which])
    figures = measure(reader, "figures", selector='.x-sentence [dir="ltr"]')
    assert figures["count"] >= 4 and figures["problems"] == []


# the chosen option of a select as a person reads it: its text, whether the closed
# select shows it whole, and the notes beneath it that can be seen, each with
# whether it reads whole (no overflow, inside the window)
CHOSEN = """id => {
  const s = document.getElementById(id), style = getComputedStyle(s);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const text = s.options[s.selectedIndex].text;
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18;
  const notes = [...document.querySelectorAll('#' + CSS.escape(id) + '-notes li')]
    .filter(li => li.getClientRects().length > 0 && li.innerText.trim())
    .map(li => { const box = li.getBoundingClientRect();
      return [li.innerText.trim(), li.scrollWidth <= li.clientWidth + 1
              && box.left >= 0 && box.right <= window.innerWidth]; });
  return [text, pen.measureText(text).width <= room, notes];
}"""
# the options a person can choose (not disabled, nor in a disabled group)
ENABLED_OPTIONS = (
    "s => [...s.options].filter(o => !o.disabled && !o.parentElement.disabled).map(o => o.value)"
)
# every option's text, and whether the closed select would show it whole
CHOSEN_NAMES = """id => {
  const s = document.getElementById(id), style = getComputedStyle(s);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18;
  return [...s.options].map(o => [o.text, pen.measureText(o.text).width <= room]);
}"""


def each_choice_problems(page: Any, select_id: str, *, wide: bool = False) -> list[str]:
    """Choose each option of the select in turn: a name the select cuts must be
    written whole beneath it; on a wide screen, a name it shows whole is not
    written a second time."""
    found = []
    for value in page.eval_on_selector(f"#{select_id}", ENABLED_OPTIONS):
        page.select_option(f"#{select_id}", value)
        text, fits, notes = page.evaluate(CHOSEN, select_id)
        if not fits and [text, True] not in notes:
            found.append(f"{select_id}: {text!r} is cut and not written whole beneath ({notes})")
        if wide and fits and any(note == text for note, _whole in notes):
            found.append(f"{select_id}: {text!r} is written twice")
    return found


def test_on_a_phone_the_choices_of_the_preset_process_and_learning_selects_read_whole(
    reader: Any, demo: dict[str, Any]
) -> None:
    reader.set_viewport_size({"width": 390, "height": 844})
    try:
        # each preset by a name the select shows whole; what it is, beneath it
        open_page(reader, demo, "/metrics/new")
        names = reader.evaluate(CHOSEN_NAMES, "preset")
        assert len(names) == 13 and all(fits for _name, fits in names), names
        with reader.expect_navigation():
            reader.select_option("#preset", "4")  # the choice fills in the form
        text, fits, [(note, whole)] = reader.evaluate(CHOSEN, "preset")
        assert fits and whole and text == reader.input_value("#name")
        assert note.startswith({"en": "Sales · ", "ar": "المبيعات · "}[reader.language])
        # a process, a name people wrote: whole in the select or beneath it, with
        # no area chosen and among the chosen area's only
        open_page(reader, demo, "/backlog/new")
        every = reader.eval_on_selector("#process_id", ENABLED_OPTIONS)
        found = each_choice_problems(reader, "process_id")
        for area in reader.eval_on_selector("#area_id", ENABLED_OPTIONS)[1:]:
            reader.select_option("#area_id", area)
            offered = reader.eval_on_selector("#process_id", ENABLED_OPTIONS)
            assert 1 < len(offered) < len(every), offered  # "no particular process" and the area's
            found += each_choice_problems(reader, "process_id")
        # the experiment a learning comes from, by its title
        open_page(reader, demo, "/week")
        found += each_choice_problems(reader, "new_learnings-0-experiment_id")
        assert found == []
    finally:
        reader.set_viewport_size({"width": 1440, "height": 900})


@pytest.mark.parametrize("width", [768, 1440])
def test_where_there_is_room_a_chosen_name_is_written_once(
    reader: Any, demo: dict[str, Any], width: int
) -> None:
    reader.set_viewport_size({"width": width, "height": 900})
    try:
        open_page(reader, demo, "/week")
        found = each_choice_problems(reader, "new_learnings-0-experiment_id", wide=True)
        open_page(reader, demo, "/backlog/new")
        found += each_choice_problems(reader, "process_id", wide=True)
        assert found == []
    finally:
        reader.set_viewport_size({"width": 1440, "height": 900})
