"""Run by .ci/run from outside the checkout, against a plain `pip install .`:
the installed package must carry its templates, static files and migrations."""

from __future__ import annotations

import os
import re
import sys

import tracker
from tracker import create_app
from tracker.cli import cli

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
print("installed package: pages, stylesheet and migrations OK", file=sys.stderr)
