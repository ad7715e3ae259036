"""Xero's rate-limit headers, read into a typed value.

API 2.0 answers carry how many calls are left: ``X-DayLimit-Remaining`` (per organisation and
day), ``X-MinLimit-Remaining`` (per organisation and minute) and ``X-AppMinLimit-Remaining``
(per app and minute, across organisations). A 429 also names the limit that was hit in
``X-Rate-Limit-Problem``. Every :class:`~._base_client.RawResponse` and every
:class:`~._errors.XeroAPIError` exposes them as ``.rate_limit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["RateLimit"]

_DAY = "x-daylimit-remaining"
_MINUTE = "x-minlimit-remaining"
_APP_MINUTE = "x-appminlimit-remaining"


def _count(value: str | None) -> int | None:
    """A non-negative whole number, or None when absent or malformed."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Calls left before Xero's limits are hit, as Xero reported them.

    Attributes:
        day_remaining: Calls left today for this organisation (``X-DayLimit-Remaining``).
        minute_remaining: Calls left this minute for this organisation (``X-MinLimit-Remaining``).
        app_minute_remaining: Calls left this minute for the whole app, across organisations
            (``X-AppMinLimit-Remaining``).

    Each is ``None`` when the answer did not carry the header (API 1.0 never does; the
    tenantless ``/connections`` call gives only the app figure) or carried something that is
    not a whole number.
    """

    day_remaining: int | None = None
    minute_remaining: int | None = None
    app_minute_remaining: int | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str] | None) -> RateLimit:
        """Read the limit headers of an answer (header names are case-insensitive)."""
        if headers is None:
            return _EMPTY
        try:
            get = headers.get
            day, minute, app = get(_DAY), get(_MINUTE), get(_APP_MINUTE)
        except Exception:  # a foreign mapping: nothing to read
            return _EMPTY
        if day is None and minute is None and app is None:
            return _EMPTY
        return cls(_count(day), _count(minute), _count(app))


_EMPTY = RateLimit()
