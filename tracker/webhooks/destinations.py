"""Where a webhook may be sent: http or https, and by default never to this
machine or the team's private network, so that registering an endpoint cannot
be used to reach internal services. TRACKER_WEBHOOK_ALLOW_PRIVATE=true allows
private addresses, for receivers inside the team's network.

>>> check_url("ftp://example.com/hook", allow_private=False)
Traceback (most recent call last):
...
tracker.webhooks.destinations.DestinationError: The address must start with http:// or https://.
>>> refused_address("10.1.2.3"), refused_address("93.184.216.34")
(True, False)
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _


class DestinationError(ValueError):
    """An address Revloop will not post to; the message says why."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    path: str  # with the query string


def refused_address(address: str) -> bool:
    """Loopback, private, link-local and other addresses that are not the internet."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, *, allow_private: bool) -> Destination:
    """The parts of ``url``, or DestinationError; resolves nothing."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise DestinationError(_("This is not a web address.")) from None
    if parts.scheme not in {"http", "https"}:
        raise DestinationError(_("The address must start with http:// or https://."))
    if not parts.hostname:
        raise DestinationError(_("The address has no host name."))
    if parts.username or parts.password:
        raise DestinationError(_("Put the credentials in the secret, not in the address."))
    host = parts.hostname
    if not allow_private and host.rstrip(".").lower() in {"localhost", "localhost.localdomain"}:
        raise DestinationError(_private())
    if not allow_private and _is_ip(host) and refused_address(host):
        raise DestinationError(_private())
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def resolve(destination: Destination, *, allow_private: bool) -> list[str]:
    """Every address of the host, or DestinationError if it has none or one is refused.

    Every address is checked, not only the first, and the caller connects to
    an address checked here, so a name that resolves differently a moment
    later cannot lead the request elsewhere.
    """
    try:
        found = socket.getaddrinfo(
            destination.host, destination.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise DestinationError(
            _("The host %(host)s cannot be resolved (%(error)s).", host=destination.host, error=exc)
        ) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise DestinationError(_("The host %(host)s has no address.", host=destination.host))
    if not allow_private and any(refused_address(a) for a in addresses):
        raise DestinationError(_private())
    return addresses


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def _private() -> str:
    return str(
        _(
            "This address is on this machine or a private network, which webhooks may not reach "
            "(an admin can allow it with TRACKER_WEBHOOK_ALLOW_PRIVATE=true)."
        )
    )
