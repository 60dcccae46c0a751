"""Field checks shared by several forms."""

from __future__ import annotations

import re

from wtforms import Field, ValidationError

from tracker.translation import _

# Deliberately plain: one @, something before it, a dotted domain after it,
# no spaces. Deliverability is the mail system's business, not ours.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def email_address(_form: object, field: Field) -> None:
    if field.data and not EMAIL_SHAPE.match(field.data.strip()):
        raise ValidationError(_("Enter an e-mail address like name@company.com."))
