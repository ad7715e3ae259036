"""What a document gives beyond its record, over HTTP (raw httpx through the sandbox's whole
app: tokens, tenant, routes, content types): the PDFs of invoices, credit notes, quotes and
purchase orders (read back with pypdf), ``Accept: application/pdf`` on the GET of one, the
email of an invoice and its online invoice with their conditions, allocations of credit
notes, prepayments and overpayments made and deleted (amounts before and after, the books
still balancing), and the partner console's documents page."""

from __future__ import annotations

import datetime
import io
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
import pytest_asyncio
from lxml import etree, html
from pypdf import PdfReader
from xero_customer_api.v2_0 import models as m
from xero_customer_api.v2_0._codecs.requests.bank_transactions_request import (
    encode_request_bank_transactions,
)
from xero_customer_api.v2_0._codecs.requests.contacts_request import encode_request_contacts
from xero_customer_api.v2_0._codecs.requests.credit_notes_request import (
    encode_request_credit_notes,
)
from xero_customer_api.v2_0._codecs.requests.invoices_request import (
    encode_request_invoice,
    encode_request_invoices,
)
from xero_customer_api.v2_0._codecs.requests.payments_request import encode_request_payments
from xero_customer_api.v2_0._codecs.requests.purchase_orders_request import (
    encode_request_purchase_orders,
)
from xero_customer_api.v2_0._codecs.requests.quotes_request import encode_request_quotes
from xero_sandbox import pdf
from xero_sandbox.app import SandboxApp
from xero_sandbox.process import launch
from xero_sandbox.store import Credentials, Store
from xero_sandbox.v2_0.resources import documents

from tests.sandbox.conftest import ConnectV2
from tests.sandbox.ledger_world import amount, find, flatten

API = "/api.xro/2.0"
PDF = {"Accept": "application/pdf"}
ZERO = "00000000-0000-0000-0000-000000000000"
MISSING = "0f0e0d0c-0b0a-4909-8807-060504030201"
DAY = datetime.date(2026, 5, 4)


@pytest_asyncio.fixture
async def api(store: Store, connect_v2: ConnectV2) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with a client-credentials token and the Demo Company's tenant."""
    async with connect_v2(SandboxApp(store)) as http:
        yield http


# ----------------------------------------------------------------------------- helpers


def xml(response: httpx.Response) -> etree._Element:
    assert response.headers["content-type"].startswith("text/xml"), response.headers
    return etree.fromstring(response.content)


def line(
    description: str, unit: str, *, quantity: str = "1", code: str = "200", tax: str = "OUTPUT2"
) -> m.LineItem:
    return m.LineItem(
        description=description,
        quantity=Decimal(quantity),
        unit_amount=Decimal(unit),
        account_code=code,
        tax_type=tax,
    )


async def make_invoice(
    api: httpx.AsyncClient,
    *,
    kind: str = "ACCREC",
    status: str = "AUTHORISED",
    contact: m.Contact | None = None,
    lines: list[m.LineItem] | None = None,
) -> etree._Element:
    invoice = m.Invoice(
        type=m.InvoiceType(kind),
        contact=contact or m.Contact(name="Tui Bakery", email_address="accounts@tui.example"),
        date=DAY,
        due_date=DAY + datetime.timedelta(days=20),
        reference="Order 42",
        status=m.InvoiceStatus(status),
        line_items=lines or [line("Sourdough loaves", "50.00", quantity="2")],
    )
    answer = await api.put(f"{API}/Invoices", content=encode_request_invoices([invoice]))
    assert answer.status_code == 200, answer.text
    found = xml(answer).find("Invoices/Invoice")
    assert found is not None
    return found


async def make_credit_note(
    api: httpx.AsyncClient, unit: str = "20.00", *, kind: str = "ACCRECCREDIT"
) -> etree._Element:
    note = m.CreditNote(
        type=m.CreditNoteType(kind),
        contact=m.Contact(name="Tui Bakery"),
        date=DAY,
        status=m.CreditNoteStatus.AUTHORISED,
        line_items=[
            line(
                "Stale bread",
                unit,
                code="200" if kind == "ACCRECCREDIT" else "400",
                tax="OUTPUT2" if kind == "ACCRECCREDIT" else "INPUT2",
            )
        ],
    )
    answer = await api.put(f"{API}/CreditNotes", content=encode_request_credit_notes([note]))
    assert answer.status_code == 200, answer.text
    found = xml(answer).find("CreditNotes/CreditNote")
    assert found is not None
    return found


async def invoice_amounts(api: httpx.AsyncClient, invoice_id: str) -> tuple[str, ...]:
    root = xml(await api.get(f"{API}/Invoices/{invoice_id}"))
    return tuple(
        root.findtext(f"Invoices/Invoice/{name}") or ""
        for name in ("Status", "AmountDue", "AmountPaid", "AmountCredited")
    )


async def remaining(api: httpx.AsyncClient, path: str, element: str) -> tuple[str, str]:
    root = xml(await api.get(f"{API}/{path}"))
    return (
        root.findtext(f"{element}/Status") or "",
        root.findtext(f"{element}/RemainingCredit") or "",
    )


