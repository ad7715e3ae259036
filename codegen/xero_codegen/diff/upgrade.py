"""The upgrade guide between two API versions, call by call, from the diff of their contracts.

Renames come from the new version's manifest (``renamed_from``, ``[renames]``: the
cross-version mapping), so a 1.0 call is shown beside its 2.0 counterpart even when the
method, an argument, an element or a value has another name.
"""

from __future__ import annotations

from collections import defaultdict

from .contract import Contract, Endpoint
from .rules import Change


def _subject(change: Change) -> tuple[str, str]:
    kind, _, rest = change.subject.partition(" ")
    return kind, rest


def _call(ep: Endpoint, contract: Contract) -> str:
    args = [p.name + "=..." for p in ep.params if p.required or p.name in ep.one_of[:1]]
    if ep.request is not None and ep.request.param:
        args.insert(0, f"{ep.request.param}=...")
    if ep.request is not None:  # issue 18: body text given as arguments (a note's details)
        args += [f"{name}=..." for name, _ in ep.request.arguments if name not in ep.one_of]
    if contract.tenant_parameter:
        args.append("tenant_id=...")
    return f"client.{ep.resource}.{ep.name}({', '.join(args)})"


def _value(text: str | None) -> str:
    return "—" if text is None else f"`{text}`" if len(text) <= 60 else f"`{text[:57]}...`"


def _what(change: Change) -> str:
    values = ""
    if change.old is not None or change.new is not None:
        values = f" {_value(change.old)} → {_value(change.new)}"
    return f"{change.message}{values} — {change.level} (`{change.id}`)"


def _line(change: Change, package: str) -> str:
    """One change, led by the argument, element or value it is about."""
    kind, rest = _subject(change)
    if kind == "param":
        return f"- `{rest.partition('(')[2].rstrip(')')}=`: {_what(change)}"
    if kind in ("field", "enum") and "." in rest:
        member = rest.split(".", 1)[1]
        models = [x for x in change.symbols if ".models." in x]
        newest = [x for x in models if x.startswith(f"{package}.models.")] or models
        python = newest[-1].rsplit(".", 1)[-1] if newest else ""
        shown = f"`{member}`" + (f" (`.{python}`)" if kind == "field" and python else "")
        return f"- {shown}: {_what(change)}"
    return f"- {_what(change)}"


def render_upgrade_guide(
    old: Contract, new: Contract, changes: list[Change], intro: str = ""
) -> str:
    """Markdown: ``intro``, then the client, every old call, the models and what is new."""
    by_endpoint: dict[str, list[Change]] = defaultdict(list)
    by_model: dict[str, list[Change]] = defaultdict(list)
    renamed_to: dict[str, str] = {}
    for change in changes:
        kind, rest = _subject(change)
        if change.id == "endpoint-renamed" and change.old and change.new:
            renamed_to[change.old] = change.new
        if kind in ("endpoint", "param"):
            by_endpoint[rest.split("(", 1)[0]].append(change)
        elif kind in ("field", "model", "enum"):
            by_model[rest.split(".", 1)[0]].append(change)
    title = f"# Upgrading from {old.title} to {new.title}"
    lines = [title, ""]
    if intro.strip():
        lines += [intro.strip(), ""]
    lines += [
        "## The client",
        "",
        f"- Import from `xero_customer_api.{new.package}` instead of `xero_customer_api.{old.package}`"
        f" (models: `xero_customer_api.{new.package}.models`).",
    ]
    if old.auth != new.auth:
        lines.append(
            f"- Authentication changes from `{old.auth}` to `{new.auth}`: the client takes other credentials."
        )
    if old.errors != new.errors:
        lines.append(
            f"- Errors come back as `{new.errors}` instead of `{old.errors}`; the error classes stay `XeroError` subclasses."
        )
    if new.tenant_parameter and not old.tenant_parameter:
        lines.append(
            "- Every method takes `tenant_id=` (the organisation of the call; the client's by default)."
        )
    if new.idempotency and not old.idempotency:
        lines.append(
            "- Every PUT/POST takes `idempotency_key=` (one is made per call when left out)."
        )
    gone = sorted(set(old.environments) - set(new.environments))
    if gone:
        lines.append(
            "- Environments no longer available: " + ", ".join(f"`{g}`" for g in gone) + "."
        )
    lines += ["", "## Call by call", ""]
    for ep_id, ep in old.endpoints.items():
        target_id = renamed_to.get(ep_id, ep_id)
        target = new.endpoints.get(target_id)
        lines.append(f"### `{_call(ep, old)}`")
        lines.append("")
        if target is None:
            lines += [f"No {new.version} method replaces it (`{ep.method} {ep.path}` is gone).", ""]
            continue
        lines += [f"becomes `{_call(target, new)}` (`{target.method} {target.path}`).", ""]
        for change in by_endpoint.get(target_id, []):
            if change.id != "endpoint-doc-changed" and change.id != "param-doc-changed":
                lines.append(_line(change, new.package))
        lines.append("")
    lines += ["## Models", ""]
    for name in sorted(by_model):
        relevant = [
            c for c in by_model[name] if not c.id.endswith("doc-changed") and c.level != "safe"
        ]
        if not relevant:
            continue
        lines += [f"### {name}", ""]
        lines += [_line(change, new.package) for change in relevant]
        lines.append("")
    added = sorted(
        e for e in new.endpoints if e not in old.endpoints and e not in renamed_to.values()
    )
    if added:
        lines += [f"## New in {new.version}", ""]
        for ep_id in added:
            ep = new.endpoints[ep_id]
            lines.append(f"- `{_call(ep, new)}`: {' '.join(ep.doc.split())}")
        lines.append("")
    counts = {
        level: sum(c.level == level for c in changes) for level in ("breaking", "dangerous", "safe")
    }
    lines += [
        "## Every change",
        "",
        f"{len(changes)} changes ({counts['breaking']} breaking, {counts['dangerous']} dangerous, "
        f"{counts['safe']} safe); `xero-codegen diff schemas/v{old.version} schemas/v{new.version}` "
        "lists them all with the Python and CLI names each one touches.",
        "",
    ]
    return "\n".join(lines)
