"""History and notes in the sandbox (``GET``/``PUT {Resource}/{id}/History``), over raw HTTP
to the app in-process: every change the sandbox makes is recorded, notes are added and
refused as Xero does, and each of the sixteen resources answers its history."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from lxml import etree
from xero_customer_api.v2_0 import _codec, models
from xero_sandbox.app import SandboxApp
from xero_sandbox.store import Credentials, Store
from xero_sandbox.v2_0.resources import history as history_module
from xero_sandbox.v2_0.service import Call, NotFound, Service, route

from tests.sandbox.conftest import ConnectV2
from tests.v2.conftest import schema

API = "/api.xro/2.0"
pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def api(store: Store, connect_v2: ConnectV2) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with a client-credentials token and the Demo Company's tenant."""
    async with connect_v2(SandboxApp(store, limits=False)) as http:
        yield http


def xml(answer: httpx.Response) -> etree._Element:
    return etree.fromstring(answer.content)


async def ok(api: httpx.AsyncClient, method: str, path: str, body: str = "") -> etree._Element:
    answer = await api.request(method, f"{API}/{path}", content=body.encode())
    assert answer.status_code == 200, f"{method} {path}: {answer.status_code} {answer.text}"
    return xml(answer)


async def history(api: httpx.AsyncClient, path: str) -> list[tuple[str, str, str, str]]:
    """(Changes, DateUTC, User, Details) of each entry of a record's history."""
    root = await ok(api, "GET", f"{path}/History")
    return [
        (
            r.findtext("Changes") or "",
            r.findtext("DateUTC") or "",
            r.findtext("User") or "",
            r.findtext("Details") or "",
        )
        for r in root.iterfind("HistoryRecords/HistoryRecord")
    ]


async def changes(api: httpx.AsyncClient, path: str) -> list[str]:
    return [entry[0] for entry in await history(api, path)]


LINE = (
    "<LineItems><LineItem><Description>Work</Description><Quantity>1</Quantity>"
    "<UnitAmount>{amount}</UnitAmount><AccountCode>{account}</AccountCode>"
    "<TaxType>NONE</TaxType></LineItem></LineItems>"
)


def invoice_body(
    contact: str, amount: str = "100.00", kind: str = "ACCREC", status: str = "DRAFT"
) -> str:
    account = "200" if kind == "ACCREC" else "429"
    return (
        f"<Invoice><Type>{kind}</Type><Contact><Name>{contact}</Name></Contact>"
        f"<Date>2026-11-02</Date><DueDate>2026-12-02</DueDate><Status>{status}</Status>"
        + LINE.format(amount=amount, account=account)
        + "</Invoice>"
    )


async def new_invoice(api: httpx.AsyncClient, contact: str = "Acme", **kw: str) -> str:
    root = await ok(api, "PUT", "Invoices", invoice_body(contact, **kw))
    return root.findtext("Invoices/Invoice/InvoiceID") or ""


async def pay(api: httpx.AsyncClient, invoice_id: str, amount: str) -> str:
    root = await ok(
        api,
        "PUT",
        "Payments",
        f"<Payment><Invoice><InvoiceID>{invoice_id}</InvoiceID></Invoice>"
        f"<Account><Code>090</Code></Account><Date>2026-11-20</Date>"
        f"<Amount>{amount}</Amount></Payment>",
    )
    return root.findtext("Payments/Payment/PaymentID") or ""


# ----------------------------------------------------------------------------- a life