def allocations_body(*items: tuple[str, str], bare: bool = False) -> bytes:
    one = [
        f"<Allocation><Invoice><InvoiceID>{invoice_id}</InvoiceID></Invoice>"
        f"<AppliedAmount>{value}</AppliedAmount><Date>{DAY.isoformat()}</Date></Allocation>"
        for invoice_id, value in items
    ]
    if bare:
        assert len(one) == 1
        return one[0].encode()
    return f"<Allocations>{''.join(one)}</Allocations>".encode()


def messages(response: httpx.Response) -> list[str]:
    root = etree.fromstring(response.content)
    return [e.text or "" for e in root.iterfind(".//ValidationError/Message")]


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def check_books(api: httpx.AsyncClient) -> None:
    """Every journal balances and the trial balance's debits equal its credits."""
    journals = xml(await api.get(f"{API}/Journals"))
    for journal in journals.iterfind("Journals/Journal"):
        lines = [
            Decimal(x.findtext("NetAmount") or "0")
            for x in journal.iterfind("JournalLines/JournalLine")
        ]
        assert sum(lines, Decimal(0)) == 0
    report = xml(await api.get(f"{API}/Reports/TrialBalance", params={"date": "2026-12-31"}))
    found = report.find("Reports/Report")
    assert found is not None
    totals = find(flatten(found), "Total").values
    assert amount(totals[1]) == amount(totals[2]) and amount(totals[3]) == amount(totals[4])


async def receivables(api: httpx.AsyncClient) -> Decimal:
    """The Accounts Receivable (610) balance on the trial balance."""
    report = xml(await api.get(f"{API}/Reports/TrialBalance", params={"date": "2026-12-31"}))
    found = report.find("Reports/Report")
    assert found is not None
    row = next(
        r for r in flatten(found) if r.values and r.values[0].startswith("Accounts Receivable")
    )
    return amount(row.values[1]) - amount(row.values[2])


# ----------------------------------------------------------------------------- PDFs


@pytest.mark.asyncio
async def test_an_invoice_pdf_is_a_real_pdf_of_the_invoice(api: httpx.AsyncClient) -> None:
    made = await make_invoice(
        api,
        contact=m.Contact(name="Tūī Bakery", email_address="accounts@tui.example"),
        lines=[
            line("Sourdough loaves", "1234567.89", quantity="2"),
            line("Delivery", "0.10", quantity="3", tax="NONE"),
        ],
    )
    invoice_id, number = made.findtext("InvoiceID"), made.findtext("InvoiceNumber") or ""
    answer = await api.get(f"{API}/Invoices/{invoice_id}/pdf", headers=PDF)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert int(answer.headers["content-length"]) == len(answer.content)
    body = answer.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(body))
    text = text_of(body)
    for shown in (
        "TAX INVOICE",
        "Demo Company",
        number,
        "Tui Bakery",
        "Sourdough loaves",
        "2,469,135.78",
        "0.30",
        "370,370.37",
        "2,839,506.45",
        "Order 42",
        "4 May 2026",
        "24 May 2026",
        "Amount due NZD",
        "Status: AUTHORISED",
        "accounts@tui.example",
        "15%",
    ):
        assert shown in text, (shown, text)
    assert "DRAFT" not in text  # an approved invoice carries no mark
    assert reader.metadata is not None and reader.metadata.title == f"Tax Invoice {number}"
    # the same document, the same bytes (the creation date is the invoice's own)
    again = await api.get(f"{API}/Invoices/{invoice_id}/pdf", headers=PDF)
    assert again.content == body
    updated = made.findtext("UpdatedDateUTC") or ""
    stamp = datetime.datetime.fromisoformat(updated).replace(tzinfo=datetime.UTC)
    assert reader.metadata.creation_date == stamp.replace(microsecond=0)


@pytest.mark.asyncio
async def test_the_pdf_shows_the_contacts_postal_address(api: httpx.AsyncClient) -> None:
    contact = m.Contact(
        name="Harbour Cafe",
        email_address="accounts@harbour.example",
        addresses=[
            m.Address(address_type=m.AddressType.STREET, address_line1="9 Quay Street"),
            m.Address(address_type=m.AddressType.POBOX, address_line1="PO Box 12",
                      city="Wellington", postal_code="6011", country="New Zealand",
                      attention_to="Accounts"),
        ],
    )  # fmt: skip
    saved = await api.put(f"{API}/Contacts", content=encode_request_contacts([contact]))
    assert saved.status_code == 200, saved.text
    made = await make_invoice(api, contact=m.Contact(name="Harbour Cafe"))
    answer = await api.get(f"{API}/Invoices/{made.findtext('InvoiceID')}/pdf", headers=PDF)
    text = text_of(answer.content)
    block = "Harbour Cafe\nAttention: Accounts\nPO Box 12\nWellington 6011\nNew Zealand\n"
    assert block + "accounts@harbour.example" in text, text
    assert "9 Quay Street" not in text


