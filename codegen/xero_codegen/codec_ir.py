"""The intermediate model of the generated lxml codec, derived from xsdata's own analysis.

xsdata's analysed :class:`~xsdata.codegen.models.Class` objects are what the model sources
are rendered from, so building the codec from the same objects makes the generated decoder
and encoder agree with xsdata's binding by construction: the same element names, wrappers,
order, optionality, list-ness, enum and temporal formats. Python names come from the same
xsdata filters that named the dataclass fields.

Plain frozen data; rendering (``templates/_codec.py.jinja``) is a pure function of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from xsdata.codegen.models import Attr, Class
from xsdata.models.config import GeneratorConfig
from xsdata.models.enums import DataType

from .ir import _snake
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


@dataclass(frozen=True)
class CodecIR:
    models: tuple[CodecModel, ...]
    enums: tuple[str, ...]

    def model(self, name: str) -> CodecModel:
        for model in self.models:
            if model.name == name:
                return model
        raise KeyError(name)


def build_codec_ir(classes: list[Class]) -> CodecIR:
    """The codec of every complex class in ``classes`` (the analysed output of xsdata)."""
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
        if not attr.is_element:
            problems.append(f"{where}: only elements are supported (got {attr.tag})")
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
        return CodecField(
            attr=filters.field_name(attr.name, obj.name),
            tag=attr.local_name if attr.wrapper else attr.name,
            wrapper=attr.wrapper,
            kind=kind,
            ref=ref,
            is_list=is_list,
            required=not is_list
            and not attr.is_optional
            and not attr.is_nillable
            and attr.default is None,
        )

    models: list[CodecModel] = []
    enums: set[str] = set()
    for obj in classes:
        if obj.is_enumeration:
            enums.add(filters.class_name(obj.name))
            continue
        name = filters.class_name(obj.name)
        models.append(
            CodecModel(
                name=name,
                function=_snake(name),
                root=obj.meta_name or obj.name,
                fields=tuple(own_fields(obj)),
            )
        )
    if problems:
        raise CodecIRError("\n".join(problems))
    return CodecIR(models=tuple(sorted(models, key=lambda m: m.name)), enums=tuple(sorted(enums)))
