"""A user's script calling every endpoint; `make check` runs mypy --strict over it.

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import assert_type

from xero_customer_api import NotFoundError, XeroError
from xero_customer_api.v1_0 import AsyncXeroClient, XeroClient, models


def sync_calls(client: XeroClient) -> None:
    contact = models.Contact(
        name="Tui Bakery", phones=[models.Phone(phone_type=models.PhoneType.MOBILE)]
    )
    assert_type(
        client.contacts.get(contact_id="0b7c4d1e-3f2a-4c5b-9d8e-7f6a5b4c3d2e"), models.Contact
    )
    assert_type(client.contacts.get(contact_number="CUST-1"), models.Contact)
    assert_type(
        client.contacts.list(
            type="customers",
            sort_by="name",
            direction="asc",
            updated_after=datetime.date(2026, 1, 1),
        ),
        list[models.Contact],
    )
    assert_type(client.contacts.create(contact), models.Contact)
    assert_type(client.contacts.save(contact), models.Contact)
    assert_type(client.contacts.save_many([contact]), list[models.Contact])
    invoice = models.Invoice(
        invoice_type=models.InvoiceType.ACCREC,
        contact=contact,
        invoice_date=datetime.date(2026, 1, 2),
        invoice_number="INV-1",
        line_items=[
            models.LineItem(
                description="Bread", unit_amount=Decimal("4.50"), line_amount=Decimal("4.50")
            )
        ],
    )
    assert_type(
        client.invoices.get(invoice_id="0b7c4d1e-3f2a-4c5b-9d8e-7f6a5b4c3d2e"), models.Invoice
    )
    assert_type(client.invoices.get(invoice_number="INV-1"), models.Invoice)
    assert_type(
        client.invoices.list(modified_since=datetime.datetime.now(datetime.UTC)),
        list[models.Invoice],
    )
    assert_type(client.invoices.create(invoice), models.Invoice)
    assert_type(client.invoices.create_many([invoice]), list[models.Invoice])
    assert_type(client.accounts.list(), list[models.Account])
    assert_type(client.tracking.list(), list[models.TrackingCategory])
    fetched = client.invoices.get(invoice_number="INV-1")
    assert_type(fetched.line_items, list[models.LineItem])
    assert_type(fetched.line_items[0].unit_amount, Decimal)
    assert_type(fetched.invoice_date, datetime.date)
    assert_type(fetched.updated_date_utc, datetime.datetime | None)
    raw = client.contacts.with_raw_response.get(contact_number="CUST-1")
    assert_type(raw.status_code, int)
    assert_type(raw.parsed, models.ContactResponse)
    try:
        client.contacts.get(contact_number="missing")
    except NotFoundError as exc:
        assert_type(exc.exception_types, tuple[str, ...])
    except XeroError:
        pass


async def async_calls(client: AsyncXeroClient) -> None:
    assert_type(await client.contacts.get(contact_number="CUST-1"), models.Contact)
    assert_type(await client.contacts.list(), list[models.Contact])
    assert_type(await client.contacts.save_many([models.Contact(name="A")]), list[models.Contact])
    assert_type(await client.invoices.list(), list[models.Invoice])
    assert_type(await client.accounts.list(), list[models.Account])
    assert_type(await client.tracking.list(), list[models.TrackingCategory])
