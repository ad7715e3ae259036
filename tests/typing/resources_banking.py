"""A user's script touching every family D endpoint (bank transactions, bank transfers,
manual journals, journals, linked transactions), sync and async; ``mypy --strict`` runs over
it (``make check``).

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import assert_type

from xero_customer_api import AsyncXeroClient, BatchResult, RawResponse, XeroClient
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
SINCE = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)

SPEND = models.BankTransaction(
    type=models.BankTransactionType.SPEND,
    contact=models.Contact(name="Courier Co"),
    bank_account=models.Account(code="090"),
    line_items=[
        models.LineItem(description="Courier", unit_amount=Decimal("42.50"), account_code="429")
    ],
)
TRANSFER = models.BankTransfer(
    from_bank_account=models.Account(code="090"),
    to_bank_account=models.Account(code="091"),
    amount=Decimal("250.00"),
)
JOURNAL = models.ManualJournal(
    narration="Accrued wages",
    journal_lines=[
        models.ManualJournalLine(account_code="477", line_amount=Decimal("100")),
        models.ManualJournalLine(account_code="800", line_amount=Decimal("-100")),
    ],
)
LINK = models.LinkedTransaction(source_transaction_id=ID, source_line_item_id=ID, contact_id=ID)


def bank_transactions(client: XeroClient) -> None:
    listed = client.bank_transactions.list(
        where='Status=="AUTHORISED"', order="Date", page=1, page_size=100, unit_dp=4,
        modified_since=SINCE,
    )  # fmt: skip
    assert_type(listed, list[models.BankTransaction])
    assert_type(client.bank_transactions.iter(page_size=50), Iterator[models.BankTransaction])
    one = client.bank_transactions.get(bank_transaction_id=uuid.UUID(ID), unit_dp=2)
    assert_type(one, models.BankTransaction)
    assert_type(one.total, Decimal | None)
    assert_type(one.date, datetime.date | None)
    assert_type(one.type, models.BankTransactionType | None)
    assert_type(client.bank_transactions.create(SPEND), models.BankTransaction)
    assert_type(
        client.bank_transactions.create_many([SPEND], summarize_errors=False),
        BatchResult[models.BankTransaction],
    )
    assert_type(client.bank_transactions.save(SPEND), models.BankTransaction)
    assert_type(client.bank_transactions.save_many([SPEND]), BatchResult[models.BankTransaction])
    assert_type(client.bank_transactions.delete(bank_transaction_id=ID), models.BankTransaction)
    raw = client.bank_transactions.with_raw_response.get(bank_transaction_id=ID)
    assert_type(raw, RawResponse[models.BankTransactionsResponse])


def bank_transfers(client: XeroClient) -> None:
    assert_type(
        client.bank_transfers.list(where="Amount>1", include_deleted=True, modified_since=SINCE),
        list[models.BankTransfer],
    )
    assert_type(client.bank_transfers.iter(order="Date"), Iterator[models.BankTransfer])
    one = client.bank_transfers.get(bank_transfer_id=ID)
    assert_type(one.created_date_utc, datetime.datetime | None)
    assert_type(one.to_tracking, list[models.LineItemTracking])
    assert_type(client.bank_transfers.create(TRANSFER), models.BankTransfer)
    assert_type(client.bank_transfers.create_many([TRANSFER]), BatchResult[models.BankTransfer])
    assert_type(client.bank_transfers.delete(bank_transfer_id=ID), models.BankTransfer)
    gone = models.BankTransfer(bank_transfer_id=ID, status=models.BankTransferStatus.DELETED)
    assert_type(
        client.bank_transfers.delete_many([gone], summarize_errors=False),
        BatchResult[models.BankTransfer],
    )


def manual_journals(client: XeroClient) -> None:
    assert_type(
        client.manual_journals.list(where='Status=="POSTED"', page=2, modified_since=SINCE),
        list[models.ManualJournal],
    )
    assert_type(client.manual_journals.iter(), Iterator[models.ManualJournal])
    one = client.manual_journals.get(manual_journal_id=ID)
    assert_type(one.journal_lines, list[models.ManualJournalLine])
    assert_type(one.journal_lines[0].line_amount, Decimal | None)
    assert_type(one.status, models.ManualJournalStatus | None)
    assert_type(client.manual_journals.create(JOURNAL), models.ManualJournal)
    assert_type(client.manual_journals.create_many([JOURNAL]), BatchResult[models.ManualJournal])
    assert_type(client.manual_journals.save(JOURNAL), models.ManualJournal)
    assert_type(client.manual_journals.save_many([JOURNAL]), BatchResult[models.ManualJournal])
    assert_type(
        client.manual_journals.delete(manual_journal_id=ID, status="VOIDED"),
        models.ManualJournal,
    )


def journals(client: XeroClient) -> None:
    page = client.journals.list(offset=200, payments_only=False, modified_since=SINCE)
    assert_type(page, list[models.Journal])
    assert_type(page[0].journal_number, int | None)
    assert_type(page[0].source_type, models.JournalSourceType | None)
    assert_type(page[0].journal_lines, list[models.JournalLine])
    assert_type(page[0].journal_lines[0].net_amount, Decimal | None)
    assert_type(client.journals.get(journal_id=ID), models.Journal)
    assert_type(client.journals.get(journal_number=42), models.Journal)


def linked_transactions(client: XeroClient) -> None:
    listed = client.linked_transactions.list(
        page=1, source_transaction_id=ID, contact_id=ID, status="APPROVED",
        target_transaction_id=ID, linked_transaction_id=ID,
    )  # fmt: skip
    assert_type(listed, list[models.LinkedTransaction])
    one = client.linked_transactions.get(linked_transaction_id=ID)
    assert_type(one.status, models.LinkedTransactionStatus | None)
    assert_type(client.linked_transactions.create(LINK), models.LinkedTransaction)
    assert_type(
        client.linked_transactions.save(linked_transaction_id=ID, linked_transaction=LINK),
        models.LinkedTransaction,
    )


async def async_calls(client: AsyncXeroClient) -> None:
    assert_type(await client.bank_transactions.list(page=1), list[models.BankTransaction])
    assert_type(client.bank_transactions.iter(), AsyncIterator[models.BankTransaction])
    assert_type(await client.bank_transfers.get(bank_transfer_id=ID), models.BankTransfer)
    assert_type(
        await client.bank_transfers.delete_many([TRANSFER]), BatchResult[models.BankTransfer]
    )
    assert_type(await client.manual_journals.create(JOURNAL), models.ManualJournal)
    assert_type(await client.journals.list(offset=1), list[models.Journal])
    assert_type(await client.journals.get(journal_number=1), models.Journal)
    assert_type(await client.linked_transactions.create(LINK), models.LinkedTransaction)
