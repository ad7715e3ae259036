"""Schemas in, the intermediate model out: the one walk over an API version's sources.

``load_api`` reads the manifest (endpoints, parameters, environments; one file per resource
under ``resources/``) and xsdata's analysed classes of the XSDs (payload types, documentation,
facets), plus the write schemas (the elements and order a request writes), and returns the
:class:`~xero_codegen.ir.ApiVersion` every renderer reads. Each field of each model is
analysed once, for the codec (element, wrapper, value kind) and for the client-side checks
(path, value check with its facets, occurrence bounds) together.

Every problem is collected and raised at the end in one :class:`~xero_codegen.ir.ManifestError`,
each naming the file it comes from (``schemas/v2.0/resources/contacts.toml: ...``).
"""

from __future__ import annotations

import importlib.util
import keyword
import sys
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from xsdata.codegen.models import Attr, AttrType, Class
from xsdata.models.config import GeneratorConfig
from xsdata.models.enums import DataType

from .ir import (
    _SLOT,
    BINARY_RETURNS,
    HEADER_TYPES,
    METHODS,
    PATH_TYPES,
    QUERY_TYPES,
    RETURNS,
    ApiVersion,
    BinaryRequest,
    BinaryResponse,
    BodyField,
    CheckValue,
    Endpoint,
    Field,
    ManifestError,
    Model,
    Paging,
    PathParam,
    QueryParam,
    Refetch,
    RequestBody,
    RequestDocument,
    Resource,
    ResponseSpec,
    _snake,
)
from .manifest import MANIFEST, RESOURCE_DIR, load_manifest
from .xsdata_driver import CONFIG_PATH, XeroFilters, temporal_kind

XS = "{http://www.w3.org/2001/XMLSchema}"

# xsdata datatype -> codec value kind. A schema type outside this table fails generation
# (the codec would otherwise silently disagree with xsdata).
NATIVE_KINDS: dict[DataType, str] = {
    DataType.STRING: "str",
    DataType.NORMALIZED_STRING: "str",
    DataType.TOKEN: "str",
    DataType.ANY_URI: "str",
    DataType.DECIMAL: "decimal",
    DataType.BOOLEAN: "bool",
    DataType.INTEGER: "int",
    DataType.INT: "int",
    DataType.LONG: "int",
    DataType.SHORT: "int",
    DataType.NON_NEGATIVE_INTEGER: "int",
    DataType.POSITIVE_INTEGER: "int",
}
TEMPORAL_KINDS = {"xero:date": "date", "xero:utc-datetime": "utc_datetime"}
TEXT_TYPES = frozenset(
    {
        DataType.STRING,
        DataType.NORMALIZED_STRING,
        DataType.TOKEN,
        DataType.LANGUAGE,
        DataType.NMTOKEN,
        DataType.NAME,
        DataType.NCNAME,
        DataType.ID,
        DataType.IDREF,
        DataType.ENTITY,
        DataType.ANY_URI,
    }
)
# The value range each builtin integer type implies (XSD Part 2, 3.4.13-3.4.25).
INTEGER_RANGES: dict[DataType, tuple[int | None, int | None]] = {
    DataType.INTEGER: (None, None),
    DataType.NON_POSITIVE_INTEGER: (None, 0),
    DataType.NEGATIVE_INTEGER: (None, -1),
    DataType.LONG: (-(2**63), 2**63 - 1),
    DataType.INT: (-(2**31), 2**31 - 1),
    DataType.SHORT: (-(2**15), 2**15 - 1),
    DataType.BYTE: (-(2**7), 2**7 - 1),
    DataType.NON_NEGATIVE_INTEGER: (0, None),
    DataType.UNSIGNED_LONG: (0, 2**64 - 1),
    DataType.UNSIGNED_INT: (0, 2**32 - 1),
    DataType.UNSIGNED_SHORT: (0, 2**16 - 1),
    DataType.UNSIGNED_BYTE: (0, 2**8 - 1),
    DataType.POSITIVE_INTEGER: (1, None),
}
RUNTIME_TEMPORAL = ("date", "utc_datetime")  # value checks of runtime/_checks.py
BOUNDS = ("min_inclusive", "max_inclusive", "min_exclusive", "max_exclusive")
LENGTHS = ("length", "min_length", "max_length")


