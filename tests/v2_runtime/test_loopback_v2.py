"""The 2.0 strategies over real sockets: a threaded HTTP server on 127.0.0.1 plays Xero's
identity service and API (token grant, 401 TokenExpired, a connection reset mid-answer), with
httpx/httpcore logging at the most verbose level."""

from __future__ import annotations

import io
import json
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from xero_customer_api import AsyncXeroClient, XeroClient
from xero_customer_api.v2_0 import models

from .helpers import CLIENT_ID, CLIENT_SECRET, ENVELOPE, TENANT

TOKENS = ["LOOPBACK-ACCESS-one-123456", "LOOPBACK-ACCESS-two-123456"]
SECRETS = (CLIENT_SECRET, *TOKENS)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeXero:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    grants: int = 0
    resets: int = 1  # the first PUT is cut off mid-answer


@contextmanager
def fake_xero() -> Iterator[FakeXero]:
    state = FakeXero()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                state.seen.append(
                    Seen(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
            if self.path == "/connect/token":
                form = dict(parse_qsl(body.decode()))
                assert form["grant_type"] == "client_credentials"
                with lock:
                    token = TOKENS[min(state.grants, len(TOKENS) - 1)]
                    state.grants += 1
                payload = {"access_token": token, "expires_in": 1800, "token_type": "Bearer"}
                self._send(200, "application/json", json.dumps(payload).encode())
                return
            if self.headers.get("authorization") == f"Bearer {TOKENS[0]}":
                problem = {
                    "Title": "Unauthorized",
                    "Status": 401,
                    "Detail": "TokenExpired: token expired",
                }
                self._send(401, "application/json", json.dumps(problem).encode())
                return
            if self.command == "PUT" and state.resets:
                with lock:
                    state.resets -= 1
                self.send_response(200)
                self.send_header("content-type", "text/xml")
                self.send_header("content-length", "4000")
                self.end_headers()
                self.wfile.write(ENVELOPE[:40])
                self.wfile.flush()
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.connection.close()
                self.close_connection = True
                return
            self._send(200, "text/xml; charset=utf-8", ENVELOPE)

        do_GET = do_PUT = do_POST = _handle

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(1)
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(1)
    named = [logging.getLogger(n) for n in ("httpx", "httpcore", "xero_customer_api")]
    levels = [n.level for n in named]
    for n in named:
        n.setLevel(1)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
        for n, level in zip(named, levels, strict=True):
            n.setLevel(level)


def test_token_refresh_and_keyed_retry_over_real_sockets(logs: io.StringIO) -> None:
    with fake_xero() as xero:
        client = XeroClient(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            tenant_id=TENANT,
            base_url=f"{xero.url}/api.xro/2.0/",
            token_url=f"{xero.url}/connect/token",
        )
        with client:
            assert [c.name for c in client.contacts.list()] == ["Red House Reads"]
            created = client.contacts.create(models.Contact(name="Red House Reads"))
        assert created.name == "Red House Reads"
    api = [s for s in xero.seen if s.path != "/connect/token"]
    # GET: 401 with the first token -> one refresh -> GET again; PUT: reset -> PUT again
    assert [(s.method, s.headers["authorization"]) for s in api] == [
        ("GET", f"Bearer {TOKENS[0]}"),
        ("GET", f"Bearer {TOKENS[1]}"),
        ("PUT", f"Bearer {TOKENS[1]}"),
        ("PUT", f"Bearer {TOKENS[1]}"),
    ]
    assert xero.grants == 2
    assert api[2].headers["idempotency-key"] == api[3].headers["idempotency-key"]
    assert all(s.headers["xero-tenant-id"] == TENANT for s in api)
    assert api[2].headers["content-type"] == "application/xml"
    text = logs.getvalue()
    assert "HTTP Request" in text and "send_request_headers" in text  # httpx and httpcore logged
    assert [s for s in SECRETS if s in text] == []


@pytest.mark.asyncio
async def test_async_over_real_sockets(logs: io.StringIO) -> None:
    with fake_xero() as xero:
        client = AsyncXeroClient(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            tenant_id=TENANT,
            base_url=f"{xero.url}/api.xro/2.0/",
            token_url=f"{xero.url}/connect/token",
        )
        async with client:
            names = [c.name async for c in client.contacts.iter(page_size=100)]
            await client.contacts.create(models.Contact(name="Red House Reads"))
    assert names == ["Red House Reads"]
    puts = [s for s in xero.seen if s.method == "PUT"]
    assert (
        len(puts) == 2 and puts[0].headers["idempotency-key"] == puts[1].headers["idempotency-key"]
    )
    assert [s for s in SECRETS if s in logs.getvalue()] == []
