"""2.0's ``where`` and ``order`` query language, parsed by a Lark grammar and evaluated
against each entity's XML element as the answer shows it (so a filter can name any element,
nested ones too: ``Contact.ContactID``).

Language (developer.xero.com "requests and responses"): comparisons ``==`` ``!=`` ``<``
``>`` ``<=`` ``>=`` between a field path and a literal (either side), ``AND``/``&&``,
``OR``/``||`` (AND binds tighter), parentheses, and the string methods ``.Contains("x")``,
``.StartsWith("x")``, ``.EndsWith("x")``. A comparison has a field on one side and a literal on the other. Literals: ``"text"`` (backslash escapes ``\\"`` and
``\\\\``), numbers, ``true``/``false``, ``null``, ``Guid("...")`` and ``DateTime(y,m,d)`` (or
``DateTime(y,m,d,h,mi,s)``). Text compares without regard to case, as Xero's does; a field
that is absent (or ``xsi:nil``) equals ``null`` and nothing else. ``order`` is a comma list
of field paths, each optionally ``ASC`` or ``DESC``.

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
COMP: "==" | "!=" | "<=" | ">=" | "<" | ">"
METHOD.2: "Contains" | "StartsWith" | "EndsWith"
DIRECTION.2: /ASC\b/i | /DESC\b/i
NAME: /[A-Za-z_][A-Za-z0-9_]*/
STRING: /"(?:[^"\\]|\\.)*"/
%import common.INT
%import common.SIGNED_NUMBER
%import common.WS
%ignore WS
"""


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


def _unquote(token: Token) -> str:
    raw = str(token)[1:-1]
    if len(raw) > MAX_LITERAL:
        raise QueryError(f"a literal is longer than {MAX_LITERAL} characters")
    out, escaped = [], False
    for char in raw:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


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


def _as(kind: Value, text: str) -> Value | None:
    """*text* read as the type of literal *kind*; None when it cannot be."""
    if isinstance(kind, bool):
        return {"true": True, "false": False}.get(text.strip().lower())
    if isinstance(kind, Decimal):
        try:
            return Decimal(text.strip())
        except InvalidOperation:
            return None
    if isinstance(kind, datetime.datetime):
        try:
            parsed = datetime.datetime.fromisoformat(text.strip().rstrip("Z")[:26])
        except ValueError:
            return None
        return parsed.replace(tzinfo=None)
    return text.casefold()


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    try:
        if op == "<":
            return bool(left < right)
        if op == ">":
            return bool(left > right)
        if op == "<=":
            return bool(left <= right)
        return bool(left >= right)
    except TypeError:
        return False


_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


@v_args(inline=True)
class _Build(Transformer):  # type: ignore[type-arg]
    """Parse tree -> a predicate over an entity element."""

    def path(self, *names: Token) -> tuple[str, ...]:
        return tuple(str(n) for n in names)

    def ref(self, *parts: Token) -> tuple[str, ...] | Predicate:
        """A field path, or a field's string method call (``Name.Contains("x")``)."""
        if parts and parts[-1].type == "STRING":
            *names, method, argument = parts
            return self._call(tuple(str(n) for n in names), method, argument)
        return tuple(str(n) for n in parts)

    def text(self, token: Token) -> Value:
        return _unquote(token).casefold()

    def number(self, token: Token) -> Value:
        if len(token) > MAX_LITERAL:
            raise QueryError(f"a literal is longer than {MAX_LITERAL} characters")
        return Decimal(str(token))

    def true(self) -> Value:
        return True

    def false(self) -> Value:
        return False

    def null(self) -> Value:
        return NULL

    def guid(self, token: Token) -> Value:
        return _unquote(token).strip().casefold()

    def date(self, year: Token, month: Token, day: Token) -> Value:
        return self.stamp(year, month, day)

    def stamp(self, *parts: Token) -> Value:
        try:
            y, mo, d, *clock = (int(p) for p in parts)
            h, mi, sec = (*clock, 0, 0, 0)[:3]
            return datetime.datetime(y, mo, d, h, mi, sec)
        except (ValueError, OverflowError) as exc:
            raise QueryError(f"DateTime({', '.join(map(str, parts))}) is not a date") from exc

    def comparison(self, left: Any, op: Token, right: Any) -> Predicate:
        operator = str(op)
        if callable(left) or callable(right):
            raise QueryError("a string method's result cannot be compared")
        if isinstance(left, tuple) and not isinstance(right, tuple):
            return self._field_vs_literal(left, operator, right)
        if isinstance(right, tuple) and not isinstance(left, tuple):
            return self._field_vs_literal(right, _FLIP[operator], left)
        raise QueryError("a comparison needs one field and one literal")

    @staticmethod
    def _field_vs_literal(path: tuple[str, ...], op: str, literal: Value) -> Predicate:
        def check(element: etree._Element) -> bool:
            raw = field_text(element, path)
            if isinstance(literal, _Null):
                return {"==": raw is None, "!=": raw is not None}.get(op, False)
            if raw is None:
                return op == "!="  # null differs from every value and orders with none
            value = _as(literal, raw)
            if value is None:
                return op == "!="
            return _compare(op, value, literal)

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
        if not all(callable(p) for p in parts):
            raise QueryError("AND and OR join comparisons, not bare fields")
        return parts

    def and_expr(self, *parts: Any) -> Predicate:
        conditions = self._conditions(parts)
        return lambda element: all(p(element) for p in conditions)

    def or_expr(self, *parts: Any) -> Predicate:
        conditions = self._conditions(parts)
        return lambda element: any(p(element) for p in conditions)

    def order_item(self, path: tuple[str, ...], direction: Token | None = None) -> Any:
        return path, (direction is not None and str(direction).upper() == "DESC")

    def order(self, *items: Any) -> list[tuple[tuple[str, ...], bool]]:
        return list(items)


def _guard(text: str, what: str) -> None:
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the {what} is longer than {MAX_LENGTH} characters")
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise QueryError(f"the {what} nests parentheses deeper than {MAX_DEPTH}")


def _parse(text: str, start: str) -> Any:
    _guard(text, "where filter" if start == "start" else "order")
    try:
        tree = _parser(start).parse(text)
        return _Build().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, QueryError):
            raise exc.orig_exc from None
        raise QueryError(f"the {start} cannot be read") from None
    except LarkError as exc:
        where = getattr(exc, "column", None)
        at = f" at column {where}" if isinstance(where, int) and where > 0 else ""
        raise QueryError(f"unexpected input{at}") from None


def compile_where(text: str) -> Predicate:
    """A predicate for a ``where`` string; :class:`QueryError` if it cannot be parsed."""
    predicate: Any = _parse(text, "start")
    if isinstance(predicate, tuple):
        raise QueryError("a where filter must compare a field, not name one")
    result: Predicate = predicate
    return result


def _sort_value(texts: list[str | None]) -> Callable[[str | None], Any]:
    present = [t for t in texts if t is not None]
    for kind in (Decimal(0), datetime.datetime(2000, 1, 1)):
        if present and all(_as(kind, t) is not None for t in present):
            converter = kind

            def key(text: str | None, converter: Value = converter) -> Any:
                return (0,) if text is None else (1, _as(converter, text))

            return key
    return lambda text: (0,) if text is None else (1, text.casefold())


def compile_order(text: str) -> Callable[[list[etree._Element]], list[etree._Element]]:
    """A sort for an ``order`` string (stable; absent values first when ascending)."""
    items: list[tuple[tuple[str, ...], bool]] = _parse(text, "order")

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
