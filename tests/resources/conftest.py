"""Shared 2.0 clients of a running sandbox for the resource families' end-to-end tests.

``client`` and ``aclient`` take the ``sandbox`` fixture of the requesting module: its own
module-scoped ``xero-sandbox serve``, or the session one of ``tests/e2e/conftest.py``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
import pytest_asyncio
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient
from xero_sandbox.process import RunningSandbox


def v2_options(sandbox: RunningSandbox, **overrides: Any) -> dict[str, Any]:
    """The options of a 2.0 client of the sandbox's demo app (client credentials, the Demo
    Company), with ``overrides`` (another organisation's keys, limits ...)."""
    return {
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
        "tenant_id": sandbox.tenant_id,
        "token_url": sandbox.token_url,
        "base_url": sandbox.v2_base_url,
        **overrides,
    }


@contextmanager
def v2_client(sandbox: RunningSandbox, **overrides: Any) -> Iterator[XeroClient]:
    """A sync 2.0 client of the sandbox over HTTPS (its CA trusted), closed on exit."""
    with (
        httpx.Client(verify=sandbox.verify()) as http,
        XeroClient(**v2_options(sandbox, **overrides), http_client=http) as made,
    ):
        yield made


@asynccontextmanager
async def async_v2_client(
    sandbox: RunningSandbox, **overrides: Any
) -> AsyncIterator[AsyncXeroClient]:
    """The async twin of :func:`v2_client`."""
    async with (
        httpx.AsyncClient(verify=sandbox.verify()) as http,
        AsyncXeroClient(**v2_options(sandbox, **overrides), http_client=http) as made,
    ):
        yield made


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[XeroClient]:
    """A sync 2.0 client of the Demo Company in the module's sandbox."""
    with v2_client(sandbox) as made:
        yield made


@pytest_asyncio.fixture
async def aclient(sandbox: RunningSandbox) -> AsyncIterator[AsyncXeroClient]:
    """An async 2.0 client of the Demo Company in the module's sandbox."""
    async with async_v2_client(sandbox) as made:
        yield made
