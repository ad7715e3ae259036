"""Issue 18's XML sub-resources from the SDK (sync and async) and the `xero` command line
against a real ``xero-sandbox serve`` over HTTPS: the history and notes of the sixteen
resources that keep one, an invoice's email and online link, and the allocations of credit
notes, prepayments and overpayments (the invoice's AmountDue and AmountCredited and the
source's RemainingCredit follow, and come back when an allocation is deleted)."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from xero_customer_api import NotFoundError, RequestValidationError, ValidationError
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient, models
from xero_sandbox.process import RunningSandbox

from tests.resources.conftest import kete_line, run_xero

from ..e2e.conftest import sandbox, sandbox_db  # noqa: F401 (the session sandbox fixtures)

pytestmark = pytest.mark.e2e
DAY = datetime.date(2026, 7, 1)


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _invoice(
    client: XeroClient,
    contact: models.Contact,
    amount: str = "100.00",
    status: models.InvoiceStatus = models.InvoiceStatus.AUTHORISED,
    kind: models.InvoiceType = models.InvoiceType.ACCREC,
) -> models.Invoice:
    return client.invoices.create(
        models.Invoice(
            type=kind,
            contact=contact,
            date=DAY,
            due_date=DAY + datetime.timedelta(days=20),
            status=status,
            line_items=[kete_line(amount, "200" if kind is models.InvoiceType.ACCREC else "310")],
        )
    )


def _bank(client: XeroClient) -> models.Account:
    return client.accounts.list(where='Type=="BANK"')[0]


def _money(client: XeroClient, kind: models.BankTransactionType, who: str, amount: str) -> str:
    """A bank transaction of ``kind``; for a pre/overpayment, the id of the document it made."""
    made = client.bank_transactions.create(
        models.BankTransaction(
            type=kind,
            contact=models.Contact(name=who),
            bank_account=models.Account(account_id=_bank(client).account_id),
            date=DAY,
            line_items=[kete_line(amount)],
        )
    )
    found = made.prepayment_id or made.overpayment_id or made.bank_transaction_id
    assert found is not None
    return found


# --------------------------------------------------------------------- one record of each kind


def _user(client: XeroClient) -> models.User:
    return models.User(user_id=client.users.list()[0].user_id)


def _receipt(client: XeroClient, who: str) -> models.Receipt:
    return client.receipts.create(
        models.Receipt(
            user=_user(client),
            contact=models.Contact(name=who),
            date=DAY,
            line_items=[kete_line("9.50", "429")],
        )
    )


def _batch_payment(client: XeroClient, who: str) -> str:
    bill = _invoice(client, models.Contact(name=who), "40.00", kind=models.InvoiceType.ACCPAY)
    run = client.batch_payments.create(
        models.BatchPayment(
            account=models.Account(account_id=_bank(client).account_id),
            date=DAY,
            reference=f"Run {who}",
            payments=[
                models.Payment(
                    invoice=models.Invoice(invoice_id=bill.invoice_id), amount=Decimal("40.00")
                )
            ],
        )
    )
    assert run.batch_payment_id is not None
    return run.batch_payment_id


def _bank_transfer(client: XeroClient, who: str) -> str:
    savings = client.accounts.create(
        models.Account(
            code=f"S{who[:6]}",
            name=f"Savings {who}",
            type=models.AccountType.BANK,
            bank_account_number=f"12-3456-{who[:7]}",
        )
    )
    made = client.bank_transfers.create(
        models.BankTransfer(
            from_bank_account=models.Account(account_id=_bank(client).account_id),
            to_bank_account=models.Account(account_id=savings.account_id),
            amount=Decimal("25.00"),
            date=DAY,
        )
    )
    assert made.bank_transfer_id is not None
    return made.bank_transfer_id


def _payment(client: XeroClient, who: str) -> str:
    sale = _invoice(client, models.Contact(name=who))
    paid = client.payments.create(
        models.Payment(
            invoice=models.Invoice(invoice_id=sale.invoice_id),
            account=models.Account(account_id=_bank(client).account_id),
            date=DAY,
            amount=Decimal("10.00"),
        )
    )
    assert paid.payment_id is not None
    return paid.payment_id


def _expense_claim(client: XeroClient, who: str) -> str:
    receipt = _receipt(client, who)
    claim = client.expense_claims.create(
        models.ExpenseClaim(
            user=_user(client), receipts=[models.Receipt(receipt_id=receipt.receipt_id)]
        )
    )
    assert claim.expense_claim_id is not None
    return claim.expense_claim_id


def _id(value: str | None) -> str:
    assert value is not None
    return value


MAKERS: dict[str, Callable[[XeroClient, str], str]] = {
    "bank_transactions": lambda c, who: _money(c, models.BankTransactionType.SPEND, who, "12.00"),
    "bank_transfers": _bank_transfer,
    "batch_payments": _batch_payment,
    "contacts": lambda c, who: _id(
        c.contacts.create(models.Contact(name=f"History {who}")).contact_id
    ),
    "credit_notes": lambda c, who: _id(
        c.credit_notes.create(
            models.CreditNote(
                type=models.CreditNoteType.ACCRECCREDIT,
                contact=models.Contact(name=who),
                date=DAY,
                line_items=[kete_line("20.00")],
            )
        ).credit_note_id
    ),
    "expense_claims": _expense_claim,
    "invoices": lambda c, who: _id(_invoice(c, models.Contact(name=who)).invoice_id),
    "items": lambda c, who: _id(
        c.items.create(models.Item(code=f"H-{who}", name=f"Item {who}")).item_id
    ),
    "manual_journals": lambda c, who: _id(
        c.manual_journals.create(
            models.ManualJournal(
                narration=f"Journal {who}",
                date=DAY,
                journal_lines=[
                    models.ManualJournalLine(account_code="429", line_amount=Decimal("5.00")),
                    models.ManualJournalLine(account_code="200", line_amount=Decimal("-5.00")),
                ],
            )
        ).manual_journal_id
    ),
    "overpayments": lambda c, who: _money(
        c, models.BankTransactionType.RECEIVE_OVERPAYMENT, who, "30.00"
    ),
    "payments": _payment,
    "prepayments": lambda c, who: _money(
        c, models.BankTransactionType.RECEIVE_PREPAYMENT, who, "30.00"
    ),
    "purchase_orders": lambda c, who: _id(
        c.purchase_orders.create(
            models.PurchaseOrder(
                contact=models.Contact(name=who), date=DAY, line_items=[kete_line("8.00", "310")]
            )
        ).purchase_order_id
    ),
    "quotes": lambda c, who: _id(
        c.quotes.create(
            models.Quote(
                contact=models.Contact(name=who), date=DAY, line_items=[kete_line("70.00")]
            )
        ).quote_id
    ),
    "receipts": lambda c, who: _id(_receipt(c, who).receipt_id),
    "repeating_invoices": lambda c, who: _id(
        c.repeating_invoices.create(
            models.RepeatingInvoice(
                type=models.InvoiceType.ACCREC,
                contact=models.Contact(name=who),
                schedule=models.Schedule(
                    period=1,
                    unit=models.ScheduleUnit.MONTHLY,
                    due_date=20,
                    due_date_type=models.ScheduleDueDateType.OFFOLLOWINGMONTH,
                    start_date=datetime.date(2027, 1, 1),
                ),
                line_items=[kete_line("45.00")],
            )
        ).repeating_invoice_id
    ),
}
ID_ARGUMENT = {
    "bank_transactions": "bank_transaction_id",
    "bank_transfers": "bank_transfer_id",
    "batch_payments": "batch_payment_id",
    "contacts": "contact_id",
    "credit_notes": "credit_note_id",
    "expense_claims": "expense_claim_id",
    "invoices": "invoice_id",
    "items": "item_id",
    "manual_journals": "manual_journal_id",
    "overpayments": "overpayment_id",
    "payments": "payment_id",
    "prepayments": "prepayment_id",
    "purchase_orders": "purchase_order_id",
    "quotes": "quote_id",
    "receipts": "receipt_id",
    "repeating_invoices": "repeating_invoice_id",
}
NO_NOTES = {"overpayments", "payments", "prepayments", "receipts"}


# --------------------------------------------------------------------- history and notes


@pytest.mark.parametrize("resource", sorted(MAKERS))
def test_history_and_notes(client: XeroClient, resource: str) -> None:
    who = _tag()
    record_id = MAKERS[resource](client, who)
    arg = ID_ARGUMENT[resource]
    history = getattr(client, resource).history
    before = history.list(**{arg: record_id})
    assert before, "the sandbox records at least the creation"
    assert all(isinstance(r, models.HistoryRecord) for r in before)
    assert all(r.date_utc is not None and r.date_utc.tzinfo is not None for r in before)
    assert [r.date_utc for r in before] == sorted(r.date_utc for r in before if r.date_utc)
    if resource in NO_NOTES:
        assert not hasattr(history, "add_note")
        return
    text = f"Checked by {who}: ok & <fine>"
    note = history.add_note(**{arg: record_id}, details=text)
    assert (note.changes, note.user, note.details) == ("Note", "System Generated", text)
    after = history.list(**{arg: uuid.UUID(record_id)})
    assert len(after) == len(before) + 1
    assert (after[-1].changes, after[-1].details) == ("Note", text)
    longest = history.add_note(**{arg: record_id}, details="n" * 2500)
    assert longest.details == "n" * 2500


def test_note_limits_are_checked_before_sending(client: XeroClient) -> None:
    invoice_id = MAKERS["invoices"](client, _tag())
    with pytest.raises(RequestValidationError, match="2500"):
        client.invoices.history.add_note(invoice_id=invoice_id, details="n" * 2501)
    with pytest.raises(RequestValidationError):
        client.invoices.history.add_note(invoice_id=invoice_id, details="")
    assert [r.changes for r in client.invoices.history.list(invoice_id=invoice_id)].count(
        "Note"
    ) == 0


def test_history_of_a_record_that_does_not_exist_is_not_found(client: XeroClient) -> None:
    with pytest.raises(NotFoundError):
        client.invoices.history.list(invoice_id=uuid.uuid4())
    with pytest.raises(NotFoundError):
        client.contacts.history.add_note(contact_id=uuid.uuid4(), details="Nobody home")


# --------------------------------------------------------------------- email and online invoice


def test_email_and_online_invoice_of_an_approved_sales_invoice(client: XeroClient) -> None:
    who = _tag()
    contact = client.contacts.create(
        models.Contact(name=f"Mail {who}", email_address=f"{who}@example.com")
    )
    invoice = _invoice(client, models.Contact(contact_id=contact.contact_id))
    assert client.invoices.email(invoice_id=invoice.invoice_id) is None
    url = client.invoices.online_invoice_url(invoice_id=invoice.invoice_id)
    assert isinstance(url, str) and url.startswith("https://in.xero.com/")
    assert client.invoices.online_invoice_url(invoice_id=invoice.invoice_id) == url  # stable


def test_what_cannot_be_emailed_or_put_online_is_refused(client: XeroClient) -> None:
    who = _tag()
    emailable = models.Contact(
        contact_id=client.contacts.create(
            models.Contact(name=f"Mail {who}", email_address=f"{who}@example.com")
        ).contact_id
    )
    draft = _invoice(client, emailable, status=models.InvoiceStatus.DRAFT)
    bill = _invoice(client, emailable, kind=models.InvoiceType.ACCPAY)
    no_email = _invoice(client, models.Contact(name=f"No mail {who}"))
    for invoice in (draft, bill, no_email):
        with pytest.raises(ValidationError):
            client.invoices.email(invoice_id=invoice.invoice_id)
    for invoice in (draft, bill):
        with pytest.raises(ValidationError):
            client.invoices.online_invoice_url(invoice_id=invoice.invoice_id)
    with pytest.raises(NotFoundError):
        client.invoices.email(invoice_id=uuid.uuid4())


# --------------------------------------------------------------------- allocations


def _source(client: XeroClient, resource: str, who: str) -> tuple[str, models.Contact]:
    """An approved credit note, prepayment or overpayment of 100.00 of a new contact."""
    if resource == "credit_notes":
        note = client.credit_notes.create(
            models.CreditNote(
                type=models.CreditNoteType.ACCRECCREDIT,
                contact=models.Contact(name=who),
                date=DAY,
                status=models.CreditNoteStatus.AUTHORISED,
                line_items=[kete_line("100.00")],
            )
        )
        assert note.contact is not None and note.credit_note_id is not None
        return note.credit_note_id, models.Contact(contact_id=note.contact.contact_id)
    kind = (
        models.BankTransactionType.RECEIVE_PREPAYMENT
        if resource == "prepayments"
        else models.BankTransactionType.RECEIVE_OVERPAYMENT
    )
    source_id = _money(client, kind, who, "100.00")
    found = getattr(client, resource).get(**{ID_ARGUMENT[resource]: source_id})
    return source_id, models.Contact(contact_id=found.contact.contact_id)


def _remaining(client: XeroClient, resource: str, source_id: str) -> Decimal:
    found = getattr(client, resource).get(**{ID_ARGUMENT[resource]: source_id})
    return Decimal(found.remaining_credit)


@pytest.mark.parametrize("resource", ["credit_notes", "prepayments", "overpayments"])
def test_allocate_and_take_back(client: XeroClient, resource: str) -> None:
    who = f"Alloc {_tag()}"
    source_id, contact = _source(client, resource, who)
    arg = ID_ARGUMENT[resource]
    invoice = _invoice(client, contact, "150.00")
    start = _remaining(client, resource, source_id)
    made = getattr(client, resource).allocations.create(
        **{arg: source_id},
        allocations=[
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=invoice.invoice_id),
                applied_amount=Decimal("60.00"),
                date=DAY,
            ),
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=invoice.invoice_id),
                applied_amount=Decimal("15.50"),
                date=DAY + datetime.timedelta(days=1),
            ),
        ],
    )
    assert [a.applied_amount for a in made] == [Decimal("60.00"), Decimal("15.50")]
    assert all(isinstance(a, models.Allocation) and a.allocation_id for a in made)
    assert made[0].invoice is not None and made[0].invoice.invoice_id == invoice.invoice_id
    assert made[0].date == DAY and made[1].date == DAY + datetime.timedelta(days=1)
    owed = client.invoices.get(invoice_id=invoice.invoice_id)
    assert owed.amount_due == Decimal(invoice.total) - Decimal("75.50")
    assert owed.amount_credited == Decimal("75.50")
    assert _remaining(client, resource, source_id) == start - Decimal("75.50")
    gone = getattr(client, resource).allocations.delete(
        **{arg: source_id}, allocation_id=made[0].allocation_id
    )
    assert isinstance(gone, models.Allocation) and gone.is_deleted is True
    assert gone.allocation_id == made[0].allocation_id
    assert _remaining(client, resource, source_id) == start - Decimal("15.50")
    owed = client.invoices.get(invoice_id=invoice.invoice_id)
    assert owed.amount_due == Decimal(invoice.total) - Decimal("15.50")
    with pytest.raises(ValidationError):  # more than the source has left
        getattr(client, resource).allocations.create(
            **{arg: source_id},
            allocations=[
                models.Allocation(
                    invoice=models.AllocationInvoice(invoice_id=invoice.invoice_id),
                    applied_amount=start,
                    date=DAY,
                )
            ],
        )
    with pytest.raises(RequestValidationError, match="Date"):
        getattr(client, resource).allocations.create(
            **{arg: source_id},
            allocations=[
                models.Allocation(
                    invoice=models.AllocationInvoice(invoice_id=invoice.invoice_id),
                    applied_amount=Decimal("1.00"),
                )
            ],
        )
    with pytest.raises(NotFoundError):
        getattr(client, resource).allocations.delete(**{arg: source_id}, allocation_id=uuid.uuid4())


# --------------------------------------------------------------------- async twins


@pytest.mark.asyncio
async def test_async_twins(client: XeroClient, aclient: AsyncXeroClient) -> None:
    who = _tag()
    contact = client.contacts.create(
        models.Contact(name=f"Async {who}", email_address=f"{who}@example.com")
    )
    invoice = _invoice(client, models.Contact(contact_id=contact.contact_id), "80.00")
    note = await aclient.invoices.history.add_note(
        invoice_id=invoice.invoice_id, details="From asyncio"
    )
    assert note.details == "From asyncio"
    records = await aclient.invoices.history.list(invoice_id=invoice.invoice_id)
    assert records[-1].details == "From asyncio"
    assert await aclient.invoices.email(invoice_id=invoice.invoice_id) is None
    url = await aclient.invoices.online_invoice_url(invoice_id=invoice.invoice_id)
    assert url.startswith("https://in.xero.com/")
    payment_id = _payment(client, f"Async pay {who}")
    assert await aclient.payments.history.list(payment_id=payment_id)
    for resource in ("credit_notes", "prepayments", "overpayments"):
        source_id, owner = _source(client, resource, f"Async {resource} {who}")
        target = _invoice(client, owner, "50.00")
        arg = ID_ARGUMENT[resource]
        made = await getattr(aclient, resource).allocations.create(
            **{arg: source_id},
            allocations=[
                models.Allocation(
                    invoice=models.AllocationInvoice(invoice_id=target.invoice_id),
                    applied_amount=Decimal("20.00"),
                    date=DAY,
                )
            ],
        )
        assert [a.applied_amount for a in made] == [Decimal("20.00")]
        gone = await getattr(aclient, resource).allocations.delete(
            **{arg: source_id}, allocation_id=made[0].allocation_id
        )
        assert gone.is_deleted is True
        assert client.invoices.get(invoice_id=target.invoice_id).amount_due == Decimal(target.total)


# --------------------------------------------------------------------- the command line


def test_cli_history_note_email_online_and_allocations(
    client: XeroClient,
    sandbox: RunningSandbox,  # noqa: F811
    tmp_path: Path,
) -> None:
    who = _tag()
    contact = client.contacts.create(
        models.Contact(name=f"CLI {who}", email_address=f"{who}@example.com")
    )
    invoice = _invoice(client, models.Contact(contact_id=contact.contact_id), "120.00")
    invoice_id = _id(invoice.invoice_id)
    done = run_xero(sandbox, "invoices", "note", invoice_id, "Noted from the shell")
    assert done.returncode == 0, done.stderr
    done = run_xero(sandbox, "invoices", "history", invoice_id, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[-1]["details"] == "Noted from the shell"
    done = run_xero(sandbox, "invoices", "note", invoice_id, "n" * 2501)
    assert done.returncode != 0 and "2500" in done.stderr
    done = run_xero(sandbox, "invoices", "email", invoice_id)
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    done = run_xero(sandbox, "invoices", "online-invoice-url", invoice_id)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == client.invoices.online_invoice_url(invoice_id=invoice_id)
    source_id, _ = _source(client, "credit_notes", f"CLI credit {who}")
    note = client.credit_notes.get(credit_note_id=source_id)
    assert note.contact is not None
    target = _invoice(client, models.Contact(contact_id=note.contact.contact_id), "90.00")
    document = tmp_path / "allocation.xml"
    document.write_text(
        f"<Allocations><Allocation><Invoice><InvoiceID>{target.invoice_id}</InvoiceID></Invoice>"
        "<AppliedAmount>30.00</AppliedAmount><Date>2026-07-01T00:00:00</Date></Allocation></Allocations>"
    )
    done = run_xero(
        sandbox,
        "credit-notes",
        "allocations",
        "create",
        source_id,
        "--file",
        str(document),
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    (made,) = json.loads(done.stdout)
    assert made["applied_amount"] == "30.00"
    assert (
        client.invoices.get(invoice_id=target.invoice_id).amount_due == Decimal(target.total) - 30
    )
    done = run_xero(
        sandbox,
        "credit-notes",
        "allocations",
        "delete",
        source_id,
        made["allocation_id"],
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["is_deleted"] is True
    assert client.invoices.get(invoice_id=target.invoice_id).amount_due == Decimal(target.total)
