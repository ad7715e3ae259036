"""The intermediate model of the generated lxml codec, derived from xsdata's own analysis.

xsdata's analysed :class:`~xsdata.codegen.models.Class` objects are what the model sources
are rendered from, so building the codec from the same objects makes the generated decoder
and encoder agree with xsdata's binding by construction: the same element names, wrappers,
order, optionality, list-ness, enum and temporal formats. Python names come from the same
xsdata filters that named the dataclass fields.

Plain frozen data; rendering (``templates/_codec.py.jinja``) is a pure function of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from xsdata.codegen.models import Attr, Class
from xsdata.models.config import GeneratorConfig
from xsdata.models.enums import DataType

from .ir import XS, _local, _snake
from .xsdata_driver import CONFIG_PATH, XeroFilters, temporal_kind

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
PY_TYPES = {
    "str": "str",
    "decimal": "Decimal",
    "bool": "bool",
    "int": "int",
    "date": "datetime.date",
    "utc_datetime": "datetime.datetime",
}


class CodecIRError(ValueError):
    """The analysed classes use something the generated codec cannot handle."""


@dataclass(frozen=True)
class CodecField:
    attr: str  # python field name
    tag: str  # element name (of one item, for lists)
    wrapper: str | None  # wrapper element of a list, if any
    kind: str  # str | decimal | bool | int | date | utc_datetime | enum | model
    ref: str | None  # class name for kind enum/model
    is_list: bool
    required: bool
    is_attribute: bool = False  # an XML attribute of the element (``tag`` is its name)
    nillable: bool = False  # ``xsi:nil="true"`` reads as None

    @property
    def outer_tag(self) -> str:
        """The child element that holds the field (the wrapper of a wrapped list)."""
        return self.wrapper or self.tag

    @property
    def py_type(self) -> str:
        """Annotation of the decoder's local variable (``Any`` for enums: unknown values stay text)."""
        if self.kind == "enum":
            return "Any"
        base = self.ref if self.kind == "model" else PY_TYPES[self.kind]
        assert base is not None
        if self.is_list:
            return f"list[{base}]"
        return f"{base} | None"

    @property
    def ref_function(self) -> str:
        """snake_case stem of the referenced model's codec functions."""
        return _snake(self.ref or "")


@dataclass(frozen=True)
class CodecModel:
    name: str  # python class name
    function: str  # snake_case stem of decode_/encode_/write_ functions
    root: str  # element name of the class as a document root
    fields: tuple[CodecField, ...]
    # Models derived from this one, as (xsi:type name, function stem): an element of this type
    # carrying ``xsi:type`` is decoded as the derived model.
    subtypes: tuple[tuple[str, str], ...] = ()
    # The fields a request writes, in the write schema's order (None: no write shape, requests
    # write ``fields``). See ``write_schemas`` in the manifest.
    write_fields: tuple[CodecField, ...] | None = None

    @property
    def request_writer(self) -> str:
        """The writer requests use for this model."""
        return f"write_{self.function}" + ("_request" if self.write_fields is not None else "")


@dataclass(frozen=True)
class RequestDocument:
    """A root element of a write schema: one model, or a batch of one repeated element."""

    element: str
    function: str  # stem: encode_request_<function>
    model: str  # the model written (of one item, for a batch)
    item: str | None  # the repeated element of a batch


@dataclass(frozen=True)
class CodecIR:
    models: tuple[CodecModel, ...]
    enums: tuple[str, ...]
    requests: tuple[RequestDocument, ...] = ()

    def model(self, name: str) -> CodecModel:
        for model in self.models:
            if model.name == name:
                return model
        raise KeyError(name)


def _write_shapes(
    schema_dir: Path, write_schemas: str
) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str | None, str]]]:
    """From the write schemas: complex type -> [(element, type or item type)] in order, and the
    root elements as (element, item element or None, type)."""
    shapes: dict[str, list[tuple[str, str]]] = {}
    roots: list[tuple[str, str | None, str]] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for xsd in sorted((schema_dir / write_schemas).rglob("*.xsd")):
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
                roots.append((root.get("name", ""), None, _local(root.get("type", ""))))
            else:
                item = root.find(f"{XS}complexType/{XS}sequence/{XS}element")
                if item is not None:
                    roots.append(
                        (root.get("name", ""), item.get("name"), _local(item.get("type", "")))
                    )
    return shapes, roots


