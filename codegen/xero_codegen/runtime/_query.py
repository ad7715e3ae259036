"""Turning typed method arguments into query parameters, headers and path segments, with
client-side checks (a refused argument raises RequestValidationError naming it)."""

from __future__ import annotations

import datetime
import re
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping, Sequence

from ._errors import RequestValidationError

__all__ = [
    "check_choice",
    "check_one_of",
    "encode_bool",
    "encode_choice_list",
    "encode_date",
    "encode_datetime",
    "encode_guid",
    "encode_guid_list",
    "encode_int",
    "encode_path_segment",
    "encode_string",
    "encode_string_list",
]

_GUID_RE = re.compile(
    r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)


def encode_guid(name: str, value: str | uuid.UUID | None) -> str | None:
    """A GUID as Xero reads it (lower case), or None when not given."""
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str) or not _GUID_RE.match(value):
        raise RequestValidationError(
            [f"`{name}` must be a GUID such as 4c76ffb5-02e7-47c5-9a86-b0a5a35d1682"]
        )
    return value.lower()


def encode_string(name: str, value: str | None) -> str | None:
    """A non-empty string parameter, or None when not given."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        takes = _TAKES.get(name)
        if takes is not None:
            got = "an empty string" if value == "" else f"a {type(value).__name__}: {value!r}"
            raise RequestValidationError([f"`{name}` takes {takes}; got {got}"[:300]])
        raise RequestValidationError(
            [f"Expected a non-empty value for `{name}` but received {value!r}"]
        )
    if not _encodable(value):
        raise RequestValidationError(
            [f"`{name}` is not valid text (it holds lone surrogates, which cannot be sent)"]
        )
    return value


_TAKES = {
    "where": (
        "a string such as 'Status==\"AUTHORISED\"' or a field(...) expression"
        ' (from xero_customer_api import field; where=field("Status").eq("AUTHORISED"))'
    ),
    "order": "a string such as 'UpdatedDateUTC DESC'",
}
"""What the free-text query parameters take, for the message when given something else."""


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


MAX_INT = 2_147_483_647
"""The largest whole number a parameter may have (Xero reads them as 32-bit integers)."""


def check_choice(name: str, value: str | None, choices: Iterable[str]) -> str | None:
    """One of the wire values of an enumerated parameter, or None when not given."""
    if value is None:
        return None
    allowed = tuple(choices)
    if value not in allowed:
        raise RequestValidationError(
            [f"`{name}` must be one of {', '.join(allowed)}; got {value!r}"]
        )
    return value


def encode_datetime(name: str, value: datetime.datetime | datetime.date | None) -> str | None:
    """A UTC moment as Xero reads it: ``YYYY-MM-DDTHH:MM:SS`` (a date means midnight UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise RequestValidationError(
                [f"`{name}` must be timezone-aware (Xero reads it as UTC); got a naive datetime"]
            )
        try:
            utc = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise RequestValidationError(
                [f"`{name}` is out of range once in UTC (years 1 to 9999)"]
            ) from None
        return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc:%H:%M:%S}"
    if isinstance(value, datetime.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}T00:00:00"
    raise RequestValidationError(
        [f"`{name}` must be a datetime or a date; got {type(value).__name__}"]
    )


def encode_date(name: str, value: datetime.date | None) -> str | None:
    """A calendar date as Xero reads it: ``YYYY-MM-DD``. A datetime is refused (which day it
    is depends on a time zone the SDK cannot know)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise RequestValidationError(
            [f"`{name}` must be a datetime.date (YYYY-MM-DD); got {type(value).__name__}"]
        )
    return value.isoformat()


def check_one_of(arguments: Mapping[str, object]) -> None:
    """Exactly one of ``arguments`` must be given (not None)."""
    given = [name for name, value in arguments.items() if value is not None]
    if len(given) != 1:
        names = " or ".join(f"`{n}`" for n in arguments)
        got = ", ".join(f"`{n}`" for n in given) if given else "none"
        raise RequestValidationError([f"give exactly one of {names} (got {got})"])


def encode_bool(name: str, value: bool | None) -> str | None:
    """``true``/``false`` as Xero reads booleans, or None when not given."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise RequestValidationError([f"`{name}` must be True or False; got {value!r}"])
    return "true" if value else "false"


