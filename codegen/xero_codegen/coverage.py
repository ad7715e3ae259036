"""``xero-codegen coverage``: how much of Xero's own API description the SDK carries.

Compares an API version's manifest (:func:`xero_codegen.manifest.load_manifest`) and XSDs
(``types.xsd`` for the entities, ``simple_types.xsd`` for the enumerations) with Xero's
OpenAPI description (``xero_accounting.yaml``, YAML or JSON) and reports:

* operations (method + path) covered, left out on purpose (with the reason kept in the
  manifest's ``[coverage.left_out]`` table) and missing;
* per covered operation, the query parameters and headers Xero documents that no endpoint of
  the manifest sends (and those the manifest sends that Xero does not document);
* per entity both sides describe, the fields Xero has that our XSDs lack and ours that Xero
  no longer has; per enumerated field, the values either side lacks.

The comparison is by name. Paths compare segment by segment, literal segments without regard
to case and every ``{Parameter}`` as one slot, so ``Invoices/{Invoice}`` (an id or a number)
matches both ``/Invoices/{InvoiceID}`` and ``/Invoices/{InvoiceNumber}``. Entities compare by
name without regard to case (``CisOrgSetting`` is Xero's ``CISOrgSetting``). What is JSON
only in Xero's description is not counted against the XML API: the ``...String`` twins of
date fields, ``StatusAttributeString``, ``pagination`` and the JSON error fields.

It is how a maintainer sees what Xero's monthly description releases changed: run it on the
new file and read the lists.
"""

from __future__ import annotations

import fnmatch
import importlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .manifest import load_manifest

XS = "{http://www.w3.org/2001/XMLSchema}"
METHODS = ("get", "put", "post", "delete", "patch")
FORMATS = ("text", "markdown", "json")
#: Headers every call carries whatever the manifest says (the client sends them itself).
IMPLICIT_HEADERS = {
    "xero-tenant-id",
    "idempotency-key",
    "authorization",
    "accept",
    "content-type",
}
#: Properties of Xero's JSON form that the XML API has no element for.
JSON_ONLY_FIELDS = {"StatusAttributeString", "pagination"}
#: Present on both sides in their own form (XML: inline elements of every validated entity).
VALIDATION_FIELDS = {"ValidationErrors", "Warnings"}
_SLOT = re.compile(r"^\{[^}]*\}$")


class CoverageError(ValueError):
    """The OpenAPI description or the schemas cannot be read (the problem named)."""


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Operation:
    """One operation of Xero's description."""

    method: str  # upper case
    path: str  # as Xero writes it, without the leading /
    operation_id: str = ""
    endpoints: tuple[str, ...] = ()  # manifest endpoints carrying it ("resource.name")
    reason: str = ""  # why it is left out (the left_out table), if it is
    missing_params: tuple[str, ...] = ()  # query parameters and headers we never send
    extra_params: tuple[str, ...] = ()  # ours that Xero does not document here

    @property
    def key(self) -> str:
        return f"{self.method} /{self.path}"


@dataclass(frozen=True)
class FieldDiff:
    """What differs in one entity both sides describe."""

    entity: str  # our name
    xero_name: str
    missing: tuple[str, ...] = ()  # Xero's fields our XSD lacks
    extra: tuple[str, ...] = ()  # our fields Xero no longer has
    enums: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()  # field, missing, extra


