"""One POST with the standard library's http.client: to an address checked by
``destinations.resolve``, with a timeout, and no redirect followed (a 3xx is an
answer like any other that is not 2xx)."""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from tracker.webhooks.destinations import Destination, DestinationError, resolve

TIMEOUT_SECONDS = 10.0
USER_AGENT = "Revloop-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    """What came back: the status code, or the error that stopped the request."""

    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # the certificate is checked against the host name, not the address
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(
    destination: Destination,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_private: bool,
    timeout: float = TIMEOUT_SECONDS,
) -> Answer:
    """POST ``body``; never raises for a network failure, it is an Answer."""
    try:
        addresses = resolve(destination, allow_private=allow_private)
    except DestinationError as exc:
        return Answer(None, str(exc))
    kind = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    connection = kind(destination.host, destination.port, addresses[0], timeout)
    try:
        connection.request(
            "POST",
            destination.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        response = connection.getresponse()
        response.read(64 * 1024)
        return Answer(response.status)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()
