"""2.0 request checks, the ``<Response>`` envelope and ``<ApiException>``; entities go through
the SDK's generated 2.0 codec.

Requests are parsed with the SDK's hardened reader (no DTDs, no entities), validated against
``schemas/v2.0/requests/*.xsd`` (the sandbox's own check: an unknown or mis-cased element is
a 400 ``PostDataInvalidException``, as Xero answers) and decoded by the SDK's generated
decoders. Answers are the sandbox's envelope (``Id``, ``Status``, ``ProviderName``,
``DateTimeUTC``, one plural payload) around entities written by the SDK's generated
writers, with ``UpdatedDateUTC`` as Xero writes it (milliseconds, no zone: UTC).
"""

from __future__ import annotations

import copy
import functools
import threading
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar, cast

from lxml import etree
from xero_customer_api import XeroResponseError
from xero_customer_api._runtime._codec import reading_system_decimals
from xero_customer_api._runtime._xml import HARDENED_PARSER_OPTIONS, UnsafeXMLError, parse_document
from xero_customer_api.v2_0 import _codec

from ..amounts import fits_decimal
from ..xsd import schema_dir
from . import schema
from .errors import POST_DATA_INVALID, ApiError

T = TypeVar("T")
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_TYPE = f"{{{XSI_NS}}}type"
XSI_NIL = f"{{{XSI_NS}}}nil"
ZERO_ID = "00000000-0000-0000-0000-000000000000"
_XS = "{http://www.w3.org/2001/XMLSchema}"


def request_schemas() -> dict[str, tuple[str, ...]]:
    """Request schema file -> the roots it takes (its top-level elements), for every
    ``requests/*_request.xsd`` of 2.0."""
    found: dict[str, tuple[str, ...]] = {}
    parser = etree.XMLParser(**HARDENED_PARSER_OPTIONS)
    for path in sorted((schema_dir("2.0") / "requests").glob("*_request.xsd")):
        tree = etree.parse(str(path), parser)
        found[path.name] = tuple(
            str(el.get("name")) for el in tree.getroot().iterfind(f"{_XS}element")
        )
    return found


def format_utc(value: datetime) -> str:
    """``UpdatedDateUTC`` as Xero 2.0 writes it: ``2026-06-30T22:01:07.513`` (UTC, no zone)."""
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}"


def format_envelope_time(value: datetime) -> str:
    """``DateTimeUTC``: seven fractional digits and ``Z``."""
    utc = value.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"


_XS = "{http://www.w3.org/2001/XMLSchema}"
#: A date as Xero takes it in a request: ``YYYY-MM-DD`` or that day at midnight.
_DATE_IN = r"\d{4}-\d{2}-\d{2}(T00:00:00)?"


def _xs_all(schema: etree._Element) -> None:
    """Every ``xs:sequence`` of single elements becomes an ``xs:all`` (Xero's own XSDs use
    ``xs:all``: it takes a type's elements in any order); lists keep their sequence."""
    for sequence in list(schema.iter(f"{_XS}sequence")):
        children = [c for c in sequence if isinstance(c.tag, str)]
        if children and all(
            c.tag == f"{_XS}element" and c.get("maxOccurs", "1") in ("0", "1") for c in children
        ):
            sequence.tag = f"{_XS}all"


def _lenient_dates(schema: etree._Element) -> None:
    """The ``date`` type also takes a date alone (``2026-07-01``), as Xero documents."""
    for simple in schema.iterchildren(f"{_XS}simpleType"):
        if simple.get("name") != "date":
            continue
        restriction = simple.find(f"{_XS}restriction")
        if restriction is None:
            continue
        restriction.set("base", "xs:string")
        for old in list(restriction):
            restriction.remove(old)
        etree.SubElement(restriction, f"{_XS}pattern").set("value", _DATE_IN)


def _no_lengths(schema: etree._Element) -> None:
    """``maxLength`` facets are checked per element by the service (a ValidationException
    naming the element, as Xero answers), not as an unreadable document."""
    for facet in list(schema.iter(f"{_XS}maxLength")):
        parent = facet.getparent()
        if parent is not None:
            parent.remove(facet)


