"""Wire tests of family A (Quotes, PurchaseOrders, RepeatingInvoices, Items) and of the
parameters added to the first five, sync and async, on httpx's MockTransport: method, path,
exact query names, headers (If-Modified-Since, Idempotency-Key on writes only), body root,
its children in the one write order and the body valid against our request XSD."""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree
from xero_codegen.manifest import load_manifest
from xero_customer_api import RequestValidationError
from xero_customer_api.v2_0 import _codec, models

from ..v2.fake_xero import TENANT, TOKEN, as_many_as_sent, fake_async_client, fake_client, sent_body
from ..v2.xero_xsd import xero_schema  # noqa: F401 (fixture)
from .test_history_allocations_wire import CASES as ISSUE_18_CASES

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas" / "v2.0"
OTHER_TENANT = "c2a8b2d3-4e5f-4061-9b7c-8d9e0f1a2b3c"
GUID = "8D2E4F60-1A3B-4C5D-8E7F-9A0B1C2D3E4F"
GUID2 = "EA7F7B6A-0D22-4D5C-9317-54542A10215E"
KEY = "k" * 40
WHEN = datetime.datetime(
    2026, 7, 1, 13, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=12))
)
MOD = {"If-Modified-Since": "2026-07-01T01:04:05"}
FAMILY = {"quotes", "purchase_orders", "repeating_invoices", "items"}

LINE = models.LineItem(
    description="Case binding, cloth",
    quantity=Decimal("2"),
    unit_amount=Decimal("120.00"),
    account_code="200",
    tax_type="OUTPUT2",
    line_amount=Decimal("240.00"),
)
QUOTE = models.Quote(
    quote_number="QU-0042",
    contact=models.Contact(contact_id=GUID.lower()),
    date=datetime.date(2026, 7, 1),
    expiry_date=datetime.date(2026, 7, 31),
    line_amount_types=models.QuoteLineAmountTypes.EXCLUSIVE,
    line_items=[LINE],
    title="Binding",
    terms="30 days",
    total=Decimal("276.00"),  # read-only: never sent
    updated_date_utc=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),  # read-only
)
QUOTE_ORDER = [
    "QuoteNumber",
    "Contact",
    "Date",
    "ExpiryDate",
    "LineAmountTypes",
    "LineItems",
    "Title",
    "Terms",
]
ORDER = models.PurchaseOrder(
    contact=models.Contact(name="Rimu Freight"),
    date=datetime.date(2026, 7, 2),
    delivery_date=datetime.date(2026, 7, 9),
    line_items=[LINE],
    reference="Restock",
    attention_to="Aroha",
    delivery_instructions="Back door",
    has_attachments=True,  # read-only: never sent
)
ORDER_ORDER = [
    "Contact",
    "Date",
    "DeliveryDate",
    "LineItems",
    "Reference",
    "AttentionTo",
    "DeliveryInstructions",
]
REPEATING = models.RepeatingInvoice(
    type=models.InvoiceType.ACCREC,
    contact=models.Contact(contact_id=GUID.lower()),
    schedule=models.Schedule(
        period=1,
        unit=models.ScheduleUnit.MONTHLY,
        due_date=20,
        due_date_type=models.ScheduleDueDateType.OFFOLLOWINGMONTH,
        start_date=datetime.date(2026, 8, 1),
        next_scheduled_date=datetime.date(2026, 8, 1),  # read-only: never sent
    ),
    line_items=[LINE],
    status=models.RepeatingInvoiceStatus.DRAFT,
    id=GUID.lower(),  # read-only echo: never sent back
    include_pdf=True,
)
REPEATING_ORDER = ["Type", "Contact", "Schedule", "Status", "LineItems", "IncludePDF"]
ITEM = models.Item(
    code="BIND-01",
    name="Binding",
    is_sold=True,
    sales_details=models.ItemPriceDetails(unit_price=Decimal("120.0000"), account_code="200"),
    quantity_on_hand=Decimal("4"),  # read-only: never sent
    is_tracked_as_inventory=False,  # read-only: never sent
)
ITEM_ORDER = ["Code", "Name", "IsSold", "SalesDetails"]


