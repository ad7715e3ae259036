"""Request validation and the response envelope; entities go through the SDK's codec.

Requests are parsed with a hardened parser (no DTDs, no entities, no network), any
``DOCTYPE`` is refused, and the document is validated against
``schemas/v1.0/requests/*.xsd`` -- the sandbox's own check, independent of the SDK --
before the SDK's generated decoder turns it into the generated models. Responses are the
sandbox's own envelope (ID, Status, ProviderName, DateTimeUTC; Errors first on failure)
around entities written by the SDK's generated encoders, with amounts at four decimals and
timestamps with seven fractional digits, as Xero 1.0 wrote them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

from lxml import etree
from xero_customer_api import XeroResponseError
from xero_customer_api._runtime._codec import reading_system_decimals
from xero_customer_api._runtime._xml import HARDENED_PARSER_OPTIONS, UnsafeXMLError, parse_document
from xero_customer_api.v1_0 import _codec, models

from ..xsd import schema_dir
from . import wire
from .errors import INVALID_XML, VALIDATION, ApiError, ErrorItem

T = TypeVar("T")
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: Request root element -> request schema file.
REQUEST_SCHEMAS = {
    "Contact": "contact_request.xsd",
    "Contacts": "contacts_request.xsd",
    "Invoice": "invoice_request.xsd",
    "Invoices": "invoices_request.xsd",
}
#: Elements holding UTC timestamps, rewritten with Xero's seven fractional digits.
_TIMESTAMPS = ("UpdatedDateUTC", "DateTime")


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(**HARDENED_PARSER_OPTIONS)


class RequestValidator:
    """Parses a request body and validates it against the request XSD for its root."""

    def __init__(self, directory: Path | None = None) -> None:
        base = (directory or schema_dir("1.0")) / "requests"
        self._schemas: dict[str, etree.XMLSchema] = {}
        for root, filename in REQUEST_SCHEMAS.items():
            doc = etree.parse(str(base / filename), _safe_parser())
            self._schemas[root] = etree.XMLSchema(doc)

    def parse(self, body: bytes, expected_root: str) -> etree._Element:
        """The validated root element, or :class:`ApiError` (InvalidXmlException)."""
        if not body.strip():
            raise ApiError(
                INVALID_XML,
                f"The request body is empty; a <{expected_root}> document was expected.",
            )
        if b"<!ENTITY" in body:
            raise ApiError(
                INVALID_XML, "DTDs and entity declarations are not allowed in request documents."
            )
        try:
            root = parse_document(body)  # the SDK's hardened reader: DOCTYPE refused
        except UnsafeXMLError as exc:
            raise ApiError(
                INVALID_XML, "DTDs and entity declarations are not allowed in request documents."
            ) from exc
        except etree.XMLSyntaxError as exc:
            raise ApiError(
                INVALID_XML, f"The request body is not well-formed XML: {exc.msg}"
            ) from exc
        if root.tag != expected_root:
            raise ApiError(
                INVALID_XML, f"Expected a <{expected_root}> document but got <{root.tag}>."
            )
        schema = self._schemas[expected_root]
        if not schema.validate(root):
            problems = "; ".join(
                f"line {e.line}: {e.message}"
                for e in list(cast(Iterable[Any], schema.error_log))[:5]
            )
            raise ApiError(INVALID_XML, f"The {expected_root} document is not valid: {problems}")
        return root


# ----------------------------------------------------------------------------- reading


def decode(cls: type[T], element: etree._Element, strict: bool = True) -> T:
    """A generated model from an element, with the SDK's decoder (``strict``: no unknown tags)."""
    try:
        with reading_system_decimals():  # what Xero reads, not the SDK's 28-digit rule
            return cast(T, _codec.DECODERS[cls](element, strict))
    except XeroResponseError as exc:  # the XSD check normally refuses these first
        raise ApiError(INVALID_XML, f"The request could not be read: {exc}") from exc


def _contact(contact: models.Contact) -> models.Contact:
    if contact.contact_id is not None:
        contact.contact_id = wire.parse_guid(contact.contact_id)
    return contact


_NUMBER = re.compile(r"\s*[+-]?[0-9]+(?:\.[0-9]+)?\s*", re.ASCII)


def _path(element: etree._Element) -> str:
    """``Invoices/Invoice[1]/LineItems/LineItem[2]/UnitAmount``: an item of a list (a child of
    its plural wrapper) gets its position."""
    parts: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        tag = str(node.tag)
        if parent is not None and str(parent.tag) in (f"{tag}s", f"{tag}es"):
            position = [c for c in parent if c.tag == node.tag].index(node) + 1
            tag = f"{tag}[{position}]"
        parts.append(tag)
        node = parent
    return "/".join(reversed(parts))