@dataclass
class Report:
    """The whole comparison."""

    title: str
    spec_version: str
    covered: list[Operation] = field(default_factory=list)
    left_out: list[Operation] = field(default_factory=list)
    missing: list[Operation] = field(default_factory=list)
    stale_reasons: list[tuple[str, str]] = field(default_factory=list)  # pattern, reason
    unmatched_endpoints: list[str] = field(default_factory=list)  # ours, not in Xero's
    entities: list[FieldDiff] = field(default_factory=list)
    unmodelled: list[str] = field(default_factory=list)  # Xero's entities we do not model

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.left_out) + len(self.missing)

    @property
    def in_scope(self) -> int:
        return len(self.covered) + len(self.missing)

    @property
    def figure(self) -> str:
        """The one-line summary, e.g. ``120 of 150 in-scope operations covered (80.0 %)``."""
        share = 100.0 * len(self.covered) / self.in_scope if self.in_scope else 100.0
        return (
            f"{len(self.covered)} of {self.in_scope} in-scope operations covered ({share:.1f} %);"
            f" {len(self.left_out)} of Xero's {self.total} left out on purpose"
        )

    def as_json(self) -> dict[str, Any]:
        def op(o: Operation) -> dict[str, Any]:
            found = asdict(o)
            found["endpoints"] = list(o.endpoints)
            found["missing_params"] = list(o.missing_params)
            found["extra_params"] = list(o.extra_params)
            return found

        return {
            "title": self.title,
            "spec_version": self.spec_version,
            "summary": {
                "operations": self.total,
                "covered": len(self.covered),
                "left_out": len(self.left_out),
                "missing": len(self.missing),
                "in_scope": self.in_scope,
                "figure": self.figure,
            },
            "covered": [op(o) for o in self.covered],
            "left_out": [op(o) for o in self.left_out],
            "missing": [op(o) for o in self.missing],
            "stale_reasons": [{"pattern": p, "reason": r} for p, r in self.stale_reasons],
            "unmatched_endpoints": self.unmatched_endpoints,
            "entities": [
                {
                    "entity": e.entity,
                    "xero_name": e.xero_name,
                    "missing_fields": list(e.missing),
                    "extra_fields": list(e.extra),
                    "enums": [
                        {"field": f, "missing_values": list(m), "extra_values": list(x)}
                        for f, m, x in e.enums
                    ],
                }
                for e in self.entities
            ],
            "unmodelled_entities": self.unmodelled,
        }


# ----------------------------------------------------------------------------- reading


def _endpoint_id(endpoint: Mapping[str, Any]) -> str:
    """``resource.name`` of a manifest endpoint (``resource.sub_resource.name`` when nested)."""
    parts = (endpoint.get("resource"), endpoint.get("sub_resource"), endpoint.get("name"))
    return ".".join(str(p) for p in parts if p)


def load_openapi(path: Path) -> dict[str, Any]:
    """Xero's OpenAPI description, from YAML or JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CoverageError(f"{path}: {exc}") from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CoverageError(f"{path}: not JSON: {exc}") from exc
    else:
        yaml: Any = importlib.import_module("yaml")  # PyYAML: only this command needs it

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            data = yaml.load(text, Loader=loader)  # a safe loader: plain data only
        except yaml.YAMLError as exc:
            raise CoverageError(f"{path}: not YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        raise CoverageError(f"{path}: not an OpenAPI description (no paths)")
    return data


def _shape(path: str) -> tuple[str, ...]:
    """A path as segments: literals in lower case, every ``{slot}`` as ``{}``."""
    return tuple(
        "{}" if _SLOT.match(seg) else seg.lower() for seg in path.strip("/").split("/") if seg
    )


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow a local ``$ref`` (``#/components/...``)."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            return {}
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node, seen = target, seen + 1
    return node


def _spec_params(
    spec: Mapping[str, Any], item: Mapping[str, Any], op: Mapping[str, Any]
) -> set[str]:
    names: set[str] = set()
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(spec, raw)
        if isinstance(param, dict) and param.get("in") in ("query", "header"):
            name = str(param.get("name", ""))
            if param.get("in") == "header" and name.lower() in IMPLICIT_HEADERS:
                continue
            names.add(name)
    return names


def _our_params(endpoint: Mapping[str, Any]) -> set[str]:
    ours = {str(q["wire"]) for q in endpoint.get("query", [])} | {
        str(h["wire"]) for h in endpoint.get("headers", [])
    }
    response = endpoint.get("response", {})
    if isinstance(response, dict) and response.get("content_type_header"):
        ours.add(str(response["content_type_header"]))  # a file's download names its type
    return ours


def _parse_xsd(path: Path) -> etree._ElementTree:
    """An XSD of the version (entities in types.xsd, enumerations in simple_types.xsd)."""
    try:
        return etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise CoverageError(
            f"{path}: cannot be read ({exc}); coverage needs types.xsd and simple_types.xsd"
        ) from exc


def _xsd_types(schema_dir: Path) -> dict[str, dict[str, str]]:
    """Complex types of ``types.xsd``: name -> {element: type (of an item, for a wrapper)}."""
    tree = _parse_xsd(schema_dir / "types.xsd")
    found: dict[str, dict[str, str]] = {}
    for ctype in tree.getroot().iterfind(f"{XS}complexType"):
        elements: dict[str, str] = {}
        for holder in (
            *ctype.iterfind(f"{XS}all"),
            *ctype.iterfind(f"{XS}sequence"),
            *ctype.iterfind(f"{XS}complexContent/{XS}extension/{XS}all"),
            *ctype.iterfind(f"{XS}complexContent/{XS}extension/{XS}sequence"),
        ):
            for el in holder.iterfind(f"{XS}element"):
                inner = el.find(f"{XS}complexType/{XS}sequence/{XS}element")
                type_ = el.get("type") or (inner.get("type") if inner is not None else "")
                elements[el.get("name", "")] = str(type_ or "")
        found[ctype.get("name", "")] = elements
    return found


def _xsd_enums(schema_dir: Path) -> dict[str, list[str]]:
    tree = _parse_xsd(schema_dir / "simple_types.xsd")
    enums: dict[str, list[str]] = {}
    for stype in tree.getroot().iterfind(f"{XS}simpleType"):
        values = [e.get("value", "") for e in stype.iterfind(f"{XS}restriction/{XS}enumeration")]
        if values:
            enums[stype.get("name", "")] = values
    return enums


def _left_out(manifest: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(method or "", path pattern, reason) of ``[coverage.left_out]``."""
    table = manifest.get("coverage", {}).get("left_out", {})
    rows = []
    for key, reason in table.items():
        method, _, pattern = str(key).partition(" ")
        if not pattern:
            method, pattern = "", method
        rows.append((method.upper(), pattern.strip("/"), str(reason)))
    return rows