@pytest.mark.asyncio
async def test_a_pdf_follows_the_document(api: httpx.AsyncClient) -> None:
    made = await make_invoice(api)
    invoice_id = made.findtext("InvoiceID") or ""
    before = (await api.get(f"{API}/Invoices/{invoice_id}/pdf", headers=PDF)).content
    payment = m.Payment(
        invoice=m.Invoice(invoice_id=invoice_id),
        account=m.Account(code="090"),
        date=DAY,
        amount=Decimal("40.00"),
    )
    paid = await api.put(f"{API}/Payments", content=encode_request_payments([payment]))
    assert paid.status_code == 200, paid.text
    after = (await api.get(f"{API}/Invoices/{invoice_id}/pdf", headers=PDF)).content
    assert after != before
    assert "Less amount paid 40.00" in text_of(after)
    assert "Amount due NZD 75.00" in text_of(after) and "Amount due NZD 115.00" in text_of(before)


@pytest.mark.asyncio
async def test_drafts_and_voided_documents_are_marked(api: httpx.AsyncClient) -> None:
    draft = await make_invoice(api, status="DRAFT")
    text = text_of((await api.get(f"{API}/Invoices/{draft.findtext('InvoiceID')}/pdf")).content)
    assert "DRAFT" in text and "Status: DRAFT" in text
    approved = await make_invoice(api)
    invoice_id = approved.findtext("InvoiceID")
    voided = await api.post(
        f"{API}/Invoices/{invoice_id}",
        content=encode_request_invoice(m.Invoice(status=m.InvoiceStatus.VOIDED)),
    )
    assert voided.status_code == 200, voided.text
    text = text_of((await api.get(f"{API}/Invoices/{invoice_id}/pdf", headers=PDF)).content)
    assert "Status: VOIDED" in text and text.count("VOIDED") >= 2


@pytest.mark.asyncio
async def test_credit_notes_quotes_orders_and_bills_have_pdfs(api: httpx.AsyncClient) -> None:
    note = await make_credit_note(api)
    quote = m.Quote(
        contact=m.Contact(name="Kea Couriers"),
        date=DAY,
        expiry_date=DAY + datetime.timedelta(days=30),
        title="Winter bread",
        terms="Valid for 30 days\nPrices in NZD",
        line_items=[line("Rye loaves", "6.50", quantity="12")],
    )
    quoted = await api.put(f"{API}/Quotes", content=encode_request_quotes([quote]))
    assert quoted.status_code == 200, quoted.text
    order = m.PurchaseOrder(
        contact=m.Contact(name="Ruru Mills"),
        date=DAY,
        delivery_date=DAY + datetime.timedelta(days=7),
        delivery_address="1 Bakery Lane, Wellington",
        line_items=[line("Flour 25 kg", "31.25", quantity="4", code="400", tax="INPUT2")],
    )
    ordered = await api.put(
        f"{API}/PurchaseOrders", content=encode_request_purchase_orders([order])
    )
    assert ordered.status_code == 200, ordered.text
    bill = await make_invoice(
        api, kind="ACCPAY", lines=[line("Oven repair", "80.00", code="400", tax="INPUT2")]
    )
    cases = [
        (
            "CreditNotes",
            note.findtext("CreditNoteID"),
            [
                "CREDIT NOTE",
                note.findtext("CreditNoteNumber"),
                "Stale bread",
                "Remaining credit NZD 23.00",
            ],
        ),
        (
            "Quotes",
            xml(quoted).findtext("Quotes/Quote/QuoteID"),
            [
                "QUOTE",
                xml(quoted).findtext("Quotes/Quote/QuoteNumber"),
                "Kea Couriers",
                "Rye loaves",
                "78.00",
                "Winter bread",
                "Valid for 30 days\nPrices in NZD",
                "3 Jun 2026",
                "DRAFT",
            ],
        ),
        (
            "PurchaseOrders",
            xml(ordered).findtext("PurchaseOrders/PurchaseOrder/PurchaseOrderID"),
            [
                "PURCHASE ORDER",
                xml(ordered).findtext("PurchaseOrders/PurchaseOrder/PurchaseOrderNumber"),
                "Ruru Mills",
                "Flour 25 kg",
                "125.00",
                "143.75",
                "1 Bakery Lane, Wellington",
                "11 May 2026",
            ],
        ),
        ("Invoices", bill.findtext("InvoiceID"), ["BILL", "Oven repair", "92.00"]),
    ]
    for resource, key, shown in cases:
        answer = await api.get(f"{API}/{resource}/{key}/pdf", headers=PDF)
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
        text = text_of(answer.content)
        for expected in shown:
            assert expected and expected in text, (resource, expected, text)
    # the path is case-insensitive, as Xero's
    lower = await api.get(f"{API}/creditnotes/{note.findtext('CreditNoteID')}/PDF", headers=PDF)
    assert lower.status_code == 200 and lower.content.startswith(b"%PDF-")


