"""Issue 20 item 9: the total timeout covers connect, status line, headers and body of every
attempt, token calls included, sync and async.

A raw loopback server sends its answer one byte every 0.1 s, starting with the status line:
no single read ever waits long enough to time out, so before the fix a call with
``timeout=1`` was held for the whole answer (httpcore accepts 100 KiB of headers), and a token
call ignored the client's timeout altogether.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from xero_customer_api import AsyncXeroClient, XeroClient, XeroTimeoutError
from xero_customer_api._runtime._oauth import exchange_code

from .rawserver import RawServer, http_answer

TENANT = "a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b"
TOKEN = "trickle-test-token-0123456789"
# ~200 header bytes before the body: 20 s at 0.1 s a byte
HEADERS = {f"X-Padding-{i}": "a" * 10 for i in range(8)} | {"Content-Type": "text/xml"}
BODY = b"<Response><Status>OK</Status><Contacts/></Response>"


@pytest.fixture
def trickler() -> Iterator[RawServer]:
    server = RawServer(lambda head: http_answer(200, HEADERS, BODY), trickle=0.1)
    yield server
    server.close()


def api(server: RawServer) -> str:
    return server.url + "/api.xro/2.0/"


def test_a_trickled_status_line_and_headers_end_at_the_total_timeout(trickler: RawServer) -> None:
    with XeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        base_url=api(trickler),
        timeout=1,
        max_retries=0,
        limiter=False,
    ) as client:
        started = time.monotonic()
        with pytest.raises(XeroTimeoutError):
            client.contacts.list()
        assert time.monotonic() - started < 2.0


def test_the_per_call_timeout_bounds_every_attempt(trickler: RawServer) -> None:
    with XeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        base_url=api(trickler),
        max_retries=1,
        limiter=False,
    ) as client:
        started = time.monotonic()
        with pytest.raises(XeroTimeoutError):
            client.contacts.list(timeout=0.5)
        # two attempts of 0.5 s and one backoff (at most 0.5 s)
        assert time.monotonic() - started < 2.5
    assert len(trickler.requests) == 2


def test_iter_ends_at_the_total_timeout(trickler: RawServer) -> None:
    with XeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        base_url=api(trickler),
        timeout=1,
        max_retries=0,
        limiter=False,
    ) as client:
        started = time.monotonic()
        with pytest.raises(XeroTimeoutError):
            list(client.contacts.iter())
        assert time.monotonic() - started < 2.0


def test_async_calls_end_at_the_total_timeout(trickler: RawServer) -> None:
    async def run() -> None:
        async with AsyncXeroClient(
            access_token=TOKEN,
            tenant_id=TENANT,
            base_url=api(trickler),
            timeout=1,
            max_retries=0,
            limiter=False,
        ) as client:
            with pytest.raises(XeroTimeoutError):
                await client.contacts.list()
            with pytest.raises(XeroTimeoutError):
                async for _ in client.contacts.iter():
                    pass

    started = time.monotonic()
    asyncio.run(run())
    assert time.monotonic() - started < 4.0


def test_a_trickled_token_call_ends_at_the_clients_timeout(trickler: RawServer) -> None:
    with XeroClient(
        client_id="CLIENTID0123456789ABCDEF",
        client_secret="s3cr3t-CLIENT-SECRET-value-xyz",
        token_url=trickler.url + "/connect/token",
        tenant_id=TENANT,
        base_url=api(trickler),
        timeout=1,
        max_retries=0,
        limiter=False,
    ) as client:
        started = time.monotonic()
        with pytest.raises(XeroTimeoutError):
            client.contacts.list()
        assert time.monotonic() - started < 2.0
    assert [r.split(b" ")[1] for r in trickler.requests] == [b"/connect/token"]


def test_async_token_call_ends_at_the_clients_timeout(trickler: RawServer) -> None:
    async def run() -> None:
        async with AsyncXeroClient(
            client_id="CLIENTID0123456789ABCDEF",
            client_secret="s3cr3t-CLIENT-SECRET-value-xyz",
            token_url=trickler.url + "/connect/token",
            tenant_id=TENANT,
            base_url=api(trickler),
            timeout=1,
            max_retries=0,
            limiter=False,
        ) as client:
            await client.contacts.list()

    started = time.monotonic()
    with pytest.raises(XeroTimeoutError):
        asyncio.run(run())
    assert time.monotonic() - started < 2.0


def test_exchange_code_has_a_total_timeout(trickler: RawServer) -> None:
    started = time.monotonic()
    with pytest.raises(XeroTimeoutError):
        exchange_code(
            client_id="CLIENTID0123456789ABCDEF",
            redirect_uri="http://localhost/callback",
            code_verifier="v" * 64,
            code="the-code-0123456789",
            token_url=trickler.url + "/connect/token",
            timeout=1,
        )
    assert time.monotonic() - started < 2.0
