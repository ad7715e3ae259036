"""2.0's ``where`` and ``order`` query language, parsed by a Lark grammar and evaluated
against each entity's XML element as the answer shows it (so a filter can name any element,
nested ones too: ``Contact.ContactID``).

Xero's filter is .NET's Dynamic LINQ, and this follows its grammar and its messages (those
Xero's ``QueryParseException`` quotes): comparisons ``==`` (or ``=``), ``!=`` (or ``<>``),
``<`` ``>`` ``<=`` ``>=`` between fields and literals, ``AND``/``&&``, ``OR``/``||`` (AND
binds tighter), parentheses, and the string methods ``.Contains("x")``, ``.StartsWith("x")``,
``.EndsWith("x")``. Literals: ``"text"`` (a double quote inside is doubled, ``""``; a
backslash is an ordinary character), numbers, ``true``/``false``, ``null``, ``Guid("...")``
and ``DateTime(y,m,d)`` (or ``DateTime(y,m,d,h,mi,s)``). Text compares without regard to
case, as Xero's does; a field that is absent (or ``xsi:nil``) equals ``null`` and nothing
else. ``order`` is a comma list of field paths, each optionally ``ASC`` or ``DESC``.

Given the entity's type (``Contact``, ``Invoice``...), fields are checked against the read
types of ``types.xsd`` as Dynamic LINQ checks them against Xero's classes: an unknown one is
"No property or field 'Nope' exists in type 'Contact'" (names match without regard to case,
as .NET's binder does), and a comparison of unlike types (a text field with a number, a
``...ID`` with a text) is "Operator '>' incompatible with operand types 'String' and
'Int32'". Other refusals: "Unterminated string literal", "Syntax error".

Anything the grammar does not take is a :class:`QueryError` (a 400 for the caller), and so is
hostile input: more than :data:`MAX_LENGTH` characters, parentheses nested deeper than
:data:`MAX_DEPTH`, or a literal longer than :data:`MAX_LITERAL`. Nothing is ever evaluated as
code, and parsing (LALR) and evaluation are linear in the input.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, VisitError
from lxml import etree

from . import schema

MAX_LENGTH = 4000
MAX_DEPTH = 20
MAX_LITERAL = 500
_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*
?and_expr: atom (_AND atom)*
?atom: comparison
     | ref
     | "(" or_expr ")"
comparison: operand COMP operand
ref: NAME ("." NAME)* ("." METHOD "(" STRING ")")?
?operand: ref | literal
literal: STRING               -> text
       | SIGNED_NUMBER        -> number
       | "true"i              -> true
       | "false"i             -> false
       | "null"i              -> null
       | "Guid"i "(" STRING ")"                   -> guid
       | "DateTime"i "(" INT "," INT "," INT ")"  -> date
       | "DateTime"i "(" INT "," INT "," INT "," INT "," INT "," INT ")" -> stamp
order: order_item ("," order_item)*
order_item: path DIRECTION?
path: NAME ("." NAME)*

_OR: "||" | /OR\b/i
_AND: "&&" | /AND\b/i
COMP: "==" | "!=" | "<>" | "<=" | ">=" | "<" | ">" | "="
METHOD.2: "Contains" | "StartsWith" | "EndsWith"
DIRECTION.2: /ASC\b/i | /DESC\b/i
NAME: /[A-Za-z_][A-Za-z0-9_]*/
STRING: /"(?:[^"]|"")*"/
%import common.INT
%import common.SIGNED_NUMBER
%import common.WS
%ignore WS
"""

#: Dynamic LINQ's messages (the ones Xero's QueryParseException carries).
UNTERMINATED = "Unterminated string literal"
SYNTAX = "Syntax error"


class QueryError(ValueError):
    """A ``where`` or ``order`` that cannot be parsed (or is too large to try)."""


@cache
def _parser(start: str) -> Lark:
    return Lark(_GRAMMAR, start=start, parser="lalr", maybe_placeholders=False)