def _check_ranges(root: etree._Element) -> None:
    """ValidationException naming each amount of the document that .NET's System.Decimal,
    which Xero 1.0 read amounts into, cannot hold (checked on the XML, before the SDK's
    decoder, which refuses numbers beyond its own limits as unreadable)."""
    paths = [
        _path(el)
        for el in root.iter()
        if len(el) == 0
        and el.text
        and _NUMBER.fullmatch(el.text)
        and not wire.fits_decimal(Decimal(el.text.strip()))
    ]
    if paths:
        raise ApiError.many(
            [
                ErrorItem(
                    VALIDATION,
                    f"{path}: the value is out of range for a decimal "
                    f"(at most {wire.DECIMAL_MAX} in absolute value).",
                )
                for path in paths
            ]
        )


def read_contacts(root: etree._Element) -> list[models.Contact]:
    """The contacts of a validated ``<Contact>`` or ``<Contacts>`` document, GUIDs lower-cased."""
    _check_ranges(root)
    elements = [root] if root.tag == "Contact" else root.findall("Contact")
    return [_contact(decode(models.Contact, el)) for el in elements]


def read_invoices(root: etree._Element) -> list[models.Invoice]:
    """The invoices of a validated ``<Invoice>`` or ``<Invoices>`` document, GUIDs lower-cased;
    ValidationException for an amount out of the range Xero could hold."""
    _check_ranges(root)
    elements = [root] if root.tag == "Invoice" else root.findall("Invoice")
    invoices = [decode(models.Invoice, el) for el in elements]
    for invoice in invoices:
        _contact(invoice.contact)
    return invoices


def load(cls: type[T], text: str) -> T:
    """Inverse of :func:`dump` (the stored form)."""
    return decode(cls, etree.fromstring(text.encode(), _safe_parser()), strict=False)


def dump(obj: Any) -> str:
    """A generated model as a standalone XML string (the stored form)."""
    return _codec.ENCODERS[type(obj)](obj).decode()


# ----------------------------------------------------------------------------- writing


def _money(obj: Any) -> None:
    """Quantize every Decimal of a model tree to four places, in place."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, Decimal):
            setattr(obj, f.name, wire.money(value))
        elif dataclasses.is_dataclass(value):
            _money(value)
        elif isinstance(value, list):
            for item in value:
                if dataclasses.is_dataclass(item):
                    _money(item)


def append(parent: etree._Element, obj: Any) -> None:
    """Append a model written by the SDK's generated writer (its amounts are quantized in place)."""
    _money(obj)
    tag, write = _codec.WRITERS[type(obj)]
    el = etree.SubElement(parent, tag)
    write(el, obj)
    for stamp in el.iter(*_TIMESTAMPS):
        stamp.text = wire.format_utc(wire.parse_utc(stamp.text or ""))


def append_all(parent: etree._Element, wrapper: str, objs: Iterable[Any]) -> None:
    """Append ``<wrapper>`` holding each model of ``objs``."""
    holder = etree.SubElement(parent, wrapper)
    for obj in objs:
        append(holder, obj)


def _sub(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def envelope(provider: str, now: datetime) -> etree._Element:
    """A success ``<Response>`` with ID, Status, ProviderName, DateTimeUTC; append the payload."""
    root = etree.Element("Response", nsmap={"i": XSI_NS})
    _sub(root, "ID", wire.new_guid())
    _sub(root, "Status", "OK")
    _sub(root, "ProviderName", provider)
    _sub(root, "DateTimeUTC", wire.format_utc(now))
    return root


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """*text* with every character XML 1.0 cannot carry (NUL, other C0 controls, lone
    surrogates, U+FFFE/U+FFFF) replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def error_envelope(error: ApiError, provider: str, now: datetime) -> etree._Element:
    """The 1.0 error ``<Response>``: Errors first, then ID, Status, ProviderName, DateTimeUTC."""
    root = etree.Element("Response", nsmap={"i": XSI_NS})
    errors = etree.SubElement(root, "Errors")
    for item in error.items:
        name = item.exception_type
        message = xml_text(item.message)  # it may quote a query parameter
        exception = models.ErrorException(
            date_time=now,
            exception_type=name,
            message=message,
            source="mscorlib" if name.startswith("System.") else "Xero.API.Library",
            stack_trace=f"   at Xero.Sandbox ({name.rsplit('.', 1)[-1]})",
        )
        append(errors, models.Error(description=message, exception=exception))
    _sub(root, "ID", wire.new_guid())
    _sub(root, "Status", "InternalServerError")
    _sub(root, "ProviderName", provider)
    _sub(root, "DateTimeUTC", wire.format_utc(now))
    return root


def to_bytes(root: etree._Element) -> bytes:
    """Serialise a response document with an XML declaration, UTF-8."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
