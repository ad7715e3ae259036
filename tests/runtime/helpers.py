"""Helpers of the runtime tests: canned answers, mock transports, endpoint calls."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
from xero_customer_api.v1_0 import AsyncXeroClient, XeroClient, models

API_KEY = "PARTNERKEY0123456789ABCDEFGHIJKL"
CUSTOMER_KEY = "CUSTOMERKEY9876543210ZYXWVUTSRQP"
BASE_URL = "https://xero.test/api.xro/1.0/"
SECRETS = (API_KEY, CUSTOMER_KEY)

ENVELOPE_HEAD = (
    "<Response><ID>0b6e2a3c-8f2e-4a52-9a0e-0d1c2b3a4f5e</ID><Status>OK</Status>"
    "<ProviderName>Test Partner</ProviderName><DateTimeUTC>2024-03-01T09:30:00Z</DateTimeUTC>"
)
CONTACT = "<Contact><ContactID>6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b</ContactID><Name>Red House Reads</Name></Contact>"
CONTACTS_OK = (ENVELOPE_HEAD + f"<Contacts>{CONTACT}</Contacts></Response>").encode()
CONTACT_OK = (ENVELOPE_HEAD + f"{CONTACT}</Response>").encode()
INVOICE = (
    "<Invoice><InvoiceType>ACCREC</InvoiceType>"
    "<InvoiceID>7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d</InvoiceID>"
    f"{CONTACT}<InvoiceDate>2024-03-15T00:00:00</InvoiceDate>"
    "<InvoiceNumber>INV-1</InvoiceNumber><SubTotal>20.00</SubTotal><TotalTax>2.50</TotalTax>"
    "<Total>22.50</Total><InvoiceStatus>AUTHORISED</InvoiceStatus><LineItems><LineItem>"
    "<Description>Books</Description><Quantity>2</Quantity><UnitAmount>10.00</UnitAmount>"
    "<TaxAmount>2.50</TaxAmount><LineAmount>20.00</LineAmount></LineItem></LineItems></Invoice>"
)
INVOICE_OK = (ENVELOPE_HEAD + f"{INVOICE}</Response>").encode()
INVOICES_OK = (ENVELOPE_HEAD + f"<Invoices>{INVOICE}</Invoices></Response>").encode()
ACCOUNTS_OK = (
    ENVELOPE_HEAD + "<Accounts><Account><Code>200</Code><Name>Sales</Name><Type>REVENUE</Type>"
    "</Account></Accounts></Response>"
).encode()
TRACKING_OK = (
    ENVELOPE_HEAD + "<Tracking><TrackingCategory><Name>Region</Name><Options><Option>"
    "<Name>North</Name></Option></Options></TrackingCategory></Tracking></Response>"
).encode()


def error_envelope(
    exception_type: str, description: str, status: str = "InternalServerError"
) -> bytes:
    return (
        "<Response><Errors><Error>"
        f"<Description>{description}</Description><Exception>"
        f"<ExceptionType>Xero.API.Library.Exceptions.{exception_type}</ExceptionType>"
        f"<Message>{description}</Message></Exception></Error></Errors>"
        "<ID>1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f</ID>"
        f"<Status>{status}</Status><ProviderName>Test Partner</ProviderName>"
        "<DateTimeUTC>2024-03-01T09:30:00Z</DateTimeUTC></Response>"
    ).encode()


XML = {"content-type": "text/xml; charset=utf-8"}
HTML = {"content-type": "text/html; charset=utf-8"}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers from a script and records every request."""

    def __init__(self, *answers: httpx.Response | BaseException | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, httpx.Response):
            # a fresh copy: a Response (and its stream) must not be reused across requests
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        return answer(request)

    @property
    def count(self) -> int:
        return len(self.requests)


def ok(
    body: bytes = CONTACTS_OK, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, content=body, headers={**XML, **(headers or {})})


def sync_client(handler: Handler, **options: Any) -> XeroClient:
    # max_retry_after is a runtime option the generated client does not take as an argument
    # yet; it is set on the instance.
    cap = options.pop("max_retry_after", None)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = XeroClient(
        api_key=API_KEY, customer_key=CUSTOMER_KEY, base_url=BASE_URL, http_client=http, **options
    )
    if cap is not None:
        client.max_retry_after = cap
    return client


def async_client(handler: Handler, **options: Any) -> AsyncXeroClient:
    cap = options.pop("max_retry_after", None)
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = AsyncXeroClient(
        api_key=API_KEY, customer_key=CUSTOMER_KEY, base_url=BASE_URL, http_client=http, **options
    )
    if cap is not None:
        client.max_retry_after = cap
    return client


def valid_invoice(number: str = "INV-1") -> models.Invoice:
    return models.Invoice(
        invoice_type=models.InvoiceType.ACCREC,
        contact=models.Contact(name="Red House Reads"),
        invoice_date=datetime.date(2024, 3, 15),
        invoice_number=number,
        sub_total=Decimal("25.50"),
        total_tax=Decimal("3.19"),
        total=Decimal("28.69"),
        line_items=[
            models.LineItem(
                description="Books",
                quantity=Decimal(2),
                unit_amount=Decimal("10.00"),
                tax_amount=Decimal("2.50"),
                line_amount=Decimal("20.00"),
            ),
            models.LineItem(
                description="Wrapping",
                unit_amount=Decimal("5.50"),
                tax_amount=Decimal("0.69"),
                line_amount=Decimal("5.50"),
            ),
        ],
    )


# Every endpoint: (name, method, success body, call). The call takes a sync client.
Call = Callable[[XeroClient], Any]
ENDPOINTS: list[tuple[str, str, bytes, Call]] = [
    ("contacts.get", "GET", CONTACT_OK, lambda c: c.contacts.get(contact_id=uuid.UUID(int=1))),
    ("contacts.list", "GET", CONTACTS_OK, lambda c: c.contacts.list()),
    ("contacts.create", "PUT", CONTACT_OK, lambda c: c.contacts.create(models.Contact(name="A"))),
    ("contacts.save", "POST", CONTACT_OK, lambda c: c.contacts.save(models.Contact(name="A"))),
    (
        "contacts.save_many",
        "POST",
        CONTACTS_OK,
        lambda c: c.contacts.save_many([models.Contact(name="A"), models.Contact(name="B")]),
    ),
    ("invoices.get", "GET", INVOICE_OK, lambda c: c.invoices.get(invoice_number="INV-1")),
    ("invoices.list", "GET", INVOICES_OK, lambda c: c.invoices.list()),
    ("invoices.create", "PUT", INVOICE_OK, lambda c: c.invoices.create(valid_invoice())),
    (
        "invoices.create_many",
        "PUT",
        INVOICES_OK,
        lambda c: c.invoices.create_many([valid_invoice()]),
    ),
    ("accounts.list", "GET", ACCOUNTS_OK, lambda c: c.accounts.list()),
    ("tracking.list", "GET", TRACKING_OK, lambda c: c.tracking.list()),
]


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts (each once)."""
    seen: list[BaseException] = []
    stack = [exc]
    while stack:
        current = stack.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        yield current
        for nxt in (current.__cause__, current.__context__):
            if nxt is not None:
                stack.append(nxt)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]
