"""The 2.0 API in-process (httpx's ASGI transport): the request pipeline's answers, hostile
where strings, paging bounds, limits headers and the console's redaction of 2.0 traffic."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from xero_sandbox.app import SandboxApp
from xero_sandbox.store import Credentials, Store

from tests.sandbox.conftest import ConnectV2


@pytest_asyncio.fixture
async def api(store: Store, connect_v2: ConnectV2) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with a client-credentials token and the Demo Company's tenant."""
    async with connect_v2(SandboxApp(store, time_scale=60)) as http:
        yield http


@pytest_asyncio.fixture
async def slow_api(store: Store, connect_v2: ConnectV2) -> AsyncIterator[httpx.AsyncClient]:
    """The same, every admitted 2.0 call taking 0.3 s (``--latency 0.3``)."""
    async with connect_v2(SandboxApp(store, time_scale=60, latency=0.3)) as http:
        yield http


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "where",
    [
        "(" * 2_000 + 'Name=="x"' + ")" * 2_000,
        'Name=="' + "x" * 12_000 + '"',
        "Name==" + "9" * 12_000,
        'Name=="a" AND ' * 500 + 'Name=="b"',
        "Name==\x00",
        "Name == '\u2028'",
    ],
)
async def test_hostile_where_is_a_400_api_exception(api: httpx.AsyncClient, where: str) -> None:
    answer = await api.get("/api.xro/2.0/Contacts", params={"where": where})
    assert answer.status_code == 400
    assert b"<Type>QueryParseException</Type>" in answer.content


@pytest.mark.asyncio
async def test_a_request_line_and_headers_over_16_kib_are_refused(api: httpx.AsyncClient) -> None:
    where = 'Name=="' + "x" * 17_000 + '"'
    assert (await api.get("/api.xro/2.0/Contacts", params={"where": where})).status_code == 431
    big = await api.get("/api.xro/2.0/Contacts", headers={"X-Padding": "p" * 20 * 1024})
    assert big.status_code == 431 and big.headers["connection"] == "close"
    fits = await api.get("/api.xro/2.0/Contacts", headers={"X-Padding": "p" * 15 * 1024})
    assert fits.status_code == 200


@pytest.mark.asyncio
async def test_an_injection_attempt_is_only_a_string_literal(api: httpx.AsyncClient) -> None:
    await api.put("/api.xro/2.0/Contacts", content=b"<Contact><Name>Plain</Name></Contact>")
    answer = await api.get("/api.xro/2.0/Contacts", params={"where": 'Name=="x"" OR 1==1 --"'})
    assert answer.status_code == 200 and b"<Contact>" not in answer.content
    every = await api.get("/api.xro/2.0/Contacts", params={"where": 'Name!="x"" OR 1==1 --"'})
    assert b"<Name>Plain</Name>" in every.content


@pytest.mark.asyncio
async def test_pipeline_answers(api: httpx.AsyncClient, credentials: Credentials) -> None:
    ok = await api.get("/api.xro/2.0/Contacts")
    assert ok.status_code == 200 and ok.headers["x-minlimit-remaining"] == "59"
    assert ok.content.startswith(b"<?xml") and b"<Id>" in ok.content
    assert (
        await api.get("/api.xro/2.0/Contacts", params={"pageSize": "1001", "page": "1"})
    ).status_code == 400
    assert (await api.get("/api.xro/2.0/Contacts", params={"page": "0"})).status_code == 400
    assert (await api.get("/api.xro/2.0/Nothing")).status_code == 404
    assert (await api.delete("/api.xro/2.0/Contacts")).status_code == 404
    bad_guid = await api.get("/api.xro/2.0/Invoices", params={"IDs": "not-a-guid"})
    assert bad_guid.status_code == 400 and b"PostDataInvalidException" in bad_guid.content
    no_tenant = await api.get("/api.xro/2.0/Contacts", headers={"xero-tenant-id": ""})
    assert (
        no_tenant.status_code == 403 and no_tenant.json()["Detail"] == "AuthenticationUnsuccessful"
    )
    other = await api.get(
        "/api.xro/2.0/Contacts", headers={"xero-tenant-id": "00000000-0000-0000-0000-000000000001"}
    )
    assert other.status_code == 403
    doctype = await api.put(
        "/api.xro/2.0/Contacts",
        content=b'<!DOCTYPE x [<!ENTITY e "x">]><Contact><Name>&e;</Name></Contact>',
    )
    assert doctype.status_code == 400 and b"PostDataInvalidException" in doctype.content
    unknown = await api.put("/api.xro/2.0/Contacts", content=b"<Contact><Nom>x</Nom></Contact>")
    assert unknown.status_code == 400 and b"PostDataInvalidException" in unknown.content