@cache
def _answer(kind: str) -> bytes:
    """A Response of each kind, written by the SDK's own encoder."""
    responses: dict[str, Any] = {
        "quotes": models.QuotesResponse(status="OK", quotes=[QUOTE]),
        "purchase_orders": models.PurchaseOrdersResponse(status="OK", purchase_orders=[ORDER]),
        "repeating_invoices": models.RepeatingInvoicesResponse(
            status="OK", repeating_invoices=[REPEATING]
        ),
        "items": models.ItemsResponse(status="OK", items=[ITEM]),
        "invoices": models.InvoicesResponse(
            status="OK", invoices=[models.Invoice(invoice_id=GUID.lower())]
        ),
    }
    response = responses[kind]
    return bytes(_codec.ENCODERS[type(response)](response))


@dataclass
class Case:
    id: str
    call: Callable[[Any], Any]
    method: str
    path: str
    query: list[tuple[str, str]]
    answer: str
    body_root: str | None = None
    body_schema: str | None = None
    body_order: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


CASES = [
    # ------------------------------------------------------------------ quotes
    Case(
        "quotes.list",
        lambda c: c.quotes.list(
            date_from=datetime.date(2026, 7, 1),
            date_to=datetime.date(2026, 7, 31),
            expiry_date_from=datetime.date(2026, 8, 1),
            expiry_date_to=datetime.date(2026, 8, 31),
            contact_id=uuid.UUID(GUID),
            status="SENT",
            page=2,
            order="Date DESC",
            quote_number="QU-0042",
            modified_since=WHEN,
        ),
        "GET",
        "Quotes",
        [
            ("DateFrom", "2026-07-01"),
            ("DateTo", "2026-07-31"),
            ("ExpiryDateFrom", "2026-08-01"),
            ("ExpiryDateTo", "2026-08-31"),
            ("ContactID", GUID.lower()),
            ("Status", "SENT"),
            ("page", "2"),
            ("order", "Date DESC"),
            ("QuoteNumber", "QU-0042"),
        ],
        "quotes",
        headers=MOD,
    ),
    Case(
        "quotes.get",
        lambda c: c.quotes.get(quote_id=GUID),
        "GET",
        f"Quotes/{GUID.lower()}",
        [],
        "quotes",
    ),
    Case(
        "quotes.create",
        lambda c: c.quotes.create(QUOTE, idempotency_key=KEY),
        "PUT",
        "Quotes",
        [],
        "quotes",
        "Quote",
        "quotes_request",
        QUOTE_ORDER,
        {"Idempotency-Key": KEY},
    ),
    Case(
        "quotes.create_many",
        lambda c: c.quotes.create_many([QUOTE, QUOTE]),
        "PUT",
        "Quotes",
        [("summarizeErrors", "false")],
        "quotes",
        "Quotes",
        "quotes_request",
        ["Quote", "Quote"],
    ),
    Case(
        "quotes.save",
        lambda c: c.quotes.save(QUOTE, tenant_id=OTHER_TENANT),
        "POST",
        "Quotes",
        [],
        "quotes",
        "Quote",
        "quotes_request",
        QUOTE_ORDER,
        {"xero-tenant-id": OTHER_TENANT},
    ),
    Case(
        "quotes.save_many",
        lambda c: c.quotes.save_many([QUOTE], summarize_errors=False),
        "POST",
        "Quotes",
        [("summarizeErrors", "false")],
        "quotes",
        "Quotes",
        "quotes_request",
        ["Quote"],
    ),
    Case(
        "quotes.update",
        lambda c: c.quotes.update(
            quote_id=GUID, quote=models.Quote(status=models.QuoteStatus.ACCEPTED)
        ),
        "POST",
        f"Quotes/{GUID.lower()}",
        [],
        "quotes",
        "Quote",
        "quotes_request",
        ["Status"],
    ),
    Case(
        "quotes.delete",
        lambda c: c.quotes.delete(quote_id=GUID),
        "POST",
        f"Quotes/{GUID.lower()}",
        [],
        "quotes",
        "Quote",
        "quotes_request",
        ["Status"],
    ),
    # ------------------------------------------------------------------ purchase orders
    Case(
        "purchase_orders.list",
        lambda c: c.purchase_orders.list(
            status="AUTHORISED",
            date_from=datetime.date(2026, 7, 1),
            date_to=datetime.date(2026, 7, 31),
            order="PurchaseOrderNumber ASC",
            page=3,
            page_size=25,
            modified_since=WHEN,
        ),
        "GET",
        "PurchaseOrders",
        [
            ("Status", "AUTHORISED"),
            ("DateFrom", "2026-07-01"),
            ("DateTo", "2026-07-31"),
            ("order", "PurchaseOrderNumber ASC"),
            ("page", "3"),
            ("pageSize", "25"),
        ],
        "purchase_orders",
        headers=MOD,
    ),
    Case(
        "purchase_orders.get/id",
        lambda c: c.purchase_orders.get(purchase_order_id=GUID),
        "GET",
        f"PurchaseOrders/{GUID.lower()}",
        [],
        "purchase_orders",
    ),
    Case(
        "purchase_orders.get/number",
        lambda c: c.purchase_orders.get(purchase_order_number="PO 7/A"),
        "GET",
        "PurchaseOrders/PO%207%2FA",
        [],
        "purchase_orders",
    ),
    Case(
        "purchase_orders.create",
        lambda c: c.purchase_orders.create(ORDER),
        "PUT",
        "PurchaseOrders",
        [],
        "purchase_orders",
        "PurchaseOrder",
        "purchase_orders_request",
        ORDER_ORDER,
    ),
    Case(
        "purchase_orders.create_many",
        lambda c: c.purchase_orders.create_many([ORDER], summarize_errors=False),
        "PUT",
        "PurchaseOrders",
        [("summarizeErrors", "false")],
        "purchase_orders",
        "PurchaseOrders",
        "purchase_orders_request",
        ["PurchaseOrder"],
    ),
    Case(
        "purchase_orders.save",
        lambda c: c.purchase_orders.save(ORDER, idempotency_key=KEY),
        "POST",
        "PurchaseOrders",
        [],
        "purchase_orders",
        "PurchaseOrder",
        "purchase_orders_request",
        ORDER_ORDER,
        {"Idempotency-Key": KEY},
    ),
    Case(
        "purchase_orders.save_many",
        lambda c: c.purchase_orders.save_many([ORDER, ORDER]),
        "POST",
        "PurchaseOrders",
        [("summarizeErrors", "false")],
        "purchase_orders",
        "PurchaseOrders",
        "purchase_orders_request",
        ["PurchaseOrder", "PurchaseOrder"],
    ),
    Case(
        "purchase_orders.update",
        lambda c: c.purchase_orders.update(
            purchase_order_id=GUID,
            purchase_order=models.PurchaseOrder(
                status=models.PurchaseOrderStatus.AUTHORISED, sent_to_contact=True
            ),
        ),
        "POST",
        f"PurchaseOrders/{GUID.lower()}",
        [],
        "purchase_orders",
        "PurchaseOrder",
        "purchase_orders_request",
        ["Status", "SentToContact"],
    ),
    Case(
        "purchase_orders.delete",
        lambda c: c.purchase_orders.delete(purchase_order_id=GUID),
        "POST",
        f"PurchaseOrders/{GUID.lower()}",
        [],
        "purchase_orders",
        "PurchaseOrder",
        "purchase_orders_request",
        ["Status"],
    ),
    # ------------------------------------------------------------------ repeating invoices
    Case(
        "repeating_invoices.list",
        lambda c: c.repeating_invoices.list(where='Type=="ACCREC"', order="Total DESC"),
        "GET",
        "RepeatingInvoices",
        [("where", 'Type=="ACCREC"'), ("order", "Total DESC")],
        "repeating_invoices",
    ),
    Case(
        "repeating_invoices.get",
        lambda c: c.repeating_invoices.get(repeating_invoice_id=uuid.UUID(GUID2)),
        "GET",
        f"RepeatingInvoices/{GUID2.lower()}",
        [],
        "repeating_invoices",
    ),
    Case(
        "repeating_invoices.create",
        lambda c: c.repeating_invoices.create(REPEATING),
        "PUT",
        "RepeatingInvoices",
        [],
        "repeating_invoices",
        "RepeatingInvoice",
        "repeating_invoices_request",
        REPEATING_ORDER,
    ),
    Case(
        "repeating_invoices.create_many",
        lambda c: c.repeating_invoices.create_many([REPEATING]),
        "PUT",
        "RepeatingInvoices",
        [("summarizeErrors", "false")],
        "repeating_invoices",
        "RepeatingInvoices",
        "repeating_invoices_request",
        ["RepeatingInvoice"],
    ),
    Case(
        "repeating_invoices.save",
        lambda c: c.repeating_invoices.save(REPEATING),
        "POST",
        "RepeatingInvoices",
        [],
        "repeating_invoices",
        "RepeatingInvoice",
        "repeating_invoices_request",
        REPEATING_ORDER,
    ),
    Case(
        "repeating_invoices.save_many",
        lambda c: c.repeating_invoices.save_many([REPEATING], summarize_errors=False),
        "POST",
        "RepeatingInvoices",
        [("summarizeErrors", "false")],
        "repeating_invoices",
        "RepeatingInvoices",
        "repeating_invoices_request",
        ["RepeatingInvoice"],
    ),
    Case(
        "repeating_invoices.update",
        lambda c: c.repeating_invoices.update(
            repeating_invoice_id=GUID,
            repeating_invoice=models.RepeatingInvoice(
                status=models.RepeatingInvoiceStatus.AUTHORISED
            ),
        ),
        "POST",
        f"RepeatingInvoices/{GUID.lower()}",
        [],
        "repeating_invoices",
        "RepeatingInvoice",
        "repeating_invoices_request",
        ["Status"],
    ),
    Case(
        "repeating_invoices.delete",
        lambda c: c.repeating_invoices.delete(repeating_invoice_id=GUID),
        "POST",
        f"RepeatingInvoices/{GUID.lower()}",
        [],
        "repeating_invoices",
        "RepeatingInvoice",
        "repeating_invoices_request",
        ["Status"],
    ),
    # ------------------------------------------------------------------ items
    Case(
        "items.list",
        lambda c: c.items.list(
            where='Code.StartsWith("B")', order="Code ASC", unit_dp=4, modified_since=WHEN
        ),
        "GET",
        "Items",
        [("where", 'Code.StartsWith("B")'), ("order", "Code ASC"), ("unitdp", "4")],
        "items",
        headers=MOD,
    ),
    Case(
        "items.get/id",
        lambda c: c.items.get(item_id=GUID, unit_dp=4),
        "GET",
        f"Items/{GUID.lower()}",
        [("unitdp", "4")],
        "items",
    ),
    Case(
        "items.get/code",
        lambda c: c.items.get(code="BIND 01/X"),
        "GET",
        "Items/BIND%2001%2FX",
        [],
        "items",
    ),
    Case(
        "items.create",
        lambda c: c.items.create(ITEM, unit_dp=4),
        "PUT",
        "Items",
        [("unitdp", "4")],
        "items",
        "Item",
        "items_request",
        ITEM_ORDER,
    ),
    Case(
        "items.create_many",
        lambda c: c.items.create_many([ITEM, ITEM], unit_dp=2),
        "PUT",
        "Items",
        [("summarizeErrors", "false"), ("unitdp", "2")],
        "items",
        "Items",
        "items_request",
        ["Item", "Item"],
    ),
    Case(
        "items.save",
        lambda c: c.items.save(ITEM, idempotency_key=KEY),
        "POST",
        "Items",
        [],
        "items",
        "Item",
        "items_request",
        ITEM_ORDER,
        {"Idempotency-Key": KEY},
    ),
    Case(
        "items.save_many",
        lambda c: c.items.save_many([ITEM], summarize_errors=False, unit_dp=4),
        "POST",
        "Items",
        [("summarizeErrors", "false"), ("unitdp", "4")],
        "items",
        "Items",
        "items_request",
        ["Item"],
    ),
    Case(
        "items.update",
        lambda c: c.items.update(item_id=GUID, item=models.Item(name="Renamed"), unit_dp=4),
        "POST",
        f"Items/{GUID.lower()}",
        [("unitdp", "4")],
        "items",
        "Item",
        "items_request",
        ["Name"],
    ),
    # ------------------------------------------------------------------ the first five
    Case(
        "invoices.delete+unit_dp",
        lambda c: c.invoices.delete(invoice_id=GUID, status="VOIDED", unit_dp=4),
        "POST",
        f"Invoices/{GUID.lower()}",
        [("unitdp", "4")],
        "invoices",
        "Invoice",
        "invoices_request",
        ["Status"],
    ),
]


