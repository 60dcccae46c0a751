"""An e-mail as people read it: plain text and HTML (styled inline, which is
what mail clients keep), in the recipient's language and text direction,
rendered from the templates in templates/mail/."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app, has_request_context, render_template

from tracker.i18n import direction_of


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    name: str
    language: str

    @property
    def locale(self) -> str:
        """The language as Babel names it (``en_US``), English if Babel knows no such locale."""
        from babel import Locale, UnknownLocaleError

        name = self.language.replace("-", "_")
        try:
            Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            return "en"
        return name

    @property
    def direction(self) -> str:
        return direction_of(self.language)


def compose(
    *, recipient: Recipient, sender: str, subject: str, template: str, **context: Any
) -> EmailMessage:
    """Render ``templates/mail/<template>.txt`` and ``.html`` in the recipient's
    language into one multipart/alternative message."""
    from flask_babel import force_locale

    from tracker.links import absolute_url, base_url

    values = {
        "recipient": recipient,
        "subject": subject,
        "link": absolute_url,
        **context,
    }
    # outside a request (a command, a background job) the pages' context
    # processors still need one
    outside = (
        nullcontext()
        if has_request_context()
        else current_app.test_request_context(base_url=base_url())
    )
    with outside, force_locale(recipient.locale):
        plain = render_template(f"mail/{template}.txt", **values)
        html = render_template(f"mail/{template}.html", **values)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = Address("Revloop", addr_spec=sender)
    message["To"] = Address(recipient.name, addr_spec=recipient.email)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = recipient.language  # after: parts take Content-* headers
    return message
