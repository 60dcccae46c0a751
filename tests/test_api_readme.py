"""The README's API examples work: the curl commands of its "## API" section are
read out of README.md (or, before the section is pasted there, out of
/work/briefs/README_API.md) and run through the test client."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from tests.test_api_support import Api
from tracker.models import Role

ROOT = Path(__file__).resolve().parents[1]
DRAFT = Path("/work/briefs/README_API.md")

# The examples as the README shows them, kept here too so that a change to one
# side without the other fails.
WEEK_OF_READINGS = [
    {
        "period_start": "2026-11-16",
        "period_end": "2026-11-22",
        "successes": 118,
        "trials": 940,
        "source_note": "CRM report: demos by week",
    }
]
READINGS_PATH = "/api/v1/metrics/1/readings"
ANALYSIS_PATH = "/api/v1/experiments/1/analysis"


def api_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## API\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    if match:
        return match.group(1)
    return DRAFT.read_text(encoding="utf-8")


def curl_commands(text: str) -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    commands = []
    for block in blocks:
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            if line.strip().startswith("curl "):
                commands.append(shlex.split(line))
    return commands


def as_request(words: list[str]) -> dict:
    """The method, path, headers and body of one curl command."""
    request = {"method": "GET", "headers": {}, "body": None, "path": ""}
    index = 1
    while index < len(words):
        word = words[index]
        if word in ("-X", "--request"):
            request["method"] = words[index + 1]
            index += 2
        elif word in ("-H", "--header"):
            name, _, value = words[index + 1].partition(":")
            request["headers"][name.strip()] = value.strip()
            index += 2
        elif word in ("-d", "--data", "--data-raw"):
            request["body"] = words[index + 1]
            request["method"] = request["method"] if "-X" in words else "POST"
            index += 2
        else:
            request["path"] = urlsplit(word).path
            index += 1
    return request


def test_the_readme_examples_run(client, db, accounts):
    commands = [as_request(words) for words in curl_commands(api_section())]
    assert [(c["method"], c["path"]) for c in commands] == [
        ("POST", READINGS_PATH),
        ("GET", ANALYSIS_PATH),
    ]
    post, get = commands
    assert json.loads(post["body"]) == WEEK_OF_READINGS
    assert post["headers"]["Authorization"] == "Bearer $TOKEN"

    # arrange metric 1 and a running experiment 1 with results
    api = Api(client=client, db=db, accounts=accounts)
    metric = api.metric("Demo to opportunity")
    assert metric["id"] == 1
    token = api.token(Role.editor)

    def run(command: dict) -> dict:
        headers = {
            name: value.replace("$TOKEN", token) for name, value in command["headers"].items()
        }
        response = client.open(
            command["path"], method=command["method"], data=command["body"], headers=headers
        )
        assert response.status_code in (200, 201), response.get_data(as_text=True)
        return response.get_json()

    saved = run(post)
    assert saved[0]["successes"] == 118 and saved[0]["trials"] == 940
    api.weeks_of_readings(metric["id"], weeks=3)
    experiment = api.experiment(metric["id"])
    assert experiment["id"] == 1
    api.ok("POST", "/experiments/1/start")
    api.ok(
        "POST",
        "/experiments/1/results",
        {
            "metric_id": 1,
            "arms": {
                "control": {"successes": 120, "trials": 1000},
                "B": {"successes": 150, "trials": 1000},
            },
        },
        status=201,
    )
    analysis = run(get)
    comparison = analysis["metrics"][0]["comparisons"]["B"]
    assert comparison["lift"] > 0 and comparison["summary"]
