"""The small intermediate model the templates render from.

Built from two sources and nothing else: an API version's ``manifest.toml`` (endpoints, query
parameters, environments) and its XSDs (documentation, via lxml; payload types, via the
classes xsdata analysed). Everything here is plain frozen data, sorted where order is not
given by the manifest, so rendering is a pure function of it.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from xsdata.codegen.models import Class

if TYPE_CHECKING:
    from .checks_ir import ChecksIR

XS = "{http://www.w3.org/2001/XMLSchema}"
QUERY_TYPES = ("guid", "string", "enum", "datetime")
METHODS = ("GET", "PUT", "POST")


class ManifestError(ValueError):
    """The manifest or the schemas it names are inconsistent (every problem listed)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class QueryParam:
    name: str  # python keyword argument
    wire: str  # exact query-string name
    type: str  # one of QUERY_TYPES
    doc: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestBody:
    schema: str
    type: str  # generated class of the root element
    param: str  # python parameter name
    doc: str  # documentation of the root element
    items: str | None = None  # batch: field of the root class holding the list
    item_type: str | None = None  # batch: class of one item
    # What the client-side checks of the body refuse (for docstrings): from its schema, and
    # from the check rules (runtime/_checks.py) that apply to it.
    refusals: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseSpec:
    schema: str
    type: str  # generated response class
    payload: str  # field of the response class
    payload_type: str  # class of the payload (or of one item)
    is_list: bool
    doc: str


@dataclass(frozen=True)
class Endpoint:
    resource: str
    name: str
    method: str
    path: str
    doc: str
    query: tuple[QueryParam, ...]
    one_of: tuple[str, ...]
    request: RequestBody | None
    response: ResponseSpec
    stream: tuple[str, str] | None = None  # (wrapper, item) element names when `stream = true`

    @property
    def id(self) -> str:
        return f"{self.resource}.{self.name}"

    # ------------------------------------------------------------ docstrings
    # What the generated methods really return and raise, computed from the endpoint: one
    # object or a list, a read or a write, its parameters, its body and the checks on it.

    @property
    def returns_doc(self) -> str:
        """The ``Returns:`` text of the method."""
        payload, noun = self.response.payload_type, _noun(self.response.payload_type)
        if self.method == "GET" and self.response.is_list:
            which = "that matches the filters" if self.query else "of the organisation"
            return f"A list of ``{payload}``, one per {noun} {which} (empty when there is none)."
        if self.method == "GET":
            return f"The ``{payload}`` found (never ``None``)."
        if self.response.is_list:
            return f"A list of ``{payload}``: the {_plural(noun)} as Xero saved them."
        return f"The ``{payload}`` as Xero saved it, with the values Xero sets (such as its ID)."

    @property
    def stream_returns_doc(self) -> str:
        """The ``Returns:`` text of the ``iter()`` variant (sync; the async one says so)."""
        noun = _noun(self.response.payload_type)
        which = "that matches the filters" if self.query else "of the organisation"
        return f"one ``{self.response.payload_type}`` per {noun} {which}"

    def _refusals(self) -> list[str]:
        refused: list[str] = []
        if self.one_of:
            given = " and ".join(f"``{n}``" for n in self.one_of)
            refused.append(f"not exactly one of {given} given")
        kinds = {
            "guid": "not a GUID",
            "enum": "not one of its values",
            "datetime": "a naive datetime",
            "string": "empty",
        }
        for kind, problem in kinds.items():
            params = [f"``{q.name}``" for q in self.query if q.type == kind]
            if params:
                refused.append(f"{_join(params)} {problem}")
        return refused

    @property
    def raises(self) -> tuple[tuple[str, str], ...]:
        """The ``Raises:`` entries of the method: (exception class, when)."""
        refused = self._refusals()
        request = self.request
        if request is not None:
            noun = _noun(request.item_type or request.type)
            subject = f"{_a(noun)} in ``{request.param}``" if request.items else f"the {noun}"
            if request.items:
                refused.append(f"``{request.param}`` not a list of {_plural(noun)}")
            details = f" ({'; '.join(request.refusals)})" if request.refusals else ""
            refused.append(f"{subject} does not match its schema{details}")
            refused.extend(request.rules)
        refused.append("``max_retries`` not a whole number >= 0")
        entries = [
            ("RequestValidationError", "Nothing was sent: " + "; ".join(refused) + "."),
        ]
        noun = _noun(self.response.payload_type)
        if self.method == "GET" and not self.response.is_list:
            entries.append(("NotFoundError", f"No such {noun} in this organisation."))
        if request is not None:
            entries.append(
                (
                    "ValidationError",
                    f"Xero refused the {_noun(request.item_type or request.type)} on a check"
                    " only Xero can make (``.errors`` says which).",
                )
            )
        entries.append(
            (
                "XeroAPIError",
                "Xero answered with another error (such as ``RateLimitError`` or ``ServerError``).",
            )
        )
        entries.append(
            (
                "XeroError",
                "The call failed otherwise (network, timeout, refused partner key,"
                " unreadable answer).",
            )
        )
        return tuple(entries)

    @property
    def stream_raises(self) -> tuple[tuple[str, str], ...]:
        """The ``Raises:`` entries of the ``iter()`` variant."""
        refused = self._refusals()
        entries = [
            ("RequestValidationError", "Nothing was sent: " + "; ".join(refused) + "."),
        ]
        return (
            *(entries if refused else []),
            ("XeroAPIError", "Xero answered with an error (before or while streaming)."),
            ("XeroResponseError", "The answer is malformed, truncated or unsafe."),
            ("XeroConnectionError", "The connection failed, dropped or timed out."),
        )


