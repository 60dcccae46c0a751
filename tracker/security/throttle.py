"""Failed sign-ins, throttled per client address and account together.

Ten failures for one account from one address within fifteen minutes stop
that address from trying that account until the window ends. The same
account from any other address is untouched, so an attacker cannot lock a
real user out; and since the key is the e-mail typed, not the account found,
the answer is the same whether or not the account exists.

The counts live in Flask-Limiter's storage (``TRACKER_RATELIMIT_STORAGE_URI``,
memory by default: one host). An admin's "unlock" bumps the account's
generation, which is part of every key, so all its counts start again at
zero whatever storage holds them.
"""

from __future__ import annotations

import math
import time

from limits import parse

from tracker.extensions import limiter

FAILURES = parse("10 per 15 minutes")
# The generation must outlive every count made under it.
GENERATION_LIFETIME = 24 * 60 * 60


def _generation_key(email: str) -> str:
    return f"revloop/sign-in-generation/{email}"


def _identifiers(email: str, address: str) -> tuple[str, ...]:
    generation = limiter.storage.get(_generation_key(email))
    return ("sign-in", email, str(generation), address)


def blocked_for(email: str, address: str) -> int | None:
    """Minutes left before ``address`` may try ``email`` again, or None."""
    identifiers = _identifiers(email, address)
    if limiter.limiter.test(FAILURES, *identifiers):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(FAILURES, *identifiers)
    return max(1, math.ceil((reset_at - time.time()) / 60))


def record_failure(email: str, address: str) -> None:
    limiter.limiter.hit(FAILURES, *_identifiers(email, address))


def unlock(email: str) -> None:
    """Forget every failed sign-in of ``email``, from every address."""
    limiter.storage.incr(_generation_key(email), GENERATION_LIFETIME)