@dataclass(frozen=True)
class _Null:
    pass


NULL = _Null()
Value = str | Decimal | bool | datetime.datetime | _Null
Predicate = Callable[[etree._Element], bool]

# .NET type names, as Dynamic LINQ's messages name them
STRING, GUID, DECIMAL, INT, BOOLEAN, DATETIME, OBJECT = (
    "String",
    "Guid",
    "Decimal",
    "Int32",
    "Boolean",
    "DateTime",
    "Object",
)
_NUMERIC = (DECIMAL, INT, "Double", "Int64")


def _unquote(token: Token) -> str:
    raw = str(token)[1:-1]
    if len(raw) > MAX_LITERAL:
        raise QueryError(f"a literal is longer than {MAX_LITERAL} characters")
    return raw.replace('""', '"')


def field_text(element: etree._Element, path: Sequence[str]) -> str | None:
    """The text of the element at *path* below *element*; None when absent or nil."""
    node: etree._Element | None = element
    for name in path:
        node = node.find(name) if node is not None else None
        if node is None:
            return None
    if node is None or node.get(_XSI_NIL) == "true":
        return None
    return node.text or ""


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None  # NaN and Infinity are no numbers here


def _as(kind: str, text: str) -> Value | None:
    """*text* read as a value of the .NET type *kind*; None when it cannot be."""
    if kind == BOOLEAN:
        return {"true": True, "false": False}.get(text.strip().lower())
    if kind in _NUMERIC:
        return _decimal(text)
    if kind == DATETIME:
        try:
            parsed = datetime.datetime.fromisoformat(text.strip().rstrip("Z")[:26])
        except ValueError:
            return None
        return parsed.replace(tzinfo=None)
    if kind == GUID:
        return text.strip().casefold()
    return text.casefold()


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("==", "="):
        return bool(left == right)
    if op in ("!=", "<>"):
        return bool(left != right)
    try:
        if op == "<":
            return bool(left < right)
        if op == ">":
            return bool(left > right)
        if op == "<=":
            return bool(left <= right)
        return bool(left >= right)
    except (TypeError, ArithmeticError):
        return False


@dataclass(frozen=True)
class _Field:
    path: tuple[str, ...]
    kind: str | None  # None: untyped (no entity given)


@dataclass(frozen=True)
class _Literal:
    value: Value
    kind: str


def _kind_of(types: schema.SchemaSet, child: schema.Child) -> str:
    if child.item is not None or child.type is None:
        return "List`1" if child.item is not None else OBJECT
    if child.type == "guid":
        return GUID
    base = types.base_of(child.type)
    if base == "complex":
        return child.type
    return {
        "decimal": DECIMAL,
        "int": INT,
        "integer": INT,
        "long": "Int64",
        "short": INT,
        "boolean": BOOLEAN,
        "dateTime": DATETIME,
        "date": DATETIME,
    }.get(base, STRING)


class _Types:
    """Field paths of one entity type, resolved against the read types."""

    def __init__(self, entity: str | None) -> None:
        self.types = schema.read_types()
        self.entity = entity if entity in self.types.complex else None

    def resolve(self, names: Sequence[str]) -> _Field:
        if self.entity is None:
            return _Field(tuple(names), None)
        current: str | None = self.entity
        shown = self.entity
        real: list[str] = []
        kind = self.entity
        for name in names:
            children = self.types.children(current)
            found = children.get(name) or next(
                (c for n, c in children.items() if n.casefold() == name.casefold()), None
            )
            if found is None:
                raise QueryError(f"No property or field '{name}' exists in type '{shown}'")
            real.append(found.name)
            kind = _kind_of(self.types, found)
            current = found.type if found.item is None else None
            shown = kind
        return _Field(tuple(real), kind)


def _incompatible(op: str, left: str, right: str) -> QueryError:
    return QueryError(f"Operator '{op}' incompatible with operand types '{left}' and '{right}'")