def _runtime_rules() -> dict[str, str]:
    """The rules of ``runtime/_checks.py`` (name -> what it refuses), their one source.

    The module is loaded on its own (it needs only the standard library): importing the
    ``runtime`` package would import the SDK's transport (httpx), which the generator does
    not need.
    """
    path = Path(__file__).with_name("runtime") / "_checks.py"
    spec = importlib.util.spec_from_file_location("_xero_codegen_runtime_checks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.RULES)


RULES = _runtime_rules()


# ------------------------------------------------------------------------------ models


@dataclass(frozen=True)
class Models:
    """The models of a set of analysed classes (see :func:`build_models`)."""

    models: tuple[Model, ...]
    enums: tuple[str, ...]
    requests: tuple[RequestDocument, ...]
    problems: tuple[str, ...]  # schema problems (constructs the codec cannot handle, ...)
    codec_problems: tuple[str, ...]  # of these, the constructs only the codec refuses


def _facets(attr: Attr, kind: str, datatype: DataType | None) -> tuple[tuple[str, str], ...]:
    r = attr.restrictions
    out: list[tuple[str, str]] = []
    if kind == "text":
        for name in LENGTHS:
            value = getattr(r, name)
            if value is not None:
                out.append((name, repr(int(value))))
        if r.pattern:
            out.append(("pattern", repr(r.pattern)))
    elif kind == "decimal":
        if r.fraction_digits is not None:
            out.append(("fraction_digits", repr(int(r.fraction_digits))))
        if r.total_digits is not None:
            out.append(("total_digits", repr(int(r.total_digits))))
        for name in BOUNDS:
            value = getattr(r, name)
            if value is not None:
                out.append((name, repr(str(Decimal(str(value))))))
    elif kind == "integer":
        low, high = INTEGER_RANGES.get(datatype, (None, None)) if datatype else (None, None)
        bounds: dict[str, int | None] = {
            "min_inclusive": low,
            "max_inclusive": high,
            "min_exclusive": None,
            "max_exclusive": None,
        }
        for name in BOUNDS:
            value = getattr(r, name)
            if value is None:
                continue
            number = int(Decimal(str(value)))
            current = bounds[name]
            if current is None:
                bounds[name] = number
            elif name.startswith("min"):
                bounds[name] = max(current, number)
            else:
                bounds[name] = min(current, number)
        out.extend((k, repr(v)) for k, v in bounds.items() if v is not None)
    return tuple(out)


def _write_shapes(
    schema_dir: Path, write_schemas: str
) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str, str | None, str]]]:
    """From the write schemas: complex type -> [(element, type or item type)] in order, and the
    root elements as (element, module, item element or None, type)."""
    shapes: dict[str, list[tuple[str, str]]] = {}
    roots: list[tuple[str, str, str | None, str]] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for xsd in sorted((schema_dir / write_schemas).rglob("*.xsd")):
        module = xsd.relative_to(schema_dir).with_suffix("").as_posix().replace("/", ".")
        schema = etree.parse(str(xsd), parser).getroot()
        for ctype in schema.iterfind(f"{XS}complexType"):
            elements: list[tuple[str, str]] = []
            for el in ctype.iterfind(f"{XS}sequence/{XS}element"):
                inner = el.find(f"{XS}complexType/{XS}sequence/{XS}element")
                type_ = el.get("type") if inner is None else inner.get("type")
                elements.append((el.get("name", ""), _local(type_ or "")))
            shapes[ctype.get("name", "")] = elements
        for root in schema.iterfind(f"{XS}element"):
            if root.get("type"):
                roots.append((root.get("name", ""), module, None, _local(root.get("type", ""))))
            else:
                item = root.find(f"{XS}complexType/{XS}sequence/{XS}element")
                if item is not None:
                    roots.append(
                        (
                            root.get("name", ""),
                            module,
                            item.get("name"),
                            _local(item.get("type", "")),
                        )
                    )
    return shapes, roots


def _module_of(obj: Class) -> str:
    """The module of ``obj`` below its ``models`` package (the XSD it comes from)."""
    target = obj.target_module or ""
    if ".models." in target:
        return target.split(".models.", 1)[1]
    return Path(obj.location or "types").stem


