"""Streaming lists against the real sandbox: ``contacts.iter()`` and ``invoices.iter()``.

A fresh organisation (module scope) holds a known set of contacts and invoices, so the
streams can be compared with ``list()`` and with what was saved. Mid-stream failures are
injected with the sandbox's fault API (``truncate``: a complete HTTP answer whose XML is cut
in half; ``reset``: half the body, then a TCP reset): the stream must raise the SDK's error
after handing out fewer items than there are, never end quietly as if the list were shorter.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from xero_customer_api import XeroConnectionError, XeroError, XeroResponseError
from xero_customer_api.v1_0 import AsyncXeroClient, XeroClient, models
from xero_sandbox.process import RunningSandbox

pytestmark = pytest.mark.e2e

N_CONTACTS = 80
N_INVOICES = 30
InvoiceFactory = Callable[..., models.Invoice]


@dataclass(frozen=True)
class Org:
    """A fresh organisation of the session sandbox and what was saved in it."""

    customer_key: str
    contact_names: frozenset[str]
    invoice_numbers: frozenset[str]


@pytest.fixture(scope="module")
def org(
    sandbox: RunningSandbox,
    sandbox_db: Path,
    cli: Callable[..., str],
    add_org: Callable[[str], tuple[str, str]],
    new_invoice: InvoiceFactory,
) -> Org:
    tag = uuid.uuid4().hex[:8]
    key, _tenant = add_org(f"Streaming Org {tag}")
    names = [f"Stream Contact {i:03d} {tag}" for i in range(N_CONTACTS)]
    numbers = [f"STR-{tag}-{i:03d}" for i in range(N_INVOICES)]
    with (
        httpx.Client(verify=sandbox.verify()) as http,
        XeroClient(
            api_key=sandbox.api_key,
            customer_key=key,
            base_url=sandbox.base_url,
            http_client=http,
        ) as client,
    ):
        client.contacts.save_many(
            [
                models.Contact(
                    name=name,
                    contact_number=f"S-{i:03d}",
                    email_address=f"stream{i}@example.com",
                    phones=[
                        models.Phone(phone_type=models.PhoneType.DEFAULT, phone_number=f"{i:07d}")
                    ],
                )
                for i, name in enumerate(names)
            ]
        )
        client.invoices.create_many(
            [new_invoice(number, names[i % N_CONTACTS]) for i, number in enumerate(numbers)]
        )
    return Org(key, frozenset(names), frozenset(numbers))


@pytest.fixture
def client(sandbox: RunningSandbox, org: Org) -> Iterator[XeroClient]:
    with (
        httpx.Client(verify=sandbox.verify()) as http,
        XeroClient(
            api_key=sandbox.api_key,
            customer_key=org.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        ) as client,
    ):
        yield client


@pytest_asyncio.fixture
async def aclient(sandbox: RunningSandbox, org: Org) -> AsyncIterator[AsyncXeroClient]:
    async with (
        httpx.AsyncClient(verify=sandbox.verify()) as http,
        AsyncXeroClient(
            api_key=sandbox.api_key,
            customer_key=org.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        ) as client,
    ):
        yield client


@pytest.fixture
def fault(raw: httpx.Client) -> Iterator[Callable[..., None]]:
    """``fault("contacts", "truncate")``: the next ``GET contacts`` answer fails that way."""

    def schedule(path: str, kind: str) -> None:
        response = raw.post(
            "/_sandbox/faults", json={"path": path, "method": "GET", "kind": kind, "count": 1}
        )
        assert response.status_code == 201, response.text

    yield schedule
    raw.delete("/_sandbox/faults").raise_for_status()


# ---------------------------------------------------------------------- complete streams


def test_contacts_iter_yields_every_contact_like_list(client: XeroClient, org: Org) -> None:
    stream = client.contacts.iter()
    assert isinstance(stream, Iterator)
    streamed = list(stream)
    assert all(isinstance(c, models.Contact) for c in streamed)
    assert {c.name for c in streamed} == org.contact_names
    assert streamed == client.contacts.list()  # same objects, same order
    one = next(c for c in streamed if c.contact_number == "S-007")
    assert one.email_address == "stream7@example.com"
    assert [p.phone_number for p in one.phones if p.phone_type == models.PhoneType.DEFAULT] == [
        "0000007"
    ]


def test_contacts_iter_passes_the_query(client: XeroClient, org: Org) -> None:
    ascending = [c.name for c in client.contacts.iter(sort_by="name", direction="asc")]
    descending = [c.name for c in client.contacts.iter(sort_by="name", direction="desc")]
    assert set(ascending) == org.contact_names
    assert ascending == sorted(ascending) and descending == list(reversed(ascending))


def test_invoices_iter_yields_every_invoice_like_list(client: XeroClient, org: Org) -> None:
    streamed = list(client.invoices.iter())
    assert all(isinstance(i, models.Invoice) for i in streamed)
    assert {i.invoice_number for i in streamed} == org.invoice_numbers
    assert streamed == client.invoices.list()
    assert all(i.total is not None and i.total > 0 for i in streamed)


@pytest.mark.asyncio
async def test_async_contacts_iter_yields_every_contact_like_list(
    aclient: AsyncXeroClient, org: Org
) -> None:
    stream = aclient.contacts.iter()
    assert isinstance(stream, AsyncIterator)
    streamed = [c async for c in stream]
    assert {c.name for c in streamed} == org.contact_names
    assert streamed == await aclient.contacts.list()


@pytest.mark.asyncio
async def test_async_invoices_iter_yields_every_invoice_like_list(
    aclient: AsyncXeroClient, org: Org
) -> None:
    streamed = [i async for i in aclient.invoices.iter()]
    assert {i.invoice_number for i in streamed} == org.invoice_numbers
    assert streamed == await aclient.invoices.list()


# ---------------------------------------------------------------------- mid-stream failures

# kind -> the SDK error it must become. A truncated document is unreadable XML; a reset is a
# dropped connection. Either way the stream raises; it never just ends.
FAULTS = {"truncate": XeroResponseError, "reset": XeroConnectionError}
RESOURCES = {"contacts": N_CONTACTS, "invoices": N_INVOICES}


def _check_failure(kind: str, got: list[Any], total: int, error: XeroError) -> None:
    assert isinstance(error, FAULTS[kind])
    assert len(got) < total  # the caller knows the list is incomplete: it got an exception
    if kind == "truncate":
        # The first half of the document arrived whole: items were handed out before the error.
        assert len(got) > 0
    assert "apiKey=" not in str(error) and "xeroKey=" not in str(error)


@pytest.mark.parametrize("kind", sorted(FAULTS))
@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_mid_stream_failure_raises(
    client: XeroClient, fault: Callable[..., None], resource: str, kind: str
) -> None:
    fault(resource, kind)
    got: list[Any] = []
    with pytest.raises(XeroError) as info:
        for item in getattr(client, resource).iter():
            got.append(item)
    _check_failure(kind, got, RESOURCES[resource], info.value)
    # The fault was consumed; the next stream is complete again.
    assert len(list(getattr(client, resource).iter())) == RESOURCES[resource]


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", sorted(FAULTS))
@pytest.mark.parametrize("resource", sorted(RESOURCES))
async def test_async_mid_stream_failure_raises(
    aclient: AsyncXeroClient, fault: Callable[..., None], resource: str, kind: str
) -> None:
    fault(resource, kind)
    got: list[Any] = []
    with pytest.raises(XeroError) as info:
        async for item in getattr(aclient, resource).iter():
            got.append(item)
    _check_failure(kind, got, RESOURCES[resource], info.value)
    assert len([i async for i in getattr(aclient, resource).iter()]) == RESOURCES[resource]
