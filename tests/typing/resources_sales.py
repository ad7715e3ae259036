"""A user's script touching every endpoint of family A (Quotes, PurchaseOrders,
RepeatingInvoices, Items) and the parameters added to the first five; mypy --strict checks it.

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import assert_type

from xero_customer_api import (
    AsyncXeroClient,
    BatchResult,
    NotFoundError,
    RawResponse,
    ValidationError,
    XeroClient,
)
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
SINCE = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
DAY = datetime.date(2026, 7, 1)

LINE = models.LineItem(
    item_code="BIND-01", quantity=Decimal(2), unit_amount=Decimal("12.50"), account_code="200"
)
QUOTE = models.Quote(
    contact=models.Contact(contact_id=ID),
    line_items=[LINE],
    expiry_date=DAY,
    line_amount_types=models.QuoteLineAmountTypes.INCLUSIVE,
    status=models.QuoteStatus.DRAFT,
)
ORDER = models.PurchaseOrder(
    contact=models.Contact(name="Rimu Freight"),
    line_items=[LINE],
    delivery_date=DAY,
    status=models.PurchaseOrderStatus.SUBMITTED,
    line_amount_types=models.LineAmountTypes.EXCLUSIVE,
)
TEMPLATE = models.RepeatingInvoice(
    type=models.InvoiceType.ACCREC,
    contact=models.Contact(contact_id=ID),
    schedule=models.Schedule(
        period=2,
        unit=models.ScheduleUnit.WEEKLY,
        due_date=7,
        due_date_type=models.ScheduleDueDateType.DAYSAFTERINVOICEDATE,
        start_date=DAY,
    ),
    line_items=[LINE],
    status=models.RepeatingInvoiceStatus.AUTHORISED,
    approved_for_sending=True,
)
ITEM = models.Item(
    code="BIND-01",
    name="Binding",
    sales_details=models.ItemPriceDetails(unit_price=Decimal("12.50"), account_code="200"),
    purchase_details=models.ItemPriceDetails(cogs_account_code="310", tax_type="INPUT2"),
    inventory_asset_account_code="630",
)


def quotes(client: XeroClient) -> None:
    listed = client.quotes.list(
        date_from=DAY,
        date_to=DAY,
        expiry_date_from=DAY,
        expiry_date_to=DAY,
        contact_id=uuid.UUID(ID),
        status="ACCEPTED",
        page=1,
        order="Date DESC",
        quote_number="QU-0001",
        modified_since=SINCE,
    )
    assert_type(listed, list[models.Quote])
    assert_type(client.quotes.iter(status="SENT"), Iterator[models.Quote])
    one = client.quotes.get(quote_id=ID)
    assert_type(one, models.Quote)
    assert_type(one.total, Decimal | None)
    assert_type(one.status, models.QuoteStatus | None)
    assert_type(one.expiry_date, datetime.date | None)
    assert_type(client.quotes.create(QUOTE, idempotency_key="k"), models.Quote)
    assert_type(client.quotes.create_many([QUOTE]), BatchResult[models.Quote])
    assert_type(client.quotes.save(QUOTE, tenant_id=ID), models.Quote)
    assert_type(client.quotes.save_many([QUOTE], summarize_errors=False), BatchResult[models.Quote])
    assert_type(client.quotes.update(quote_id=ID, quote=QUOTE), models.Quote)
    assert_type(client.quotes.delete(quote_id=uuid.UUID(ID)), models.Quote)
    raw = client.quotes.with_raw_response.get(quote_id=ID)
    assert_type(raw, RawResponse[models.QuotesResponse])
    assert_type(raw.parsed.quotes, list[models.Quote])


def purchase_orders(client: XeroClient) -> None:
    listed = client.purchase_orders.list(
        status="AUTHORISED",
        date_from=DAY,
        date_to=DAY,
        order="PurchaseOrderNumber ASC",
        page=2,
        page_size=50,
        modified_since=SINCE,
    )
    assert_type(listed, list[models.PurchaseOrder])
    assert_type(client.purchase_orders.iter(page_size=10), Iterator[models.PurchaseOrder])
    assert_type(client.purchase_orders.get(purchase_order_id=ID), models.PurchaseOrder)
    by_number = client.purchase_orders.get(purchase_order_number="PO-0001")
    assert_type(by_number.delivery_date, datetime.date | None)
    assert_type(by_number.sent_to_contact, bool | None)
    assert_type(client.purchase_orders.create(ORDER), models.PurchaseOrder)
    assert_type(client.purchase_orders.create_many([ORDER]), BatchResult[models.PurchaseOrder])
    assert_type(client.purchase_orders.save(ORDER), models.PurchaseOrder)
    assert_type(client.purchase_orders.save_many([ORDER]), BatchResult[models.PurchaseOrder])
    updated = client.purchase_orders.update(purchase_order_id=ID, purchase_order=ORDER)
    assert_type(updated, models.PurchaseOrder)
    assert_type(client.purchase_orders.delete(purchase_order_id=ID), models.PurchaseOrder)


def repeating_invoices(client: XeroClient) -> None:
    listed = client.repeating_invoices.list(where='Status=="AUTHORISED"', order="Total DESC")
    assert_type(listed, list[models.RepeatingInvoice])
    assert_type(client.repeating_invoices.iter(), Iterator[models.RepeatingInvoice])
    one = client.repeating_invoices.get(repeating_invoice_id=ID)
    assert one.schedule is not None
    assert_type(one.schedule.next_scheduled_date, datetime.date | None)
    assert_type(one.schedule.unit, models.ScheduleUnit | None)
    assert_type(client.repeating_invoices.create(TEMPLATE), models.RepeatingInvoice)
    assert_type(
        client.repeating_invoices.create_many([TEMPLATE]), BatchResult[models.RepeatingInvoice]
    )
    assert_type(client.repeating_invoices.save(TEMPLATE), models.RepeatingInvoice)
    assert_type(
        client.repeating_invoices.save_many([TEMPLATE]), BatchResult[models.RepeatingInvoice]
    )
    assert_type(
        client.repeating_invoices.update(repeating_invoice_id=ID, repeating_invoice=TEMPLATE),
        models.RepeatingInvoice,
    )
    assert_type(client.repeating_invoices.delete(repeating_invoice_id=ID), models.RepeatingInvoice)


def items(client: XeroClient) -> None:
    listed = client.items.list(where="IsSold==true", order="Code", unit_dp=4, modified_since=DAY)
    assert_type(listed, list[models.Item])
    assert_type(client.items.iter(unit_dp=2), Iterator[models.Item])
    one = client.items.get(code="BIND-01", unit_dp=4)
    assert_type(one.quantity_on_hand, Decimal | None)
    assert_type(one.sales_details, models.ItemPriceDetails | None)
    assert_type(client.items.get(item_id=ID), models.Item)
    assert_type(client.items.create(ITEM, unit_dp=4), models.Item)
    assert_type(client.items.create_many([ITEM]), BatchResult[models.Item])
    assert_type(client.items.save(ITEM), models.Item)
    assert_type(client.items.save_many([ITEM], unit_dp=2), BatchResult[models.Item])
    assert_type(client.items.update(item_id=ID, item=ITEM, unit_dp=4), models.Item)
    try:
        client.invoices.delete(invoice_id=ID, status="VOIDED", unit_dp=4)
    except (NotFoundError, ValidationError) as error:
        assert_type(error.status_code, int)
    setting = models.CisSetting(cis_enabled=True, rate=Decimal(20))
    assert_type(setting.rate, Decimal | None)


async def async_twins(client: AsyncXeroClient) -> None:
    assert_type(await client.quotes.list(status="DRAFT"), list[models.Quote])
    assert_type(client.quotes.iter(), AsyncIterator[models.Quote])
    assert_type(
        await client.purchase_orders.get(purchase_order_number="PO-1"), models.PurchaseOrder
    )
    assert_type(client.purchase_orders.iter(page_size=5), AsyncIterator[models.PurchaseOrder])
    assert_type(
        await client.repeating_invoices.delete(repeating_invoice_id=ID), models.RepeatingInvoice
    )
    assert_type(await client.items.update(item_id=ID, item=ITEM), models.Item)
    assert_type(await client.items.create_many([ITEM]), BatchResult[models.Item])
