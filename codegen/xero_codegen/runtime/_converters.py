"""Value conversions that keep Xero's meaning of dates and times.

The generated models mark two kinds of fields with a ``format`` in their metadata:

``xero:date``
    A calendar date with no zone. Xero writes it as a dateTime at midnight
    (``2008-02-25T00:00:00``); the model holds a :class:`datetime.date`.
``xero:utc-datetime``
    A UTC timestamp with up to 7 fractional digits (``2008-10-09T02:40:54.3997437Z``);
    the model holds a timezone-aware :class:`datetime.datetime` in UTC. A value without a
    zone is UTC. The 7th fractional digit (100 ns) is below Python's resolution and dropped.

These functions are the one implementation of both formats; xsdata's converters for
``date`` and ``datetime`` are wrapped so that every other format still goes to xsdata.

This module does not import xsdata: the generated lxml codec (the SDK's hot path) only needs
the functions. :func:`install` registers them with xsdata; :mod:`._xml` calls it when it first
loads xsdata, i.e. before xsdata parses or serialises any model through the runtime's
``bind()`` / ``serialize()`` (the reference path). Code that drives xsdata directly on these
models goes through those two functions, or calls :func:`install` first.
"""

from __future__ import annotations

import datetime
import re
import threading
from typing import Any

__all__ = [
    "DATE_FORMAT",
    "UTC_DATETIME_FORMAT",
    "format_date",
    "format_utc_datetime",
    "install",
    "parse_date",
    "parse_utc_datetime",
]

DATE_FORMAT = "xero:date"
UTC_DATETIME_FORMAT = "xero:utc-datetime"

# re.ASCII: \d is 0-9 only (Arabic-Indic or full-width digits are not Xero's dates)
_DATE_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?)?\s*\Z", re.ASCII)
_DATETIME_RE = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?"
    r"(Z|[+-]\d{2}:\d{2})?\s*\Z",
    re.ASCII,
)
_UTC = datetime.UTC


_date_fromisoformat = datetime.date.fromisoformat
_datetime_fromisoformat = datetime.datetime.fromisoformat


def parse_date(text: str) -> datetime.date:
    """Read ``YYYY-MM-DD`` or ``YYYY-MM-DDT00:00:00`` as a date."""
    # Fast path for the shapes Xero writes. With the separators checked, the only 10-character
    # text ``date.fromisoformat`` accepts is ``YYYY-MM-DD`` in ASCII digits, which the regular
    # expression below accepts with the same value; anything it refuses takes the general path.
    n = len(text)
    if (n == 10 or (n == 19 and text[10:] == "T00:00:00")) and text[4] == "-" and text[7] == "-":
        try:
            return _date_fromisoformat(text[:10])
        except ValueError:
            pass
    match = _DATE_RE.match(text)
    if match is None:
        raise ValueError(f"not a Xero date: {text[:40]!r}")
    year, month, day = (int(g) for g in match.groups())
    return datetime.date(year, month, day)


def format_date(value: datetime.date) -> str:
    """Write a date the way Xero does: ``YYYY-MM-DDT00:00:00``."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T00:00:00"


def parse_utc_datetime(text: str) -> datetime.datetime:
    """Read a Xero UTC timestamp as an aware datetime in UTC.

    Raises:
        ValueError: not such a timestamp, or one outside the years 1-9999 once in UTC.
    """
    # Fast path for ``YYYY-MM-DDTHH:MM:SS[.f{1,7}]Z`` in ASCII: with every separator checked,
    # ``datetime.fromisoformat`` accepts exactly the texts of that shape the regular expression
    # accepts (digits where digits are expected; the fraction, where it is lax, and the hour,
    # where newer Pythons accept 24:00, are checked here), with the same value (the fraction is
    # truncated to microseconds, the zone is UTC). Anything else takes the general path.
    n = len(text)
    if (
        (n == 20 or (22 <= n <= 28 and text[19] == "." and text[20:-1].isdigit()))
        and text[-1] == "Z"
        and text[4] == "-"
        and text[7] == "-"
        and text[10] == "T"
        and text[13] == ":"
        and text[16] == ":"
        and text[11:13] < "24"
        and text.isascii()
    ):
        try:
            return _datetime_fromisoformat(text)
        except ValueError:
            pass
    match = _DATETIME_RE.match(text)
    if match is None:
        raise ValueError(f"not a Xero UTC timestamp: {text[:40]!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    micro = int((fraction or "0").ljust(6, "0")[:6])
    tz: datetime.tzinfo = _UTC
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        tz = datetime.timezone(
            sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        )
    value = datetime.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    try:
        return value.astimezone(_UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        raise ValueError(f"not a Xero UTC timestamp (out of range in UTC): {text[:40]!r}") from None


def format_utc_datetime(value: datetime.datetime) -> str:
    """Write an aware datetime as a UTC timestamp ending in ``Z``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a UTC timestamp needs a timezone-aware datetime (got a naive one)")
    utc = value.astimezone(_UTC)
    text = f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}"
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


_install_lock = threading.Lock()
_installed = False


def install() -> None:
    """Register the Xero formats with xsdata's converter registry (idempotent, thread-safe).

    xsdata is imported here, not at module level: the SDK's hot path never needs it.
    """
    global _installed
    with _install_lock:
        if _installed:
            return
        from xsdata.exceptions import ConverterError
        from xsdata.formats.converter import Converter, converter

        class _Wrapped(Converter):
            """Handles the Xero formats; hands any other format to xsdata's own converter."""

            xero_formats = True  # marks an already wrapped converter

            def __init__(self, fallback: Converter, formats: dict[str, tuple[Any, Any]]) -> None:
                self.fallback = fallback
                self.formats = formats  # format marker -> (parse, write)

            def deserialize(self, value: Any, **kwargs: Any) -> Any:
                pair = self.formats.get(kwargs.get("format") or "")
                if pair is None:
                    return self.fallback.deserialize(value, **kwargs)
                if not isinstance(value, str):
                    raise ConverterError(f"expected text, got {type(value).__name__}")
                try:
                    return pair[0](value)
                except ValueError as exc:
                    raise ConverterError(str(exc)) from exc

            def serialize(self, value: Any, **kwargs: Any) -> str:
                pair = self.formats.get(kwargs.get("format") or "")
                if pair is None:
                    return str(self.fallback.serialize(value, **kwargs))
                try:
                    return str(pair[1](value))
                except (ValueError, AttributeError, TypeError) as exc:
                    raise ConverterError(str(exc)) from exc

        date_formats = {DATE_FORMAT: (parse_date, format_date)}
        datetime_formats = {
            UTC_DATETIME_FORMAT: (parse_utc_datetime, format_utc_datetime),
            # a datetime given where a date is expected is written as its date
            DATE_FORMAT: (parse_date, format_date),
        }
        for data_type, formats in (
            (datetime.date, date_formats),
            (datetime.datetime, datetime_formats),
        ):
            current = converter.type_converter(data_type)
            if getattr(current, "xero_formats", False) is not True:
                converter.register_converter(data_type, _Wrapped(current, formats))
        _installed = True
