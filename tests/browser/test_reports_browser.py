"""A lead picks a quarter on the Reports page, previews the retrospective and
downloads the PDF, in a real browser."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from sqlmodel import Session

from experiments.cycles import IsoWeek
from tests.report_data import build_quarter
from tracker.database import get_engine
from tracker.models import Role, User


def sign_in(live_server: Any, page: Any) -> None:
    with Session(get_engine(live_server.app)) as session:
        user = User(
            email="lead@example.com", display_name="Lena Lead", role=Role.viewer, password_hash=""
        )
        user.set_password("a long passphrase")
        session.add(user)
        session.commit()
        build_quarter(session, first=IsoWeek(2026, 27), last=IsoWeek(2026, 39), experiments=4)
    page.goto(live_server.url + "/sign-in")
    page.fill("input[name=email]", "lead@example.com")
    page.fill("input[name=password]", "a long passphrase")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_preview_then_download_the_quarter(live_server: Any, page: Any) -> None:
    sign_in(live_server, page)
    page.click(".mainnav >> text=Reports")
    page.fill("input[name=range]", "2026 third quarter")
    page.click("button:has-text('Preview')")
    assert "write it like 2026-W48" in page.locator("#range-error").inner_text()
    assert page.input_value("input[name=range]") == "2026 third quarter"
    page.fill("input[name=range]", "2026-Q3")
    page.click("button:has-text('Preview')")
    # the PDF's own pages, typeset as SVG, drawn at a readable size. The preview
    # is a few megabytes of SVG that the browser is still parsing when the click
    # returns: count the pages once the document has loaded, never mid-stream.
    page.wait_for_load_state("load")
    bar = page.locator(".preview-bar").inner_text()
    assert "Preview of the PDF · 2026-Q3" in bar
    said = int(re.search(r"(\d+) pages", bar).group(1))  # type: ignore[union-attr]
    pages = page.locator(".report-page > svg")
    assert pages.count() == said >= 6
    assert pages.first.evaluate("e => e.getBoundingClientRect().width") > 300
    with page.expect_download() as download_info:
        page.click(".preview-download")
    download = download_info.value
    assert download.suggested_filename == "revloop-retro-2026-Q3.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    info = subprocess.run(["pdfinfo", download.path()], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+(\d+)", info).group(1) == str(said)  # type: ignore[union-attr]
