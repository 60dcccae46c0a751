"""The SMTP server from TRACKER_SMTP_URL.

``smtp://user:password@host:587`` connects in plain text and upgrades with
STARTTLS (required: without it nothing is sent); ``smtps://host:465`` speaks
TLS from the start. The password may be given in TRACKER_SMTP_PASSWORD
instead of the URL. ``?starttls=no`` on an ``smtp://`` URL is for a relay on
the same machine (such as a local Postfix) that offers no TLS.

>>> s = parse_smtp_url("smtp://ops%40example.com:pw@mail.example.com", "", "r@example.com")
>>> (s.host, s.port, s.username, s.password, s.starttls, s.tls)
('mail.example.com', 587, 'ops@example.com', 'pw', True, False)
>>> parse_smtp_url("smtps://mail.example.com", "secret", "r@example.com").port
465
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask_babel import lazy_gettext as _l

from tracker.config import ConfigError

OFF_MESSAGE = _l(
    "E-mail is off: set TRACKER_SMTP_URL and TRACKER_MAIL_FROM to send digests and recaps."
)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    sender: str
    tls: bool  # TLS from the first byte (smtps://)
    starttls: bool  # upgrade a plain connection (smtp://)


def parse_smtp_url(url: str, password: str, sender: str) -> SmtpSettings:
    """The settings, or ConfigError naming the variable that is wrong."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigError(f"TRACKER_SMTP_URL is not a URL: {url!r}.") from None
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ConfigError(
            "TRACKER_SMTP_URL must look like smtp://user:password@host:587 (STARTTLS) "
            "or smtps://user:password@host:465."
        )
    options = parse_qs(parts.query)
    plain_ok = options.get("starttls", ["yes"])[-1].lower() in {"no", "false", "off", "0"}
    try:
        Address(addr_spec=sender)
    except (ValueError, IndexError):
        raise ConfigError(
            f"TRACKER_MAIL_FROM must be an e-mail address, such as revloop@example.com, "
            f"not {sender!r}."
        ) from None
    if "@" not in sender:
        raise ConfigError("TRACKER_MAIL_FROM must be an e-mail address with an @.")
    tls = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname,
        port=port or (465 if tls else 587),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or "") or password,
        sender=sender,
        tls=tls,
        starttls=not tls and not plain_ok,
    )


def smtp_settings(config: Mapping[str, Any]) -> SmtpSettings | None:
    """The app's SMTP settings, or None when e-mail is off."""
    url = str(config.get("SMTP_URL") or "")
    sender = str(config.get("MAIL_FROM") or "")
    if not url and not sender:
        return None
    if not url or not sender:
        missing = "TRACKER_SMTP_URL" if not url else "TRACKER_MAIL_FROM"
        raise ConfigError(f"{missing} is needed too: e-mail needs both settings, or neither.")
    return parse_smtp_url(url, str(config.get("SMTP_PASSWORD") or ""), sender)
