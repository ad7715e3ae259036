"""Run the Python examples of the README and the docs site, as printed, against the sandbox.

An example is every fenced ``python`` block of ``README.md`` and ``docs/**/*.md``. The blocks
of one page run in order in one namespace (a page reads like one script: later blocks use
what earlier ones made). Only two things stand between the page and Xero's real hosts, both
outside the example's code:

- **Names**: Xero's hosts (``api.xero.com``, ``identity.xero.com``, ``login.xero.com`` and 1.0's
  ``network[test].xero.com``) resolve to the sandbox, as an ``/etc/hosts`` line would: httpx's
  transports send those requests to the sandbox's address over a real TLS socket, trusting the
  sandbox's CA through ``SSL_CERT_FILE``. Paths are Xero's own (the sandbox serves them).
- **Placeholders**: ``YOUR_CLIENT_ID``, ``YOUR_CLIENT_SECRET``, ``YOUR_TENANT_ID`` (2.0) and
  ``YOUR_PARTNER_KEY``, ``YOUR_XERO_CUSTOMER_KEY`` (1.0) are replaced by the sandbox's values.

Each page gets a sandbox of its own, so pages cannot disturb each other or the rest of the
end-to-end suite (numbers such as ``INV-1001`` are printed as a reader would type them).

A page can ask the harness to play the person at the browser, with an HTML comment right
before a block: ``<!-- docs-test: approve start -->`` opens ``start.url`` (an
``authorization_url`` result made by an earlier block), ticks every organisation, presses
Allow, and binds ``callback_url`` (the URL Xero sends the browser back to) before the block
runs. That is the one thing an example cannot do itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import lxml.html
import pytest
from xero_sandbox.process import parse_ready_line

ROOT = Path(__file__).resolve().parents[2]
XERO_HOSTS = frozenset(
    {
        "api.xero.com",
        "identity.xero.com",
        "login.xero.com",
        "network.xero.com",
        "networktest.xero.com",
    }
)
_FENCE = re.compile(
    r"(?:<!--\s*docs-test:\s*(?P<directive>[^>]*?)\s*-->\s*\n)?"
    r"^(?P<indent>[ ]*)```(?P<lang>python|sh)\n(?P<code>.*?)^(?P=indent)```",
    re.S | re.M,
)
XERO = str(Path(sys.executable).with_name("xero"))


@dataclass(frozen=True)
class Block:
    page: str  # path relative to the repository
    line: int  # line of the opening fence
    code: str
    directive: str | None
    lang: str = "python"

    @property
    def commands(self) -> list[str]:
        """The command lines of a shell block (comments and blank lines left out)."""
        return [
            line.strip()
            for line in self.code.splitlines()
            if line.strip() and not line.startswith("#")
        ]


def pages() -> list[Path]:
    """Every page with at least one Python example."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [p for p in found if "```python" in p.read_text(encoding="utf-8")]


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    rel = page.relative_to(ROOT).as_posix()
    found = [
        Block(
            rel,
            text.count("\n", 0, m.start("code")),
            textwrap.dedent(m.group("code")),
            m.group("directive"),
            m.group("lang"),
        )
        for m in _FENCE.finditer(text)
    ]
    # shell blocks are examples when every command is the `xero` command line; the others
    # (installing, `make ...`) are how to run the project, not examples of the SDK
    return [
        b
        for b in found
        if b.lang == "python" or (b.commands and all(c.startswith("xero ") for c in b.commands))
    ]


@contextlib.contextmanager
def xero_resolves_to(
    root_url: str, ca_bundle: str | None, exports: dict[str, str] | None = None
) -> Iterator[None]:
    """Send every request for one of Xero's hosts to the sandbox at ``root_url``, with the
    ``export XERO_...`` lines the sandbox prints in the environment (as the README's sandbox
    section tells a reader to paste them)."""
    target = urlsplit(root_url)
    sync_send = httpx.HTTPTransport.handle_request
    async_send = httpx.AsyncHTTPTransport.handle_async_request

    def redirect(request: httpx.Request) -> None:
        if request.url.host in XERO_HOSTS:
            request.url = request.url.copy_with(
                scheme=target.scheme, host=target.hostname, port=target.port
            )

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        redirect(request)
        return sync_send(self, request)

    async def handle_async_request(
        self: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        redirect(request)
        return await async_send(self, request)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
        patch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async_request)
        if ca_bundle:
            patch.setenv("SSL_CERT_FILE", ca_bundle)
        for name, value in (exports or {}).items():
            if name.startswith("XERO_"):
                patch.setenv(name, value)
        yield


def approve(authorize_url: str) -> str:
    """Play the person at the browser: open the consent page of ``authorize_url``, tick every
    organisation, press Allow; the URL the browser is sent back to (not followed)."""
    with httpx.Client() as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200, page.text[:500]
        form = lxml.html.fromstring(page.text).get_element_by_id("consent")
        fields: list[tuple[str, str]] = [
            (i.get("name", ""), i.get("value", ""))
            for i in form.iter("input")
            if i.get("type") == "hidden" or i.get("name") == "tenant"
        ]
        fields.append(("action", "allow"))
        action = str(page.url.join(form.get("action", "")))
        answer = browser.post(
            action,
            content=urlencode(fields),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code in (302, 303), answer.text[:500]
        return answer.headers["location"]


def reads(page: Path, name: str) -> bool:
    """Whether the page's examples read the environment variable ``name`` (``REDIS_URL``: the
    harness starts a redis-server; ``XERO_WEBHOOK_KEY``: it subscribes a webhook)."""
    return name in "".join(b.code for b in blocks(page))


def subscribe_webhook(values: dict[str, str]) -> dict[str, str]:
    """``xero-sandbox webhooks add`` on the page's sandbox, as the page tells the reader: the
    ``XERO_WEBHOOK_KEY`` and ``XERO_WEBHOOK_ID`` it exports."""
    command = [str(Path(sys.executable).with_name("xero-sandbox")), "webhooks", "add"]
    command += ["--url", "http://127.0.0.1:8000/xero/webhooks"]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=60, env={**os.environ, **values}
    )
    assert done.returncode == 0, done.stderr[-2000:]
    pairs = (parse_ready_line(line) for line in done.stdout.splitlines())
    exported = {k: v for k, v in (p for p in pairs if p) if k.startswith("XERO_WEBHOOK_")}
    assert {"XERO_WEBHOOK_KEY", "XERO_WEBHOOK_ID"} <= exported.keys(), done.stdout
    return exported


def run_page(page: Path, values: dict[str, str], namespace: dict[str, Any]) -> None:
    """Run every block of ``page`` in order in ``namespace``."""
    placeholders = {
        "YOUR_CLIENT_ID": values["XERO_CLIENT_ID"],
        "YOUR_CLIENT_SECRET": values["XERO_CLIENT_SECRET"],
        "YOUR_TENANT_ID": values["XERO_TENANT_ID"],
        "YOUR_PARTNER_KEY": values["XERO_API_KEY"],
        "YOUR_XERO_CUSTOMER_KEY": values["XERO_CUSTOMER_KEY"],
    }
    namespace["__name__"] = "__docs_example__"
    modules: list[str] = []
    try:
        _run_blocks(page, placeholders, namespace, modules)
    finally:
        for name in modules:
            sys.modules.pop(name, None)


_MODULE_FILE = re.compile(r"#(?:[ \w]+:)? *(?P<path>[A-Za-z_]\w*(?:/[A-Za-z_]\w*)*)\.py\b")


def _module_name(code: str) -> str | None:
    """The module a block is, when its first line names its file (``# events.py: ...``,
    ``# Django: myapp/views.py``): a page may show an app as several files."""
    first = code.lstrip("\n").split("\n", 1)[0]
    found = _MODULE_FILE.match(first)
    return found.group("path").replace("/", ".") if found else None


def _as_module(name: str, code: Any, modules: list[str]) -> None:
    """Run ``code`` as the module ``name`` (its packages made as needed), importable by later
    blocks of the page; every name registered is added to ``modules`` (removed after the page)."""
    import types

    parts = name.split(".")
    for n in range(1, len(parts)):
        package = ".".join(parts[:n])
        if package not in sys.modules:
            made = types.ModuleType(package)
            made.__path__ = []
            sys.modules[package] = made
            modules.append(package)
    module = types.ModuleType(name)
    sys.modules[name] = module
    modules.append(name)
    if len(parts) > 1:
        setattr(sys.modules[".".join(parts[:-1])], parts[-1], module)
    exec(code, module.__dict__)


def _run_blocks(
    page: Path, placeholders: dict[str, str], namespace: dict[str, Any], modules: list[str]
) -> None:
    for block in blocks(page):
        code = block.code
        for placeholder, value in placeholders.items():
            code = code.replace(placeholder, value)
        if block.directive == "approve start":
            namespace["callback_url"] = approve(namespace["start"].url)
        elif block.directive:
            raise AssertionError(
                f"{block.page}:{block.line}: unknown directive {block.directive!r}"
            )
        if block.lang == "sh":
            for command in block.commands:
                run_command(block, command, shell_variables(namespace))
            continue
        # the line numbers of a traceback are the page's own
        padded = "\n" * block.line + code
        module = _module_name(code)
        if module is None:
            exec(compile(padded, block.page, "exec"), namespace)
        else:  # a file of the reader's app: later blocks import it
            _as_module(module, compile(padded, block.page, "exec"), modules)


_SHELL_VARIABLE = re.compile(r"\$(?:\{(?P<braced>[A-Z][A-Z0-9_]*)\}|(?P<plain>[A-Z][A-Z0-9_]*))")


def shell_variables(namespace: dict[str, Any]) -> dict[str, str]:
    """The page's upper-case text values (``INVOICE_ID = str(invoice.invoice_id)``): the
    variables a reader has set in their shell before typing the page's ``$INVOICE_ID``."""
    return {
        name: value
        for name, value in namespace.items()
        if isinstance(value, str) and name.isupper() and name.isidentifier()
    }


def run_command(block: Block, command: str, variables: dict[str, str] | None = None) -> None:
    """Run one `xero ...` line of a shell example (the sandbox's exports in the environment;
    ``$NAME`` is a shell variable the page's Python set, see :func:`shell_variables`)."""
    env = {**os.environ, **(variables or {})}

    def expand(found: re.Match[str]) -> str:
        name = found.group("braced") or found.group("plain")
        if name not in env:
            raise AssertionError(f"{block.page}:{block.line}: `{command}` uses ${name}, never set")
        return env[name]

    argv = [XERO, *shlex.split(_SHELL_VARIABLE.sub(expand, command))[1:]]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    if done.returncode != 0:
        raise AssertionError(
            f"{block.page}:{block.line}: `{command}` exited {done.returncode}:\n{done.stderr[-2000:]}"
        )


def close_clients(namespace: dict[str, Any]) -> None:
    """Close the SDK clients a page left open (a reader's process would, on exit)."""
    from xero_customer_api._runtime._base_client import SyncAPIClient

    for value in list(namespace.values()):
        if isinstance(value, SyncAPIClient):
            value.close()
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, SyncAPIClient):
                    item.close()
