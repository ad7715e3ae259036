"""``xero-codegen drift``: what recorded answers hold that the hand-kept XSDs do not know.

Xero warns that its answers may not match its schemas, and changes them without notice. This
reads recorded documents (XML files, or the JSON export of the sandbox's partner console,
``GET /console/export?apiKey=KEY``), walks each one against the :class:`~.contract.Contract`
of an API version (the same model the generated decoder follows) and reports:

- ``unknown-element`` / ``unknown-attribute``: a child or attribute no field describes (the
  generated decoder skips it, or refuses it under ``strict=True``);
- ``unknown-enum-value``: a value outside an enumeration (kept as text by the decoder);
- ``value-outside-facet``: a value longer, more precise or otherwise outside a facet.

Each finding comes with a proposed XSD patch (a unified diff of the XSD file, relative to the
repository root, ready for ``git apply``), so bringing the schemas in line with the live API
is a reviewed edit: check the patch, complete the documentation, ``make generate``,
``xero-codegen diff``.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from .contract import Contract, Field, Model, load_contract

XS = "{http://www.w3.org/2001/XMLSchema}"
_IGNORED_ATTRIBUTE_NAMESPACES = (
    "{http://www.w3.org/2001/XMLSchema-instance}",
    "{http://www.w3.org/XML/1998/namespace}",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class DriftError(ValueError):
    """A recorded document cannot be read."""


@dataclass
class Finding:
    kind: str  # unknown-element | unknown-attribute | unknown-enum-value | value-outside-facet
    model: str  # class (or enumeration) the finding belongs to
    name: str  # element, attribute or enumeration value; the field for a facet
    detail: str
    sample: str
    sources: list[str] = field(default_factory=list)
    count: int = 0
    after: str | None = None  # known sibling element before it in the document
    before: str | None = None  # known sibling element after it
    inferred: str = "xs:string"  # proposed XSD type of an unknown element or attribute
    children: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, type, repeated)
    facet: str | None = None
    patch: str = ""
    file: str | None = None  # XSD the patch edits

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        return (self.kind, self.model, self.name, self.facet)


# ----------------------------------------------------------------------------- reading


def _documents(paths: Iterable[Path]) -> list[tuple[str, bytes]]:
    """(label, XML bytes) of every recorded answer in ``paths``."""
    found: list[tuple[str, bytes]] = []
    for path in paths:
        data = path.read_bytes()
        if data.lstrip()[:1] in (b"{", b"["):
            try:
                export = json.loads(data)
            except json.JSONDecodeError as exc:
                raise DriftError(f"{path}: not valid JSON: {exc.msg}") from None
            exchanges = export.get("exchanges", []) if isinstance(export, dict) else export
            if not isinstance(exchanges, list):
                raise DriftError(f"{path}: expected the console export's 'exchanges' list")
            for index, exchange in enumerate(exchanges):
                if not isinstance(exchange, dict):
                    continue
                body = str(exchange.get("response_body") or "")
                if body.lstrip().startswith("<"):
                    label = (
                        f"{path}#{index} {exchange.get('method', '')} {exchange.get('path', '')}"
                    )
                    found.append((label.strip(), body.encode("utf-8")))
        else:
            found.append((str(path), data))
    return found


_API_PATH = re.compile(r"/api\.xro/(\d+\.\d+)/")


def recorded_version(paths: Iterable[Path]) -> str | None:
    """The API version the recorded answers name in their paths (the console export records
    each exchange's path, e.g. ``/api.xro/1.0/invoice``), when they all name the same one."""
    versions = {m.group(1) for label, _ in _documents(paths) for m in _API_PATH.finditer(label)}
    return versions.pop() if len(versions) == 1 else None


def _parse(label: str, data: bytes) -> etree._Element:
    if b"<!DOCTYPE" in data[:4096].upper():
        raise DriftError(f"{label}: a DOCTYPE is not accepted")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DriftError(f"{label}: not well-formed XML: {exc}") from None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _root_model(contract: Contract, root: etree._Element) -> Model | None:
    """The model a document root is read as: by root element, the best match of children."""
    name = _local(root.tag)
    candidates = [m for m in contract.models.values() if m.root == name and m.in_response]
    candidates = candidates or [m for m in contract.models.values() if m.root == name]
    if not candidates:
        return None
    tags = {_local(c.tag) for c in _children(root)}

    def score(model: Model) -> tuple[int, int, str]:
        keys = {f.element for f in model.fields}
        return (len(tags & keys), -len(tags - keys), model.name)

    return max(candidates, key=score)


# ----------------------------------------------------------------------------- checking


def _infer(text: str) -> str:
    value = text.strip()
    if value in ("true", "false"):
        return "xs:boolean"
    if re.fullmatch(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", value):
        return "guid"
    if re.fullmatch(r"-?\d+\.\d+", value):
        return "xs:decimal"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}.*", value):
        return "xs:dateTime"
    return "xs:string"


def _facet_problem(f: Field, text: str) -> tuple[str, str, str] | None:
    """(facet, detail, proposed value) when ``text`` is outside one of ``f``'s facets."""
    value = text.strip() if f.kind != "str" else text
    for facet in ("max_length", "length"):
        limit = f.facets.get(facet)
        if limit is not None and len(value) > int(limit):
            return facet, f"{len(value)} characters, {facet} is {limit}", str(len(value))
    limit = f.facets.get("min_length")
    if limit is not None and len(value) < int(limit):
        return "min_length", f"{len(value)} characters, min_length is {limit}", str(len(value))
    pattern = f.facets.get("pattern")
    if pattern is not None and f.kind == "str" and not re.fullmatch(pattern, value):
        return "pattern", f"does not match {pattern}", f"{pattern}|{re.escape(value)}"
    if f.kind == "decimal":
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None  # a type error, not a facet: the decoder reports it
        exponent = number.as_tuple().exponent
        digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        limit = f.facets.get("fraction_digits")
        if limit is not None and digits > int(limit):
            return (
                "fraction_digits",
                f"{digits} decimal places, fraction_digits is {limit}",
                str(digits),
            )
    return None


@dataclass
class _Walk:
    contract: Contract
    label: str
    findings: dict[tuple[str, str, str, str | None], Finding]

    def add(self, finding: Finding, sample: str) -> None:
        known = self.findings.setdefault(finding.key, finding)
        known.count += 1
        if not known.sample:
            known.sample = sample[:80]
        if self.label not in known.sources:
            known.sources.append(self.label)

    def model(self, el: etree._Element, model: Model) -> None:
        for name, value in el.attrib.items():
            if str(name).startswith(_IGNORED_ATTRIBUTE_NAMESPACES):
                continue
            if model.field("@" + _local(name)) is None:
                self.add(
                    Finding(
                        "unknown-attribute",
                        model.name,
                        _local(name),
                        "attribute",
                        "",
                        inferred=_infer(str(value)),
                    ),
                    str(value),
                )
        children = _children(el)
        known = [model.field(_local(c.tag)) is not None for c in children]
        for index, child in enumerate(children):
            tag = _local(child.tag)
            f = model.field(tag)
            if f is None:
                after = next(
                    (_local(children[i].tag) for i in range(index - 1, -1, -1) if known[i]), None
                )
                before = next(
                    (_local(children[i].tag) for i in range(index + 1, len(children)) if known[i]),
                    None,
                )
                grand = _children(child)
                found = Finding(
                    "unknown-element",
                    model.name,
                    tag,
                    "element",
                    "",
                    after=after,
                    before=before,
                    inferred="complex" if grand else _infer(child.text or ""),
                )
                names = [_local(g.tag) for g in grand]
                found.children = [
                    (
                        n,
                        _infer(next(g.text or "" for g in grand if _local(g.tag) == n)),
                        names.count(n) > 1,
                    )
                    for n in dict.fromkeys(names)
                ]
                self.add(found, (child.text or "").strip() or f"<{tag}> with {len(grand)} children")
                continue
            self.value(child, model, f)

    def value(self, el: etree._Element, model: Model, f: Field) -> None:
        if f.item is not None:  # a wrapped list: <Wrapper><Item/>...</Wrapper>
            for item in _children(el):
                if _local(item.tag) != f.item:
                    self.add(
                        Finding(
                            "unknown-element",
                            model.name,
                            f"{f.element}/{_local(item.tag)}",
                            "item element",
                            "",
                        ),
                        _local(item.tag),
                    )
                    continue
                self.one(item, model, f)
            return
        self.one(el, model, f)

    def one(self, el: etree._Element, model: Model, f: Field) -> None:
        if f.kind == "model" and f.ref in self.contract.models:
            self.model(el, self.contract.models[f.ref])
            return
        for name, value in el.attrib.items():
            if not str(name).startswith(_IGNORED_ATTRIBUTE_NAMESPACES):
                self.add(
                    Finding(
                        "unknown-attribute",
                        model.name,
                        f"{f.element}/@{_local(name)}",
                        "attribute of a simple element",
                        "",
                    ),
                    str(value),
                )
        text = el.text or ""
        if f.kind == "enum" and f.ref in self.contract.enums:
            enum = self.contract.enums[f.ref]
            if text.strip() and text.strip() not in enum.values:
                self.add(
                    Finding(
                        "unknown-enum-value",
                        enum.name,
                        text.strip(),
                        f"value of {model.name}.{f.element}",
                        "",
                    ),
                    text.strip(),
                )
            return
        problem = _facet_problem(f, text)
        if problem is not None:
            facet, detail, proposed = problem
            found = Finding("value-outside-facet", model.name, f.element, detail, "", facet=facet)
            found.inferred = proposed
            self.add(found, text)


def find_drift(
    contract: Contract, documents: list[tuple[str, bytes]]
) -> tuple[list[Finding], list[str]]:
    """(findings, documents whose root no model reads) of ``documents`` against ``contract``."""
    findings: dict[tuple[str, str, str, str | None], Finding] = {}
    unread: list[str] = []
    for label, data in documents:
        root = _parse(label, data)
        model = _root_model(contract, root)
        if model is None:
            unread.append(
                f"{label}: root <{_local(root.tag)}> is not a document of API {contract.version}"
            )
            continue
        _Walk(contract, label, findings).model(root, model)
    return sorted(findings.values(), key=lambda f: (f.model, f.kind, f.name)), unread


# ----------------------------------------------------------------------------- XSD patches


@dataclass
class _Xsd:
    path: Path
    lines: list[str]
    tree: etree._Element


class SchemaFiles:
    """The XSD files of one version, with edits collected as line insertions/replacements."""

    def __init__(self, schema_dir: Path, root: Path) -> None:
        self.schema_dir = schema_dir
        self.root = root
        self.files: dict[Path, _Xsd] = {}
        for path in sorted(schema_dir.rglob("*.xsd")):
            text = path.read_text(encoding="utf-8")
            tree = etree.fromstring(text.encode("utf-8"), _PARSER)
            self.files[path] = _Xsd(path, text.splitlines(keepends=True), tree)

    def update(self, path: Path, lines: list[str]) -> None:
        self.files[path] = _Xsd(
            path, lines, etree.fromstring("".join(lines).encode("utf-8"), _PARSER)
        )

    def display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def complex_type(self, name: str) -> tuple[Path, etree._Element] | None:
        """A named complexType, or the anonymous one of a top-level element, called ``name``."""
        for path, xsd in self.files.items():
            for ct in xsd.tree.iterfind(f"{XS}complexType"):
                if ct.get("name") == name:
                    return path, ct
        for path, xsd in self.files.items():
            for el in xsd.tree.iterfind(f"{XS}element"):
                inner = el.find(f"{XS}complexType")
                if el.get("name") == name and inner is not None:
                    return path, inner
        return None

    def simple_type(self, name: str) -> tuple[Path, etree._Element] | None:
        for path, xsd in self.files.items():
            for st in xsd.tree.iterfind(f"{XS}simpleType"):
                if st.get("name") == name:
                    return path, st
        return None

    def element_decl(self, type_name: str, element: str) -> tuple[Path, etree._Element] | None:
        """The declaration of ``element`` in complexType ``type_name`` or one of its bases."""
        seen: set[str] = set()
        while type_name and type_name not in seen:
            seen.add(type_name)
            found = self.complex_type(type_name)
            if found is None:
                return None
            path, ct = found
            for el in ct.iter(f"{XS}element"):
                if el.get("name") == element and _owner(el) is ct:
                    return path, el
            ext = ct.find(f"{XS}complexContent/{XS}extension")
            type_name = (ext.get("base") or "").rsplit(":", 1)[-1] if ext is not None else ""
        return None


def _owner(el: etree._Element) -> etree._Element | None:
    """The complexType whose content model declares ``el``."""
    node = el.getparent()
    while node is not None and node.tag != f"{XS}complexType":
        node = node.getparent()
    return node


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _closing_line(lines: list[str], start: int, tag: str) -> int | None:
    """Index of the line closing the ``tag`` element that opens on line index ``start``."""
    depth = 0
    opener = re.compile(rf"<{re.escape(tag)}(\s[^>]*)?(?<!/)>")
    closer = f"</{tag}>"
    for index in range(start, len(lines)):
        line = lines[index]
        if depth > 0 and line.strip().startswith(closer) and depth == 1 and not opener.search(line):
            return index
        depth += len(opener.findall(line)) - line.count(closer)
        if depth <= 0 and index > start:
            return None
    return None


def _element_xml(f: Finding, indent: str, type_name: str | None) -> list[str]:
    sample = escape(f.sample if type_name is None else "with children")
    doc = (
        f"<xs:annotation><xs:documentation>Seen in {f.count} recorded answer(s) "
        f"(e.g. {sample!r}); not in Xero's documentation: describe it.</xs:documentation></xs:annotation>"
    )
    type_ = type_name or f.inferred
    return [
        f'{indent}<xs:element name="{f.name}" type="{type_}" minOccurs="0">\n',
        f"{indent}  {doc}\n",
        f"{indent}</xs:element>\n",
    ]


def _complex_type_xml(f: Finding, name: str, indent: str) -> list[str]:
    """A named type for an unknown element with children (the generator reads named types)."""
    lines = [
        f'{indent}<xs:complexType name="{name}">\n',
        f"{indent}  <xs:annotation><xs:documentation>The content of {escape(f.name)}, as seen in "
        "recorded answers: describe it.</xs:documentation></xs:annotation>\n",
        f"{indent}  <xs:sequence>\n",
    ]
    for child, type_, repeated in f.children:
        occurs = ' maxOccurs="unbounded"' if repeated else ""
        lines.append(
            f'{indent}    <xs:element name="{child}" type="{type_}" minOccurs="0"{occurs}/>\n'
        )
    lines += [f"{indent}  </xs:sequence>\n", f"{indent}</xs:complexType>\n"]
    return lines


def _edit(files: SchemaFiles, f: Finding) -> tuple[Path, list[str]] | None:
    """The XSD file and its lines with ``f``'s proposal applied (None: nowhere to put it)."""
    if f.kind == "unknown-enum-value":
        found = files.simple_type(f.model)
        if found is None:
            return None
        path, st = found
        lines = list(files.files[path].lines)
        values = st.findall(f"{XS}restriction/{XS}enumeration")
        if not values:
            return None
        last = values[-1].sourceline - 1  # type: ignore[operator]
        lines.insert(last + 1, f'{_indent(lines[last])}<xs:enumeration value="{f.name}"/>\n')
        return path, lines
    if f.kind == "value-outside-facet":
        owner_type = _class_to_type(files, f.model)
        decl = files.element_decl(owner_type, f.name) if owner_type else None
        if decl is None:
            return None
        path, el = decl
        simple = el.find(f"{XS}simpleType")
        target = None
        if simple is not None:
            target = (path, simple)
        elif el.get("type"):
            target = files.simple_type((el.get("type") or "").rsplit(":", 1)[-1])
        if target is None:
            return None
        path, st = target
        xsd_facet = _XSD_FACETS[f.facet or ""]
        facet_el = st.find(f"{XS}restriction/{XS}{xsd_facet}")
        if facet_el is None:
            return None
        lines = list(files.files[path].lines)
        at = facet_el.sourceline - 1  # type: ignore[operator]
        old_value = facet_el.get("value") or ""
        needle = f'value="{old_value}"'
        escaped = f.inferred.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        if needle not in lines[at]:
            return None
        lines[at] = lines[at].replace(needle, f'value="{escaped}"', 1)
        return path, lines
    model_type = _class_to_type(files, f.model)
    found_ct = files.complex_type(model_type) if model_type else None
    if found_ct is None:
        return None
    path, ct = found_ct
    lines = list(files.files[path].lines)
    sequence = ct.find(f"{XS}sequence")
    if sequence is None:
        sequence = ct.find(f"{XS}complexContent/{XS}extension/{XS}sequence")
    if sequence is None:
        return None
    start = sequence.sourceline - 1  # type: ignore[operator]
    close = _closing_line(lines, start, "xs:sequence")
    if close is None:
        return None
    if f.kind == "unknown-attribute":
        if "/" in f.name:
            return None  # on a simple element: its type needs simpleContent, decide by hand
        indent = _indent(lines[close])
        lines.insert(
            close + 1,
            f'{indent}<xs:attribute name="{f.name}" type="{f.inferred}" use="optional"/>\n',
        )
        return path, lines
    if "/" in f.name:
        return None  # an unknown item inside a wrapper: the wrapper's own type needs a decision
    type_name: str | None = None
    if f.inferred == "complex":
        type_name = f.name if files.complex_type(f.name) is None else f"{type_name_of(ct)}{f.name}"
        parent = ct.getparent()
        owner = ct if parent is None or parent.tag == f"{XS}schema" else parent
        owner_start = owner.sourceline - 1  # type: ignore[operator]
        owner_tag = "xs:complexType" if owner is ct else "xs:element"
        owner_end = _closing_line(lines, owner_start, owner_tag)
        if owner_end is None:
            return None
        lines[owner_end + 1 : owner_end + 1] = _complex_type_xml(
            f, type_name, _indent(lines[owner_start])
        )
    own = {el.get("name"): el for el in sequence.iterfind(f"{XS}element")}
    if f.before in own:
        at = own[f.before].sourceline - 1  # type: ignore[operator]
        indent = _indent(lines[at])
    else:
        at = close
        indent = _indent(lines[close]) + "  "
    lines[at:at] = _element_xml(f, indent, type_name)
    return path, lines


def type_name_of(ct: etree._Element) -> str:
    parent = ct.getparent()
    return str(ct.get("name") or (parent.get("name") if parent is not None else "") or "")


_XSD_FACETS = {
    "max_length": "maxLength",
    "min_length": "minLength",
    "length": "length",
    "pattern": "pattern",
    "fraction_digits": "fractionDigits",
    "total_digits": "totalDigits",
}


def _class_to_type(files: SchemaFiles, model: str) -> str | None:
    if files.complex_type(model) is not None:
        return model
    lowered = model.lower()
    for xsd in files.files.values():
        for ct in xsd.tree.iter(f"{XS}complexType", f"{XS}element"):
            name = ct.get("name") or ""
            if name.lower() == lowered and files.complex_type(name) is not None:
                return name
    return None


def _unified(files: SchemaFiles, path: Path, lines: list[str]) -> str:
    name = files.display(path)
    return "".join(
        difflib.unified_diff(files.files[path].lines, lines, f"a/{name}", f"b/{name}", n=2)
    )


def propose_patches(findings: list[Finding], files: SchemaFiles) -> str:
    """Give each finding its own patch (against the files as they are); return one combined
    patch of every finding (each applied in turn to a running copy)."""
    running = SchemaFiles(files.schema_dir, files.root)
    for f in findings:
        edited = _edit(files, f)
        if edited is None:
            continue
        path, lines = edited
        f.file = files.display(path)
        f.patch = _unified(files, path, lines)
        again = _edit(running, f)
        if again is not None:
            running.update(*again)
    return "".join(
        _unified(files, path, running.files[path].lines)
        for path in sorted(files.files)
        if running.files[path].lines != files.files[path].lines
    )


# ----------------------------------------------------------------------------- entry point


@dataclass
class DriftReport:
    schema_dir: str
    api_version: str
    documents: int
    findings: list[Finding]
    unread: list[str]
    patch: str

    def to_json(self) -> dict[str, Any]:
        return {
            "schemas": self.schema_dir,
            "api_version": self.api_version,
            "documents": self.documents,
            "unread": self.unread,
            "findings": [
                {
                    "kind": f.kind,
                    "model": f.model,
                    "name": f.name,
                    "detail": f.detail,
                    "sample": f.sample,
                    "count": f.count,
                    "sources": f.sources,
                    "file": f.file,
                    "patch": f.patch,
                }
                for f in self.findings
            ],
        }

    def to_text(self) -> str:
        lines = [
            f"xero-codegen drift: {self.documents} recorded document(s) against {self.schema_dir} "
            f"(API {self.api_version}): {len(self.findings)} finding(s)"
        ]
        lines += [f"unread: {u}" for u in self.unread]
        for f in self.findings:
            where = (
                f"{f.model}.{f.name}"
                if f.kind != "unknown-enum-value"
                else f"{f.model} value {f.name!r}"
            )
            lines.append(
                f"{f.kind:<20} {where} ({f.detail}; {f.count}x, e.g. {f.sample!r}, first in {f.sources[0]})"
            )
            lines.append(f.patch.rstrip("\n") if f.patch else "  (no patch: edit the XSD by hand)")
        if self.findings:
            lines.append("Review the patches (`--patch FILE` writes them as one, for `git apply`),")
            lines.append("describe new elements, then `make generate` and `xero-codegen diff`.")
        return "\n".join(lines) + "\n"


def drift(paths: list[Path], schema_dir: Path, root: Path) -> DriftReport:
    """Check the recorded answers in ``paths`` against the API version in ``schema_dir``."""
    contract = load_contract(schema_dir)
    documents = _documents(paths)
    findings, unread = find_drift(contract, documents)
    files = SchemaFiles(schema_dir, root)
    patch = propose_patches(findings, files)
    return DriftReport(
        files.display(schema_dir), contract.version, len(documents), findings, unread, patch
    )