@dataclass(frozen=True)
class Resource:
    name: str
    doc: str
    endpoints: tuple[Endpoint, ...]

    @property
    def class_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_"))


@dataclass(frozen=True)
class ApiVersion:
    version: str
    package: str
    title: str
    auth: str
    errors: str
    environments: tuple[tuple[str, str], ...]
    default_environment: str
    resources: tuple[Resource, ...]
    schema_files: tuple[str, ...] = field(default=())

    @property
    def endpoints(self) -> tuple[Endpoint, ...]:
        return tuple(e for r in self.resources for e in r.endpoints)

    @property
    def model_names(self) -> tuple[str, ...]:
        names = {e.response.type for e in self.endpoints} | {
            e.response.payload_type for e in self.endpoints
        }
        for e in self.endpoints:
            if e.request:
                names.add(e.request.type)
                if e.request.item_type:
                    names.add(e.request.item_type)
        return tuple(sorted(names))


def _noun(class_name: str) -> str:
    """``TrackingCategory`` -> ``tracking category``."""
    return _snake(class_name).replace("_", " ")


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x")) else "s")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _doc_of(element: etree._Element) -> str:
    text = element.findtext(f"{XS}annotation/{XS}documentation") or ""
    return " ".join(text.split())


def _root_element_doc(xsd: Path, name: str) -> str:
    tree = etree.parse(str(xsd), etree.XMLParser(resolve_entities=False, no_network=True))
    for element in tree.getroot().iterfind(f"{XS}element"):
        if element.get("name") == name:
            return _doc_of(element)
    return ""


def _snake(name: str) -> str:
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text)
    return text.lower()


def _local(qname: str) -> str:
    """``Name`` of ``{namespace}Name``."""
    return qname.rsplit("}", 1)[-1]


def _find_class(classes: list[Class], name: str) -> Class | None:
    for obj in classes:
        if obj.name == name:
            return obj
    return None


def _field(obj: Class, python_name: str) -> tuple[str, bool, str] | None:
    """(type local name, is_list, doc) of the attribute of ``obj`` called ``python_name``."""
    for attr in obj.attrs:
        if _snake(attr.name) == python_name:
            type_name = _local(attr.types[0].qname)
            return type_name, attr.is_list, " ".join((attr.help or "").split())
    return None


def _stream_tags(obj: Class, python_name: str) -> tuple[str, str] | None:
    """(wrapper, item) element names of the wrapped list field ``python_name`` of ``obj``."""
    for attr in obj.attrs:
        if _snake(attr.name) == python_name and attr.is_list and attr.wrapper:
            return attr.wrapper, attr.local_name
    return None


