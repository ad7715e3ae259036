"""Reading and writing XML safely.

Reading is strict: a document with any DOCTYPE is refused (no DTD is ever loaded, no entity
is ever resolved, nothing is fetched), malformed or truncated input is an error rather than
a partly filled object (libxml2's recovery mode stays off), and libxml2's size limits stay on
(``huge_tree`` is never set). Binding the parsed tree to the generated dataclasses uses
xsdata's parser on the already-parsed element, so xsdata never sees raw bytes.

xsdata is loaded lazily, on the first :func:`bind` or :func:`serialize`: the SDK's hot path
(the generated lxml codec) never needs it, so ``import xero_customer_api`` does not pay for
it. Loading it registers the Xero date formats (:func:`._converters.install`) before xsdata
converts any value, so every use of xsdata on the generated models through these two
functions sees them.

Forward compatibility: an element the schema does not know is skipped (``strict`` refuses
it), and an enumerated value the schema does not know is kept as its ``str``. The latter
uses a converter registered for the generated enum classes that consults a context
variable, not ``warnings.catch_warnings`` (which is not thread-safe): any other value that
cannot be converted (a decimal ``abc``) is an error, never a warning.
"""

from __future__ import annotations

import contextvars
import dataclasses
import re
import threading
import typing
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, TypedDict, TypeVar

from lxml import etree

from . import _gc
from ._errors import XeroResponseError
from ._secrets import redact

if TYPE_CHECKING:
    from xsdata.formats.converter import Converter
    from xsdata.formats.dataclass.context import XmlContext
    from xsdata.formats.dataclass.serializers import XmlSerializer

__all__ = [
    "DOCTYPE_MARK_BYTES",
    "HARDENED_PARSER_OPTIONS",
    "UnsafeXMLError",
    "bind",
    "parse_document",
    "pull_parser",
    "refuse_doctype",
    "refuse_doctype_bytes",
    "serialize",
]

T = TypeVar("T")


class UnsafeXMLError(ValueError):
    """The document declares a DOCTYPE (and so could define entities or load a DTD)."""


class ParserOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    attribute_defaults: bool
    huge_tree: bool
    recover: bool
    remove_comments: bool
    remove_pis: bool


HARDENED_PARSER_OPTIONS: Final[ParserOptions] = {
    "resolve_entities": False,  # never expand an entity
    "no_network": True,  # never fetch anything
    "load_dtd": False,  # never read a DTD
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,  # keep libxml2's size and depth limits
    "recover": False,  # malformed or truncated input is an error, never a partial tree
    "remove_comments": True,
    "remove_pis": True,
}
"""The one set of lxml parser options for anything read from the network (streaming too)."""


_DOCTYPE_MARKS: Final = (
    b"<!DOCTYPE",
    b"<!doctype",
    "<!DOCTYPE".encode("utf-16-le"),
    "<!DOCTYPE".encode("utf-16-be"),
)
assert all(b"!" in mark for mark in _DOCTYPE_MARKS)  # refuse_doctype_bytes' first test
DOCTYPE_MARK_BYTES: Final = max(len(mark) for mark in _DOCTYPE_MARKS)
"""The longest raw form of ``<!DOCTYPE``: a stream keeps this many bytes less one between chunks."""


def _hardened_parser(encoding: str | None = None) -> etree.XMLParser:
    return etree.XMLParser(encoding=encoding, **HARDENED_PARSER_OPTIONS)


_WIDE_ENCODING = re.compile(
    rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']\s*(?:utf-?16|utf-?32|ucs-?2|ucs-?4)[^"']*["']""",
    re.IGNORECASE,
)


def byte_encoding_override(data: bytes) -> str | None:
    """``"utf-8"`` when ``data`` declares a 16/32-bit encoding but is written in bytes.

    Xero has sent bodies starting ``<?xml version="1.0" encoding="utf-16"?>`` that are UTF-8.
    A real UTF-16 or UTF-32 document cannot begin with the ASCII bytes ``<?xml`` (it starts with
    a byte-order mark or a NUL-padded ``<``), so such a declaration is wrong and is ignored:
    the bytes are read as UTF-8 by the same hardened parser. Anything else: None (the
    document's own declaration rules).
    """
    if data[:5] == b"<?xml" and _WIDE_ENCODING.match(data[:200]):
        return "utf-8"
    return None


def pull_parser(tag: str, encoding: str | None = None) -> etree.XMLPullParser:
    """A pull parser with the same hardened options, reporting the end of every ``tag``
    (``encoding`` overrides the document's declaration: see :func:`byte_encoding_override`)."""
    return etree.XMLPullParser(
        events=("end",), tag=tag, encoding=encoding, **HARDENED_PARSER_OPTIONS
    )


def refuse_doctype_bytes(data: bytes) -> None:
    """Cheap early refusal, before libxml2 looks at any DTD or entity declaration.

    Sees ``<!DOCTYPE`` in ASCII-compatible encodings and in UTF-16; whatever the encoding,
    :func:`refuse_doctype` on the parsed tree is the check that always holds.

    Raises:
        UnsafeXMLError: the bytes contain a DOCTYPE.
    """
    # Every mark holds the byte ``!``: one memchr pass over a document without any (most
    # answers) instead of one substring search per mark, a sixth of the parse's time.
    if b"!" not in data:
        return
    for mark in _DOCTYPE_MARKS:
        if mark in data:
            raise UnsafeXMLError("the document declares a DOCTYPE, which is never accepted")


