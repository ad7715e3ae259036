"""The rules of ``xero-codegen diff``: what a change between two contracts does, and to whom.

Every rule has a stable id, a level and the layers it affects, grouped (like buf's
categories) by what they protect:

- ``wire``: would requests the old SDK sends be refused, or answers the new server sends be
  misread (the old decoder insists on an element, refuses a value, ...)?
- ``python``: would code written against the old generated package fail to import,
  type-check or run (a class, attribute, member, method or keyword argument gone or renamed,
  ``X`` becoming ``X | None``)?
- ``cli``: the ``xero`` command line (commands, options, input fields, output columns).

Direction matters: a model field is judged as part of a request (what the SDK writes) and
as part of a response (what it reads) separately, so a shared model can yield one change of
each side. What requests carry is judged on its own too (the ``write-*`` and
``request-root-*`` rules): an element of a model that stays can stop or start being written
(2.0's write types in ``requests/write_types.xsd``), change its declared type or its place in
the order, and a request document can come or go. :data:`RULES` is the whole table; :func:`compare` is the only entry point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .contract import Contract, Endpoint, EnumType, Field, Model, Param, RequestDocument

LEVELS = ("safe", "dangerous", "breaking")
LAYERS = ("wire", "python", "cli")


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    layers: tuple[str, ...]
    summary: str


def _rules(*rows: tuple[str, str, str, str]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule_id, level, layers, summary in rows:
        assert level in LEVELS and rule_id not in table
        names = tuple(x for x in layers.split(",") if x)
        assert all(x in LAYERS for x in names)
        table[rule_id] = Rule(rule_id, level, names, summary)
    return table


RULES: dict[str, Rule] = _rules(
    # -------------------------------------------------------------- API version as a whole
    ("auth-changed", "breaking", "wire,python", "the authentication scheme changed"),
    ("error-format-changed", "breaking", "wire,python", "errors come back in another envelope"),
    ("package-changed", "breaking", "python", "the generated subpackage has another name"),
    ("environment-added", "safe", "python,cli", "a new environment name"),
    ("environment-removed", "breaking", "python,cli", "an environment name is gone"),
    ("environment-url-changed", "dangerous", "wire", "an environment points elsewhere"),
    # -------------------------------------------------------------- endpoints
    ("endpoint-added", "safe", "python,cli", "a new method and command"),
    ("endpoint-removed", "breaking", "wire,python,cli", "a method and its command are gone"),
    ("endpoint-renamed", "breaking", "python,cli", "a method and its command have a new name"),
    ("endpoint-path-changed", "breaking", "wire", "the old path is no longer served"),
    ("endpoint-method-changed", "breaking", "wire", "the HTTP method changed"),
    ("endpoint-body-added", "breaking", "wire,python,cli", "the method now needs a body"),
    ("endpoint-body-removed", "breaking", "python,cli", "the method takes no body any more"),
    ("endpoint-body-changed", "breaking", "wire,python,cli", "the body is another model"),
    ("endpoint-batch-changed", "breaking", "wire,python,cli", "one body became a batch or back"),
    ("endpoint-response-changed", "breaking", "wire,python,cli", "it returns another model"),
    ("endpoint-returns-changed", "breaking", "python,cli", "one result became a list or back"),
    ("endpoint-stream-added", "safe", "python", "a new iter() method"),
    ("endpoint-stream-removed", "breaking", "python", "the iter() method is gone"),
    ("endpoint-one-of-changed", "dangerous", "python,cli", "the exactly-one-of rule changed"),
    ("endpoint-doc-changed", "safe", "python,cli", "docstring and command help"),
    # -------------------------------------------------------------- parameters
    ("param-added", "safe", "python,cli", "a new optional keyword argument and option"),
    ("required-param-added", "breaking", "wire,python,cli", "a new required argument"),
    ("param-removed", "breaking", "wire,python,cli", "a keyword argument and option are gone"),
    ("param-renamed", "breaking", "python,cli", "a keyword argument and option renamed"),
    ("param-wire-name-changed", "breaking", "wire", "the server reads another name"),
    ("param-location-changed", "breaking", "wire", "moved between query, header and path"),
    ("param-type-changed", "breaking", "wire,python,cli", "the argument has another type"),
    ("param-enum-value-added", "safe", "python,cli", "one more accepted value"),
    ("param-enum-value-removed", "breaking", "wire,python,cli", "a value is refused"),
    ("param-default-changed", "dangerous", "wire", "a call without it sends another value"),
    ("param-became-required", "breaking", "python,cli", "the argument must now be given"),
    ("param-became-optional", "safe", "python,cli", "the argument may now be left out"),
    ("param-doc-changed", "safe", "python,cli", "docstring and option help"),
    # -------------------------------------------------------------- models
    ("model-added", "safe", "python", "a new class in models"),
    ("model-removed", "breaking", "python", "a class of models is gone"),
    ("model-renamed", "breaking", "python", "a class of models has a new name"),
    ("model-root-changed", "breaking", "wire", "its document root element changed"),
    ("model-doc-changed", "safe", "python", "class docstring"),
    # -------------------------------------------------------------- fields (by direction)
    ("request-field-added-required", "breaking", "wire,python,cli", "requests need it now"),
    ("request-field-added", "safe", "python,cli", "requests may carry it"),
    ("response-field-added", "safe", "python,cli", "answers may carry it"),
    ("request-field-removed", "breaking", "wire,python,cli", "the server refuses it"),
    ("response-field-removed", "breaking", "python,cli", "the attribute is gone"),
    (
        "response-required-field-removed",
        "breaking",
        "wire,python,cli",
        "the old decoder insists on an element answers no longer carry",
    ),
    ("field-renamed", "breaking", "wire,python,cli", "new element and attribute names"),
    ("field-python-name-changed", "breaking", "python,cli", "same element, new attribute name"),
    ("element-renamed", "breaking", "wire", "a new XML name, the same Python name"),
    ("request-field-became-required", "breaking", "wire,python,cli", "requests need it now"),
    ("request-field-became-optional", "safe", "python,cli", "requests may leave it out"),
    ("response-field-became-optional", "breaking", "wire,python", "X becomes X | None"),
    ("response-field-became-required", "safe", "python", "X | None becomes X"),
    ("response-field-became-nillable", "breaking", "python", "it may now read as None"),
    ("field-type-changed", "breaking", "wire,python,cli", "the value has another type"),
    ("field-became-list", "breaking", "wire,python,cli", "X becomes list[X]"),
    ("field-became-single", "breaking", "wire,python,cli", "list[X] becomes X"),
    ("field-node-changed", "breaking", "wire", "an element became an attribute or back"),
    ("request-max-occurs-decreased", "breaking", "wire", "fewer items are accepted"),
    ("request-max-occurs-increased", "safe", "wire", "more items are accepted"),
    ("response-max-occurs-increased", "dangerous", "wire", "answers may carry more items"),
    ("response-max-occurs-decreased", "safe", "wire", "answers carry fewer items"),
    ("request-facet-tightened", "breaking", "wire", "values the old SDK sends are refused"),
    ("request-facet-relaxed", "safe", "wire", "more values are accepted"),
    (
        "response-facet-relaxed",
        "dangerous",
        "wire",
        "answers may hold values outside the old facet",
    ),
    ("response-facet-tightened", "safe", "wire", "answers stay within a narrower facet"),
    (
        "request-field-order-changed",
        "breaking",
        "wire",
        "the old SDK writes another order and the server reads one order (xs:sequence)",
    ),
    ("field-default-changed", "dangerous", "wire,python", "the default value changed"),
    ("field-doc-changed", "safe", "python", "attribute documentation"),
    # -------------------------------------------------------------- write shapes
    # What a request carries (2.0's write types in requests/write_types.xsd; 1.0 writes every
    # element of a model). Elements added to or removed from the model itself are judged by
    # the request-field-* rules above; these see the elements of a model that stays.
    (
        "write-element-removed",
        "breaking",
        "wire",
        "the SDK no longer sends an element it sent: a value set on it is silently dropped",
    ),
    (
        "write-element-added",
        "dangerous",
        "wire",
        "the SDK now sends an element it did not (e.g. one read from an answer): the server may"
        " refuse it",
    ),
    (
        "write-element-type-changed",
        "breaking",
        "wire",
        "a written element is declared with another type: values the old SDK sent may be refused",
    ),
    (
        "write-order-changed",
        "safe",
        "wire",
        "the SDK writes the elements in another order; safe because Xero reads the type as an"
        " xs:all (2.0 reads a request's elements in any order), so both orders read alike",
    ),
    (
        "request-root-added",
        "safe",
        "wire",
        "a new request document (root element of a write schema)",
    ),
    (
        "request-root-removed",
        "breaking",
        "wire",
        "a request document's root element is gone: bodies sent under it are refused",
    ),
    (
        "request-root-changed",
        "breaking",
        "wire",
        "a request document holds another model, or became a batch or back",
    ),
    # -------------------------------------------------------------- enumerations
    ("enum-added", "safe", "python", "a new enumeration class"),
    ("enum-removed", "breaking", "python", "an enumeration class is gone"),
    ("enum-renamed", "breaking", "python", "an enumeration class has a new name"),
    ("enum-value-added", "safe", "python", "a new value of an open or request-only enum"),
    (
        "closed-enum-value-added",
        "dangerous",
        "wire,python",
        "answers may carry a value exhaustive code does not know",
    ),
    ("enum-value-removed", "breaking", "wire,python", "requests with it are refused"),
    ("response-enum-value-removed", "breaking", "python", "the member is gone"),
    ("enum-value-renamed", "breaking", "wire,python", "a value and its member renamed"),
    ("enum-became-closed", "dangerous", "python", "no other values will come"),
    ("enum-became-open", "safe", "python", "unknown values may come and are kept as text"),
    ("enum-doc-changed", "safe", "python", "enumeration documentation"),
)


@dataclass(frozen=True)
class Change:
    id: str
    subject: str  # what changed, e.g. "field Invoice.Status", "param invoices.list(statuses)"
    message: str
    symbols: tuple[str, ...] = ()
    old: str | None = None
    new: str | None = None

    @property
    def rule(self) -> Rule:
        return RULES[self.id]

    @property
    def level(self) -> str:
        return self.rule.level

    @property
    def layers(self) -> tuple[str, ...]:
        return self.rule.layers


@dataclass
class _Sym:
    """Python and CLI names of one contract (the side a change is named on)."""

    contract: Contract
    request_users: dict[str, list[Endpoint]] = field(default_factory=dict)
    response_users: dict[str, list[Endpoint]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        refs = {m.name: {f.ref for f in m.fields if f.ref} for m in self.contract.models.values()}

        def reach(root: str) -> set[str]:
            seen: set[str] = set()
            todo = [root]
            while todo:
                name = todo.pop()
                if name not in seen:
                    seen.add(name)
                    todo.extend(refs.get(name, ()))
            return seen

        for ep in self.contract.endpoints.values():
            if ep.request:
                for name in reach(ep.request.model):
                    self.request_users.setdefault(name, []).append(ep)
            for name in reach(ep.response_model):
                self.response_users.setdefault(name, []).append(ep)

    @property
    def pkg(self) -> str:
        return self.contract.package

    def model(self, name: str) -> str:
        return f"{self.pkg}.models.{name}"

    @staticmethod
    def method(ep: Endpoint, arg: str | None = None) -> str:
        inner = f"{arg}=..." if arg else ""
        return f"client.{ep.resource}.{ep.name}({inner})"

    @staticmethod
    def command(ep: Endpoint, option: str | None = None) -> str:
        base = f"xero {ep.resource.replace('_', '-')} {ep.name.replace('_', '-')}"
        return base + (f" --{option.replace('_', '-')}" if option else "")

    def endpoint(self, ep: Endpoint) -> tuple[str, ...]:
        return (self.method(ep), self.command(ep))

    def param(self, ep: Endpoint, p: Param) -> tuple[str, ...]:
        return (self.method(ep, p.name), self.command(ep, p.name))

    def field(self, model: str, f: Field, request: bool, response: bool) -> tuple[str, ...]:
        found = [f"{self.model(model)}.{f.name}"]
        if request:
            users = self.request_users.get(model, ())
            direct = [ep for ep in users if ep.request and ep.request.model == model]
            for ep in [*direct, *(ep for ep in users if ep not in direct)]:
                found.append(self.method(ep, ep.request.param if ep.request else None))
                found.append(f"{self.command(ep)} (input field {f.name})")
        if response:
            for ep in self.response_users.get(model, ()):
                found.append(f"{self.command(ep)} (output column {f.name})")
        return tuple(dict.fromkeys(found))

    def enum_value(self, enum: EnumType, value: str) -> str:
        member = enum.members.get(value, value)
        return f"{self.model(enum.name)}.{member}"


def _ordered(changes: list[Change]) -> list[Change]:
    rank = {level: i for i, level in enumerate(reversed(LEVELS))}
    return sorted(changes, key=lambda c: (rank[c.level], c.subject, c.id))


def compare(old: Contract, new: Contract) -> list[Change]:
    """Every change from ``old`` to ``new``, most severe first, then by subject."""
    out: list[Change] = []
    so, sn = _Sym(old), _Sym(new)
    _api(old, new, out)
    model_map = _model_pairs(old, new, out, so, sn)
    enum_map = _enum_pairs(old, new, out, so, sn)
    refs = {**model_map, **enum_map}  # old class -> new class
    _endpoints(old, new, out, so, sn, refs)
    _requests(old, new, out, refs)
    for old_name, new_name in model_map.items():
        _fields(old.models[old_name], new.models[new_name], new, out, so, sn, refs)
    for old_name, new_name in enum_map.items():
        _enum_values(old.enums[old_name], new.enums[new_name], new, out, so, sn)
    return _ordered(out)


# ------------------------------------------------------------------------------ API level


def _api(old: Contract, new: Contract, out: list[Change]) -> None:
    if old.auth != new.auth:
        out.append(Change("auth-changed", "api auth", "authentication", (), old.auth, new.auth))
    if old.errors != new.errors:
        out.append(
            Change(
                "error-format-changed", "api errors", "error envelope", (), old.errors, new.errors
            )
        )
    if old.package != new.package:
        out.append(
            Change(
                "package-changed",
                "api package",
                "the version's subpackage",
                (f"xero_customer_api.{old.package}", f"xero_customer_api.{new.package}"),
                old.package,
                new.package,
            )
        )
    for name in sorted(set(old.environments) | set(new.environments)):
        before, after = old.environments.get(name), new.environments.get(name)
        symbol = (f'XeroClient(environment="{name}")', f"xero --environment {name}")
        if before is None:
            out.append(Change("environment-added", f"environment {name}", after or "", symbol))
        elif after is None:
            out.append(Change("environment-removed", f"environment {name}", before, symbol))
        elif before != after:
            out.append(
                Change(
                    "environment-url-changed",
                    f"environment {name}",
                    "base URL",
                    symbol,
                    before,
                    after,
                )
            )


# ------------------------------------------------------------------------------ renames


def _renamed(new: Contract, key: str) -> str | None:
    return new.renames.get(key)


def _pairs(
    old_names: set[str], new_names: set[str], renamed_from: dict[str, str | None]
) -> tuple[dict[str, str], dict[str, str], set[str], set[str]]:
    """(kept old->new, renamed old->new, removed, added) with renames applied only when the
    old side has the old name and not the new one."""
    kept = {n: n for n in old_names & new_names}
    renamed: dict[str, str] = {}
    for name in sorted(new_names - old_names):
        source = renamed_from.get(name)
        if source and source in old_names and source not in new_names and source not in renamed:
            renamed[source] = name
    removed = old_names - set(kept) - set(renamed)
    added = new_names - set(kept) - set(renamed.values())
    return kept, renamed, removed, added


def _model_pairs(
    old: Contract, new: Contract, out: list[Change], so: _Sym, sn: _Sym
) -> dict[str, str]:
    kept, renamed, removed, added = _pairs(
        set(old.models), set(new.models), {n: _renamed(new, n) for n in new.models}
    )
    for name in sorted(added):
        out.append(Change("model-added", f"model {name}", "new class", (sn.model(name),)))
    for name in sorted(removed):
        out.append(Change("model-removed", f"model {name}", "class removed", (so.model(name),)))
    for source, target in sorted(renamed.items()):
        out.append(
            Change(
                "model-renamed",
                f"model {target}",
                "class renamed",
                (so.model(source), sn.model(target)),
                source,
                target,
            )
        )
    pairs = {**kept, **renamed}
    for source, target in sorted(pairs.items()):
        a, b = old.models[source], new.models[target]
        if a.root != b.root and (
            (a.in_request and b.in_request) or (a.in_response and b.in_response)
        ):
            out.append(
                Change(
                    "model-root-changed",
                    f"model {target}",
                    "root element",
                    (sn.model(target),),
                    a.root,
                    b.root,
                )
            )
        if a.doc != b.doc:
            out.append(
                Change(
                    "model-doc-changed",
                    f"model {target}",
                    "documentation",
                    (sn.model(target),),
                    a.doc,
                    b.doc,
                )
            )
    return pairs


def _enum_pairs(
    old: Contract, new: Contract, out: list[Change], so: _Sym, sn: _Sym
) -> dict[str, str]:
    kept, renamed, removed, added = _pairs(
        set(old.enums), set(new.enums), {n: _renamed(new, n) for n in new.enums}
    )
    for name in sorted(added):
        out.append(Change("enum-added", f"enum {name}", "new enumeration", (sn.model(name),)))
    for name in sorted(removed):
        out.append(Change("enum-removed", f"enum {name}", "enumeration removed", (so.model(name),)))
    for source, target in sorted(renamed.items()):
        out.append(
            Change(
                "enum-renamed",
                f"enum {target}",
                "enumeration renamed",
                (so.model(source), sn.model(target)),
                source,
                target,
            )
        )
    return {**kept, **renamed}


# ------------------------------------------------------------------------------ endpoints


def _endpoints(
    old: Contract, new: Contract, out: list[Change], so: _Sym, sn: _Sym, refs: dict[str, str]
) -> None:
    kept, renamed, removed, added = _pairs(
        set(old.endpoints),
        set(new.endpoints),
        {k: e.renamed_from for k, e in new.endpoints.items()},
    )
    for name in sorted(added):
        ep = new.endpoints[name]
        out.append(
            Change("endpoint-added", f"endpoint {name}", f"{ep.method} {ep.path}", sn.endpoint(ep))
        )
    for name in sorted(removed):
        ep = old.endpoints[name]
        out.append(
            Change(
                "endpoint-removed", f"endpoint {name}", f"{ep.method} {ep.path}", so.endpoint(ep)
            )
        )
    for source, target in sorted(renamed.items()):
        a, b = old.endpoints[source], new.endpoints[target]
        out.append(
            Change(
                "endpoint-renamed",
                f"endpoint {target}",
                "method and command renamed",
                (*so.endpoint(a), *sn.endpoint(b)),
                source,
                target,
            )
        )
    for source, target in sorted({**kept, **renamed}.items()):
        _endpoint(old.endpoints[source], new.endpoints[target], out, so, sn, refs)


def _endpoint(
    a: Endpoint, b: Endpoint, out: list[Change], so: _Sym, sn: _Sym, refs: dict[str, str]
) -> None:
    subject = f"endpoint {b.id}"
    symbols = sn.endpoint(b)
    if a.method != b.method:
        out.append(
            Change("endpoint-method-changed", subject, "HTTP method", symbols, a.method, b.method)
        )
    if _path_shape(a) != _path_shape(b):
        out.append(Change("endpoint-path-changed", subject, "path", symbols, a.path, b.path))
    if a.request is None and b.request is not None:
        out.append(
            Change("endpoint-body-added", subject, "request body", symbols, None, b.request.model)
        )
    elif a.request is not None and b.request is None:
        out.append(
            Change("endpoint-body-removed", subject, "request body", symbols, a.request.model, None)
        )
    elif a.request is not None and b.request is not None:
        if refs.get(a.request.model, a.request.model) != b.request.model:
            out.append(
                Change(
                    "endpoint-body-changed",
                    subject,
                    "request body model",
                    symbols,
                    a.request.model,
                    b.request.model,
                )
            )
        if a.request.batch != b.request.batch:
            out.append(
                Change(
                    "endpoint-batch-changed",
                    subject,
                    "single body or batch",
                    symbols,
                    "batch" if a.request.batch else "one",
                    "batch" if b.request.batch else "one",
                )
            )
    if refs.get(a.response_model, a.response_model) != b.response_model:
        out.append(
            Change(
                "endpoint-response-changed",
                subject,
                "returned model",
                symbols,
                a.response_model,
                b.response_model,
            )
        )
    if a.returns != b.returns:
        out.append(
            Change(
                "endpoint-returns-changed", subject, "result shape", symbols, a.returns, b.returns
            )
        )
    iter_symbol = (f"client.{b.resource}.iter()",)
    if a.stream and not b.stream:
        out.append(
            Change(
                "endpoint-stream-removed",
                subject,
                "iter() removed",
                (f"client.{a.resource}.iter()",),
            )
        )
    elif b.stream and not a.stream:
        out.append(Change("endpoint-stream-added", subject, "iter() added", iter_symbol))
    if a.doc != b.doc:
        out.append(Change("endpoint-doc-changed", subject, "documentation", symbols, a.doc, b.doc))
    _params(a, b, out, so, sn)


def _path_shape(ep: Endpoint) -> str:
    """The path with its {slots} blanked: renaming a slot is not a wire change."""
    import re

    return re.sub(r"\{[^}]*\}", "{}", ep.path)


def _params(a: Endpoint, b: Endpoint, out: list[Change], so: _Sym, sn: _Sym) -> None:
    kept, renamed, removed, added = _pairs(
        {p.name for p in a.params},
        {p.name for p in b.params},
        {p.name: p.renamed_from for p in b.params},
    )
    for name in sorted(added):
        p = b.param(name)
        assert p is not None
        rule = "required-param-added" if p.required else "param-added"
        out.append(
            Change(
                rule,
                f"param {b.id}({name})",
                f"new, sent as {p.location} `{p.wire}`",
                sn.param(b, p),
            )
        )
    for name in sorted(removed):
        p = a.param(name)
        assert p is not None
        out.append(
            Change(
                "param-removed",
                f"param {b.id}({name})",
                f"removed (was sent as {p.location} `{p.wire}`)",
                so.param(a, p),
            )
        )
    for source, target in sorted(renamed.items()):
        p, q = a.param(source), b.param(target)
        assert p is not None and q is not None
        out.append(
            Change(
                "param-renamed",
                f"param {b.id}({target})",
                "keyword argument renamed",
                (*so.param(a, p), *sn.param(b, q)),
                source,
                target,
            )
        )
    for source, target in sorted({**kept, **renamed}.items()):
        p, q = a.param(source), b.param(target)
        assert p is not None and q is not None
        subject, symbols = f"param {b.id}({target})", sn.param(b, q)
        if p.location != q.location:
            out.append(
                Change(
                    "param-location-changed",
                    subject,
                    "sent as",
                    symbols,
                    f"{p.location} {p.wire}",
                    f"{q.location} {q.wire}",
                )
            )
        elif p.wire != q.wire and p.location != "path":
            out.append(
                Change("param-wire-name-changed", subject, "wire name", symbols, p.wire, q.wire)
            )
        if p.type != q.type:
            out.append(Change("param-type-changed", subject, "type", symbols, p.type, q.type))
        elif p.values != q.values:
            for value in sorted(set(q.values) - set(p.values)):
                out.append(
                    Change(
                        "param-enum-value-added", subject, f"value {value!r}", symbols, None, value
                    )
                )
            for value in sorted(set(p.values) - set(q.values)):
                out.append(
                    Change(
                        "param-enum-value-removed",
                        subject,
                        f"value {value!r}",
                        symbols,
                        value,
                        None,
                    )
                )
        if p.default != q.default:
            out.append(
                Change("param-default-changed", subject, "default", symbols, p.default, q.default)
            )
        if p.required != q.required:
            rule = "param-became-required" if q.required else "param-became-optional"
            out.append(Change(rule, subject, "required", symbols, str(p.required), str(q.required)))
        if p.doc != q.doc:
            out.append(Change("param-doc-changed", subject, "documentation", symbols, p.doc, q.doc))
    if set(a.one_of) != set(b.one_of) and a.one_of and b.one_of:
        out.append(
            Change(
                "endpoint-one-of-changed",
                f"endpoint {b.id}",
                "exactly one of",
                sn.endpoint(b),
                ", ".join(a.one_of),
                ", ".join(b.one_of),
            )
        )


# ------------------------------------------------------------------------------ fields


_UPPER = ("max_length", "max_inclusive", "max_exclusive", "total_digits", "fraction_digits")
_LOWER = ("min_length", "min_inclusive", "min_exclusive")


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _facet_direction(name: str, before: str | None, after: str | None) -> str | None:
    """'tightened', 'relaxed' or None (no change) for one facet."""
    if before == after:
        return None
    if before is None:
        return "tightened"
    if after is None:
        return "relaxed"
    if name in _UPPER or name in _LOWER:
        x, y = _number(before), _number(after)
        if x is None or y is None:
            return "tightened"
        narrower = y < x if name in _UPPER else y > x
        return "tightened" if narrower else "relaxed"
    return "tightened"  # length or pattern: any change may refuse an old value


def _fields(
    a: Model,
    b: Model,
    new: Contract,
    out: list[Change],
    so: _Sym,
    sn: _Sym,
    refs: dict[str, str],
) -> None:
    old_keys = {f.key for f in a.fields}
    new_keys = {f.key for f in b.fields}

    def rename_of(key: str) -> str | None:
        bare = key.lstrip("@")
        source = new.renames.get(f"{b.name}.{bare}")
        if source is None:
            return None
        return ("@" if key.startswith("@") else "") + source

    kept, renamed, removed, added = _pairs(old_keys, new_keys, {k: rename_of(k) for k in new_keys})
    # an element that became an attribute of the same name (or back) is one field
    for key in sorted(removed):
        flipped = key[1:] if key.startswith("@") else "@" + key
        if flipped in added:
            kept[key] = flipped
            removed.discard(key)
            added.discard(flipped)
    req_old, resp_old = a.in_request, a.in_response
    for key in sorted(added):
        f = b.field(key)
        assert f is not None
        subject = f"field {b.name}.{key}"
        if f.in_request:
            rule = "request-field-added-required" if f.required else "request-field-added"
            out.append(
                Change(
                    rule,
                    subject,
                    f"new {'required ' if f.required else ''}element",
                    sn.field(b.name, f, True, False),
                )
            )
        if b.in_response:
            out.append(
                Change(
                    "response-field-added", subject, "new element", sn.field(b.name, f, False, True)
                )
            )
    for key in sorted(removed):
        f = a.field(key)
        assert f is not None
        subject = f"field {b.name}.{key}"
        if f.in_request:
            out.append(
                Change(
                    "request-field-removed",
                    subject,
                    "element removed",
                    so.field(a.name, f, True, False),
                )
            )
        if resp_old:
            rule = "response-required-field-removed" if f.required else "response-field-removed"
            out.append(Change(rule, subject, "element removed", so.field(a.name, f, False, True)))
    for source, target in sorted(renamed.items()):
        f, g = a.field(source), b.field(target)
        assert f is not None and g is not None
        rule = "field-renamed" if f.name != g.name else "element-renamed"
        out.append(
            Change(
                rule,
                f"field {b.name}.{target}",
                "renamed",
                tuple(
                    dict.fromkeys(
                        (
                            *so.field(a.name, f, f.in_request, resp_old),
                            *sn.field(b.name, g, g.in_request, b.in_response),
                        )
                    )
                ),
                source,
                target,
            )
        )
    pairs = {**kept, **renamed}
    for source, target in sorted(pairs.items()):
        f, g = a.field(source), b.field(target)
        assert f is not None and g is not None
        _field(b, f, g, refs, out, sn, req_old and b.in_request, resp_old and b.in_response)
    _writes(a, b, pairs, added, out, so, sn, refs)


def _writes(
    a: Model,
    b: Model,
    pairs: dict[str, str],
    added: set[str],
    out: list[Change],
    so: _Sym,
    sn: _Sym,
    refs: dict[str, str],
) -> None:
    """What requests write of a model both sides write: its elements, their declared types
    (write schemas only) and their order. ``pairs`` maps the old keys of kept fields to new;
    ``added`` holds the keys of new fields."""
    if not (a.in_request and b.in_request):
        return
    was_written = {w.element: w for w in a.writes}
    now_written = {w.element: w for w in b.writes}
    if a.write_type and b.write_type:
        # A new element of the model that its write type writes: request-field-added says a
        # caller may set it; it is also sent back whenever a record read from an answer is
        # saved, and the server may refuse it in a request (as it does read-only elements).
        # (From a version without write types, e.g. 1.0 -> 2.0, a new field is just new.)
        for key in sorted(added & set(now_written)):
            g = b.field(key)
            assert g is not None
            out.append(
                Change(
                    "write-element-added",
                    f"field {b.name}.{key}",
                    "now written by requests",
                    sn.field(b.name, g, True, False),
                    None,
                    now_written[key].type or None,
                )
            )
    for source, target in sorted(pairs.items()):
        f, g = a.field(source), b.field(target)
        assert f is not None and g is not None
        if f.attribute != g.attribute:
            continue  # field-node-changed says it
        was, now = was_written.get(source), now_written.get(target)
        subject = f"field {b.name}.{target}"
        if was is not None and now is None:
            out.append(
                Change(
                    "write-element-removed",
                    subject,
                    "no longer written by requests",
                    so.field(a.name, f, True, False),
                    was.type or None,
                    None,
                )
            )
        elif was is None and now is not None:
            out.append(
                Change(
                    "write-element-added",
                    subject,
                    "now written by requests",
                    sn.field(b.name, g, True, False),
                    None,
                    now.type or None,
                )
            )
        elif (
            was is not None
            and now is not None
            and a.write_type
            and b.write_type
            and refs.get(was.type, was.type) != now.type
        ):
            out.append(
                Change(
                    "write-element-type-changed",
                    subject,
                    "type of the written element",
                    sn.field(b.name, g, True, False),
                    was.type,
                    now.type,
                )
            )
    # the order of the elements written by both sides
    inverse = {v: k for k, v in pairs.items()}
    before = [w.element for w in a.writes if pairs.get(w.element) in now_written]
    after = [inverse[w.element] for w in b.writes if inverse.get(w.element) in was_written]
    if before != after:
        # Xero reads an xs:all type's elements in any order (2.0): only the SDK's own order
        # changed. A sequence is read in one order: the old SDK's is refused.
        rule = "write-order-changed" if b.any_order else "request-field-order-changed"
        out.append(
            Change(
                rule,
                f"model {b.name}",
                "order of the elements requests write",
                (sn.model(b.name),),
                ", ".join(before),
                ", ".join(pairs[k] for k in after),
            )
        )


def _has_write_schemas(contract: Contract) -> bool:
    return bool(contract.requests) or any(m.write_type for m in contract.models.values())


def _requests(old: Contract, new: Contract, out: list[Change], refs: dict[str, str]) -> None:
    """The request documents (root elements of the write schemas), by element name."""
    if not (_has_write_schemas(old) and _has_write_schemas(new)):
        return  # a version without write schemas writes each body under its model's root

    def users(contract: Contract, doc: RequestDocument) -> tuple[str, ...]:
        return tuple(
            _Sym.method(ep, ep.request.param)
            for ep in contract.endpoints.values()
            if ep.request is not None
            and ep.request.model == doc.model
            and ep.request.batch == (doc.item is not None)
        )

    def shape(doc: RequestDocument, rename: bool = False) -> str:
        model = refs.get(doc.model, doc.model) if rename else doc.model
        return f"{model} (batch of <{doc.item}>)" if doc.item else model

    for element in sorted(set(old.requests) | set(new.requests)):
        before, after = old.requests.get(element), new.requests.get(element)
        subject = f"request <{element}>"
        if before is None and after is not None:
            out.append(
                Change(
                    "request-root-added",
                    subject,
                    "new request document",
                    users(new, after),
                    None,
                    shape(after),
                )
            )
        elif after is None and before is not None:
            out.append(
                Change(
                    "request-root-removed",
                    subject,
                    "request document removed",
                    users(old, before),
                    shape(before),
                    None,
                )
            )
        elif before is not None and after is not None and shape(before, True) != shape(after):
            out.append(
                Change(
                    "request-root-changed",
                    subject,
                    "what the document holds",
                    users(new, after),
                    shape(before),
                    shape(after),
                )
            )


def _field(
    model: Model,
    f: Field,
    g: Field,
    refs: dict[str, str],
    out: list[Change],
    sn: _Sym,
    request: bool,
    response: bool,
) -> None:
    subject = f"field {model.name}.{g.key}"
    request = request and f.in_request and g.in_request
    both = sn.field(model.name, g, request, response)
    req_symbols = sn.field(model.name, g, True, False)
    resp_symbols = sn.field(model.name, g, False, True)
    if f.name != g.name and f.key == g.key:
        out.append(
            Change("field-python-name-changed", subject, "attribute name", both, f.name, g.name)
        )
    if f.attribute != g.attribute:
        out.append(
            Change(
                "field-node-changed",
                subject,
                "element or attribute",
                both,
                "attribute" if f.attribute else "element",
                "attribute" if g.attribute else "element",
            )
        )
    old_type = refs.get(f.ref, f.ref) if f.ref else f.kind
    new_type = g.ref if g.ref else g.kind
    if (f.kind, old_type) != (g.kind, new_type):
        out.append(
            Change("field-type-changed", subject, "type", both, f.ref or f.kind, g.ref or g.kind)
        )
    if f.is_list != g.is_list:
        rule = "field-became-list" if g.is_list else "field-became-single"
        out.append(Change(rule, subject, "cardinality", both, _occurs(f), _occurs(g)))
    elif f.is_list and f.max_occurs != g.max_occurs:
        grew = g.max_occurs is None or (f.max_occurs is not None and g.max_occurs > f.max_occurs)
        if request:
            rule = "request-max-occurs-increased" if grew else "request-max-occurs-decreased"
            out.append(Change(rule, subject, "maxOccurs", req_symbols, _occurs(f), _occurs(g)))
        if response:
            rule = "response-max-occurs-increased" if grew else "response-max-occurs-decreased"
            out.append(Change(rule, subject, "maxOccurs", resp_symbols, _occurs(f), _occurs(g)))
    if f.required != g.required and not g.is_list:
        if request:
            rule = (
                "request-field-became-required" if g.required else "request-field-became-optional"
            )
            out.append(Change(rule, subject, "required", req_symbols, _occurs(f), _occurs(g)))
        if response:
            rule = (
                "response-field-became-required" if g.required else "response-field-became-optional"
            )
            out.append(Change(rule, subject, "required", resp_symbols, _occurs(f), _occurs(g)))
    if response and g.nillable and not f.nillable and g.required:
        out.append(
            Change(
                "response-field-became-nillable", subject, "nillable", resp_symbols, "false", "true"
            )
        )
    for name in sorted(set(f.facets) | set(g.facets)):
        direction = _facet_direction(name, f.facets.get(name), g.facets.get(name))
        if direction is None:
            continue
        label = f"facet {name}"
        if request:
            out.append(
                Change(
                    f"request-facet-{direction}",
                    subject,
                    label,
                    req_symbols,
                    f.facets.get(name),
                    g.facets.get(name),
                )
            )
        if response:
            out.append(
                Change(
                    f"response-facet-{direction}",
                    subject,
                    label,
                    resp_symbols,
                    f.facets.get(name),
                    g.facets.get(name),
                )
            )
    if f.default != g.default:
        out.append(Change("field-default-changed", subject, "default", both, f.default, g.default))
    if f.doc != g.doc:
        out.append(
            Change(
                "field-doc-changed",
                subject,
                "documentation",
                (f"{sn.model(model.name)}.{g.name}",),
                f.doc,
                g.doc,
            )
        )


def _occurs(f: Field) -> str:
    upper = "unbounded" if f.max_occurs is None else str(f.max_occurs)
    return f"{f.min_occurs}..{upper}" + (" (list)" if f.is_list else "")


# ------------------------------------------------------------------------------ enum values


def _enum_values(
    a: EnumType, b: EnumType, new: Contract, out: list[Change], so: _Sym, sn: _Sym
) -> None:
    subject = f"enum {b.name}"
    _kept, renamed, removed, added = _pairs(
        set(a.values), set(b.values), {v: new.renames.get(f"{b.name}.{v}") for v in b.values}
    )
    for value in sorted(added):
        rule = "closed-enum-value-added" if (b.in_response and not b.open) else "enum-value-added"
        out.append(
            Change(rule, f"{subject}.{value}", "new value", (sn.enum_value(b, value),), None, value)
        )
    for value in sorted(removed):
        rule = "enum-value-removed" if a.in_request else "response-enum-value-removed"
        out.append(
            Change(
                rule, f"{subject}.{value}", "value removed", (so.enum_value(a, value),), value, None
            )
        )
    for source, target in sorted(renamed.items()):
        out.append(
            Change(
                "enum-value-renamed",
                f"{subject}.{target}",
                "value renamed",
                (so.enum_value(a, source), sn.enum_value(b, target)),
                source,
                target,
            )
        )
    if a.open != b.open:
        rule = "enum-became-open" if b.open else "enum-became-closed"
        out.append(
            Change(
                rule,
                subject,
                "open or closed",
                (sn.model(b.name),),
                "open" if a.open else "closed",
                "open" if b.open else "closed",
            )
        )
    if a.doc != b.doc:
        out.append(
            Change("enum-doc-changed", subject, "documentation", (sn.model(b.name),), a.doc, b.doc)
        )


# ------------------------------------------------------------------------------ verdict


def worst(changes: list[Change]) -> str | None:
    """The highest level among ``changes`` (None when there are none)."""
    levels = [LEVELS.index(c.level) for c in changes]
    return LEVELS[max(levels)] if levels else None


def suggested_bump(changes: list[Change], current: str | None = None) -> str:
    """``major``, ``minor``, ``patch`` or ``none`` by semver; before 1.0 a breaking change
    bumps the minor version and anything else the patch version."""
    if not changes:
        return "none"
    pre_release = current is not None and current.split(".")[0] == "0"
    breaking = worst(changes) == "breaking"
    additive = any(
        c.id.endswith(("-added", "-added-required")) or c.level == "dangerous" for c in changes
    )
    if breaking:
        return "minor" if pre_release else "major"
    if additive:
        return "patch" if pre_release else "minor"
    return "patch"