class Recorder:
    def __init__(self, answer: str) -> None:
        self.body = _answer(answer)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        content = as_many_as_sent(request.content, self.body)  # one element per element sent
        return httpx.Response(
            200, content=content, headers={"content-type": "text/xml; charset=utf-8"}
        )


@cache
def _schema(stem: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "requests" / f"{stem}.xsd")))


def _check_wire(case: Case, recorder: Recorder) -> None:
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    assert request.method == case.method
    assert request.url.raw_path.decode().split("?")[0] == "/api.xro/2.0/" + case.path
    assert list(request.url.params.multi_items()) == case.query
    headers = request.headers
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["xero-tenant-id"] == case.headers.get("xero-tenant-id", TENANT)
    if "If-Modified-Since" in case.headers:
        assert headers["If-Modified-Since"] == case.headers["If-Modified-Since"]
    else:
        assert "If-Modified-Since" not in headers
    if case.method in ("PUT", "POST"):
        key = headers["Idempotency-Key"]
        assert key == case.headers.get("Idempotency-Key", key)
        assert 1 <= len(key) <= 128 and key.isascii()
    else:
        assert "Idempotency-Key" not in headers
    if case.body_root is None:
        assert request.content == b""
        return
    assert headers["Content-Type"].startswith("application/xml")
    root = etree.fromstring(request.content)
    assert root.tag == case.body_root
    assert [child.tag for child in root] == case.body_order
    assert case.body_schema is not None
    validator = _schema(case.body_schema)
    assert validator.validate(root), validator.error_log
    if case.id.endswith(".delete"):
        assert root.findtext("Status") == "DELETED"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync_wire(case: Case) -> None:
    recorder = Recorder(case.answer)
    with fake_client(recorder) as client:
        result = case.call(client)
    _check_wire(case, recorder)
    assert result is not None


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_async_wire(case: Case) -> None:
    recorder = Recorder(case.answer)
    async with fake_async_client(recorder) as client:
        result = await case.call(client)
    _check_wire(case, recorder)
    assert result is not None