@pytest.mark.asyncio
async def test_accept_pdf_on_the_get_of_one_answers_the_pdf(api: httpx.AsyncClient) -> None:
    invoice = await make_invoice(api)
    note = await make_credit_note(api)
    quote = m.Quote(
        contact=m.Contact(name="Kea Couriers"), date=DAY, line_items=[line("Rye loaves", "6.50")]
    )
    quoted = xml(await api.put(f"{API}/Quotes", content=encode_request_quotes([quote])))
    for path in (
        f"Invoices/{invoice.findtext('InvoiceID')}",
        f"Invoices/{invoice.findtext('InvoiceNumber')}",
        f"CreditNotes/{note.findtext('CreditNoteID')}",
        f"Quotes/{quoted.findtext('Quotes/Quote/QuoteID')}",
    ):
        plain = await api.get(f"{API}/{path}")
        assert plain.status_code == 200 and plain.content.startswith(b"<?xml")
        as_pdf = await api.get(f"{API}/{path}", headers=PDF)
        assert as_pdf.status_code == 200, path
        assert as_pdf.headers["content-type"] == "application/pdf"
        first = path.split("/")[0]
        key = invoice.findtext("InvoiceID") if first == "Invoices" else path.split("/")[1]
        via_path = await api.get(f"{API}/{first}/{key}/pdf", headers=PDF)
        assert as_pdf.content == via_path.content
    path = f"{API}/Invoices/{invoice.findtext('InvoiceID')}"
    for accept, is_pdf in (
        ("application/pdf, */*;q=0.1", True),
        ("text/xml", False),
        ("application/xml, application/pdf;q=0.5", False),
        ("application/pdf;q=0", False),
        ("APPLICATION/PDF", True),
    ):
        answer = await api.get(path, headers={"Accept": accept})
        assert answer.status_code == 200
        assert (answer.headers["content-type"] == "application/pdf") is is_pdf, accept


@pytest.mark.asyncio
async def test_pdfs_of_unknown_documents_are_404(api: httpx.AsyncClient) -> None:
    for resource in ("Invoices", "CreditNotes", "PurchaseOrders", "Quotes"):
        answer = await api.get(f"{API}/{resource}/{MISSING}/pdf", headers=PDF)
        assert answer.status_code == 404, resource
        assert answer.headers["content-type"].startswith("text/html")
    for resource in ("Invoices", "CreditNotes", "Quotes"):
        assert (await api.get(f"{API}/{resource}/{MISSING}", headers=PDF)).status_code == 404
    # no PDF of other documents
    assert (await api.get(f"{API}/Payments/{MISSING}/pdf", headers=PDF)).status_code == 404


@pytest.mark.asyncio
async def test_pdfs_need_a_token(api: httpx.AsyncClient) -> None:
    invoice = await make_invoice(api)
    answer = await api.get(
        f"{API}/Invoices/{invoice.findtext('InvoiceID')}/pdf",
        headers={**PDF, "Authorization": "Bearer nope-nope-nope"},
    )
    assert answer.status_code == 401


def test_money_and_quantities_are_printed_from_decimals() -> None:
    assert pdf.money(Decimal("1234567.891")) == "1,234,567.89"
    assert pdf.money(Decimal("0.1") + Decimal("0.2")) == "0.30"
    assert pdf.money(Decimal("-5")) == "-5.00"
    assert pdf.quantity(Decimal("2.5000")) == "2.5"
    assert pdf.quantity(Decimal("1E+1")) == "10"
    assert pdf.quantity(Decimal("3")) == "3"
    assert pdf.day(datetime.date(2026, 12, 7)) == "7 Dec 2026"
    assert pdf.percent(Decimal("0.125")) == "12.5%" and pdf.percent(Decimal("0.15")) == "15%"


def test_text_outside_the_core_font_is_printed_plainly() -> None:
    doc = pdf.Document(
        organisation="Ōtaki Ltd",
        title="TAX INVOICE",
        number="INV-1",
        status="AUTHORISED",
        contact="Zoë 🍞\x07",
        updated=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        lines=(pdf.Line("Ā line", Decimal(1), Decimal(1), "", Decimal(1)),),
    )
    body = pdf.render(doc)
    text = text_of(body)
    assert "Otaki Ltd" in text and "Zoë ?" in text and "A line" in text
    assert pdf.render(doc) == body


# ----------------------------------------------------------------------------- email


@pytest.mark.asyncio
async def test_emailing_an_invoice(
    api: httpx.AsyncClient, store: Store, credentials: Credentials
) -> None:
    invoice = await make_invoice(api)
    invoice_id = invoice.findtext("InvoiceID")
    assert invoice.findtext("SentToContact") in (None, "false")
    sent = await api.post(f"{API}/Invoices/{invoice_id}/Email", content=b"")
    assert sent.status_code == 204 and sent.content == b""
    root = xml(await api.get(f"{API}/Invoices/{invoice_id}"))
    assert root.findtext("Invoices/Invoice/SentToContact") == "true"
    again = await api.post(f"{API}/Invoices/{invoice_id}/email")  # path words in any case
    assert again.status_code == 204
    org = store.org_by_tenant(credentials.tenant_id)
    assert org is not None
    with store.read():
        emails = documents.emails_of(store, org.org_id)
    assert [(e.invoice_id, e.recipients) for e in emails] == [
        (invoice_id, ["accounts@tui.example"])
    ] * 2


