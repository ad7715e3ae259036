"""Building API 2.0 ``where`` filters safely, without concatenating strings.

```python
from xero_customer_api import field

open_sales = field("Type").eq("ACCREC") & field("Status").eq("AUTHORISED")
recent = field("Date").ge(datetime.date(2026, 1, 31))
by_mail = field("EmailAddress").starts_with('o"brien')
client.invoices.list(where=open_sales & recent)
# Type=="ACCREC" AND Status=="AUTHORISED" AND Date>=DateTime(2026,01,31)
```

A :class:`Where` is a ``str``, so it goes wherever ``where=`` takes a string. Values become
literals of Xero's filter language (.NET's Dynamic LINQ, whose messages Xero's
``QueryParseException`` quotes): strings in double quotes with an inner ``"`` doubled (its only
escape; a backslash is an ordinary character there), ``uuid.UUID`` as ``Guid("...")`` (and so is a GUID-shaped ``str`` compared with an element
whose name ends in ``ID``, such as ``ContactID``: Xero's filter types those as Guid),
``datetime.date`` as ``DateTime(y,mm,dd)``, aware ``datetime`` as ``DateTime(y,mm,dd,hh,mm,ss)``
in UTC, ``bool`` as ``true``/``false``, ``int`` and ``Decimal`` as numbers, ``None`` as ``null``
(only with ``eq``/``ne``), an ``Enum`` member as its value. Field names must be element names
(``Contact.ContactID``): anything else is refused, so no input can become filter syntax.
``contains``/``starts_with``/``ends_with`` test for null first (``X!=null&&X.Contains("..")``),
because Xero fails on an element that is absent. ``&`` and ``|`` (or :func:`all_of` /
:func:`any_of`) combine expressions with ``AND`` / ``OR``, adding parentheses where needed.

Every refusal is a ``RequestValidationError`` naming the field.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from enum import Enum
from typing import Literal, TypeAlias

from ._errors import RequestValidationError

__all__ = ["Field", "Where", "WhereValue", "all_of", "any_of", "field"]

WhereValue: TypeAlias = (
    "str | bool | int | Decimal | uuid.UUID | datetime.date | datetime.datetime | Enum | None"
)
"""What a comparison takes (``None`` only with ``eq``/``ne``)."""

_PATH = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*){0,7}")
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_LITERAL = 4000

_Kind = Literal["atom", "and", "or"]


class Where(str):
    """A ``where`` expression built by :func:`field`; a ``str`` with ``&`` / ``|``."""

    _kind: _Kind

    def __new__(cls, text: str, kind: _Kind = "atom") -> Where:
        made = super().__new__(cls, text)
        made._kind = kind
        return made

    def __and__(self, other: Where) -> Where:
        return all_of(self, other)

    def __or__(self, other: Where) -> Where:
        return any_of(self, other)

    def __repr__(self) -> str:
        return f"Where({str.__repr__(self)})"


def _compose(parts: tuple[Where, ...], joiner: Literal["and", "or"]) -> Where:
    if not parts:
        raise RequestValidationError(
            [f"`{'all_of' if joiner == 'and' else 'any_of'}` needs at least one expression"]
        )
    texts: list[str] = []
    for part in parts:
        if not isinstance(part, Where):
            raise RequestValidationError(
                [
                    "combine only expressions built with field(...) (a plain string could be anything)"
                ]
            )
        kind = part._kind
        # AND binds tighter than OR: an OR inside an AND needs parentheses, and so does a
        # null-tested string test (X!=null&&X.Contains(...)) inside an OR.
        needs = (kind == "or" and joiner == "and") or (kind == "and" and joiner == "or")
        texts.append(f"({part})" if needs else str(part))
    if len(texts) == 1:
        return parts[0]
    return Where(f" {joiner.upper()} ".join(texts), joiner)


def all_of(*expressions: Where) -> Where:
    """Every expression holds (``A AND B AND ...``)."""
    return _compose(expressions, "and")


def any_of(*expressions: Where) -> Where:
    """At least one expression holds (``A OR B OR ...``)."""
    return _compose(expressions, "or")


class Field:
    """An element of the answer to filter on; comparisons give :class:`Where` expressions."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        if not isinstance(path, str) or not _PATH.fullmatch(path):
            shown = repr(path)[:60]
            raise RequestValidationError(
                [
                    f"where field {shown} must be an element name or a dotted path of them"
                    " (letters, digits, _), e.g. 'Contact.ContactID'"
                ]
            )
        self.path = path

    def __repr__(self) -> str:
        return f"field({self.path!r})"

    # ------------------------------------------------------------------ literals

    def _literal(self, value: WhereValue, *, allow_null: bool = False) -> str:
        if value is None:
            if allow_null:
                return "null"
            raise RequestValidationError([f"where field {self.path!r}: None only works with eq/ne"])
        if isinstance(value, Enum):
            value = value.value
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise RequestValidationError(
                    [f"where field {self.path!r}: the enum's value must be a string or a number"]
                )
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise RequestValidationError(
                    [f"where field {self.path!r}: the number must be finite"]
                )
            return format(value, "f")
        if isinstance(value, uuid.UUID):
            return f'Guid("{value}")'
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                raise RequestValidationError(
                    [
                        f"where field {self.path!r}: a datetime must be timezone-aware (it is sent in UTC)"
                    ]
                )
            utc = value.astimezone(datetime.UTC)
            return (
                f"DateTime({utc.year},{utc.month:02d},{utc.day:02d},"
                f"{utc.hour:02d},{utc.minute:02d},{utc.second:02d})"
            )
        if isinstance(value, datetime.date):
            return f"DateTime({value.year},{value.month:02d},{value.day:02d})"
        if isinstance(value, str):
            if self.path.endswith("ID") and _GUID.fullmatch(value):
                # an ...ID element is a Guid to Xero's filter: a text literal would be
                # "Operator '==' incompatible with operand types 'Guid' and 'String'"
                return f'Guid("{uuid.UUID(value)}")'
            return self._string(value)
        raise RequestValidationError(
            [
                f"where field {self.path!r}: cannot compare with a {type(value).__name__}"
                " (use str, bool, int, Decimal, uuid.UUID, date, aware datetime, an Enum or None)"
            ]
        )

    def _string(self, value: str) -> str:
        if _CONTROL.search(value):
            raise RequestValidationError(
                [f"where field {self.path!r}: the text must not contain control characters"]
            )
        if len(value) > _MAX_LITERAL:
            raise RequestValidationError(
                [f"where field {self.path!r}: the text is longer than {_MAX_LITERAL} characters"]
            )
        return '"' + value.replace('"', '""') + '"'

    def _compare(self, op: str, value: WhereValue, *, allow_null: bool = False) -> Where:
        return Where(f"{self.path}{op}{self._literal(value, allow_null=allow_null)}")

    # ------------------------------------------------------------------ comparisons

    def eq(self, value: WhereValue) -> Where:
        """``Field==value`` (``None``: ``Field==null``)."""
        return self._compare("==", value, allow_null=True)

    def ne(self, value: WhereValue) -> Where:
        """``Field!=value`` (``None``: ``Field!=null``)."""
        return self._compare("!=", value, allow_null=True)

    def lt(self, value: WhereValue) -> Where:
        """``Field<value``."""
        return self._compare("<", value)

    def le(self, value: WhereValue) -> Where:
        """``Field<=value``."""
        return self._compare("<=", value)

    def gt(self, value: WhereValue) -> Where:
        """``Field>value``."""
        return self._compare(">", value)

    def ge(self, value: WhereValue) -> Where:
        """``Field>=value``."""
        return self._compare(">=", value)

    def is_null(self) -> Where:
        """``Field==null``."""
        return self.eq(None)

    def is_not_null(self) -> Where:
        """``Field!=null``."""
        return self.ne(None)

    def _text_test(self, method: str, text: str) -> Where:
        if not isinstance(text, str):
            raise RequestValidationError(
                [f"where field {self.path!r}: {method} takes a string, not {type(text).__name__}"]
            )
        return Where(f"{self.path}!=null&&{self.path}.{method}({self._string(text)})", "and")

    def contains(self, text: str) -> Where:
        """``Field!=null&&Field.Contains("text")``."""
        return self._text_test("Contains", text)

    def starts_with(self, text: str) -> Where:
        """``Field!=null&&Field.StartsWith("text")``."""
        return self._text_test("StartsWith", text)

    def ends_with(self, text: str) -> Where:
        """``Field!=null&&Field.EndsWith("text")``."""
        return self._text_test("EndsWith", text)


def field(path: str) -> Field:
    """The element ``path`` of the answer (``"Name"``, ``"Contact.ContactID"``) to filter on.

    Raises:
        RequestValidationError: ``path`` is not an element name or a dotted path of them.
    """
    return Field(path)
