"""The password rule, one place for the account page, the command line and
the demo: long enough, not too long, not the e-mail, not a common password."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from tracker.translation import _

MIN_LENGTH = 12
# Hashing cost grows with the input; a cap keeps a sign-in cheap to refuse.
MAX_BYTES = 1024
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, *, email: str) -> str | None:
    """What is wrong with ``password`` for the account ``email``, or None, in the
    reader's language (English outside a request).

    >>> password_problem("short", email="a@example.com")
    'Use at least 12 characters.'
    >>> password_problem("password1234", email="a@example.com")
    'That is one of the most common passwords: choose another.'
    >>> password_problem("correct horse battery", email="a@example.com") is None
    True
    """
    if len(password) < MIN_LENGTH:
        return _("Use at least %(num)d characters.", num=MIN_LENGTH)
    if len(password.encode("utf-8")) > MAX_BYTES:
        return _("Use at most %(num)s bytes (about %(num)s Latin letters).", num=f"{MAX_BYTES:,}")
    folded = password.casefold()
    email = email.strip().casefold()
    bare = folded.rstrip(string.digits + string.punctuation + " ")
    if email and (email in {folded, bare} or email.split("@")[0] in {folded, bare}):
        return _("Do not use your e-mail address, or part of it, as your password.")
    if folded in common_passwords() or len(set(folded)) == 1:
        return _("That is one of the most common passwords: choose another.")
    return None
