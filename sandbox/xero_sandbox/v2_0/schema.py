"""What the sandbox reads from the 2.0 XSDs besides validating with them: each complex type's
elements (in order, with their types, list wrappers and ``maxLength`` facets).

Two sets are read: the read types (``types.xsd``: what a ``where`` or ``order`` may name, and
the .NET type Xero's filter language sees for each) and the write types
(``requests/write_types.xsd``: the one order the request schemas check, the date elements and
the documented lengths). Both go through ``simple_types.xsd`` for named simple types.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree
from xero_customer_api._runtime._xml import HARDENED_PARSER_OPTIONS

from ..xsd import schema_dir

XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True)
class Child:
    """An element of a complex type."""

    name: str
    #: The named type (complex or simple, ``xs:`` stripped), or None for an anonymous one.
    type: str | None
    #: For a list wrapper (``<Addresses><Address>...``): the item's element name and type.
    item: tuple[str, str | None] | None = None
    #: The ``maxLength`` facet of the element's simple type, if any.
    max_length: int | None = None


@dataclass(frozen=True)
class SimpleType:
    """A named simple type reduced to its built-in base and its length facet."""

    base: str
    max_length: int | None


@dataclass
class SchemaSet:
    """The complex and simple types of one XSD set."""

    complex: dict[str, list[Child]]
    simple: dict[str, SimpleType]

    def base_of(self, type_name: str | None) -> str:
        """The built-in base (``string``, ``decimal``, ``dateTime``...) of a simple type;
        ``complex`` for a complex one, ``string`` when unknown."""
        if type_name is None:
            return "complex"
        if type_name in self.complex:
            return "complex"
        seen: set[str] = set()
        while type_name in self.simple and type_name not in seen:
            seen.add(type_name)
            type_name = self.simple[type_name].base
        return type_name

    def children(self, type_name: str | None) -> dict[str, Child]:
        """The elements of a complex type by name ({} for a simple or unknown type)."""
        return {c.name: c for c in self.complex.get(type_name or "", [])}


def _strip(name: str | None) -> str | None:
    if name is None:
        return None
    return name.split(":", 1)[1] if ":" in name else name


def _facet(restriction: etree._Element, facet: str) -> int | None:
    node = restriction.find(f"{XS}{facet}")
    return int(node.get("value", "0")) if node is not None else None


def _simple(node: etree._Element) -> SimpleType | None:
    restriction = node.find(f"{XS}restriction")
    if restriction is None:
        return SimpleType("string", None)  # a union or list: read as text
    return SimpleType(_strip(restriction.get("base")) or "string", _facet(restriction, "maxLength"))


def _elements(holder: etree._Element, simple: dict[str, SimpleType]) -> list[Child]:
    out: list[Child] = []
    for group in holder:
        if group.tag in (f"{XS}all", f"{XS}sequence", f"{XS}choice"):
            for el in group.iter(f"{XS}element"):
                if el.getparent() is not group:
                    continue
                out.append(_child(el, simple))
        elif group.tag == f"{XS}complexContent":
            extension = group.find(f"{XS}extension")
            if extension is not None:
                out.extend(_elements(extension, simple))
    return out


def _child(el: etree._Element, simple: dict[str, SimpleType]) -> Child:
    name = el.get("name", "")
    kind = _strip(el.get("type"))
    inline_simple = el.find(f"{XS}simpleType")
    if inline_simple is not None:
        found = _simple(inline_simple)
        return Child(
            name, found.base if found else "string", None, found.max_length if found else None
        )
    inline = el.find(f"{XS}complexType")
    if inline is not None:
        items = [c for c in inline.iter(f"{XS}element") if c is not inline]
        if len(items) == 1 and items[0].get("maxOccurs") == "unbounded":
            item = items[0]
            return Child(name, None, (item.get("name", ""), _strip(item.get("type"))))
        return Child(name, None)
    return Child(name, kind, None, simple[kind].max_length if kind in simple else None)


def _documents(path: Path) -> list[etree._Element]:
    parser = etree.XMLParser(**HARDENED_PARSER_OPTIONS)
    seen: list[Path] = []
    out: list[etree._Element] = []

    def load(file: Path) -> None:
        file = file.resolve()
        if file in seen:
            return
        seen.append(file)
        root = etree.parse(str(file), parser).getroot()
        out.append(root)
        for include in root.iter(f"{XS}include"):
            load(file.parent / include.get("schemaLocation", ""))

    load(path)
    return out


@cache
def load(relative: str) -> SchemaSet:
    """The types of ``schemas/v2.0/<relative>`` and what it includes."""
    roots = _documents(schema_dir("2.0") / relative)
    simple: dict[str, SimpleType] = {}
    for root in roots:
        for node in root.iterchildren(f"{XS}simpleType"):
            found = _simple(node)
            if found is not None:
                simple[node.get("name", "")] = found
    complex_: dict[str, list[Child]] = {}
    for root in roots:
        for node in root.iterchildren(f"{XS}complexType"):
            complex_[node.get("name", "")] = _elements(node, simple)
    return SchemaSet(complex_, simple)


def read_types() -> SchemaSet:
    """``types.xsd`` (what answers carry)."""
    return load("types.xsd")


def write_types() -> SchemaSet:
    """``requests/write_types.xsd`` (what requests may carry)."""
    return load("requests/write_types.xsd")


@cache
def request_roots() -> dict[str, str]:
    """Element name -> write type of the top-level elements of ``requests/*_request.xsd``
    (``Contact`` -> ``Contact``, ``Option`` -> ``TrackingOption``)."""
    parser = etree.XMLParser(**HARDENED_PARSER_OPTIONS)
    out: dict[str, str] = {}
    for file in sorted((schema_dir("2.0") / "requests").glob("*_request.xsd")):
        root = etree.parse(str(file), parser).getroot()
        for el in root.iterchildren(f"{XS}element"):
            kind = _strip(el.get("type"))
            if kind:
                out[el.get("name", "")] = kind
    return out