async def test_an_invoice_history_follows_its_life(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api)
    path = f"Invoices/{invoice_id}"
    await ok(api, "POST", path, "<Invoice><Reference>PO 7</Reference></Invoice>")
    await ok(api, "POST", path, "<Invoice><Status>AUTHORISED</Status></Invoice>")
    await pay(api, invoice_id, "40.00")
    await pay(api, invoice_id, "60.00")
    entries = await history(api, path)
    assert [e[0] for e in entries] == [
        "Created",
        "Edited",
        "Approved",
        "Payment received",
        "Payment received",
        "Paid",
    ]
    assert entries[0][3] == "INV-0001 to Acme for 100.00"
    assert entries[3][3] == "Payment received from Acme on 20 Nov 2026 for 40.00"
    assert {e[2] for e in entries} == {"System Generated"}
    stamps = [datetime.datetime.fromisoformat(e[1]) for e in entries]
    assert stamps == sorted(stamps)  # oldest first
    # DateUTC as Xero writes it (milliseconds, no zone), on the clock of UpdatedDateUTC
    assert all(len(e[1]) == 23 and e[1][10] == "T" for e in entries)
    got = await ok(api, "GET", path)
    updated = datetime.datetime.fromisoformat(got.findtext("Invoices/Invoice/UpdatedDateUTC") or "")
    assert abs((updated - stamps[-1]).total_seconds()) < 5


async def test_a_voided_and_a_deleted_invoice(api: httpx.AsyncClient) -> None:
    voided = await new_invoice(api, status="AUTHORISED")
    payment = await pay(api, voided, "10.00")
    await ok(api, "POST", f"Payments/{payment}", "<Payment><Status>DELETED</Status></Payment>")
    await ok(api, "POST", f"Invoices/{voided}", "<Invoice><Status>VOIDED</Status></Invoice>")
    assert await changes(api, f"Invoices/{voided}") == [
        "Created",
        "Payment received",
        "Payment removed",
        "Voided",
    ]
    assert await changes(api, f"Payments/{payment}") == ["Created", "Deleted"]
    deleted = await new_invoice(api, kind="ACCPAY", contact="Supplies Co")
    await ok(api, "POST", f"Invoices/{deleted}", "<Invoice><Status>SUBMITTED</Status></Invoice>")
    await ok(api, "POST", f"Invoices/{deleted}", "<Invoice><Status>DELETED</Status></Invoice>")
    entries = await history(api, f"Invoices/{deleted}")
    assert [e[0] for e in entries] == ["Created", "Submitted", "Deleted"]
    assert entries[0][3] == "Bill from Supplies Co for 100.00"


async def test_a_refused_write_records_nothing(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api, status="AUTHORISED")
    answer = await api.post(
        f"{API}/Invoices/{invoice_id}", content=b"<Invoice><Status>DRAFT</Status></Invoice>"
    )
    assert answer.status_code == 400
    assert await changes(api, f"Invoices/{invoice_id}") == ["Created"]


async def test_a_contact_made_by_an_invoice_and_edited(api: httpx.AsyncClient) -> None:
    await new_invoice(api, contact="New Name Ltd")
    root = await ok(api, "GET", "Contacts?where=Name%3D%3D%22New%20Name%20Ltd%22")
    contact_id = root.findtext("Contacts/Contact/ContactID")
    await ok(
        api,
        "POST",
        f"Contacts/{contact_id}",
        "<Contact><EmailAddress>a@b.co</EmailAddress></Contact>",
    )
    await ok(
        api,
        "POST",
        f"Contacts/{contact_id}",
        "<Contact><ContactStatus>ARCHIVED</ContactStatus></Contact>",
    )
    entries = await history(api, f"Contacts/{contact_id}")
    assert [(e[0], e[3]) for e in entries] == [
        ("Created", "New Name Ltd"),
        ("Edited", "New Name Ltd"),
        ("Archived", "New Name Ltd"),
    ]