def _matches(method: str, path: str, rule: tuple[str, str, str]) -> bool:
    want, pattern, _ = rule
    if want and want != method:
        return False
    return fnmatch.fnmatchcase(path.lower(), pattern.lower())


def newest_version(schemas: Path) -> str:
    """The newest ``vX.Y`` folder under ``schemas`` that has a manifest (``X.Y``)."""
    found = [
        p.name[1:]
        for p in schemas.glob("v*")
        if (p / "manifest.toml").is_file() and re.fullmatch(r"v\d+\.\d+", p.name)
    ]
    if not found:
        raise CoverageError(f"{schemas}: no vX.Y folder with a manifest.toml")
    return max(found, key=lambda v: tuple(int(n) for n in v.split(".")))


# ----------------------------------------------------------------------------- comparing


def compare(schema_dir: Path, spec: Mapping[str, Any]) -> Report:
    """The coverage of ``spec`` by the API version in ``schema_dir``."""
    try:
        manifest = load_manifest(schema_dir)
    except ValueError as exc:
        raise CoverageError(str(exc)) from exc
    info = spec.get("info", {}) if isinstance(spec.get("info"), dict) else {}
    report = Report(
        title=str(manifest.get("api", {}).get("title", schema_dir.name)),
        spec_version=str(info.get("version", "?")),
    )
    ours: dict[tuple[str, tuple[str, ...]], list[Mapping[str, Any]]] = {}
    for endpoint in manifest.get("endpoints", []):
        key = (str(endpoint.get("method", "")).upper(), _shape(str(endpoint.get("path", ""))))
        ours.setdefault(key, []).append(endpoint)
    rules = _left_out(manifest)
    used_rules: set[int] = set()
    matched: set[tuple[str, tuple[str, ...]]] = set()
    for path, item in sorted(spec.get("paths", {}).items()):
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            upper, bare = method.upper(), path.strip("/")
            key = (upper, _shape(path))
            found = ours.get(key, [])
            if found:
                matched.add(key)
                theirs = _spec_params(spec, item, op)
                mine = set().union(*(_our_params(e) for e in found))
                report.covered.append(
                    Operation(
                        upper,
                        bare,
                        str(op.get("operationId", "")),
                        tuple(_endpoint_id(e) for e in found),
                        missing_params=tuple(sorted(theirs - mine)),
                        extra_params=tuple(sorted(mine - theirs)),
                    )
                )
                continue
            rule = next((n for n, r in enumerate(rules) if _matches(upper, bare, r)), None)
            if rule is not None:
                used_rules.add(rule)
                report.left_out.append(
                    Operation(upper, bare, str(op.get("operationId", "")), reason=rules[rule][2])
                )
            else:
                report.missing.append(Operation(upper, bare, str(op.get("operationId", ""))))
    report.stale_reasons = [
        (f"{r[0]} {r[1]}".strip(), r[2]) for n, r in enumerate(rules) if n not in used_rules
    ]
    report.unmatched_endpoints = sorted(
        f"{_endpoint_id(e)} ({k[0]} {e['path']})"
        for k, eps in ours.items()
        if k not in matched
        for e in eps
    )
    names = {str(k): str(v) for k, v in manifest.get("coverage", {}).get("entities", {}).items()}
    _compare_entities(report, schema_dir, spec, names)
    return report


