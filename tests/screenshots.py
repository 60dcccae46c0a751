"""Take the README's screenshots: the demo instance in headless Chromium.

    python tests/screenshots.py            # writes static/screenshots/*.png
    python tests/screenshots.py meeting-ar # only the shots named

Each page is shot at 1440 px wide (a laptop), a few also at 390 px (a
phone, with a "-phone" suffix), a few in Arabic (an "-ar" suffix: the team's
language is Arabic, TRACKER_LANGUAGE=ar), and saved as a small palette PNG.
"""

from __future__ import annotations

import io
import os
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
HEIGHT = {1440: 900, 390: 844}
SHOWN_EXPERIMENT = "Three subject lines for the webinar invite"
SHOWN_HYPOTHESIS = "Lead score on intent signals"


def main(names: list[str]) -> None:
    for language, shots in (("en", SHOTS), ("ar", ARABIC_SHOTS)):
        chosen = [shot for shot in shots if not names or shot[0] in names]
        if chosen:
            take(chosen, language=language)


def take(shots: list[tuple[str, str, int, str | None]], *, language: str) -> None:
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
