"""A generated 2.0 client over httpx.MockTransport, for answer-handling tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from xero_customer_api import AsyncXeroClient, XeroClient

TENANT = "a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b"
TOKEN = "reliability-test-token-0123456789"
XML = {"content-type": "text/xml; charset=utf-8"}
HEAD = (
    b"<Response><Id>6c1f0b0e-3f7a-4a55-9e62-1c5d2c3b4a59</Id><Status>OK</Status>"
    b"<ProviderName>Test</ProviderName><DateTimeUTC>2026-07-01T04:13:44</DateTimeUTC>"
)
CONTACT = (
    b"<Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
    b"<Name>Red House Reads</Name></Contact>"
)

Handler = Callable[[httpx.Request], httpx.Response]


def xml(body: bytes, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers={**XML, **headers})


def sync_client(handler: Handler, **extra: Any) -> XeroClient:
    options: dict[str, Any] = {"max_retries": 0, "limiter": False, **extra}
    return XeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        **options,
    )


def async_client(handler: Handler, **extra: Any) -> AsyncXeroClient:
    options: dict[str, Any] = {"max_retries": 0, "limiter": False, **extra}
    return AsyncXeroClient(
        access_token=TOKEN,
        tenant_id=TENANT,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        **options,
    )