async def test_a_credit_note_applied_to_an_invoice_and_removed(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api, amount="50.00", status="AUTHORISED")
    note = await ok(
        api,
        "PUT",
        "CreditNotes",
        "<CreditNote><Type>ACCRECCREDIT</Type><Contact><Name>Acme</Name></Contact>"
        "<Date>2026-11-03</Date><Status>AUTHORISED</Status>"
        + LINE.format(amount="50.00", account="200")
        + "</CreditNote>",
    )
    note_id = note.findtext("CreditNotes/CreditNote/CreditNoteID") or ""
    made = await ok(
        api,
        "PUT",
        f"CreditNotes/{note_id}/Allocations",
        f"<Allocations><Allocation><Invoice><InvoiceID>{invoice_id}</InvoiceID></Invoice>"
        "<AppliedAmount>50.00</AppliedAmount><Date>2026-11-04</Date></Allocation></Allocations>",
    )
    allocation_id = made.findtext("Allocations/Allocation/AllocationID")
    invoice = await history(api, f"Invoices/{invoice_id}")
    assert [e[0] for e in invoice] == ["Created", "Credit applied", "Paid"]
    assert invoice[1][3] == "Credit note CN-0001 for 50.00 applied"
    source = await history(api, f"CreditNotes/{note_id}")
    assert [e[0] for e in source] == ["Created", "Credit applied", "Paid"]
    assert source[1][3] == "50.00 applied to INV-0001"
    await ok(api, "DELETE", f"CreditNotes/{note_id}/Allocations/{allocation_id}")
    assert (await history(api, f"Invoices/{invoice_id}"))[-1][::3] == (
        "Credit removed",
        "Credit note CN-0001 for 50.00 removed",
    )
    assert (await changes(api, f"CreditNotes/{note_id}"))[-1] == "Credit removed"
    # back to AUTHORISED without an entry of its own; a payment pays it off again
    await pay(api, invoice_id, "50.00")
    assert (await changes(api, f"Invoices/{invoice_id}"))[-2:] == ["Payment received", "Paid"]


async def test_an_invoice_emailed_is_sent(api: httpx.AsyncClient) -> None:
    await ok(
        api,
        "PUT",
        "Contacts",
        "<Contact><Name>Mail Ltd</Name><EmailAddress>ap@mail.example</EmailAddress></Contact>",
    )
    invoice_id = await new_invoice(api, contact="Mail Ltd", status="AUTHORISED")
    sent = await api.post(f"{API}/Invoices/{invoice_id}/Email", content=b"")
    assert sent.status_code == 204, sent.text
    entries = await history(api, f"Invoices/{invoice_id}")
    assert [(e[0], e[3]) for e in entries][1:] == [
        ("Sent", "This invoice has been sent to ap@mail.example")
    ]


async def test_answers_are_valid_and_the_sdk_reads_them(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api)
    added = await api.put(
        f"{API}/Invoices/{invoice_id}/History",
        content=b"<HistoryRecord><Details>Checked</Details></HistoryRecord>",
    )
    read = await api.get(f"{API}/Invoices/{invoice_id}/History")
    validator = schema("responses", "history_records_response")
    for answer in (added, read):
        root = xml(answer)
        assert validator.validate(root), validator.error_log
        decoded = _codec.DECODERS[models.HistoryRecordsResponse](root, True)
        assert decoded.history_records[-1].changes == "Note"
        stamp = decoded.history_records[-1].date_utc
        assert stamp is not None and stamp.tzinfo is not None  # UTC, aware
    assert [r.changes for r in decoded.history_records] == ["Created", "Note"]


async def test_events_are_recorded_only_on_resources_with_history(store: Store) -> None:
    """:func:`history.record` (what attachments call) leaves resources without history
    alone, and an event never hides the next plain edit of another call."""
    org = store.org_by_tenant(store.ensure_seeded().tenant_id)
    assert org is not None
    record_id = str(uuid.uuid4())
    with store.write():
        history_module.begin()
        history_module.record(store, org.org_id, "accounts", record_id, "Attachment added", "a")
        history_module.record(store, org.org_id, "invoices", record_id, "Attachment added", "b")
    with store.write():
        history_module.begin()
        history_module.saved(store, org.org_id, "invoices", record_id, object(), created=False)
    rows = store._all("SELECT resource, changes FROM history WHERE record_id = ?", record_id)
    assert [tuple(r) for r in rows] == [("invoices", "Attachment added"), ("invoices", "Edited")]


# ----------------------------------------------------------------------------- notes


