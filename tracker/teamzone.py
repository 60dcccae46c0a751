"""The team's time zone, with the one fallback: UTC when none is set or the
name is not a zone this machine knows.

>>> zone_named("Asia/Riyadh").key, zone_named("").key, zone_named("Mars/Olympus").key
('Asia/Riyadh', 'UTC', 'UTC')
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str | None) -> ZoneInfo:
    """The zone called ``name``, or UTC."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