def request_schema(path: Path) -> etree.XMLSchema:
    """The request XSD at *path* and what it includes, as one schema the way Xero reads
    requests: elements in any order, dates with or without a time, lengths left to the
    service."""
    parser = etree.XMLParser(**HARDENED_PARSER_OPTIONS)
    combined = etree.Element(f"{_XS}schema", nsmap={"xs": _XS[1:-1]})
    combined.set("elementFormDefault", "qualified")
    combined.set("attributeFormDefault", "unqualified")
    seen: set[Path] = set()

    def add(file: Path) -> None:
        file = file.resolve()
        if file in seen:
            return
        seen.add(file)
        root = etree.parse(str(file), parser).getroot()
        for child in root:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{_XS}include":
                add(file.parent / child.get("schemaLocation", ""))
            else:
                combined.append(copy.deepcopy(child))

    add(path)
    _xs_all(combined)
    _lenient_dates(combined)
    _no_lengths(combined)
    return etree.XMLSchema(combined)


class RequestReader:
    """Parses a request body, checks it against the 2.0 request XSDs, decodes its entities."""

    def __init__(self) -> None:
        base = schema_dir("2.0") / "requests"
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._ahead = threading.local()
        for filename, roots in request_schemas().items():
            schema = request_schema(base / filename)
            for root in roots:
                self._schemas[root] = schema

    def read_ahead(self, body: bytes) -> None:
        """Parse and check *body* now (on this thread, before the store's lock is taken),
        for the handler's :meth:`parse` of the same bytes to use; errors wait for it."""
        try:
            self._ahead.value = (body, self._document(body))
        except ApiError as exc:
            self._ahead.value = (body, exc)

    def _document(self, body: bytes) -> etree._Element:
        try:
            root = parse_document(body)
        except UnsafeXMLError as exc:
            raise ApiError(POST_DATA_INVALID, "DTDs and entities are not allowed.") from exc
        except etree.XMLSyntaxError as exc:
            raise ApiError(POST_DATA_INVALID, f"The XML is not well-formed: {exc.msg}") from exc
        schema = self._schemas.get(str(root.tag))
        if schema is not None and not schema.validate(root):
            problems = "; ".join(
                f"line {e.line}: {e.message}"
                for e in list(cast(Iterable[Any], schema.error_log))[:5]
            )
            raise ApiError(POST_DATA_INVALID, f"The {root.tag} document is not valid: {problems}")
        for element in [root, *root]:
            if isinstance(element.tag, str) and str(element.tag) in schema_roots():
                check_numbers(element)
        return root

    def parse(self, body: bytes, item: str, *, batch: str | None) -> list[etree._Element]:
        """The ``<item>`` elements of a body whose root is ``<item>`` or ``<batch>``."""
        if not body.strip():
            raise ApiError(POST_DATA_INVALID, f"The request body is empty: send an <{item}>.")
        ahead = getattr(self._ahead, "value", None)
        if ahead is not None and ahead[0] is body:
            self._ahead.value = None
            if isinstance(ahead[1], ApiError):
                raise ahead[1]
            root = ahead[1]
        else:
            root = self._document(body)
        roots = (item, batch) if batch else (item,)
        if root.tag not in roots:
            expected = " or ".join(f"<{r}>" for r in roots)
            raise ApiError(POST_DATA_INVALID, f"Expected {expected} but got <{root.tag}>.")
        return [root] if root.tag == item else list(root.iterchildren(item))


@functools.cache
def request_reader() -> RequestReader:
    """The one request reader of 2.0 (every request XSD compiled once, about 0.2 s): the
    service and every resource module read bodies through it, and so share its read-ahead
    (bodies parsed before the store's lock is taken)."""
    return RequestReader()


def _leaves(
    element: etree._Element, type_name: str | None = None
) -> Iterator[tuple[etree._Element, schema.Child]]:
    """Each simple-typed element below a request's *element*, with its write-type
    declaration (a request's element is of the write type of its own name, ``Option`` of
    ``TrackingOption``)."""
    types = schema.write_types()
    kind = type_name or schema.request_roots().get(str(element.tag), str(element.tag))
    stack: list[tuple[etree._Element, str | None]] = [(element, kind)]
    while stack:
        node, kind_ = stack.pop()
        children = types.children(kind_)
        for child in node.iterchildren(tag=etree.Element):
            declared = children.get(str(child.tag))
            if declared is None:
                continue
            if declared.item is not None:
                stack.extend(
                    (item, declared.item[1]) for item in child.iterchildren(declared.item[0])
                )
            elif declared.type in types.complex:
                stack.append((child, declared.type))
            else:
                yield child, declared