def refuse_doctype(root: etree._Element) -> None:
    """The after-parse check, in any encoding: the document declared no DOCTYPE.

    Works on a complete tree and on the partial tree of a pull parser (the DOCTYPE precedes
    the root element, so it is known as soon as any element is).

    Raises:
        UnsafeXMLError: the document has a DOCTYPE.
    """
    docinfo = root.getroottree().docinfo
    dtds: tuple[object, ...] = (docinfo.internalDTD, docinfo.externalDTD)  # None when absent
    if getattr(docinfo, "doctype", "") or any(dtd is not None for dtd in dtds):
        raise UnsafeXMLError("the document declares a DOCTYPE, which is never accepted")


def parse_document(data: bytes) -> etree._Element:
    """Parse ``data`` into an element tree, refusing DOCTYPEs and malformed input.

    Raises:
        UnsafeXMLError: the document has a DOCTYPE.
        etree.XMLSyntaxError: the document is not well-formed XML.
    """
    refuse_doctype_bytes(data)
    root = etree.fromstring(data, parser=_hardened_parser(byte_encoding_override(data)))
    refuse_doctype(root)
    return root


_STRICT_ENUMS: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "xero_strict_enums", default=True
)
"""False while :func:`bind` reads a response leniently (outside ``bind``: xsdata's default)."""


@dataclasses.dataclass(frozen=True)
class _Xsdata:
    """The parts of xsdata the reference path uses, loaded once by :func:`_xsdata`."""

    context: XmlContext
    serializer: XmlSerializer
    parser_class: Any
    parser_config: Any
    handler: Any
    converter: Any  # xsdata's converter registry
    lenient: Converter  # registered for the generated enum classes
    errors: tuple[type[BaseException], ...]  # what bind() maps to XeroResponseError


_loaded: _Xsdata | None = None
_load_lock = threading.Lock()


def _xsdata() -> _Xsdata:
    """Import xsdata, register the Xero date formats and build the shared context (once)."""
    global _loaded
    loaded = _loaded
    if loaded is not None:
        return loaded
    with _load_lock:
        if _loaded is not None:
            return _loaded
        from xsdata.exceptions import ConverterError, ParserError
        from xsdata.formats.converter import EnumConverter, converter
        from xsdata.formats.dataclass.context import XmlContext
        from xsdata.formats.dataclass.parsers import XmlParser
        from xsdata.formats.dataclass.parsers.config import ParserConfig
        from xsdata.formats.dataclass.parsers.handlers import LxmlEventHandler
        from xsdata.formats.dataclass.serializers import XmlSerializer
        from xsdata.formats.dataclass.serializers.config import SerializerConfig

        from . import _converters

        _converters.install()  # before xsdata converts any value of the generated models

        class _LenientEnumConverter(EnumConverter):
            """Keeps an enumerated value the schema does not know as its ``str`` (unless strict)."""

            def deserialize(self, value: Any, data_type: Any = None, **kwargs: Any) -> Any:
                try:
                    return super().deserialize(value, data_type=data_type, **kwargs)
                except ConverterError:
                    if _STRICT_ENUMS.get() or not isinstance(value, str):
                        raise
                    return value.strip()

        context = XmlContext()
        _loaded = _Xsdata(
            context=context,
            serializer=XmlSerializer(
                context=context, config=SerializerConfig(xml_declaration=False, indent=None)
            ),
            parser_class=XmlParser,
            parser_config=ParserConfig,
            handler=LxmlEventHandler,
            converter=converter,
            lenient=_LenientEnumConverter(),
            errors=(
                ParserError,
                ConverterError,
                TypeError,
                ValueError,
                AttributeError,
                KeyError,
            ),
        )
        return _loaded


_registered: set[type] = set()
_register_lock = threading.Lock()


def _enum_classes(cls: type, seen: set[type]) -> set[type[Enum]]:
    """Every enum class reachable from the fields of a generated dataclass."""
    found: set[type[Enum]] = set()
    if cls in seen or not dataclasses.is_dataclass(cls):
        return found
    seen.add(cls)
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an unresolvable annotation: nothing to register for it
        return found
    stack: list[Any] = list(hints.values())
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, Enum):
            found.add(tp)
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            found |= _enum_classes(tp, seen)
        else:
            stack.extend(typing.get_args(tp))
    return found


def _register_enums(xsd: _Xsdata, cls: type) -> None:
    if cls in _registered:
        return
    with _register_lock:
        for enum_cls in _enum_classes(cls, set()):
            xsd.converter.register_converter(enum_cls, xsd.lenient)
        _registered.add(cls)


def bind(element: etree._Element, cls: type[T], *, strict: bool = False) -> T:
    """Bind a parsed element to a generated dataclass with xsdata.

    An element the schema does not know is ignored unless ``strict``. An enumerated value the
    schema does not know is kept as its text. Any other mismatch raises XeroResponseError.
    """
    xsd = _xsdata()
    _register_enums(xsd, cls)
    parser = xsd.parser_class(
        context=xsd.context,
        config=xsd.parser_config(
            fail_on_unknown_properties=strict,
            fail_on_unknown_attributes=False,
            # A value that cannot be converted raises instead of warning and leaving a raw
            # str in a typed field; unknown enum values are handled by _LenientEnumConverter.
            fail_on_converter_warnings=True,
        ),
        handler=xsd.handler,
    )
    # Unknown enumerated values are kept as text in strict mode too (as the generated codec
    # does); strict only refuses unknown elements.
    token = _STRICT_ENUMS.set(False)
    _gc.pause()  # a whole document: see _gc
    try:
        result: T = parser.parse(element, cls)
        return result
    except xsd.errors as exc:
        raise XeroResponseError(
            f"the response does not match the schema: {_short(redact(str(exc)))}"
        ) from exc
    finally:
        _gc.resume()
        _STRICT_ENUMS.reset(token)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def serialize(obj: Any) -> bytes:
    """Write a generated dataclass as an XML document, without declaration, in schema order."""
    return _xsdata().serializer.render(obj).encode("utf-8")