async def test_notes_are_added_and_read_back(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api)
    path = f"{API}/Invoices/{invoice_id}/History"
    batch = await api.put(
        path,
        content=b"<HistoryRecords><HistoryRecord><Details>Called the customer</Details>"
        b"</HistoryRecord><HistoryRecord><Details>Promised by Friday</Details></HistoryRecord>"
        b"</HistoryRecords>",
    )
    assert batch.status_code == 200, batch.text
    added = xml(batch).findall("HistoryRecords/HistoryRecord")
    assert [(r.findtext("Changes"), r.findtext("User"), r.findtext("Details")) for r in added] == [
        ("Note", "System Generated", "Called the customer"),
        ("Note", "System Generated", "Promised by Friday"),
    ]
    assert all(r.findtext("DateUTC") for r in added)
    bare = await api.post(
        path, content=b"<HistoryRecord><Details>Paid by card</Details></HistoryRecord>"
    )
    assert bare.status_code == 200, bare.text  # POST behaves as PUT; a bare element
    assert xml(bare).findtext("HistoryRecords/HistoryRecord/Details") == "Paid by card"
    longest = "x" * 2500
    assert (
        await api.put(
            path, content=f"<HistoryRecord><Details>{longest}</Details></HistoryRecord>".encode()
        )
    ).status_code == 200
    entries = await history(api, f"Invoices/{invoice_id}")
    assert [(e[0], e[3]) for e in entries] == [
        ("Created", "INV-0001 to Acme for 100.00"),
        ("Note", "Called the customer"),
        ("Note", "Promised by Friday"),
        ("Note", "Paid by card"),
        ("Note", longest),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"<HistoryRecord><Details>" + b"x" * 2501 + b"</Details></HistoryRecord>",
            "Details must not be longer than 2500 characters.",
        ),
        (b"<HistoryRecord><Details></Details></HistoryRecord>", "A note must have Details."),
        (b"<HistoryRecord><Details>   </Details></HistoryRecord>", "A note must have Details."),
        (b"<HistoryRecord/>", "A note must have Details."),
        (
            b"<HistoryRecords><HistoryRecord><Details>kept?</Details></HistoryRecord>"
            b"<HistoryRecord/></HistoryRecords>",
            "A note must have Details.",
        ),
    ],
)
async def test_notes_xero_refuses(api: httpx.AsyncClient, body: bytes, message: str) -> None:
    invoice_id = await new_invoice(api)
    answer = await api.put(f"{API}/Invoices/{invoice_id}/History", content=body)
    assert answer.status_code == 400
    root = xml(answer)
    assert root.tag == "ApiException"
    assert root.findtext("Type") == "ValidationException"
    assert root.findtext("Message") == message
    assert await changes(api, f"Invoices/{invoice_id}") == ["Created"]  # a batch is refused whole


async def test_notes_only_details_can_be_written(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api)
    answer = await api.put(
        f"{API}/Invoices/{invoice_id}/History",
        content=b"<HistoryRecord><Changes>Approved</Changes><Details>x</Details></HistoryRecord>",
    )
    assert answer.status_code == 400
    assert xml(answer).findtext("Type") == "PostDataInvalidException"
    empty = await api.put(f"{API}/Invoices/{invoice_id}/History", content=b"")
    assert empty.status_code == 400
    wrong = await api.put(f"{API}/Invoices/{invoice_id}/History", content=b"<Invoice/>")
    assert wrong.status_code == 400


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("resource", ["Overpayments", "Payments", "Prepayments", "Receipts"])
@pytest.mark.parametrize("method", ["PUT", "POST"])
async def test_notes_are_unsupported_where_xero_says_so(
    api: httpx.AsyncClient, resource: str, method: str
) -> None:
    answer = await api.request(
        method,
        f"{API}/{resource}/{uuid.uuid4()}/History",
        content=b"<HistoryRecord><Details>x</Details></HistoryRecord>",
    )
    assert answer.status_code == 400
    root = xml(answer)
    assert root.findtext("Type") == "ValidationException"
    assert root.findtext("Message") == (
        "The document with the supplied id was not found for this endpoint."
    )


