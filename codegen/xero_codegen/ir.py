"""The small intermediate model the templates render from.

Built from two sources and nothing else: an API version's ``manifest.toml`` (endpoints, query
parameters, environments) and its XSDs (documentation, via lxml; payload types, via the
classes xsdata analysed). Everything here is plain frozen data, sorted where order is not
given by the manifest, so rendering is a pure function of it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from xsdata.codegen.models import Class

from .manifest import load_manifest

if TYPE_CHECKING:
    from .checks_ir import ChecksIR

XS = "{http://www.w3.org/2001/XMLSchema}"
QUERY_TYPES = (
    "guid",
    "string",
    "enum",
    "datetime",
    "bool",
    "int",
    "guid_list",
    "string_list",
    "enum_list",
)
PATH_TYPES = ("guid", "string")
HEADER_TYPES = ("datetime",)
METHODS = ("GET", "PUT", "POST", "DELETE")
RETURNS = ("list", "one", "batch")
_SLOT = re.compile(r"\{([A-Za-z][A-Za-z0-9]*)\}")


class ManifestError(ValueError):
    """The manifest or the schemas it names are inconsistent (every problem listed)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class QueryParam:
    name: str  # python keyword argument
    wire: str  # exact query-string (or header) name
    type: str  # one of QUERY_TYPES (HEADER_TYPES for headers)
    doc: str
    values: tuple[str | int, ...] = ()
    default: bool | int | None = None  # given: the argument has this default and is always sent


@dataclass(frozen=True)
class PathParam:
    name: str  # python keyword argument
    slot: str  # the {Slot} of the path it fills
    type: str  # one of PATH_TYPES
    doc: str


@dataclass(frozen=True)
class Paging:
    page: str  # python name of the page-number query parameter
    size: str  # python name of the page-size query parameter
    default_size: int  # Xero's page size when none is asked for


@dataclass(frozen=True)
class BodyField:
    """A model field of a body the method builds itself (e.g. Status=DELETED)."""

    name: str  # model field (and, with several values, keyword argument)
    values: tuple[str, ...]  # one: fixed; several: a Literal argument, the first the default
    enum: str | None  # enum class of the field, if any


@dataclass(frozen=True)
class RequestBody:
    schema: str
    type: str  # generated class of the root element (of one item when ``element`` is a batch)
    param: str | None  # python parameter name (None: the body is built from ``fields``)
    doc: str  # documentation of the root element
    items: str | None = None  # batch: field of the root class holding the list
    item_type: str | None = None  # batch: class of one item
    element: str | None = None  # root element in a write schema (encoded by encode_request_*)
    fields: tuple[BodyField, ...] = ()
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
class Refetch:
    """The manifest's ``refetch``: a list leaves out parts of each item (1.0's invoice lines)
    that ``endpoint`` of the same resource returns, asked for by its GUID ``key``; what
    ``xero ... export --with-lines`` reads each item again with."""

    endpoint: str
    key: str


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
    path_params: tuple[PathParam, ...] = ()
    headers: tuple[QueryParam, ...] = ()
    paging: Paging | None = None
    returns: str = "list"  # one of RETURNS; "list" follows the payload's own shape
    tenanted: bool = False  # the API's calls name a tenant (OAuth 2.0 errors, tenant_id=)
    refetch: Refetch | None = None

    @property
    def choice_fields(self) -> tuple[BodyField, ...]:
        """Body fields the caller chooses (a keyword argument each)."""
        fields = self.request.fields if self.request else ()
        return tuple(f for f in fields if len(f.values) > 1)

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
        if self.returns == "batch":
            return (
                f"A ``BatchResult`` of ``{payload}``: ``.items`` in the order sent, each with the"
                " decoded ``.item``, its ``.status`` (OK, WARNING or ERROR; OK when errors were"
                " summarised), ``.validation_errors`` and ``.warnings``; ``.succeeded`` and"
                " ``.failed`` split them. With ``summarize_errors=True`` a failing batch raises"
                " ``ValidationError`` instead."
            )
        if self.returns == "one":
            if self.method == "GET":
                return f"The ``{payload}`` found (never ``None``)."
            if self.method == "DELETE":
                return f"The ``{payload}`` as Xero answers it after the delete."
            return (
                f"The ``{payload}`` as Xero saved it, with the values Xero sets (such as its ID)."
            )
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
        if (self.method == "GET" and not self.response.is_list) or (
            self.tenanted and self.path_params
        ):
            entries.append(("NotFoundError", f"No such {noun} in this organisation."))
        if request is not None and self.tenanted:
            entries.append(
                (
                    "ValidationError",
                    "Xero refused the batch (400 ApiException, ``.elements`` per failing"
                    " element); with ``summarize_errors=False`` failed items are in the result"
                    " instead."
                    if self.returns == "batch"
                    else "Xero refused the document (400 ApiException, ``.elements`` per"
                    " failing element).",
                )
            )
        elif request is not None:
            entries.append(
                (
                    "ValidationError",
                    f"Xero refused the {_noun(request.item_type or request.type)} on a check"
                    " only Xero can make (``.errors`` says which).",
                )
            )
        if self.tenanted:
            entries.extend(
                [
                    (
                        "AuthenticationError",
                        "The access token was refused (expired, revoked, disconnected).",
                    ),
                    (
                        "PermissionDeniedError",
                        "The tenant is not connected to this app, or a scope is missing.",
                    ),
                    (
                        "RateLimitError",
                        "A rate limit was hit and waiting was not possible or allowed.",
                    ),
                    ("XeroAPIError", "Xero answered with another error."),
                    (
                        "XeroError",
                        "The call failed otherwise (network, timeout, token endpoint,"
                        " unreadable answer).",
                    ),
                ]
            )
            return tuple(entries)
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
    write_schemas: str | None = None
    tenant_parameter: bool = False
    idempotency: bool = False
    retries: str = "safe-methods"  # the runtime's retry policy (RETRY_POLICIES key)
    content_type: str = "text/xml; charset=utf-8"  # of request bodies
    base_url_env: str = "XERO_BASE_URL"  # the `xero` CLI's variable for another entry point

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
                names.update(f.enum for f in e.request.fields if f.enum)
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


