"""Family D against the sandbox over real sockets: every verb of BankTransactions,
BankTransfers, ManualJournals, Journals and LinkedTransactions from the SDK (sync and async),
and the lifecycle rules the sandbox keeps for them."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from xero_customer_api import (
    NotFoundError,
    PermissionDeniedError,
    RequestValidationError,
    ValidationError,
)
from xero_customer_api.v2_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

from tests.e2e.conftest import sandbox, sandbox_db, unique  # noqa: F401  (fixtures)
from tests.resources.conftest import async_v2_client

pytestmark = pytest.mark.e2e

Factory = Callable[..., XeroClient]
DAY = datetime.date(2026, 7, 1)


@pytest.fixture
def make(sandbox: RunningSandbox) -> Iterator[Factory]:  # noqa: F811
    """``make(**overrides)``: a 2.0 client of the demo app's custom connection to the Demo
    Company (client credentials)."""
    http = httpx.Client(verify=sandbox.verify())
    made: list[XeroClient] = []

    def factory(**overrides: Any) -> XeroClient:
        options: dict[str, Any] = {
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
            "tenant_id": sandbox.tenant_id,
            "token_url": sandbox.token_url,
            "base_url": sandbox.v2_base_url,
            "http_client": http,
            **overrides,
        }
        made.append(XeroClient(**options))
        return made[-1]

    yield factory
    for one in made:
        one.close()
    http.close()


@pytest.fixture
def client(make: Factory) -> XeroClient:
    return make()


def test_journals_need_their_own_read_scope(make: Factory) -> None:
    ledger_reader = make(scopes=["accounting.journals.read"])
    assert isinstance(ledger_reader.journals.list(), list)
    with pytest.raises(PermissionDeniedError):
        ledger_reader.manual_journals.list()
    books = make(scopes=["accounting.transactions"])
    assert isinstance(books.manual_journals.list(), list)
    with pytest.raises(PermissionDeniedError):
        books.journals.list()


def errors_of(exc: ValidationError) -> list[str]:
    return [m for e in exc.elements for m in e.validation_errors]


def spend(who: str, *amounts: str, **fields: Any) -> models.BankTransaction:
    """A SPEND bank transaction from the seeded bank account (090), lines on account 429."""
    values: dict[str, Any] = {
        "type": models.BankTransactionType.SPEND,
        "contact": models.Contact(name=who),
        "bank_account": models.Account(code="090"),
        "date": DAY,
        "line_amount_types": models.LineAmountTypes.EXCLUSIVE,
        "line_items": [
            models.LineItem(
                description=f"Supplies {n}",
                quantity=Decimal(1),
                unit_amount=Decimal(a),
                account_code="429",
                tax_type="INPUT2",
            )
            for n, a in enumerate(amounts or ("100.00",), start=1)
        ],
    }
    return models.BankTransaction(**{**values, **fields})


def journal(narration: str, *lines: tuple[str, str], **fields: Any) -> models.ManualJournal:
    """A manual journal of (account code, amount) lines."""
    return models.ManualJournal(
        narration=narration,
        date=DAY,
        journal_lines=[
            models.ManualJournalLine(
                account_code=code, line_amount=Decimal(amount), description=f"{narration} {code}"
            )
            for code, amount in lines or (("429", "50.00"), ("970", "-50.00"))
        ],
        **fields,
    )


def second_bank(client: XeroClient, unique: str) -> models.Account:  # noqa: F811
    return client.accounts.create(
        models.Account(
            code=f"B{unique[:6]}",
            name=f"Savings {unique}",
            type=models.AccountType.BANK,
            bank_account_number=f"12-3456-{unique[:7]}",
        )
    )


def all_journals(client: XeroClient) -> list[models.Journal]:
    """The whole ledger, read 100 at a time by offset (the last JournalNumber received)."""
    found: list[models.Journal] = []
    while True:
        page = client.journals.list(offset=found[-1].journal_number if found else None)
        found.extend(page)
        if len(page) < 100:
            return found


# ============================================================================ bank transactions


def test_bank_transactions_every_verb(client: XeroClient, unique: str) -> None:  # noqa: F811
    made = client.bank_transactions.create(spend(f"Stationer {unique}", "100.00", "20.00"))
    assert made.bank_transaction_id and made.status is models.BankTransactionStatus.AUTHORISED
    assert (made.sub_total, made.total_tax, made.total) == (
        Decimal("120.00"),
        Decimal("18.00"),
        Decimal("138.00"),
    )
    assert made.bank_account is not None and made.bank_account.code == "090"
    assert made.contact is not None and made.contact.contact_id
    assert len(made.line_items) == 2 and made.line_items[0].line_item_id

    got = client.bank_transactions.get(bank_transaction_id=made.bank_transaction_id)
    assert got.total == Decimal("138.00") and len(got.line_items) == 2

    listed = client.bank_transactions.list(where=f'Contact.Name=="Stationer {unique}"')
    assert [t.bank_transaction_id for t in listed] == [made.bank_transaction_id]
    assert listed[0].line_items == []  # lines only when paged
    paged = client.bank_transactions.list(
        where=f'Contact.Name=="Stationer {unique}"', page=1, unit_dp=4
    )
    assert len(paged[0].line_items) == 2
    assert paged[0].line_items[0].unit_amount == Decimal("100.0000")
    walked = [
        t.bank_transaction_id
        for t in client.bank_transactions.iter(
            where=f'Contact.Name=="Stationer {unique}"', page_size=1
        )
    ]
    assert walked == [made.bank_transaction_id]

    made.line_items = [made.line_items[0]]
    made.reference = f"ref {unique}"
    saved = client.bank_transactions.save(made)
    assert saved.bank_transaction_id == made.bank_transaction_id
    assert saved.total == Decimal("115.00") and saved.reference == f"ref {unique}"

    batch = client.bank_transactions.create_many(
        [spend(f"Batch {unique}", "10.00"), spend(f"Batch {unique}", "11.00")]
    )
    assert len(batch.succeeded) == 2
    again = client.bank_transactions.save_many(
        [
            models.BankTransaction(
                bank_transaction_id=item.item.bank_transaction_id, reference=f"b{n}"
            )
            for n, item in enumerate(batch.items)
            if item.item is not None
        ]
    )
    assert [i.item.reference for i in again.items if i.item] == ["b0", "b1"]

    gone = client.bank_transactions.delete(bank_transaction_id=made.bank_transaction_id)
    assert gone.status is models.BankTransactionStatus.DELETED


def test_bank_transaction_rules(client: XeroClient, unique: str) -> None:  # noqa: F811
    with pytest.raises(ValidationError) as not_bank:
        client.bank_transactions.create(
            spend(f"X {unique}", bank_account=models.Account(code="200"))
        )
    assert errors_of(not_bank.value) == ["The account 200 is not a bank account."]

    no_line = models.BankTransaction(
        type=models.BankTransactionType.RECEIVE, bank_account=models.Account(code="090")
    )
    with pytest.raises(
        RequestValidationError, match="LineItems/LineItem: at least 1 required to create"
    ):
        client.bank_transactions.create(no_line)  # refused before sending (issue 20 item 16)
    with pytest.raises(ValidationError) as no_lines:
        client.bank_transactions.save(no_line)  # POST has no such check: the sandbox refuses
    assert "A bank transaction must have at least one line item." in errors_of(no_lines.value)

    with pytest.raises(ValidationError) as transfer:
        client.bank_transactions.create(
            spend(f"X {unique}", type=models.BankTransactionType.SPEND_TRANSFER)
        )
    assert errors_of(transfer.value) == [
        "A bank transaction of type SPEND-TRANSFER is made by a bank transfer."
    ]

    with pytest.raises(ValidationError) as nameless:
        client.bank_transactions.create(spend("X", contact=models.Contact(email_address="a@b.c")))
    assert errors_of(nameless.value) == [
        "The Contact must contain at least 1 of the following elements to identify the"
        " contact: Name, ContactID, ContactNumber"
    ]

    mixed = client.bank_transactions.create_many(
        [spend(f"Ok {unique}"), spend(f"Bad {unique}", bank_account=models.Account(code="429"))],
        summarize_errors=False,
    )
    assert [i.status for i in mixed.items] == ["OK", "ERROR"]

    # a reconciled transaction can be neither changed nor deleted
    reconciled = client.bank_transactions.create(spend(f"Rec {unique}", is_reconciled=True))
    assert reconciled.is_reconciled is True
    assert reconciled.bank_transaction_id is not None
    with pytest.raises(ValidationError) as locked:
        client.bank_transactions.delete(bank_transaction_id=reconciled.bank_transaction_id)
    assert errors_of(locked.value) == [
        "This bank transaction cannot be edited or deleted as it has been reconciled."
    ]
    with pytest.raises(ValidationError):
        client.bank_transactions.save(
            models.BankTransaction(
                bank_transaction_id=reconciled.bank_transaction_id, reference="x"
            )
        )

    # a deleted one stays deleted; an unknown id is a 404
    plain = client.bank_transactions.create(spend(f"Del {unique}"))
    assert plain.bank_transaction_id is not None
    client.bank_transactions.delete(bank_transaction_id=plain.bank_transaction_id)
    with pytest.raises(ValidationError) as dead:
        client.bank_transactions.save(
            models.BankTransaction(bank_transaction_id=plain.bank_transaction_id, reference="y")
        )
    assert errors_of(dead.value) == ["A bank transaction in status DELETED cannot be changed."]
    with pytest.raises(NotFoundError):
        client.bank_transactions.get(bank_transaction_id="00000000-0000-4000-8000-000000000001")


def test_prepayment_and_overpayment_types_need_a_contact_and_get_their_ids(
    client: XeroClient,
    unique: str,  # noqa: F811
) -> None:
    pre = client.bank_transactions.create(
        spend(f"Pre {unique}", type=models.BankTransactionType.SPEND_PREPAYMENT)
    )
    assert pre.prepayment_id and pre.overpayment_id is None
    over = client.bank_transactions.create(
        spend(
            f"Over {unique}",
            type=models.BankTransactionType.RECEIVE_OVERPAYMENT,
            line_amount_types=models.LineAmountTypes.NO_TAX,
        )
    )
    assert over.overpayment_id and over.total_tax == Decimal("0.00")
    # the ids name records: the prepayment and overpayment the transactions made, all unallocated
    prepayment = client.prepayments.get(prepayment_id=pre.prepayment_id)
    assert prepayment.type is models.PrepaymentType.SPEND_PREPAYMENT
    assert prepayment.total == prepayment.remaining_credit == pre.total
    overpayment = client.overpayments.get(overpayment_id=over.overpayment_id)
    assert overpayment.type is models.OverpaymentType.RECEIVE_OVERPAYMENT
    assert overpayment.total == overpayment.remaining_credit == over.total
    with pytest.raises(ValidationError) as no_contact:
        client.bank_transactions.create(
            spend("x", type=models.BankTransactionType.SPEND_PREPAYMENT, contact=None)
        )
    assert "A SPEND-PREPAYMENT bank transaction needs a Contact." in errors_of(no_contact.value)


def test_modified_since_filters_bank_transactions(client: XeroClient, unique: str) -> None:  # noqa: F811
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=2)
    made = client.bank_transactions.create(spend(f"Since {unique}"))
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    where = f'Contact.Name=="Since {unique}"'
    assert [
        t.bank_transaction_id
        for t in client.bank_transactions.list(where=where, modified_since=before)
    ] == [made.bank_transaction_id]
    assert client.bank_transactions.list(where=where, modified_since=later) == []


# ============================================================================ bank transfers


def test_bank_transfers_every_verb(client: XeroClient, unique: str) -> None:  # noqa: F811
    savings = second_bank(client, unique)
    made = client.bank_transfers.create(
        models.BankTransfer(
            from_bank_account=models.Account(code="090"),
            to_bank_account=models.Account(account_id=savings.account_id),
            amount=Decimal("250.00"),
            date=DAY,
            reference=f"Move {unique}",
        )
    )
    assert made.bank_transfer_id and made.status is models.BankTransferStatus.AUTHORISED
    assert made.amount == Decimal("250.00") and made.created_date_utc is not None
    assert made.from_bank_transaction_id and made.to_bank_transaction_id
    spent = client.bank_transactions.get(bank_transaction_id=made.from_bank_transaction_id)
    received = client.bank_transactions.get(bank_transaction_id=made.to_bank_transaction_id)
    assert spent.type is models.BankTransactionType.SPEND_TRANSFER
    assert received.type is models.BankTransactionType.RECEIVE_TRANSFER
    assert received.bank_account is not None and received.bank_account.code == savings.code
    assert spent.total == received.total == Decimal("250.00")

    got = client.bank_transfers.get(bank_transfer_id=made.bank_transfer_id)
    assert got.reference == f"Move {unique}"
    where = f'Reference=="Move {unique}"'
    assert [t.bank_transfer_id for t in client.bank_transfers.list(where=where)] == [
        made.bank_transfer_id
    ]
    assert [t.bank_transfer_id for t in client.bank_transfers.iter(where=where)] == [
        made.bank_transfer_id
    ]

    two = client.bank_transfers.create_many(
        [
            models.BankTransfer(
                from_bank_account=models.Account(code=savings.code),
                to_bank_account=models.Account(code="090"),
                amount=Decimal(n),
                reference=f"Back {unique}",
            )
            for n in ("1.00", "2.00")
        ]
    )
    assert len(two.succeeded) == 2

    deleted = client.bank_transfers.delete(bank_transfer_id=made.bank_transfer_id)
    assert deleted.status is models.BankTransferStatus.DELETED
    assert client.bank_transfers.list(where=where) == []
    assert [t.status for t in client.bank_transfers.list(where=where, include_deleted=True)] == [
        models.BankTransferStatus.DELETED
    ]
    side = client.bank_transactions.get(bank_transaction_id=made.from_bank_transaction_id)
    assert side.status is models.BankTransactionStatus.DELETED

    many = client.bank_transfers.delete_many(
        [
            models.BankTransfer(
                bank_transfer_id=i.item.bank_transfer_id, status=models.BankTransferStatus.DELETED
            )
            for i in two.items
            if i.item is not None
        ]
    )
    assert [i.item.status for i in many.items if i.item] == [models.BankTransferStatus.DELETED] * 2


def test_bank_transfer_rules(client: XeroClient, unique: str) -> None:  # noqa: F811
    def transfer(**fields: Any) -> models.BankTransfer:
        values: dict[str, Any] = {
            "from_bank_account": models.Account(code="090"),
            "to_bank_account": models.Account(code="090"),
            "amount": Decimal("5.00"),
        }
        return models.BankTransfer(**{**values, **fields})

    with pytest.raises(ValidationError) as same:
        client.bank_transfers.create(transfer())
    assert errors_of(same.value) == [
        "The FromBankAccount and the ToBankAccount must be different accounts."
    ]
    with pytest.raises(ValidationError) as not_bank:
        client.bank_transfers.create(transfer(to_bank_account=models.Account(code="610")))
    assert errors_of(not_bank.value) == ["The ToBankAccount 610 is not a bank account."]
    savings = second_bank(client, unique)
    with pytest.raises(ValidationError) as negative:
        client.bank_transfers.create(
            transfer(to_bank_account=models.Account(code=savings.code), amount=Decimal("-1"))
        )
    assert errors_of(negative.value) == ["The Amount of a bank transfer must be positive."]

    reconciled = client.bank_transfers.create(
        transfer(to_bank_account=models.Account(code=savings.code), to_is_reconciled=True)
    )
    assert reconciled.to_is_reconciled is True and reconciled.bank_transfer_id
    with pytest.raises(ValidationError) as locked:
        client.bank_transfers.delete(bank_transfer_id=reconciled.bank_transfer_id)
    assert errors_of(locked.value) == [
        "This bank transfer cannot be deleted as it has been reconciled."
    ]
    # its sides belong to the transfer
    assert reconciled.from_bank_transaction_id is not None
    with pytest.raises(ValidationError):
        client.bank_transactions.delete(bank_transaction_id=reconciled.from_bank_transaction_id)
    # a batch delete names each transfer and says DELETED
    refused = client.bank_transfers.delete_many(
        [models.BankTransfer(bank_transfer_id=reconciled.bank_transfer_id)],
        summarize_errors=False,
    )
    assert refused.items[0].status == "ERROR"
    assert refused.items[0].validation_errors == [
        "A bank transfer can only be deleted (Status DELETED)."
    ]


# ============================================================================ manual journals


def test_manual_journals_every_verb_and_their_journals(client: XeroClient, unique: str) -> None:  # noqa: F811
    draft = client.manual_journals.create(journal(f"Accrual {unique}"))
    assert draft.manual_journal_id and draft.status is models.ManualJournalStatus.DRAFT
    assert draft.line_amount_types is models.LineAmountTypes.NO_TAX
    assert [line.line_amount for line in draft.journal_lines] == [
        Decimal("50.00"),
        Decimal("-50.00"),
    ]
    got = client.manual_journals.get(manual_journal_id=draft.manual_journal_id)
    assert got.narration == f"Accrual {unique}" and len(got.journal_lines) == 2
    where = f'Narration=="Accrual {unique}"'
    assert [m.manual_journal_id for m in client.manual_journals.list(where=where)] == [
        draft.manual_journal_id
    ]
    assert [m.manual_journal_id for m in client.manual_journals.iter(where=where)] == [
        draft.manual_journal_id
    ]

    draft.journal_lines = [
        models.ManualJournalLine(account_code="429", line_amount=Decimal("80.00")),
        models.ManualJournalLine(account_code="404", line_amount=Decimal("20.00")),
        models.ManualJournalLine(account_code="970", line_amount=Decimal("-100.00")),
    ]
    draft.status = models.ManualJournalStatus.POSTED
    posted = client.manual_journals.save(draft)
    assert posted.status is models.ManualJournalStatus.POSTED and len(posted.journal_lines) == 3

    ledger = [j for j in all_journals(client) if j.source_id == posted.manual_journal_id]
    assert len(ledger) == 1
    entry = ledger[0]
    assert entry.source_type is models.JournalSourceType.MANJOURNAL
    assert sum(line.net_amount or 0 for line in entry.journal_lines) == 0
    assert {line.account_code for line in entry.journal_lines} == {"429", "404", "970"}
    assert entry.journal_id and entry.journal_number
    by_id = client.journals.get(journal_id=entry.journal_id)
    by_number = client.journals.get(journal_number=entry.journal_number)
    assert by_id.journal_number == by_number.journal_number == entry.journal_number
    assert by_id.source_id is None and by_id.source_type is None  # only in lists
    after = client.journals.list(offset=entry.journal_number - 1 or None)
    assert after[0].journal_number == entry.journal_number
    assert [j.journal_number for j in after] == sorted(j.journal_number or 0 for j in after)
    assert all(
        (j.journal_number or 0) > entry.journal_number
        for j in client.journals.list(offset=entry.journal_number)
    )
    # ShowOnCashBasisReports (true by default) puts a manual journal on the cash basis too
    cash = client.journals.list(payments_only=True, offset=entry.journal_number - 1 or None)
    assert cash[0].journal_id == entry.journal_id

    assert posted.manual_journal_id is not None
    voided = client.manual_journals.delete(
        manual_journal_id=posted.manual_journal_id, status="VOIDED"
    )
    assert voided.status is models.ManualJournalStatus.VOIDED
    reversal = [
        j
        for j in client.journals.list(offset=entry.journal_number)
        if j.source_id == posted.manual_journal_id
    ]
    assert len(reversal) == 1
    assert [line.net_amount for line in reversal[0].journal_lines] == [
        -(line.net_amount or 0) for line in entry.journal_lines
    ]

    batch = client.manual_journals.create_many(
        [journal(f"B1 {unique}"), journal(f"B2 {unique}", ("429", "1.00"), ("970", "-2.00"))],
        summarize_errors=False,
    )
    assert [i.status for i in batch.items] == ["OK", "ERROR"]
    first = batch.items[0].item
    assert first is not None and first.manual_journal_id is not None
    renamed = client.manual_journals.save_many(
        [models.ManualJournal(manual_journal_id=first.manual_journal_id, narration=f"B1b {unique}")]
    )
    assert renamed.items[0].item is not None
    assert renamed.items[0].item.narration == f"B1b {unique}"
    removed = client.manual_journals.delete(manual_journal_id=first.manual_journal_id)
    assert removed.status is models.ManualJournalStatus.DELETED


def test_manual_journal_rules(client: XeroClient, unique: str) -> None:  # noqa: F811
    with pytest.raises(ValidationError) as unbalanced:
        client.manual_journals.create(journal(f"U {unique}", ("429", "100"), ("970", "-10")))
    assert errors_of(unbalanced.value) == [
        "The total debits (100.00) must equal total credits (-10.00)"
    ]
    with pytest.raises(ValidationError) as one_line:
        client.manual_journals.create(journal(f"O {unique}", ("429", "0")))
    assert errors_of(one_line.value) == ["A manual journal must have at least two journal lines."]
    blank = journal(" ", ("429", "1"), ("970", "-1"))
    with pytest.raises(RequestValidationError, match="Narration is required to create"):
        client.manual_journals.create(blank)  # refused before sending (issue 20 item 16)
    with pytest.raises(ValidationError) as no_narration:
        client.manual_journals.save(blank)  # POST has no such check: the sandbox refuses
    assert errors_of(no_narration.value) == ["A manual journal needs a Narration."]

    warned = client.manual_journals.create(
        journal(f"W {unique}", ("476", "10"), ("429", "5"), ("970", "-15"))
    )
    assert [w for w in warned.warnings if w.message] == [
        models.EntityWarning(
            message="Account code '476' has been removed as it does not match a recognised account."
        )
    ]
    assert warned.journal_lines[0].account_code is None
    batch = client.manual_journals.create_many(
        [
            journal(f"W2 {unique}", ("476", "1"), ("429", "1"), ("970", "-2")),
            journal(f"W3 {unique}"),
        ],
        summarize_errors=False,
    )
    assert [i.status for i in batch.items] == ["WARNING", "OK"]
    assert batch.items[0].warnings == [
        "Account code '476' has been removed as it does not match a recognised account."
    ]

    posted = client.manual_journals.create(
        journal(f"P {unique}", status=models.ManualJournalStatus.POSTED)
    )
    assert posted.manual_journal_id is not None
    with pytest.raises(ValidationError) as edit_posted:
        client.manual_journals.save(
            models.ManualJournal(manual_journal_id=posted.manual_journal_id, narration="changed")
        )
    assert errors_of(edit_posted.value) == ["A manual journal in status POSTED cannot be changed."]
    with pytest.raises(ValidationError) as delete_posted:
        client.manual_journals.delete(manual_journal_id=posted.manual_journal_id)
    assert errors_of(delete_posted.value) == [
        "A manual journal in status POSTED cannot become DELETED."
    ]
    with pytest.raises(ValidationError) as post_unknown:
        client.manual_journals.create(
            journal(
                f"Q {unique}",
                ("476", "5"),
                ("970", "-5"),
                status=models.ManualJournalStatus.POSTED,
            )
        )
    assert "Every line of a posted manual journal needs a valid account." in errors_of(
        post_unknown.value
    )
    with pytest.raises(NotFoundError):
        client.journals.get(journal_number=999999999)


# ============================================================================ linked transactions


def _bill_and_invoice(
    client: XeroClient,
    unique: str,  # noqa: F811
) -> tuple[models.Invoice, models.Invoice, models.Contact]:
    customer = client.contacts.create(models.Contact(name=f"Customer {unique}"))
    bill = client.invoices.create(
        models.Invoice(
            type=models.InvoiceType.ACCPAY,
            contact=models.Contact(name=f"Supplier {unique}"),
            date=DAY,
            status=models.InvoiceStatus.AUTHORISED,
            line_items=[
                models.LineItem(
                    description="Freight", quantity=Decimal(1), unit_amount=Decimal("40"),
                    account_code="429",
                )
            ],
        )
    )  # fmt: skip
    sale = client.invoices.create(
        models.Invoice(
            type=models.InvoiceType.ACCREC,
            contact=models.Contact(contact_id=customer.contact_id),
            date=DAY,
            line_items=[
                models.LineItem(
                    description="Freight recharged", quantity=Decimal(1),
                    unit_amount=Decimal("40"), account_code="200",
                )
            ],
        )
    )  # fmt: skip
    return bill, sale, customer


def test_linked_transactions_every_verb_and_status(client: XeroClient, unique: str) -> None:  # noqa: F811
    bill, sale, customer = _bill_and_invoice(client, unique)
    made = client.linked_transactions.create(
        models.LinkedTransaction(
            source_transaction_id=bill.invoice_id,
            source_line_item_id=bill.line_items[0].line_item_id,
            contact_id=customer.contact_id,
        )
    )
    assert made.linked_transaction_id
    assert made.status is models.LinkedTransactionStatus.APPROVED
    assert made.type is models.LinkedTransactionType.BILLABLEEXPENSE
    assert made.source_transaction_type_code is models.SourceTransactionTypeCode.ACCPAY
    assert client.linked_transactions.get(linked_transaction_id=made.linked_transaction_id) == made

    by_source = client.linked_transactions.list(source_transaction_id=bill.invoice_id)
    assert [x.linked_transaction_id for x in by_source] == [made.linked_transaction_id]
    assert client.linked_transactions.list(contact_id=customer.contact_id, status="BILLED") == []
    assert len(client.linked_transactions.list(contact_id=customer.contact_id, page=1)) == 1

    charged = client.linked_transactions.save(
        linked_transaction_id=made.linked_transaction_id,
        linked_transaction=models.LinkedTransaction(
            target_transaction_id=sale.invoice_id,
            target_line_item_id=sale.line_items[0].line_item_id,
        ),
    )
    assert charged.status is models.LinkedTransactionStatus.ONDRAFT
    assert charged.contact_id == customer.contact_id
    assert [
        x.linked_transaction_id
        for x in client.linked_transactions.list(target_transaction_id=sale.invoice_id)
    ] == [made.linked_transaction_id]

    assert sale.invoice_id is not None
    client.invoices.save(
        models.Invoice(invoice_id=sale.invoice_id, status=models.InvoiceStatus.AUTHORISED)
    )
    billed = client.linked_transactions.get(linked_transaction_id=made.linked_transaction_id)
    assert billed.status is models.LinkedTransactionStatus.BILLED
    with pytest.raises(ValidationError) as locked:
        client.linked_transactions.save(
            linked_transaction_id=made.linked_transaction_id,
            linked_transaction=models.LinkedTransaction(contact_id=customer.contact_id),
        )
    assert errors_of(locked.value) == ["A BILLED linked transaction cannot be changed."]


def test_linked_transaction_rules_and_delete(
    sandbox: RunningSandbox,  # noqa: F811
    client: XeroClient,
    unique: str,  # noqa: F811
) -> None:
    bill, sale, customer = _bill_and_invoice(client, unique)
    other = client.contacts.create(models.Contact(name=f"Other {unique}"))
    with pytest.raises(ValidationError) as mismatch:
        client.linked_transactions.create(
            models.LinkedTransaction(
                source_transaction_id=bill.invoice_id,
                source_line_item_id=sale.line_items[0].line_item_id,
                contact_id=customer.contact_id,
            )
        )
    assert errors_of(mismatch.value) == [
        "The SourceLineItemID and SourceTransactionID do not match"
    ]
    with pytest.raises(ValidationError) as wrong_contact:
        client.linked_transactions.create(
            models.LinkedTransaction(
                source_transaction_id=bill.invoice_id,
                source_line_item_id=bill.line_items[0].line_item_id,
                contact_id=other.contact_id,
                target_transaction_id=sale.invoice_id,
            )
        )
    assert errors_of(wrong_contact.value) == [
        "The ContactID and the TargetTransaction ContactID do not match"
    ]
    with pytest.raises(ValidationError) as sale_source:
        client.linked_transactions.create(
            models.LinkedTransaction(
                source_transaction_id=sale.invoice_id,
                source_line_item_id=sale.line_items[0].line_item_id,
                contact_id=customer.contact_id,
            )
        )
    assert errors_of(sale_source.value) == [
        "The SourceTransactionID must be an ACCPAY invoice or a SPEND bank transaction."
    ]

    # spent money is a source too, and delete() (DELETE, 204 with no body) returns None
    money = client.bank_transactions.create(spend(f"Sup {unique}"))
    link = client.linked_transactions.create(
        models.LinkedTransaction(
            source_transaction_id=money.bank_transaction_id,
            source_line_item_id=money.line_items[0].line_item_id,
            contact_id=customer.contact_id,
        )
    )
    assert link.source_transaction_type_code is models.SourceTransactionTypeCode.SPEND
    with pytest.raises(ValidationError) as twice:
        client.linked_transactions.create(
            models.LinkedTransaction(
                source_transaction_id=money.bank_transaction_id,
                source_line_item_id=money.line_items[0].line_item_id,
                contact_id=customer.contact_id,
            )
        )
    assert errors_of(twice.value) == ["This source line item is already a linked transaction."]
    assert link.linked_transaction_id is not None
    raw = client.linked_transactions.with_raw_response.delete(
        linked_transaction_id=link.linked_transaction_id
    )
    assert (raw.status_code, raw.content, raw.parsed) == (204, b"", None)
    with pytest.raises(NotFoundError):
        client.linked_transactions.delete(linked_transaction_id=link.linked_transaction_id)
    with pytest.raises(NotFoundError):
        client.linked_transactions.get(linked_transaction_id=str(link.linked_transaction_id))


# ============================================================================ async


@pytest.mark.asyncio
async def test_async_client_reaches_every_family_d_resource(
    sandbox: RunningSandbox,  # noqa: F811
    unique: str,  # noqa: F811
) -> None:
    async with async_v2_client(sandbox) as client:
        made = await client.bank_transactions.create(spend(f"Async {unique}"))
        assert made.bank_transaction_id is not None
        got = await client.bank_transactions.get(bank_transaction_id=made.bank_transaction_id)
        assert got.total == made.total
        walked = [
            t.bank_transaction_id
            async for t in client.bank_transactions.iter(where=f'Contact.Name=="Async {unique}"')
        ]
        assert walked == [made.bank_transaction_id]
        mj = await client.manual_journals.create(
            journal(f"Async {unique}", status=models.ManualJournalStatus.POSTED)
        )
        journals: list[models.Journal] = []
        offset: int | None = None
        while True:
            page = await client.journals.list(offset=offset)
            journals.extend(page)
            if len(page) < 100:
                break
            offset = page[-1].journal_number
        assert mj.manual_journal_id in {j.source_id for j in journals}
        assert isinstance(await client.bank_transfers.list(), list)
        assert isinstance(await client.linked_transactions.list(page=1), list)


# ============================================================================ command line


def test_the_cli_reaches_family_d(sandbox: RunningSandbox, unique: str) -> None:  # noqa: F811
    from tests.e2e.test_cli_e2e import xero

    env = {name: value for name, value in sandbox.values.items() if name.startswith("XERO_")}
    body = {
        "type": "RECEIVE",
        "contact": {"name": f"CLI {unique}"},
        "bank_account": {"code": "090"},
        "line_items": [{"description": "Cash sale", "line_amount": "80.00", "account_code": "200"}],
    }
    made = xero(env, "bank-transactions", "create", input=json.dumps(body))
    assert made.returncode == 0, made.stderr
    created = json.loads(made.stdout)  # the one record created
    assert created["type"] == "RECEIVE" and created["total"] == "90.00"
    listed = xero(env, "bank-transactions", "list", "--where", f'Contact.Name=="CLI {unique}"')
    assert [t["bank_transaction_id"] for t in json.loads(listed.stdout)] == [
        created["bank_transaction_id"]
    ]
    journal = {
        "narration": f"CLI {unique}",
        "status": "POSTED",
        "journal_lines": [
            {"account_code": "429", "line_amount": "7.00"},
            {"account_code": "970", "line_amount": "-7.00"},
        ],
    }
    posted = xero(env, "manual-journals", "create", input=json.dumps(journal))
    assert posted.returncode == 0, posted.stderr
    refused = xero(
        env,
        "manual-journals",
        "create",
        input=json.dumps({**journal, "journal_lines": journal["journal_lines"][:1]}),
    )
    assert refused.returncode != 0
    assert "at least two journal lines" in refused.stderr
    page = xero(env, "journals", "list", "--offset", "1")
    assert page.returncode == 0, page.stderr
    assert all(j["journal_number"] > 1 for j in json.loads(page.stdout))
