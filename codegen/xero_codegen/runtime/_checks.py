"""Client-side checks of a request body, before anything is encoded or sent.

What is checked comes from the schemas: the generator derives, for every model of an API
version, a table of its fields (element path, XSD type and facets, occurrence bounds) and
renders it as ``<version>/_checks.py`` (see ``codegen/xero_codegen/checks_ir.py``). This module
is the small generic part: the value checks those tables are built from and the walker that
runs them. Per field:

* presence: a required field must not be ``None``; a list must be a ``list`` (or ``tuple``)
  within its ``minOccurs``/``maxOccurs``;
* type: ``str`` for text, ``Decimal`` for ``xs:decimal`` (a ``float`` or a ``str`` is refused:
  use ``Decimal``; an ``int`` is exact and allowed), ``int``, ``bool``, ``datetime.date`` for
  Xero dates, a timezone-aware ``datetime.datetime`` for UTC timestamps, a member (or the
  value text) of an enumeration, an instance of the model class for a nested element;
* the XSD facets, on the lexical form the encoder writes (``format(value, "f")``: no
  exponent): ``fractionDigits``, ``totalDigits``, ``min/maxInclusive``/``Exclusive``,
  ``length``/``minLength``/``maxLength``, ``pattern``, and text XML can carry. A decimal is
  checked from ``Decimal.as_tuple()`` before any arithmetic, so ``NaN``, ``Infinity``,
  ``1E+999999999`` or ``1E-999999999`` are refused at once. A decimal whose type has no
  ``totalDigits`` may have at most :data:`MAX_DECIMAL_DIGITS` digits.

A model can also carry a *rule* named in the version's ``manifest.toml`` (``[checks.rules]``):
the invoice arithmetic exactly as Xero checks it, ``line-amount`` (``LineAmount = Quantity x
UnitAmount``, Quantity 1 when omitted) and ``invoice-totals`` (``SubTotal = sum(LineAmount)``,
``TotalTax = sum(TaxAmount)`` with a missing TaxAmount counting 0, ``Total = SubTotal +
TotalTax``; only totals that are present are checked). Amounts are compared rounded half up to
2 decimal places, computed exactly. A rule runs only when the numbers below it passed their
own checks.

An endpoint can also require elements the schema leaves optional: the write types are shared
by PUT (create) and POST (update or save), and an update may carry only the record's id, so
what Xero requires of a *new* record is declared per endpoint in the manifest
(``request.required``) and checked with :meth:`Model.requiring`, e.g.
``Contact[3]/Name is required to create a Contact``. A batch is checked whole, so a missing
element in its last item is refused before any part is sent.

Every problem is collected (at most :data:`MAX_PROBLEMS`); :func:`check_body` returns them
all, one line each, led by the XML path of the offending element, e.g.
``Invoice/LineItems/LineItem[1]/UnitAmount: expected a Decimal, got float 100.0 (use Decimal)``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = [
    "ANY",
    "MAX_DECIMAL_DIGITS",
    "MAX_PROBLEMS",
    "RULES",
    "Field",
    "Model",
    "Value",
    "as_list",
    "boolean",
    "check_body",
    "date",
    "decimal",
    "enum",
    "integer",
    "model",
    "text",
    "union",
    "utc_datetime",
]

MAX_PROBLEMS = 50
MAX_DECIMAL_DIGITS = 28
"""Digits of a decimal whose XSD type sets no ``totalDigits`` (XSD leaves the bound to the
implementation and requires at least 18). 28 is the precision of Python's default decimal
context, and about what .NET's ``System.Decimal`` holds (Xero's 1.0 API runs on .NET)."""

_TWO_DP = Decimal("0.01")
# Exact for every value the checks let through (at most MAX_DECIMAL_DIGITS, or a schema's
# totalDigits, digits each): products and sums of them stay far below this precision.
_EXACT = Context(prec=400, rounding=ROUND_HALF_UP, Emax=10_000, Emin=-10_000)
# Characters XML 1.0 cannot carry (lxml refuses to write them, Xero could not read them): the
# complement of XML's Char production within what a Python str can hold.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Check = Callable[[Any], "str | None"]
"""A value check: ``None`` when the value is fine, else the problem (without the path)."""


def _short(value: Any) -> str:
    """``str(value)``, cut to 40 characters (a huge int is not converted at all)."""
    if isinstance(value, int) and value.bit_length() > 128:
        return f"<{value.bit_length()}-bit number>"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _shown(value: Any) -> str:
    """A short, safe rendering of a refused value: its type, and its value if scalar."""
    if value is None:
        return "None"
    kind = type(value).__name__
    if isinstance(value, str):
        return f"{kind} {_short(value)!r}"
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return f"{kind} {_short(value)}"
    return kind


def _a(name: str) -> str:
    return ("an " if name[:1] in "AEIOUaeiou" else "a ") + name


class Value:
    """The check of one value of an XSD simple type (or a reference to a model)."""

    __slots__ = ("check", "expected", "model", "nested")

    def __init__(
        self,
        expected: str,
        check: Check,
        model: Model | None = None,
        nested: bool = False,
    ) -> None:
        self.expected = expected  # what the value must be, for messages
        self.check = check
        self.model = model  # set for a nested complex type: the walker descends
        self.nested = nested  # the check counts towards a rule's numbers (decimals, models)


# --------------------------------------------------------------------- simple types


def text(
    *,
    length: int | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> Value:
    """``xs:string`` (and its restrictions): a ``str`` XML can carry, within the facets."""
    compiled = re.compile(pattern) if pattern is not None else None
    has_facets = length is not None or min_length is not None or max_length is not None

    def check(value: Any) -> str | None:
        if type(value) is not str and not isinstance(value, str):
            return f"expected a str, got {_shown(value)}"
        bad = _NOT_XML.search(value)
        if bad is not None:
            return (
                f"contains {bad.group()!r} at position {bad.start()}, a character XML cannot carry"
            )
        if has_facets:
            n = len(value)
            if length is not None and n != length:
                return f"is {n} characters long; exactly {length} needed"
            if min_length is not None and n < min_length:
                return f"is {n} characters long; at least {min_length} needed"
            if max_length is not None and n > max_length:
                return f"is {n} characters long; at most {max_length} allowed"
        if compiled is not None and compiled.fullmatch(value) is None:
            return f"{_short(value)!r} does not have the expected form {pattern}"
        return None

    return Value("a str", check)


def _bounds(
    value: Any,
    min_inclusive: Any,
    max_inclusive: Any,
    min_exclusive: Any,
    max_exclusive: Any,
) -> str | None:
    if min_inclusive is not None and value < min_inclusive:
        return f"{_short(value)} is less than {min_inclusive}, the smallest allowed"
    if max_inclusive is not None and value > max_inclusive:
        return f"{_short(value)} is more than {max_inclusive}, the largest allowed"
    if min_exclusive is not None and value <= min_exclusive:
        return f"{_short(value)} must be more than {min_exclusive}"
    if max_exclusive is not None and value >= max_exclusive:
        return f"{_short(value)} must be less than {max_exclusive}"
    return None


def decimal(
    *,
    fraction_digits: int | None = None,
    total_digits: int | None = None,
    min_inclusive: str | None = None,
    max_inclusive: str | None = None,
    min_exclusive: str | None = None,
    max_exclusive: str | None = None,
) -> Value:
    """``xs:decimal``: a finite ``Decimal`` (or an ``int``) whose written form fits the facets."""
    digits_cap = MAX_DECIMAL_DIGITS if total_digits is None else total_digits
    limits = tuple(
        None if v is None else Decimal(v)
        for v in (min_inclusive, max_inclusive, min_exclusive, max_exclusive)
    )
    has_limits = any(v is not None for v in limits)
    # An int of more bits than this has more digits than allowed: refused before conversion.
    max_bits = int(digits_cap * 3.33) + 4

    def check(value: Any) -> str | None:
        if type(value) is not Decimal:
            if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
                return f"expected a Decimal, got {_shown(value)} (use Decimal)"
            if not isinstance(value, Decimal):
                if value.bit_length() > max_bits:
                    return f"has more than {digits_cap} digits, the most allowed"
                value = Decimal(value)
        if not value.is_finite():
            return f"{value} is not a finite number"
        # The written form, format(value, "f"): its integer digits (none for a lone 0 before
        # the point) and its fraction digits. str() is that form unless it has to use an
        # exponent (a positive one, or a tiny value); as_tuple() counts those without writing.
        shown = str(value)
        if "E" not in shown:
            point = shown.find(".")
            start = 1 if shown[0] == "-" else 0
            if point < 0:
                fraction, integer = 0, len(shown) - start
            else:
                fraction = len(shown) - point - 1
                integer = 0 if shown[start:point] == "0" else point - start
        else:
            _, digits, exponent = value.as_tuple()
            assert isinstance(exponent, int)
            fraction = -exponent if exponent < 0 else 0
            integer = 0 if digits == (0,) else max(len(digits) + exponent, 0)  # 0E+9: "0"
        if fraction_digits is not None and fraction > fraction_digits:
            return (
                f"{_short(value)} has {fraction} decimal places; at most {fraction_digits}"
                " are allowed (round it with Decimal.quantize)"
            )
        written = integer + fraction
        if written > digits_cap:
            return f"{_short(value)} has {written} digits; at most {digits_cap} are allowed"
        if has_limits:
            return _bounds(value, *limits)
        return None

    return Value("a Decimal", check, nested=True)


def integer(
    *,
    min_inclusive: int | None = None,
    max_inclusive: int | None = None,
    min_exclusive: int | None = None,
    max_exclusive: int | None = None,
) -> Value:
    """``xs:integer`` and its kin (``xs:int``, ``xs:long``...): an ``int`` in range."""

    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected an int, got {_shown(value)}"
        return _bounds(value, min_inclusive, max_inclusive, min_exclusive, max_exclusive)

    return Value("an int", check)


def _check_bool(value: Any) -> str | None:
    if value is True or value is False:
        return None
    return f"expected a bool (True or False), got {_shown(value)}"


def boolean() -> Value:
    """``xs:boolean``: ``True`` or ``False`` (not ``1``, not ``"false"``)."""
    return Value("a bool", _check_bool)


def _check_date(value: Any) -> str | None:
    if type(value) is datetime.date:
        return None
    if isinstance(value, datetime.datetime):
        return f"expected a datetime.date, got {_shown(value)} (use .date())"
    if isinstance(value, datetime.date):
        return None
    return f"expected a datetime.date, got {_shown(value)}"


def date() -> Value:
    """A Xero calendar date: a ``datetime.date`` (not a ``datetime``, not a ``str``)."""
    return Value("a datetime.date", _check_date)


def _check_utc_datetime(value: Any) -> str | None:
    if not isinstance(value, datetime.datetime):
        return f"expected a timezone-aware datetime.datetime, got {_shown(value)}"
    if value.tzinfo is None or value.utcoffset() is None:
        return f"{value} is a naive datetime; a timezone-aware one is needed (Xero reads UTC)"
    try:
        value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return f"{value} is out of range once converted to UTC"
    return None


def utc_datetime() -> Value:
    """A Xero UTC timestamp: a timezone-aware ``datetime.datetime``."""
    return Value("a timezone-aware datetime.datetime", _check_utc_datetime)


def enum(cls: type[Enum]) -> Value:
    """An enumeration: a member of ``cls``, or the text of one of its values."""
    values = frozenset(str(member.value) for member in cls)
    allowed = [str(member.value) for member in cls]
    shown = ", ".join(allowed[:20]) + (", ..." if len(allowed) > 20 else "")

    def check(value: Any) -> str | None:
        if type(value) is cls or (isinstance(value, str) and value in values):
            return None
        if isinstance(value, Enum) and isinstance(value, cls):
            return None
        got = repr(_short(value)) if isinstance(value, str) else _shown(value)
        return f"{got} is not one of {shown}"

    return Value(_a(cls.__name__), check)


def union(*members: Value) -> Value:
    """An ``xs:union``: a value any member accepts (e.g. an open enumeration)."""
    checks = tuple(m.check for m in members)

    def check(value: Any) -> str | None:
        problems = []
        for member in checks:
            problem = member(value)
            if problem is None:
                return None
            problems.append(problem)
        return "; nor ".join(problems)

    return Value(" or ".join(m.expected for m in members), check)


def model(target: Model) -> Value:
    """A nested complex type: an instance of the model class, checked field by field."""
    return Value(_a(target.class_name), _no_check, model=target, nested=True)


def _no_check(value: Any) -> str | None:
    return None


ANY = Value("a value", _no_check)
"""A value of a type the runtime has no specific check for: only its presence is checked."""


# --------------------------------------------------------------------- tables


class Field:
    """One field of a model: attribute, element path, value check and occurrence bounds."""

    __slots__ = ("attr", "is_list", "max_occurs", "min_occurs", "path", "required", "value")

    def __init__(
        self,
        attr: str,
        path: str,
        value: Value,
        *,
        required: bool | str = False,
        is_list: bool = False,
        min_occurs: int = 0,
        max_occurs: int | None = None,
    ) -> None:
        self.attr = attr  # the dataclass attribute
        self.path = path  # below the parent element: "Name", "LineItems/LineItem", "@status"
        self.value = value
        self.required = required  # a str: required, with this note ending the problem
        self.is_list = is_list
        self.min_occurs = min_occurs
        self.max_occurs = max_occurs


class Model:
    """The checks of one generated model class (its fields are set once all models exist).

    ``cls`` may be given by name: the class is then imported from ``module`` when a check
    first needs it, so a table of checks does not load every model.
    """

    __slots__ = ("class_name", "cls", "fields", "module", "name", "plan", "rule", "variants")
    cls: type[Any]

    def __init__(
        self, cls: type[Any] | str, name: str, rule: str | None = None, *, module: str = ""
    ) -> None:
        if isinstance(cls, str):
            self.class_name, self.module = cls, module
        else:
            self.cls, self.class_name, self.module = cls, cls.__name__, cls.__module__
        self.name = name  # the element name of the class as a document root
        self.rule = _RULES[rule] if rule is not None else None
        self.fields: tuple[Field, ...] = ()
        self.plan: tuple[_Step, ...] | None = None  # the walker's view of fields, on first use
        self.variants: dict[tuple[str, ...], Model] = {}  # see requiring()

    def __getattr__(self, attr: str) -> Any:
        """``cls`` given by name: import it on first use (any other name is an error)."""
        if attr != "cls":
            raise AttributeError(attr)
        import importlib

        found: type[Any] = getattr(importlib.import_module(self.module), self.class_name)
        self.cls = found
        return found

    def requiring(self, *elements: str) -> Model:
        """These checks, with ``elements`` (child element names of the root, e.g. ``"Name"``,
        ``"LineItems"``) required as well: what an endpoint needs that the shared write type
        leaves optional (a create). A required list must hold at least one item. Unknown
        names raise ``ValueError`` (the generator checks them against the schema first)."""
        key = tuple(elements)
        found = self.variants.get(key)
        if found is not None:
            return found
        known = {f.path.split("/", 1)[0] for f in self.fields}
        unknown = [e for e in key if e not in known]
        if unknown:
            raise ValueError(f"{self.name} has no element {', '.join(unknown)}")
        variant = Model(self.class_name, self.name, module=self.module)
        variant.rule = self.rule
        note = f" to create {_a(self.name)}"
        variant.fields = tuple(
            _required(f, note) if f.path.split("/", 1)[0] in key else f for f in self.fields
        )
        self.variants[key] = variant
        return variant


def _required(field: Field, note: str) -> Field:
    """``field`` required (a list: with at least one item), ``note`` ending its problem."""
    return Field(
        field.attr,
        field.path,
        field.value,
        required=note or True,
        is_list=field.is_list,
        min_occurs=max(field.min_occurs, 1) if field.is_list else field.min_occurs,
        max_occurs=field.max_occurs,
    )


# --------------------------------------------------------------------- walking


def as_list(value: Iterable[T], param: str, item: str) -> list[T]:
    """The items of a batch argument (``save_many(contacts)``) as the list the body holds.

    Anything but an iterable of items (``None``, one item, a ``str``, a ``dict``) raises
    RequestValidationError naming the parameter; the items themselves are checked with
    the body.
    """
    if type(value) is list:
        return value
    if (
        value is None
        or isinstance(value, (str, bytes, bytearray, Mapping))
        or not isinstance(value, Iterable)
    ):
        from ._errors import RequestValidationError  # here: this module needs only the stdlib

        raise RequestValidationError([f"`{param}` must be a list of {item}, got {_shown(value)}"])
    return list(value)


class _State:
    __slots__ = ("numbers", "problems")

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.numbers = 0  # problems with numbers or nested models: the rules need clean ones


def check_body(body: object, root: Model) -> list[str]:
    """Every problem found in a request body (an empty list when it may be sent)."""
    state = _State()
    if type(body) is list:  # a batch written without a wrapper model: each item on its own
        for index, item in enumerate(body, 1):
            path = f"{root.name}[{index}]"
            if not isinstance(item, root.cls):
                state.problems.append(
                    f"{path}: expected {_a(root.cls.__name__)}, got {_shown(item)}"
                )
            else:
                _walk(root, item, path, state)
        return state.problems[:MAX_PROBLEMS]
    if not isinstance(body, root.cls):
        return [f"{root.name}: expected {_a(root.cls.__name__)}, got {_shown(body)}"]
    _walk(root, body, root.name, state)
    return state.problems[:MAX_PROBLEMS]


_Step = tuple[str, str, Check, "Model | None", "bool | str", bool, int, "int | None", bool, str]


def _plan(spec: Model) -> tuple[_Step, ...]:
    """The fields of ``spec`` as flat tuples (unpacked faster than attributes in the walk)."""
    plan = spec.plan
    if plan is None:
        plan = spec.plan = tuple(
            (
                f.attr,
                f.path,
                f.value.check,
                f.value.model,
                f.required,
                f.is_list,
                f.min_occurs,
                f.max_occurs,
                f.value.nested,
                f.value.expected,
            )
            for f in spec.fields
        )
    return plan


def _walk(spec: Model, obj: Any, path: str, state: _State) -> None:
    problems = state.problems
    numbers_before = state.numbers
    for attr, where, check, sub, required, is_list, least, most, nested, expected in _plan(spec):
        value = getattr(obj, attr, None)
        if value is None:
            if required:
                note = required if type(required) is str else ""
                problems.append(f"{path}/{where} is required{note}")
            elif is_list:
                problems.append(f"{path}/{where}: expected a list, got None")
        elif not is_list:
            if type(required) is str and type(value) is str and not value.strip():
                problems.append(f"{path}/{where} is required{required}; got an empty text")
            elif sub is None:
                problem = check(value)
                if problem is not None:
                    problems.append(f"{path}/{where}: {problem}")
                    if nested:
                        state.numbers += 1
            elif type(value) is sub.cls or isinstance(value, sub.cls):
                _walk(sub, value, f"{path}/{where}", state)
            else:
                problems.append(f"{path}/{where}: expected {expected}, got {_shown(value)}")
                state.numbers += 1
        elif type(value) is not list and not isinstance(value, (list, tuple)):
            problems.append(
                f"{path}/{where}: expected a list of {expected.split(' ', 1)[1]}, got {_shown(value)}"
            )
            state.numbers += 1
        else:
            count = len(value)
            if count < least:
                note = required if type(required) is str else ""
                problems.append(f"{path}/{where}: at least {least} required{note}, got {count}")
            if most is not None and count > most:
                problems.append(f"{path}/{where}: at most {most} allowed, got {count}")
            if sub is not None:
                cls = sub.cls
                for index, item in enumerate(value, start=1):
                    if type(item) is cls or isinstance(item, cls):
                        _walk(sub, item, f"{path}/{where}[{index}]", state)
                    else:
                        problems.append(
                            f"{path}/{where}[{index}]: expected {expected}, got {_shown(item)}"
                        )
                        state.numbers += 1
                    if len(problems) >= MAX_PROBLEMS:
                        return
            else:
                for index, item in enumerate(value, start=1):
                    problem = "expected a value, got None" if item is None else check(item)
                    if problem is not None:
                        problems.append(f"{path}/{where}[{index}]: {problem}")
                        if nested:
                            state.numbers += 1
                        if len(problems) >= MAX_PROBLEMS:
                            return
    if spec.rule is not None and state.numbers == numbers_before:
        spec.rule(obj, path, problems)


# --------------------------------------------------------------------- rules


def _number(value: Any) -> Decimal | None:
    """A value the field checks accepted as a decimal (Decimal or int); None otherwise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


