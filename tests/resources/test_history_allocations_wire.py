"""Wire tests of issue 18's XML sub-resources, sync and async, on the fake transport: history
and notes on the sixteen resources that keep one, ``invoices.email`` (a POST with no body at
all), ``invoices.online_invoice_url`` (one text field of the answer) and the allocations of
credit notes, prepayments and overpayments (``AppliedAmount`` in XML).

What is sent (method, path, headers, the body's root, order and validity against our request
XSD), what is decoded (typed results), and what the client refuses before sending: a note
empty or longer than 2500 characters, an allocation without its invoice, amount or date, values
of the wrong type. The cases use tests/v2/test_wire.py's ``Case`` and checks;
``test_every_endpoint_has_a_case`` there reads this module's ``CASES``.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from lxml import etree
from xero_customer_api import (
    NotFoundError,
    RequestValidationError,
    ValidationError,
    XeroResponseError,
)
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient, models

from tests.v2.fake_xero import fake_async_client, fake_client, sent_body
from tests.v2.xero_xsd import xero_schema  # noqa: F401 (fixture)

from ..v2.conftest import FIXTURES
from ..v2.test_wire import GUID, GUID2, KEY, Case, Recorder, _check_wire

G = GUID.lower()
G2 = GUID2.lower()

# resource -> (path segment, id argument, takes notes)
HISTORY = {
    "bank_transactions": ("BankTransactions", "bank_transaction_id", True),
    "bank_transfers": ("BankTransfers", "bank_transfer_id", True),
    "batch_payments": ("BatchPayments", "batch_payment_id", True),
    "contacts": ("Contacts", "contact_id", True),
    "credit_notes": ("CreditNotes", "credit_note_id", True),
    "expense_claims": ("ExpenseClaims", "expense_claim_id", True),
    "invoices": ("Invoices", "invoice_id", True),
    "items": ("Items", "item_id", True),
    "manual_journals": ("ManualJournals", "manual_journal_id", True),
    "overpayments": ("Overpayments", "overpayment_id", False),
    "payments": ("Payments", "payment_id", False),
    "prepayments": ("Prepayments", "prepayment_id", False),
    "purchase_orders": ("PurchaseOrders", "purchase_order_id", True),
    "quotes": ("Quotes", "quote_id", True),
    "receipts": ("Receipts", "receipt_id", False),
    "repeating_invoices": ("RepeatingInvoices", "repeating_invoice_id", True),
}
# resource -> (path segment, id argument)
ALLOCATIONS = {
    "credit_notes": ("CreditNotes", "credit_note_id"),
    "prepayments": ("Prepayments", "prepayment_id"),
    "overpayments": ("Overpayments", "overpayment_id"),
}
NOTE = "Delivered on Thursday as asked."
ALLOCATION = models.Allocation(
    invoice=models.AllocationInvoice(invoice_id=G, invoice_number="INV-0042"),  # number: read-only
    applied_amount=Decimal("50.00"),
    date=datetime.date(2026, 7, 12),
    allocation_id=G2,  # read-only: never sent
    is_deleted=False,  # read-only: never sent
)
SECOND = models.Allocation(
    invoice=models.AllocationInvoice(invoice_id=uuid.UUID(GUID2).hex and G2),
    applied_amount=Decimal("12.34"),
    date=datetime.date(2026, 7, 13),
)
ALLOCATION_ORDER = ["Invoice", "AppliedAmount", "Date"]


def _sub(resource: str, sub: str) -> Callable[[Any], Any]:
    return lambda c: getattr(getattr(c, resource), sub)


def _history_cases() -> list[Case]:
    cases: list[Case] = []
    for resource, (segment, arg, notes) in HISTORY.items():
        history = _sub(resource, "history")
        cases.append(
            Case(
                f"{resource}.history.list",
                lambda c, h=history, a=arg: h(c).list(**{a: GUID}),
                "GET",
                f"{segment}/{G}/History",
                [],
                "history_records_response/history.xml",
            )
        )
        if notes:
            cases.append(
                Case(
                    f"{resource}.history.add_note",
                    lambda c, h=history, a=arg: h(c).add_note(
                        **{a: uuid.UUID(GUID)}, details=NOTE, idempotency_key=KEY
                    ),
                    "PUT",
                    f"{segment}/{G}/History",
                    [],
                    "history_records_response/note.xml",
                    "HistoryRecords",
                    "history_records_request",
                    ["HistoryRecord"],
                    headers={"Idempotency-Key": KEY},
                    xero_xsd="Xero published no XSD of a note's body (HistoryRecords)",
                )
            )
    return cases


def _allocation_cases() -> list[Case]:
    cases: list[Case] = []
    for resource, (segment, arg) in ALLOCATIONS.items():
        allocations = _sub(resource, "allocations")
        cases += [
            Case(
                f"{resource}.allocations.create",
                lambda c, s=allocations, a=arg: s(c).create(
                    **{a: GUID}, allocations=[ALLOCATION, SECOND]
                ),
                "PUT",
                f"{segment}/{G}/Allocations",
                [],
                "allocations_response/applied.xml",
                "Allocations",
                "allocations_request",
                ["Allocation", "Allocation"],
            ),
            Case(
                f"{resource}.allocations.delete",
                lambda c, s=allocations, a=arg: s(c).delete(**{a: GUID}, allocation_id=GUID2),
                "DELETE",
                f"{segment}/{G}/Allocations/{G2}",
                [],
                "allocations_response/deleted.xml",
            ),
        ]
    return cases


CASES = [
    *_history_cases(),
    Case(
        "invoices.email",
        lambda c: c.invoices.email(invoice_id=GUID),
        "POST",
        f"Invoices/{G}/Email",
        [],
        "history_records_response/note.xml",  # any 2xx is success; 204 is tested below
    ),
    Case(
        "invoices.online_invoice_url",
        lambda c: c.invoices.online_invoice_url(invoice_id=GUID),
        "GET",
        f"Invoices/{G}/OnlineInvoice",
        [],
        "online_invoices_response/one.xml",
    ),
    *_allocation_cases(),
]


def _client_for(handler: Callable[[httpx.Request], httpx.Response]) -> XeroClient:
    return fake_client(handler, max_retries=0)


def _async_client_for(handler: Callable[[httpx.Request], httpx.Response]) -> AsyncXeroClient:
    return fake_async_client(handler, max_retries=0)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    with _client_for(recorder) as client:
        result = case.call(client)
    _check_wire(case, recorder)
    assert (result is None) is (case.id == "invoices.email")


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_async_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    async with _async_client_for(recorder) as client:
        result = await case.call(client)
    _check_wire(case, recorder)
    assert (result is None) is (case.id == "invoices.email")


def test_only_the_documented_resources_take_notes() -> None:
    with _client_for(Recorder("history_records_response/note.xml")) as client:
        for resource, (_, _, notes) in HISTORY.items():
            history = getattr(client, resource).history
            assert hasattr(history, "list")
            assert hasattr(history, "add_note") is notes, resource
        assert not hasattr(client.invoices, "allocations")


# ------------------------------------------------------------------ what is sent


def _sent(fixture: str, call: Callable[[XeroClient], object]) -> tuple[httpx.Request, object]:
    recorder = Recorder(fixture)
    with _client_for(recorder) as client:
        result = call(client)
    assert len(recorder.requests) == 1
    return recorder.requests[0], result


def test_a_note_is_one_history_record_with_its_details() -> None:
    request, _ = _sent(
        "history_records_response/note.xml",
        lambda c: c.invoices.history.add_note(invoice_id=GUID, details="Fish & chips <3 ü"),
    )
    assert request.headers["Content-Type"].startswith("application/xml")
    root = etree.fromstring(request.content)
    assert root.tag == "HistoryRecords"
    (record,) = root
    assert record.tag == "HistoryRecord"
    assert [child.tag for child in record] == ["Details"]
    assert record.findtext("Details") == "Fish & chips <3 ü"


def test_an_allocation_is_sent_as_applied_amount_in_the_write_order() -> None:
    request, _ = _sent(
        "allocations_response/applied.xml",
        lambda c: c.credit_notes.allocations.create(
            credit_note_id=GUID, allocations=[ALLOCATION, SECOND]
        ),
    )
    root = etree.fromstring(request.content)
    first, second = root
    assert [child.tag for child in first] == ALLOCATION_ORDER
    assert [child.tag for child in first.find("Invoice")] == ["InvoiceID"]  # number: read-only
    assert first.findtext("Invoice/InvoiceID") == G
    assert first.findtext("AppliedAmount") == "50.00"
    assert first.findtext("Date") == "2026-07-12T00:00:00"
    assert second.findtext("AppliedAmount") == "12.34"
    assert root.find(".//Amount") is None and root.find(".//AllocationID") is None


WRITES = [c for c in CASES if c.body_root]


@pytest.mark.parametrize("case", WRITES, ids=[c.id for c in WRITES])
def test_body_is_valid_against_xeros_published_xsds(
    case: Case,
    xero_schema: etree.XMLSchema,  # noqa: F811 (the fixture)
) -> None:
    if case.xero_xsd:
        pytest.skip(case.xero_xsd)
    root = sent_body(Recorder(case.fixture), case.call)
    assert xero_schema.validate(root), xero_schema.error_log


def test_email_posts_no_document_at_all() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(204)

    with _client_for(answer) as client:
        assert client.invoices.email(invoice_id=GUID) is None
        raw = client.invoices.with_raw_response.email(invoice_id=GUID, idempotency_key=KEY)
    assert (raw.status_code, raw.content, raw.parsed) == (204, b"", None)
    for request in seen:
        assert request.method == "POST"
        assert request.url.raw_path.decode() == f"/api.xro/2.0/Invoices/{G}/Email"
        assert request.content == b""
        assert "Content-Type" not in request.headers
        assert request.headers.get("Content-Length", "0") == "0"
        assert request.headers["Idempotency-Key"]
    assert seen[1].headers["Idempotency-Key"] == KEY


# ------------------------------------------------------------------ what is decoded


def test_history_is_decoded_in_order_with_aware_timestamps() -> None:
    _, records = _sent(
        "history_records_response/history.xml",
        lambda c: c.invoices.history.list(invoice_id=GUID),
    )
    assert isinstance(records, list)
    assert [r.changes for r in records] == ["Created", "Approved", "Note"]
    assert all(isinstance(r, models.HistoryRecord) for r in records)
    note = records[2]
    assert note.user == "System Generated"
    assert note.details == "Customer asked for a copy by post & email."
    assert note.date_utc == datetime.datetime(2026, 7, 3, 20, 21, 22, tzinfo=datetime.UTC)


def test_add_note_returns_the_note_as_recorded() -> None:
    _, note = _sent(
        "history_records_response/note.xml",
        lambda c: c.contacts.history.add_note(contact_id=GUID, details=NOTE),
    )
    assert isinstance(note, models.HistoryRecord)
    assert (note.changes, note.user, note.details) == ("Note", "System Generated", NOTE)


def test_online_invoice_url_is_the_text_of_the_answer() -> None:
    _, url = _sent(
        "online_invoices_response/one.xml",
        lambda c: c.invoices.online_invoice_url(invoice_id=GUID),
    )
    assert isinstance(url, str)
    assert url.startswith("https://in.xero.com/")


@pytest.mark.parametrize(
    "body",
    [
        (FIXTURES / "responses" / "online_invoices_response" / "missing.xml").read_bytes(),
        b"<Response><Status>OK</Status><OnlineInvoices /></Response>",
        b"<Response><Status>OK</Status><OnlineInvoices><OnlineInvoice><OnlineInvoiceUrl />"
        b"</OnlineInvoice></OnlineInvoices></Response>",
    ],
    ids=["no-url", "no-online-invoice", "empty-url"],
)
def test_an_answer_without_the_url_is_a_typed_error(body: bytes) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})

    with (
        _client_for(answer) as client,
        pytest.raises(XeroResponseError, match="OnlineInvoice"),
    ):
        client.invoices.online_invoice_url(invoice_id=GUID)


def test_allocations_are_decoded_with_decimal_amounts_and_dates() -> None:
    _, made = _sent(
        "allocations_response/applied.xml",
        lambda c: c.prepayments.allocations.create(prepayment_id=GUID, allocations=[ALLOCATION]),
    )
    assert isinstance(made, list)
    (one,) = made
    assert isinstance(one, models.Allocation)
    assert one.applied_amount == Decimal("50.00") and isinstance(one.applied_amount, Decimal)
    assert one.date == datetime.date(2026, 7, 12)
    assert one.invoice is not None and one.invoice.invoice_number == "INV-0042"
    _, gone = _sent(
        "allocations_response/deleted.xml",
        lambda c: c.overpayments.allocations.delete(overpayment_id=GUID, allocation_id=GUID2),
    )
    assert isinstance(gone, models.Allocation)
    assert gone.is_deleted is True


@pytest.mark.asyncio
async def test_async_methods_return_the_same_types() -> None:
    async def run(fixture: str, call: Callable[[AsyncXeroClient], Any]) -> Any:
        async with _async_client_for(Recorder(fixture)) as client:
            return await call(client)

    records = await run(
        "history_records_response/history.xml",
        lambda c: c.quotes.history.list(quote_id=GUID),
    )
    assert [r.changes for r in records] == ["Created", "Approved", "Note"]
    note = await run(
        "history_records_response/note.xml",
        lambda c: c.items.history.add_note(item_id=GUID, details=NOTE),
    )
    assert note.details == NOTE
    url = await run(
        "online_invoices_response/one.xml",
        lambda c: c.invoices.online_invoice_url(invoice_id=GUID),
    )
    assert url.startswith("https://in.xero.com/")
    gone = await run(
        "allocations_response/deleted.xml",
        lambda c: c.credit_notes.allocations.delete(credit_note_id=GUID, allocation_id=GUID2),
    )
    assert gone.is_deleted is True


# ------------------------------------------------------------------ refused before sending


def _refused(call: Callable[[XeroClient], object]) -> RequestValidationError:
    recorder = Recorder("history_records_response/note.xml")
    with _client_for(recorder) as client, pytest.raises(RequestValidationError) as caught:
        call(client)
    assert recorder.requests == []  # nothing was sent
    return caught.value


def test_a_note_longer_than_2500_characters_is_refused_naming_the_limit() -> None:
    error = _refused(lambda c: c.invoices.history.add_note(invoice_id=GUID, details="x" * 2501))
    text = str(error)
    assert "Details" in text and "2500" in text


def test_a_note_of_2500_characters_is_sent() -> None:
    request, _ = _sent(
        "history_records_response/note.xml",
        lambda c: c.invoices.history.add_note(invoice_id=GUID, details="é" * 2500),
    )
    assert etree.fromstring(request.content).findtext("HistoryRecord/Details") == "é" * 2500


@pytest.mark.parametrize(
    ("details", "needle"),
    [("", "details"), (None, "details"), (42, "details"), ("\ud800", "details")],
    ids=["empty", "none", "number", "lone-surrogate"],
)
def test_a_note_that_is_not_text_is_refused(details: Any, needle: str) -> None:
    error = _refused(
        lambda c: c.bank_transfers.history.add_note(bank_transfer_id=GUID, details=details)
    )
    assert needle in str(error).lower()


@pytest.mark.parametrize(
    ("allocation", "needle"),
    [
        (
            models.Allocation(applied_amount=Decimal("1.00"), date=datetime.date(2026, 7, 1)),
            "Invoice",
        ),
        (
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=G), date=datetime.date(2026, 7, 1)
            ),
            "AppliedAmount",
        ),
        (
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=G), applied_amount=Decimal("1.00")
            ),
            "Date",
        ),
        (
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=G),
                applied_amount=1.5,  # type: ignore[arg-type]
                date=datetime.date(2026, 7, 1),
            ),
            "AppliedAmount",
        ),
        (
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=G),
                applied_amount=Decimal("1.00001"),
                date=datetime.date(2026, 7, 1),
            ),
            "AppliedAmount",
        ),
        (
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id=G),
                applied_amount=Decimal("1.00"),
                date="2026-07-01",  # type: ignore[arg-type]
            ),
            "Date",
        ),
        (
            models.Allocation(
                invoice=models.AllocationInvoice(invoice_id="not-a-guid"),
                applied_amount=Decimal("1.00"),
                date=datetime.date(2026, 7, 1),
            ),
            "InvoiceID",
        ),
    ],
    ids=[
        "no-invoice",
        "no-amount",
        "no-date",
        "float-amount",
        "five-decimals",
        "text-date",
        "bad-guid",
    ],
)
def test_a_bad_allocation_is_refused_naming_the_element(
    allocation: models.Allocation, needle: str
) -> None:
    for resource, (_, arg) in ALLOCATIONS.items():
        error = _refused(
            lambda c, r=resource, a=arg: getattr(c, r).allocations.create(
                **{a: GUID}, allocations=[ALLOCATION, allocation]
            )
        )
        assert needle in str(error), (resource, str(error))
        assert "Allocation[2]" in str(error)  # the item's place in the batch


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.credit_notes.allocations.create(credit_note_id=GUID, allocations=ALLOCATION),
        lambda c: c.credit_notes.allocations.create(credit_note_id=GUID, allocations=None),
        lambda c: c.credit_notes.allocations.create(
            credit_note_id=GUID, allocations=[{"AppliedAmount": 1}]
        ),
        lambda c: c.credit_notes.allocations.delete(credit_note_id=GUID, allocation_id="nope"),
        lambda c: c.invoices.email(invoice_id="INV-0042"),
        lambda c: c.invoices.online_invoice_url(invoice_id=""),
        lambda c: c.invoices.history.list(invoice_id=None),
    ],
    ids=[
        "one-not-a-list",
        "none",
        "a-dict",
        "bad-allocation-id",
        "number-not-id",
        "empty-id",
        "none-id",
    ],
)
def test_wrong_types_are_refused(call: Callable[[XeroClient], object]) -> None:
    _refused(call)


# ------------------------------------------------------------------ Xero's refusals


def _answering(status: int, body: bytes, content_type: str = "text/xml") -> XeroClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return _client_for(answer)


REFUSED = (
    b"<ApiException><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type>"
    b"<Message>A validation exception occurred</Message><Elements><DataContractBase "
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Allocation">'
    b"<ValidationErrors><ValidationError><Message>The invoice you are trying to allocate to has "
    b"already been paid off</Message></ValidationError></ValidationErrors></DataContractBase>"
    b"</Elements></ApiException>"
)


def test_xeros_refusal_of_an_allocation_is_a_validation_error() -> None:
    with _answering(400, REFUSED) as client, pytest.raises(ValidationError) as caught:
        client.credit_notes.allocations.create(credit_note_id=GUID, allocations=[ALLOCATION])
    assert "already been paid off" in str(caught.value)


def test_an_email_xero_refuses_is_a_validation_error() -> None:
    body = (
        b"<ApiException><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type>"
        b"<Message>Only sales invoices that are approved can be emailed</Message></ApiException>"
    )
    with _answering(400, body) as client, pytest.raises(ValidationError):
        client.invoices.email(invoice_id=GUID)


def test_history_of_an_unknown_record_is_not_found() -> None:
    missing = b"The resource you're looking for cannot be found"
    with _answering(404, missing, "text/html") as client, pytest.raises(NotFoundError):
        client.payments.history.list(payment_id=GUID)


# ------------------------------------------------------------------ the command line


def _xero(
    monkeypatch: pytest.MonkeyPatch, answers: Callable[[httpx.Request], httpx.Response]
) -> tuple[Callable[..., Any], list[httpx.Request]]:
    """The `xero` command line with its HTTP on ``answers`` (as tests/v2/test_cli.py does)."""
    from xero_customer_api._runtime import _cli_support as cs
    from xero_customer_api.cli import main

    from ..v2.test_cli import ENV

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answers(request)

    def build(settings: Any, event_hooks: Any) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(handler), event_hooks=dict(event_hooks))

    monkeypatch.setattr(cs, "build_http_client", build)

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, ["--max-retries", "0", *args], env=ENV, prog_name="xero")

    return run, seen


def _fixture(name: str) -> Callable[[httpx.Request], httpx.Response]:
    body = (FIXTURES / "responses" / name).read_bytes()
    return lambda request: httpx.Response(200, content=body, headers={"content-type": "text/xml"})


def test_cli_history_and_note_take_the_id_and_text_by_position(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run, seen = _xero(monkeypatch, _fixture("history_records_response/history.xml"))
    result = run("invoices", "history", G, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["changes"] for r in json.loads(result.stdout)] == ["Created", "Approved", "Note"]
    run, seen = _xero(monkeypatch, _fixture("history_records_response/note.xml"))
    result = run("credit-notes", "note", G, NOTE, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["details"] == NOTE
    (request,) = seen
    assert (request.method, request.url.path) == ("PUT", f"/api.xro/2.0/CreditNotes/{G}/History")
    assert etree.fromstring(request.content).findtext("HistoryRecord/Details") == NOTE
    result = run("credit-notes", "note", G, "x" * 2501)
    assert result.exit_code != 0 and "2500" in result.output
    result = run("payments", "note", G, NOTE)  # Xero takes no notes on payments
    assert result.exit_code == 2


def test_cli_email_and_online_invoice_url(monkeypatch: pytest.MonkeyPatch) -> None:
    run, seen = _xero(monkeypatch, lambda request: httpx.Response(204))
    result = run("invoices", "email", G)
    assert (result.exit_code, result.stdout) == (0, "")
    assert (seen[0].method, seen[0].url.path, seen[0].content) == (
        "POST",
        f"/api.xro/2.0/Invoices/{G}/Email",
        b"",
    )
    run, seen = _xero(monkeypatch, _fixture("online_invoices_response/one.xml"))
    result = run("invoices", "online-invoice-url", G)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("https://in.xero.com/")
    assert len(result.stdout.strip().splitlines()) == 1  # the bare address, for $(...)
    result = run("invoices", "online-invoice-url", G, "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"online_invoice_url"' in result.stdout


def test_cli_allocations_create_from_a_file_and_delete(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    run, seen = _xero(monkeypatch, _fixture("allocations_response/applied.xml"))
    document = tmp_path / "allocation.xml"
    document.write_bytes((FIXTURES / "requests" / "allocations_request" / "one.xml").read_bytes())
    result = run(
        "credit-notes", "allocations", "create", G, "--file", str(document), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    (request,) = seen
    assert (request.method, request.url.path) == (
        "PUT",
        f"/api.xro/2.0/CreditNotes/{G}/Allocations",
    )
    sent = etree.fromstring(request.content)
    assert sent.tag == "Allocations" and sent.findtext("Allocation/AppliedAmount") == "119.60"
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps([{"invoice": {"invoice_id": G}, "date": "2026-07-12"}]))
    result = run("prepayments", "allocations", "create", G, "--file", str(missing))
    assert result.exit_code != 0 and "AppliedAmount" in result.output
    assert len(seen) == 1  # refused before sending
    run, seen = _xero(monkeypatch, _fixture("allocations_response/deleted.xml"))
    result = run("overpayments", "allocations", "delete", G, G2, "--format", "json")
    assert result.exit_code == 0, result.output
    assert (seen[0].method, seen[0].url.path) == (
        "DELETE",
        f"/api.xro/2.0/Overpayments/{G}/Allocations/{G2}",
    )
    assert '"is_deleted": true' in result.stdout


def test_cli_not_found_names_the_record_of_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = b"The resource you're looking for cannot be found"
    run, _ = _xero(
        monkeypatch,
        lambda request: httpx.Response(404, content=missing, headers={"content-type": "text/html"}),
    )
    for args, noun in (
        (("invoices", "history", G), "invoice"),
        (("invoices", "note", G, NOTE), "invoice"),
        (("invoices", "email", G), "invoice"),
        (("invoices", "online-invoice-url", G), "invoice"),
        (("prepayments", "allocations", "delete", G, G2), "allocation"),
    ):
        result = run(*args)
        assert result.exit_code == 4, result.output
        assert f"not found: no {noun} with" in result.output, result.output
