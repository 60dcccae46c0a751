"""Take the README's Arabic screenshots: the demo instance in headless Chromium,
for a team whose language is Arabic (TRACKER_LANGUAGE=ar).

    python tests/screenshots_arabic.py     # writes static/screenshots/*-ar.png

The same demo, widths and palette PNGs as tests/screenshots.py.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading

# file name, path (with {experiment} filled in from the demo), width
ARABIC_SHOTS = [
    ("dashboard-ar", "/", 1440),
    ("meeting-ar", "/week", 1440),
    ("status-ar", "/experiments/{experiment}", 1440),
]


def main(names: list[str]) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tests.screenshots import CHROMIUM_ARGS, HEIGHT, OUT, ROOT, demo_ids

    with tempfile.TemporaryDirectory() as instance:
        os.environ["TRACKER_INSTANCE_PATH"] = instance
        os.environ.pop("TRACKER_DATABASE_URL", None)
        os.environ["TRACKER_LANGUAGE"] = "ar"  # the team speaks Arabic
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
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="ar")
            page.goto(base + "/sign-in")
            page.fill("input[name=email]", "demo@revloop.local")
            page.fill("input[name=password]", "screenshots")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for name, path, width in ARABIC_SHOTS:
                if names and name not in names:
                    continue
                page.set_viewport_size({"width": width, "height": HEIGHT[width]})
                page.goto(base + path.format(**ids))
                page.wait_for_load_state("networkidle")
                image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
                image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
                target = OUT / f"{name}.png"
                image.save(target, optimize=True)
                print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main(sys.argv[1:])
