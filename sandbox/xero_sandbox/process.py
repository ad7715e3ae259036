"""Start ``xero-sandbox serve`` as a subprocess and read its ready lines (tests, demos).

```python
from xero_customer_api import XeroClient
from xero_sandbox.process import start_sandbox

with start_sandbox() as sandbox:
    client = XeroClient(client_id=sandbox.client_id, client_secret=sandbox.client_secret,
                        tenant_id=sandbox.tenant_id, token_url=sandbox.token_url,
                        base_url=sandbox.v2_base_url,
                        http_client=httpx.Client(verify=sandbox.verify()))
```

(``sandbox.base_url`` with ``api_key``/``customer_key`` is API 1.0's.)
"""

from __future__ import annotations

import os
import queue
import shlex
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_REQUIRED = (
    "XERO_BASE_URL",
    "XERO_V1_BASE_URL",
    "XERO_API_KEY",
    "XERO_CUSTOMER_KEY",
    "XERO_CLIENT_ID",
    "XERO_CLIENT_SECRET",
    "XERO_TENANT_ID",
    "XERO_TOKEN_URL",
    "XERO_AUTHORIZE_URL",
)
#: The start of the ready line carrying the partner console's URL (``server.ready_lines``).
CONSOLE_PREFIX = "# Partner console: "


def parse_ready_line(line: str) -> tuple[str, str] | None:
    """``export NAME=value`` (shell-quoted) -> (NAME, value); the console comment ->
    ("console_url", URL); any other line -> None."""
    text = line.strip()
    if text.startswith(CONSOLE_PREFIX):
        return "console_url", text[len(CONSOLE_PREFIX) :]
    if not text.startswith("export "):
        return None
    words = shlex.split(text)
    if len(words) != 2:
        return None
    name, sep, value = words[1].partition("=")
    return (name, value) if sep else None


def sandbox_command() -> list[str]:
    """The ``xero-sandbox`` script beside this interpreter, else ``python -m xero_sandbox``."""
    script = Path(sys.executable).parent / "xero-sandbox"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "xero_sandbox"]


@dataclass
class RunningSandbox:
    """A sandbox server process and the values it printed."""

    process: subprocess.Popen[str]
    values: dict[str, str]
    stderr_lines: list[str] = field(default_factory=list)
    stdout_lines: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """API 1.0's base URL, ``https://127.0.0.1:PORT/api.xro/1.0/``."""
        return self.values["XERO_V1_BASE_URL"]

    @property
    def v2_base_url(self) -> str:
        """API 2.0's base URL (``XERO_BASE_URL``), ``https://127.0.0.1:PORT/api.xro/2.0/``."""
        return self.values["XERO_BASE_URL"]

    @property
    def root_url(self) -> str:
        """``https://127.0.0.1:PORT`` (for /console, /_sandbox and the identity server)."""
        return self.base_url.split("/api.xro/", 1)[0]

    @property
    def client_id(self) -> str:
        """The demo app's OAuth 2.0 client id."""
        return self.values["XERO_CLIENT_ID"]

    @property
    def client_secret(self) -> str:
        """The demo app's client secret."""
        return self.values["XERO_CLIENT_SECRET"]

    @property
    def tenant_id(self) -> str:
        """The tenant id of the demo app's custom connection (the Demo Company)."""
        return self.values["XERO_TENANT_ID"]

    @property
    def token_url(self) -> str:
        """The identity server's token endpoint."""
        return self.values["XERO_TOKEN_URL"]

    @property
    def authorize_url(self) -> str:
        """The identity server's authorization page."""
        return self.values["XERO_AUTHORIZE_URL"]

    @property
    def api_key(self) -> str:
        """The partner key (apiKey)."""
        return self.values["XERO_API_KEY"]

    @property
    def customer_key(self) -> str:
        """The Demo Company's customer key (xeroKey)."""
        return self.values["XERO_CUSTOMER_KEY"]

    @property
    def console_url(self) -> str:
        """The partner console URL the sandbox printed (``.../console?apiKey=...``)."""
        return self.values["console_url"]

    @property
    def ca_bundle(self) -> str | None:
        """Path of the CA bundle to trust (None with --http)."""
        return self.values.get("XERO_CA_BUNDLE")

    def verify(self) -> ssl.SSLContext | bool:
        """What to pass as httpx's ``verify=``: a context trusting the sandbox CA (True with --http)."""
        if self.ca_bundle is None:
            return True
        return ssl.create_default_context(cafile=self.ca_bundle)

    @property
    def stderr(self) -> str:
        """What the server wrote to stderr so far."""
        return "".join(self.stderr_lines)

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM, then wait (SIGKILL after *timeout*); returns the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        for reader in self.readers:
            reader.join(timeout)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        return self.process.returncode


def _drain(stream: IO[str], sink: list[str] | queue.Queue[str | None]) -> None:
    for line in stream:
        if isinstance(sink, list):
            sink.append(line)
        else:
            sink.put(line)
    if isinstance(sink, queue.Queue):
        sink.put(None)


def launch(
    args: Sequence[str] = (),
    *,
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
    command: Sequence[str] | None = None,
    cwd: str | Path | None = None,
) -> RunningSandbox:
    """Run ``xero-sandbox serve --port 0 ARGS`` (or ``COMMAND serve ...``) and wait for its
    ready lines."""
    full = [*(command or sandbox_command()), "serve", "--port", "0", *args]
    process = subprocess.Popen(
        full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None and process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    sandbox = RunningSandbox(process, {})
    sandbox.readers = [
        threading.Thread(target=_drain, args=(process.stdout, lines), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, sandbox.stderr_lines), daemon=True),
    ]
    for reader in sandbox.readers:
        reader.start()
    wanted = {*_REQUIRED, "console_url"} | (set() if "--http" in args else {"XERO_CA_BUNDLE"})
    while not wanted <= sandbox.values.keys():
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            line = None
        if line is None:
            sandbox.stop()
            raise RuntimeError(f"xero-sandbox did not become ready: {sandbox.stderr[-2000:]}")
        sandbox.stdout_lines.append(line)
        parsed = parse_ready_line(line)
        if parsed is not None:
            sandbox.values[parsed[0]] = parsed[1]
    return sandbox


@contextmanager
def start_sandbox(args: Sequence[str] = (), *, timeout: float = 60.0) -> Iterator[RunningSandbox]:
    """A running sandbox for the duration of a ``with`` block."""
    sandbox = launch(args, timeout=timeout)
    try:
        yield sandbox
    finally:
        sandbox.stop()
