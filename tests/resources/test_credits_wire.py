"""Wire tests of the family B resources (credit notes, prepayments, overpayments, batch
payments, receipts, expense claims, users), sync and async, on the fake transport: method,
path, exact query names, headers and the body's root, order and validity against our XSD.

The cases use tests/v2/test_wire.py's ``Case`` and checks; ``test_every_endpoint_has_a_case``
there reads this module's ``CASES``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal

import pytest
from xero_customer_api import RequestValidationError
from xero_customer_api.v2_0 import XeroClient, models

from tests.v2.fake_xero import fake_async_client, fake_client

from ..v2.test_wire import (
    GUID,
    GUID2,
    KEY,
    MOD,
    WHEN,
    Case,
    Recorder,
    _check_wire,
)

LINE = models.LineItem(
    description="Returned kete",
    quantity=Decimal("2"),
    unit_amount=Decimal("40.00"),
    account_code="200",
    tax_type="OUTPUT2",
)
CREDIT_NOTE = models.CreditNote(
    type=models.CreditNoteType.ACCRECCREDIT,
    contact=models.Contact(contact_id=GUID.lower()),
    date=datetime.date(2026, 7, 8),
    line_amount_types=models.LineAmountTypes.EXCLUSIVE,
    line_items=[LINE],
    reference="Return of order 17",
    remaining_credit=Decimal("92.00"),  # read-only: never sent
    allocations=[models.Allocation(applied_amount=Decimal("1.00"))],  # read-only: never sent
)
CREDIT_NOTE_ORDER = ["Type", "Contact", "Date", "LineAmountTypes", "LineItems", "Reference"]
BATCH_PAYMENT = models.BatchPayment(
    account=models.Account(code="090"),
    date=datetime.date(2026, 7, 10),
    reference="July run",
    details="Supplier run",
    payments=[
        models.Payment(invoice=models.Invoice(invoice_id=GUID.lower()), amount=Decimal("120.00"))
    ],
    total_amount=Decimal("120.00"),  # read-only: never sent
    type=models.BatchPaymentType.PAYBATCH,  # read-only: never sent
)
USER_ID = "7c6b5a49-3827-4615-a4b3-c2d1e0f9a8b7"
RECEIPT = models.Receipt(
    date=datetime.date(2026, 7, 3),
    contact=models.Contact(name="Cafe Kowhai"),
    line_items=[LINE],
    user=models.User(user_id=USER_ID, first_name="Mei"),  # only the id is sent
    reference="Lunch",
    receipt_number="3",  # read-only: never sent
)
RECEIPT_ORDER = ["Date", "Contact", "LineItems", "User", "Reference"]
CLAIM = models.ExpenseClaim(
    user=models.User(user_id=USER_ID),
    receipts=[models.Receipt(receipt_id=GUID2.lower())],
    total=Decimal("64.40"),  # read-only: never sent
)

CASES = [
    # ------------------------------------------------------------------ credit notes
    Case(
        "credit_notes.list",
        lambda c: c.credit_notes.list(
            where='Status=="AUTHORISED"',
            order="Date DESC",
            page=2,
            page_size=50,
            unit_dp=4,
            modified_since=WHEN,
        ),
        "GET",
        "CreditNotes",
        [
            ("where", 'Status=="AUTHORISED"'),
            ("order", "Date DESC"),
            ("page", "2"),
            ("pageSize", "50"),
            ("unitdp", "4"),
        ],
        "credit_notes_response/one.xml",
        headers=MOD,
    ),
    Case(
        "credit_notes.get",
        lambda c: c.credit_notes.get(credit_note_id=uuid.UUID(GUID), unit_dp=4),
        "GET",
        f"CreditNotes/{GUID.lower()}",
        [("unitdp", "4")],
        "credit_notes_response/one.xml",
    ),
    Case(
        "credit_notes.get/number",
        lambda c: c.credit_notes.get(credit_note_number="CN 42/7"),
        "GET",
        "CreditNotes/CN%2042%2F7",
        [],
        "credit_notes_response/one.xml",
    ),
    Case(
        "credit_notes.create",
        lambda c: c.credit_notes.create(CREDIT_NOTE, unit_dp=2, idempotency_key=KEY),
        "PUT",
        "CreditNotes",
        [("unitdp", "2")],
        "credit_notes_response/one.xml",
        "CreditNote",
        "credit_notes_request",
        CREDIT_NOTE_ORDER,
        headers={"Idempotency-Key": KEY},
    ),
    Case(
        "credit_notes.create_many",
        lambda c: c.credit_notes.create_many([CREDIT_NOTE, CREDIT_NOTE], summarize_errors=False),
        "PUT",
        "CreditNotes",
        [("summarizeErrors", "false")],
        "credit_notes_response/one.xml",
        "CreditNotes",
        "credit_notes_request",
        ["CreditNote", "CreditNote"],
    ),
    Case(
        "credit_notes.save",
        lambda c: c.credit_notes.save(CREDIT_NOTE),
        "POST",
        "CreditNotes",
        [],
        "credit_notes_response/one.xml",
        "CreditNote",
        "credit_notes_request",
        CREDIT_NOTE_ORDER,
    ),
    Case(
        "credit_notes.save_many",
        lambda c: c.credit_notes.save_many([CREDIT_NOTE], unit_dp=4),
        "POST",
        "CreditNotes",
        [("summarizeErrors", "false"), ("unitdp", "4")],
        "credit_notes_response/one.xml",
        "CreditNotes",
        "credit_notes_request",
        ["CreditNote"],
    ),
    Case(
        "credit_notes.delete",
        lambda c: c.credit_notes.delete(credit_note_id=GUID, status="VOIDED"),
        "POST",
        f"CreditNotes/{GUID.lower()}",
        [],
        "credit_notes_response/one.xml",
        "CreditNote",
        "credit_notes_request",
        ["Status"],
    ),
    # ------------------------------------------------------------------ pre/overpayments
    Case(
        "prepayments.list",
        lambda c: c.prepayments.list(
            where='Type=="RECEIVE-PREPAYMENT"',
            order="Date",
            page=1,
            page_size=10,
            unit_dp=4,
            invoice_numbers=["INV-0110", "INV-0111"],
            modified_since=WHEN,
        ),
        "GET",
        "Prepayments",
        [
            ("where", 'Type=="RECEIVE-PREPAYMENT"'),
            ("order", "Date"),
            ("page", "1"),
            ("pageSize", "10"),
            ("unitdp", "4"),
            ("InvoiceNumbers", "INV-0110,INV-0111"),
        ],
        "prepayments_response/list.xml",
        headers=MOD,
    ),
    Case(
        "prepayments.get",
        lambda c: c.prepayments.get(prepayment_id=GUID),
        "GET",
        f"Prepayments/{GUID.lower()}",
        [],
        "prepayments_response/list.xml",
    ),
    Case(
        "overpayments.list",
        lambda c: c.overpayments.list(references=["Paid twice"], page=3, modified_since=WHEN),
        "GET",
        "Overpayments",
        [("page", "3"), ("References", "Paid twice")],
        "overpayments_response/list.xml",
        headers=MOD,
    ),
    Case(
        "overpayments.get",
        lambda c: c.overpayments.get(overpayment_id=uuid.UUID(GUID2)),
        "GET",
        f"Overpayments/{GUID2.lower()}",
        [],
        "overpayments_response/list.xml",
    ),
    # ------------------------------------------------------------------ batch payments
    Case(
        "batch_payments.list",
        lambda c: c.batch_payments.list(
            where='Type=="PAYBATCH"', order="Date DESC", modified_since=WHEN
        ),
        "GET",
        "BatchPayments",
        [("where", 'Type=="PAYBATCH"'), ("order", "Date DESC")],
        "batch_payments_response/one.xml",
        headers=MOD,
    ),
    Case(
        "batch_payments.get",
        lambda c: c.batch_payments.get(batch_payment_id=GUID),
        "GET",
        f"BatchPayments/{GUID.lower()}",
        [],
        "batch_payments_response/one.xml",
    ),
    Case(
        "batch_payments.create",
        lambda c: c.batch_payments.create(BATCH_PAYMENT),
        "PUT",
        "BatchPayments",
        [],
        "batch_payments_response/one.xml",
        "BatchPayment",
        "batch_payments_request",
        ["Account", "Date", "Reference", "Details", "Payments"],
    ),
    Case(
        "batch_payments.create_many",
        lambda c: c.batch_payments.create_many([BATCH_PAYMENT]),
        "PUT",
        "BatchPayments",
        [("summarizeErrors", "false")],
        "batch_payments_response/one.xml",
        "BatchPayments",
        "batch_payments_request",
        ["BatchPayment"],
    ),
    Case(
        "batch_payments.save",
        lambda c: c.batch_payments.save(
            models.BatchPayment(
                batch_payment_id=GUID.lower(), status=models.BatchPaymentStatus.DELETED
            )
        ),
        "POST",
        "BatchPayments",
        [],
        "batch_payments_response/one.xml",
        "BatchPayment",
        "batch_payments_request",
        ["BatchPaymentID", "Status"],
    ),
    Case(
        "batch_payments.delete",
        lambda c: c.batch_payments.delete(batch_payment_id=GUID),
        "POST",
        f"BatchPayments/{GUID.lower()}",
        [],
        "batch_payments_response/one.xml",
        "BatchPayment",
        "batch_payments_request",
        ["Status"],
    ),
    # ------------------------------------------------------------------ receipts
    Case(
        "receipts.list",
        lambda c: c.receipts.list(where='Status=="DRAFT"', unit_dp=4, modified_since=WHEN),
        "GET",
        "Receipts",
        [("where", 'Status=="DRAFT"'), ("unitdp", "4")],
        "receipts_response/one.xml",
        headers=MOD,
    ),
    Case(
        "receipts.get",
        lambda c: c.receipts.get(receipt_id=GUID, unit_dp=2),
        "GET",
        f"Receipts/{GUID.lower()}",
        [("unitdp", "2")],
        "receipts_response/one.xml",
    ),
    Case(
        "receipts.create",
        lambda c: c.receipts.create(RECEIPT),
        "PUT",
        "Receipts",
        [],
        "receipts_response/one.xml",
        "Receipt",
        "receipts_request",
        RECEIPT_ORDER,
    ),
    Case(
        "receipts.create_many",
        lambda c: c.receipts.create_many([RECEIPT, RECEIPT], unit_dp=4),
        "PUT",
        "Receipts",
        [("unitdp", "4")],
        "receipts_response/one.xml",
        "Receipts",
        "receipts_request",
        ["Receipt", "Receipt"],
    ),
    Case(
        "receipts.save",
        lambda c: c.receipts.save(
            receipt_id=GUID, receipt=models.Receipt(status=models.ReceiptStatus.SUBMITTED)
        ),
        "POST",
        f"Receipts/{GUID.lower()}",
        [],
        "receipts_response/one.xml",
        "Receipt",
        "receipts_request",
        ["Status"],
    ),
    # ------------------------------------------------------------------ expense claims
    Case(
        "expense_claims.list",
        lambda c: c.expense_claims.list(order="UpdatedDateUTC DESC", modified_since=WHEN),
        "GET",
        "ExpenseClaims",
        [("order", "UpdatedDateUTC DESC")],
        "expense_claims_response/one.xml",
        headers=MOD,
    ),
    Case(
        "expense_claims.get",
        lambda c: c.expense_claims.get(expense_claim_id=GUID),
        "GET",
        f"ExpenseClaims/{GUID.lower()}",
        [],
        "expense_claims_response/one.xml",
    ),
    Case(
        "expense_claims.create",
        lambda c: c.expense_claims.create(CLAIM),
        "PUT",
        "ExpenseClaims",
        [],
        "expense_claims_response/one.xml",
        "ExpenseClaim",
        "expense_claims_request",
        ["User", "Receipts"],
    ),
    Case(
        "expense_claims.create_many",
        lambda c: c.expense_claims.create_many([CLAIM]),
        "PUT",
        "ExpenseClaims",
        [],
        "expense_claims_response/one.xml",
        "ExpenseClaims",
        "expense_claims_request",
        ["ExpenseClaim"],
    ),
    Case(
        "expense_claims.save",
        lambda c: c.expense_claims.save(
            expense_claim_id=GUID,
            expense_claim=models.ExpenseClaim(status=models.ExpenseClaimStatus.AUTHORISED),
        ),
        "POST",
        f"ExpenseClaims/{GUID.lower()}",
        [],
        "expense_claims_response/one.xml",
        "ExpenseClaim",
        "expense_claims_request",
        ["Status"],
    ),
    Case(
        "expense_claims.delete",
        lambda c: c.expense_claims.delete(expense_claim_id=GUID),
        "POST",
        f"ExpenseClaims/{GUID.lower()}",
        [],
        "expense_claims_response/one.xml",
        "ExpenseClaim",
        "expense_claims_request",
        ["Status"],
    ),
    # ------------------------------------------------------------------ users
    Case(
        "users.list",
        lambda c: c.users.list(where="IsSubscriber==true", order="LastName", modified_since=WHEN),
        "GET",
        "Users",
        [("where", "IsSubscriber==true"), ("order", "LastName")],
        "users_response/list.xml",
        headers=MOD,
    ),
    Case(
        "users.get",
        lambda c: c.users.get(user_id=GUID),
        "GET",
        f"Users/{GUID.lower()}",
        [],
        "users_response/list.xml",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    with fake_client(recorder) as client:
        result = case.call(client)
    _check_wire(case, recorder)
    assert result is not None


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_async_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    async with fake_async_client(recorder) as client:
        result = await case.call(client)
    _check_wire(case, recorder)
    assert result is not None


def test_results_are_typed() -> None:
    with fake_client(Recorder("credit_notes_response/one.xml")) as client:
        note = client.credit_notes.get(credit_note_id=GUID)
    assert isinstance(note, models.CreditNote)
    assert note.status is models.CreditNoteStatus.PAID and note.remaining_credit == Decimal(0)
    allocation = note.allocations[0]
    assert allocation.applied_amount == Decimal("60.00") and allocation.invoice is not None
    assert allocation.invoice.invoice_number == "INV-0107"
    assert note.payments[0].amount == Decimal("32.00")
    with fake_client(Recorder("users_response/list.xml")) as client:
        users = client.users.list()
    assert [u.organisation_role for u in users] == [
        models.OrganisationRole.FINANCIALADVISER,
        models.OrganisationRole.REMOVED,
    ]
    with fake_client(Recorder("batch_payments_response/one.xml")) as client:
        batch = client.batch_payments.get(batch_payment_id=GUID)
    assert batch.type is models.BatchPaymentType.PAYBATCH
    assert sum(p.amount or 0 for p in batch.payments) == batch.total_amount == Decimal("150.50")
    with fake_client(Recorder("prepayments_response/list.xml")) as client:
        (prepayment,) = client.prepayments.list()
    assert prepayment.type is models.PrepaymentType.RECEIVE_PREPAYMENT
    assert prepayment.remaining_credit == Decimal("350.00")


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda c: c.credit_notes.get(), "exactly one"),
        (
            lambda c: c.credit_notes.get(credit_note_id=GUID, credit_note_number="CN-1"),
            "exactly one",
        ),
        (lambda c: c.credit_notes.delete(credit_note_id=GUID, status="PAID"), "status"),
        (lambda c: c.users.get(user_id="not-a-guid"), "user_id"),
        (lambda c: c.prepayments.list(unit_dp=3), "unit_dp"),
        (lambda c: c.batch_payments.delete(batch_payment_id="BP-1"), "batch_payment_id"),
        (lambda c: c.receipts.create_many(RECEIPT), "receipts"),
        (
            lambda c: c.credit_notes.create(models.CreditNote(currency_code="nzd")),
            "CreditNote/CurrencyCode",
        ),
    ],
)
def test_bad_arguments_are_refused_before_sending(
    call: Callable[[XeroClient], object], needle: str
) -> None:
    recorder = Recorder("credit_notes_response/one.xml")
    with fake_client(recorder) as client, pytest.raises(RequestValidationError) as caught:
        call(client)
    assert needle in str(caught.value)
    assert recorder.requests == []
