"""Issue 20 item 3: unusable timeouts are a RequestValidationError before anything is sent
(client and call); a closed client raises a XeroError that says so (before: httpx's and
socket's ValueError, OverflowError, RuntimeError, or a misleading XeroConnectionError)."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import httpx
import pytest
from xero_customer_api import RequestValidationError, XeroError

from .helpers import HEAD, async_client, sync_client, xml

EMPTY = HEAD + b"<Contacts/></Response>"
BAD_TIMEOUTS: list[Any] = [-1, 0, 0.0, math.nan, math.inf, -math.inf, 10**400, "fast", True, [5]]


def answered(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return xml(EMPTY)


sent: list[httpx.Request] = []


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
def test_an_unusable_client_timeout_is_refused_when_the_client_is_built(timeout: Any) -> None:
    with pytest.raises(RequestValidationError, match="`timeout`"):
        sync_client(answered, timeout=timeout)


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
def test_an_unusable_call_timeout_is_refused_before_sending(timeout: Any) -> None:
    sent.clear()
    with sync_client(answered) as client:
        with pytest.raises(RequestValidationError, match="`timeout`"):
            client.contacts.list(timeout=timeout)
        with pytest.raises(RequestValidationError, match="`timeout`"):
            list(client.contacts.iter(timeout=timeout))
        with pytest.raises(RequestValidationError, match="`timeout`"):
            client.with_options(timeout=timeout)
    assert sent == []


def test_an_unusable_httpx_timeout_is_refused() -> None:
    with pytest.raises(RequestValidationError, match="`timeout`"):
        sync_client(answered, timeout=httpx.Timeout(5.0, read=-1.0))


def test_usable_timeouts_still_work() -> None:
    for timeout in (None, 0.5, 30, httpx.Timeout(5.0)):
        with sync_client(answered, timeout=timeout) as client:
            assert client.contacts.list(timeout=timeout) == []


def test_a_closed_client_says_so() -> None:
    with sync_client(answered) as client:
        client.contacts.list()
    with pytest.raises(XeroError, match="closed"):
        client.contacts.list()
    with pytest.raises(XeroError, match="closed"):
        list(client.contacts.iter())


def test_a_closed_async_client_says_so() -> None:
    async def run() -> None:
        async with async_client(answered) as client:
            await client.contacts.list()
        with pytest.raises(XeroError, match="closed"):
            await client.contacts.list()

    asyncio.run(run())
