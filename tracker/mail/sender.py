"""Sending e-mails with the standard library's smtplib, one connection for a
batch; a recipient the server refuses is reported, and the others are sent."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from flask_babel import gettext as _

from tracker.mail.config import SmtpSettings

TIMEOUT_SECONDS = 30


class MailError(Exception):
    """The server could not be reached or refused the sign-in; the message says which."""


@contextmanager
def connection(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """An open, signed-in SMTP connection."""
    context = ssl.create_default_context()
    try:
        server: smtplib.SMTP
        if settings.tls:
            server = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with server:
            server.ehlo()
            if settings.starttls:
                server.starttls(context=context)
                server.ehlo()
            if settings.username:
                server.login(settings.username, settings.password)
            yield server
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            _("The SMTP server refused the user name or password (%(error)s).", error=exc)
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(
            _(
                "The SMTP server %(host)s offers no STARTTLS; use smtps:// or, for a relay "
                "on this machine only, add ?starttls=no to TRACKER_SMTP_URL.",
                host=settings.host,
            )
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            _(
                "Could not talk to %(server)s: %(error)s",
                server=f"{settings.host}:{settings.port}",
                error=exc,
            )
        ) from None


def send_one(server: smtplib.SMTP, message: EmailMessage) -> str | None:
    """Send ``message``; None when the server took it, else why not."""
    try:
        refused = server.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [
            f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values()
        ]
        return _refused("; ".join(codes))
    except smtplib.SMTPResponseException as exc:
        return str(
            _(
                "the server answered %(code)s %(text)s",
                code=exc.smtp_code,
                text=_text(exc.smtp_error),
            )
        )
    except smtplib.SMTPException as exc:
        return str(exc)
    if refused:
        return _refused("; ".join(str(v) for v in refused.values()))
    return None


def _refused(answers: str) -> str:
    return str(_("refused by the server: %(answers)s", answers=answers))


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else answer
