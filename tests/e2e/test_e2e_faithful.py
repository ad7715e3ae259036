"""The sandbox as strict as Xero, over real sockets with the 2.0 SDK (issue 20 items 6, 7,
17; issue 17 item 4): Dynamic LINQ filters, documented lengths, currencies, email
addresses, hostile inputs answered 400, tenants that cannot stall each other, one tenant
header, headers over 16 KiB, elements in any order and date-only dates."""

from __future__ import annotations

import concurrent.futures
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from xero_customer_api import RequestValidationError, ValidationError, XeroClient, field
from xero_customer_api.v2_0 import models
from xero_sandbox.process import RunningSandbox

from .conftest import exports

pytestmark = pytest.mark.e2e
Factory = Callable[..., XeroClient]


@pytest.fixture
def v2(sandbox: RunningSandbox) -> Iterator[Factory]:
    opened: list[httpx.Client] = []

    def make(**overrides: Any) -> XeroClient:
        http = httpx.Client(verify=sandbox.verify())
        opened.append(http)
        options: dict[str, Any] = {
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
            "tenant_id": sandbox.tenant_id,
            "token_url": sandbox.token_url,
            "base_url": sandbox.v2_base_url,
            "http_client": http,
            "max_retries": 0,
            **overrides,
        }
        return XeroClient(**options)

    yield make
    for http in opened:
        http.close()


