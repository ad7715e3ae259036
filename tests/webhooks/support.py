"""Helpers of the webhooks tests: an independent signer, a recording receiver over real
HTTP, the sandbox's admin endpoints, the guide's code blocks."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from xero_customer_api import XeroClient
from xero_sandbox.process import RunningSandbox

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "webhooks.md"


def xero_signature(body: bytes, key: str) -> str:
    """Base64(HMAC-SHA256(key, body)), computed here, not by the code under test."""
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Received:
    """One request the receiver got, and what it answered."""

    body: bytes
    headers: dict[str, str]
    status: int

    @property
    def document(self) -> dict[str, Any]:
        return dict(json.loads(self.body))

    @property
    def events(self) -> list[dict[str, Any]]:
        return list(self.document["events"])


@dataclass
class Receiver:
    """A webhook receiver over real HTTP whose answers the test decides.

    ``answer(body, headers) -> (status, body)``; by default it verifies the signature with
    ``key`` (independently of the SDK) and answers 200 or 401, failing the first
    ``fail_first`` deliveries that have events with 500.
    """

    key: str = ""
    fail_first: int = 0
    answer: Callable[[bytes, dict[str, str]], tuple[int, bytes]] | None = None
    requests: list[Received] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def decide(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.answer is not None:
            return self.answer(body, headers)
        good = hmac.compare_digest(
            headers.get("x-xero-signature", ""), xero_signature(body, self.key)
        )
        if not good:
            return 401, b""
        if json.loads(body)["events"] and self.fail_first > 0:
            self.fail_first -= 1
            return 500, b""
        return 200, b""

    @property
    def deliveries(self) -> list[Received]:
        """Requests with events that were answered 200."""
        with self.lock:
            return [r for r in self.requests if r.status == 200 and r.events]

    def events(self) -> list[dict[str, Any]]:
        return [e for r in self.deliveries for e in r.events]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; received: {self.requests}")
            time.sleep(0.02)


@contextmanager
def serving(receiver: Receiver, path: str = "/hooks") -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with receiver.lock:
                status, answer = receiver.decide(body, headers)
                receiver.requests.append(Received(body, headers, status))
            with contextlib.suppress(OSError):  # the sender may have given up (timeouts)
                self.send_response(status)
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def root(sb: RunningSandbox) -> str:
    return sb.base_url.split("/api.xro/")[0]


def admin(
    sb: RunningSandbox,
    method: str,
    path: str = "",
    body: Any = None,
    auth: tuple[str, str] | None = None,
) -> httpx.Response:
    """A call to the sandbox's ``/_sandbox/webhooks`` endpoints as the demo app."""
    with httpx.Client(verify=sb.verify(), timeout=30) as http:
        return http.request(
            method,
            root(sb) + "/_sandbox/webhooks" + path,
            json=body,
            auth=auth or (sb.client_id, sb.client_secret),
        )


def subscribe(sb: RunningSandbox, receiver: Receiver, **extra: Any) -> dict[str, Any]:
    """Add a webhook for *receiver* (no check), give it the key, then pass the check."""
    answer = admin(sb, "POST", "", {"url": receiver.url, **extra})
    assert answer.status_code == 201, answer.text
    hook = dict(answer.json())
    receiver.key = hook["key"]
    enabled = admin(sb, "POST", f"/{hook['subscription_id']}/enable")
    assert enabled.status_code == 200, enabled.text
    assert enabled.json()["status"] == "ACTIVE"
    return hook


def hooks(sb: RunningSandbox) -> dict[str, dict[str, Any]]:
    """The demo app's webhooks by id, with their deliveries."""
    answer = admin(sb, "GET")
    assert answer.status_code == 200, answer.text
    return {h["subscription_id"]: h for h in answer.json()["webhooks"]}


@contextmanager
def client(sb: RunningSandbox, **options: Any) -> Iterator[XeroClient]:
    """An SDK client of the demo app's custom connection (its HTTP client closed after)."""
    with httpx.Client(verify=sb.verify()) as http:
        sdk = XeroClient(
            client_id=options.pop("client_id", sb.client_id),
            client_secret=options.pop("client_secret", sb.client_secret),
            tenant_id=options.pop("tenant_id", sb.tenant_id),
            token_url=sb.token_url,
            base_url=sb.v2_base_url,
            http_client=http,
            **options,
        )
        with sdk:
            yield sdk


def guide_blocks() -> dict[str, tuple[str, str]]:
    """The guide's fenced code blocks (not ``text``) by their first line, a comment naming
    them: ``{"Flask": ("python", code)}``."""
    found: dict[str, tuple[str, str]] = {}
    for lang, code in re.findall(r"```(\w+)\n(.*?)```", GUIDE.read_text(), re.S):
        if lang == "text":
            continue
        first = code.splitlines()[0]
        assert first.startswith("# "), f"a guide block must start with a naming comment: {first}"
        name = first[2:].strip()
        assert name not in found, name
        found[name] = (lang, code)
    return found
