"""Drive xsdata programmatically: XSDs in, model sources (path, text) out.

xsdata does the heavy lifting (schema parsing, class analysis, dataclass rendering). Three
project policies are applied on top, all here and nowhere else:

1. Wrapper elements become plain lists. ``<LineItems><LineItem/>...</LineItems>`` is
   ``invoice.line_items: list[LineItem]``. xsdata only does this for *required* wrappers;
   Xero omits or empties them freely, so the check is relaxed for the run.
2. Xero's temporal simple types keep their meaning. The XSD types ``date`` (a calendar date
   Xero writes as ``YYYY-MM-DDT00:00:00``) and ``utcDateTime`` become ``datetime.date`` and
   a timezone-aware ``datetime.datetime``, with a ``format`` marker that the runtime's
   converters understand (see ``runtime/_converters.py``).
3. Every response class is bound to the XML root element ``Response``.
4. Field names are the natural snake_case of the XML name (``type``, ``date``, ``id``): a
   Python keyword gets a trailing underscore (``class_``), nothing else is suffixed. XML
   attributes may be renamed by the manifest (``api.attribute_names``), e.g. 2.0's ``status``
   attribute, which would otherwise clash with the ``Status`` element.

Nothing is written to disk here; ``render_models`` returns (relative path, source) pairs.
"""

from __future__ import annotations

import contextlib
import keyword
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xsdata.codegen.handlers.create_wrapper_fields import CreateWrapperFields
from xsdata.codegen.models import Attr, Class
from xsdata.codegen.transformer import ResourceTransformer
from xsdata.formats.dataclass.filters import Filters
from xsdata.formats.dataclass.generator import DataclassGenerator
from xsdata.models.config import GeneratorConfig, ObjectType
from xsdata.utils import package as xsdata_package

from .ir import _snake

# The simple types of schemas/*/types.xsd that carry a temporal meaning, recognised by the
# pattern facet xsdata keeps on the attribute. Keys are the XSD patterns, values the Python
# type and the runtime converter's format marker.
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}T00:00:00"
UTC_PATTERN = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+\-]00:00)?"
TEMPORAL_TYPES: dict[str, tuple[str, str]] = {
    DATE_PATTERN: ("datetime.date", "xero:date"),
    UTC_PATTERN: ("datetime.datetime", "xero:utc-datetime"),
}

CONFIG_PATH = Path(__file__).with_name("xsdata.xml")

# Names a generated model module binds at class level or uses in its class bodies: a field
# with one of these names would shadow it for the fields after it.
_MODULE_NAMES = frozenset({"field", "dataclass", "datetime", "decimal", "Decimal", "Enum"})


def temporal_kind(attr: Attr) -> tuple[str, str] | None:
    """The (python type, format marker) of an attribute typed by a temporal simple type."""
    pattern = attr.restrictions.pattern
    return TEMPORAL_TYPES.get(pattern) if pattern else None


class XeroFilters(Filters):
    """xsdata's dataclass filters with the temporal-type policy."""

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__(config)
        # Module-qualified (datetime.date) so that a field called `date` cannot shadow it.
        self.import_patterns["datetime"] = {
            "__module__": {
                *self.build_type_patterns("datetime.date"),
                *self.build_type_patterns("datetime.datetime"),
            }
        }

    def field_name(self, name: str, class_name: str) -> str:
        """The natural snake_case name; only a keyword (or a module-level name) is suffixed.

        The snake_case is the generator's own (``ir._snake``: ``CISSettings`` ->
        ``cis_settings``, ``APIKey`` -> ``api_key``), the one function every part of the
        generator names fields with, so that the models, the codec and the manifest's field
        names (``payload = "cis_settings"``) cannot disagree.
        """
        natural = self.apply_substitutions(name, ObjectType.FIELD)
        natural = self.apply_substitutions(_snake(natural), ObjectType.FIELD)
        if natural.isidentifier() and not natural[:1].isdigit():
            if keyword.iskeyword(natural) or natural in _MODULE_NAMES:
                return natural + "_"
            return natural
        return super().field_name(name, class_name)

    def field_type(self, obj: Class, attr: Attr) -> str:
        kind = temporal_kind(attr)
        if kind is None:
            return super().field_type(obj, attr)
        name = kind[0]
        if attr.is_list:
            return f"list[{name}]"
        if attr.is_nillable or (attr.default is None and attr.is_optional):
            return f"None | {name}"
        return name

    def field_metadata(
        self, obj: Class, attr: Attr, parent_namespace: str | None
    ) -> dict[str, Any]:
        metadata: dict[str, Any] = super().field_metadata(obj, attr, parent_namespace)
        kind = temporal_kind(attr)
        if kind is not None:
            metadata.pop("pattern", None)
            metadata["format"] = kind[1]
        return metadata