def round2(value: Decimal) -> Decimal:
    """Round half up to cents, the precision Xero checks the totals at (exactly)."""
    return _EXACT.quantize(value, _TWO_DP)


def _line_amount(line: Any, path: str, problems: list[str]) -> None:
    unit = _number(getattr(line, "unit_amount", None))
    amount = _number(getattr(line, "line_amount", None))
    raw_quantity = getattr(line, "quantity", None)
    quantity = Decimal(1) if raw_quantity is None else _number(raw_quantity)
    if unit is None or amount is None or quantity is None:
        return  # a missing value is reported as such
    # inferred: a discount applies to Quantity x UnitAmount as Xero's line amounts show it,
    # DiscountRate in percent, DiscountAmount (2.0) subtracted
    raw_rate, raw_off = getattr(line, "discount_rate", None), getattr(line, "discount_amount", None)
    rate, off = _number(raw_rate), _number(raw_off)
    if (raw_rate is not None and rate is None) or (raw_off is not None and off is None):
        return  # reported as a value of the wrong type
    try:
        gross = _EXACT.multiply(quantity, unit)
        what = "Quantity x UnitAmount"
        if rate is not None:
            gross = _EXACT.divide(_EXACT.multiply(gross, _EXACT.subtract(Decimal(100), rate)), 100)
            what += f" less {rate}%"
        if off is not None:
            gross = _EXACT.subtract(gross, off)
            what += f" less {off}"
        expected = round2(gross)
        if round2(amount) != expected:
            problems.append(f"{path}: LineAmount {amount} does not equal {what} ({expected})")
    except InvalidOperation:
        problems.append(f"{path}: the amounts are too large to check")