def build_models(
    classes: list[Class],
    rules: dict[str, str] | None = None,
    schema_dir: Path | None = None,
    write_schemas: str | None = None,
) -> Models:
    """Every complex class in ``classes`` (xsdata's analysis) as a :class:`Model`, each field
    seen by the codec and by the checks at once; ``rules`` maps a class to its check rule;
    the write shapes come from ``schema_dir/write_schemas`` when the API version has them."""
    filters = XeroFilters(GeneratorConfig.read(CONFIG_PATH))
    by_qname = {obj.qname: obj for obj in classes}
    rules = dict(rules or {})
    problems: list[str] = []
    codec_problems: list[str] = []

    def check_of(attr: Attr, type_: AttrType) -> CheckValue:
        if type_.native:
            datatype = type_.datatype
            if datatype in TEXT_TYPES:
                return CheckValue("text", facets=_facets(attr, "text", datatype))
            if datatype == DataType.DECIMAL:
                return CheckValue("decimal", facets=_facets(attr, "decimal", datatype))
            if datatype in INTEGER_RANGES:
                return CheckValue("integer", facets=_facets(attr, "integer", datatype))
            if datatype == DataType.BOOLEAN:
                return CheckValue("boolean")
            return CheckValue("any")
        target = by_qname.get(type_.qname)
        if target is None:
            return CheckValue("any")
        name = filters.class_name(target.name)
        return CheckValue("enum" if target.is_enumeration else "model", ref=name)

    def field_of(obj: Class, attr: Attr) -> Field:
        where = f"{obj.name}.{attr.name}"
        temporal = temporal_kind(attr)
        # The checks: a construct without a specific check is only checked for presence.
        if temporal is not None:
            temporal_check = TEMPORAL_KINDS.get(temporal[1], "any")
            check = CheckValue(temporal_check if temporal_check in RUNTIME_TEMPORAL else "any")
        elif len(attr.types) == 1:
            check = check_of(attr, attr.types[0])
        else:
            members = tuple(check_of(attr, t) for t in attr.types)
            check = (
                CheckValue("any")
                if any(m.kind == "any" for m in members)
                else CheckValue("union", members=members)
            )
        # The codec: a construct it cannot read is a problem (it would disagree with xsdata).
        kind, ref = "str", None
        if not attr.is_element and not attr.is_attribute:
            codec_problems.append(
                f"{where}: only elements and attributes are supported (got {attr.tag})"
            )
        elif attr.is_attribute and attr.is_list:
            codec_problems.append(f"{where}: list attributes are not supported")
        elif len(attr.types) != 1:
            codec_problems.append(f"{where}: unions are not supported")
        elif temporal is not None:
            kind = TEMPORAL_KINDS[temporal[1]]
        elif attr.types[0].native:
            datatype = attr.types[0].datatype
            if datatype in NATIVE_KINDS:
                kind = NATIVE_KINDS[datatype]
            else:
                codec_problems.append(
                    f"{where}: XSD type {attr.types[0].qname} is not supported by the codec"
                )
        else:
            target = by_qname.get(attr.types[0].qname)
            if target is None:
                problems.append(f"{where}: type {attr.types[0].qname} not found")
            else:
                kind = "enum" if target.is_enumeration else "model"
                ref = filters.class_name(target.name)
        if attr.is_attribute and kind not in ("str", "enum"):
            codec_problems.append(f"{where}: an attribute must be text or an enumeration")
        is_list = attr.is_list
        r = attr.restrictions
        max_occurs = r.max_occurs if r.max_occurs is not None else 1
        # local_name is the XML name (attr.name may have been renamed to avoid a clash)
        if attr.is_attribute:
            path = "@" + attr.local_name
        elif attr.wrapper:
            path = f"{attr.wrapper}/{attr.local_name}"
        else:
            path = attr.local_name
        return Field(
            attr=filters.field_name(attr.name, obj.name),
            tag=attr.local_name if (attr.wrapper or attr.is_attribute) else attr.name,
            wrapper=attr.wrapper,
            path=path,
            kind=kind,
            ref=ref,
            is_list=is_list,
            required=not is_list
            and not attr.is_optional
            and not attr.is_nillable
            and attr.default is None,
            check=check,
            is_attribute=attr.is_attribute,
            nillable=attr.is_nillable and not is_list,
            min_occurs=int(r.min_occurs or 0) if is_list else 0,
            max_occurs=None if not is_list or max_occurs >= sys.maxsize else int(max_occurs),
        )

    def own_fields(obj: Class) -> list[Field]:
        fields: list[Field] = []
        for ext in obj.extensions:
            parent = by_qname.get(ext.type.qname)
            if parent is None:
                problems.append(f"{obj.name}: base {ext.type.qname} not found")
                continue
            if not parent.is_enumeration:
                fields.extend(own_fields(parent))
        fields.extend(field_of(obj, attr) for attr in obj.attrs)
        return fields

    shapes: dict[str, list[tuple[str, str]]] = {}
    roots: list[tuple[str, str, str | None, str]] = []
    if schema_dir is not None and write_schemas:
        shapes, roots = _write_shapes(schema_dir, write_schemas)

    def write_view(obj: Class, name: str, fields: list[Field]) -> tuple[Field, ...] | None:
        shape = shapes.get(obj.name)
        if shape is None:
            return None
        by_tag = {f.outer_tag: f for f in fields if not f.is_attribute}
        view: list[Field] = []
        for element, type_ in shape:
            f = by_tag.get(element)
            if f is None:
                problems.append(f"write shape {obj.name}: <{element}> is not an element of {name}")
                continue
            if f.kind in ("model", "enum") and filters.class_name(type_) != f.ref:
                problems.append(
                    f"write shape {obj.name}.{element}: type {type_} differs from the model's {f.ref}"
                )
            view.append(f)
        return tuple(view)

    models: list[Model] = []
    enums: set[str] = set()
    for obj in classes:
        name = filters.class_name(obj.name)
        if obj.is_enumeration:
            enums.add(name)
            continue
        fields = own_fields(obj)
        rule = rules.pop(name, None)
        if rule is not None and rule not in RULES:
            problems.append(
                f"checks.rules.{name}: unknown rule {rule!r} (known: {', '.join(sorted(RULES))})"
            )
        models.append(
            Model(
                name=name,
                module=_module_of(obj),
                root=obj.meta_name or obj.name,
                fields=tuple(fields),
                subtypes=tuple(
                    sorted(
                        (other.name, _snake(filters.class_name(other.name)))
                        for other in classes
                        if any(ext.type.qname == obj.qname for ext in other.extensions)
                    )
                ),
                write_fields=write_view(obj, name, fields),
                rule=rule,
            )
        )
    problems.extend(f"checks.rules.{name}: no such model" for name in sorted(rules))
    # Dispatch on xsi:type only where an element of the base type can occur.
    referenced = {f.ref for m in models for f in m.fields if f.kind == "model"}
    models = [m if m.name in referenced else replace(m, subtypes=()) for m in models]
    unknown_shapes = set(shapes) - {obj.name for obj in classes}
    if unknown_shapes:
        problems.append(f"write shapes without a model: {', '.join(sorted(unknown_shapes))}")
    model_names = {m.name for m in models}
    requests: list[RequestDocument] = []
    for element, module, item, type_ in roots:
        model = filters.class_name(type_)
        if model not in model_names:
            problems.append(f"request root <{element}>: no model {type_}")
            continue
        requests.append(RequestDocument(element=element, module=module, model=model, item=item))
    return Models(
        models=tuple(sorted(models, key=lambda m: m.name)),
        enums=tuple(sorted(enums)),
        requests=tuple(sorted(requests, key=lambda r: r.element)),
        problems=tuple(problems + codec_problems),
        codec_problems=tuple(codec_problems),
    )


def _by_name(models: tuple[Model, ...]) -> dict[str, Model]:
    return {m.name: m for m in models}


def _reachable(models: dict[str, Model], name: str) -> list[Model]:
    seen: dict[str, Model] = {}
    todo = [name]
    while todo:
        current = todo.pop(0)
        if current in seen or current not in models:
            continue
        seen[current] = models[current]
        for f in models[current].fields:
            todo.extend(f.check.model_refs)
    return list(seen.values())