async def test_an_unknown_record_or_another_kind_is_404(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api)
    note = b"<HistoryRecord><Details>x</Details></HistoryRecord>"
    for path in (
        f"Invoices/{uuid.uuid4()}/History",
        "Invoices/not-a-guid/History",
        "Invoices/INV-0001/History",
        f"CreditNotes/{invoice_id}/History",  # an invoice is no credit note
        f"Contacts/{invoice_id}/History",
        f"Quotes/{invoice_id}/History",
    ):
        assert (await api.get(f"{API}/{path}")).status_code == 404, path
        assert (await api.put(f"{API}/{path}", content=note)).status_code == 404, path
    # a resource without history has no such route
    assert (await api.get(f"{API}/Accounts/{uuid.uuid4()}/History")).status_code == 404


async def test_another_organisation_does_not_see_the_record(
    api: httpx.AsyncClient, store: Store, credentials: Credentials
) -> None:
    invoice_id = await new_invoice(api)
    _, tenant = store.add_org("Other Org")
    other, app = store.org_by_tenant(tenant), store.app(credentials.client_id)
    assert other is not None and app is not None
    service = Service(store)
    for method, body in (
        ("GET", b""),
        ("PUT", b"<HistoryRecord><Details>x</Details></HistoryRecord>"),
    ):
        call = Call(method, ["Invoices", invoice_id, "History"], {}, {}, body, other, app, "T")
        found = route(method, call.segments)
        assert found is not None
        service.begin()
        with pytest.raises(NotFound), store.write():
            found[0](service, call)
    assert await changes(api, f"Invoices/{invoice_id}") == ["Created"]


async def test_the_path_is_case_insensitive(api: httpx.AsyncClient) -> None:
    invoice_id = await new_invoice(api)
    for path in (
        f"Invoices/{invoice_id}/history",
        f"invoices/{invoice_id.upper()}/HISTORY",
        f"INVOICES/{invoice_id}/History",
    ):
        answer = await api.get(f"{API}/{path}")
        assert answer.status_code == 200, path
        assert [
            r.findtext("Changes") for r in xml(answer).iterfind("HistoryRecords/HistoryRecord")
        ] == ["Created"]
    added = await api.put(
        f"{API}/invoices/{invoice_id}/history",
        content=b"<HistoryRecord><Details>lower</Details></HistoryRecord>",
    )
    assert added.status_code == 200


# ----------------------------------------------------------------------------- every resource


async def _user_id(api: httpx.AsyncClient) -> str:
    root = await ok(api, "GET", "Users")
    return root.findtext("Users/User/UserID") or ""


async def _made(
    api: httpx.AsyncClient, resource: str, body: str, change: str = "", *, key: str = ""
) -> str:
    """PUT one new record of ``resource`` (``Quotes`` holds ``Quote`` ...), then POST ``change``
    to it unless empty; its id (the element ``key``, by default ``QuoteID`` ...)."""
    singular = resource[:-1]
    root = await ok(api, "PUT", resource, body)
    record_id = root.findtext(f"{resource}/{singular}/{key or singular + 'ID'}") or ""
    if change:
        await ok(api, "POST", f"{resource}/{record_id}", change)
    return record_id