def _compatible(op: str, left: str, right: str) -> bool:
    if OBJECT in (left, right):  # null: equal or not, never ordered
        return op in ("==", "=", "!=", "<>")
    if left in _NUMERIC and right in _NUMERIC:
        return True
    if left != right or left not in (STRING, GUID, BOOLEAN, DATETIME):
        return False
    return left != BOOLEAN or op in ("==", "=", "!=", "<>")


@v_args(inline=True)
class _Build(Transformer):  # type: ignore[type-arg]
    """Parse tree -> a predicate over an entity element."""

    def __init__(self, types: _Types) -> None:
        super().__init__()
        self.types = types

    def path(self, *names: Token) -> _Field:
        return self.types.resolve([str(n) for n in names])

    def ref(self, *parts: Token) -> _Field | Predicate:
        """A field path, or a field's string method call (``Name.Contains("x")``)."""
        if parts and parts[-1].type == "STRING":
            *names, method, argument = parts
            found = self.types.resolve([str(n) for n in names])
            if found.kind not in (None, STRING):
                raise QueryError(f"No applicable method '{method}' exists in type '{found.kind}'")
            return self._call(found.path, method, argument)
        return self.types.resolve([str(n) for n in parts])

    def text(self, token: Token) -> _Literal:
        return _Literal(_unquote(token).casefold(), STRING)

    def number(self, token: Token) -> _Literal:
        if len(token) > MAX_LITERAL:
            raise QueryError(f"a literal is longer than {MAX_LITERAL} characters")
        whole = "." not in token and "e" not in token.lower()
        return _Literal(Decimal(str(token)), INT if whole else "Double")

    def true(self) -> _Literal:
        return _Literal(True, BOOLEAN)

    def false(self) -> _Literal:
        return _Literal(False, BOOLEAN)

    def null(self) -> _Literal:
        return _Literal(NULL, OBJECT)

    def guid(self, token: Token) -> _Literal:
        return _Literal(_unquote(token).strip().casefold(), GUID)

    def date(self, year: Token, month: Token, day: Token) -> _Literal:
        return self.stamp(year, month, day)

    def stamp(self, *parts: Token) -> _Literal:
        try:
            y, mo, d, *clock = (int(p) for p in parts)
            h, mi, sec = (*clock, 0, 0, 0)[:3]
            return _Literal(datetime.datetime(y, mo, d, h, mi, sec), DATETIME)
        except (ValueError, OverflowError) as exc:
            raise QueryError(f"DateTime({', '.join(map(str, parts))}) is not a date") from exc

    def comparison(self, left: Any, op: Token, right: Any) -> Predicate:
        operator = str(op)
        if callable(left) or callable(right):
            raise _incompatible(operator, BOOLEAN if callable(left) else _kind(left), STRING)
        lkind = _kind(left) if not (isinstance(left, _Field) and left.kind is None) else None
        rkind = _kind(right) if not (isinstance(right, _Field) and right.kind is None) else None
        lkind = lkind or rkind or STRING  # untyped fields take the other side's type
        rkind = rkind or lkind
        if not _compatible(operator, lkind, rkind):
            raise _incompatible(operator, lkind, rkind)
        kind = lkind if lkind != OBJECT else rkind

        def value(side: Any, element: etree._Element) -> Value | None:
            if isinstance(side, _Literal):
                return side.value
            raw = field_text(element, side.path)
            if raw is None:
                return NULL
            return _as(kind, raw)

        def check(element: etree._Element) -> bool:
            a, b = value(left, element), value(right, element)
            if a is None or b is None:  # text that does not read as the field's type
                return operator in ("!=", "<>")
            if isinstance(a, _Null) or isinstance(b, _Null):
                same = isinstance(a, _Null) and isinstance(b, _Null)
                if operator in ("==", "="):
                    return same
                if operator in ("!=", "<>"):
                    return not same
                return False  # null orders with nothing
            return _compare(operator, a, b)

        return check

    @staticmethod
    def _call(path: tuple[str, ...], method: Token, argument: Token) -> Predicate:
        needle = _unquote(argument).casefold()
        name = str(method)

        def check(element: etree._Element) -> bool:
            raw = field_text(element, path)
            if raw is None:
                return False
            hay = raw.casefold()
            if name == "Contains":
                return needle in hay
            if name == "StartsWith":
                return hay.startswith(needle)
            return hay.endswith(needle)

        return check

    @staticmethod
    def _conditions(parts: tuple[Any, ...]) -> tuple[Predicate, ...]:
        for part in parts:
            if not callable(part):
                raise QueryError(f"Expression of type '{BOOLEAN}' expected")
        return parts

    def and_expr(self, *parts: Any) -> Predicate:
        conditions = self._conditions(parts)
        return lambda element: all(p(element) for p in conditions)

    def or_expr(self, *parts: Any) -> Predicate:
        conditions = self._conditions(parts)
        return lambda element: any(p(element) for p in conditions)

    def order_item(self, path: _Field, direction: Token | None = None) -> Any:
        return path.path, (direction is not None and str(direction).upper() == "DESC")

    def order(self, *items: Any) -> list[tuple[tuple[str, ...], bool]]:
        return list(items)