def _refetch(endpoints: list[Endpoint], name: str, target: str) -> Refetch | str:
    """The ``refetch`` of list ``name``: ``target``, a GET of one item of the same type by a
    GUID query parameter; or what is wrong with it."""
    listed = next(e for e in endpoints if e.name == name)
    whole = next((e for e in endpoints if e.name == target), None)
    if not (listed.method == "GET" and listed.response.is_list):
        return "belongs on a GET of a list"
    if whole is None:
        return "names no endpoint of this resource"
    key = next((q for q in whole.query if q.type == "guid"), None)
    if (
        whole.method != "GET"
        or whole.response.is_list
        or whole.response.payload_type != listed.response.payload_type
        or key is None
    ):
        return f"must be a GET of one {listed.response.payload_type} by a GUID query parameter"
    return Refetch(endpoint=target, key=key.name)


def _stream_tags(obj: Class, python_name: str) -> tuple[str, str] | None:
    """(wrapper, item) element names of the wrapped list field ``python_name`` of ``obj``."""
    for attr in obj.attrs:
        if _snake(attr.name) == python_name and attr.is_list and attr.wrapper:
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
            if _snake(attr.name) == python_name:
                target = _find_class(classes, _local(attr.types[0].qname))
                if target is not None and target.is_enumeration:
                    return True, target.name
                return True, None
        base = obj.extensions[0].type.qname if obj.extensions else ""
        obj = _find_class(classes, _local(base)) if base else None
    return False, None


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
            )
        )
    return params


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
        manifest = load_manifest(schema_dir)
    problems: list[str] = []
    api = manifest.get("api", {})
    resources_doc: dict[str, dict[str, str]] = manifest.get("resources", {})
    by_resource: dict[str, list[Endpoint]] = {name: [] for name in resources_doc}
    refetches: list[tuple[str, str, str, str]] = []  # (resource, endpoint, target, where)
    seen: set[str] = set()
    lower_paths = api.get("path_case") == "lower"

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
        if not path or path.startswith("/") or (lower_paths and path != path.lower()):
            problems.append(
                f"{where}: path {path!r} must be relative"
                + (" and lower case" if lower_paths else "")
            )

        query = _params(raw.get("query", []), QUERY_TYPES, where, problems)
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
        for name_ in one_of:
            if name_ not in names:
                problems.append(f"{where}: one_of names unknown parameter {name_!r}")
        for slot in slots:
            fillers = [pp.name for pp in path_params if pp.slot == slot]
            if len(fillers) > 1 and set(fillers) != set(one_of):
                problems.append(f"{where}: path slot {slot} has alternatives but no one_of of them")

        request: RequestBody | None = None
        if "request" in raw:
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
                for field_name, values in spec.get("fields", {}).items():
                    known, enum = _enum_of(classes, item_type, field_name)
                    if not known or not values:
                        problems.append(f"{where}: {item_type} has no field {field_name!r}")
                    body_fields.append(BodyField(name=field_name, values=tuple(values), enum=enum))
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
                    refusals=checks.refusals(item_type) if checks is not None else (),
                    rules=checks.rule_docs(item_type) if checks is not None else (),
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
        returns = raw.get("returns", "list")
        if returns not in RETURNS or (returns != "list" and not response.is_list):
            problems.append(
                f"{where}: returns {returns!r} needs a list payload and one of {RETURNS}"
            )
        stream: tuple[str, str] | None = None
        if raw.get("stream", False):
            stream = _stream_tags(response_cls, rspec["payload"])
            if method != "GET" or stream is None:
                problems.append(
                    f"{where}: stream = true needs a GET whose payload is a wrapped list"
                )
        paging: Paging | None = None
        if "paging" in raw:
            pg = raw["paging"]
            paging = Paging(
                page=pg.get("page", ""),
                size=pg.get("size", ""),
                default_size=int(pg.get("default_size", 0)),
            )
            by_name = {q.name: q for q in query}
            if (
                stream is None
                or by_name.get(paging.page, QueryParam("", "", "", "")).type != "int"
                or by_name.get(paging.size, QueryParam("", "", "", "")).type != "int"
                or paging.default_size < 1
            ):
                problems.append(
                    f"{where}: paging needs stream = true, int query parameters page and size"
                    " and a positive default_size"
                )
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
            )
        )

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
        write_schemas=api.get("write_schemas"),
        tenant_parameter=bool(api.get("tenant_parameter", False)),
        idempotency=bool(api.get("idempotency", False)),
        retries=str(api.get("retries", "safe-methods")),
        content_type=str(api.get("content_type", "text/xml; charset=utf-8")),
        base_url_env=str(api.get("base_url_env", "XERO_BASE_URL")),
    )
