"""Run by .ci/run from outside the checkout, against a plain `pip install .`:
the installed package must carry its templates, static files and migrations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile

import tracker
from tracker import create_app
from tracker.cli import cli
from tracker.reports.ranges import current_week, quarter_of


def main() -> None:
    assert "site-packages" in tracker.__file__, f"not the installed copy: {tracker.__file__}"
    try:
        cli.main(["demo"], prog_name="tracker", standalone_mode=False)
    except SystemExit as exit_:
        assert not exit_.code, exit_.code

    app = create_app()
    client = app.test_client()
    with client.get("/static/css/revloop.css") as css:
        assert css.status_code == 200 and b"--brand" in css.data, css.status
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed = client.post(
        "/sign-in",
        data={
            "email": "demo@revloop.local",
            "csrf_token": token,
            "password": os.environ["TRACKER_DEMO_PASSWORD"],
        },
    )
    assert signed.status_code == 302, signed.get_data(as_text=True)
    for path in ("/", "/account/", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert "revloop.css" in response.get_data(as_text=True)

    # the retrospective: the installed Typst template and fonts, one compile
    quarter = quarter_of(current_week(None))
    pdf = client.get(f"/reports/pdf?range={quarter}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf", pdf.status
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf.data)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        second = subprocess.run(
            ["pdftotext", "-f", "2", "-l", "2", file.name, "-"], capture_output=True, text=True
        ).stdout
    assert pages >= 5 and f"Page 2 of {pages}" in second, pages
    preview = client.get(f"/reports/preview?range={quarter}")
    assert preview.status_code == 200 and preview.get_data(as_text=True).count("<svg") >= pages

    # `tracker retro` finds the instance folder without Flask: Flask's for an installed copy
    from flask import Flask

    from tracker.resources import instance_folder

    chosen = os.environ.pop("TRACKER_INSTANCE_PATH")
    assert instance_folder() == Flask("tracker").instance_path, instance_folder()
    assert "site-packages" not in instance_folder()
    os.environ["TRACKER_INSTANCE_PATH"] = chosen
    print("installed package: pages, stylesheet, migrations and PDF OK", file=sys.stderr)


if __name__ == "__main__":
    main()