def test_every_endpoint_of_the_family_has_a_case() -> None:
    manifest = load_manifest(SCHEMAS)
    declared = {  # 204 No Content endpoints: tests/resources/test_no_content_wire.py
        f"{e['resource']}.{e['name']}"
        for e in manifest["endpoints"]
        if e["resource"] in FAMILY
        and e.get("returns") != "none"
        # issue 18's sub-resources and invoice actions: test_history_allocations_wire.py
        and not e.get("sub_resource")
        and f"{e['resource']}.{e['name']}" not in {c.id for c in ISSUE_18_CASES}
        and "binary" not in e.get("response", {})  # PDFs: test_attachments_wire.py
    }
    assert declared == {c.id.split("/")[0] for c in CASES if c.id.split(".")[0] in FAMILY}


def test_results_are_typed() -> None:
    with fake_client(Recorder("quotes")) as client:
        quote = client.quotes.get(quote_id=GUID)
        quotes = client.quotes.list()
        batch = client.quotes.create_many([QUOTE])
    assert isinstance(quote, models.Quote) and quote.total == Decimal("276.00")
    assert quote.line_amount_types is models.QuoteLineAmountTypes.EXCLUSIVE
    assert [q.quote_number for q in quotes] == ["QU-0042"]
    assert [item.item.quote_number for item in batch.items] == ["QU-0042"]
    with fake_client(Recorder("repeating_invoices")) as client:
        template = client.repeating_invoices.get(repeating_invoice_id=GUID)
    assert template.schedule is not None
    assert template.schedule.next_scheduled_date == datetime.date(2026, 8, 1)
    assert template.id == GUID.lower()
    with fake_client(Recorder("items")) as client:
        item = client.items.get(code="BIND-01")
    assert item.sales_details is not None and item.sales_details.unit_price == Decimal("120")
    assert item.quantity_on_hand == Decimal(4)