class XeroGenerator(DataclassGenerator):
    """Renders sources only: formatting and import checks are the pipeline's job."""

    @classmethod
    def init_filters(cls, config: GeneratorConfig) -> Filters:
        return XeroFilters(config)

    def ruff_code(self, file_paths: list[str]) -> None:  # formatting happens in memory later
        return None

    def validate_imports(self) -> None:  # the pipeline imports the written package instead
        return None


def _optional_wrappers_allowed() -> contextlib.AbstractContextManager[None]:
    """Let optional wrapper elements and optional repeated children become list fields."""

    @contextlib.contextmanager
    def patched() -> Iterator[None]:
        original_attr = CreateWrapperFields.validate_attr
        original_source = CreateWrapperFields.validate_source
        original_wrap = CreateWrapperFields.wrap_field

        def wrap_field(source: Attr, attr: Attr, inner: bool) -> None:
            # Name the list after the wrapper (line_items, not line_item) and keep the
            # wrapper's documentation, which is what the user reads.
            name, help_text = attr.name, attr.help
            original_wrap(source, attr, inner)
            attr.name, attr.help = name, help_text

        def validate_attr(attr: Attr) -> bool:
            return (
                attr.is_element
                and len(attr.types) == 1
                and not attr.types[0].native
                and not attr.is_list
            )

        def validate_source(source: Class, namespace: str | None) -> bool:
            return (
                not source.extensions
                and len(source.attrs) == 1
                and source.attrs[0].is_element
                and source.attrs[0].is_list
                # a circular reference is fine (a report row's rows are report rows)
                and not any(t.forward for t in source.attrs[0].types)
                and (source.attrs[0].namespace or "") == (namespace or "")
            )

        CreateWrapperFields.validate_attr = staticmethod(validate_attr)  # type: ignore[method-assign]
        CreateWrapperFields.validate_source = staticmethod(validate_source)  # type: ignore[method-assign]
        CreateWrapperFields.wrap_field = staticmethod(wrap_field)  # type: ignore[method-assign]
        try:
            yield
        finally:
            CreateWrapperFields.validate_attr = original_attr  # type: ignore[method-assign]
            CreateWrapperFields.validate_source = original_source  # type: ignore[method-assign]
            CreateWrapperFields.wrap_field = original_wrap  # type: ignore[method-assign]

    return patched()


@dataclass(frozen=True)
class ModelsResult:
    """What xsdata produced: analysed classes and unformatted module sources."""

    classes: list[Class]
    sources: dict[str, str]  # path relative to the package root of the models -> source
    exports: list[tuple[str, str]]  # (module relative to the models package, class name)


class _Transformer(ResourceTransformer):
    response_files: frozenset[str] = frozenset()
    attribute_names: dict[str, str] = {}
    result: list[Class]

    def analyze_classes(self, classes: list[Class]) -> list[Class]:
        # xsdata drops an element's own nillable="true" when it flattens the element's simple
        # type into it: remember the flags and put them back afterwards.
        nillable = {
            (obj.qname, attr.name) for obj in classes for attr in obj.attrs if attr.is_nillable
        }
        with _optional_wrappers_allowed():
            analysed = super().analyze_classes(classes)
        kept: list[Class] = []
        for obj in analysed:
            for attr in obj.attrs:
                if (obj.qname, attr.name) in nillable:
                    attr.restrictions.nillable = True
            location = obj.location or ""
            if obj.name == "Response":
                # xsdata keeps the last of the duplicate <Response> elements as a class of its
                # own; the typed response classes already carry that root name.
                continue
            in_response_file = location.rsplit("/", 1)[-1] in self.response_files
            if in_response_file and not obj.is_enumeration and obj.name.endswith("Response"):
                obj.meta_name = "Response"
            for attr in obj.attrs:
                if attr.is_attribute and attr.local_name in self.attribute_names:
                    attr.name = self.attribute_names[attr.local_name]
            kept.append(obj)
        self.result = kept
        return analysed

    def process_classes(self) -> None:
        # Like xsdata's, minus the writing: keep the classes for the caller.
        self.result = self.analyze_classes(self.classes)


