"""What the resource families' end-to-end tests share: 2.0 clients of a running sandbox
(``v2_client``, ``async_v2_client`` and the ``client``/``aclient`` fixtures), the ``xero``
command run against it (``run_xero``, ``xero_ok``) and a plain line item (``kete_line``).

``client`` and ``aclient`` take the ``sandbox`` fixture of the requesting module: its own
module-scoped ``xero-sandbox serve``, or the session one of ``tests/e2e/conftest.py``."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient, models
from xero_sandbox.process import RunningSandbox

from tests.e2e.test_cli_e2e import xero


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


def kete_line(amount: str, account: str = "200", tax: str | None = None) -> models.LineItem:
    """One line of a kete at ``amount`` (quantity 1) to ``account``."""
    return models.LineItem(
        description="Kete",
        quantity=Decimal(1),
        unit_amount=Decimal(amount),
        account_code=account,
        tax_type=tax,
    )


def run_xero(
    sandbox: RunningSandbox, *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The generated ``xero`` command, run with only the XERO_* lines the sandbox printed."""
    env = {name: value for name, value in sandbox.values.items() if name.startswith("XERO_")}
    return xero(env, *args, input=input)


def xero_ok(sandbox: RunningSandbox, *args: str, input: str | None = None) -> str:
    """What :func:`run_xero` printed, once it exited 0."""
    done = run_xero(sandbox, *args, input=input)
    assert done.returncode == 0, done.stderr
    return done.stdout


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
