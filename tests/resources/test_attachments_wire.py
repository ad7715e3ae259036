"""Wire tests of the binary endpoints (issue 18), sync and async, on httpx's MockTransport:
every attachments endpoint of the 11 resources Xero gives them and the PDFs of invoices,
credit notes, purchase orders and quotes: method, path, headers (Accept, contentType,
Content-Type, Content-Length, Idempotency-Key), query, body and the typed result.

``CASES`` are counted by ``tests/v2/test_wire.py::test_every_endpoint_has_a_case``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from xero_customer_api.v2_0 import models

from tests.v2.fake_xero import TENANT, TOKEN, fake_async_client, fake_client
from tests.v2.test_wire import GUID, GUID2

G = GUID.lower()
G2 = GUID2.lower()
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
FILE = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

# resource, Xero's path, the id argument, whether uploads take include_online, has a PDF
RESOURCES = [
    ("accounts", "Accounts", "account_id", False, False),
    ("bank_transactions", "BankTransactions", "bank_transaction_id", False, False),
    ("bank_transfers", "BankTransfers", "bank_transfer_id", False, False),
    ("contacts", "Contacts", "contact_id", False, False),
    ("credit_notes", "CreditNotes", "credit_note_id", True, True),
    ("invoices", "Invoices", "invoice_id", True, True),
    ("manual_journals", "ManualJournals", "manual_journal_id", False, False),
    ("purchase_orders", "PurchaseOrders", "purchase_order_id", False, True),
    ("quotes", "Quotes", "quote_id", False, True),
    ("receipts", "Receipts", "receipt_id", False, False),
    ("repeating_invoices", "RepeatingInvoices", "repeating_invoice_id", False, False),
]


def _attachments(*names: str) -> bytes:
    items = "".join(
        f"<Attachment><AttachmentID>{G2}</AttachmentID><FileName>{n}</FileName>"
        f"<Url>https://api.xero.com/api.xro/2.0/x/{n}</Url><MimeType>image/png</MimeType>"
        f"<ContentLength>264</ContentLength><IncludeOnline>false</IncludeOnline></Attachment>"
        for n in names
    )
    return f"<Response><Status>OK</Status><Attachments>{items}</Attachments></Response>".encode()


@dataclass
class Case:
    id: str
    call: Callable[[Any], Any]
    requests: list[tuple[str, str, list[tuple[str, str]]]]  # method, path, query
    answers: list[httpx.Response]
    headers: dict[str, str] = field(default_factory=dict)  # of the last request
    body: bytes = b""  # of the last request
    result: Callable[[Any], bool] = lambda value: value is not None


def _xml(content: bytes) -> httpx.Response:
    return httpx.Response(200, content=content, headers={"content-type": "text/xml"})


def _cases() -> list[Case]:
    cases: list[Case] = []
    for name, path, id_arg, online, pdf in RESOURCES:
        base = f"{path}/{G}/Attachments"
        ident = {id_arg: GUID}

        def sub(client: Any, name: str = name) -> Any:
            return getattr(client, name).attachments

        cases.append(
            Case(
                f"{name}.attachments.list",
                lambda c, sub=sub, ident=ident: sub(c).list(**ident),
                [("GET", base, [])],
                [_xml(_attachments("a.png", "b.pdf"))],
                result=lambda v: (
                    [a.file_name for a in v] == ["a.png", "b.pdf"]
                    and isinstance(v[0], models.Attachment)
                    and v[0].content_length == 264
                ),
            )
        )
        extra = {"include_online": True} if online else {}
        for endpoint, method in (("upload", "PUT"), ("replace", "POST")):
            query = [("IncludeOnline", "true")] if online and endpoint == "upload" else []
            cases.append(
                Case(
                    f"{name}.attachments.{endpoint}",
                    lambda c, sub=sub, ident=ident, endpoint=endpoint, extra=extra: getattr(
                        sub(c), endpoint
                    )(
                        **ident,
                        file_name="scan #1.png",
                        content=FILE,
                        **(extra if endpoint == "upload" else {}),
                    ),
                    [("GET", base, []), (method, f"{base}/scan%20%231.png", query)],
                    [_xml(_attachments("a.png")), _xml(_attachments("scan #1.png"))],
                    headers={"content-type": "image/png", "content-length": str(len(FILE))},
                    body=FILE,
                    result=lambda v: (
                        isinstance(v, models.Attachment) and v.file_name == "scan #1.png"
                    ),
                )
            )
        png = httpx.Response(200, content=FILE, headers={"content-type": "image/png"})
        cases.append(
            Case(
                f"{name}.attachments.download",
                lambda c, sub=sub, ident=ident: sub(c).download(**ident, file_name="a.png"),
                [("GET", f"{base}/a.png", [])],
                [png],
                headers={"accept": "*/*", "contentType": "image/png"},
                result=lambda v: v == FILE,
            )
        )
        cases.append(
            Case(
                f"{name}.attachments.download/id",
                lambda c, sub=sub, ident=ident: sub(c).download(
                    **ident, attachment_id=uuid.UUID(GUID2)
                ),
                [("GET", f"{base}/{G2}", [])],
                [png],
                headers={"accept": "*/*", "contentType": "application/octet-stream"},
                result=lambda v: v == FILE,
            )
        )
        if pdf:
            cases.append(
                Case(
                    f"{name}.pdf",
                    lambda c, name=name, ident=ident: getattr(c, name).pdf(**ident),
                    [("GET", f"{path}/{G}/pdf", [])],
                    [httpx.Response(200, content=PDF, headers={"content-type": "application/pdf"})],
                    headers={"accept": "application/pdf"},
                    result=lambda v: v == PDF,
                )
            )
    return cases


CASES = _cases()


class Recorder:
    def __init__(self, answers: list[httpx.Response]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        self.requests.append(request)
        answer = self.answers[len(self.requests) - 1]  # a fresh copy: cases run twice
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


def _check(case: Case, recorder: Recorder, result: Any) -> None:
    sent = [
        (r.method, r.url.raw_path.decode().split("?")[0], list(r.url.params.multi_items()))
        for r in recorder.requests
    ]
    assert sent == [(m, "/api.xro/2.0/" + p, q) for m, p, q in case.requests]
    for request in recorder.requests:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.headers["xero-tenant-id"] == TENANT
        assert ("Idempotency-Key" in request.headers) == (request.method in ("PUT", "POST"))
    last = recorder.requests[-1]
    for header, value in case.headers.items():
        assert last.headers[header] == value, header
    assert recorder.bodies[-1] == case.body
    assert case.result(result), result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync_wire(case: Case) -> None:
    recorder = Recorder(case.answers)
    with fake_client(recorder) as client:
        result = case.call(client)
    _check(case, recorder, result)


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_async_wire(case: Case) -> None:
    recorder = Recorder(case.answers)
    async with fake_async_client(recorder) as client:
        result = await case.call(client)
    _check(case, recorder, result)
