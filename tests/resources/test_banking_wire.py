"""Wire tests of every family D endpoint (BankTransactions, BankTransfers, ManualJournals,
Journals, LinkedTransactions), sync and async, on httpx's fake transport: method, path, the
exact query names and values, headers (Authorization, xero-tenant-id, If-Modified-Since,
Idempotency-Key on writes only), the body's root, its element order and its validity
against our request XSD; and the answers decoded into typed models."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest
from lxml import etree
from xero_codegen.manifest import load_manifest
from xero_customer_api import RequestValidationError
from xero_customer_api.v2_0 import models

from tests.resources.test_history_allocations_wire import CASES as ISSUE_18_CASES
from tests.v2.conftest import SCHEMAS, schema
from tests.v2.fake_xero import TENANT, TOKEN, as_many_as_sent, fake_async_client, fake_client

GUID = "8D2E4F60-1A3B-4C5D-8E7F-9A0B1C2D3E4F"
G = GUID.lower()
GUID2 = "ea7f7b6a-0d22-4d5c-9317-54542a10215e"
WHEN = datetime.datetime(
    2026, 7, 1, 13, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=12))
)
MOD = {"If-Modified-Since": "2026-07-01T01:04:05"}
FAMILY = (
    "bank_transactions",
    "bank_transfers",
    "manual_journals",
    "journals",
    "linked_transactions",
)

BANK_TRANSACTION = models.BankTransaction(
    type=models.BankTransactionType.SPEND,
    contact=models.Contact(contact_id=G),
    bank_account=models.Account(code="090"),
    date=datetime.date(2026, 7, 1),
    reference="Courier",
    line_amount_types=models.LineAmountTypes.EXCLUSIVE,
    line_items=[
        models.LineItem(
            description="Courier to Picton",
            quantity=Decimal("1"),
            unit_amount=Decimal("42.50"),
            account_code="429",
        )
    ],
    total=Decimal("48.88"),  # read-only: never sent
    has_attachments=False,  # read-only: never sent
)
BANK_TRANSACTION_ORDER = ["Type", "Contact", "LineItems", "BankAccount", "Date", "Reference",
                          "LineAmountTypes"]  # fmt: skip
BANK_TRANSFER = models.BankTransfer(
    from_bank_account=models.Account(code="090"),
    to_bank_account=models.Account(account_id=GUID2),
    amount=Decimal("250.00"),
    date=datetime.date(2026, 7, 2),
    reference="To savings",
    to_tracking=[models.LineItemTracking(tracking_category_id=G, tracking_option_id=GUID2)],
    created_date_utc=datetime.datetime(2026, 7, 2, tzinfo=datetime.UTC),  # read-only
)
BANK_TRANSFER_ORDER = ["FromBankAccount", "ToBankAccount", "Amount", "Date", "Reference",
                       "ToTracking"]  # fmt: skip
MANUAL_JOURNAL = models.ManualJournal(
    narration="Accrued wages",
    date=datetime.date(2026, 6, 30),
    status=models.ManualJournalStatus.POSTED,
    journal_lines=[
        models.ManualJournalLine(account_code="477", line_amount=Decimal("1200.00")),
        models.ManualJournalLine(
            account_code="800",
            line_amount=Decimal("-1200.00"),
            description="Wages payable",
            tracking=[models.LineItemTracking(name="Region", option="North")],
        ),
    ],
    updated_date_utc=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC),  # read-only
)
MANUAL_JOURNAL_ORDER = ["Narration", "JournalLines", "Date", "Status"]
LINKED = models.LinkedTransaction(
    source_transaction_id=G,
    source_line_item_id=GUID2,
    contact_id=G,
    status=models.LinkedTransactionStatus.APPROVED,  # read-only: never sent
)
LINKED_ORDER = ["SourceTransactionID", "SourceLineItemID", "ContactID"]


def answer(plural: str, one: str, body: str, count: int = 1) -> bytes:
    """A 2.0 envelope around ``count`` copies of one entity element."""
    items = "".join(f"<{one}>{body}</{one}>" for _ in range(count))
    return (
        '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<Id>{uuid.uuid4()}</Id><Status>OK</Status><ProviderName>Tests</ProviderName>"
        f"<DateTimeUTC>2026-07-01T04:13:44.7828584Z</DateTimeUTC><{plural}>{items}</{plural}>"
        "</Response>"
    ).encode()


ANSWERS = {
    "bank_transactions": answer(
        "BankTransactions",
        "BankTransaction",
        f"<BankTransactionID>{G}</BankTransactionID><Type>SPEND</Type><Status>AUTHORISED</Status>"
        "<Date>2026-07-01T00:00:00</Date><Total>48.88</Total><IsReconciled>false</IsReconciled>"
        "<BankAccount><AccountID>" + GUID2 + "</AccountID><Code>090</Code></BankAccount>"
        "<LineItems><LineItem><Description>Courier</Description><LineAmount>42.50</LineAmount>"
        "</LineItem></LineItems><UpdatedDateUTC>2026-07-01T04:13:44.783</UpdatedDateUTC>",
    ),
    "bank_transfers": answer(
        "BankTransfers",
        "BankTransfer",
        f"<BankTransferID>{G}</BankTransferID><Amount>250.00</Amount>"
        "<Date>2026-07-02T00:00:00</Date><Status>AUTHORISED</Status>"
        f"<FromBankTransactionID>{GUID2}</FromBankTransactionID>"
        "<CreatedDateUTC>2026-07-02T01:00:00.123</CreatedDateUTC>"
        "<ToTracking><TrackingCategory><Name>Region</Name><Option>North</Option>"
        "</TrackingCategory></ToTracking>",
    ),
    "manual_journals": answer(
        "ManualJournals",
        "ManualJournal",
        f"<Date>2026-06-30T00:00:00</Date><Status>POSTED</Status><ManualJournalID>{G}"
        "</ManualJournalID><Narration>Accrued wages</Narration><JournalLines><JournalLine>"
        "<LineAmount>1200.00</LineAmount><AccountCode>477</AccountCode></JournalLine>"
        "<JournalLine><LineAmount>-1200.00</LineAmount><AccountCode>800</AccountCode>"
        "</JournalLine></JournalLines>",
    ),
    "journals": answer(
        "Journals",
        "Journal",
        f"<JournalID>{G}</JournalID><JournalDate>2026-06-30T00:00:00</JournalDate>"
        "<JournalNumber>42</JournalNumber><SourceType>MANJOURNAL</SourceType>"
        "<JournalLines><JournalLine><AccountCode>477</AccountCode><AccountType>EXPENSE"
        "</AccountType><NetAmount>1200.00</NetAmount><GrossAmount>1200.00</GrossAmount>"
        "<TrackingCategories><TrackingCategory><Name>Region</Name><Option>North</Option>"
        "</TrackingCategory></TrackingCategories></JournalLine></JournalLines>",
    ),
    "linked_transactions": answer(
        "LinkedTransactions",
        "LinkedTransaction",
        f"<LinkedTransactionID>{G}</LinkedTransactionID><SourceTransactionID>{GUID2}"
        "</SourceTransactionID><Status>APPROVED</Status><Type>BILLABLEEXPENSE</Type>"
        "<SourceTransactionTypeCode>ACCPAY</SourceTransactionTypeCode>",
    ),
}


@dataclass
class Case:
    id: str
    call: Callable[[Any], Any]
    method: str
    path: str
    query: list[tuple[str, str]]
    body_root: str | None = None
    body_schema: str | None = None
    body_order: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    result: type | None = None  # the type of what the call returns (list items, batch items)


BT, BTR, MJ, LT = ("bank_transactions_request", "bank_transfers_request",
                   "manual_journals_request", "linked_transactions_request")  # fmt: skip
CASES = [
    # ------------------------------------------------------------ bank transactions
    Case(
        "bank_transactions.list",
        lambda c: c.bank_transactions.list(
            where='Status=="AUTHORISED"',
            order="Date DESC",
            page=2,
            page_size=50,
            unit_dp=4,
            modified_since=WHEN,
        ),
        "GET",
        "BankTransactions",
        [
            ("where", 'Status=="AUTHORISED"'),
            ("order", "Date DESC"),
            ("page", "2"),
            ("pageSize", "50"),
            ("unitdp", "4"),
        ],
        headers=MOD,
        result=list,
    ),
    Case(
        "bank_transactions.get",
        lambda c: c.bank_transactions.get(bank_transaction_id=GUID, unit_dp=4),
        "GET",
        f"BankTransactions/{G}",
        [("unitdp", "4")],
        result=models.BankTransaction,
    ),
    Case(
        "bank_transactions.create",
        lambda c: c.bank_transactions.create(BANK_TRANSACTION, unit_dp=2),
        "PUT",
        "BankTransactions",
        [("unitdp", "2")],
        "BankTransaction",
        BT,
        BANK_TRANSACTION_ORDER,
        result=models.BankTransaction,
    ),
    Case(
        "bank_transactions.create_many",
        lambda c: c.bank_transactions.create_many([BANK_TRANSACTION] * 2, summarize_errors=False),
        "PUT",
        "BankTransactions",
        [("summarizeErrors", "false")],
        "BankTransactions",
        BT,
        ["BankTransaction", "BankTransaction"],
    ),
    Case(
        "bank_transactions.save",
        lambda c: c.bank_transactions.save(
            models.BankTransaction(bank_transaction_id=G, reference="Courier (fixed)"),
            idempotency_key="fix-courier-1",
        ),
        "POST",
        "BankTransactions",
        [],
        "BankTransaction",
        BT,
        ["Reference", "BankTransactionID"],
        headers={"Idempotency-Key": "fix-courier-1"},
        result=models.BankTransaction,
    ),
    Case(
        "bank_transactions.save_many",
        lambda c: c.bank_transactions.save_many([BANK_TRANSACTION]),
        "POST",
        "BankTransactions",
        [("summarizeErrors", "false")],
        "BankTransactions",
        BT,
        ["BankTransaction"],
    ),
    Case(
        "bank_transactions.delete",
        lambda c: c.bank_transactions.delete(bank_transaction_id=uuid.UUID(GUID)),
        "POST",
        f"BankTransactions/{G}",
        [],
        "BankTransaction",
        BT,
        ["Status"],
        result=models.BankTransaction,
    ),
    # ------------------------------------------------------------ bank transfers
    Case(
        "bank_transfers.list",
        lambda c: c.bank_transfers.list(
            where="Amount>100", order="Amount DESC", include_deleted=True, modified_since=WHEN
        ),
        "GET",
        "BankTransfers",
        [("where", "Amount>100"), ("order", "Amount DESC"), ("includeDeleted", "true")],
        headers=MOD,
        result=list,
    ),
    Case(
        "bank_transfers.get",
        lambda c: c.bank_transfers.get(bank_transfer_id=GUID),
        "GET",
        f"BankTransfers/{G}",
        [],
        result=models.BankTransfer,
    ),
    Case(
        "bank_transfers.create",
        lambda c: c.bank_transfers.create(BANK_TRANSFER),
        "PUT",
        "BankTransfers",
        [],
        "BankTransfer",
        BTR,
        BANK_TRANSFER_ORDER,
        result=models.BankTransfer,
    ),
    Case(
        "bank_transfers.create_many",
        lambda c: c.bank_transfers.create_many([BANK_TRANSFER, BANK_TRANSFER]),
        "PUT",
        "BankTransfers",
        [],
        "BankTransfers",
        BTR,
        ["BankTransfer", "BankTransfer"],
    ),
    Case(
        "bank_transfers.delete",
        lambda c: c.bank_transfers.delete(bank_transfer_id=GUID),
        "POST",
        f"BankTransfers/{G}",
        [],
        "BankTransfer",
        BTR,
        ["Status"],
        result=models.BankTransfer,
    ),
    Case(
        "bank_transfers.delete_many",
        lambda c: c.bank_transfers.delete_many(
            [models.BankTransfer(bank_transfer_id=G, status=models.BankTransferStatus.DELETED)],
            summarize_errors=False,
        ),
        "POST",
        "BankTransfers",
        [("summarizeErrors", "false")],
        "BankTransfers",
        BTR,
        ["BankTransfer"],
    ),
    # ------------------------------------------------------------ manual journals
    Case(
        "manual_journals.list",
        lambda c: c.manual_journals.list(
            where='Status=="POSTED"', order="Date", page=1, page_size=10, modified_since=WHEN
        ),
        "GET",
        "ManualJournals",
        [("where", 'Status=="POSTED"'), ("order", "Date"), ("page", "1"), ("pageSize", "10")],
        headers=MOD,
        result=list,
    ),
    Case(
        "manual_journals.get",
        lambda c: c.manual_journals.get(manual_journal_id=GUID),
        "GET",
        f"ManualJournals/{G}",
        [],
        result=models.ManualJournal,
    ),
    Case(
        "manual_journals.create",
        lambda c: c.manual_journals.create(MANUAL_JOURNAL),
        "PUT",
        "ManualJournals",
        [],
        "ManualJournal",
        MJ,
        MANUAL_JOURNAL_ORDER,
        result=models.ManualJournal,
    ),
    Case(
        "manual_journals.create_many",
        lambda c: c.manual_journals.create_many([MANUAL_JOURNAL]),
        "PUT",
        "ManualJournals",
        [("summarizeErrors", "false")],
        "ManualJournals",
        MJ,
        ["ManualJournal"],
    ),
    Case(
        "manual_journals.save",
        lambda c: c.manual_journals.save(MANUAL_JOURNAL),
        "POST",
        "ManualJournals",
        [],
        "ManualJournal",
        MJ,
        MANUAL_JOURNAL_ORDER,
        result=models.ManualJournal,
    ),
    Case(
        "manual_journals.save_many",
        lambda c: c.manual_journals.save_many([MANUAL_JOURNAL] * 3, summarize_errors=False),
        "POST",
        "ManualJournals",
        [("summarizeErrors", "false")],
        "ManualJournals",
        MJ,
        ["ManualJournal"] * 3,
    ),
    Case(
        "manual_journals.delete",
        lambda c: c.manual_journals.delete(manual_journal_id=GUID, status="VOIDED"),
        "POST",
        f"ManualJournals/{G}",
        [],
        "ManualJournal",
        MJ,
        ["Status"],
        result=models.ManualJournal,
    ),
    # ------------------------------------------------------------ journals
    Case(
        "journals.list",
        lambda c: c.journals.list(offset=100, payments_only=True, modified_since=WHEN),
        "GET",
        "Journals",
        [("offset", "100"), ("paymentsOnly", "true")],
        headers=MOD,
        result=list,
    ),
    Case(
        "journals.get",
        lambda c: c.journals.get(journal_id=GUID),
        "GET",
        f"Journals/{G}",
        [],
        result=models.Journal,
    ),
    Case(
        "journals.get/number",
        lambda c: c.journals.get(journal_number=42),
        "GET",
        "Journals/42",
        [],
        result=models.Journal,
    ),
    # ------------------------------------------------------------ linked transactions
    Case(
        "linked_transactions.list",
        lambda c: c.linked_transactions.list(
            page=3,
            linked_transaction_id=GUID,
            source_transaction_id=GUID2,
            contact_id=GUID,
            status="ONDRAFT",
            target_transaction_id=GUID2,
        ),
        "GET",
        "LinkedTransactions",
        [
            ("page", "3"),
            ("LinkedTransactionID", G),
            ("SourceTransactionID", GUID2),
            ("ContactID", G),
            ("Status", "ONDRAFT"),
            ("TargetTransactionID", GUID2),
        ],
        result=list,
    ),
    Case(
        "linked_transactions.get",
        lambda c: c.linked_transactions.get(linked_transaction_id=GUID),
        "GET",
        f"LinkedTransactions/{G}",
        [],
        result=models.LinkedTransaction,
    ),
    Case(
        "linked_transactions.create",
        lambda c: c.linked_transactions.create(LINKED),
        "PUT",
        "LinkedTransactions",
        [],
        "LinkedTransaction",
        LT,
        LINKED_ORDER,
        result=models.LinkedTransaction,
    ),
    Case(
        "linked_transactions.save",
        lambda c: c.linked_transactions.save(
            linked_transaction_id=GUID,
            linked_transaction=models.LinkedTransaction(
                target_transaction_id=GUID2, target_line_item_id=G
            ),
        ),
        "POST",
        f"LinkedTransactions/{G}",
        [],
        "LinkedTransaction",
        LT,
        ["TargetTransactionID", "TargetLineItemID"],
        result=models.LinkedTransaction,
    ),
]


class Recorder:
    def __init__(self, resource: str) -> None:
        self.body = ANSWERS[resource]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        content = as_many_as_sent(request.content, self.body)  # one element per element sent
        return httpx.Response(200, content=content, headers={"content-type": "text/xml"})


def _check(case: Case, recorder: Recorder, result: Any) -> None:
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    assert request.method == case.method
    assert request.url.raw_path.decode().split("?")[0] == "/api.xro/2.0/" + case.path
    assert list(request.url.params.multi_items()) == case.query
    headers = request.headers
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["xero-tenant-id"] == TENANT
    if "If-Modified-Since" in case.headers:
        assert headers["If-Modified-Since"] == case.headers["If-Modified-Since"]
    else:
        assert "If-Modified-Since" not in headers
    if case.method in ("PUT", "POST"):
        key = headers["Idempotency-Key"]
        assert key == case.headers.get("Idempotency-Key", key) and 1 <= len(key) <= 128
    else:
        assert "Idempotency-Key" not in headers
    if case.body_root is None:
        assert request.content == b""
    else:
        assert headers["Content-Type"].startswith("application/xml")
        root = etree.fromstring(request.content)
        assert root.tag == case.body_root
        assert [child.tag for child in root] == case.body_order
        assert case.body_schema is not None
        validator = schema("requests", case.body_schema)
        assert validator.validate(root), validator.error_log
    if case.result is list:
        assert isinstance(result, list) and result
    elif case.result is not None:
        assert isinstance(result, case.result)
    else:  # a batch
        assert result.items and all(item.status == "OK" for item in result.items)


def _resource(case: Case) -> str:
    return case.id.split(".")[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync_wire(case: Case) -> None:
    recorder = Recorder(_resource(case))
    with fake_client(recorder) as client:
        result = case.call(client)
    _check(case, recorder, result)


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_async_wire(case: Case) -> None:
    recorder = Recorder(_resource(case))
    async with fake_async_client(recorder) as client:
        result = await case.call(client)
    _check(case, recorder, result)


def test_every_family_d_endpoint_has_a_case() -> None:
    manifest = load_manifest(SCHEMAS)
    declared = {  # 204 No Content endpoints: tests/resources/test_no_content_wire.py
        f"{e['resource']}.{e['name']}"
        for e in manifest["endpoints"]
        if e["resource"] in FAMILY
        and e.get("returns") != "none"
        # issue 18's sub-resources and invoice actions: test_history_allocations_wire.py
        and not e.get("sub_resource")
        and f"{e['resource']}.{e['name']}" not in {c.id for c in ISSUE_18_CASES}
    }
    assert declared == {c.id.split("/")[0] for c in CASES}


def test_answers_decode_into_typed_models() -> None:
    with fake_client(Recorder("journals")) as client:
        (journal,) = client.journals.list()
    assert journal.journal_number == 42 and journal.journal_date == datetime.date(2026, 6, 30)
    assert journal.source_type is models.JournalSourceType.MANJOURNAL
    line = journal.journal_lines[0]
    assert line.net_amount == Decimal("1200.00") and line.account_type is models.AccountType.EXPENSE
    assert line.tracking_categories[0].option == "North"
    with fake_client(Recorder("bank_transfers")) as client:
        transfer = client.bank_transfers.get(bank_transfer_id=GUID)
    assert transfer.created_date_utc == datetime.datetime(
        2026, 7, 2, 1, 0, 0, 123000, tzinfo=datetime.UTC
    )
    assert transfer.to_tracking[0].name == "Region"
    assert transfer.status is models.BankTransferStatus.AUTHORISED


def test_iter_pages_bank_transactions_until_a_short_page() -> None:
    seen: list[httpx.Request] = []
    body = ANSWERS["bank_transactions"].decode()
    one = body[body.index("<BankTransaction>") : body.index("</BankTransactions>")]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        page = request.url.params["page"]
        count = {"1": 2, "2": 2}.get(page, 1)
        # distinct transactions on every page (Xero never answers a page twice)
        items = "".join(
            one.replace(G, str(uuid.UUID(int=int(page) * 10 + n))) for n in range(count)
        )
        content = body.replace(one, items)
        return httpx.Response(200, content=content.encode(), headers={"content-type": "text/xml"})

    with fake_client(handler) as client:
        walked = list(client.bank_transactions.iter(page_size=2, where='Type=="SPEND"'))
    assert [str(t.bank_transaction_id) for t in walked] == [
        str(uuid.UUID(int=n)) for n in (10, 11, 20, 21, 30)
    ]
    assert [r.url.params["page"] for r in seen] == ["1", "2", "3"]
    assert all(r.url.params["pageSize"] == "2" for r in seen)


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda c: c.journals.get(), "exactly one"),
        (lambda c: c.journals.get(journal_id=GUID, journal_number=1), "exactly one"),
        (lambda c: c.journals.get(journal_number="7"), "whole number"),
        (lambda c: c.journals.get(journal_number=0), "at least 1"),
        (lambda c: c.bank_transactions.get(bank_transaction_id="nope"), "GUID"),
        (lambda c: c.bank_transactions.list(unit_dp=3), "one of"),
        (lambda c: c.manual_journals.delete(manual_journal_id=GUID, status="POSTED"), "one of"),
        (lambda c: c.linked_transactions.list(status="PAID"), "one of"),
        (lambda c: c.linked_transactions.list(contact_id="x"), "GUID"),
        (lambda c: c.journals.list(offset=True), "whole number"),
        (lambda c: c.bank_transfers.list(include_deleted="yes"), "True or False"),
        (lambda c: c.bank_transfers.create_many(BANK_TRANSFER), "list"),
    ],
)
def test_bad_arguments_are_refused_before_sending(call: Callable[[Any], Any], needle: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    with (
        fake_client(handler) as client,
        pytest.raises(RequestValidationError) as caught,
    ):
        call(client)
    assert needle in str(caught.value)
