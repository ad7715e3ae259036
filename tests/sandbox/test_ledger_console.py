"""The partner console's journals page: the books of the partner's organisations."""

from __future__ import annotations

import datetime
from decimal import Decimal

import httpx
import pytest
from lxml import html
from xero_customer_api.v2_0 import models as m
from xero_customer_api.v2_0._codecs.requests.invoices_request import encode_request_invoices
from xero_sandbox.store import Credentials, Store


@pytest.mark.asyncio
async def test_the_journals_page_shows_the_books(
    http: httpx.AsyncClient, store: Store, credentials: Credentials, keys: dict[str, str]
) -> None:
    token = await http.post(
        "/connect/token",
        data={"grant_type": "client_credentials"},
        auth=(credentials.client_id, credentials.client_secret),
    )
    invoice = m.Invoice(
        type=m.InvoiceType.ACCREC,
        contact=m.Contact(name="Tui <Bakery>"),
        date=datetime.date(2026, 7, 1),
        status=m.InvoiceStatus.AUTHORISED,
        line_items=[m.LineItem(description="Bread", quantity=Decimal(1),
                               unit_amount=Decimal("40.00"), account_code="200",
                               tax_type="NONE")],
    )  # fmt: skip
    made = await http.put(
        "/api.xro/2.0/Invoices",
        content=encode_request_invoices([invoice]),
        headers={
            "Authorization": f"Bearer {token.json()['access_token']}",
            "xero-tenant-id": credentials.tenant_id,
        },
    )
    assert made.status_code == 200
    page = await http.get("/console/journals", params={"apiKey": keys["apiKey"]})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    doc = html.fromstring(page.content)
    assert doc.findtext(".//h2") == "Demo Company"
    (journal,) = doc.xpath("//tr[@class='journal']")
    cells = [c.text_content() for c in journal.xpath("./td")]
    assert cells[:4] == ["1", "2026-07-01", "ACCREC", "INV-0001"]
    lines = [[c.text_content() for c in row.xpath("./td")]
             for row in journal.xpath(".//table[@class='lines']/tbody/tr")]  # fmt: skip
    assert lines == [
        ["610", "Accounts Receivable", "40.00", ""],
        ["200", "Sales", "", "40.00"],
    ]
    refused = await http.get("/console/journals", params={"apiKey": "nope"})
    assert refused.status_code in (302, 303)
