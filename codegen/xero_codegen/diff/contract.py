"""The one adapter between the generator's intermediate model and ``xero-codegen diff``/``drift``.

:func:`load_contract` runs the generator's own front end over one API version's folder
(xsdata analysis -> :func:`~xero_codegen.frontend.load_api`, the one intermediate model)
and flattens what it finds, plus the XSD facts the IR does not keep (facets, defaults,
documentation, occurrence bounds) and the manifest's rename annotations, into a
:class:`Contract`: plain, comparable, JSON-friendly data. The diff rules and the drift report
read only a :class:`Contract`, so a change to the IR touches this module and nothing else.

Fields the IR of a later API version adds (path parameters, headers, parameter defaults,
write shapes) are read with ``getattr`` and a neutral default, so this module works on the
IR before and after they exist.

What requests write is part of the contract: each model's :attr:`Model.writes` (the
elements of its write type in the order the SDK writes them, each with the type the write
schema declares; every element of the model for a version without write schemas), whether
the server reads the model's elements in any order (:attr:`Model.any_order`: its type in the
read schemas is an ``xs:all``, as in 2.0), and the request documents
(:attr:`Contract.requests`, the write schemas' root elements).

Renames (read from ``manifest.toml`` here, not by the generator):

- ``renamed_from = "resource.name"`` (or just ``"name"``, same resource) on an ``[[endpoints]]``;
- ``renamed_from = "old_name"`` on an ``[[endpoints.query]]``, ``[[endpoints.headers]]`` or
  ``[[endpoints.path_params]]`` entry (the old Python name);
- a ``[renames]`` table: ``"Model" = "OldModel"`` (a generated class), ``"Model.Element" =
  "OldElement"`` (an XML element or attribute of that class), ``"Enum.VALUE" = "OLD"`` (an
  enumerated value).

A rename applies only when the old side has the old name and not the new one, so an
annotation can stay in the manifest after the release that needed it.

Enumerations are *open* (the runtime keeps an unknown value as its text) unless the
manifest lists them under ``[enums] closed = [...]``: Xero promises no other values, so code
may match them exhaustively and a new value is a contract change.
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from xsdata.codegen.models import Attr, Class
from xsdata.models.config import GeneratorConfig

from ..frontend import _write_shapes, load_api
from ..manifest import load_manifest
from ..xsdata_driver import CONFIG_PATH, XeroFilters, render_models

FACETS = (
    "length",
    "min_length",
    "max_length",
    "pattern",
    "total_digits",
    "fraction_digits",
    "min_inclusive",
    "max_inclusive",
    "min_exclusive",
    "max_exclusive",
)
TEMPORAL = ("date", "utc_datetime")


@dataclass(frozen=True)
class Field:
    """One element (or attribute) of a model, as the generated class and codec see it."""

    name: str  # Python attribute
    element: str  # XML name of the child (the wrapper of a wrapped list)
    item: str | None  # the repeated element inside a wrapper
    kind: str  # str | decimal | bool | int | date | utc_datetime | enum | model
    ref: str | None  # class of kind enum/model
    is_list: bool
    required: bool  # the decoder insists on it / the constructor needs it
    min_occurs: int
    max_occurs: int | None  # None: unbounded
    nillable: bool
    attribute: bool
    facets: dict[str, str]  # name -> value as text (FACETS)
    default: str | None
    doc: str
    in_request: bool = False  # written by some request of this version
    in_response: bool = False  # read from some answer of this version

    @property
    def key(self) -> str:
        return ("@" if self.attribute else "") + self.element


@dataclass(frozen=True)
class WriteElement:
    """One element a request writes for a model, in the order the SDK writes them."""

    element: str  # the child element (the wrapper of a wrapped list): a Field.key
    type: str  # its type as the write schema declares it (of one item for a list); "" without one


@dataclass(frozen=True)
class Model:
    name: str
    root: str
    doc: str
    fields: tuple[Field, ...]
    in_request: bool = False
    in_response: bool = False
    # What requests write for this model, in the SDK's order: its write type's elements when
    # the version has write schemas (``write_type``), else every element of the model; empty
    # when no request writes the model.
    writes: tuple[WriteElement, ...] = ()
    write_type: bool = False  # a write schema declares its write shape (the 2.0 write types)
    # Its schema type is an ``xs:all``: the server reads its elements in any order (2.0).
    any_order: bool = False

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    members: dict[str, str]  # value -> Python member name
    open: bool
    doc: str
    in_request: bool = False
    in_response: bool = False


@dataclass(frozen=True)
class Param:
    name: str  # Python keyword argument (and CLI option)
    wire: str  # query name, header name or path slot
    location: str  # query | header | path
    type: str
    values: tuple[str, ...]
    default: str | None
    required: bool
    doc: str
    renamed_from: str | None = None


@dataclass(frozen=True)
class Body:
    model: str  # class of the body (of one item for a batch)
    param: str | None  # Python parameter name
    batch: bool
    doc: str
    # issue 18: text fields of the body given as keyword arguments (a note's ``details``), as
    # (argument, element); the docs list them with the parameters
    arguments: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Endpoint:
    id: str  # resource.name
    resource: str
    name: str
    method: str
    path: str
    doc: str
    params: tuple[Param, ...]
    one_of: tuple[str, ...]
    request: Body | None
    response_model: str  # class of the payload (of one item for a list)
    returns: str  # one | list | batch | none
    stream: bool
    renamed_from: str | None = None
    paged: bool = False  # iter() walks the pages (or offsets) itself
    field: str | None = None  # issue 18: the text field of the one item returned (response.field)

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


@dataclass(frozen=True)
class RequestDocument:
    """A root element of a write schema: the document a request body is."""

    element: str
    model: str  # the model written (of one item for a batch)
    item: str | None  # the repeated element of a batch


@dataclass(frozen=True)
class Contract:
    version: str
    package: str
    title: str
    auth: str
    errors: str
    environments: dict[str, str]
    endpoints: dict[str, Endpoint]
    models: dict[str, Model]
    enums: dict[str, EnumType]
    renames: dict[str, str] = field(default_factory=dict)  # [renames] table: new -> old
    tenant_parameter: bool = False  # every method takes tenant_id=
    idempotency: bool = False  # every PUT/POST takes idempotency_key=
    # The write schemas' root elements by name (empty without write schemas).
    requests: dict[str, RequestDocument] = field(default_factory=dict)


class ContractError(ValueError):
    """The folder is not an API version the generator can read."""


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _facets(attr: Attr, kind: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in FACETS:
        value = getattr(attr.restrictions, name, None)
        if value is None or (name == "pattern" and kind in TEMPORAL):
            continue  # a temporal type's pattern is its identity, not a facet
        found[name] = str(value)
    return found


def _attrs_in_order(obj: Class, by_qname: dict[str, Class]) -> list[tuple[Class, Attr]]:
    """Every attr of ``obj``, inherited ones first: the order frontend.build_models lists fields in."""
    found: list[tuple[Class, Attr]] = []
    for ext in obj.extensions:
        parent = by_qname.get(ext.type.qname)
        if parent is not None:
            found.extend(_attrs_in_order(parent, by_qname))
    found.extend((obj, attr) for attr in obj.attrs)
    return found


def _reach(roots: set[str], refs: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r in refs]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(r for r in refs.get(name, ()) if r not in seen)
    return seen


_XS = "{http://www.w3.org/2001/XMLSchema}"


def _any_order_types(schema_dir: Path, write_schemas: str | None) -> set[str]:
    """Names of the complex types (outside the write schemas) whose content is an ``xs:all``."""
    write_dir = (schema_dir / write_schemas).resolve() if write_schemas else None
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    found: set[str] = set()
    for xsd in sorted(schema_dir.rglob("*.xsd")):
        if write_dir is not None and write_dir in xsd.resolve().parents:
            continue
        for ctype in etree.parse(str(xsd), parser).getroot().iter(f"{_XS}complexType"):
            name = ctype.get("name")
            content = [
                *ctype.iterfind(f"{_XS}all"),
                *ctype.iterfind(f"{_XS}complexContent/*/{_XS}all"),
            ]
            if name and content:
                found.add(name)
    return found


_CACHE: dict[str, Contract] = {}
_CACHE_SIZE = 64


def _fingerprint(schema_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(schema_dir.rglob("*")):
        if path.is_file() and path.suffix in (".xsd", ".toml"):
            digest.update(path.relative_to(schema_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _raw_id(raw: dict[str, Any]) -> str:
    """The id of a manifest endpoint: ``resource.name``, or ``resource.sub_resource.name``."""
    sub = raw.get("sub_resource")
    return ".".join(str(p) for p in (raw.get("resource"), sub, raw.get("name")) if p)


def load_contract(schema_dir: Path) -> Contract:
    """The contract of the API version in ``schema_dir`` (an XSD folder with manifest.toml).

    Contracts are kept by the content of the folder's XSDs and manifest (the same tree
    extracted twice, or compared twice, is read once); treat them as read-only.
    """
    manifest_path = schema_dir / "manifest.toml"
    if not manifest_path.is_file():
        raise ContractError(f"{schema_dir}: no manifest.toml (not an API version folder)")
    key = _fingerprint(schema_dir)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _load(schema_dir, manifest_path)
    return _CACHE[key]


def _load(schema_dir: Path, manifest_path: Path) -> Contract:
    manifest: dict[str, Any] = load_manifest(manifest_path.parent)
    api_raw = manifest.get("api", {})
    package = str(api_raw.get("package", ""))
    response_files = {
        Path(e["response"]["schema"]).name
        for e in manifest.get("endpoints", [])
        if "schema" in e.get("response", {})  # not a file (response.binary)
    }
    # --- the generator's own front end, called as pipeline.build calls it (the only
    # IR-shaped calls of the diff package). The 2.0 front end takes the write-shape folder
    # and attribute names; pass them when the functions accept them.
    extra: dict[str, Any] = {}
    if "write_schemas" in inspect.signature(render_models).parameters:
        extra = {
            "write_schemas": api_raw.get("write_schemas"),
            "attribute_names": api_raw.get("attribute_names"),
        }
    if "per_type" in inspect.signature(render_models).parameters:
        extra["per_type"] = api_raw.get("model_modules") == "per-type"
    models_result = render_models(
        schema_dir, f"xero_customer_api.{package}.models", response_files, **extra
    )
    classes = models_result.classes
    api = load_api(schema_dir, classes, manifest)
    codec = api  # its models and enums, as the generated codec sees them
    # ------------------------------------------------------------------------------------
    filters = XeroFilters(GeneratorConfig.read(CONFIG_PATH))
    by_qname = {obj.qname: obj for obj in classes}
    by_class = {filters.class_name(obj.name): obj for obj in classes}
    closed = set(manifest.get("enums", {}).get("closed", ()))

    raw_endpoints = {_raw_id(e): e for e in manifest["endpoints"]}
    endpoints: dict[str, Endpoint] = {}
    for ep in api.endpoints:
        raw = raw_endpoints.get(ep.id, {})
        renamed_params: dict[str, str] = {}
        for section in ("query", "headers", "path_params"):
            for entry in raw.get(section, []):
                if entry.get("renamed_from"):
                    renamed_params[entry["name"]] = str(entry["renamed_from"])
        params: list[Param] = []
        for location, items in (
            ("path", getattr(ep, "path_params", ())),
            ("query", ep.query),
            ("header", getattr(ep, "headers", ())),
        ):
            for p in items:
                params.append(
                    Param(
                        name=p.name,
                        wire=str(getattr(p, "slot", None) or getattr(p, "wire", "")),
                        location=location,
                        type=p.type,
                        values=tuple(str(v) for v in getattr(p, "values", ())),
                        default=_text(getattr(p, "default", None)),
                        # path parameters are required unless they are alternatives (one_of);
                        # a query parameter when the manifest says so (`required = true`)
                        required=(location == "path" and p.name not in ep.one_of)
                        or bool(getattr(p, "required", False)),
                        doc=p.doc,
                        renamed_from=renamed_params.get(p.name),
                    )
                )
        body: Body | None = None
        if ep.request is not None:
            body = Body(
                model=ep.request.item_type or ep.request.type,
                param=ep.request.param,
                batch=ep.request.item_type is not None,
                doc=ep.request.doc,
                arguments=tuple(
                    (f.name, _element_of(codec, ep.request.type, f.name))
                    for f in ep.request.fields
                    if f.argument is not None
                ),
            )
        returns = str(getattr(ep, "returns", "list"))
        if ep.response is not None and not ep.response.is_list:
            returns = "one"
        renamed = raw.get("renamed_from")
        if renamed and "." not in str(renamed):
            renamed = f"{ep.resource}.{renamed}"
        endpoints[ep.id] = Endpoint(
            id=ep.id,
            resource=ep.resource,
            # a nested resource's endpoint is named from its resource: "contacts.add"
            name=ep.id.removeprefix(f"{ep.resource}."),
            method=ep.method,
            path=ep.path,
            doc=ep.doc,
            params=tuple(params),
            one_of=tuple(ep.one_of),
            request=body,
            response_model=ep.response.payload_type if ep.response is not None else "",
            returns=returns,
            stream=ep.stream is not None,
            paged=ep.paging is not None,
            renamed_from=_text(renamed),
            field=getattr(ep.response, "field", None) if ep.response is not None else None,
        )

    # Which models and enums requests write and answers carry.
    write_views = {
        m.name: getattr(m, "write_fields", None) for m in codec.models
    }  # None: requests write every field
    read_refs = {m.name: {f.ref for f in m.fields if f.ref} for m in codec.models}
    write_refs = {
        m.name: {f.ref for f in (write_views[m.name] or m.fields) if f.ref} for m in codec.models
    }
    request_roots = {e.request.model for e in endpoints.values() if e.request}
    request_roots |= {ep.request.type for ep in api.endpoints if ep.request}
    response_roots = {ep.response.type for ep in api.endpoints if ep.response is not None}
    in_request = _reach(request_roots, write_refs)
    in_response = _reach(response_roots, read_refs)
    enum_request = {r for name in in_request for r in write_refs.get(name, ())}
    enum_response = {r for name in in_response for r in read_refs.get(name, ())}

    # The write shapes as the write schemas declare them (the IR keeps the model's fields of
    # each, in order; the declared type of each element is read here with the front end's
    # own reader), and which types the server reads in any order.
    write_schemas = api_raw.get("write_schemas")
    shapes = _write_shapes(schema_dir, str(write_schemas))[0] if write_schemas else {}
    any_order = _any_order_types(schema_dir, str(write_schemas) if write_schemas else None)

    models: dict[str, Model] = {}
    for cm in codec.models:
        obj = by_class[cm.name]
        attrs = _attrs_in_order(obj, by_qname)
        if len(attrs) != len(cm.fields):  # build_models lists them so; keep the pairing honest
            raise ContractError(f"{cm.name}: the codec's fields do not match the XSD's")
        written = {f.attr for f in (write_views[cm.name] or cm.fields)}
        fields: list[Field] = []
        for cf, (_owner, attr) in zip(cm.fields, attrs, strict=True):
            is_attribute = bool(getattr(cf, "is_attribute", False))
            fields.append(
                Field(
                    name=cf.attr,
                    element=cf.wrapper or cf.tag,
                    item=cf.tag if cf.wrapper else None,
                    kind=cf.kind,
                    ref=cf.ref,
                    is_list=cf.is_list,
                    required=cf.required,
                    min_occurs=int(attr.restrictions.min_occurs or 0),
                    max_occurs=None
                    if (attr.restrictions.max_occurs or 1) > 1_000_000
                    else int(attr.restrictions.max_occurs or 1),
                    nillable=bool(attr.restrictions.nillable),
                    attribute=is_attribute,
                    facets=_facets(attr, cf.kind),
                    default=_text(attr.default),
                    doc=" ".join((attr.help or "").split()),
                    in_request=cm.name in in_request and cf.attr in written,
                    in_response=cm.name in in_response,
                )
            )
        view = write_views[cm.name]
        writes: tuple[WriteElement, ...] = ()
        if cm.name in in_request and view is not None:
            declared = dict(shapes.get(obj.name, ()))
            writes = tuple(WriteElement(f.outer_tag, declared.get(f.outer_tag, "")) for f in view)
        elif cm.name in in_request:
            writes = tuple(WriteElement(f.key, "") for f in fields if not f.attribute)
        models[cm.name] = Model(
            name=cm.name,
            root=cm.root,
            doc=" ".join((obj.help or "").split()),
            fields=tuple(fields),
            in_request=cm.name in in_request,
            in_response=cm.name in in_response,
            writes=writes,
            write_type=view is not None,
            any_order=obj.name in any_order,
        )

    enums: dict[str, EnumType] = {}
    for name in codec.enums:
        obj = by_class[name]
        values = tuple(str(a.default) for a in obj.attrs)
        enums[name] = EnumType(
            name=name,
            values=values,
            members={str(a.default): filters.constant_name(a.name, obj.name) for a in obj.attrs},
            open=name not in closed,
            doc=" ".join((obj.help or "").split()),
            in_request=name in enum_request,
            in_response=name in enum_response,
        )

    return Contract(
        version=api.version,
        package=api.package,
        title=api.title,
        auth=api.auth,
        errors=api.errors,
        environments=dict(api.environments),
        endpoints=endpoints,
        models=models,
        enums=enums,
        renames={str(k): str(v) for k, v in manifest.get("renames", {}).items()},
        tenant_parameter=bool(api_raw.get("tenant_parameter", False)),
        idempotency=bool(api_raw.get("idempotency", False)),
        requests={
            r.element: RequestDocument(r.element, r.model, r.item)
            for r in getattr(api, "requests", ())
        },
    )


def _element_of(api: Any, model: str, attr: str) -> str:
    """The XML element of the field ``attr`` of ``model`` (its name when not found)."""
    try:
        fields = api.model(model).fields
    except KeyError:
        return attr
    return next((f.path for f in fields if f.attr == attr), attr)
