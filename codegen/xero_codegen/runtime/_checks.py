"""Client-side checks of a request body, before anything is sent.

The checks walk the generated xsdata dataclasses generically (``dataclasses.fields`` and
their ``metadata``), so they work for every API version without generated code:

* a required field (no default in the dataclass) must not be ``None``; a list with
  ``min_occurs >= 1`` must not be empty and one with ``max_occurs`` must not be longer;
* a field typed with an enum must hold a member (or the ``str`` value of a member);
* a ``str`` with a ``pattern`` in its metadata (GUIDs) must match it;
* invoice arithmetic, exactly as Xero checks it (keyed on the model class names ``Invoice``
  and ``LineItem`` and their fields): ``LineAmount = Quantity x UnitAmount`` with Quantity 1
  when omitted, ``SubTotal = sum(LineAmount)``, ``TotalTax = sum(TaxAmount)`` (a missing
  TaxAmount counts 0), ``Total = SubTotal + TotalTax``; only totals that are present are
  checked, and amounts are compared rounded half up to 2 decimal places.

Every problem is collected; :func:`check_body` returns them all, one line each, with the
XML path of the offending element.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import typing
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Any

__all__ = ["check_body"]

_TWO_DP = Decimal("0.01")
_MAX_PROBLEMS = 50


@dataclasses.dataclass(frozen=True, slots=True)
class _FieldInfo:
    name: str
    xml_name: str
    wrapper: str | None
    required: bool
    is_list: bool
    min_occurs: int
    max_occurs: int | None
    enums: tuple[type[Enum], ...]
    pattern: re.Pattern[str] | None


_cache: dict[type, tuple[_FieldInfo, ...]] = {}
_cache_lock = threading.Lock()


def _enums_in(tp: Any) -> tuple[type[Enum], ...]:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return (tp,)
    found: list[type[Enum]] = []
    for arg in typing.get_args(tp):
        found.extend(_enums_in(arg))
    return tuple(found)


def _is_list(tp: Any) -> bool:
    if typing.get_origin(tp) in (list, tuple):
        return True
    return any(_is_list(arg) for arg in typing.get_args(tp))


def _fields(cls: type) -> tuple[_FieldInfo, ...]:
    cached = _cache.get(cls)
    if cached is not None:
        return cached
    try:
        hints = typing.get_type_hints(cls)
    except Exception:
        hints = {}
    infos: list[_FieldInfo] = []
    for f in dataclasses.fields(cls):
        meta = f.metadata
        tp = hints.get(f.name, Any)
        pattern = meta.get("pattern")
        max_occurs = meta.get("max_occurs")
        infos.append(
            _FieldInfo(
                name=f.name,
                xml_name=str(meta.get("name") or f.name),
                wrapper=meta.get("wrapper"),
                required=f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING,
                is_list=_is_list(tp),
                min_occurs=int(meta.get("min_occurs", 0) or 0),
                max_occurs=int(max_occurs) if isinstance(max_occurs, int) else None,
                enums=_enums_in(tp),
                pattern=re.compile(pattern) if isinstance(pattern, str) else None,
            )
        )
    result = tuple(infos)
    with _cache_lock:
        _cache[cls] = result
    return result


def _root_name(obj: object) -> str:
    meta = getattr(type(obj), "Meta", None)
    return str(getattr(meta, "name", None) or type(obj).__name__)


def check_body(body: object) -> list[str]:
    """Every problem found in a request body (an empty list when it may be sent)."""
    problems: list[str] = []
    if dataclasses.is_dataclass(body) and not isinstance(body, type):
        _walk(body, _root_name(body), problems)
    return problems[:_MAX_PROBLEMS]


def _items(info: _FieldInfo, value: Any, path: str) -> Iterator[tuple[str, Any]]:
    base = f"{path}/{info.wrapper}" if info.wrapper else path
    if info.is_list and isinstance(value, (list, tuple)):
        for index, item in enumerate(value, start=1):
            yield f"{base}/{info.xml_name}[{index}]", item
    else:
        yield f"{base}/{info.xml_name}", value


def _walk(obj: Any, path: str, problems: list[str]) -> None:
    for info in _fields(type(obj)):
        value = getattr(obj, info.name, None)
        here = (
            f"{path}/{info.wrapper}/{info.xml_name}" if info.wrapper else f"{path}/{info.xml_name}"
        )
        if value is None:
            if info.required:
                problems.append(f"{here} is required")
            continue
        if info.is_list and isinstance(value, (list, tuple)):
            if len(value) < info.min_occurs:
                problems.append(f"{here}: at least {info.min_occurs} required, got {len(value)}")
            if info.max_occurs is not None and len(value) > info.max_occurs:
                problems.append(f"{here}: at most {info.max_occurs} allowed, got {len(value)}")
        for item_path, item in _items(info, value, path):
            if item is None:
                problems.append(f"{item_path} must not be None")
            elif info.enums:
                _check_enum(info, item, item_path, problems)
            elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                _walk(item, item_path, problems)
            elif (
                info.pattern is not None
                and isinstance(item, str)
                and info.pattern.fullmatch(item) is None
            ):
                problems.append(f"{item_path}: {item[:60]!r} is not of the expected form")
    name = type(obj).__name__
    if name == "LineItem":
        _check_line(obj, path, problems)
    elif name == "Invoice":
        _check_invoice(obj, path, problems)


def _check_enum(info: _FieldInfo, item: Any, path: str, problems: list[str]) -> None:
    if isinstance(item, info.enums):
        return
    allowed = [str(m.value) for e in info.enums for m in e]
    if isinstance(item, str) and item in allowed:
        return
    shown = ", ".join(allowed[:20]) + (", ..." if len(allowed) > 20 else "")
    problems.append(f"{path}: {str(item)[:60]!r} is not one of {shown}")


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    return None


def round2(value: Decimal) -> Decimal:
    """Round half up to cents, the precision Xero checks the totals at."""
    return value.quantize(_TWO_DP, rounding=ROUND_HALF_UP)


def _check_line(line: Any, path: str, problems: list[str]) -> None:
    unit = _decimal(getattr(line, "unit_amount", None))
    amount = _decimal(getattr(line, "line_amount", None))
    raw_quantity = getattr(line, "quantity", None)
    quantity = Decimal(1) if raw_quantity is None else _decimal(raw_quantity)
    if unit is None or amount is None or quantity is None:
        return  # a missing or non-numeric value is reported elsewhere (or by Xero)
    try:
        expected = round2(quantity * unit)
        if round2(amount) != expected:
            problems.append(
                f"{path}: LineAmount {amount} does not equal Quantity x UnitAmount ({expected})"
            )
    except InvalidOperation:
        problems.append(f"{path}: the amounts are too large to check")


def _check_invoice(invoice: Any, path: str, problems: list[str]) -> None:
    lines = getattr(invoice, "line_items", None) or []
    amounts = [_decimal(getattr(line, "line_amount", None)) for line in lines]
    taxes = [
        Decimal(0) if getattr(line, "tax_amount", None) is None else _decimal(line.tax_amount)
        for line in lines
    ]
    if any(a is None for a in amounts) or any(t is None for t in taxes):
        return  # reported as a missing or wrong value of the line itself
    sub_total = sum((a for a in amounts if a is not None), Decimal(0))
    total_tax = sum((t for t in taxes if t is not None), Decimal(0))
    checks = (
        ("SubTotal", "sub_total", sub_total, "the sum of the line amounts"),
        ("TotalTax", "total_tax", total_tax, "the sum of the tax amounts"),
        ("Total", "total", sub_total + total_tax, "SubTotal + TotalTax"),
    )
    try:
        for xml_name, attr, expected, what in checks:
            raw = getattr(invoice, attr, None)
            if raw is None:
                continue
            given = _decimal(raw)
            if given is None:
                problems.append(f"{path}/{xml_name}: {raw!r} is not a Decimal")
            elif round2(given) != round2(expected):
                problems.append(
                    f"{path}/{xml_name}: {given} does not equal {what} ({round2(expected)})"
                )
    except InvalidOperation:
        problems.append(f"{path}: the amounts are too large to check")
