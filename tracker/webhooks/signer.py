"""The signature a receiver checks: ``sha256=`` and the hex HMAC-SHA256 of
``timestamp + "." + body``, keyed with the endpoint's secret.

>>> signature = sign("s3cret", "1700000000", b'{"a":1}')
>>> signature[:7], len(signature)
('sha256=', 71)
>>> verify("s3cret", "1700000000", b'{"a":1}', signature)
True
>>> verify("other", "1700000000", b'{"a":1}', signature)
False
"""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Revloop-Signature header's value."""
    message = timestamp.encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does: compare in constant time."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
