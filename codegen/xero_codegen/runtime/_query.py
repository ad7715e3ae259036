"""Turning typed method arguments into query parameters, with client-side checks."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable, Mapping

from ._errors import RequestValidationError

__all__ = ["check_choice", "check_one_of", "encode_datetime", "encode_guid", "encode_string"]

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
        raise RequestValidationError(
            [f"Expected a non-empty value for `{name}` but received {value!r}"]
        )
    return value


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
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%dT00:00:00")
    raise RequestValidationError(
        [f"`{name}` must be a datetime or a date; got {type(value).__name__}"]
    )


def check_one_of(arguments: Mapping[str, object]) -> None:
    """Exactly one of ``arguments`` must be given (not None)."""
    given = [name for name, value in arguments.items() if value is not None]
    if len(given) != 1:
        names = " or ".join(f"`{n}`" for n in arguments)
        got = ", ".join(f"`{n}`" for n in given) if given else "none"
        raise RequestValidationError([f"give exactly one of {names} (got {got})"])
