"""A user's script touching every family B resource (credit notes, prepayments, overpayments,
batch payments, receipts, expense claims, users), sync and async; mypy --strict checks it.

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
    BatchResult,
    NotFoundError,
    RawResponse,
    ValidationError,
    XeroClient,
)
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
SINCE = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
LINE = models.LineItem(
    description="Returned kete", quantity=Decimal(2), unit_amount=Decimal("40.00")
)


def credit_notes(client: XeroClient) -> None:
    note = models.CreditNote(
        type=models.CreditNoteType.ACCRECCREDIT,
        contact=models.Contact(name="Tui Bakery"),
        date=datetime.date(2026, 7, 8),
        line_items=[LINE],
    )
    assert_type(
        client.credit_notes.list(
            where='Status=="AUTHORISED"',
            order="Date DESC",
            page=1,
            page_size=100,
            unit_dp=4,
            modified_since=SINCE,
        ),
        list[models.CreditNote],
    )
    assert_type(client.credit_notes.iter(page_size=50), Iterator[models.CreditNote])
    made = assert_type(client.credit_notes.create(note, unit_dp=2), models.CreditNote)
    assert_type(made.remaining_credit, Decimal | None)
    assert_type(made.allocations, list[models.Allocation])
    assert_type(made.status, models.CreditNoteStatus | None)
    assert_type(client.credit_notes.get(credit_note_number="CN-0001"), models.CreditNote)
    assert_type(client.credit_notes.get(credit_note_id=uuid.UUID(ID)), models.CreditNote)
    assert_type(
        client.credit_notes.create_many([note], summarize_errors=False),
        BatchResult[models.CreditNote],
    )
    assert_type(client.credit_notes.save(note), models.CreditNote)
    assert_type(client.credit_notes.save_many([note]), BatchResult[models.CreditNote])
    assert_type(client.credit_notes.delete(credit_note_id=ID, status="VOIDED"), models.CreditNote)
    assert_type(
        client.credit_notes.with_raw_response.get(credit_note_id=ID),
        RawResponse[models.CreditNotesResponse],
    )
    invoice = client.invoices.get(invoice_id=ID)
    assert_type(invoice.credit_notes, list[models.CreditNote])
    assert_type(invoice.prepayments, list[models.Prepayment])
    assert_type(invoice.overpayments, list[models.Overpayment])
    for allocation in made.allocations:
        if allocation.invoice is not None:
            assert_type(allocation.invoice.invoice_id, str | None)
        assert_type(allocation.applied_amount, Decimal | None)


def credits_and_batches(client: XeroClient) -> None:
    assert_type(
        client.prepayments.list(invoice_numbers=["INV-0110"], page=1, unit_dp=4),
        list[models.Prepayment],
    )
    assert_type(client.prepayments.get(prepayment_id=ID), models.Prepayment)
    assert_type(
        client.overpayments.list(references=["Paid twice"], modified_since=SINCE),
        list[models.Overpayment],
    )
    assert_type(client.overpayments.iter(), Iterator[models.Overpayment])
    assert_type(client.overpayments.get(overpayment_id=ID), models.Overpayment)
    batch = models.BatchPayment(
        account=models.Account(code="090"),
        date=datetime.date(2026, 7, 10),
        payments=[models.Payment(invoice=models.Invoice(invoice_id=ID), amount=Decimal("120.00"))],
    )
    made = assert_type(client.batch_payments.create(batch), models.BatchPayment)
    assert_type(made.type, models.BatchPaymentType | None)
    assert_type(made.total_amount, Decimal | None)
    assert_type(client.batch_payments.create_many([batch]), BatchResult[models.BatchPayment])
    assert_type(client.batch_payments.list(where='Type=="PAYBATCH"'), list[models.BatchPayment])
    assert_type(client.batch_payments.get(batch_payment_id=ID), models.BatchPayment)
    assert_type(client.batch_payments.delete(batch_payment_id=ID), models.BatchPayment)
    assert_type(
        client.batch_payments.save(
            models.BatchPayment(batch_payment_id=ID, status=models.BatchPaymentStatus.DELETED)
        ),
        models.BatchPayment,
    )


def receipts_claims_users(client: XeroClient) -> None:
    users = assert_type(client.users.list(order="LastName"), list[models.User])
    user = assert_type(client.users.get(user_id=ID), models.User)
    assert_type(user.organisation_role, models.OrganisationRole | None)
    assert_type(client.users.iter(modified_since=SINCE), Iterator[models.User])
    receipt = models.Receipt(
        date=datetime.date(2026, 7, 3),
        contact=models.Contact(name="Cafe Kowhai"),
        user=models.User(user_id=users[0].user_id),
        line_items=[LINE],
    )
    made = assert_type(client.receipts.create(receipt, unit_dp=4), models.Receipt)
    assert_type(made.receipt_number, str | None)
    assert_type(client.receipts.create_many([receipt]), list[models.Receipt])
    assert_type(client.receipts.list(unit_dp=2), list[models.Receipt])
    assert_type(client.receipts.get(receipt_id=ID), models.Receipt)
    assert_type(
        client.receipts.save(
            receipt_id=ID, receipt=models.Receipt(status=models.ReceiptStatus.SUBMITTED)
        ),
        models.Receipt,
    )
    claim = models.ExpenseClaim(
        user=models.User(user_id=user.user_id), receipts=[models.Receipt(receipt_id=ID)]
    )
    assert_type(client.expense_claims.create(claim), models.ExpenseClaim)
    assert_type(client.expense_claims.create_many([claim]), list[models.ExpenseClaim])
    assert_type(client.expense_claims.list(where='Status=="SUBMITTED"'), list[models.ExpenseClaim])
    assert_type(client.expense_claims.get(expense_claim_id=ID), models.ExpenseClaim)
    assert_type(
        client.expense_claims.save(
            expense_claim_id=ID,
            expense_claim=models.ExpenseClaim(status=models.ExpenseClaimStatus.AUTHORISED),
        ),
        models.ExpenseClaim,
    )
    approved = client.expense_claims.delete(expense_claim_id=ID, status="DELETED")
    assert_type(approved.status, models.ExpenseClaimStatus | None)
    try:
        client.users.get(user_id=ID)
    except NotFoundError as missing:
        assert_type(missing.status_code, int)
    except ValidationError as refused:
        assert_type(refused.elements[0].validation_errors, tuple[str, ...])


async def async_calls(client: AsyncXeroClient) -> None:
    assert_type(await client.credit_notes.list(page=1), list[models.CreditNote])
    assert_type(client.credit_notes.iter(), AsyncIterator[models.CreditNote])
    assert_type(await client.credit_notes.get(credit_note_id=ID), models.CreditNote)
    assert_type(await client.prepayments.list(), list[models.Prepayment])
    assert_type(await client.overpayments.get(overpayment_id=ID), models.Overpayment)
    assert_type(await client.batch_payments.delete(batch_payment_id=ID), models.BatchPayment)
    assert_type(await client.receipts.get(receipt_id=ID), models.Receipt)
    assert_type(await client.expense_claims.list(), list[models.ExpenseClaim])
    assert_type(await client.users.list(), list[models.User])
    async for user in client.users.iter():
        assert_type(user, models.User)