def model_schemas(schema_dir: Path, write_schemas: str | None = None) -> list[Path]:
    """The XSDs below ``schema_dir`` that describe models (all but the write-shape folder)."""
    excluded = (schema_dir / write_schemas).resolve() if write_schemas else None
    return sorted(
        p
        for p in schema_dir.rglob("*.xsd")
        if excluded is None or excluded not in p.resolve().parents
    )


def _split_types(classes: list[Class], shared: str, filters: Filters) -> None:
    """Give each complex type of the module ``shared`` a module of its own below it
    (``<shared>.<type>``), keeping types that refer to each other in a cycle together (in the
    module of the first of them by name): the modules then import each other without a cycle.
    """
    own = {obj.qname: obj for obj in classes if obj.target_module == shared}
    own = {q: obj for q, obj in own.items() if not obj.is_enumeration}

    def refs(obj: Class) -> set[str]:
        found = {ext.type.qname for ext in obj.extensions}
        found |= {t.qname for attr in obj.attrs for t in attr.types}
        for inner in obj.inner:
            found |= refs(inner)
        return found & own.keys()

    graph = {q: sorted(refs(obj)) for q, obj in own.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    for group in groups:
        names = sorted(filters.class_name(own[q].name) for q in group)
        for q in group:
            own[q].package, own[q].module = shared, _snake(names[0])


def render_models(
    schema_dir: Path,
    package: str,
    response_files: set[str],
    *,
    write_schemas: str | None = None,
    attribute_names: dict[str, str] | None = None,
    per_type: bool = False,
) -> ModelsResult:
    """Run xsdata over every model XSD below ``schema_dir`` into ``package`` (dotted).

    ``per_type`` (the manifest's ``api.model_modules = "per-type"``): each complex type of
    ``types.xsd`` gets a module of its own, ``models/types/<type>.py``, so that using one
    resource loads only the types it reaches (types that refer to each other in a cycle share
    a module, so the modules import each other without a cycle).
    """
    config = GeneratorConfig.read(CONFIG_PATH)
    config.output.package = package
    xsd_files = [p.resolve().as_uri() for p in model_schemas(schema_dir, write_schemas)]

    transformer = _Transformer(config=config)
    transformer.response_files = frozenset(response_files)
    transformer.attribute_names = dict(attribute_names or {})
    xsdata_log = logging.getLogger("xsdata")
    level = xsdata_log.level
    xsdata_log.setLevel(logging.ERROR)  # its duplicate-<Response> warning is expected
    try:
        transformer.process_sources(xsd_files)
        transformer.process_classes()
    finally:
        xsdata_log.setLevel(level)
    classes = transformer.result

    generator = XeroGenerator(config)
    sources: dict[str, str] = {}
    # xsdata derives module paths from the working directory; render inside a scratch one so
    # that no absolute path can leak into the output.
    with tempfile.TemporaryDirectory() as scratch, _chdir(Path(scratch)):
        _clear_path_caches()  # xsdata memoises cwd-relative paths
        root = Path.cwd()
        generator.normalize_packages(classes)
        if per_type:
            _split_types(classes, f"{package}.types", generator.filters)
        for result in generator.render(classes):
            relative = result.path.relative_to(root).as_posix()
            if relative in sources and not result.source.strip().startswith(
                ("from", "import", "@", "class")
            ):
                continue  # xsdata's placeholder for a parent package must not replace a real one
            sources[relative] = result.source
    exports = sorted(
        (obj.target_module[len(package) + 1 :], generator.filters.class_name(obj.name))
        for obj in classes
        if obj.target_module
    )
    return ModelsResult(classes=classes, sources=sources, exports=exports)


def _clear_path_caches() -> None:
    for name in dir(xsdata_package):
        function = getattr(xsdata_package, name)
        if callable(getattr(function, "cache_clear", None)):
            function.cache_clear()


@contextlib.contextmanager
def _chdir(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)
