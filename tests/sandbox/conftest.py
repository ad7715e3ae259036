"""In-process fixtures: the sandbox's ASGI app behind httpx's ASGI transport (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from lxml import etree
from xero_sandbox.app import SandboxApp
from xero_sandbox.store import Credentials, Store

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "v1.0"


@pytest.fixture
def store() -> Store:
    """A fresh in-memory store."""
    return Store(None)


@pytest.fixture
def credentials(store: Store) -> Credentials:
    """The seeded keys."""
    return store.ensure_seeded()


@pytest_asyncio.fixture
async def http(store: Store, credentials: Credentials) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the app in-process, as a loopback client."""
    transport = httpx.ASGITransport(app=SandboxApp(store), client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://sandbox.test") as client:
        yield client


ConnectV2 = Callable[[SandboxApp], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def connect_v2(credentials: Credentials) -> ConnectV2:
    """``async with connect_v2(app) as http``: a 2.0 client of ``app`` in-process, with a
    client-credentials token and the Demo Company's tenant on every request."""

    @asynccontextmanager
    async def connect(app: SandboxApp) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
        async with httpx.AsyncClient(transport=transport, base_url="https://sandbox.test") as http:
            token = await http.post(
                "/connect/token",
                data={"grant_type": "client_credentials"},
                auth=(credentials.client_id, credentials.client_secret),
            )
            assert token.status_code == 200, token.text
            http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            http.headers["xero-tenant-id"] = credentials.tenant_id
            yield http

    return connect


@pytest.fixture
def keys(credentials: Credentials) -> dict[str, str]:
    """The query parameters carrying both keys."""
    return {"apiKey": credentials.api_key, "xeroKey": credentials.customer_key}


_schemas: dict[str, etree.XMLSchema] = {}


def response_schema(name: str) -> etree.XMLSchema:
    """The response XSD ``schemas/v1.0/responses/<name>_response.xsd``."""
    if name not in _schemas:
        _schemas[name] = etree.XMLSchema(
            etree.parse(str(SCHEMAS / "responses" / f"{name}_response.xsd"))
        )
    return _schemas[name]


@pytest.fixture(scope="session")
def valid_against() -> Callable[[bytes, str], etree._Element]:
    """Parse a response and assert it is valid against a response XSD; return its root."""

    def check(body: bytes, name: str) -> etree._Element:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        schema = response_schema(name)
        assert schema.validate(root), str(schema.error_log)
        return root

    return check