def test_iter_of_purchase_orders_walks_pages() -> None:
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        page = int(request.url.params["page"])
        orders = [  # distinct orders on every page, as Xero's pages are
            dataclasses.replace(ORDER, purchase_order_number=f"PO-{page}-{n}")
            for n in range(2 if page < 3 else 1)
        ]
        answer = models.PurchaseOrdersResponse(purchase_orders=orders)
        return httpx.Response(200, content=_codec.ENCODERS[type(answer)](answer))

    with fake_client(handler) as client:
        orders = list(client.purchase_orders.iter(page_size=2, status="DRAFT"))
    assert [o.purchase_order_number for o in orders] == [
        "PO-1-0", "PO-1-1", "PO-2-0", "PO-2-1", "PO-3-0"
    ]  # fmt: skip
    assert [s["page"] for s in seen] == ["1", "2", "3"]
    assert all(s["pageSize"] == "2" and s["Status"] == "DRAFT" for s in seen)


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda c: c.quotes.list(status="OPEN"), "status"),
        (lambda c: c.quotes.list(contact_id="not-a-guid"), "contact_id"),
        (
            lambda c: c.quotes.list(date_from=datetime.datetime(2026, 7, 1)),
            "date_from",
        ),
        (lambda c: c.purchase_orders.list(status="PAID"), "status"),
        (lambda c: c.purchase_orders.get(), "purchase_order_id"),
        (
            lambda c: c.purchase_orders.get(purchase_order_id=GUID, purchase_order_number="PO-1"),
            "purchase_order_id",
        ),
        (lambda c: c.items.get(), "item_id"),
        (lambda c: c.items.list(unit_dp=3), "unit_dp"),
        (lambda c: c.repeating_invoices.get(repeating_invoice_id="x"), "repeating_invoice_id"),
    ],
)
def test_bad_arguments_are_refused_before_sending(call: Callable[[Any], Any], needle: str) -> None:
    recorder = Recorder("quotes")
    with fake_client(recorder) as client, pytest.raises(RequestValidationError, match=needle):
        call(client)
    assert recorder.requests == []


# Bodies Xero's published XSDs can judge: purchase orders (quotes have no XSD of Xero's; its
# Items.xsd requires both price details and RepeatingInvoice.xsd predates IncludePDF).
XERO_CHECKED = [c for c in CASES if c.body_root and c.id.startswith("purchase_orders.")]


@pytest.mark.parametrize("case", XERO_CHECKED, ids=[c.id for c in XERO_CHECKED])
def test_purchase_order_bodies_are_valid_against_xeros_xsds(
    case: Case,
    xero_schema: etree.XMLSchema,  # noqa: F811 (the fixture)
) -> None:
    root = sent_body(Recorder(case.answer), case.call)
    assert xero_schema.validate(root), xero_schema.error_log