def _required_elements(
    spec: dict[str, Any], models: dict[str, Model], name: str, where: str, problems: list[str]
) -> tuple[str, ...]:
    """The manifest's ``request.required``: child elements of the item (class ``name``) this
    endpoint requires although the schema does not (what Xero needs to create a record)."""
    required = spec.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        problems.append(f"{where}: request.required must be a list of element names")
        return ()
    model = models.get(name)
    written = (model.write_fields or model.fields) if model is not None else ()
    known = {f.path.split("/", 1)[0] for f in written}
    for element in required:
        if element not in known:
            problems.append(f"{where}: request.required names {element!r}, not written in {name}")
    if len(set(required)) != len(required):
        problems.append(f"{where}: request.required names an element twice")
    return tuple(required)


def refusals(models: dict[str, Model], name: str) -> tuple[str, ...]:
    """What the checks of a body of class ``name`` refuse, for its methods' docstrings."""
    values: list[CheckValue] = []
    bounded = False
    for m in _reachable(models, name):
        for f in m.fields:
            values.extend([f.check, *f.check.members])
            bounded = bounded or bool(f.is_list and (f.min_occurs or f.max_occurs is not None))
    kinds = {v.kind for v in values}
    facets = {k for v in values for k, _ in v.facets}
    out = ["a required field missing or a value of the wrong type"]
    if "decimal" in kinds:
        out.append(
            "a ``float`` or ``str`` for a ``Decimal``, or more decimal places or digits"
            " than allowed"
        )
    if "date" in kinds:
        out.append("a ``str`` or ``datetime`` for a ``datetime.date``")
    if "utc_datetime" in kinds:
        out.append("a naive ``datetime``")
    if "enum" in kinds:
        out.append("a value outside its enumeration")
    if "pattern" in facets:
        out.append("text not of the form its pattern gives, such as a GUID")
    if facets & set(LENGTHS):
        out.append("text too long or too short")
    if facets & set(BOUNDS) or "integer" in kinds:
        out.append("a number out of range")
    if bounded:
        out.append("more or fewer items than a list allows")
    return tuple(out)


def rules_of(models: dict[str, Model], name: str) -> tuple[str, ...]:
    """The rules that apply to a body of class ``name`` (its own and its nested models')."""
    found = {m.rule for m in _reachable(models, name) if m.rule}
    return tuple(rule for rule in RULES if rule in found)


# ------------------------------------------------------------------------------ endpoints


def _doc_of(element: etree._Element) -> str:
    text = element.findtext(f"{XS}annotation/{XS}documentation") or ""
    return " ".join(text.split())


def _root_element_doc(xsd: Path, name: str) -> str:
    tree = etree.parse(str(xsd), etree.XMLParser(resolve_entities=False, no_network=True))
    for element in tree.getroot().iterfind(f"{XS}element"):
        if element.get("name") == name:
            return _doc_of(element)
    return ""


def _local(qname: str) -> str:
    """``Name`` of ``{namespace}Name``."""
    return qname.rsplit("}", 1)[-1]


def _find_class(classes: list[Class], name: str) -> Class | None:
    for obj in classes:
        if obj.name == name:
            return obj
    return None


_FILTERS: XeroFilters | None = None


def field_name(obj: Class, attr: Attr) -> str:
    """The Python name of ``attr`` of ``obj``: the one the generated models use (xsdata's
    field naming with the project's policy, ``xsdata_driver.XeroFilters.field_name``), so the
    manifest names a field exactly as the models spell it."""
    global _FILTERS
    if _FILTERS is None:
        _FILTERS = XeroFilters(GeneratorConfig.read(CONFIG_PATH))
    return _FILTERS.field_name(attr.name, obj.name)


def _field(obj: Class, python_name: str) -> tuple[str, bool, str] | None:
    """(type local name, is_list, doc) of the attribute of ``obj`` called ``python_name``."""
    for attr in obj.attrs:
        if field_name(obj, attr) == python_name:
            type_name = _local(attr.types[0].qname)
            return type_name, attr.is_list, " ".join((attr.help or "").split())
    return None


def _refetch(endpoints: list[Endpoint], name: str, target: str) -> Refetch | str:
    """The ``refetch`` of list ``name``: ``target``, a GET of one item of the same type by a
    GUID query parameter; or what is wrong with it."""
    listed = next(e for e in endpoints if e.name == name)
    whole = next((e for e in endpoints if e.name == target), None)
    if not (listed.method == "GET" and listed.response and listed.response.is_list):
        return "belongs on a GET of a list"
    if whole is None:
        return "names no endpoint of this resource"
    key = next((q for q in whole.query if q.type == "guid"), None)
    if (
        whole.method != "GET"
        or whole.response is None
        or whole.response.is_list
        or whole.response.payload_type != listed.response.payload_type
        or key is None
    ):
        return f"must be a GET of one {listed.response.payload_type} by a GUID query parameter"
    return Refetch(endpoint=target, key=key.name)


def _stream_tags(obj: Class, python_name: str) -> tuple[str, str] | None:
    """(wrapper, item) element names of the wrapped list field ``python_name`` of ``obj``."""
    for attr in obj.attrs:
        if field_name(obj, attr) == python_name and attr.is_list and attr.wrapper:
            return attr.wrapper, attr.local_name
    return None


def _request_root(xsd: Path, element: str) -> tuple[str, str | None, str] | None:
    """(type of one item, item element or None, documentation) of a root element of ``xsd``.

    A root with a ``type`` is a single body; a root whose anonymous type is a sequence of one
    repeated typed element is a batch of that element.
    """
    tree = etree.parse(str(xsd), etree.XMLParser(resolve_entities=False, no_network=True))
    for root in tree.getroot().iterfind(f"{XS}element"):
        if root.get("name") != element:
            continue
        if root.get("type"):
            return _local(root.get("type", "")), None, _doc_of(root)
        items = root.findall(f"{XS}complexType/{XS}sequence/{XS}element")
        if len(items) == 1 and items[0].get("type") and items[0].get("maxOccurs") == "unbounded":
            return _local(items[0].get("type", "")), items[0].get("name"), _doc_of(root)
    return None


