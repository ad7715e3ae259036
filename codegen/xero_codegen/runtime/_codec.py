"""Value helpers of the generated lxml codec (``<version>/_codec.py``).

The generated decoders and encoders walk lxml elements directly into and out of the xsdata
dataclasses; everything that is not a per-model walk lives here, once. Semantics follow the
xsdata reference path (:func:`._xml.bind` / :func:`._xml.serialize`): text is kept as is,
enumerations, decimals and booleans ignore surrounding whitespace, an unknown enumerated
value is kept as its text, dates use the one implementation in :mod:`._converters`. Where
xsdata would only warn (a bad decimal or date), the codec raises XeroResponseError.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from decimal import Context, Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from lxml import etree

from ._checks import MAX_DECIMAL_DIGITS
from ._converters import format_date, format_utc_datetime, parse_date, parse_utc_datetime
from ._drift import kept_open, skipped
from ._errors import XeroResponseError

__all__ = [
    "Decoder",
    "Encoder",
    "bool_text",
    "decimal_text",
    "enum_table",
    "enum_text",
    "exact_decimal",
    "invalid",
    "missing",
    "parse_date",
    "parse_utc_datetime",
    "read_bool",
    "read_date",
    "read_decimal",
    "read_enum",
    "read_int",
    "read_utc_datetime",
    "repeated",
    "skipped",
    "to_bytes",
    "unknown",
    "write_date",
    "write_utc_datetime",
]

T = TypeVar("T")
Decoder = Callable[[etree._Element, bool], T]
"""``decode(element, strict) -> model``."""
Encoder = Callable[[Any], bytes]
"""``encode(model) -> document bytes``."""

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def missing(cls: str, tag: str) -> XeroResponseError:
    return XeroResponseError(f"the response does not match the schema: <{cls}> has no <{tag}>")


def repeated(cls: str, tag: str) -> XeroResponseError:
    """``<cls>`` holds ``<tag>`` twice, where the schema allows it once."""
    return XeroResponseError(
        f"the response does not match the schema: <{cls}> holds more than one <{tag}>"
    )


def unknown(cls: str, tag: object) -> XeroResponseError:
    return XeroResponseError(
        f"the response does not match the schema: unknown element <{tag}> in <{cls}>"
    )


def invalid(kind: str, where: str, text: str | None) -> XeroResponseError:
    """``where`` (``Class.Element``) holds ``text``, which is not a ``kind``."""
    return XeroResponseError(
        f"the response does not match the schema: {where} is not a {kind}: {(text or '')[:40]!r}"
    )


_bad = invalid


class _EnumTable(dict[str | None, Any]):
    """A value table that knows its enumeration's name (for :func:`._drift.kept_open`)."""

    __slots__ = ("enum_name",)
    enum_name: str


def enum_table(cls: type[Enum]) -> dict[str | None, Any]:
    """Value text -> member, for :func:`read_enum` and the generated decoders' fast path.

    Only values without surrounding whitespace are keys: :func:`read_enum` looks up stripped
    text, so an exact hit in this table is the member read_enum would return.
    """
    table = _EnumTable({key: member for member in cls if (key := str(member.value)) == key.strip()})
    table.enum_name = cls.__name__
    return table


def read_enum(table: dict[str | None, Any], text: str | None) -> Any:
    """The member named by ``text``; an unknown value stays text (as with xsdata) and is
    counted as schema drift."""
    if text is None:
        return ""
    key = text.strip()
    member = table.get(key)
    if member is None:
        if key:
            kept_open(getattr(table, "enum_name", "enumeration"), key)
        return text
    return member


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?", re.ASCII)
_INT = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)
exact_decimal = Context(prec=MAX_DECIMAL_DIGITS, traps=[InvalidOperation]).create_decimal
"""The generated decoders' fast path for a decimal as Xero writes it: text of at most
:data:`._checks.MAX_DECIMAL_DIGITS` characters (so as many digits at most, read exactly),
each an ASCII digit, ``.`` or ``-`` (the decoders check this first: no exponent, whitespace,
``_``, NaN or other scripts' digits). Its own context raises InvalidOperation on bad syntax
(``1-2``) whatever the thread's decimal context says; the decoders then call
:func:`read_decimal`, which raises the error naming the field. Any text it reads it reads as
:func:`read_decimal` would, to the same value."""