async def _every_record(api: httpx.AsyncClient) -> dict[str, str]:
    """One record of each of the sixteen resources, each changed once after it was made."""
    out: dict[str, str] = {}
    out["Contacts"] = await _made(
        api,
        "Contacts",
        "<Contact><Name>Every Ltd</Name></Contact>",
        "<Contact><FirstName>Eve</FirstName></Contact>",
    )
    out["Invoices"] = await new_invoice(api, contact="Every Ltd", status="AUTHORISED")
    out["Payments"] = await pay(api, out["Invoices"], "10.00")
    await ok(
        api, "POST", f"Payments/{out['Payments']}", "<Payment><Status>DELETED</Status></Payment>"
    )
    second = await new_invoice(api, contact="Every Ltd", status="AUTHORISED")
    out["BatchPayments"] = await _made(
        api,
        "BatchPayments",
        f"<BatchPayment><Account><Code>090</Code></Account><Date>2026-11-21</Date><Payments>"
        f"<Payment><Invoice><InvoiceID>{second}</InvoiceID></Invoice><Amount>5.00</Amount></Payment>"
        f"</Payments></BatchPayment>",
        "<BatchPayment><Status>DELETED</Status></BatchPayment>",
    )
    out["CreditNotes"] = await _made(
        api,
        "CreditNotes",
        "<CreditNote><Type>ACCRECCREDIT</Type><Contact><Name>Every Ltd</Name></Contact>"
        + LINE.format(amount="5.00", account="200")
        + "</CreditNote>",
        "<CreditNote><Status>AUTHORISED</Status></CreditNote>",
    )
    out["BankTransactions"] = await _made(
        api,
        "BankTransactions",
        "<BankTransaction><Type>SPEND</Type><Contact><Name>Every Ltd</Name></Contact>"
        + LINE.format(amount="20.00", account="429")
        + "<BankAccount><Code>090</Code></BankAccount></BankTransaction>",
        "<BankTransaction><Reference>R1</Reference></BankTransaction>",
    )
    for kind, resource, key in (
        ("RECEIVE-PREPAYMENT", "Prepayments", "PrepaymentID"),
        ("RECEIVE-OVERPAYMENT", "Overpayments", "OverpaymentID"),
    ):
        out[resource] = await _made(
            api,
            "BankTransactions",
            f"<BankTransaction><Type>{kind}</Type><Contact><Name>Every Ltd</Name></Contact>"
            "<LineAmountTypes>NoTax</LineAmountTypes>"
            + LINE.format(amount="30.00", account="200")
            + "<BankAccount><Code>090</Code></BankAccount></BankTransaction>",
            key=key,
        )
    await ok(
        api,
        "PUT",
        "Accounts",
        "<Account><Code>091</Code><Name>Savings</Name><Type>BANK</Type><BankAccountNumber>1234</BankAccountNumber></Account>",
    )
    out["BankTransfers"] = await _made(
        api,
        "BankTransfers",
        "<BankTransfer><FromBankAccount><Code>090</Code></FromBankAccount>"
        "<ToBankAccount><Code>091</Code></ToBankAccount><Amount>15.00</Amount></BankTransfer>",
        "<BankTransfer><Status>DELETED</Status></BankTransfer>",
    )
    out["ManualJournals"] = await _made(
        api,
        "ManualJournals",
        "<ManualJournal><Narration>Accrual</Narration><JournalLines>"
        "<JournalLine><LineAmount>5</LineAmount><AccountCode>429</AccountCode></JournalLine>"
        "<JournalLine><LineAmount>-5</LineAmount><AccountCode>970</AccountCode></JournalLine>"
        "</JournalLines></ManualJournal>",
        "<ManualJournal><Status>POSTED</Status></ManualJournal>",
    )
    out["Quotes"] = await _made(
        api,
        "Quotes",
        "<Quote><Contact><Name>Every Ltd</Name></Contact><Date>2026-11-01</Date>"
        + LINE.format(amount="70.00", account="200")
        + "</Quote>",
        "<Quote><Status>SENT</Status></Quote>",
    )
    out["PurchaseOrders"] = await _made(
        api,
        "PurchaseOrders",
        "<PurchaseOrder><Contact><Name>Every Ltd</Name></Contact><Date>2026-11-01</Date>"
        + LINE.format(amount="80.00", account="429")
        + "</PurchaseOrder>",
        "<PurchaseOrder><Status>AUTHORISED</Status></PurchaseOrder>",
    )
    out["RepeatingInvoices"] = await _made(
        api,
        "RepeatingInvoices",
        "<RepeatingInvoice><Schedule><StartDate>2027-02-01</StartDate>"
        "<DueDateType>OFCURRENTMONTH</DueDateType><DueDate>28</DueDate><Unit>MONTHLY</Unit>"
        "<Period>1</Period></Schedule><Type>ACCREC</Type>"
        "<Contact><Name>Every Ltd</Name></Contact>"
        + LINE.format(amount="30.00", account="200")
        + "</RepeatingInvoice>",
        "<RepeatingInvoice><Status>AUTHORISED</Status></RepeatingInvoice>",
    )
    out["Items"] = await _made(
        api,
        "Items",
        "<Item><Code>EVERY-1</Code><Name>Widget</Name></Item>",
        "<Item><Name>Widget 2</Name></Item>",
    )
    user = await _user_id(api)
    out["Receipts"] = await _made(
        api,
        "Receipts",
        f"<Receipt><User><UserID>{user}</UserID></User><Contact><Name>Every Ltd</Name></Contact>"
        "<Date>2026-11-05</Date>" + LINE.format(amount="12.00", account="429") + "</Receipt>",
    )
    out["ExpenseClaims"] = await _made(
        api,
        "ExpenseClaims",
        f"<ExpenseClaim><User><UserID>{user}</UserID></User><Receipts><Receipt>"
        f"<ReceiptID>{out['Receipts']}</ReceiptID></Receipt></Receipts></ExpenseClaim>",
        "<ExpenseClaim><Status>AUTHORISED</Status></ExpenseClaim>",
    )
    return out