def _enum_of(classes: list[Class], model: str, python_name: str) -> tuple[bool, str | None]:
    """(found, enum class) of the field ``python_name`` of ``model``, following bases."""
    obj = _find_class(classes, model)
    while obj is not None:
        for attr in obj.attrs:
            if field_name(obj, attr) == python_name:
                target = _find_class(classes, _local(attr.types[0].qname))
                if target is not None and target.is_enumeration:
                    return True, target.name
                return True, None
        base = obj.extensions[0].type.qname if obj.extensions else ""
        obj = _find_class(classes, _local(base)) if base else None
    return False, None


def _paging(
    pg: dict[str, Any],
    query: list[QueryParam],
    stream: tuple[str, str] | None,
    response: ResponseSpec | None,
    models: dict[str, Model],
) -> tuple[Paging, str | None]:
    """The endpoint's ``paging`` and what is wrong with it (None: nothing)."""
    paging = Paging(
        page=str(pg.get("page", "")),
        size=str(pg.get("size", "")),
        default_size=int(pg.get("default_size", 0)),
        offset=str(pg.get("offset", "")),
        next=str(pg.get("next", "")),
    )
    by_name = {q.name: q for q in query}

    def is_int(name: str) -> bool:
        return name in by_name and by_name[name].type == "int"

    if stream is None or response is None or paging.default_size < 1:
        return paging, "paging needs stream = true and a positive default_size"
    if paging.offset:
        item = models.get(response.payload_type)
        field = next((f for f in item.fields if f.attr == paging.next), None) if item else None
        if paging.page or paging.size or not is_int(paging.offset):
            return paging, "offset paging needs an int query parameter offset and no page or size"
        if field is None or field.kind != "int" or field.is_list:
            return paging, (
                f"offset paging needs next = a whole-number field of {response.payload_type}"
            )
        return paging, None
    if paging.next:
        return paging, "paging.next is for offset paging"
    if not is_int(paging.page) or (paging.size and not is_int(paging.size)):
        return paging, "paging needs int query parameters page (and size, when Xero has one)"
    return paging, None


def _response_field(
    response: ResponseSpec, name: object, returns: str, models: dict[str, Model]
) -> tuple[ResponseSpec, str | None]:
    """The manifest's ``response.field``: a text field of the one payload
    item that the method returns (``online_invoice_url``); and what is wrong with it."""
    item = models.get(response.payload_type)
    found = next((f for f in item.fields if f.attr == name), None) if item else None
    if returns != "one" or found is None or found.is_list or found.kind != "str":
        return response, (
            f'response.field {name!r} needs returns = "one" and names a text field of'
            f" {response.payload_type}"
        )
    return replace(response, field=found.attr, field_tag=found.path), None


def _params(
    raw: list[dict[str, Any]], types: tuple[str, ...], where: str, problems: list[str]
) -> list[QueryParam]:
    params: list[QueryParam] = []
    for q in raw:
        qtype = q.get("type", "")
        if qtype not in types:
            problems.append(f"{where}: parameter {q.get('name')!r} has unknown type {qtype!r}")
        if qtype in ("enum", "enum_list") and not q.get("values"):
            problems.append(f"{where}: enum parameter {q.get('name')!r} needs values")
        params.append(
            QueryParam(
                name=q["name"],
                wire=q["wire"],
                type=qtype,
                doc=q.get("doc", ""),
                values=tuple(q.get("values", ())),
                default=q.get("default"),
                cli_alias=q.get("cli_alias"),
                required=bool(q.get("required", False)),
                minimum=q.get("min"),
            )
        )
    return params


def _label(schema_dir: Path, relative: str) -> str:
    """How a message names a file of the API version: ``schemas/v2.0/resources/items.toml``."""
    if schema_dir.parent.name == "schemas":
        return f"schemas/{schema_dir.name}/{relative}"
    return (schema_dir / relative).as_posix()


def manifest_sources(schema_dir: Path, resources: dict[str, Any]) -> dict[str, str]:
    """Resource -> the manifest file that declares it ("" -> ``manifest.toml``)."""
    sources = {"": _label(schema_dir, MANIFEST)}
    for name in resources:
        own = f"{RESOURCE_DIR}/{name}.toml"
        sources[name] = _label(schema_dir, own) if (schema_dir / own).is_file() else sources[""]
    return sources