#: The largest magnitude of .NET's System.Decimal, which Xero keeps amounts in: 29 digits.
SYSTEM_DECIMAL_MAX = Decimal("79228162514264337593543950335")
_SYSTEM_DECIMALS: ContextVar[bool] = ContextVar("xero_system_decimals", default=False)


@contextlib.contextmanager
def reading_system_decimals() -> Iterator[None]:
    """Read decimals as Xero's server does (.NET's System.Decimal: up to 29 digits within its
    range) instead of the SDK's 28-digit rule: for a program that stands in for Xero and reads
    what clients send (the local sandbox), never for reading Xero's answers."""
    token = _SYSTEM_DECIMALS.set(True)
    try:
        yield
    finally:
        _SYSTEM_DECIMALS.reset(token)


def read_decimal(text: str | None, where: str) -> Decimal:
    """A decimal as the write side allows it (:data:`._checks.MAX_DECIMAL_DIGITS` digits
    written out, finite), from ASCII digits only: ``1E+999999999`` or 100,000 digits would
    cost seconds and gigabytes in every comparison, ``1_000`` and other scripts' digits are
    not Xero's."""
    value_text = (text or "").strip()
    if len(value_text) > 2 * MAX_DECIMAL_DIGITS or not _DECIMAL.fullmatch(value_text):
        raise _bad("decimal", where, text)
    try:
        value = Decimal(value_text)
    except InvalidOperation:
        raise _bad("decimal", where, text) from None
    if not value.is_finite():
        raise _bad("decimal", where, text)
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    integer = 0 if digits == (0,) else max(len(digits) + exponent, 0)
    fraction = max(-exponent, 0)
    if integer + fraction > MAX_DECIMAL_DIGITS and not (
        _SYSTEM_DECIMALS.get()
        and integer + fraction == MAX_DECIMAL_DIGITS + 1
        and value.copy_abs() <= SYSTEM_DECIMAL_MAX  # copy_abs: exact (abs() rounds to 28)
    ):
        raise _bad(f"decimal of at most {MAX_DECIMAL_DIGITS} digits", where, text)
    return value


def read_bool(text: str | None, where: str) -> bool:
    value = (text or "").strip()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _bad("boolean", where, text)


def read_int(text: str | None, where: str) -> int:
    """A whole number from ASCII digits only (``1_0`` and other scripts' digits are not
    Xero's; at most 19 digits)."""
    value = (text or "").strip()
    if not _INT.fullmatch(value):
        raise _bad("whole number", where, text)
    return int(value)


def read_date(text: str | None, where: str) -> Any:
    try:
        return parse_date(text or "")
    except ValueError:
        raise _bad("Xero date", where, text) from None


def read_utc_datetime(text: str | None, where: str) -> Any:
    try:
        return parse_utc_datetime(text or "")
    except ValueError:
        raise _bad("Xero UTC timestamp", where, text) from None


def enum_text(value: Any) -> str:
    """An enumerated value (or the text of an unknown one) as element text."""
    return str(value.value) if isinstance(value, Enum) else str(value)


def decimal_text(value: Any) -> str:
    """A Decimal without exponent, as xsdata writes it (``1E+2`` -> ``100``)."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def bool_text(value: Any) -> str:
    return "true" if value else "false"


write_date = format_date
write_utc_datetime = format_utc_datetime


def to_bytes(element: etree._Element) -> bytes:
    """A document without XML declaration, UTF-8 (as :func:`._xml.serialize`)."""
    return etree.tostring(element, encoding="utf-8")