@pytest.mark.asyncio
async def test_invoices_that_cannot_be_emailed(api: httpx.AsyncClient) -> None:
    draft = await make_invoice(api, status="DRAFT")
    submitted = await make_invoice(api, status="SUBMITTED")
    bill = await make_invoice(
        api, kind="ACCPAY", lines=[line("Flour", "10.00", code="400", tax="INPUT2")]
    )
    nobody = await make_invoice(api, contact=m.Contact(name="No Mail Ltd"))
    assert (
        await api.post(f"{API}/Invoices/{submitted.findtext('InvoiceID')}/Email")
    ).status_code == 204
    for made, words in (
        (draft, "status of SUBMITTED, AUTHORISED or PAID"),
        (bill, "Only sales invoices (ACCREC)"),
        (nobody, "no email address"),
    ):
        answer = await api.post(f"{API}/Invoices/{made.findtext('InvoiceID')}/Email")
        assert answer.status_code == 400
        assert b"<Type>ValidationException</Type>" in answer.content
        (message,) = messages(answer)
        assert words in message
        root = xml(await api.get(f"{API}/Invoices/{made.findtext('InvoiceID')}"))
        assert root.findtext("Invoices/Invoice/SentToContact") in (None, "false")
    assert (await api.post(f"{API}/Invoices/{MISSING}/Email")).status_code == 404


@pytest.mark.asyncio
async def test_an_invoice_goes_to_the_contact_people_included_in_emails(
    api: httpx.AsyncClient, store: Store, credentials: Credentials
) -> None:
    people = m.Contact(
        name="Kea Couriers",
        contact_persons=[
            m.ContactPerson(
                first_name="Ana", email_address="ana@kea.example", include_in_emails=True
            ),
            m.ContactPerson(
                first_name="Bo", email_address="bo@kea.example", include_in_emails=False
            ),
        ],
    )
    saved = await api.put(f"{API}/Contacts", content=encode_request_contacts([people]))
    assert saved.status_code == 200, saved.text
    shown = xml(saved).findall("Contacts/Contact/ContactPersons/ContactPerson")
    assert [(p.findtext("FirstName"), p.findtext("IncludeInEmails")) for p in shown] == [
        ("Ana", "true"),
        ("Bo", "false"),
    ]
    invoice = await make_invoice(api, contact=m.Contact(name="Kea Couriers"))
    answer = await api.post(f"{API}/Invoices/{invoice.findtext('InvoiceID')}/Email")
    assert answer.status_code == 204
    org = store.org_by_tenant(credentials.tenant_id)
    assert org is not None
    with store.read():
        (email,) = documents.emails_of(store, org.org_id)
    assert email.recipients == ["ana@kea.example"]
    # nobody included in emails: refused
    quiet = m.Contact(
        name="Quiet Ltd",
        contact_persons=[m.ContactPerson(first_name="Cy", email_address="cy@quiet.example")],
    )
    assert (
        await api.put(f"{API}/Contacts", content=encode_request_contacts([quiet]))
    ).status_code == 200
    refused = await make_invoice(api, contact=m.Contact(name="Quiet Ltd"))
    answer = await api.post(f"{API}/Invoices/{refused.findtext('InvoiceID')}/Email")
    assert answer.status_code == 400 and "no email address" in messages(answer)[0]


# ----------------------------------------------------------------------------- online invoice


@pytest.mark.asyncio
async def test_the_online_invoice_of_a_sales_invoice(api: httpx.AsyncClient) -> None:
    first, second = await make_invoice(api), await make_invoice(api)
    urls = []
    for made in (first, first, second):
        answer = await api.get(f"{API}/Invoices/{made.findtext('InvoiceID')}/OnlineInvoice")
        assert answer.status_code == 200
        root = xml(answer)
        assert root.tag == "Response" and root.findtext("Status") == "OK"
        (url,) = [
            e.text or "" for e in root.iterfind("OnlineInvoices/OnlineInvoice/OnlineInvoiceUrl")
        ]
        assert (
            url.startswith("https://in.xero.com/") and len(url) == len("https://in.xero.com/") + 40
        )
        urls.append(url)
    assert urls[0] == urls[1] != urls[2]


@pytest.mark.asyncio
async def test_no_online_invoice_for_drafts_or_bills(api: httpx.AsyncClient) -> None:
    draft = await make_invoice(api, status="DRAFT")
    bill = await make_invoice(
        api, kind="ACCPAY", lines=[line("Flour", "10.00", code="400", tax="INPUT2")]
    )
    for made in (draft, bill):
        answer = await api.get(f"{API}/Invoices/{made.findtext('InvoiceID')}/OnlineInvoice")
        assert answer.status_code == 400 and messages(answer)
    assert (await api.get(f"{API}/Invoices/{MISSING}/OnlineInvoice")).status_code == 404


# ----------------------------------------------------------------------------- allocations