def length_problems(element: etree._Element, type_name: str | None = None) -> list[str]:
    """Each value of *element* (and of its nested elements) longer than the ``maxLength``
    the write types give it, as validation messages."""
    problems = []
    for child, declared in _leaves(element, type_name):
        if declared.max_length is not None and len(child.text or "") > declared.max_length:
            # inferred: Xero's wording of a too-long value is not in the facts
            problems.append(
                f"{child.tag} must not be longer than {declared.max_length} characters."
            )
    return problems


def schema_roots() -> dict[str, str]:
    """The request elements (``Contact``, ``Option``...) and their write types."""
    return schema.request_roots()


def check_numbers(element: etree._Element) -> None:
    """Refuse a decimal that .NET's System.Decimal (what Xero reads amounts into) cannot
    hold, such as a 90-digit UnitAmount: a 400 PostDataInvalidException, never arithmetic
    on it. # inferred: the facts give no wording for it."""
    types = schema.write_types()
    for child, declared in _leaves(element):
        if types.base_of(declared.type) != "decimal":
            continue
        text = (child.text or "").strip()
        try:
            fits = fits_decimal(Decimal(text)) if len(text) <= 80 else False
        except (InvalidOperation, ValueError):
            fits = False
        if not fits:
            raise ApiError(
                POST_DATA_INVALID,
                f"The value of {child.tag} ('{text[:40]}{'...' if len(text) > 40 else ''}')"
                " is outside the range of a decimal.",
            )


def decode(cls: type[T], element: etree._Element) -> T:
    """A generated 2.0 model from a validated element."""
    try:
        with reading_system_decimals():  # what Xero reads, not the SDK's 28-digit rule
            return cast(T, _codec.DECODERS[cls](element, True))
    except XeroResponseError as exc:
        raise ApiError(POST_DATA_INVALID, f"The request could not be read: {exc}") from exc


@functools.lru_cache(maxsize=4096)
def _stamp_text(text: str) -> str:
    """The SDK writer's timestamp as Xero 2.0 writes it (records often share one)."""
    return format_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _stamps(el: etree._Element) -> None:
    for stamp in el.iter("UpdatedDateUTC"):
        if stamp.text:
            stamp.text = _stamp_text(stamp.text)


def entity(obj: Any, tag: str | None = None) -> etree._Element:
    """A model as a standalone element, written by the SDK's generated writer."""
    name, write = _codec.WRITERS[type(obj)]
    el = etree.Element(tag or name, nsmap={"xsi": XSI_NS})
    write(el, obj)
    _stamps(el)
    return el


def envelope(provider: str, wrapper: str, items: Iterable[etree._Element]) -> etree._Element:
    """A ``<Response>`` around already written entity elements."""
    root = etree.Element("Response", nsmap={"xsi": XSI_NS, "xsd": XSD_NS})
    etree.SubElement(root, "Id").text = str(uuid.uuid4())
    etree.SubElement(root, "Status").text = "OK"
    etree.SubElement(root, "ProviderName").text = provider
    etree.SubElement(root, "DateTimeUTC").text = format_envelope_time(datetime.now(UTC))
    holder = etree.SubElement(root, wrapper)
    for item in items:
        holder.append(item)
    return root


def api_exception(error: ApiError) -> etree._Element:
    """An ``<ApiException>`` root: number, type, message and the refused elements (each a
    ``DataContractBase`` with the entity's ``xsi:type`` around an echo of what was sent)."""
    root = etree.Element("ApiException", nsmap={"xsd": XSD_NS, "xsi": XSI_NS})
    etree.SubElement(root, "ErrorNumber").text = str(error.number)
    etree.SubElement(root, "Type").text = error.type
    etree.SubElement(root, "Message").text = error.message
    if error.elements:
        holder = etree.SubElement(root, "Elements")
        for obj in error.elements:
            name, write = _codec.WRITERS[type(obj)]
            el = etree.SubElement(holder, "DataContractBase")
            el.set(XSI_TYPE, name)
            write(el, obj)
            _stamps(el)
    return root


def to_bytes(root: etree._Element) -> bytes:
    """A document with an XML declaration, UTF-8."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
