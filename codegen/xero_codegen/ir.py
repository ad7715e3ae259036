"""The one intermediate model of an API version: what every renderer reads.

Plain frozen data and nothing else (no I/O, no xsdata): the endpoints of each resource (from
the manifest), the models with their fields as the codec and the client-side checks see them
(element or attribute, wrapper, value kind, facets, occurrence bounds), the enumerations, the
write shapes and the request documents (from the XSDs). ``frontend.load_api`` builds it once,
in one walk over the manifest and xsdata's analysed classes; ``render`` turns it into sources.
Order is the manifest's for endpoints and sorted elsewhere, so rendering is a pure function of
it. The properties below only derive text (docstrings) from the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUERY_TYPES = (
    "guid",
    "string",
    "enum",
    "datetime",
    "date",
    "bool",
    "int",
    "guid_list",
    "string_list",
    "enum_list",
)
PATH_TYPES = ("guid", "string", "int")
HEADER_TYPES = ("datetime",)
METHODS = ("GET", "PUT", "POST", "DELETE")
RETURNS = ("list", "one", "batch", "none")
BINARY_RETURNS = "bytes"  # the `returns` of an endpoint whose answer is a file (response.binary)
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
    cli_alias: str | None = None  # a shorter extra option name on the command line (--from)
    required: bool = False  # a keyword argument without default (Xero refuses the call without)
    minimum: int | None = None  # int: the smallest value accepted (1 when not given)


@dataclass(frozen=True)
class PathParam:
    name: str  # python keyword argument
    slot: str  # the {Slot} of the path it fills
    type: str  # one of PATH_TYPES
    doc: str


@dataclass(frozen=True)
class Paging:
    """How ``iter()`` walks a list: by page number (``page``, with or without a ``size``
    parameter) or by offset (``offset``: the next call's offset is the ``next`` field of the
    last item received). A page shorter than the size asked for (or ``default_size``) ends
    the walk."""

    page: str = ""  # python name of the page-number query parameter
    size: str = ""  # python name of the page-size query parameter ("": the size is fixed)
    default_size: int = 0  # Xero's page size when none is asked for
    offset: str = ""  # python name of the offset query parameter (offset paging)
    next: str = ""  # offset paging: field of an item whose value is the next offset


@dataclass(frozen=True)
class BodyField:
    """A model field of a body the method builds itself (e.g. Status=DELETED)."""

    name: str  # model field (and, with several values or an argument, keyword argument)
    values: tuple[str, ...]  # one: fixed; several: a Literal argument, the first the default
    enum: str | None  # enum class of the field, if any
    argument: str | None = None  # "str": the caller gives the (text) value; no ``values``


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
    # Child elements of the item this endpoint requires although its (shared) write type does
    # not: the manifest's request.required (what Xero needs to create a record).
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseSpec:
    schema: str
    type: str  # generated response class
    payload: str  # field of the response class
    payload_type: str  # class of the payload (or of one item)
    is_list: bool
    doc: str
    # the manifest's response.field: the method returns this text field of
    # the one payload item (``online_invoice_url`` of the OnlineInvoice), not the item.
    field: str | None = None
    field_tag: str = ""  # its XML element, named when Xero's answer lacks it


@dataclass(frozen=True)
class Refetch:
    """The manifest's ``refetch``: a list leaves out parts of each item (1.0's invoice lines)
    that ``endpoint`` of the same resource returns, asked for by its GUID ``key``; what
    ``xero ... export --with-lines`` reads each item again with."""

    endpoint: str
    key: str


# ------------------------------------------------------------------------------ binary
# Endpoints whose answer is a file (PDFs, attachments) or whose body is one (uploads); the
# runtime's _binary module does the work, the generated methods only name the call.


@dataclass(frozen=True)
class BinaryResponse:
    """The manifest's ``response = { binary = "<media type>" }``: the answer is a file, returned
    as ``bytes`` by the method and streamed to a destination by its ``<name>_to`` twin."""

    accept: str  # the Accept header sent ("application/pdf"; "*/*" for any file)
    # the request header naming the file's media type that Xero's description asks for on
    # attachment downloads ("contentType"), from `content_type=` or the file name; None: none
    content_type_header: str | None = None
    file_name: str | None = None  # the path parameter holding the file name (to guess the type)

    @property
    def is_pdf(self) -> bool:
        return self.accept == "application/pdf"


@dataclass(frozen=True)
class BinaryRequest:
    """The manifest's ``request = { binary = true, param = "content" }``: the body is a file
    (bytes, a binary file object or a path), streamed with its Content-Length."""

    param: str  # the keyword argument of the content ("content")
    file_name: str  # the path parameter holding the file name (its last segment)
    max_files: int | None = None  # files a document may hold (checked by listing first)
    folder: str = ""  # the path without its last segment (the file name): lists the files


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
    response: ResponseSpec | None  # None: the endpoint answers nothing (returns = "none")
    stream: tuple[str, str] | None = None  # (wrapper, item) element names when `stream = true`
    path_params: tuple[PathParam, ...] = ()
    headers: tuple[QueryParam, ...] = ()
    paging: Paging | None = None
    returns: str = "list"  # one of RETURNS; "list" follows the payload's own shape
    tenanted: bool = False  # the API's calls name a tenant (OAuth 2.0 errors, tenant_id=)
    refetch: Refetch | None = None
    sub_resource: str | None = None  # the nested resource it belongs to (client.<r>.<sub>)
    # The `xero` command line: parameters given by position rather than as options (in this
    # order: path parameters and body arguments), and, for an endpoint of a sub-resource, the
    # name of a command of the parent's group that runs it (``xero invoices history ID``).
    cli_arguments: tuple[str, ...] = ()
    cli_command: str | None = None
    binary: BinaryResponse | None = None  # the answer is a file (returns = "bytes")
    upload: BinaryRequest | None = None  # the body is a file

    @property
    def plain(self) -> bool:
        """An endpoint of XML documents both ways (no file in or out)."""
        return self.binary is None and self.upload is None

    @property
    def binary_returns_doc(self) -> str:
        """The ``Returns:`` text of a binary endpoint's method (``bytes``)."""
        assert self.binary is not None
        what = "the PDF" if self.binary.is_pdf else "the file"
        return (
            f"The bytes of {what}, read whole (at most the client's ``max_response_bytes``;"
            f" ``{self.name}_to()`` streams it to a path or file instead)."
        )

    @property
    def binary_raises(self) -> tuple[tuple[str, str], ...]:
        """The ``Raises:`` entries of a binary endpoint's methods (download or upload)."""
        refused = self._refusals()
        if self.upload is not None:
            refused += [
                f"``{self.upload.param}`` not bytes, a binary file object or a path",
                "the file larger than the client's ``max_attachment_bytes`` (10 MiB by default)",
                "a file name that is empty, over 255 characters, or holds a slash, a backslash"
                " or a control character (inferred)",
                "``content_type`` not a media type",
            ]
            if self.upload.max_files is not None:
                refused.append(
                    f"the document already holding {self.upload.max_files} files and"
                    " ``file_name`` not one of them (Xero's limit; listed first, one GET)"
                )
        refused.append("``max_retries`` not a whole number >= 0")
        parent = _noun(_singular(self.resource))
        entries = [
            ("RequestValidationError", "Nothing was sent: " + "; ".join(refused) + "."),
            ("NotFoundError", f"No such {parent} (or file) in this organisation."),
        ]
        if self.upload is not None:
            entries.append(
                (
                    "ValidationError",
                    "Xero refused the file (400 ApiException); a file over Xero's size limit is"
                    " a ``XeroAPIError`` with status 413 (RequestEntityTooLarge).",
                )
            )
        else:
            pdf = self.binary is not None and self.binary.is_pdf
            entries.append(
                (
                    "XeroResponseError",
                    "The answer is not a PDF (an HTML or XML page, or a body that does not start"
                    " with %PDF-), or larger than ``max_response_bytes``."
                    if pdf
                    else "The answer is an HTML or XML page where the file was expected (unless"
                    " that is the type asked for), or larger than ``max_response_bytes``.",
                )
            )
        entries += [
            (
                "AuthenticationError",
                "The access token was refused (expired, revoked, disconnected).",
            ),
            (
                "PermissionDeniedError",
                "The tenant is not connected to this app, or a scope is missing.",
            ),
            ("RateLimitError", "A rate limit was hit and waiting was not possible or allowed."),
            ("XeroAPIError", "Xero answered with another error."),
            (
                "XeroError",
                "The call failed otherwise (network, timeout, token endpoint, unreadable answer"
                + (", the destination could not be written" if self.binary is not None else "")
                + ").",
            ),
        ]
        return tuple(entries)

    @property
    def result(self) -> ResponseSpec:
        """The response of an endpoint that answers a document (not ``returns = "none"``)."""
        assert self.response is not None, f"{self.id} answers nothing"
        return self.response

    @property
    def call_path(self) -> str:
        """The attribute path of its resource on a client: ``contact_groups.contacts``."""
        return f"{self.resource}.{self.sub_resource}" if self.sub_resource else self.resource

    @property
    def parent_noun(self) -> str:
        """The record of the resource in words (``bank transaction``), e.g. a file's owner."""
        return _noun(_singular(self.resource))

    @property
    def noun(self) -> str:
        """What the endpoint is about, in words (``tax rate``)."""
        if self.response is not None:
            return _noun(self.response.payload_type)
        if self.sub_resource:
            return _noun(_singular(self.sub_resource.title().replace("_", "")))
        slots = [p.slot for p in self.path_params]
        return _noun(slots[-1].removesuffix("ID")) if slots else _noun(_singular(self.resource))

    @property
    def choice_fields(self) -> tuple[BodyField, ...]:
        """Body fields the caller chooses (a keyword argument each)."""
        fields = self.request.fields if self.request else ()
        return tuple(f for f in fields if len(f.values) > 1 and f.argument is None)

    @property
    def argument_fields(self) -> tuple[BodyField, ...]:
        """Body fields whose value is an argument (``tax_rates.delete(name=...)``)."""
        fields = self.request.fields if self.request else ()
        return tuple(f for f in fields if f.argument is not None)

    @property
    def id(self) -> str:
        return f"{self.call_path}.{self.name}"

    # ------------------------------------------------------------ docstrings
    # What the generated methods really return and raise, computed from the endpoint: one
    # object or a list, a read or a write, its parameters, its body and the checks on it.

    @property
    def returns_doc(self) -> str:
        """The ``Returns:`` text of the method."""
        if self.response is None:
            if self.request is None and self.method == "POST":
                # an action with an empty body (POST Invoices/{id}/Email)
                return f"None: Xero answers 204 No Content once it has accepted the request for the {self.noun}."
            return (
                f"None: Xero answers 204 No Content once the {self.noun} is {_past(self.method)}."
            )
        payload, noun = self.response.payload_type, _noun(self.response.payload_type)
        if self.response.field:  # one text field of the one item
            return (
                f"The ``{self.response.field}`` of the ``{payload}`` Xero answers, as text"
                f" (never ``None``: an answer without <{self.response.field_tag}> raises)."
            )
        if self.returns == "batch":
            return (
                f"A ``BatchResult`` of ``{payload}``: ``.items`` in the order sent, each with the"
                " decoded ``.item``, its ``.status`` (OK, WARNING or ERROR; OK when errors were"
                " summarised), ``.validation_errors`` and ``.warnings``; ``.succeeded`` and"
                " ``.failed`` split them. With ``summarize_errors=True`` a failing batch raises"
                " ``ValidationError`` instead."
            )
        if self.returns == "one":
            if self.sub_resource and self.method in ("PUT", "POST"):  # issue 18: a note added
                return f"The ``{payload}`` as Xero recorded it, with the values Xero sets."
            if self.method == "GET":
                return f"The ``{payload}`` found (never ``None``)."
            if self.method == "DELETE":
                return f"The ``{payload}`` as Xero answers it after the delete."
            return (
                f"The ``{payload}`` as Xero saved it, with the values Xero sets (such as its ID)."
            )
        if self.method == "GET" and self.response.is_list:
            which = "that matches the filters" if self.query else "of the organisation"
            if self.sub_resource and not self.query:  # history.list
                which = f"of the {_noun(_singular(self.resource))}"
            return f"A list of ``{payload}``, one per {noun} {which} (empty when there is none)."
        if self.method == "GET":
            return f"The ``{payload}`` found (never ``None``)."
        if self.response.is_list:
            return f"A list of ``{payload}``: the {_plural(noun)} as Xero saved them."
        return f"The ``{payload}`` as Xero saved it, with the values Xero sets (such as its ID)."

    @property
    def stream_returns_doc(self) -> str:
        """The ``Returns:`` text of the ``iter()`` variant (sync; the async one says so)."""
        noun = _noun(self.result.payload_type)
        which = "that matches the filters" if self.query else "of the organisation"
        return f"one ``{self.result.payload_type}`` per {noun} {which}"

    def _refusals(self) -> list[str]:
        refused: list[str] = []
        if self.one_of:
            given = " and ".join(f"``{n}``" for n in self.one_of)
            refused.append(f"not exactly one of {given} given")
        kinds = {
            "guid": "not a GUID",
            "enum": "not one of its values",
            "datetime": "a naive datetime",
            "date": "not a ``datetime.date`` (a ``datetime`` is refused)",
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
            if request.items and request.param:
                refused.append(f"``{request.param}`` not a list of {_plural(noun)}")
            details = f" ({'; '.join(request.refusals)})" if request.refusals else ""
            arguments = [f"``{f.name}``" for f in request.fields if f.argument is not None]
            if request.param is None and arguments and not self.choice_fields:
                # a body made of text arguments only (a note's details)
                refused.append(f"{_join(arguments)} empty or not text")
                refused.append(f"{_join(arguments)} longer than its schema allows")
            else:
                refused.append(f"{subject} does not match its schema{details}")
            if request.required and request.param is not None:
                needed = _join([f"``{name}``" for name in request.required])
                refused.append(f"{subject} without {needed} (required to create one)")
            refused.extend(request.rules)
        refused.append("``max_retries`` not a whole number >= 0")
        entries = [
            ("RequestValidationError", "Nothing was sent: " + "; ".join(refused) + "."),
        ]
        noun = self.noun
        if self.response is not None and self.response.field and self.path_params:
            # online_invoice_url() is about the invoice of its path
            noun = _noun(self.path_params[-1].slot.removesuffix("ID"))
        if (self.method == "GET" and self.response is not None and not self.response.is_list) or (
            self.tenanted and self.path_params
        ):
            if self.sub_resource:
                parent = _noun(_singular(self.resource))
                entries.append(
                    ("NotFoundError", f"No such {parent} (or {noun}) in this organisation.")
                )
            else:
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
        elif self.tenanted and (
            self.method != "GET" or (self.response is not None and self.response.field)
        ):
            # a write without a body (email, a DELETE of an allocation)
            entries.append(
                (
                    "ValidationError",
                    "Xero refused the call (400 ApiException; ``.elements`` or the message says"
                    " why).",
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
    source: str = ""  # the manifest file that declares it (for messages and docs)
    sub_docs: tuple[tuple[str, str], ...] = ()  # (sub-resource, doc) of its nested resources
    cli_columns: tuple[str, ...] = ()  # the `xero` table's default columns (manifest cli_columns)

    @property
    def class_name(self) -> str:
        return _pascal(self.name)

    @property
    def own_endpoints(self) -> tuple[Endpoint, ...]:
        """The endpoints of the resource itself (not of a nested resource)."""
        return tuple(e for e in self.endpoints if e.sub_resource is None)

    @property
    def sub_resources(self) -> tuple[SubResource, ...]:
        """Its nested resources (``client.contact_groups.contacts``), in the manifest's order."""
        docs = dict(self.sub_docs)
        names = list(dict.fromkeys(e.sub_resource for e in self.endpoints if e.sub_resource))
        return tuple(
            SubResource(
                name=name,
                parent=self.name,
                doc=docs.get(name, ""),
                endpoints=tuple(e for e in self.endpoints if e.sub_resource == name),
            )
            for name in names
        )

    @property
    def model_names(self) -> tuple[str, ...]:
        """Every model and enum the resource's methods name (arguments, results, bodies)."""
        names: set[str] = set()
        for e in self.endpoints:
            if e.response is not None:
                names.update((e.response.type, e.response.payload_type))
            if e.request:
                names.add(e.request.type)
                if e.request.item_type:
                    names.add(e.request.item_type)
                names.update(f.enum for f in e.request.fields if f.enum)
        return tuple(sorted(names))


@dataclass(frozen=True)
class SubResource:
    """A resource nested in another (``client.contact_groups.contacts``): its endpoints are
    the parent's with ``sub_resource = "<name>"``; its class lives in the parent's module."""

    name: str
    parent: str
    doc: str
    endpoints: tuple[Endpoint, ...]

    @property
    def class_name(self) -> str:
        """``ContactGroupsContacts``."""
        return _pascal(self.parent) + _pascal(self.name)

    @property
    def call_path(self) -> str:
        return f"{self.parent}.{self.name}"


# ------------------------------------------------------------------------------ models
# The payload types, from xsdata's analysis of the XSDs: what the codec reads and writes and
# what the client-side checks walk. One walk builds both views of a field.


@dataclass(frozen=True)
class CheckValue:
    """What the client-side checks accept for a value (``runtime/_checks.py`` has the checks)."""

    kind: (
        str  # text | decimal | integer | boolean | date | utc_datetime | enum | model | union | any
    )
    ref: str | None = None  # class name of an enum or model
    facets: tuple[tuple[str, str], ...] = ()  # (keyword, Python literal), in a fixed order
    members: tuple[CheckValue, ...] = ()  # of a union

    @property
    def model_refs(self) -> tuple[str, ...]:
        if self.kind == "model" and self.ref:
            return (self.ref,)
        return tuple(r for m in self.members for r in m.model_refs)

    @property
    def enum_refs(self) -> tuple[str, ...]:
        if self.kind == "enum" and self.ref:
            return (self.ref,)
        return tuple(r for m in self.members for r in m.enum_refs)


PY_TYPES = {
    "str": "str",
    "decimal": "Decimal",
    "bool": "bool",
    "int": "int",
    "date": "datetime.date",
    "utc_datetime": "datetime.datetime",
}


@dataclass(frozen=True)
class Field:
    """One element (or attribute) of a model."""

    attr: str  # python field name
    tag: str  # element (or attribute) name; of one item, for lists
    wrapper: str | None  # wrapper element of a list, if any
    path: str  # below the parent, as problems name it: "Name", "LineItems/LineItem", "@status"
    kind: str  # codec kind: str | decimal | bool | int | date | utc_datetime | enum | model
    ref: str | None  # class name for kind enum/model
    is_list: bool
    required: bool
    check: CheckValue
    is_attribute: bool = False  # an XML attribute of the element (``tag`` is its name)
    nillable: bool = False  # ``xsi:nil="true"`` reads as None
    min_occurs: int = 0  # of a list
    max_occurs: int | None = None  # of a list (None: unbounded)

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
class Model:
    name: str  # python class name
    module: str  # its module below ``models`` (the XSD it comes from): "types", "responses.x"
    root: str  # element name of the class as a document root
    fields: tuple[Field, ...]
    # Models derived from this one, as (xsi:type name, function stem): an element of this type
    # carrying ``xsi:type`` is decoded as the derived model.
    subtypes: tuple[tuple[str, str], ...] = ()
    # The fields a request writes, in the write schema's order (None: no write shape, requests
    # write ``fields``). See ``write_schemas`` in the manifest.
    write_fields: tuple[Field, ...] | None = None
    rule: str | None = None  # the check rule of the manifest's [checks.rules]

    @property
    def function(self) -> str:
        """snake_case stem of its decode_/encode_/write_ functions."""
        return _snake(self.name)

    @property
    def request_writer(self) -> str:
        """The writer requests use for this model."""
        return f"write_{self.function}" + ("_request" if self.write_fields is not None else "")


@dataclass(frozen=True)
class RequestDocument:
    """A root element of a write schema: one model, or a batch of one repeated element."""

    element: str
    module: str  # the write schema's module path ("requests.invoices_request")
    model: str  # the model written (of one item, for a batch)
    item: str | None  # the repeated element of a batch

    @property
    def function(self) -> str:
        """stem: ``encode_request_<function>``."""
        return _snake(self.element)


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
    models: tuple[Model, ...] = ()  # every complex type, sorted by name
    enums: tuple[str, ...] = ()  # every enumeration's class name, sorted
    requests: tuple[RequestDocument, ...] = ()  # the write schemas' root elements, sorted

    @property
    def endpoints(self) -> tuple[Endpoint, ...]:
        return tuple(e for r in self.resources for e in r.endpoints)

    @property
    def model_names(self) -> tuple[str, ...]:
        return tuple(sorted({n for r in self.resources for n in r.model_names}))

    def model(self, name: str) -> Model:
        for model in self.models:
            if model.name == name:
                return model
        raise KeyError(name)

    @property
    def body_models(self) -> tuple[Model, ...]:
        """Every model a request body can hold (the bodies' classes and what they nest)."""
        bodies = [e.request.type for e in self.endpoints if e.request is not None]
        found = {m.name: m for body in bodies for m in self.reachable(body)}
        return tuple(found[name] for name in sorted(found))

    def reachable(self, name: str) -> tuple[Model, ...]:
        """The model called ``name`` and every model nested in it, in a stable order."""
        seen: dict[str, Model] = {}
        todo = [name]
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            found = self.model(current)
            seen[current] = found
            for f in found.fields:
                todo.extend(f.check.model_refs)
        return tuple(seen.values())


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


def _pascal(name: str) -> str:
    """``contact_groups`` -> ``ContactGroups``."""
    return "".join(part.capitalize() for part in name.split("_"))


def _singular(name: str) -> str:
    """``Contacts`` -> ``Contact``, ``tax_rates`` -> ``tax_rate`` (plain English plurals)."""
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _past(method: str) -> str:
    return {"DELETE": "removed", "PUT": "added", "POST": "saved"}.get(method, "done")


def _snake(name: str) -> str:
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text)
    return text.lower()