def _token(sandbox: RunningSandbox, client_id: str, secret: str) -> str:
    answer = httpx.post(
        sandbox.token_url,
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        verify=sandbox.verify(),
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


@pytest.fixture
def raw(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Plain httpx with the demo app's token and the Demo Company's tenant header."""
    token = _token(sandbox, sandbox.client_id, sandbox.client_secret)
    with httpx.Client(
        base_url=sandbox.v2_base_url,
        verify=sandbox.verify(),
        headers={"Authorization": f"Bearer {token}", "xero-tenant-id": sandbox.tenant_id},
        timeout=120,
    ) as http:
        yield http


# ----------------------------------------------------------------------------- item 6


def test_the_where_builder_and_the_sandbox_agree(v2: Factory, unique: str) -> None:
    client = v2()
    best = client.contacts.create(models.Contact(name=f'The "Best" Bikes {unique}'))
    slash = client.contacts.create(models.Contact(name=f"Back\\slash Co {unique}"))
    ends = client.contacts.create(models.Contact(name=f"Ends {unique} \\"))
    assert [c.name for c in client.contacts.list(where=field("Name").eq(best.name))] == [best.name]
    assert [c.name for c in client.contacts.list(where=field("Name").eq(slash.name))] == [
        slash.name
    ]
    found = client.contacts.list(
        where=field("Name").ends_with("\\") & field("Name").contains(unique)
    )
    assert [c.name for c in found] == [ends.name]
    # a GUID-shaped str on an ...ID element goes as Guid("...") and matches
    by_id = client.contacts.list(where=field("ContactID").eq(str(best.contact_id).upper()))
    assert [c.contact_id for c in by_id] == [best.contact_id]


def test_an_unknown_field_is_a_query_parse_exception(v2: Factory) -> None:
    with pytest.raises(ValidationError) as refused:
        v2().contacts.list(where=field("Nope").eq("x"))
    assert refused.value.status_code == 400
    assert refused.value.type == "QueryParseException"
    assert "No property or field 'Nope' exists in type 'Contact'" in str(refused.value)


# ----------------------------------------------------------------------------- item 7


def test_a_300_character_name_is_refused_by_the_sdk_and_the_sandbox(
    v2: Factory, raw: httpx.Client
) -> None:
    with pytest.raises(RequestValidationError) as checked:
        v2().contacts.create(models.Contact(name="x" * 300))
    assert "Name" in str(checked.value)
    sent = raw.put("Contacts", content=f"<Contact><Name>{'x' * 300}</Name></Contact>")
    assert sent.status_code == 400
    assert "Name must not be longer than 255 characters." in sent.text


def test_currency_and_email_address_as_xero_checks_them(raw: httpx.Client, unique: str) -> None:
    usd = raw.put(
        "Contacts",
        content=f"<Contact><Name>USD {unique}</Name><DefaultCurrency>USD</DefaultCurrency></Contact>",
    )
    assert usd.status_code == 400
    assert "Users Organisation is not subscribed to currency USD" in usd.text
    mail = raw.put(
        "Contacts",
        content=f"<Contact><Name>Mail {unique}</Name><EmailAddress>nope</EmailAddress></Contact>",
    )
    assert mail.status_code == 400 and "Email address must be valid." in mail.text


# ----------------------------------------------------------------------------- item 17


@pytest.mark.parametrize(
    ("path", "params", "headers"),
    [
        ("Contacts", {"page": "\u00b2"}, {}),
        ("Contacts", {"pageSize": "9" * 4300}, {}),
        ("Invoices", {"unitdp": "\u00b2"}, {}),
        ("Invoices", {}, {"If-Modified-Since": "0001-01-01T00:00:00+14:00"}),
        ("Contacts", {}, {"If-Modified-Since": "9999-12-31T23:59:59-14:00"}),
        ("Contacts", {"where": "Name > 1"}, {}),
    ],
)
def test_hostile_requests_are_400_not_500(
    raw: httpx.Client, path: str, params: dict[str, str], headers: dict[str, str]
) -> None:
    answer = raw.get(path, params=params, headers=headers)
    assert answer.status_code == 400, answer.text
    assert b"<ApiException" in answer.content


@pytest.mark.parametrize("element", ["UnitAmount", "Quantity", "DiscountRate"])
def test_a_90_digit_number_is_400(raw: httpx.Client, element: str) -> None:
    values = {"Quantity": "1", "UnitAmount": "1", "DiscountRate": "0", element: "9" * 90}
    line = "".join(f"<{k}>{v}</{k}>" for k, v in values.items())
    answer = raw.put(
        "Invoices",
        content="<Invoice><Type>ACCREC</Type><Contact><Name>Ninety</Name></Contact><LineItems>"
        f"<LineItem><Description>a</Description>{line}</LineItem></LineItems></Invoice>",
    )
    assert answer.status_code == 400 and element in answer.text


def test_two_tenant_headers_are_refused(sandbox: RunningSandbox, raw: httpx.Client) -> None:
    token = raw.headers["Authorization"]
    headers = httpx.Headers(
        [
            ("Authorization", token),
            ("xero-tenant-id", "00000000-0000-0000-0000-000000000009"),
            ("xero-tenant-id", sandbox.tenant_id),
        ]
    )
    with httpx.Client(verify=sandbox.verify()) as http:
        answer = http.get(f"{sandbox.v2_base_url}Contacts", headers=headers)
    assert answer.status_code == 403


def test_headers_over_16_kib_are_refused(sandbox: RunningSandbox) -> None:
    """Sent in one write, so the whole head arrives at once (h11's own limit sees only a
    head that is still incomplete)."""
    host, port = sandbox.root_url.split("//", 1)[1].split(":")
    head = (
        f"GET /api.xro/2.0/Contacts HTTP/1.1\r\nHost: {host}\r\nX-Padding: {'p' * 20 * 1024}"
        "\r\nConnection: close\r\n\r\n"
    ).encode()
    context = sandbox.verify()
    assert isinstance(context, ssl.SSLContext)
    with (
        socket.create_connection((host, int(port))) as plain,
        context.wrap_socket(plain, server_hostname=host) as conn,
    ):
        conn.sendall(head)
        conn.settimeout(10)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 431 "), received[:200]


def test_one_tenant_cannot_stall_another(
    sandbox: RunningSandbox, sandbox_db: Path, cli: Callable[..., str], unique: str
) -> None:
    tenant = exports(cli("keys", "add-org", "--db", str(sandbox_db), "--name", f"Calm {unique}"))[
        "XERO_TENANT_ID"
    ]
    app = exports(cli("keys", "add-app", "--db", str(sandbox_db), "--tenant-id", tenant))
    calm_token = _token(sandbox, app["XERO_CLIENT_ID"], app["XERO_CLIENT_SECRET"])
    busy_token = _token(sandbox, sandbox.client_id, sandbox.client_secret)
    batch = (
        "<Contacts>"
        + "".join(
            f"<Contact><Name>Stall {unique} {n}</Name><FirstName>F</FirstName></Contact>"
            for n in range(40_000)
        )
        + "</Contacts>"
    ).encode()
    assert len(batch) < 5 * 1024 * 1024

    def busy() -> tuple[float, int]:
        started = time.perf_counter()
        answer = httpx.put(
            f"{sandbox.v2_base_url}Contacts",
            content=batch,
            headers={"Authorization": f"Bearer {busy_token}", "xero-tenant-id": sandbox.tenant_id},
            verify=sandbox.verify(),
            timeout=300,
        )
        return time.perf_counter() - started, answer.status_code

    with (
        httpx.Client(
            verify=sandbox.verify(),
            headers={"Authorization": f"Bearer {calm_token}", "xero-tenant-id": tenant},
        ) as calm,
        concurrent.futures.ThreadPoolExecutor(1) as pool,
    ):
        calm.get(f"{sandbox.v2_base_url}Accounts").raise_for_status()  # connection warmed
        running = pool.submit(busy)
        time.sleep(0.5)  # the batch is being read and parsed
        waits = []
        while not running.done():
            started = time.perf_counter()
            calm.get(f"{sandbox.v2_base_url}Accounts").raise_for_status()
            waits.append(time.perf_counter() - started)
            time.sleep(0.05)
        took, status = running.result()
    assert status == 200
    assert waits, "the batch ended before another tenant's call could be tried"
    # the other tenant's calls are answered while the batch runs, each in a fraction of it
    assert len(waits) >= 3, (took, waits)
    assert max(waits) < took * 0.6, (took, waits)


# ----------------------------------------------------------------------------- issue 17 item 4


def test_an_invoice_in_xeros_documented_order_with_date_only_dates(
    raw: httpx.Client, unique: str
) -> None:
    answer = raw.put(
        "Invoices",
        content=(
            f"<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>Ordered {unique}</Name>"
            f"</Contact><Date>2026-07-01</Date><InvoiceNumber>N-{unique}</InvoiceNumber>"
            "<LineItems><LineItem><Description>Thing</Description><Quantity>1</Quantity>"
            "<UnitAmount>5</UnitAmount><AccountCode>200</AccountCode></LineItem></LineItems>"
            "<DueDate>2026-07-31</DueDate></Invoice></Invoices>"
        ),
    )
    assert answer.status_code == 200, answer.text
    assert "<Date>2026-07-01T00:00:00</Date>" in answer.text
    assert "<DueDate>2026-07-31T00:00:00</DueDate>" in answer.text
