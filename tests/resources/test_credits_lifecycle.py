"""Xero's rules for the family B resources in the sandbox, through the async SDK in-process
(httpx's ASGI transport, a fresh store per test): credit note numbering and statuses,
allocations and what they do to invoices, prepayments and overpayments, batch payments
paying invoices, receipts and expense claims, and read-only users."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
import pytest_asyncio
from xero_customer_api import NotFoundError, ValidationError
from xero_customer_api.v2_0 import AsyncXeroClient, models
from xero_sandbox.app import SandboxApp
from xero_sandbox.store import Credentials, Store, new_guid
from xero_sandbox.v2_0.errors import Problems
from xero_sandbox.v2_0.resources import credits

DAY = datetime.date(2026, 7, 1)


@dataclass
class Env:
    client: AsyncXeroClient
    http: httpx.AsyncClient  # authorised raw access, for bodies the SDK does not send
    store: Store
    credentials: Credentials

    @property
    def org(self) -> int:
        found = self.store.org_by_tenant(self.credentials.tenant_id)
        assert found is not None
        return found.org_id


@pytest_asyncio.fixture
async def env() -> AsyncIterator[Env]:
    store = Store(None)
    credentials = store.ensure_seeded()
    app = SandboxApp(store, time_scale=60)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="https://sandbox.test") as http:
        client = AsyncXeroClient(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            tenant_id=credentials.tenant_id,
            token_url="https://sandbox.test/connect/token",
            base_url="https://sandbox.test/api.xro/2.0/",
            http_client=http,
        )
        token = await http.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=(credentials.client_id, credentials.client_secret),
        )
        raw = httpx.AsyncClient(
            transport=transport,
            base_url="https://sandbox.test/api.xro/2.0/",
            headers={
                "Authorization": f"Bearer {token.json()['access_token']}",
                "xero-tenant-id": credentials.tenant_id,
            },
        )
        async with raw:
            yield Env(client, raw, store, credentials)


def line(amount: str, account: str = "200", quantity: str = "1") -> models.LineItem:
    return models.LineItem(
        description="Kete",
        quantity=Decimal(quantity),
        unit_amount=Decimal(amount),
        account_code=account,
        tax_type="NONE",
    )


def note(kind: str = "ACCRECCREDIT", amount: str = "100.00", **fields: object) -> models.CreditNote:
    return models.CreditNote(
        type=models.CreditNoteType(kind),
        contact=models.Contact(name="Tui Bakery"),
        date=DAY,
        line_items=[line(amount, "200" if kind == "ACCRECCREDIT" else "429")],
        **fields,  # type: ignore[arg-type]
    )


async def approved_invoice(
    env: Env, amount: str = "100.00", kind: str = "ACCREC"
) -> models.Invoice:
    return await env.client.invoices.create(
        models.Invoice(
            type=models.InvoiceType(kind),
            contact=models.Contact(name="Tui Bakery"),
            date=DAY,
            status=models.InvoiceStatus.AUTHORISED,
            line_items=[line(amount, "200" if kind == "ACCREC" else "429")],
        )
    )


def messages(caught: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [m for e in caught.value.elements for m in e.validation_errors]


def allocate(env: Env, kind: str, source: str, invoice: str, amount: str) -> None:
    with env.store.write():
        credits.allocate(env.store, env.org, kind, source, invoice, Decimal(amount), DAY)


# ----------------------------------------------------------------------------- credit notes


@pytest.mark.asyncio
async def test_credit_note_numbers_are_made_and_unique(env: Env) -> None:
    first = await env.client.credit_notes.create(note())
    second = await env.client.credit_notes.create(note())
    assert (first.credit_note_number, second.credit_note_number) == ("CN-0001", "CN-0002")
    assert first.status is models.CreditNoteStatus.DRAFT
    assert (first.sub_total, first.total_tax, first.total) == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )
    assert first.remaining_credit == first.total
    with pytest.raises(ValidationError) as caught:
        await env.client.credit_notes.create(note(credit_note_number="CN-0001"))
    assert messages(caught) == [
        "The CreditNoteNumber CN-0001 is already assigned to another credit note."
    ]
    bills = [await env.client.credit_notes.create(note("ACCPAYCREDIT", credit_note_number="S-1"))
             for _ in range(2)]  # fmt: skip
    assert [b.credit_note_number for b in bills] == ["S-1", "S-1"]  # supplier numbers repeat
    found = await env.client.credit_notes.get(credit_note_number="CN-0002")
    assert found.credit_note_id == second.credit_note_id and len(found.line_items) == 1
    with pytest.raises(NotFoundError):
        await env.client.credit_notes.get(credit_note_number="CN-9999")
    with pytest.raises(NotFoundError):
        await env.client.credit_notes.get(credit_note_id="00000000-0000-4000-8000-000000000001")


@pytest.mark.asyncio
async def test_credit_note_statuses_move_as_xero_allows(env: Env) -> None:
    made = await env.client.credit_notes.create(note())
    assert made.credit_note_id is not None
    with pytest.raises(ValidationError) as caught:
        await env.client.credit_notes.create(note(status=models.CreditNoteStatus.PAID))
    assert messages(caught) == ["A credit note cannot be created with the status PAID."]
    submitted = await env.client.credit_notes.save(
        models.CreditNote(
            credit_note_id=made.credit_note_id, status=models.CreditNoteStatus.SUBMITTED
        )
    )
    assert submitted.status is models.CreditNoteStatus.SUBMITTED
    approved = await env.client.credit_notes.save(
        models.CreditNote(
            credit_note_number=made.credit_note_number, status=models.CreditNoteStatus.AUTHORISED
        )
    )  # matched on its number
    assert approved.status is models.CreditNoteStatus.AUTHORISED
    with pytest.raises(ValidationError) as caught:
        await env.client.credit_notes.delete(credit_note_id=made.credit_note_id)
    assert messages(caught) == ["A credit note in status AUTHORISED cannot become DELETED."]
    with pytest.raises(ValidationError) as caught:
        await env.client.credit_notes.save(
            models.CreditNote(credit_note_id=made.credit_note_id, line_items=[line("5.00")])
        )
    assert messages(caught) == ["A credit note in status AUTHORISED cannot be changed."]
    voided = await env.client.credit_notes.delete(
        credit_note_id=made.credit_note_id, status="VOIDED"
    )
    assert voided.status is models.CreditNoteStatus.VOIDED and voided.remaining_credit == 0
    draft = await env.client.credit_notes.create(note())
    assert draft.credit_note_id is not None
    gone = await env.client.credit_notes.delete(credit_note_id=draft.credit_note_id)
    assert gone.status is models.CreditNoteStatus.DELETED
    with pytest.raises(ValidationError):
        await env.client.credit_notes.save(
            models.CreditNote(
                credit_note_id=draft.credit_note_id, status=models.CreditNoteStatus.DRAFT
            )
        )


@pytest.mark.asyncio
async def test_credit_note_lines_and_totals_follow_the_invoice_rules(env: Env) -> None:
    with pytest.raises(ValidationError) as caught:
        await env.client.credit_notes.create(
            models.CreditNote(
                type=models.CreditNoteType.ACCRECCREDIT,
                contact=models.Contact(name="Tui"),
                line_items=[line("10.00", account="999")],
            )
        )
    assert "Account code '999' is not a valid code for this document." in messages(caught)
    with pytest.raises(ValidationError) as caught:
        await env.client.credit_notes.create(
            models.CreditNote(contact=models.Contact(name="Tui"), line_items=[line("1.00")])
        )
    assert messages(caught) == [
        "The credit note Type (ACCRECCREDIT or ACCPAYCREDIT) must be given."
    ]
    result = await env.client.credit_notes.create_many(
        [note(), models.CreditNote(type=models.CreditNoteType.ACCRECCREDIT)],
        summarize_errors=False,
    )
    ok, refused = result.items
    assert ok.status == "OK" and refused.status == "ERROR"
    assert refused.validation_errors == ["A credit note needs a Contact (its ContactID or Name)."]
    draft = await env.client.credit_notes.create(note(amount="10.00"))
    assert draft.credit_note_id is not None
    changed = await env.client.credit_notes.save(
        models.CreditNote(
            credit_note_id=draft.credit_note_id, line_items=[line("20.00", quantity="3")]
        )
    )
    assert changed.total == changed.remaining_credit == Decimal("60.00")


@pytest.mark.asyncio
async def test_credit_note_lists_page_filter_and_take_if_modified_since(env: Env) -> None:
    made = [await env.client.credit_notes.create(note(amount=f"{n}.00")) for n in range(1, 6)]
    unpaged = await env.client.credit_notes.list()
    assert len(unpaged) == 5 and all(c.line_items == [] for c in unpaged)
    page = await env.client.credit_notes.list(page=2, page_size=2)
    assert [c.credit_note_number for c in page] == ["CN-0003", "CN-0004"]
    assert all(len(c.line_items) == 1 for c in page)
    walked = [c.credit_note_number async for c in env.client.credit_notes.iter(page_size=2)]
    assert walked == [f"CN-000{n}" for n in range(1, 6)]
    big = await env.client.credit_notes.list(where="Total>=3", order="Total DESC")
    assert [c.total for c in big] == [Decimal("5.00"), Decimal("4.00"), Decimal("3.00")]
    stamp = made[3].updated_date_utc
    assert stamp is not None
    later = await env.client.credit_notes.list(modified_since=stamp + datetime.timedelta(seconds=1))
    assert later == []
    assert len(await env.client.credit_notes.list(modified_since=stamp.replace(microsecond=0))) >= 2


# ----------------------------------------------------------------------------- allocations


@pytest.mark.asyncio
async def test_an_allocated_credit_note_pays_down_the_invoice(env: Env) -> None:
    invoice = await approved_invoice(env, "100.00")
    credit = await env.client.credit_notes.create(
        note(amount="60.00", status=models.CreditNoteStatus.AUTHORISED)
    )
    assert invoice.invoice_id and credit.credit_note_id
    allocate(env, credits.CREDIT_NOTE, credit.credit_note_id, invoice.invoice_id, "40.00")
    seen = await env.client.invoices.get(invoice_id=invoice.invoice_id)
    assert (seen.amount_due, seen.amount_credited) == (Decimal("60.00"), Decimal("40.00"))
    assert [(c.credit_note_number, c.applied_amount) for c in seen.credit_notes] == [
        ("CN-0001", Decimal("40.00"))
    ]
    (listed,) = await env.client.invoices.list(page=1)
    assert listed.credit_notes == seen.credit_notes
    again = await env.client.credit_notes.get(credit_note_id=credit.credit_note_id)
    assert again.remaining_credit == Decimal("20.00")
    assert again.status is models.CreditNoteStatus.AUTHORISED
    (allocation,) = again.allocations
    assert allocation.applied_amount == Decimal("40.00") and allocation.invoice is not None
    assert allocation.invoice.invoice_id == invoice.invoice_id
    with pytest.raises(ValidationError) as caught:  # "cannot be edited" once allocated
        await env.client.credit_notes.delete(credit_note_id=credit.credit_note_id, status="VOIDED")
    assert messages(caught) == [
        "This document cannot be edited as it has a payment or credit note allocated to it."
    ]
    with pytest.raises(ValidationError) as caught:
        await env.client.invoices.delete(invoice_id=invoice.invoice_id, status="VOIDED")
    assert messages(caught) == [
        "This document cannot be edited as it has a payment or credit note allocated to it."
    ]
    allocate(env, credits.CREDIT_NOTE, credit.credit_note_id, invoice.invoice_id, "20.00")
    spent = await env.client.credit_notes.get(credit_note_id=credit.credit_note_id)
    assert spent.status is models.CreditNoteStatus.PAID and spent.remaining_credit == 0
    assert spent.fully_paid_on_date == DAY


@pytest.mark.asyncio
async def test_allocations_are_refused_as_xero_words_it(env: Env) -> None:
    invoice = await approved_invoice(env, "50.00")
    bill = await approved_invoice(env, "50.00", "ACCPAY")
    credit = await env.client.credit_notes.create(
        note(amount="80.00", status=models.CreditNoteStatus.AUTHORISED)
    )
    draft = await env.client.credit_notes.create(note(amount="5.00"))
    assert invoice.invoice_id and bill.invoice_id and credit.credit_note_id
    assert draft.credit_note_id
    cases = [
        (credit.credit_note_id, bill.invoice_id, "1.00",
         "Credit Note cannot be allocated to an incorrect invoice type"),
        (credit.credit_note_id, invoice.invoice_id, "60.00",
         "Credit Note cannot be allocated as amount is greater than amount outstanding"),
        (draft.credit_note_id, invoice.invoice_id, "1.00",
         "A credit note in status DRAFT cannot be allocated."),
    ]  # fmt: skip
    for source, target, amount, message in cases:
        with pytest.raises(Problems) as caught:
            allocate(env, credits.CREDIT_NOTE, source, target, amount)
        assert caught.value.messages == [message]
    allocate(env, credits.CREDIT_NOTE, credit.credit_note_id, invoice.invoice_id, "50.00")
    paid = await env.client.invoices.get(invoice_id=invoice.invoice_id)
    assert paid.status is models.InvoiceStatus.PAID and paid.amount_due == 0
    with pytest.raises(Problems) as caught:
        allocate(env, credits.CREDIT_NOTE, credit.credit_note_id, invoice.invoice_id, "1.00")
    assert caught.value.messages == [
        "The invoice you are trying to allocate to has already been paid off"
    ]


# ----------------------------------------------------------------------------- pre/overpayments


def _credit(env: Env, kind: str, type_: str, amount: str, **fields: str) -> str:
    (contact, *_) = env.store.contacts(env.org)  # the invoice's
    credit_id = new_guid()
    rec = credits.Credit(
        credit_id=credit_id,
        kind=kind,
        type=type_,
        contact_id=contact.contact_id,
        date=DAY,
        status="AUTHORISED",
        line_amount_types="NoTax",
        lines=[],
        sub_total=Decimal(amount),
        total_tax=Decimal(0),
        total=Decimal(amount),
        remaining_credit=Decimal(amount),
        updated=env.store.stamp(),
        **fields,  # type: ignore[arg-type]
    )
    with env.store.write():
        credits.save_credit(env.store, env.org, rec)
    return credit_id


@pytest.mark.asyncio
async def test_prepayments_and_overpayments_are_read_filtered_and_allocated(env: Env) -> None:
    invoice = await approved_invoice(env, "300.00")
    assert invoice.invoice_id
    pre = _credit(env, credits.PREPAYMENT, "RECEIVE-PREPAYMENT", "200.00", invoice_number="P-7")
    _credit(env, credits.PREPAYMENT, "SPEND-PREPAYMENT", "10.00", invoice_number="P-8")
    over = _credit(env, credits.OVERPAYMENT, "RECEIVE-OVERPAYMENT", "25.00", reference="Twice")
    assert len(await env.client.prepayments.list()) == 2
    (found,) = await env.client.prepayments.list(invoice_numbers=["P-7"])
    assert found.prepayment_id == pre and found.type is models.PrepaymentType.RECEIVE_PREPAYMENT
    assert [p.invoice_number for p in await env.client.prepayments.list(page=2, page_size=1)] == [
        "P-8"
    ]
    (overpayment,) = await env.client.overpayments.list(references=["Twice"])
    assert overpayment.overpayment_id == over
    assert await env.client.overpayments.list(references=["Other"]) == []
    assert (await env.client.overpayments.get(overpayment_id=over)).total == Decimal("25.00")
    with pytest.raises(NotFoundError):
        await env.client.prepayments.get(prepayment_id=over)  # an overpayment's id
    allocate(env, credits.PREPAYMENT, pre, invoice.invoice_id, "150.00")
    allocate(env, credits.OVERPAYMENT, over, invoice.invoice_id, "25.00")
    seen = await env.client.invoices.get(invoice_id=invoice.invoice_id)
    assert [p.applied_amount for p in seen.prepayments] == [Decimal("150.00")]
    assert [o.applied_amount for o in seen.overpayments] == [Decimal("25.00")]
    assert seen.amount_due == Decimal("125.00") and seen.amount_credited == Decimal("175.00")
    spent = await env.client.overpayments.get(overpayment_id=over)
    assert spent.status is models.OverpaymentStatus.PAID and spent.remaining_credit == 0
    left = await env.client.prepayments.get(prepayment_id=pre)
    assert left.remaining_credit == Decimal("50.00") and len(left.allocations) == 1


# ----------------------------------------------------------------------------- batch payments


def batch(*payments: tuple[str | None, str], account: str = "090") -> models.BatchPayment:
    return models.BatchPayment(
        account=models.Account(code=account),
        date=DAY,
        reference="July run",
        payments=[
            models.Payment(invoice=models.Invoice(invoice_id=i), amount=Decimal(a))
            for i, a in payments
        ],
    )


@pytest.mark.asyncio
async def test_a_batch_payment_pays_each_invoice_and_is_deleted_whole(env: Env) -> None:
    one = await approved_invoice(env, "100.00")
    two = await approved_invoice(env, "40.00")
    made = await env.client.batch_payments.create(
        batch((one.invoice_id, "100.00"), (two.invoice_id, "15.50"))
    )
    assert made.type is models.BatchPaymentType.RECBATCH
    assert made.status is models.BatchPaymentStatus.AUTHORISED
    assert made.total_amount == Decimal("115.50") and len(made.payments) == 2
    assert made.batch_payment_id is not None
    paid = await env.client.invoices.get(invoice_id=one.invoice_id)
    assert paid.status is models.InvoiceStatus.PAID and paid.amount_due == 0
    part = await env.client.invoices.get(invoice_id=two.invoice_id)
    assert part.amount_due == Decimal("24.50") and part.payments[0].reference == "July run"
    listed = await env.client.payments.list()
    assert {p.payment_type for p in listed} == {models.PaymentType.ACCRECPAYMENT}
    assert {p.batch_payment_id for p in listed} == {made.batch_payment_id}
    assert [b.batch_payment_id for b in await env.client.batch_payments.list()] == [
        made.batch_payment_id
    ]
    gone = await env.client.batch_payments.delete(batch_payment_id=made.batch_payment_id)
    assert gone.status is models.BatchPaymentStatus.DELETED
    back = await env.client.invoices.get(invoice_id=one.invoice_id)
    assert back.status is models.InvoiceStatus.AUTHORISED and back.amount_due == Decimal("100.00")
    assert all(p.status is models.PaymentStatus.DELETED for p in await env.client.payments.list())


@pytest.mark.asyncio
async def test_a_batch_payment_is_refused_whole(env: Env) -> None:
    invoice = await approved_invoice(env, "100.00")
    bill = await approved_invoice(env, "30.00", "ACCPAY")
    with pytest.raises(ValidationError) as caught:
        await env.client.batch_payments.create(
            batch((invoice.invoice_id, "60.00"), (invoice.invoice_id, "60.00"))
        )
    assert messages(caught) == ["Payment 2: the amount 60.00 exceeds the amount due (40.00)."]
    assert await env.client.payments.list() == []  # nothing was paid
    with pytest.raises(ValidationError) as caught:
        await env.client.batch_payments.create(
            batch((invoice.invoice_id, "1.00"), (bill.invoice_id, "1.00"))
        )
    assert messages(caught) == [
        "A batch payment's invoices must be all sales invoices or all bills."
    ]
    with pytest.raises(ValidationError) as caught:
        await env.client.batch_payments.create(batch((invoice.invoice_id, "1.00"), account="200"))
    assert messages(caught) == ["Payments cannot be made to the account 200."]
    long = batch((bill.invoice_id, "1.00"))
    long.details = "x" * 19
    with pytest.raises(ValidationError) as caught:
        await env.client.batch_payments.create(long)
    assert messages(caught) == ["Details must be at most 18 characters long."]
    made = await env.client.batch_payments.create(batch((bill.invoice_id, "30.00")))
    assert made.type is models.BatchPaymentType.PAYBATCH


@pytest.mark.asyncio
async def test_batch_payment_deletes_by_body_and_refuses_other_updates(env: Env) -> None:
    invoice = await approved_invoice(env, "10.00")
    made = await env.client.batch_payments.create(batch((invoice.invoice_id, "10.00")))
    refused = await env.http.post(
        f"BatchPayments/{made.batch_payment_id}",
        content=b"<BatchPayment><Status>AUTHORISED</Status></BatchPayment>",
    )
    assert refused.status_code == 400
    assert b"A batch payment can only be deleted (Status DELETED)." in refused.content
    assert made.batch_payment_id
    deleted = await env.client.batch_payments.save(
        models.BatchPayment(
            batch_payment_id=made.batch_payment_id, status=models.BatchPaymentStatus.DELETED
        )
    )  # POST BatchPayments, the id in the body
    assert deleted.status is models.BatchPaymentStatus.DELETED
    with pytest.raises(ValidationError) as caught:
        await env.client.batch_payments.save(
            models.BatchPayment(status=models.BatchPaymentStatus.DELETED)
        )
    assert messages(caught) == ["A BatchPaymentID must be given."]
    again = await env.client.batch_payments.get(batch_payment_id=made.batch_payment_id)
    assert again.status is models.BatchPaymentStatus.DELETED
    with pytest.raises(NotFoundError):
        await env.client.batch_payments.get(batch_payment_id=invoice.invoice_id)


# ----------------------------------------------------------------------------- receipts, claims


def receipt(user_id: str | None, amount: str = "20.00") -> models.Receipt:
    return models.Receipt(
        date=DAY,
        contact=models.Contact(name="Cafe Kowhai"),
        user=models.User(user_id=user_id),
        line_items=[line(amount, "420")],
    )


@pytest.mark.asyncio
async def test_receipts_are_drafts_of_a_valid_user(env: Env) -> None:
    aroha, ben, _ = await env.client.users.list()
    assert aroha.user_id and ben.user_id
    first = await env.client.receipts.create(receipt(ben.user_id))
    second = await env.client.receipts.create(receipt(ben.user_id))
    other = await env.client.receipts.create(receipt(aroha.user_id))
    assert [r.receipt_number for r in (first, second, other)] == ["1", "2", "1"]
    assert first.status is models.ReceiptStatus.DRAFT and first.total == Decimal("20.00")
    assert first.user is not None and first.user.first_name == "Ben"
    with pytest.raises(ValidationError) as caught:
        await env.client.receipts.create(receipt("00000000-0000-4000-8000-000000000009"))
    assert messages(caught) == ["A valid user should be identified using the UserID."]
    with pytest.raises(ValidationError) as caught:
        await env.client.receipts.create_many([receipt(ben.user_id), receipt(None)])
    assert messages(caught) == ["A valid user should be identified using the UserID."]
    draft = receipt(ben.user_id)
    draft.status = models.ReceiptStatus.AUTHORISED
    with pytest.raises(ValidationError) as caught:
        await env.client.receipts.create(draft)
    assert messages(caught) == ["A receipt is created as a DRAFT, not AUTHORISED."]
    assert first.receipt_id
    edited = await env.client.receipts.save(
        receipt_id=first.receipt_id, receipt=models.Receipt(line_items=[line("7.50", "420", "2")])
    )
    assert edited.total == Decimal("15.00")
    submitted = await env.client.receipts.save(
        receipt_id=first.receipt_id, receipt=models.Receipt(status=models.ReceiptStatus.SUBMITTED)
    )
    assert submitted.status is models.ReceiptStatus.SUBMITTED
    with pytest.raises(ValidationError) as caught:
        await env.client.receipts.save(
            receipt_id=first.receipt_id, receipt=models.Receipt(reference="later")
        )
    assert messages(caught) == ["A receipt in status SUBMITTED cannot be changed."]
    # the valid receipt of the refused batch was saved all the same, as Xero does
    assert len(await env.client.receipts.list(where='Status=="DRAFT"')) == 3


@pytest.mark.asyncio
async def test_an_expense_claim_moves_its_receipts(env: Env) -> None:
    aroha, ben, _ = await env.client.users.list()
    assert aroha.user_id and ben.user_id
    mine = [await env.client.receipts.create(receipt(ben.user_id, a)) for a in ("20.00", "5.00")]
    theirs = await env.client.receipts.create(receipt(aroha.user_id))
    ids = [models.Receipt(receipt_id=r.receipt_id) for r in mine]
    with pytest.raises(ValidationError) as caught:
        await env.client.expense_claims.create(
            models.ExpenseClaim(
                user=models.User(user_id=ben.user_id),
                receipts=[models.Receipt(receipt_id=theirs.receipt_id)],
            )
        )
    assert messages(caught) == [f"The receipt {theirs.receipt_id} belongs to another user."]
    claim = await env.client.expense_claims.create(
        models.ExpenseClaim(user=models.User(user_id=ben.user_id), receipts=ids)
    )
    assert claim.status is models.ExpenseClaimStatus.SUBMITTED
    assert claim.total == claim.amount_due == Decimal("25.00")
    assert [r.status for r in claim.receipts] == [models.ReceiptStatus.SUBMITTED] * 2
    with pytest.raises(ValidationError) as caught:
        await env.client.expense_claims.create(
            models.ExpenseClaim(user=models.User(user_id=ben.user_id), receipts=ids[:1])
        )
    assert messages(caught) == [
        f"The receipt {mine[0].receipt_id} is already part of an expense claim."
    ]
    assert claim.expense_claim_id and mine[0].receipt_id
    with pytest.raises(ValidationError) as caught:
        await env.client.receipts.save(
            receipt_id=mine[0].receipt_id,
            receipt=models.Receipt(status=models.ReceiptStatus.AUTHORISED),
        )
    assert messages(caught) == [
        "This receipt is part of an expense claim: change the claim instead."
    ]
    approved = await env.client.expense_claims.save(
        expense_claim_id=claim.expense_claim_id,
        expense_claim=models.ExpenseClaim(status=models.ExpenseClaimStatus.AUTHORISED),
    )
    assert approved.status is models.ExpenseClaimStatus.AUTHORISED
    assert [r.status for r in approved.receipts] == [models.ReceiptStatus.AUTHORISED] * 2
    with pytest.raises(ValidationError) as caught:
        await env.client.expense_claims.delete(expense_claim_id=claim.expense_claim_id)
    assert messages(caught) == ["An expense claim in status AUTHORISED cannot become DELETED."]
    voided = await env.client.expense_claims.delete(
        expense_claim_id=claim.expense_claim_id, status="VOIDED"
    )
    assert voided.status is models.ExpenseClaimStatus.VOIDED and voided.amount_due == 0
    assert [r.status for r in voided.receipts] == [models.ReceiptStatus.VOIDED] * 2


@pytest.mark.asyncio
async def test_deleting_a_claim_returns_its_receipts_to_drafts(env: Env) -> None:
    _, ben, _ = await env.client.users.list()
    made = await env.client.receipts.create(receipt(ben.user_id))
    claim = await env.client.expense_claims.create(
        models.ExpenseClaim(
            user=models.User(user_id=ben.user_id),
            receipts=[models.Receipt(receipt_id=made.receipt_id)],
        )
    )
    assert claim.expense_claim_id and made.receipt_id
    deleted = await env.client.expense_claims.delete(expense_claim_id=claim.expense_claim_id)
    assert deleted.status is models.ExpenseClaimStatus.DELETED
    again = await env.client.receipts.get(receipt_id=made.receipt_id)
    assert again.status is models.ReceiptStatus.DRAFT
    fresh = await env.client.expense_claims.create(
        models.ExpenseClaim(
            user=models.User(user_id=ben.user_id),
            receipts=[models.Receipt(receipt_id=made.receipt_id)],
        )
    )  # a draft again, so it can be claimed again
    assert fresh.status is models.ExpenseClaimStatus.SUBMITTED
    listed = await env.client.expense_claims.list(where='Status=="SUBMITTED"')
    assert [c.expense_claim_id for c in listed] == [fresh.expense_claim_id]


# ----------------------------------------------------------------------------- users


@pytest.mark.asyncio
async def test_users_are_read_only(env: Env) -> None:
    users = await env.client.users.list()
    assert [u.first_name for u in users] == ["Aroha", "Ben", "Mei"]
    (subscriber,) = await env.client.users.list(where="IsSubscriber==true")
    assert subscriber.organisation_role is models.OrganisationRole.FINANCIALADVISER
    assert subscriber.user_id
    assert (await env.client.users.get(user_id=subscriber.user_id)) == subscriber
    with pytest.raises(NotFoundError):
        await env.client.users.get(user_id="00000000-0000-4000-8000-000000000009")
    for method in ("PUT", "POST"):
        answer = await env.http.request(method, "Users", content=b"<User/>")
        assert answer.status_code == 404
    stamp = subscriber.updated_date_utc
    assert stamp is not None
    assert await env.client.users.list(modified_since=stamp + datetime.timedelta(days=1)) == []