def _kind(side: _Field | _Literal) -> str:
    return side.kind or STRING


def _guard(text: str, what: str) -> None:
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the {what} is longer than {MAX_LENGTH} characters")
    depth = deepest = 0
    in_string = False
    for char in text:
        if in_string:
            if char == '"':
                in_string = False  # a doubled quote closes and reopens: same result
        elif char == '"':
            in_string = True
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    if in_string:
        raise QueryError(UNTERMINATED)
    if deepest > MAX_DEPTH:
        raise QueryError(f"the {what} nests parentheses deeper than {MAX_DEPTH}")


def _parse(text: str, start: str, entity: str | None) -> Any:
    _guard(text, "where filter" if start == "start" else "order")
    try:
        tree = _parser(start).parse(text)
        return _Build(_Types(entity)).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, QueryError):
            raise exc.orig_exc from None
        raise QueryError(SYNTAX) from None
    except LarkError:
        raise QueryError(SYNTAX) from None


def compile_where(text: str, entity: str | None = None) -> Predicate:
    """A predicate for a ``where`` string over elements of the read type *entity* (its
    fields are then checked and typed; None: any name, typed by the literal it meets);
    :class:`QueryError` if it cannot be parsed."""
    predicate: Any = _parse(text, "start", entity)
    if not callable(predicate):
        raise QueryError(f"Expression of type '{BOOLEAN}' expected")
    result: Predicate = predicate
    return result


def _sort_value(texts: list[str | None]) -> Callable[[str | None], Any]:
    present = [t for t in texts if t is not None]
    for kind in (DECIMAL, DATETIME):
        if present and all(_as(kind, t) is not None for t in present):

            def key(text: str | None, kind: str = kind) -> Any:
                return (0,) if text is None else (1, _as(kind, text))

            return key
    return lambda text: (0,) if text is None else (1, text.casefold())


def compile_order(
    text: str, entity: str | None = None
) -> Callable[[list[etree._Element]], list[etree._Element]]:
    """A sort for an ``order`` string (stable; absent values first when ascending)."""
    items: list[tuple[tuple[str, ...], bool]] = _parse(text, "order", entity)

    def sort(elements: list[etree._Element]) -> list[etree._Element]:
        ordered = list(elements)
        for path, descending in reversed(items):
            texts = [field_text(e, path) for e in ordered]
            key = _sort_value(texts)
            pairs = sorted(
                zip(texts, ordered, strict=True), key=lambda p: key(p[0]), reverse=descending
            )
            ordered = [element for _, element in pairs]
        return ordered

    return sort
