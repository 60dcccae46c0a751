"""Bad input a user can cause never gives a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tracker.models import Role, User

HUGE = 99_999_999_999  # beyond any id column; PostgreSQL refuses it in a query


@pytest.mark.parametrize(
    "path",
    [
        f"/experiments/{HUGE}",
        f"/backlog/{HUGE}",
        f"/metrics/{HUGE}",
        "/cycles/2026-W99",
        f"/experiments/?owner={HUGE}",
        f"/backlog/?area={HUGE}",
    ],
)
def test_out_of_range_numbers_are_not_a_server_error(
    client: FlaskClient, signed_in: Callable[[Role], User], path: str
) -> None:
    signed_in(Role.viewer)
    response = client.get(path)
    assert response.status_code in (200, 400, 404), (path, response.status_code)