def _spec_enum(spec: Mapping[str, Any], prop: Any) -> list[str] | None:
    node = _resolve(spec, prop)
    if isinstance(node, dict) and node.get("type") == "array":
        node = _resolve(spec, node.get("items", {}))
    if isinstance(node, dict) and isinstance(node.get("enum"), list):
        return [str(v) for v in node["enum"] if v is not None and str(v) != ""]
    return None


def _json_only(name: str, props: Iterable[str]) -> bool:
    return name in JSON_ONLY_FIELDS or (name.endswith("String") and name[:-6] in set(props))


def _compare_entities(
    report: Report, schema_dir: Path, spec: Mapping[str, Any], names: Mapping[str, str]
) -> None:
    """Entities by name (``names``: ours -> Xero's where they differ beyond case)."""
    schemas = spec.get("components", {}).get("schemas", {})
    types = _xsd_types(schema_dir)
    enums = _xsd_enums(schema_dir)
    by_lower = {name.lower(): name for name in types if name not in names}
    taken = {xero.lower() for xero in names.values()}
    by_lower = {k: v for k, v in by_lower.items() if k not in taken}
    by_lower.update({xero.lower(): ours for ours, xero in names.items() if ours in types})
    for xero_name, raw in sorted(schemas.items()):
        node = _resolve(spec, raw)
        props = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(props, dict) or not props:
            continue
        ours = by_lower.get(xero_name.lower())
        if ours is None:
            if "x-objectArrayKey" not in node:  # not a JSON plural wrapper (<Response>'s)
                report.unmodelled.append(xero_name)
            continue
        elements = types[ours]
        theirs = [p for p in props if not _json_only(p, props) and p not in VALIDATION_FIELDS]
        mine = [e for e in elements if e not in VALIDATION_FIELDS]
        enum_diffs = []
        for prop in sorted(set(theirs) & set(mine)):
            values = _spec_enum(spec, props[prop])
            our_values = enums.get(elements[prop])
            if values is None or our_values is None:
                continue
            lacking = tuple(v for v in values if v not in our_values)
            surplus = tuple(v for v in our_values if v not in values)
            if lacking or surplus:
                enum_diffs.append((prop, lacking, surplus))
        diff = FieldDiff(
            entity=ours,
            xero_name=xero_name,
            missing=tuple(sorted(set(theirs) - set(mine))),
            extra=tuple(sorted(set(mine) - set(theirs))),
            enums=tuple(enum_diffs),
        )
        if diff.missing or diff.extra or diff.enums:
            report.entities.append(diff)


# ----------------------------------------------------------------------------- output