@pytest.mark.asyncio
async def test_a_credit_note_allocated_and_the_allocation_deleted(api: httpx.AsyncClient) -> None:
    invoice = await make_invoice(api)  # 115.00
    note = await make_credit_note(api)  # 23.00
    invoice_id, note_id = invoice.findtext("InvoiceID") or "", note.findtext("CreditNoteID") or ""
    owed = await receivables(api)
    made = await api.put(
        f"{API}/CreditNotes/{note_id}/Allocations", content=allocations_body((invoice_id, "10.00"))
    )
    assert made.status_code == 200, made.text
    (allocation,) = xml(made).findall("Allocations/Allocation")
    allocation_id = allocation.findtext("AllocationID") or ""
    assert allocation_id and allocation_id != ZERO
    assert allocation.findtext("Invoice/InvoiceID") == invoice_id
    assert allocation.findtext("Invoice/InvoiceNumber") == invoice.findtext("InvoiceNumber")
    assert allocation.findtext("AppliedAmount") == "10.00"
    assert (allocation.findtext("Date") or "").startswith("2026-05-04")
    assert await invoice_amounts(api, invoice_id) == ("AUTHORISED", "105.00", "0.00", "10.00")
    assert await remaining(api, f"CreditNotes/{note_id}", "CreditNotes/CreditNote") == (
        "AUTHORISED",
        "13.00",
    )
    shown = xml(await api.get(f"{API}/Invoices/{invoice_id}"))
    assert shown.findtext("Invoices/Invoice/CreditNotes/CreditNote/AppliedAmount") == "10.00"
    listed = xml(await api.get(f"{API}/CreditNotes/{note_id}"))
    assert (
        listed.findtext("CreditNotes/CreditNote/Allocations/Allocation/AllocationID")
        == allocation_id
    )
    assert await receivables(api) == owed  # the allocation moves money within receivables
    await check_books(api)

    deleted = await api.delete(f"{API}/CreditNotes/{note_id}/Allocations/{allocation_id}")
    assert deleted.status_code == 200, deleted.text
    (gone,) = xml(deleted).findall("Allocations/Allocation")
    assert gone.findtext("AllocationID") == allocation_id and gone.findtext("IsDeleted") == "true"
    assert gone.findtext("AppliedAmount") == "10.00"
    assert await invoice_amounts(api, invoice_id) == ("AUTHORISED", "115.00", "0.00", "0.00")
    assert await remaining(api, f"CreditNotes/{note_id}", "CreditNotes/CreditNote") == (
        "AUTHORISED",
        "23.00",
    )
    shown = xml(await api.get(f"{API}/Invoices/{invoice_id}"))
    assert shown.find("Invoices/Invoice/CreditNotes/CreditNote") is None
    listed = xml(await api.get(f"{API}/CreditNotes/{note_id}"))
    assert listed.find("CreditNotes/CreditNote/Allocations/Allocation") is None
    # the ledger reversed exactly the allocation's journal
    journals = xml(await api.get(f"{API}/Journals")).findall("Journals/Journal")
    posted, reversal = journals[-2], journals[-1]

    def lines(journal: etree._Element) -> list[tuple[str, Decimal]]:
        return [
            (x.findtext("AccountCode") or "", Decimal(x.findtext("NetAmount") or "0"))
            for x in journal.iterfind("JournalLines/JournalLine")
        ]

    assert lines(reversal) == [(code, -value) for code, value in lines(posted)]
    assert posted.findtext("SourceID") == reversal.findtext("SourceID") == note_id
    await check_books(api)
    # deleted once: a second delete is refused, an unknown allocation is not found
    twice = await api.delete(f"{API}/CreditNotes/{note_id}/Allocations/{allocation_id}")
    assert twice.status_code == 400 and messages(twice) == [
        "This allocation has already been deleted."
    ]
    assert (
        await api.delete(f"{API}/CreditNotes/{note_id}/Allocations/{MISSING}")
    ).status_code == 404
    assert (
        await api.delete(f"{API}/CreditNotes/{MISSING}/Allocations/{allocation_id}")
    ).status_code == 404


@pytest.mark.asyncio
async def test_an_allocation_that_pays_off_both_and_its_deletion(api: httpx.AsyncClient) -> None:
    invoice = await make_invoice(api, lines=[line("Bread", "20.00")])  # 23.00
    note = await make_credit_note(api)  # 23.00
    invoice_id, note_id = invoice.findtext("InvoiceID") or "", note.findtext("CreditNoteID") or ""
    made = await api.put(
        f"{API}/CreditNotes/{note_id}/Allocations",
        content=allocations_body((invoice_id, "23.00"), bare=True),
    )
    assert made.status_code == 200, made.text
    allocation_id = xml(made).findtext("Allocations/Allocation/AllocationID")
    assert await invoice_amounts(api, invoice_id) == ("PAID", "0.00", "0.00", "23.00")
    assert await remaining(api, f"CreditNotes/{note_id}", "CreditNotes/CreditNote") == (
        "PAID",
        "0.00",
    )
    paid_off = await api.put(
        f"{API}/CreditNotes/{note_id}/Allocations", content=allocations_body((invoice_id, "1.00"))
    )
    assert paid_off.status_code == 400
    assert messages(paid_off) == [
        "The invoice you are trying to allocate to has already been paid off"
    ]
    deleted = await api.delete(f"{API}/CreditNotes/{note_id}/Allocations/{allocation_id}")
    assert deleted.status_code == 200
    assert await invoice_amounts(api, invoice_id) == ("AUTHORISED", "23.00", "0.00", "0.00")
    assert await remaining(api, f"CreditNotes/{note_id}", "CreditNotes/CreditNote") == (
        "AUTHORISED",
        "23.00",
    )
    await check_books(api)


