"""Table-driven wire tests: each endpoint's method, path, query names, body root and order.

These use httpx.MockTransport to look at exactly what goes on the wire; the end-to-end suite
(tests/e2e) runs the same client against the local sandbox over real sockets.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree
from xero_customer_api import RequestValidationError
from xero_customer_api.v1_0 import AsyncXeroClient, XeroClient, models

from .conftest import FIXTURES, schema

API_KEY = "PARTNERKEY0123456789ABCDEFGHIJ"
CUSTOMER_KEY = "CUSTOMERKEY0123456789ABCDEFGHI"
BASE = "https://xero.invalid/api.xro/1.0/"

CONTACT = models.Contact(
    contact_number="CUST-1",
    name="Kowhai Cycles Ltd",
    email_address="a@kowhai.example",
    phones=[models.Phone(phone_type=models.PhoneType.MOBILE, phone_number="5550199")],
    addresses=[models.Address(address_type=models.AddressType.STREET, city="Wellington")],
)
INVOICE = models.Invoice(
    invoice_type=models.InvoiceType.ACCREC,
    contact=models.Contact(name="Kowhai Cycles Ltd"),
    invoice_date=datetime.date(2026, 3, 2),
    due_date=datetime.date(2026, 3, 20),
    invoice_number="INV-1",
    sub_total=Decimal("20.00"),
    total_tax=Decimal("3.00"),
    total=Decimal("23.00"),
    line_items=[
        models.LineItem(
            description="Service",
            quantity=Decimal("2"),
            unit_amount=Decimal("10.00"),
            tax_amount=Decimal("3.00"),
            line_amount=Decimal("20.00"),
            tracking=[models.LineItemTracking(name="Region", option="North")],
        )
    ],
)
GUID = "0B7C4D1E-3F2A-4C5B-9D8E-7F6A5B4C3D2E"


@dataclass
class Case:
    id: str
    call: Callable[[Any], Any]
    method: str
    path: str
    query: list[tuple[str, str]]
    fixture: str
    body_root: str | None = None
    body_schema: str | None = None
    body_order: list[str] = field(default_factory=list)


CASES = [
    Case(
        "contacts.get/id",
        lambda c: c.contacts.get(contact_id=GUID),
        "GET",
        "contact",
        [("contactID", GUID.lower())],
        "contact_response/minimal.xml",
    ),
    Case(
        "contacts.get/number",
        lambda c: c.contacts.get(contact_number="CUST-0042"),
        "GET",
        "contact",
        [("contactNumber", "CUST-0042")],
        "contact_response/padded_phones.xml",
    ),
    Case(
        "contacts.list",
        lambda c: c.contacts.list(
            type="customers",
            sort_by="emailaddress",
            direction="desc",
            updated_after=datetime.datetime(
                2026, 1, 2, 13, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=13))
            ),
        ),
        "GET",
        "contacts",
        [
            ("type", "customers"),
            ("sortBy", "emailaddress"),
            ("direction", "desc"),
            ("updatedAfter", "2026-01-02T00:04:05"),
        ],
        "contacts_response/two_contacts.xml",
    ),
    Case(
        "contacts.create",
        lambda c: c.contacts.create(CONTACT),
        "PUT",
        "contact",
        [],
        "contact_response/minimal.xml",
        "Contact",
        "contact_request",
        ["ContactNumber", "Name", "EmailAddress", "Addresses", "Phones"],
    ),
    Case(
        "contacts.save",
        lambda c: c.contacts.save(CONTACT),
        "POST",
        "contact",
        [],
        "contact_response/minimal.xml",
        "Contact",
        "contact_request",
        ["ContactNumber", "Name", "EmailAddress", "Addresses", "Phones"],
    ),
    Case(
        "contacts.save_many",
        lambda c: c.contacts.save_many([CONTACT, models.Contact(name="Tui Bakery")]),
        "POST",
        "contacts",
        [],
        "contacts_response/two_contacts.xml",
        "Contacts",
        "contacts_request",
        ["Contact", "Contact"],
    ),
    Case(
        "invoices.get/id",
        lambda c: c.invoices.get(invoice_id=uuid.UUID(GUID)),
        "GET",
        "invoice",
        [("invoiceID", GUID.lower())],
        "invoice_response/with_lines_and_payment.xml",
    ),
    Case(
        "invoices.get/number",
        lambda c: c.invoices.get(invoice_number="INV-1001"),
        "GET",
        "invoice",
        [("invoiceNumber", "INV-1001")],
        "invoice_response/with_lines_and_payment.xml",
    ),
    Case(
        "invoices.list",
        lambda c: c.invoices.list(modified_since=datetime.date(2026, 2, 1)),
        "GET",
        "invoices",
        [("modifiedSince", "2026-02-01T00:00:00")],
        "invoices_response/empty_line_items.xml",
    ),
    Case(
        "invoices.create",
        lambda c: c.invoices.create(INVOICE),
        "PUT",
        "invoice",
        [],
        "invoice_response/with_lines_and_payment.xml",
        "Invoice",
        "invoice_request",
        [
            "InvoiceType",
            "Contact",
            "InvoiceDate",
            "DueDate",
            "InvoiceNumber",
            "SubTotal",
            "TotalTax",
            "Total",
            "LineItems",
            "Payments",
        ],
    ),
    Case(
        "invoices.create_many",
        lambda c: c.invoices.create_many([INVOICE]),
        "PUT",
        "invoices",
        [],
        "invoices_response/empty_line_items.xml",
        "Invoices",
        "invoices_request",
        ["Invoice"],
    ),
    Case(
        "accounts.list",
        lambda c: c.accounts.list(),
        "GET",
        "accounts",
        [],
        "accounts_response/chart.xml",
    ),
    Case(
        "tracking.list",
        lambda c: c.tracking.list(),
        "GET",
        "tracking",
        [],
        "tracking_response/two_categories.xml",
    ),
]


class Recorder:
    def __init__(self, fixture: str) -> None:
        self.body = (FIXTURES / "responses" / fixture).read_bytes()
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return httpx.Response(
            200, content=self.body, headers={"content-type": "text/xml; charset=utf-8"}
        )


def _check_wire(case: Case, recorder: Recorder) -> None:
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    assert request.method == case.method
    assert request.url.path == "/api.xro/1.0/" + case.path
    assert request.url.path == request.url.path.lower()
    pairs = list(request.url.params.multi_items())
    assert pairs[:2] == [("apiKey", API_KEY), ("xeroKey", CUSTOMER_KEY)], (
        "keys go first, with Xero's casing"
    )
    assert pairs[2:] == case.query
    if case.body_root is None:
        assert request.content == b""
        return
    root = etree.fromstring(request.content)
    assert root.tag == case.body_root
    assert [child.tag for child in root] == case.body_order
    assert case.body_schema is not None
    validator = schema("requests", case.body_schema)
    assert validator.validate(root), validator.error_log


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    with XeroClient(
        api_key=API_KEY,
        customer_key=CUSTOMER_KEY,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    ) as client:
        result = case.call(client)
    _check_wire(case, recorder)
    assert result is not None


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_async_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    async with AsyncXeroClient(
        api_key=API_KEY,
        customer_key=CUSTOMER_KEY,
        base_url=BASE,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
    ) as client:
        result = await case.call(client)
    _check_wire(case, recorder)
    assert result is not None


def test_every_endpoint_has_a_case() -> None:
    import tomllib

    manifest = tomllib.loads(
        (Path(__file__).resolve().parents[1] / "schemas/v1.0/manifest.toml").read_text()
    )
    declared = {f"{e['resource']}.{e['name']}" for e in manifest["endpoints"]}
    covered = {c.id.split("/")[0] for c in CASES}
    assert declared == covered
    assert len(declared) == 11


def test_list_results_are_plain_lists_of_models() -> None:
    recorder = Recorder("contacts_response/two_contacts.xml")
    client = XeroClient(
        api_key=API_KEY,
        customer_key=CUSTOMER_KEY,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    )
    contacts = client.contacts.list()
    assert isinstance(contacts, list) and all(isinstance(c, models.Contact) for c in contacts)
    assert [c.name for c in contacts] == ["Kowhai Cycles Ltd", "Tui Bakery"]


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({}, "exactly one"),
        ({"contact_id": GUID, "contact_number": "C"}, "exactly one"),
        ({"contact_id": "not-a-guid"}, "GUID"),
        ({"contact_number": ""}, "non-empty"),
    ],
)
def test_bad_arguments_are_refused_before_sending(kwargs: dict[str, Any], needle: str) -> None:
    recorder = Recorder("contact_response/minimal.xml")
    client = XeroClient(
        api_key=API_KEY,
        customer_key=CUSTOMER_KEY,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    )
    with pytest.raises(RequestValidationError, match=needle):
        client.contacts.get(**kwargs)
    assert recorder.requests == []


def test_enum_and_naive_datetime_are_refused() -> None:
    recorder = Recorder("contacts_response/empty.xml")
    client = XeroClient(
        api_key=API_KEY,
        customer_key=CUSTOMER_KEY,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    )
    with pytest.raises(RequestValidationError, match="one of"):
        client.contacts.list(type="everyone")  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError, match="timezone-aware"):
        client.contacts.list(updated_after=datetime.datetime(2026, 1, 1))
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        ({}, "https://networktest.xero.com/api.xro/1.0/"),
        ({"environment": "test"}, "https://networktest.xero.com/api.xro/1.0/"),
        ({"environment": "production"}, "https://network.xero.com/api.xro/1.0/"),
        ({"base_url": "http://127.0.0.1:8080/api.xro/1.0"}, "http://127.0.0.1:8080/api.xro/1.0/"),
        ({"base_url": "http://localhost:9/api.xro/1.0/"}, "http://localhost:9/api.xro/1.0/"),
    ],
)
def test_base_urls(kwargs: dict[str, Any], url: str) -> None:
    client = XeroClient(api_key=API_KEY, customer_key=CUSTOMER_KEY, **kwargs)
    assert str(client.base_url) == url
    client.close()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "http://xero.example/api.xro/1.0/"},
        {"environment": "staging"},
        {"environment": "test", "base_url": "https://a.example/"},
        {"api_key": ""},
        {"customer_key": "  "},
    ],
)
def test_bad_configuration_is_refused(kwargs: dict[str, Any]) -> None:
    options: dict[str, Any] = {"api_key": API_KEY, "customer_key": CUSTOMER_KEY, **kwargs}
    with pytest.raises(RequestValidationError):
        XeroClient(**options)


def test_repr_hides_keys() -> None:
    client = XeroClient(api_key=API_KEY, customer_key=CUSTOMER_KEY)
    assert API_KEY not in repr(client) and CUSTOMER_KEY not in repr(client)
    client.close()