def build_codec_ir(
    classes: list[Class], schema_dir: Path | None = None, write_schemas: str | None = None
) -> CodecIR:
    """The codec of every complex class in ``classes`` (the analysed output of xsdata), with
    the write shapes of ``schema_dir/write_schemas`` when the API version has them."""
    filters = XeroFilters(GeneratorConfig.read(CONFIG_PATH))
    by_qname = {obj.qname: obj for obj in classes}
    problems: list[str] = []

    def own_fields(obj: Class) -> list[CodecField]:
        fields: list[CodecField] = []
        for ext in obj.extensions:
            parent = by_qname.get(ext.type.qname)
            if parent is None:
                problems.append(f"{obj.name}: base {ext.type.qname} not found")
                continue
            fields.extend(own_fields(parent))
        for attr in obj.attrs:
            field_ = _field(obj, attr)
            if field_ is not None:
                fields.append(field_)
        return fields

    def _field(obj: Class, attr: Attr) -> CodecField | None:
        where = f"{obj.name}.{attr.name}"
        if not attr.is_element and not attr.is_attribute:
            problems.append(f"{where}: only elements and attributes are supported (got {attr.tag})")
            return None
        if attr.is_attribute and attr.is_list:
            problems.append(f"{where}: list attributes are not supported")
            return None
        if len(attr.types) != 1:
            problems.append(f"{where}: unions are not supported")
            return None
        type_ = attr.types[0]
        ref: str | None = None
        temporal = temporal_kind(attr)
        if temporal is not None:
            kind = TEMPORAL_KINDS[temporal[1]]
        elif type_.native:
            datatype = type_.datatype
            if datatype not in NATIVE_KINDS:
                problems.append(f"{where}: XSD type {type_.qname} is not supported by the codec")
                return None
            kind = NATIVE_KINDS[datatype]
        else:
            target = by_qname.get(type_.qname)
            if target is None:
                problems.append(f"{where}: type {type_.qname} not found")
                return None
            kind = "enum" if target.is_enumeration else "model"
            ref = filters.class_name(target.name)
        is_list = attr.is_list
        if attr.is_attribute and kind not in ("str", "enum"):
            problems.append(f"{where}: an attribute must be text or an enumeration")
            return None
        return CodecField(
            attr=filters.field_name(attr.name, obj.name),
            tag=attr.local_name if (attr.wrapper or attr.is_attribute) else attr.name,
            wrapper=attr.wrapper,
            kind=kind,
            ref=ref,
            is_list=is_list,
            required=not is_list
            and not attr.is_optional
            and not attr.is_nillable
            and attr.default is None,
            is_attribute=attr.is_attribute,
            nillable=attr.is_nillable and not is_list,
        )

    shapes: dict[str, list[tuple[str, str]]] = {}
    roots: list[tuple[str, str | None, str]] = []
    if schema_dir is not None and write_schemas:
        shapes, roots = _write_shapes(schema_dir, write_schemas)

    def write_view(
        obj: Class, name: str, fields: list[CodecField]
    ) -> tuple[CodecField, ...] | None:
        shape = shapes.get(obj.name)
        if shape is None:
            return None
        by_tag = {f.outer_tag: f for f in fields if not f.is_attribute}
        view: list[CodecField] = []
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

    models: list[CodecModel] = []
    enums: set[str] = set()
    for obj in classes:
        if obj.is_enumeration:
            enums.add(filters.class_name(obj.name))
            continue
        name = filters.class_name(obj.name)
        fields = own_fields(obj)
        subtypes = sorted(
            (other.name, _snake(filters.class_name(other.name)))
            for other in classes
            if any(ext.type.qname == obj.qname for ext in other.extensions)
        )
        models.append(
            CodecModel(
                name=name,
                function=_snake(name),
                root=obj.meta_name or obj.name,
                fields=tuple(fields),
                subtypes=tuple(subtypes),
                write_fields=write_view(obj, name, fields),
            )
        )
    # Dispatch on xsi:type only where an element of the base type can occur.
    referenced = {f.ref for m in models for f in m.fields if f.kind == "model"}
    models = [m if m.name in referenced else replace(m, subtypes=()) for m in models]
    unknown_shapes = set(shapes) - {obj.name for obj in classes}
    if unknown_shapes:
        problems.append(f"write shapes without a model: {', '.join(sorted(unknown_shapes))}")
    model_names = {m.name for m in models}
    requests: list[RequestDocument] = []
    for element, item, type_ in roots:
        model = filters.class_name(type_)
        if model not in model_names:
            problems.append(f"request root <{element}>: no model {type_}")
            continue
        requests.append(
            RequestDocument(element=element, function=_snake(element), model=model, item=item)
        )
    if problems:
        raise CodecIRError("\n".join(problems))
    return CodecIR(
        models=tuple(sorted(models, key=lambda m: m.name)),
        enums=tuple(sorted(enums)),
        requests=tuple(sorted(requests, key=lambda r: r.element)),
    )