def _invoice_totals(invoice: Any, path: str, problems: list[str]) -> None:
    lines: Sequence[Any] = getattr(invoice, "line_items", None) or []
    amounts = [_number(getattr(line, "line_amount", None)) for line in lines]
    taxes = [
        Decimal(0) if getattr(line, "tax_amount", None) is None else _number(line.tax_amount)
        for line in lines
    ]
    if any(a is None for a in amounts) or any(t is None for t in taxes):
        return  # reported as a missing value of the line itself
    try:
        sub_total = Decimal(0)
        for a in amounts:
            sub_total = _EXACT.add(sub_total, a)  # type: ignore[arg-type]
        total_tax = Decimal(0)
        for t in taxes:
            total_tax = _EXACT.add(total_tax, t)  # type: ignore[arg-type]
        checks = (
            ("SubTotal", "sub_total", sub_total, "the sum of the line amounts"),
            ("TotalTax", "total_tax", total_tax, "the sum of the tax amounts"),
            ("Total", "total", _EXACT.add(sub_total, total_tax), "SubTotal + TotalTax"),
        )
        for xml_name, attr, expected, what in checks:
            given = _number(getattr(invoice, attr, None))
            if given is not None and round2(given) != round2(expected):
                problems.append(
                    f"{path}/{xml_name}: {given} does not equal {what} ({round2(expected)})"
                )
    except InvalidOperation:
        problems.append(f"{path}: the amounts are too large to check")


_RULES: dict[str, Callable[[Any, str, list[str]], None]] = {
    "line-amount": _line_amount,
    "invoice-totals": _invoice_totals,
}
RULES: dict[str, str] = {
    "line-amount": "a line's LineAmount is not Quantity x UnitAmount",
    "invoice-totals": "SubTotal, TotalTax or Total do not add up over the lines",
}
"""The rules a manifest's ``[checks.rules]`` may give a model, with what each refuses (the
generated docstrings say it)."""