EXPECTED = {
    "Contacts": ["Created", "Edited"],
    "Invoices": ["Created", "Payment received", "Payment removed"],
    "Payments": ["Created", "Deleted"],
    "BatchPayments": ["Created", "Deleted"],
    "CreditNotes": ["Created", "Approved"],
    "BankTransactions": ["Created", "Edited"],
    "Prepayments": ["Created"],
    "Overpayments": ["Created"],
    "BankTransfers": ["Created", "Deleted"],
    "ManualJournals": ["Created", "Posted"],
    "Quotes": ["Created", "Sent"],
    "PurchaseOrders": ["Created", "Approved"],
    "RepeatingInvoices": ["Created", "Approved"],
    "Items": ["Created", "Edited"],
    "Receipts": ["Created", "Submitted", "Approved"],
    "ExpenseClaims": ["Created", "Approved"],
}


async def test_every_resource_answers_its_history(api: httpx.AsyncClient) -> None:
    made = await _every_record(api)
    assert sorted(made) == sorted(EXPECTED)
    seen = {
        resource: await changes(api, f"{resource}/{record_id}")
        for resource, record_id in made.items()
    }
    assert seen == EXPECTED
    note = b"<HistoryRecord><Details>checked</Details></HistoryRecord>"
    for resource, record_id in made.items():
        answer = await api.put(f"{API}/{resource}/{record_id}/History", content=note)
        if resource in ("Overpayments", "Payments", "Prepayments", "Receipts"):
            assert answer.status_code == 400, resource
        else:
            assert answer.status_code == 200, (resource, answer.text)
            assert (await changes(api, f"{resource}/{record_id}"))[-1] == "Note"


async def test_details_describe_each_record(api: httpx.AsyncClient) -> None:
    made = await _every_record(api)
    first = {
        resource: (await history(api, f"{resource}/{record_id}"))[0][3]
        for resource, record_id in made.items()
    }
    assert first["Contacts"] == "Every Ltd"
    assert first["Items"] == "EVERY-1 Widget"
    assert first["Quotes"] == "QU-0001 to Every Ltd for 70.00"
    assert first["PurchaseOrders"] == "PO-0001 to Every Ltd for 80.00"
    assert first["BankTransactions"] == "Spent money to Every Ltd for 20.00"
    assert first["Prepayments"] == "Prepayment from Every Ltd for 30.00"
    assert first["BankTransfers"] == "Bank transfer for 15.00"
    assert first["ManualJournals"] == "Accrual"
    assert first["Payments"] == "Payment on INV-0001 for 10.00"