@pytest.mark.asyncio
async def test_console_shows_2_0_traffic_with_tokens_redacted(
    api: httpx.AsyncClient, credentials: Credentials
) -> None:
    await api.put("/api.xro/2.0/Contacts", content=b"<Contact><Name>Console Co</Name></Contact>")
    token = str(api.headers["Authorization"]).split(" ", 1)[1]
    page = await api.get("/console", params={"apiKey": credentials.api_key})
    assert page.status_code == 200
    assert "/api.xro/2.0/Contacts" in page.text and "Console Co" in page.text
    assert "authorization: Bearer REDACTED" in page.text
    assert token not in page.text and credentials.client_secret not in page.text
    assert "client_secret" not in page.text or "client_secret=REDACTED" in page.text


INVOICE = (
    b"<Invoice><Type>ACCREC</Type><Contact><Name>Four Places</Name></Contact><LineItems>"
    b"<LineItem><Description>Bolt</Description><Quantity>3</Quantity>"
    b"<UnitAmount>0.1234</UnitAmount><AccountCode>200</AccountCode></LineItem>"
    b"</LineItems></Invoice>"
)


@pytest.mark.asyncio
async def test_unitdp_summary_only_and_unpaged_lists(api: httpx.AsyncClient) -> None:
    made = await api.put("/api.xro/2.0/Invoices", params={"unitdp": "4"}, content=INVOICE)
    assert made.status_code == 200, made.text
    assert b"<UnitAmount>0.1234</UnitAmount>" in made.content
    assert b"<LineAmount>0.37</LineAmount>" in made.content
    two_places = await api.get("/api.xro/2.0/Invoices", params={"page": "1"})
    assert b"<UnitAmount>0.12</UnitAmount>" in two_places.content
    four = await api.get("/api.xro/2.0/Invoices", params={"page": "1", "unitdp": "4"})
    assert b"<UnitAmount>0.1234</UnitAmount>" in four.content
    unpaged = await api.get("/api.xro/2.0/Invoices")
    assert b"<LineItems/>" in unpaged.content and b"<Description>" not in unpaged.content
    summary = await api.get("/api.xro/2.0/Invoices", params={"page": "1", "summaryOnly": "true"})
    assert b"<LineItems/>" in summary.content
    bad = await api.get("/api.xro/2.0/Invoices", params={"unitdp": "7"})
    assert bad.status_code == 400


@pytest.mark.asyncio
async def test_five_calls_in_progress_then_429_concurrent(api: httpx.AsyncClient) -> None:
    import asyncio

    scheduled = await api.post(
        "/_sandbox/faults",
        json={"path": "/api.xro/2.0/Accounts", "method": "GET", "kind": "delay", "count": 5,
              "delay": 0.5},
    )  # fmt: skip
    assert scheduled.status_code == 201
    answers = await asyncio.gather(*(api.get("/api.xro/2.0/Accounts") for _ in range(6)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 200, 200, 200, 200, 429]
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["x-rate-limit-problem"] == "concurrent"
    assert refused.headers["retry-after"] == "1"
    # the slots are given back once the answers are sent
    assert (await api.get("/api.xro/2.0/Accounts")).status_code == 200


@pytest.mark.asyncio
async def test_latency_holds_each_slot_so_a_sixth_call_at_once_is_refused(
    slow_api: httpx.AsyncClient,
) -> None:
    import asyncio

    answers = await asyncio.gather(*(slow_api.get("/api.xro/2.0/Accounts") for _ in range(6)))
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 200, 200, 429]
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["x-rate-limit-problem"] == "concurrent"
    assert (await slow_api.get("/api.xro/2.0/Accounts")).status_code == 200  # one at a time