@pytest.mark.asyncio
async def test_allocations_refused_with_xeros_messages(api: httpx.AsyncClient) -> None:
    invoice = await make_invoice(api)  # 115.00
    small = await make_invoice(api, lines=[line("Roll", "4.00")])  # 4.60
    bill = await make_invoice(
        api, kind="ACCPAY", lines=[line("Flour", "10.00", code="400", tax="INPUT2")]
    )
    note = await make_credit_note(api)  # 23.00
    note_id = note.findtext("CreditNoteID") or ""
    path = f"{API}/CreditNotes/{note_id}/Allocations"
    cases = [
        (
            (invoice.findtext("InvoiceID") or "", "23.01"),
            "Credit Note cannot be allocated as amount is greater than amount outstanding",
        ),
        (
            (small.findtext("InvoiceID") or "", "5.00"),
            "Credit Note cannot be allocated as amount is greater than amount outstanding",
        ),
        (
            (bill.findtext("InvoiceID") or "", "1.00"),
            "Credit Note cannot be allocated to an incorrect invoice type",
        ),
    ]
    for item, message in cases:
        answer = await api.put(path, content=allocations_body(item))
        assert answer.status_code == 400
        root = etree.fromstring(answer.content)
        assert root.findtext("Type") == "ValidationException"
        assert root.findtext("Message") == "A validation exception occurred"
        echo = root.find("Elements/DataContractBase")
        assert (
            echo is not None
            and echo.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "Allocation"
        )
        assert echo.findtext("AllocationID") == ZERO
        assert messages(answer) == [message]
    assert await remaining(api, f"CreditNotes/{note_id}", "CreditNotes/CreditNote") == (
        "AUTHORISED",
        "23.00",
    )
    # summarizeErrors=false: 200, each element with its status; the valid one is saved
    body = allocations_body(
        (bill.findtext("InvoiceID") or "", "1.00"), (invoice.findtext("InvoiceID") or "", "3.00")
    )
    answer = await api.put(path, content=body, params={"summarizeErrors": "false"})
    assert answer.status_code == 200, answer.text
    refused, saved = xml(answer).findall("Allocations/Allocation")
    assert refused.get("status") == "ERROR" and saved.get("status") == "OK"
    assert refused.findtext("ValidationErrors/ValidationError/Message") == cases[2][1]
    assert saved.findtext("AppliedAmount") == "3.00" and saved.findtext("AllocationID") != ZERO
    assert await remaining(api, f"CreditNotes/{note_id}", "CreditNotes/CreditNote") == (
        "AUTHORISED",
        "20.00",
    )
    # an unreadable body and unknown documents
    wrong = await api.put(path, content=b"<Payments/>")
    assert wrong.status_code == 400 and b"PostDataInvalidException" in wrong.content
    missing_invoice = await api.put(path, content=allocations_body((MISSING, "1.00")))
    assert missing_invoice.status_code == 400
    no_amount = await api.put(
        path,
        content=f"<Allocation><Invoice><InvoiceID>{MISSING}</InvoiceID></Invoice></Allocation>".encode(),
    )
    assert no_amount.status_code == 400 and messages(no_amount) == [
        "An allocation needs an AppliedAmount."
    ]
    assert (
        await api.put(
            f"{API}/CreditNotes/{MISSING}/Allocations", content=allocations_body((MISSING, "1.00"))
        )
    ).status_code == 404
    await check_books(api)


@pytest.mark.parametrize(
    ("kind", "resource", "element"),
    [
        ("RECEIVE-PREPAYMENT", "Prepayments", "Prepayment"),
        ("RECEIVE-OVERPAYMENT", "Overpayments", "Overpayment"),
    ],
)
@pytest.mark.asyncio
async def test_prepayments_and_overpayments_allocated_and_deleted(
    api: httpx.AsyncClient, kind: str, resource: str, element: str
) -> None:
    txn = m.BankTransaction(
        type=m.BankTransactionType(kind),
        contact=m.Contact(name="Tui Bakery"),
        date=DAY,
        bank_account=m.Account(code="090"),
        line_amount_types=m.LineAmountTypes.NO_TAX,
        line_items=[line("Paid ahead", "50.00", tax="NONE")],
    )
    made = await api.put(f"{API}/BankTransactions", content=encode_request_bank_transactions([txn]))
    assert made.status_code == 200, made.text
    credit_id = xml(made).findtext(f"BankTransactions/BankTransaction/{element}ID") or ""
    assert credit_id
    invoice = await make_invoice(api)  # 115.00
    invoice_id = invoice.findtext("InvoiceID") or ""
    where = f"{resource}/{credit_id}"
    assert await remaining(api, where, f"{resource}/{element}") == ("AUTHORISED", "50.00")
    allocated = await api.put(
        f"{API}/{where}/Allocations", content=allocations_body((invoice_id, "50.00"))
    )
    assert allocated.status_code == 200, allocated.text
    allocation_id = xml(allocated).findtext("Allocations/Allocation/AllocationID")
    assert await invoice_amounts(api, invoice_id) == ("AUTHORISED", "65.00", "0.00", "50.00")
    assert await remaining(api, where, f"{resource}/{element}") == ("PAID", "0.00")
    await check_books(api)
    deleted = await api.delete(f"{API}/{where}/Allocations/{allocation_id}")
    assert (
        deleted.status_code == 200
        and xml(deleted).findtext("Allocations/Allocation/IsDeleted") == "true"
    )
    assert await invoice_amounts(api, invoice_id) == ("AUTHORISED", "115.00", "0.00", "0.00")
    assert await remaining(api, where, f"{resource}/{element}") == ("AUTHORISED", "50.00")
    await check_books(api)
    # a credit of one kind is not found under the other's path
    other = "Overpayments" if resource == "Prepayments" else "Prepayments"
    assert (
        await api.put(
            f"{API}/{other}/{credit_id}/Allocations", content=allocations_body((invoice_id, "1.00"))
        )
    ).status_code == 404