def load_api(
    schema_dir: Path,
    classes: list[Class],
    manifest: dict[str, Any] | None = None,
) -> ApiVersion:
    """The intermediate model of the API version in ``schema_dir``: its manifest (read here
    unless given) cross-checked with xsdata's analysed ``classes`` of its XSDs."""
    if manifest is None:
        manifest = load_manifest(schema_dir)
    api = manifest.get("api", {})
    built = build_models(
        classes,
        manifest.get("checks", {}).get("rules", {}),
        schema_dir,
        api.get("write_schemas"),
    )
    problems: list[str] = list(built.problems)
    models_by_name = _by_name(built.models)
    resources_doc: dict[str, dict[str, Any]] = manifest.get("resources", {})
    sources = manifest_sources(schema_dir, resources_doc)
    by_resource: dict[str, list[Endpoint]] = {name: [] for name in resources_doc}
    refetches: list[tuple[str, str, str, str]] = []  # (resource, endpoint, target, where)
    seen: set[str] = set()
    lower_paths = api.get("path_case") == "lower"

    counters: dict[str, int] = {}
    for raw in manifest.get("endpoints", []):
        source = sources.get(str(raw.get("resource")), sources[""])
        index = counters[source] = counters.get(source, -1) + 1
        where = f"{source}: endpoints[{index}] ({raw.get('resource')}.{raw.get('name')})"
        resource, name, method = raw.get("resource", ""), raw.get("name", ""), raw.get("method", "")
        if resource not in by_resource:
            problems.append(f"{where}: resource {resource!r} is not declared under [resources]")
            continue
        if not name.isidentifier() or keyword.iskeyword(name):
            problems.append(f"{where}: name {name!r} is not a Python identifier")
        sub = raw.get("sub_resource")
        if sub is not None and (
            not isinstance(sub, str)
            or not sub.isidentifier()
            or keyword.iskeyword(sub)
            or sub.startswith("_")
            or sub == "with_raw_response"
        ):
            problems.append(f"{where}: sub_resource {sub!r} is not a usable attribute name")
        key = f"{resource}.{sub}.{name}" if sub else f"{resource}.{name}"
        if key in seen:
            problems.append(f"{where}: duplicate endpoint")
        seen.add(key)
        if method not in METHODS:
            problems.append(f"{where}: method {method!r} is not one of {', '.join(METHODS)}")
        path = raw.get("path", "")
        if not path or path.startswith("/") or (lower_paths and path != path.lower()):
            problems.append(
                f"{where}: path {path!r} must be relative"
                + (" and lower case" if lower_paths else "")
            )

        query = _params(raw.get("query", []), QUERY_TYPES, where, problems)
        for q in query:
            if q.minimum is not None and q.type != "int":
                problems.append(f"{where}: min is for int parameters (got {q.name!r})")
        headers = _params(raw.get("headers", []), HEADER_TYPES, where, problems)
        path_params: list[PathParam] = []
        for pp in raw.get("path_params", []):
            if pp.get("type") not in PATH_TYPES:
                problems.append(f"{where}: path parameter {pp.get('name')!r} has unknown type")
            path_params.append(
                PathParam(name=pp["name"], slot=pp["slot"], type=pp["type"], doc=pp.get("doc", ""))
            )
        slots = set(_SLOT.findall(path))
        if slots != {pp.slot for pp in path_params}:
            problems.append(f"{where}: path slots {sorted(slots)} and path_params do not match")
        names = (
            [q.name for q in query] + [h.name for h in headers] + [pp.name for pp in path_params]
        )
        if len(set(names)) != len(names):
            problems.append(f"{where}: a parameter name is used twice")
        one_of = tuple(raw.get("one_of", ()))
        arguments = [str(a) for a in raw.get("request", {}).get("arguments", ())]
        for name_ in one_of:
            if name_ not in names and name_ not in arguments:
                problems.append(f"{where}: one_of names unknown parameter {name_!r}")
        for slot in slots:
            fillers = [pp.name for pp in path_params if pp.slot == slot]
            if len(fillers) > 1 and set(fillers) != set(one_of):
                problems.append(f"{where}: path slot {slot} has alternatives but no one_of of them")

        request: RequestBody | None = None
        upload: BinaryRequest | None = None
        if isinstance(raw.get("request"), dict) and "binary" in raw["request"]:
            upload = _binary_request(raw["request"], method, path, path_params, where, problems)
        elif "request" in raw:
            spec = raw["request"]
            xsd = schema_dir / spec["schema"]
            if not xsd.is_file():
                problems.append(f"{where}: request schema {spec['schema']} does not exist")
                continue
            if "element" in spec:
                found_root = _request_root(xsd, spec["element"])
                if found_root is None:
                    problems.append(f"{where}: {spec['schema']} has no root <{spec['element']}>")
                    continue
                item_type, item_tag, root_doc = found_root
                if _find_class(classes, item_type) is None:
                    problems.append(f"{where}: no model {item_type!r} for <{spec['element']}>")
                    continue
                body_fields: list[BodyField] = []
                for fname, values in spec.get("fields", {}).items():
                    known, enum = _enum_of(classes, item_type, fname)
                    if not known or not values:
                        problems.append(f"{where}: {item_type} has no field {fname!r}")
                    body_fields.append(BodyField(name=fname, values=tuple(values), enum=enum))
                model_fields = {
                    f.attr: f
                    for f in (
                        models_by_name[item_type].fields if item_type in models_by_name else ()
                    )
                }
                for fname in spec.get("arguments", ()):
                    found_field = model_fields.get(fname)
                    if found_field is None or found_field.is_list or found_field.kind != "str":
                        problems.append(
                            f"{where}: argument {fname!r} is not a text field of {item_type}"
                        )
                        continue
                    body_fields.append(BodyField(name=fname, values=(), enum=None, argument="str"))
                if (spec.get("param") is None) == (not body_fields):
                    problems.append(f"{where}: a request needs exactly one of param and fields")
                request = RequestBody(
                    schema=spec["schema"],
                    type=item_type,
                    param=spec.get("param"),
                    doc=root_doc,
                    items=item_tag,
                    item_type=item_type if item_tag else None,
                    element=spec["element"],
                    fields=tuple(body_fields),
                    refusals=refusals(models_by_name, item_type),
                    rules=tuple(RULES[r] for r in rules_of(models_by_name, item_type)),
                    required=_required_elements(spec, models_by_name, item_type, where, problems),
                )
            else:
                root_cls = _find_class(classes, spec["type"])
                if root_cls is None:
                    problems.append(f"{where}: xsdata produced no class {spec['type']!r}")
                    continue
                item_type = None
                if spec.get("items"):
                    found = _field(root_cls, spec["items"])
                    if found is None or not found[1]:
                        problems.append(
                            f"{where}: {spec['type']}.{spec['items']} is not a list field"
                        )
                        continue
                    item_type = found[0]
                request = RequestBody(
                    schema=spec["schema"],
                    type=spec["type"],
                    param=spec["param"],
                    doc=_root_element_doc(xsd, root_cls.meta_name or root_cls.name),
                    items=spec.get("items"),
                    item_type=item_type,
                    refusals=refusals(models_by_name, spec["type"]),
                    rules=tuple(RULES[r] for r in rules_of(models_by_name, spec["type"])),
                    required=_required_elements(
                        spec, models_by_name, item_type or spec["type"], where, problems
                    ),
                )

        returns = raw.get("returns", "list")
        response: ResponseSpec | None = None
        response_cls: Class | None = None
        binary: BinaryResponse | None = None
        if returns == "none":
            if "response" in raw or raw.get("stream", False):
                problems.append(
                    f'{where}: returns = "none" (204 No Content) takes no response and no stream'
                )
        elif isinstance(raw.get("response"), dict) and "binary" in raw["response"]:
            binary = _binary_response(raw, method, path_params, where, problems)
            returns = BINARY_RETURNS
        else:
            rspec = raw.get("response", {})
            xsd = schema_dir / rspec.get("schema", "")
            response_cls = _find_class(classes, rspec.get("type", ""))
            if not xsd.is_file() or response_cls is None:
                problems.append(
                    f"{where}: response schema/type {rspec.get('schema')}/{rspec.get('type')}"
                    " not found"
                )
                continue
            found = _field(response_cls, rspec["payload"])
            if found is None:
                problems.append(f"{where}: {rspec['type']} has no field {rspec['payload']!r}")
                continue
            response = ResponseSpec(
                schema=rspec["schema"],
                type=rspec["type"],
                payload=rspec["payload"],
                payload_type=found[0],
                is_list=found[1],
                doc=found[2],
            )
            if returns not in RETURNS or (returns != "list" and not response.is_list):
                problems.append(
                    f"{where}: returns {returns!r} needs a list payload and one of {RETURNS}"
                )
            if "field" in rspec:
                response, trouble = _response_field(
                    response, rspec["field"], returns, models_by_name
                )
                if trouble:
                    problems.append(f"{where}: {trouble}")
        cli_arguments = tuple(str(a) for a in raw.get("cli_arguments", ()))
        positional = [pp.name for pp in path_params] + arguments
        positional += [upload.param] if upload is not None else []
        for name_ in cli_arguments:
            # a file's name may be given by position where its id is the alternative
            if name_ not in positional or (name_ in one_of and binary is None):
                problems.append(
                    f"{where}: cli_arguments names {name_!r}, which is not a path parameter or"
                    " body argument of the endpoint (or is one of a one_of)"
                )
        cli_command = raw.get("cli_command")
        if cli_command is not None and (
            sub is None or not isinstance(cli_command, str) or not cli_command.isidentifier()
        ):
            problems.append(
                f"{where}: cli_command {cli_command!r} needs a sub_resource and an identifier"
            )
        stream: tuple[str, str] | None = None
        if raw.get("stream", False) and response is not None and response_cls is not None:
            stream = _stream_tags(response_cls, response.payload)
            if method != "GET" or stream is None:
                problems.append(
                    f"{where}: stream = true needs a GET whose payload is a wrapped list"
                )
        paging: Paging | None = None
        if "paging" in raw:
            paging, trouble = _paging(raw["paging"], query, stream, response, models_by_name)
            if trouble:
                problems.append(f"{where}: {trouble}")
        if "refetch" in raw:
            refetches.append((resource, name, str(raw["refetch"]), where))
        by_resource[resource].append(
            Endpoint(
                resource=resource,
                name=name,
                method=method,
                path=path,
                doc=" ".join(raw.get("doc", "").split()),
                query=tuple(query),
                one_of=one_of,
                request=request,
                response=response,
                stream=stream,
                path_params=tuple(path_params),
                headers=tuple(headers),
                paging=paging,
                returns=returns,
                tenanted=bool(api.get("tenant_parameter", False)),
                sub_resource=sub,
                cli_arguments=cli_arguments,
                cli_command=cli_command,
                binary=binary,
                upload=upload,
            )
        )
        if upload is not None:
            _check_upload_response(upload, response, returns, models_by_name, where, problems)

    for resource, name, target, where in refetches:
        again = _refetch(by_resource[resource], name, target)
        if isinstance(again, str):
            problems.append(f"{where}: refetch = {target!r} {again}")
            continue
        by_resource[resource] = [
            replace(e, refetch=again) if e.name == name else e for e in by_resource[resource]
        ]

    environments = api.get("environments", {})
    if api.get("default_environment") not in environments:
        problems.append("api.default_environment must name one of api.environments")
    for env_name, url in environments.items():
        if not str(url).startswith("https://") or not str(url).endswith("/"):
            problems.append(f"api.environments.{env_name} must be an https URL ending in /")
    for name, endpoints in by_resource.items():
        subs = resources_doc[name].get("sub_resources", {})
        own = {e.name for e in endpoints if e.sub_resource is None}
        for sub in dict.fromkeys(e.sub_resource for e in endpoints if e.sub_resource):
            if sub in own:
                problems.append(
                    f"{sources[name]}: sub_resource {sub!r} has the name of an endpoint of {name}"
                )
            if not str(subs.get(sub, {}).get("doc", "")).strip():
                problems.append(f"{sources[name]}: [sub_resources.{sub}] needs a doc")
        for sub in subs:
            if sub not in {e.sub_resource for e in endpoints}:
                problems.append(f"{sources[name]}: [sub_resources.{sub}] has no endpoint")
    if problems:
        raise ManifestError(problems)

    resources = tuple(
        Resource(
            name=name,
            doc=resources_doc[name].get("doc", ""),
            endpoints=tuple(by_resource[name]),
            source=sources[name],
            sub_docs=tuple(
                (sub, " ".join(str(spec.get("doc", "")).split()))
                for sub, spec in resources_doc[name].get("sub_resources", {}).items()
            ),
            cli_columns=tuple(str(c) for c in resources_doc[name].get("cli_columns", ())),
        )
        for name in resources_doc
    )
    schema_files = tuple(
        sorted(p.relative_to(schema_dir).as_posix() for p in schema_dir.rglob("*.xsd"))
    )
    return ApiVersion(
        version=str(api["version"]),
        package=str(api["package"]),
        title=str(api.get("title", "")),
        auth=str(api.get("auth", "query-keys")),
        errors=str(api.get("errors", "response-errors")),
        environments=tuple(sorted((k, str(v)) for k, v in environments.items())),
        default_environment=str(api["default_environment"]),
        resources=resources,
        schema_files=schema_files,
        write_schemas=api.get("write_schemas"),
        tenant_parameter=bool(api.get("tenant_parameter", False)),
        idempotency=bool(api.get("idempotency", False)),
        retries=str(api.get("retries", "safe-methods")),
        content_type=str(api.get("content_type", "text/xml; charset=utf-8")),
        base_url_env=str(api.get("base_url_env", "XERO_BASE_URL")),
        models=built.models,
        enums=built.enums,
        requests=built.requests,
    )


