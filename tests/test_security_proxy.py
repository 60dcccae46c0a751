"""Behind a proxy (TRACKER_TRUSTED_PROXIES=1) the throttle keys on the
client's address from X-Forwarded-For, not on the proxy's."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Accounts
from tracker.config import ConfigError, from_environment

PROXY = "10.0.0.2"


@pytest.fixture
def app_config(app_config: dict[str, object]) -> dict[str, object]:
    return {**app_config, "TRUSTED_PROXIES": 1}


def attempt(client: FlaskClient, email: str, password: str, client_address: str) -> int:
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": PROXY},
        headers={"X-Forwarded-For": client_address},
    )
    return response.status_code


def test_clients_behind_one_proxy_are_throttled_apart(
    client: FlaskClient, accounts: Accounts
) -> None:
    user = accounts.make()
    for _ in range(10):
        attempt(client, user.email, "guess guess guess", "203.0.113.9")
    assert attempt(client, user.email, PASSWORD, "203.0.113.9") == 429
    assert attempt(client, user.email, PASSWORD, "198.51.100.4") == 302


def test_the_setting_is_a_count(tmp_path: object) -> None:
    environ = {"TRACKER_TRUSTED_PROXIES": "one", "TRACKER_SECRET_KEY": "k"}
    with pytest.raises(ConfigError, match="TRACKER_TRUSTED_PROXIES must be a whole number"):
        from_environment(str(tmp_path), environ)
    environ["TRACKER_TRUSTED_PROXIES"] = "2"
    assert from_environment(str(tmp_path), environ)["TRUSTED_PROXIES"] == 2