def render(report: Report, fmt: str) -> str:
    """The report as ``text``, ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps(report.as_json(), indent=2, sort_keys=False) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    if fmt == "text":
        return _text(report)
    raise CoverageError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def _text(report: Report) -> str:
    out = [
        f"{report.title} against Xero's OpenAPI {report.spec_version}",
        report.figure,
        "",
        f"Covered ({len(report.covered)}):",
    ]
    for op in report.covered:
        out.append(f"  {op.key}  <- {', '.join(op.endpoints)}")
        if op.missing_params:
            out.append(f"      parameters missing: {', '.join(op.missing_params)}")
        if op.extra_params:
            out.append(f"      parameters Xero does not document: {', '.join(op.extra_params)}")
    out += ["", f"Left out ({len(report.left_out)}):"]
    out += [f"  {op.key}  -- {op.reason}" for op in report.left_out]
    out += ["", f"Missing ({len(report.missing)}):"]
    out += [f"  {op.key}" for op in report.missing]
    if report.stale_reasons:
        out += ["", "Reasons matching no operation of this description:"]
        out += [f"  {p}  -- {r}" for p, r in report.stale_reasons]
    if report.unmatched_endpoints:
        out += ["", "Endpoints of ours that this description does not have:"]
        out += [f"  {e}" for e in report.unmatched_endpoints]
    out += ["", f"Entities that differ ({len(report.entities)}):"]
    for e in report.entities:
        out.append(f"  {e.entity}" + (f" (Xero: {e.xero_name})" if e.xero_name != e.entity else ""))
        if e.missing:
            out.append(f"      fields Xero has that we lack: {', '.join(e.missing)}")
        if e.extra:
            out.append(f"      fields Xero no longer has: {', '.join(e.extra)}")
        for name, lacking, surplus in e.enums:
            if lacking:
                out.append(f"      {name} values we lack: {', '.join(lacking)}")
            if surplus:
                out.append(f"      {name} values Xero no longer has: {', '.join(surplus)}")
    if report.unmodelled:
        out += ["", f"Xero's entities not modelled ({len(report.unmodelled)}):"]
        out.append("  " + ", ".join(report.unmodelled))
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else ""


def _markdown(report: Report) -> str:
    out = [
        f"# Coverage of Xero's OpenAPI {report.spec_version}",
        "",
        f"{report.title}: **{report.figure}**.",
        "",
        "| | Operations |",
        "|---|---|",
        f"| Covered | {len(report.covered)} |",
        f"| Missing | {len(report.missing)} |",
        f"| Left out on purpose | {len(report.left_out)} |",
        f"| In Xero's description | {report.total} |",
        "",
        "## Covered operations",
        "",
        "| Operation | SDK methods | Parameters missing |",
        "|---|---|---|",
    ]
    for op in report.covered:
        methods = ", ".join(f"`{e}`" for e in op.endpoints)
        params = ", ".join(f"`{p}`" for p in op.missing_params)
        out.append(f"| `{op.key}` | {methods} | {params} |")
    out += ["", "## Missing operations", ""]
    if report.missing:
        out += ["| Operation | Xero's operationId |", "|---|---|"]
        out += [f"| `{op.key}` | {op.operation_id} |" for op in report.missing]
    else:
        out.append("None: every in-scope operation is covered.")
    out += ["", "## Left out on purpose", "", "| Operation | Why |", "|---|---|"]
    out += [f"| `{op.key}` | {_cell(op.reason)} |" for op in report.left_out]
    if report.stale_reasons:
        out += ["", "Reasons that match no operation of this description:", ""]
        out += [f"- `{p}`: {_cell(r)}" for p, r in report.stale_reasons]
    out += ["", "## Entities", ""]
    if report.entities:
        out += ["| Entity | Fields we lack | Fields Xero no longer has | Enumerations |"]
        out += ["|---|---|---|---|"]
        for e in report.entities:
            enums = "; ".join(
                f"{n}: " + ", ".join([*(f"+{v}" for v in m), *(f"-{v}" for v in x)])
                for n, m, x in e.enums
            )
            name = e.entity if e.xero_name == e.entity else f"{e.entity} ({e.xero_name})"
            out.append(
                f"| {name} | {', '.join(e.missing)} | {', '.join(e.extra)} | {_cell(enums)} |"
            )
        out += [
            "",
            "Enumerations: `+V` a value Xero has that we lack, `-V` ours Xero no longer has.",
        ]
    else:
        out.append("Every entity both describe has the same fields and values.")
    if report.unmodelled:
        out += ["", f"Xero's entities not modelled: {', '.join(report.unmodelled)}."]
    return "\n".join(out) + "\n"
