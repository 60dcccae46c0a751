"""The experiment service's own moves, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.test_api_support import Api


@pytest.fixture
def api(client: FlaskClient, db: Session, accounts: Any) -> Api:
    return Api(client=client, db=db, accounts=accounts)


def test_two_arms_can_swap_their_names(api: Api) -> None:
    """Renaming passes through temporary names that no person can type (names are
    trimmed) and that every database can hold, so swapping two names never trips the
    unique (experiment, name) constraint."""
    metric = api.metric()
    api.weeks_of_readings(metric["id"])
    made = api.experiment(
        metric["id"], arms=[{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]
    )
    swapped = api.ok(
        "PATCH",
        f"/experiments/{made['id']}",
        {
            "version": made["version"],
            "arms": [{"name": "B", "share": 0.5}, {"name": "A", "share": 0.5}],
        },
    )
    assert [(arm["name"], arm["is_control"]) for arm in swapped["arms"]] == [
        ("B", True),
        ("A", False),
    ]
    padded = api.patch(
        f"/experiments/{made['id']}",
        {
            "version": swapped["version"],
            "arms": [{"name": " 1 ", "share": 0.5}, {"name": "A", "share": 0.5}],
        },
    )
    assert padded.status_code == 200
    assert [arm["name"] for arm in padded.get_json()["arms"]] == ["1", "A"]
