"""The total timeout: a server that trickles bytes cannot hold a call open.

Not under tests/runtime, whose fixtures stub time.sleep. A real loopback server sends the headers at once, then one byte of body every 50 ms, so no
single read ever times out; only the total budget of the attempt can stop the call.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from xero_customer_api import XeroTimeoutError
from xero_customer_api._runtime._base_client import httpx_timeout, total_timeout
from xero_customer_api.v1_0 import XeroClient

BODY = b"<Response><ID>1</ID><Status>OK</Status><ProviderName>P</ProviderName>" + b" " * 400


class TricklingServer:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by close()
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data.split(b"\r\n", 1)[0])
            head = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
                b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n"
            )
            try:
                conn.sendall(head)
                for byte in BODY:  # bounded: ~20 s at most, ends early when the client leaves
                    if self.stop.is_set():
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(0.05)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def trickle() -> Iterator[TricklingServer]:
    server = TricklingServer()
    yield server
    server.close()


def test_numbers_set_a_total_budget_and_cap_connect() -> None:
    assert total_timeout(5) == 5.0
    assert total_timeout(None) is None
    assert total_timeout(httpx.Timeout(3.0)) is None
    limits = httpx_timeout(60)
    assert limits.connect == 10.0 and limits.read == 60.0
    assert httpx_timeout(2).connect == 2.0


def test_get_stops_at_the_total_timeout_and_retries_within_budget(trickle: TricklingServer) -> None:
    client = XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url=f"http://127.0.0.1:{trickle.port}/api.xro/1.0/",
        timeout=0.6,
        max_retries=1,
    )
    with pytest.raises(XeroTimeoutError, match="total timeout"):
        client.accounts.list()
    client.close()
    assert len(trickle.requests) == 2  # a GET may be retried once


def test_write_meeting_the_total_timeout_is_sent_once(trickle: TricklingServer) -> None:
    from xero_customer_api.v1_0 import models

    client = XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url=f"http://127.0.0.1:{trickle.port}/api.xro/1.0/",
        timeout=0.6,
        max_retries=3,
    )
    contact = models.Contact(name="Tui Bakery")
    with pytest.raises(XeroTimeoutError):
        client.contacts.create(contact)
    client.close()
    assert trickle.requests == [
        b"PUT /api.xro/1.0/contact?apiKey=" + b"K" * 30 + b"&xeroKey=" + b"C" * 30 + b" HTTP/1.1"
    ]


def test_iter_stops_at_the_total_timeout(trickle: TricklingServer) -> None:
    client = XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url=f"http://127.0.0.1:{trickle.port}/api.xro/1.0/",
        timeout=0.6,
        max_retries=3,
    )
    with pytest.raises(XeroTimeoutError, match="total timeout"):
        for _ in client.contacts.iter():
            pass
    client.close()
    assert len(trickle.requests) == 1  # a stream is never retried


@pytest.mark.asyncio
async def test_async_iter_stops_at_the_total_timeout(trickle: TricklingServer) -> None:
    from xero_customer_api.v1_0 import AsyncXeroClient

    async with AsyncXeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url=f"http://127.0.0.1:{trickle.port}/api.xro/1.0/",
        timeout=0.6,
    ) as client:
        with pytest.raises(XeroTimeoutError, match="total timeout"):
            async for _ in client.invoices.iter():
                pass
    assert len(trickle.requests) == 1
