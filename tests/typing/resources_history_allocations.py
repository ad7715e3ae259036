"""A user's script touching issue 18's XML sub-resources (history and notes, an invoice's email
and online link, allocations of credit notes, prepayments and overpayments), sync and async;
mypy --strict checks it.

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import assert_type

from xero_customer_api import AsyncXeroClient, RawResponse, XeroClient
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
ALLOCATION = models.Allocation(
    invoice=models.AllocationInvoice(invoice_id=ID),
    applied_amount=Decimal("50.00"),
    date=datetime.date(2026, 7, 12),
)


def history(client: XeroClient) -> None:
    records = client.invoices.history.list(invoice_id=ID)
    assert_type(records, list[models.HistoryRecord])
    for record in records:
        assert_type(record.date_utc, datetime.datetime | None)
        assert_type(record.details, str | None)
    note = client.invoices.history.add_note(invoice_id=uuid.UUID(ID), details="Sent by post.")
    assert_type(note, models.HistoryRecord)
    assert_type(client.payments.history.list(payment_id=ID), list[models.HistoryRecord])
    assert_type(
        client.contacts.history.add_note(contact_id=ID, details="Prefers email.", tenant_id=ID),
        models.HistoryRecord,
    )
    assert_type(
        client.repeating_invoices.history.with_raw_response.list(repeating_invoice_id=ID),
        RawResponse[models.HistoryRecordsResponse],
    )
    client.payments.history.add_note(payment_id=ID, details="x")  # type: ignore[attr-defined]
    client.invoices.history.add_note(invoice_id=ID, details=None)  # type: ignore[arg-type]
    client.invoices.history.add_note(ID, "positional")  # type: ignore[call-arg]


def invoices(client: XeroClient) -> None:
    assert_type(client.invoices.email(invoice_id=ID), None)
    assert_type(client.invoices.online_invoice_url(invoice_id=ID), str)
    assert_type(
        client.invoices.with_raw_response.online_invoice_url(invoice_id=ID),
        RawResponse[models.OnlineInvoicesResponse],
    )
    assert_type(client.invoices.with_raw_response.email(invoice_id=ID), RawResponse[None])


def allocations(client: XeroClient) -> None:
    made = client.credit_notes.allocations.create(credit_note_id=ID, allocations=[ALLOCATION])
    assert_type(made, list[models.Allocation])
    assert_type(made[0].applied_amount, Decimal | None)
    assert_type(made[0].date, datetime.date | None)
    gone = client.credit_notes.allocations.delete(credit_note_id=ID, allocation_id=ID)
    assert_type(gone, models.Allocation)
    assert_type(gone.is_deleted, bool | None)
    assert_type(
        client.prepayments.allocations.create(prepayment_id=ID, allocations=(ALLOCATION,)),
        list[models.Allocation],
    )
    assert_type(
        client.overpayments.allocations.delete(overpayment_id=ID, allocation_id=uuid.UUID(ID)),
        models.Allocation,
    )
    client.invoices.allocations  # type: ignore[attr-defined]  # noqa: B018
    client.credit_notes.allocations.create(credit_note_id=ID, allocations=ALLOCATION)  # type: ignore[arg-type]
    models.Allocation(applied_amount=1.5)  # type: ignore[arg-type]


async def in_async(client: AsyncXeroClient) -> None:
    assert_type(
        await client.bank_transactions.history.list(bank_transaction_id=ID),
        list[models.HistoryRecord],
    )
    assert_type(
        await client.quotes.history.add_note(quote_id=ID, details="Colours agreed."),
        models.HistoryRecord,
    )
    assert_type(await client.invoices.online_invoice_url(invoice_id=ID), str)
    assert_type(await client.invoices.email(invoice_id=ID), None)
    assert_type(
        await client.overpayments.allocations.create(overpayment_id=ID, allocations=[ALLOCATION]),
        list[models.Allocation],
    )
    assert_type(
        await client.prepayments.allocations.delete(prepayment_id=ID, allocation_id=ID),
        models.Allocation,
    )
