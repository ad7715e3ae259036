"""The intermediate model of the client-side checks, derived from xsdata's analysis of the XSDs.

For every complex class: its fields with the element (or attribute) path the problems name,
the XSD type of the value (the builtin type, the facets of its restrictions: fraction and
total digits, bounds, lengths, pattern; an enumeration; a nested model; a union of these),
required-ness and occurrence bounds; and the rule the manifest's ``[checks.rules]`` gives the
class. ``templates/_checks.py.jinja`` renders it into ``<version>/_checks.py``, a table of
the runtime's value checks (``runtime/_checks.py``), which walks it.

Unlike the codec, the checks accept every construct xsdata models (attributes, ``xs:all``,
unions, any builtin type): a type the runtime has no specific check for is only checked for
presence, so a new schema never fails generation here.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xsdata.codegen.models import Attr, AttrType, Class
from xsdata.models.config import GeneratorConfig
from xsdata.models.enums import DataType

from .codec_ir import TEMPORAL_KINDS
from .ir import ManifestError
from .xsdata_driver import CONFIG_PATH, XeroFilters, temporal_kind


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


@dataclass(frozen=True)
class CheckValue:
    kind: (
        str  # text | decimal | integer | boolean | date | utc_datetime | enum | model | union | any
    )
    ref: str | None = None  # class name of an enum or model
    facets: tuple[tuple[str, str], ...] = ()  # (keyword, Python literal), in a fixed order
    members: tuple[CheckValue, ...] = ()  # of a union

    def call(self, model_var: str = "") -> str:
        """The expression building the runtime's check (``model_var`` names model tables)."""
        if self.kind == "union":
            return "union(" + ", ".join(m.call(model_var) for m in self.members) + ")"
        if self.kind == "enum":
            return f"enum({self.ref})"
        if self.kind == "model":
            return f"model({model_var}{self.ref})"
        if self.kind == "any":
            return "ANY"
        return f"{self.kind}(" + ", ".join(f"{k}={v}" for k, v in self.facets) + ")"


@dataclass(frozen=True)
class CheckField:
    attr: str  # python attribute
    path: str  # below the parent: "Name", "LineItems/LineItem", "@status"
    value: CheckValue
    required: bool
    is_list: bool
    min_occurs: int
    max_occurs: int | None


@dataclass(frozen=True)
class CheckModel:
    name: str  # python class name
    root: str  # element name of the class as a document root
    fields: tuple[CheckField, ...]
    rule: str | None


@dataclass(frozen=True)
class ChecksIR:
    models: tuple[CheckModel, ...]
    enums: tuple[str, ...]

    def model(self, name: str) -> CheckModel:
        for m in self.models:
            if m.name == name:
                return m
        raise KeyError(name)

    def reachable(self, name: str) -> tuple[CheckModel, ...]:
        """The model called ``name`` and every model nested in it, in a stable order."""
        seen: dict[str, CheckModel] = {}
        todo = [name]
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            found = self.model(current)
            seen[current] = found
            for f in found.fields:
                todo.extend(_model_refs(f.value))
        return tuple(seen.values())

    def refusals(self, name: str) -> tuple[str, ...]:
        """What the checks of a body of class ``name`` refuse, for its methods' docstrings."""
        values: list[CheckValue] = []
        bounded = False
        for m in self.reachable(name):
            for f in m.fields:
                values.extend([f.value, *f.value.members])
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

    def rule_docs(self, name: str) -> tuple[str, ...]:
        """What the rules that apply to a body of class ``name`` refuse, for docstrings."""
        return tuple(RULES[rule] for rule in self.rules_of(name))

    def rules_of(self, name: str) -> tuple[str, ...]:
        """The rules that apply to a body of class ``name`` (its own and its nested models')."""
        found = {m.rule for m in self.reachable(name) if m.rule}
        return tuple(rule for rule in RULES if rule in found)


def _model_refs(value: CheckValue) -> list[str]:
    if value.kind == "model" and value.ref:
        return [value.ref]
    return [r for m in value.members for r in _model_refs(m)]


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


def build_checks_ir(classes: list[Class], rules: dict[str, str] | None = None) -> ChecksIR:
    """The checks of every complex class in ``classes``; ``rules`` maps a class to its rule."""
    filters = XeroFilters(GeneratorConfig.read(CONFIG_PATH))
    by_qname = {obj.qname: obj for obj in classes}
    rules = dict(rules or {})
    problems: list[str] = []

    def value_of(attr: Attr, type_: AttrType) -> CheckValue:
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

    def field_of(obj: Class, attr: Attr) -> CheckField:
        temporal = temporal_kind(attr)
        if temporal is not None:
            # The codec's temporal kinds the runtime has a check of (date, utc_datetime);
            # another kind is only checked for presence.
            kind = TEMPORAL_KINDS.get(temporal[1], "any")
            value = CheckValue(kind if kind in RUNTIME_TEMPORAL else "any")
        elif len(attr.types) == 1:
            value = value_of(attr, attr.types[0])
        else:
            members = tuple(value_of(attr, t) for t in attr.types)
            value = (
                CheckValue("any")
                if any(m.kind == "any" for m in members)
                else (CheckValue("union", members=members))
            )
        # local_name is the XML name (attr.name may have been renamed to avoid a clash)
        if attr.is_attribute:
            path = "@" + attr.local_name
        elif attr.wrapper:
            path = f"{attr.wrapper}/{attr.local_name}"
        else:
            path = attr.local_name
        is_list = attr.is_list
        r = attr.restrictions
        max_occurs = r.max_occurs if r.max_occurs is not None else 1
        return CheckField(
            attr=filters.field_name(attr.name, obj.name),
            path=path,
            value=value,
            required=not is_list
            and not attr.is_optional
            and not attr.is_nillable
            and attr.default is None,
            is_list=is_list,
            min_occurs=int(r.min_occurs or 0) if is_list else 0,
            max_occurs=None if not is_list or max_occurs >= sys.maxsize else int(max_occurs),
        )

    def own_fields(obj: Class) -> list[CheckField]:
        fields: list[CheckField] = []
        for ext in obj.extensions:
            parent = by_qname.get(ext.type.qname)
            if parent is not None and not parent.is_enumeration:
                fields.extend(own_fields(parent))
        fields.extend(field_of(obj, attr) for attr in obj.attrs)
        return fields

    models: list[CheckModel] = []
    enums: set[str] = set()
    names = set()
    for obj in classes:
        name = filters.class_name(obj.name)
        if obj.is_enumeration:
            enums.add(name)
            continue
        names.add(name)
        rule = rules.pop(name, None)
        if rule is not None and rule not in RULES:
            problems.append(
                f"checks.rules.{name}: unknown rule {rule!r} (known: {', '.join(sorted(RULES))})"
            )
        models.append(
            CheckModel(
                name=name,
                root=obj.meta_name or obj.name,
                fields=tuple(own_fields(obj)),
                rule=rule,
            )
        )
    problems.extend(f"checks.rules.{name}: no such model" for name in sorted(rules))
    if problems:
        raise ManifestError(problems)
    return ChecksIR(models=tuple(sorted(models, key=lambda m: m.name)), enums=tuple(sorted(enums)))
