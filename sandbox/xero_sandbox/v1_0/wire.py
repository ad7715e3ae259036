"""Value formats on the 1.0 wire: GUIDs, money and UTC timestamps.

Xero 1.0 wrote GUIDs in lower case, amounts with four decimals and timestamps with seven
fractional digits and ``Z``. Calendar dates (``YYYY-MM-DDT00:00:00``) and every other value
are written by the SDK's codec.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ..amounts import DECIMAL_MAX, WIDE, fits_decimal, multiply, round2, total
from .errors import FORMAT_EXCEPTION, ApiError

__all__ = [
    "DECIMAL_MAX",
    "fits_decimal",
    "format_utc",
    "money",
    "multiply",
    "new_guid",
    "parse_guid",
    "parse_utc",
    "round2",
    "total",
]

_GUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_GUID_MESSAGE = (
    "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."
)
_FOUR_DP = Decimal("0.0001")
_DATETIME_MESSAGE = "String was not recognized as a valid DateTime."


def new_guid() -> str:
    """A fresh random GUID in Xero's lower-case form."""
    return str(uuid.uuid4())


def parse_guid(value: str) -> str:
    """Normalise a GUID given by a client (either case) or raise System.FormatException."""
    candidate = value.strip()
    if not _GUID_RE.match(candidate):
        raise ApiError(FORMAT_EXCEPTION, _GUID_MESSAGE)
    return candidate.lower()


def money(value: Decimal) -> Decimal:
    """Four decimal places, as Xero answered: ``379.5300``."""
    return value.quantize(_FOUR_DP, context=WIDE)


def format_utc(value: datetime) -> str:
    """A UTC timestamp with seven fractional digits: ``2008-10-09T02:40:54.3997430Z``."""
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"


def parse_utc(text: str) -> datetime:
    """Parse a timestamp or date given by a client; a value without a zone is UTC.

    Accepts ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM:SS`` with up to seven fractional digits and
    an optional ``Z`` or numeric offset. Query strings turn ``+`` into a space, so a space
    before the offset is read as ``+``. Raises System.FormatException otherwise.
    """
    raw = text.strip().replace(" ", "+")
    match = re.match(
        r"^(\d{4}-\d{2}-\d{2})(?:[T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:?\d{2})?$",
        raw,
    )
    if not match:
        raise ApiError(FORMAT_EXCEPTION, _DATETIME_MESSAGE)
    day, clock, fraction, zone = match.groups()
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock or '00:00:00'}")
        if fraction:
            parsed = parsed.replace(microsecond=int(fraction[:6].ljust(6, "0")))
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if offset > timedelta(hours=14) or int(digits[2:]) > 59:
                raise ValueError("offset beyond +-14:00")
            parsed = parsed - sign * offset  # OverflowError past year 1 or 9999
        return parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise ApiError(FORMAT_EXCEPTION, _DATETIME_MESSAGE) from exc
