"""Take the README's screenshots: the demo instance in headless Chromium.

    python tests/screenshots.py            # writes static/screenshots/*.png

Each page is shot at 1280 px wide and saved as a small palette PNG.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# file name, path (with {experiment} and {hypothesis} filled in from the demo), full page?
SHOTS = [
    ("dashboard", "/", False),
    ("meeting", "/week", False),
    ("backlog", "/backlog/", False),
    ("design", "/experiments/new?hypothesis_id={hypothesis}", False),
    ("status", "/experiments/{experiment}", False),
    ("board", "/experiments/", False),
    ("insights", "/insights/", True),
    ("dashboard-my-week", "/", False),
    ("dashboard-area", "/", False),
    ("dashboard-executive", "/", False),
]
# shots taken after choosing a dashboard view (the switch is remembered), at 1440 px
VIEWS = {
    "dashboard-my-week": "my_week",
    "dashboard-area": "area",
    "dashboard-executive": "executive",
}
WIDE = {"insights", *VIEWS}
SHOWN_EXPERIMENT = "Three subject lines for the webinar invite"
SHOWN_HYPOTHESIS = "Lead score on intent signals"


def main(names: list[str]) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    with tempfile.TemporaryDirectory() as instance:
        os.environ["TRACKER_INSTANCE_PATH"] = instance
        os.environ.pop("TRACKER_DATABASE_URL", None)
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
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(base + "/sign-in")
            page.fill("input[name=email]", "demo@revloop.local")
            page.fill("input[name=password]", "screenshots")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for name, path, full in SHOTS:
                if names and name not in names:
                    continue
                width = 1440 if name in WIDE else 1280
                page.set_viewport_size({"width": width, "height": 900 if name in WIDE else 800})
                page.goto(base + path.format(**ids))
                page.wait_for_load_state("networkidle")
                if name in VIEWS:
                    page.click(f"button[name=view][value={VIEWS[name]}]")
                    page.wait_for_load_state("networkidle")
                png = page.screenshot(full_page=full)
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
