"""Every verb of the family B resources from the SDK (sync, and the async twins) against a
real ``xero-sandbox serve`` over HTTPS: credit notes, prepayments, overpayments, batch
payments, receipts, expense claims and users."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest
from xero_customer_api import NotFoundError
from xero_customer_api.v2_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

from tests.resources.conftest import async_v2_client, kete_line

from ..e2e.conftest import sandbox, sandbox_db  # noqa: F401 (the session sandbox fixtures)

pytestmark = pytest.mark.e2e
DAY = datetime.date(2026, 7, 1)


def _note(contact: str, amount: str = "50.00", **fields: Any) -> models.CreditNote:
    return models.CreditNote(
        type=models.CreditNoteType.ACCRECCREDIT,
        contact=models.Contact(name=contact),
        date=DAY,
        line_items=[kete_line(amount)],
        **fields,
    )


def test_credit_notes_every_verb(client: XeroClient) -> None:
    who = f"Credit {uuid.uuid4().hex[:8]}"
    made = client.credit_notes.create(_note(who), unit_dp=4)
    assert made.credit_note_id and made.credit_note_number and made.total == Decimal("56.25")
    batch = client.credit_notes.create_many([_note(who), _note(who, "10.00")])
    assert [i.status for i in batch.items] == ["OK", "OK"]
    saved = client.credit_notes.save(
        models.CreditNote(
            credit_note_id=made.credit_note_id, status=models.CreditNoteStatus.AUTHORISED
        )
    )
    assert saved.status is models.CreditNoteStatus.AUTHORISED
    many = client.credit_notes.save_many(
        [_note(who, reference="by save_many"), models.CreditNote(credit_note_id=str(uuid.uuid4()))],
        summarize_errors=False,
    )
    assert [i.status for i in many.items] == ["OK", "ERROR"]
    got = client.credit_notes.get(credit_note_number=made.credit_note_number)
    assert got.credit_note_id == made.credit_note_id and len(got.line_items) == 1
    assert client.credit_notes.get(credit_note_id=made.credit_note_id).contact is not None
    mine = client.credit_notes.list(where=f'Contact.Name=="{who}"', page=1)
    assert len(mine) == 4 and all(c.line_items for c in mine)
    walked = list(client.credit_notes.iter(where=f'Contact.Name=="{who}"', page_size=3))
    assert [c.credit_note_id for c in walked] == [c.credit_note_id for c in mine]
    voided = client.credit_notes.delete(credit_note_id=made.credit_note_id, status="VOIDED")
    assert voided.status is models.CreditNoteStatus.VOIDED
    raw = client.credit_notes.with_raw_response.get(credit_note_id=made.credit_note_id)
    assert raw.status_code == 200 and raw.parsed.credit_notes[0].status == voided.status


def test_prepayments_and_overpayments_read(client: XeroClient) -> None:
    assert isinstance(client.prepayments.list(page=1, unit_dp=4), list)
    assert isinstance(client.overpayments.list(references=["none"]), list)
    assert list(client.prepayments.iter(invoice_numbers=["none"])) == []
    with pytest.raises(NotFoundError):
        client.prepayments.get(prepayment_id=uuid.uuid4())
    with pytest.raises(NotFoundError):
        client.overpayments.get(overpayment_id=uuid.uuid4())


def _approved(client: XeroClient, who: str, amount: str) -> str:
    invoice = client.invoices.create(
        models.Invoice(
            type=models.InvoiceType.ACCPAY,
            contact=models.Contact(name=who),
            date=DAY,
            status=models.InvoiceStatus.AUTHORISED,
            line_items=[kete_line(amount, "429", "NONE")],
        )
    )
    assert invoice.invoice_id
    return invoice.invoice_id


def _batch(*pairs: tuple[str, str]) -> models.BatchPayment:
    return models.BatchPayment(
        account=models.Account(code="090"),
        date=DAY,
        reference="e2e run",
        payments=[
            models.Payment(invoice=models.Invoice(invoice_id=i), amount=Decimal(a))
            for i, a in pairs
        ],
    )


def test_batch_payments_every_verb(client: XeroClient) -> None:
    who = f"Supplier {uuid.uuid4().hex[:8]}"
    one, two = _approved(client, who, "80.00"), _approved(client, who, "20.00")
    made = client.batch_payments.create(_batch((one, "80.00"), (two, "5.00")))
    assert made.type is models.BatchPaymentType.PAYBATCH and made.batch_payment_id
    assert made.total_amount == Decimal("85.00")
    assert client.invoices.get(invoice_id=one).status is models.InvoiceStatus.PAID
    more = client.batch_payments.create_many([_batch((two, "15.00"))])
    assert more.items[0].status == "OK"
    got = client.batch_payments.get(batch_payment_id=made.batch_payment_id)
    assert [p.amount for p in got.payments] == [Decimal("80.00"), Decimal("5.00")]
    assert made.batch_payment_id in {
        b.batch_payment_id for b in client.batch_payments.list(where='Type=="PAYBATCH"')
    }
    assert any(b.batch_payment_id == made.batch_payment_id for b in client.batch_payments.iter())
    gone = client.batch_payments.delete(batch_payment_id=made.batch_payment_id)
    assert gone.status is models.BatchPaymentStatus.DELETED
    assert client.invoices.get(invoice_id=one).amount_due == Decimal("80.00")
    second = more.items[0].item
    assert second is not None and second.batch_payment_id
    saved = client.batch_payments.save(
        models.BatchPayment(
            batch_payment_id=second.batch_payment_id, status=models.BatchPaymentStatus.DELETED
        )
    )
    assert saved.status is models.BatchPaymentStatus.DELETED
    assert client.invoices.get(invoice_id=two).amount_due == Decimal("20.00")


def test_receipts_expense_claims_and_users_every_verb(client: XeroClient) -> None:
    users = client.users.list()
    assert len(users) == 3 and list(client.users.iter(order="FirstName")) == users
    user = client.users.get(user_id=str(users[1].user_id))
    assert user == users[1]

    def receipt(amount: str) -> models.Receipt:
        return models.Receipt(
            date=DAY,
            contact=models.Contact(name="Cafe Kowhai"),
            user=models.User(user_id=user.user_id),
            line_items=[kete_line(amount, "420")],
            reference=f"e2e {uuid.uuid4().hex[:6]}",
        )

    first = client.receipts.create(receipt("12.00"))
    pair = client.receipts.create_many([receipt("3.00"), receipt("4.00")])
    assert first.receipt_id and len(pair) == 2
    edited = client.receipts.save(
        receipt_id=first.receipt_id, receipt=models.Receipt(reference="edited")
    )
    assert edited.reference == "edited"
    assert client.receipts.get(receipt_id=first.receipt_id, unit_dp=4).total == Decimal("13.50")
    assert first.receipt_id in {r.receipt_id for r in client.receipts.list(unit_dp=4)}
    assert any(r.receipt_id == first.receipt_id for r in client.receipts.iter())
    claim = client.expense_claims.create(
        models.ExpenseClaim(
            user=models.User(user_id=user.user_id),
            receipts=[models.Receipt(receipt_id=first.receipt_id)],
        )
    )
    assert claim.expense_claim_id and claim.total == Decimal("13.50")
    (other,) = client.expense_claims.create_many(
        [
            models.ExpenseClaim(
                user=models.User(user_id=user.user_id),
                receipts=[models.Receipt(receipt_id=r.receipt_id) for r in pair],
            )
        ]
    )
    approved = client.expense_claims.save(
        expense_claim_id=claim.expense_claim_id,
        expense_claim=models.ExpenseClaim(status=models.ExpenseClaimStatus.AUTHORISED),
    )
    assert approved.status is models.ExpenseClaimStatus.AUTHORISED
    assert other.expense_claim_id
    deleted = client.expense_claims.delete(expense_claim_id=other.expense_claim_id)
    assert deleted.status is models.ExpenseClaimStatus.DELETED
    got = client.expense_claims.get(expense_claim_id=claim.expense_claim_id)
    assert [r.status for r in got.receipts] == [models.ReceiptStatus.AUTHORISED]
    listed = {c.expense_claim_id for c in client.expense_claims.list()}
    assert {claim.expense_claim_id, other.expense_claim_id} <= listed
    assert claim.expense_claim_id in {c.expense_claim_id for c in client.expense_claims.iter()}


@pytest.mark.asyncio
async def test_async_twins(sandbox: RunningSandbox) -> None:  # noqa: F811
    async with async_v2_client(sandbox) as client:
        who = f"Async {uuid.uuid4().hex[:8]}"
        made = await client.credit_notes.create(_note(who))
        assert made.credit_note_id
        assert (await client.credit_notes.get(credit_note_id=made.credit_note_id)).total == (
            made.total
        )
        users = [u async for u in client.users.iter()]
        assert [u.user_id for u in users] == [u.user_id for u in await client.users.list()]
        assert isinstance(await client.batch_payments.list(), list)
        assert isinstance(await client.expense_claims.list(), list)
        assert isinstance(await client.receipts.list(), list)
        assert isinstance(await client.prepayments.list(), list)
        assert isinstance(await client.overpayments.list(), list)