# ------------------------------------------------------------------------------ binary
# Files in and out (issue 18): `response = { binary = "<media type>" }` and
# `request = { binary = true, param = "content" }`; see the key docs in manifest.toml.


def _binary_response(
    raw: dict[str, Any],
    method: str,
    path_params: list[PathParam],
    where: str,
    problems: list[str],
) -> BinaryResponse | None:
    spec = raw["response"]
    accept = spec.get("binary")
    header = spec.get("content_type_header")
    file_name = spec.get("file_name")
    trouble: list[str] = []
    if not isinstance(accept, str) or "/" not in accept or accept != accept.strip():
        trouble.append("response.binary must be a media type such as application/pdf or */*")
    if (
        method != "GET"
        or raw.get("stream", False)
        or raw.get("returns", BINARY_RETURNS) != BINARY_RETURNS
    ):
        trouble.append("a binary response needs a GET, without stream or returns")
    if set(spec) - {"binary", "content_type_header", "file_name"}:
        trouble.append(
            f"response keys {sorted(set(spec) - {'binary', 'content_type_header', 'file_name'})} are not for a binary response"
        )
    if header is not None and (not isinstance(header, str) or not header.isidentifier()):
        trouble.append("response.content_type_header must name a header (contentType)")
    if file_name is not None and file_name not in {p.name for p in path_params}:
        trouble.append(f"response.file_name {file_name!r} is not a path parameter")
    if header is not None and file_name is None:
        trouble.append("response.content_type_header needs response.file_name (to guess the type)")
    problems.extend(f"{where}: {t}" for t in trouble)
    if trouble:
        return None
    return BinaryResponse(accept=accept, content_type_header=header, file_name=file_name)


