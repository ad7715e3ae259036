"""A user's script calling every API 2.0 endpoint; `make check` runs mypy --strict over it.

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import assert_type

from xero_customer_api import (
    AsyncXeroClient,
    BatchItem,
    BatchResult,
    BatchStatus,
    NotFoundError,
    RawResponse,
    ValidationError,
    XeroClient,
    XeroError,
)
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
SINCE = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)


def sync_calls(client: XeroClient) -> None:
    contact = models.Contact(
        name="Tui Bakery", phones=[models.Phone(phone_type=models.PhoneType.MOBILE)]
    )
    assert_type(
        client.contacts.list(
            where='Name.StartsWith("T")',
            order="Name ASC",
            ids=[ID, uuid.UUID(ID)],
            page=1,
            page_size=100,
            include_archived=True,
            summary_only=False,
            search_term="tui",
            modified_since=SINCE,
            tenant_id="another-tenant",
        ),
        list[models.Contact],
    )
    assert_type(client.contacts.iter(page_size=50, modified_since=SINCE), Iterator[models.Contact])
    assert_type(client.contacts.get(contact_id=ID), models.Contact)
    assert_type(client.contacts.get(contact_number="KB-0007"), models.Contact)
    assert_type(client.contacts.create(contact, idempotency_key="k" * 40), models.Contact)
    assert_type(client.contacts.create_many([contact]), BatchResult[models.Contact])
    assert_type(client.contacts.save(contact), models.Contact)
    batch = client.contacts.save_many([contact], summarize_errors=False)
    assert_type(batch, BatchResult[models.Contact])
    assert_type(batch.items, list[BatchItem[models.Contact]])
    assert_type(batch.failed[0].item, models.Contact)
    assert_type(batch.succeeded[0].status, BatchStatus)
    assert_type(batch.items[0].validation_errors, list[str])

    invoice = models.Invoice(
        type=models.InvoiceType.ACCREC,
        contact=models.Contact(contact_id=ID),
        date=datetime.date(2026, 7, 1),
        line_amount_types=models.LineAmountTypes.EXCLUSIVE,
        line_items=[
            models.LineItem(description="Bread", quantity=Decimal("2"), unit_amount=Decimal("4.50"))
        ],
    )
    assert_type(
        client.invoices.list(
            where='Type=="ACCREC"',
            order="Date DESC",
            ids=[ID],
            invoice_numbers=["INV-1"],
            contact_ids=[ID],
            statuses=["AUTHORISED", "PAID"],
            page=2,
            page_size=10,
            include_archived=False,
            created_by_my_app=True,
            unit_dp=4,
            summary_only=True,
            search_term="INV",
            modified_since=SINCE,
        ),
        list[models.Invoice],
    )
    assert_type(client.invoices.iter(statuses=["DRAFT"]), Iterator[models.Invoice])
    assert_type(client.invoices.get(invoice_id=ID, unit_dp=4), models.Invoice)
    assert_type(client.invoices.get(invoice_number="INV-1"), models.Invoice)
    assert_type(client.invoices.create(invoice), models.Invoice)
    assert_type(client.invoices.create_many([invoice], unit_dp=4), BatchResult[models.Invoice])
    assert_type(client.invoices.save(invoice), models.Invoice)
    assert_type(client.invoices.save_many([invoice]), BatchResult[models.Invoice])
    assert_type(client.invoices.delete(invoice_id=ID), models.Invoice)
    assert_type(client.invoices.delete(invoice_number="INV-1", status="VOIDED"), models.Invoice)

    account = models.Account(code="200", name="Sales", type=models.AccountType.REVENUE)
    assert_type(
        client.accounts.list(where='Status=="ACTIVE"', modified_since=SINCE), list[models.Account]
    )
    assert_type(client.accounts.iter(order="Code"), Iterator[models.Account])
    assert_type(client.accounts.get(account_id=ID), models.Account)
    assert_type(client.accounts.create(account), models.Account)
    assert_type(client.accounts.save(account, account_id=ID), models.Account)
    assert_type(client.accounts.delete(account_id=ID), models.Account)

    category = models.TrackingCategory(name="Region")
    option = models.TrackingOption(name="North")
    tc = client.tracking_categories
    assert_type(tc.list(include_archived=True), list[models.TrackingCategory])
    assert_type(tc.iter(), Iterator[models.TrackingCategory])
    assert_type(tc.get(tracking_category_id=ID), models.TrackingCategory)
    assert_type(tc.create(category), models.TrackingCategory)
    assert_type(tc.save(category, tracking_category_id=ID), models.TrackingCategory)
    assert_type(tc.delete(tracking_category_id=ID), models.TrackingCategory)
    assert_type(tc.create_option(option, tracking_category_id=ID), models.TrackingOption)
    assert_type(tc.create_options([option], tracking_category_id=ID), list[models.TrackingOption])
    assert_type(
        tc.save_option(option, tracking_category_id=ID, tracking_option_id=ID),
        models.TrackingOption,
    )
    assert_type(
        tc.delete_option(tracking_category_id=ID, tracking_option_id=ID), models.TrackingOption
    )

    payment = models.Payment(
        date=datetime.date(2026, 7, 5),
        amount=Decimal("10.00"),
        account=models.Account(code="090"),
        invoice=models.Invoice(invoice_id=ID),
    )
    assert_type(client.payments.list(page=1, modified_since=SINCE), list[models.Payment])
    assert_type(client.payments.iter(page_size=200), Iterator[models.Payment])
    assert_type(client.payments.get(payment_id=ID), models.Payment)
    assert_type(client.payments.create(payment), models.Payment)
    assert_type(client.payments.create_many([payment]), BatchResult[models.Payment])
    assert_type(client.payments.delete(payment_id=ID), models.Payment)

    fetched = client.invoices.get(invoice_number="INV-1")
    assert_type(fetched.line_items, list[models.LineItem])
    assert_type(fetched.line_items[0].unit_amount, Decimal | None)
    assert_type(fetched.date, datetime.date | None)
    assert_type(fetched.updated_date_utc, datetime.datetime | None)
    assert_type(fetched.validation_errors, list[models.EntityValidationError])
    assert_type(fetched.validation_errors[0].message, str | None)
    assert_type(fetched.warnings, list[models.EntityWarning])
    raw = client.contacts.with_raw_response.get(contact_number="KB-0007")
    assert_type(raw, RawResponse[models.ContactsResponse])
    assert_type(raw.parsed.contacts, list[models.Contact])
    assert_type(raw.parsed.date_time_utc, datetime.datetime | None)
    try:
        client.contacts.get(contact_number="missing")
    except NotFoundError:
        pass
    except ValidationError as exc:
        assert_type(exc, ValidationError)
    except XeroError:
        pass


async def async_calls(client: AsyncXeroClient) -> None:
    assert_type(await client.contacts.get(contact_number="KB-0007"), models.Contact)
    assert_type(await client.contacts.list(page=1), list[models.Contact])
    assert_type(client.contacts.iter(), AsyncIterator[models.Contact])
    assert_type(
        await client.invoices.create_many([models.Invoice()], summarize_errors=False),
        BatchResult[models.Invoice],
    )
    assert_type(await client.invoices.delete(invoice_id=ID), models.Invoice)
    assert_type(await client.accounts.delete(account_id=ID), models.Account)
    assert_type(
        await client.tracking_categories.delete_option(
            tracking_category_id=ID, tracking_option_id=ID
        ),
        models.TrackingOption,
    )
    assert_type(await client.payments.delete(payment_id=ID), models.Payment)
    async for payment in client.payments.iter():
        assert_type(payment, models.Payment)