# ----------------------------------------------------------------------------- console


@pytest.mark.asyncio
async def test_the_console_lists_documents_pdfs_and_emails(
    api: httpx.AsyncClient, keys: dict[str, str], credentials: Credentials
) -> None:
    invoice = await make_invoice(
        api, contact=m.Contact(name="Tui <Bakery>", email_address="a@tui.example")
    )
    note = await make_credit_note(api)
    assert (
        await api.post(f"{API}/Invoices/{invoice.findtext('InvoiceID')}/Email")
    ).status_code == 204
    page = await api.get("/console/documents", params={"apiKey": keys["apiKey"]})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    doc = html.fromstring(page.content)
    assert doc.findtext(".//h2") == "Demo Company"
    rows = [
        [c.text_content() for c in r.xpath("./td")] for r in doc.xpath("//tr[@class='document']")
    ]
    assert [r[:5] for r in rows] == [
        ["Invoice", invoice.findtext("InvoiceNumber"), "2026-05-04", "Tui <Bakery>", "AUTHORISED"],
        [
            "Credit note",
            note.findtext("CreditNoteNumber"),
            "2026-05-04",
            "Tui Bakery",
            "AUTHORISED",
        ],
    ]
    (email,) = [
        [c.text_content() for c in r.xpath("./td")] for r in doc.xpath("//tr[@class='email']")
    ]
    assert email[1:4] == [invoice.findtext("InvoiceNumber"), "Tui <Bakery>", "a@tui.example"]
    assert keys["apiKey"] not in page.text  # links take the key from the page's address
    # each link's onclick appends the page's query (the key) to what it carries
    carried = [
        c.split("location.search + '&", 1)[1].rstrip("'")
        for c in doc.xpath("//a[@class='pdf']/@onclick")
    ]
    links = [f"/console/pdf?apiKey={keys['apiKey']}&{c}" for c in carried]
    assert len(links) == 2
    for link, number in zip(
        links, (invoice.findtext("InvoiceNumber"), note.findtext("CreditNoteNumber")), strict=True
    ):
        answer = await api.get(link, headers={"Authorization": ""})
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
        assert number and number in text_of(answer.content)
    bad = links[0].replace(credentials.tenant_id, MISSING)
    assert (await api.get(bad)).status_code == 404
    refused = await api.get("/console/documents", params={"apiKey": "nope"})
    assert refused.status_code in (302, 303)
    # the traffic page describes a PDF answer, never shows its bytes
    served = await api.get(f"{API}/Invoices/{invoice.findtext('InvoiceID')}/pdf", headers=PDF)
    traffic = html.fromstring(
        (await api.get("/console", params={"apiKey": keys["apiKey"]})).content
    )
    newest = traffic.xpath("//tr[@class='exchange']")[0]
    assert newest.xpath(".//td[@class='path']")[0].text_content().endswith("/pdf")
    shown = newest.xpath(".//pre[@class='response']")[0].text_content()
    assert shown == f"({len(served.content):,} bytes of application/pdf)"


# ----------------------------------------------------------------------------- over sockets


@pytest.mark.e2e
def test_a_pdf_over_a_real_socket() -> None:
    """The running sandbox (``xero-sandbox serve``) serves the PDF over HTTP: Content-Type,
    Content-Length and the bytes as rendered, the same twice."""
    sandbox = launch(["--http"])
    try:
        with httpx.Client(timeout=30) as http:
            token = http.post(
                sandbox.token_url,
                data={"grant_type": "client_credentials"},
                auth=(sandbox.client_id, sandbox.client_secret),
            )
            assert token.status_code == 200, token.text
            http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            http.headers["xero-tenant-id"] = sandbox.tenant_id
            base = sandbox.v2_base_url.rstrip("/")
            invoice = m.Invoice(
                type=m.InvoiceType.ACCREC,
                contact=m.Contact(name="Socket Bakery"),
                date=DAY,
                status=m.InvoiceStatus.AUTHORISED,
                line_items=[line("Baguettes", "3.20", quantity="25")],
            )
            made = http.put(f"{base}/Invoices", content=encode_request_invoices([invoice]))
            assert made.status_code == 200, made.text
            invoice_id = xml(made).findtext("Invoices/Invoice/InvoiceID")
            first = http.get(f"{base}/Invoices/{invoice_id}/pdf", headers=PDF)
            second = http.get(f"{base}/Invoices/{invoice_id}", headers=PDF)
    finally:
        sandbox.stop()
    assert first.status_code == second.status_code == 200
    assert first.headers["content-type"] == "application/pdf"
    assert int(first.headers["content-length"]) == len(first.content)
    assert first.content == second.content
    text = text_of(first.content)
    assert "Socket Bakery" in text and "Baguettes" in text and "92.00" in text