def _binary_request(
    spec: dict[str, Any],
    method: str,
    path: str,
    path_params: list[PathParam],
    where: str,
    problems: list[str],
) -> BinaryRequest | None:
    param = spec.get("param")
    file_name = spec.get("file_name", "file_name")
    max_files = spec.get("max_files")
    trouble: list[str] = []
    if spec.get("binary") is not True:
        trouble.append("request.binary must be true")
    if method not in ("PUT", "POST"):
        trouble.append("a binary request needs a PUT or POST")
    if not isinstance(param, str) or not param.isidentifier() or keyword.iskeyword(param):
        trouble.append("request.param must name the content's keyword argument (content)")
    last = path.rsplit("/", 1)[-1]
    slot = next((p.slot for p in path_params if p.name == file_name), None)
    if slot is None or last != "{" + slot + "}":
        trouble.append(
            f"request.file_name {file_name!r} must be the path parameter of the last segment"
        )
    if max_files is not None and (
        isinstance(max_files, bool) or not isinstance(max_files, int) or max_files < 1
    ):
        trouble.append("request.max_files must be a whole number >= 1")
    if set(spec) - {"binary", "param", "file_name", "max_files"}:
        trouble.append(
            f"request keys {sorted(set(spec) - {'binary', 'param', 'file_name', 'max_files'})} are not for a binary request"
        )
    problems.extend(f"{where}: {t}" for t in trouble)
    if trouble:
        return None
    return BinaryRequest(
        param=str(param),
        file_name=str(file_name),
        max_files=max_files,
        folder=path.rsplit("/", 1)[0],
    )


def _check_upload_response(
    upload: BinaryRequest,
    response: ResponseSpec | None,
    returns: str,
    models_by_name: dict[str, Model],
    where: str,
    problems: list[str],
) -> None:
    """An upload answers the record saved; counting files reads their names from the list."""
    if response is None or returns != "one":
        problems.append(f'{where}: a binary request answers one record (returns = "one")')
        return
    fields = models_by_name.get(response.payload_type)
    if upload.max_files is not None and (
        fields is None or "file_name" not in {f.attr for f in fields.fields}
    ):
        problems.append(f"{where}: request.max_files needs a payload with a file_name field")