def encode_int(
    name: str, value: int | None, choices: Iterable[int] | None = None, *, minimum: int = 1
) -> str | None:
    """A whole number (at least ``minimum``, or one of ``choices``), or None when not given."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise RequestValidationError([f"`{name}` must be a whole number; got {value!r}"])
    if choices is not None:
        allowed = tuple(choices)
        if value not in allowed:
            listed = ", ".join(str(c) for c in allowed)
            raise RequestValidationError([f"`{name}` must be one of {listed}; got {value!r}"])
    elif value < minimum:
        raise RequestValidationError([f"`{name}` must be at least {minimum}; got {value!r}"])
    elif value > MAX_INT:
        raise RequestValidationError([f"`{name}` must be at most {MAX_INT:,}"])
    return str(value)


def _sequence(name: str, values: object) -> list[object]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | set | frozenset):
        raise RequestValidationError(
            [f"`{name}` must be a list of values, not {type(values).__name__}"]
        )
    if not values:
        raise RequestValidationError([f"`{name}` must not be empty (leave it out to not filter)"])
    return list(values)


def encode_guid_list(name: str, values: Sequence[str | uuid.UUID] | None) -> str | None:
    """GUIDs as one comma-separated value (lower case), or None when not given."""
    if values is None:
        return None
    out: list[str] = []
    for index, value in enumerate(_sequence(name, values)):
        encoded = encode_guid(f"{name}[{index}]", value)  # type: ignore[arg-type]
        if encoded is None:
            raise RequestValidationError([f"`{name}[{index}]` must be a GUID, not None"])
        out.append(encoded)
    return ",".join(out)


def encode_string_list(name: str, values: Sequence[str] | None) -> str | None:
    """Strings as one comma-separated value (none may hold a comma), or None when not given."""
    if values is None:
        return None
    out: list[str] = []
    for index, value in enumerate(_sequence(name, values)):
        if not isinstance(value, str) or not value.strip():
            raise RequestValidationError(
                [f"`{name}[{index}]` must be a non-empty string; got {value!r}"]
            )
        if "," in value:
            raise RequestValidationError(
                [f"`{name}[{index}]` cannot hold a comma (Xero splits the list on commas)"]
            )
        out.append(value)
    return ",".join(out)


def encode_choice_list(
    name: str, values: Sequence[str] | None, choices: Iterable[str]
) -> str | None:
    """Enumerated values as one comma-separated value, or None when not given."""
    if values is None:
        return None
    allowed = tuple(choices)
    out: list[str] = []
    for index, value in enumerate(_sequence(name, values)):
        checked = check_choice(f"{name}[{index}]", value, allowed)  # type: ignore[arg-type]
        if checked is None:
            raise RequestValidationError([f"`{name}[{index}]` must be one of {', '.join(allowed)}"])
        out.append(checked)
    return ",".join(out)


def encode_path_segment(name: str, value: str | None) -> str:
    """One path segment from an (already checked) argument, percent-encoded.

    ``value`` is what ``encode_guid``/``encode_string`` made of the argument (None when it was
    not given). A segment that is empty, only dots, or only whitespace would change the path,
    so it is refused; everything but unreserved characters is percent-encoded (``/`` too).
    """
    if value is None:
        raise RequestValidationError([f"`{name}` is required"])
    if not value.strip() or value.strip(".") == "":
        raise RequestValidationError([f"`{name}` cannot be {value!r} (it would change the path)"])
    return urllib.parse.quote(value, safe="")
