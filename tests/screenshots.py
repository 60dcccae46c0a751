"""Take the README's screenshots: the demo instance in headless Chromium.

    python tests/screenshots.py            # writes static/screenshots/*.png
    python tests/screenshots.py meeting-ar # only the shots named

Each page is shot at 1440 px wide (a laptop), a few also at 390 px (a
phone, with a "-phone" suffix), a few in Arabic (an "-ar" suffix: the team's
language is Arabic, TRACKER_LANGUAGE=ar), and saved as a small palette PNG.
The "retro-" shots are pages of the demo's retrospective, made by ``tracker
retro`` as a user runs it and drawn by poppler's ``pdftoppm`` 800 px wide.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from a checkout: import this tree's tracker
OUT = ROOT / "static" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# file name, path (with {experiment} and {hypothesis} filled in from the demo), width,
# and the dashboard view to choose first (the view is remembered per person)
SHOTS = [
    ("dashboard", "/", 1440, "my_week"),
    ("meeting", "/week", 1440, None),
    ("backlog", "/backlog/", 1440, None),
    ("design", "/experiments/new?hypothesis_id={hypothesis}", 1440, None),
    ("status", "/experiments/{experiment}", 1440, None),
    ("board", "/experiments/", 1440, None),
    ("insights", "/insights/", 1440, None),
    ("dashboard-my-week", "/", 1440, "my_week"),
    ("dashboard-area", "/", 1440, "area"),
    ("dashboard-executive", "/", 1440, "executive"),
    ("meeting-phone", "/week", 390, None),
    ("status-phone", "/experiments/{experiment}", 390, None),
]
# the same demo for a team whose language is Arabic
ARABIC_SHOTS = [
    ("dashboard-ar", "/", 1440, None),
    ("meeting-ar", "/week", 1440, None),
    ("status-ar", "/experiments/{experiment}", 1440, None),
]
# the retrospective's pages: file name, language, and the title of the chapter
# whose first page is shown (None: the cover)
RETRO_SHOTS = [
    ("retro-cover", "en", None),
    ("retro-forest", "en", "All decided experiments"),
    ("retro-experiment", "en", "Experiments"),
    ("retro-loop", "en", "Forecasts and impact"),
    ("retro-cover-ar", "ar", None),
]
HEIGHT = {1440: 900, 390: 844}
SHOWN_EXPERIMENT = "Three subject lines for the webinar invite"
SHOWN_HYPOTHESIS = "Lead score on intent signals"


def main(names: list[str]) -> None:
    for language, shots in (("en", SHOTS), ("ar", ARABIC_SHOTS)):
        chosen = [shot for shot in shots if not names or shot[0] in names]
        retro = [s for s in RETRO_SHOTS if s[1] == language and (not names or s[0] in names)]
        if chosen or retro:
            take(chosen, language=language, retro=retro)


def take(
    shots: list[tuple[str, str, int, str | None]],
    *,
    language: str,
    retro: list[tuple[str, str, str | None]],
) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    with tempfile.TemporaryDirectory() as instance:
        os.environ["TRACKER_INSTANCE_PATH"] = instance
        os.environ.pop("TRACKER_DATABASE_URL", None)
        os.environ["TRACKER_LANGUAGE"] = language
        from tracker import create_app, migrate
        from tracker.database import get_engine
        from tracker.demo import load_demo

        app = create_app()
        migrate.upgrade(get_engine(app))
        load_demo(get_engine(app), admin_email="demo@revloop.local", admin_password="screenshots")
        ids = demo_ids(get_engine(app))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale=language)
            page.goto(base + "/sign-in")
            page.fill("input[name=email]", "demo@revloop.local")
            page.fill("input[name=password]", "screenshots")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for name, path, width, view in shots:
                page.set_viewport_size({"width": width, "height": HEIGHT[width]})
                if view:
                    page.goto(base + "/")
                    page.click(f"button[name=view][value={view}]")
                    page.wait_for_load_state("networkidle")
                page.goto(base + path.format(**ids))
                page.wait_for_load_state("networkidle")
                png = page.screenshot()
                image = Image.open(io.BytesIO(png)).convert("RGB")
                image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
                target = OUT / f"{name}.png"
                image.save(target, optimize=True)
                print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
            browser.close()
        server.shutdown()
        if retro:
            retro_pages(retro, get_engine(app), instance)


def retro_pages(shots: list[tuple[str, str, str | None]], engine: object, folder: str) -> None:
    """The demo's retrospective made by ``tracker retro`` (the team's language from
    the environment), and the pages the shots name drawn as small PNGs."""
    from PIL import Image
    from sqlmodel import Session, col, select

    from tracker.models import Cycle

    with Session(engine) as session:  # type: ignore[arg-type]
        weeks = session.exec(select(Cycle.iso_week).order_by(col(Cycle.iso_week))).all()
    pdf = Path(folder) / "retro.pdf"
    command = "import sys; from tracker.cli import main; sys.exit(main())"
    retro = [sys.executable, "-c", command, "retro", f"{weeks[0]}..{weeks[-1]}", "-o", str(pdf)]
    subprocess.run(retro, check=True, cwd=ROOT)
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    for name, _language, chapter in shots:
        number = 1 + next(
            i for i, text in enumerate(pages) if chapter is None or chapter in text.splitlines()
        )
        drawn = Path(folder) / name
        page = ["-f", str(number), "-l", str(number), "-scale-to-x", "800", "-scale-to-y", "-1"]
        subprocess.run(["pdftoppm", "-png", "-singlefile", *page, str(pdf), str(drawn)], check=True)
        image = Image.open(f"{drawn}.png").convert("RGB")
        image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        target = OUT / f"{name}.png"
        image.save(target, optimize=True)
        print(f"{target.relative_to(ROOT)} (page {number}): {target.stat().st_size // 1024} KB")


def demo_ids(engine: object) -> dict[str, int]:
    from sqlmodel import Session, select

    from tracker.models import Experiment, Hypothesis

    with Session(engine) as session:  # type: ignore[arg-type]
        experiment = session.exec(
            select(Experiment.id).where(Experiment.title == SHOWN_EXPERIMENT)
        ).one()
        hypothesis = session.exec(
            select(Hypothesis.id).where(Hypothesis.title == SHOWN_HYPOTHESIS)
        ).one()
    return {"experiment": experiment, "hypothesis": hypothesis}


if __name__ == "__main__":
    main(sys.argv[1:])
