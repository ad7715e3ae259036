"""Reading and writing XML safely.

Reading is strict: a document with any DOCTYPE is refused (no DTD is ever loaded, no entity
is ever resolved, nothing is fetched), malformed or truncated input is an error rather than
a partly filled object (libxml2's recovery mode stays off), and libxml2's size limits stay on
(``huge_tree`` is never set). Binding the parsed tree to the generated dataclasses uses
xsdata's parser on the already-parsed element, so xsdata never sees raw bytes.
"""

from __future__ import annotations

import warnings
from typing import Any, TypeVar

from lxml import etree
from xsdata.exceptions import ConverterError, ConverterWarning, ParserError
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

from . import _converters  # noqa: F401  (registers the Xero date formats)
from ._errors import XeroResponseError

__all__ = ["UnsafeXMLError", "bind", "parse_document", "serialize"]

T = TypeVar("T")

_CONTEXT = XmlContext()
_SERIALIZER = XmlSerializer(
    context=_CONTEXT, config=SerializerConfig(xml_declaration=False, indent=None)
)


class UnsafeXMLError(ValueError):
    """The document declares a DOCTYPE (and so could define entities or load a DTD)."""


def _hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_document(data: bytes) -> etree._Element:
    """Parse ``data`` into an element tree, refusing DOCTYPEs and malformed input.

    Raises:
        UnsafeXMLError: the document has a DOCTYPE.
        etree.XMLSyntaxError: the document is not well-formed XML.
    """
    if b"<!DOCTYPE" in data or b"<!doctype" in data:
        # Cheap early refusal: before libxml2 looks at any DTD or entity declaration.
        raise UnsafeXMLError("the document declares a DOCTYPE, which is never accepted")
    root = etree.fromstring(data, parser=_hardened_parser())
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXMLError("the document declares a DOCTYPE, which is never accepted")
    return root


def bind(element: etree._Element, cls: type[T], *, strict: bool = False) -> T:
    """Bind a parsed element to a generated dataclass with xsdata.

    An element the schema does not know is ignored unless ``strict``. An enumerated value the
    schema does not know is kept as its text. Any other mismatch raises XeroResponseError.
    """
    parser = XmlParser(
        context=_CONTEXT,
        config=ParserConfig(fail_on_unknown_properties=strict, fail_on_unknown_attributes=False),
        handler=LxmlEventHandler,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConverterWarning)
            return parser.parse(element, cls)
    except (ParserError, ConverterError, TypeError, ValueError) as exc:
        raise XeroResponseError(f"the response does not match the schema: {exc}") from exc


def serialize(obj: Any) -> bytes:
    """Write a generated dataclass as an XML document, without declaration, in schema order."""
    return _SERIALIZER.render(obj).encode("utf-8")
