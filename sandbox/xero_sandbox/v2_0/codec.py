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

import functools
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from lxml import etree
from xero_customer_api import XeroResponseError
from xero_customer_api._runtime._xml import HARDENED_PARSER_OPTIONS, UnsafeXMLError, parse_document
from xero_customer_api.v2_0 import _codec

from ..xsd import schema_dir
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


class RequestReader:
    """Parses a request body, checks it against the 2.0 request XSDs, decodes its entities."""

    def __init__(self) -> None:
        base = schema_dir("2.0") / "requests"
        parser = etree.XMLParser(**HARDENED_PARSER_OPTIONS)
        self._schemas: dict[str, etree.XMLSchema] = {}
        for filename, roots in request_schemas().items():
            schema = etree.XMLSchema(etree.parse(str(base / filename), parser))
            for root in roots:
                self._schemas[root] = schema

    def parse(self, body: bytes, item: str, *, batch: str | None) -> list[etree._Element]:
        """The ``<item>`` elements of a body whose root is ``<item>`` or ``<batch>``."""
        if not body.strip():
            raise ApiError(POST_DATA_INVALID, f"The request body is empty: send an <{item}>.")
        try:
            root = parse_document(body)
        except UnsafeXMLError as exc:
            raise ApiError(POST_DATA_INVALID, "DTDs and entities are not allowed.") from exc
        except etree.XMLSyntaxError as exc:
            raise ApiError(POST_DATA_INVALID, f"The XML is not well-formed: {exc.msg}") from exc
        roots = (item, batch) if batch else (item,)
        if root.tag not in roots:
            expected = " or ".join(f"<{r}>" for r in roots)
            raise ApiError(POST_DATA_INVALID, f"Expected {expected} but got <{root.tag}>.")
        schema = self._schemas[str(root.tag)]
        if not schema.validate(root):
            problems = "; ".join(
                f"line {e.line}: {e.message}"
                for e in list(cast(Iterable[Any], schema.error_log))[:5]
            )
            raise ApiError(POST_DATA_INVALID, f"The {root.tag} document is not valid: {problems}")
        return [root] if root.tag == item else list(root.iterchildren(item))


def decode(cls: type[T], element: etree._Element) -> T:
    """A generated 2.0 model from a validated element."""
    try:
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