def load_api(
    schema_dir: Path,
    classes: list[Class],
    manifest: dict[str, Any] | None = None,
    checks: ChecksIR | None = None,
) -> ApiVersion:
    """Cross-check ``schema_dir/manifest.toml`` (read here unless given) with the classes.

    ``checks`` (the client-side checks of the models) says which check rules apply to each
    request body, for the docstrings.
    """
    if manifest is None:
        manifest = tomllib.loads((schema_dir / "manifest.toml").read_text(encoding="utf-8"))
    problems: list[str] = []
    api = manifest.get("api", {})
    resources_doc: dict[str, dict[str, str]] = manifest.get("resources", {})
    by_resource: dict[str, list[Endpoint]] = {name: [] for name in resources_doc}
    seen: set[str] = set()

    for index, raw in enumerate(manifest.get("endpoints", [])):
        where = f"endpoints[{index}] ({raw.get('resource')}.{raw.get('name')})"
        resource, name, method = raw.get("resource", ""), raw.get("name", ""), raw.get("method", "")
        if resource not in by_resource:
            problems.append(f"{where}: resource {resource!r} is not declared under [resources]")
            continue
        if not name.isidentifier() or keyword.iskeyword(name):
            problems.append(f"{where}: name {name!r} is not a Python identifier")
        if f"{resource}.{name}" in seen:
            problems.append(f"{where}: duplicate endpoint")
        seen.add(f"{resource}.{name}")
        if method not in METHODS:
            problems.append(f"{where}: method {method!r} is not one of {', '.join(METHODS)}")
        path = raw.get("path", "")
        if not path or path != path.lower() or path.startswith("/"):
            problems.append(f"{where}: path {path!r} must be lower case and relative")

        query: list[QueryParam] = []
        for q in raw.get("query", []):
            qtype = q.get("type", "")
            if qtype not in QUERY_TYPES:
                problems.append(f"{where}: query {q.get('name')!r} has unknown type {qtype!r}")
            if qtype == "enum" and not q.get("values"):
                problems.append(f"{where}: enum query {q.get('name')!r} needs values")
            query.append(
                QueryParam(
                    name=q["name"],
                    wire=q["wire"],
                    type=qtype,
                    doc=q.get("doc", ""),
                    values=tuple(q.get("values", ())),
                )
            )
        one_of = tuple(raw.get("one_of", ()))
        for name_ in one_of:
            if name_ not in {q.name for q in query}:
                problems.append(f"{where}: one_of names unknown parameter {name_!r}")

        request: RequestBody | None = None
        if "request" in raw:
            spec = raw["request"]
            xsd = schema_dir / spec["schema"]
            if not xsd.is_file():
                problems.append(f"{where}: request schema {spec['schema']} does not exist")
                continue
            root_cls = _find_class(classes, spec["type"])
            if root_cls is None:
                problems.append(f"{where}: xsdata produced no class {spec['type']!r}")
                continue
            item_type = None
            if spec.get("items"):
                found = _field(root_cls, spec["items"])
                if found is None or not found[1]:
                    problems.append(f"{where}: {spec['type']}.{spec['items']} is not a list field")
                    continue
                item_type = found[0]
            request = RequestBody(
                schema=spec["schema"],
                type=spec["type"],
                param=spec["param"],
                doc=_root_element_doc(xsd, root_cls.meta_name or root_cls.name),
                items=spec.get("items"),
                item_type=item_type,
                refusals=checks.refusals(spec["type"]) if checks is not None else (),
                rules=checks.rule_docs(spec["type"]) if checks is not None else (),
            )

        rspec = raw.get("response", {})
        xsd = schema_dir / rspec.get("schema", "")
        response_cls = _find_class(classes, rspec.get("type", ""))
        if not xsd.is_file() or response_cls is None:
            problems.append(
                f"{where}: response schema/type {rspec.get('schema')}/{rspec.get('type')} not found"
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
        stream: tuple[str, str] | None = None
        if raw.get("stream", False):
            stream = _stream_tags(response_cls, rspec["payload"])
            if method != "GET" or stream is None:
                problems.append(
                    f"{where}: stream = true needs a GET whose payload is a wrapped list"
                )
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
            )
        )

    environments = api.get("environments", {})
    if api.get("default_environment") not in environments:
        problems.append("api.default_environment must name one of api.environments")
    for env_name, url in environments.items():
        if not str(url).startswith("https://") or not str(url).endswith("/"):
            problems.append(f"api.environments.{env_name} must be an https URL ending in /")
    if problems:
        raise ManifestError(problems)

    resources = tuple(
        Resource(
            name=name, doc=resources_doc[name].get("doc", ""), endpoints=tuple(by_resource[name])
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
    )
