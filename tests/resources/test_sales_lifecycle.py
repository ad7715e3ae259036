"""Xero's rules for family A in the sandbox, through the async SDK in-process (httpx's ASGI
transport, a fresh in-memory store per test): statuses and their transitions, deleting,
numbering, the resources' own filters, paging, If-Modified-Since, items' codes, inventory
tracking and unitdp, and a contact's CISSettings."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
import pytest_asyncio
from xero_customer_api import NotFoundError, RequestValidationError, ValidationError
from xero_customer_api.v2_0 import AsyncXeroClient, models
from xero_sandbox.app import SandboxApp
from xero_sandbox.store import Store

pytestmark = pytest.mark.asyncio
BASE = "https://sandbox.test"
TODAY = datetime.datetime.now(datetime.UTC).date()


@dataclass
class Sandbox:
    client: AsyncXeroClient
    raw: httpx.AsyncClient  # authenticated, for what the SDK does not generate


@asynccontextmanager
async def _connect(
    transport: httpx.ASGITransport, client_id: str, secret: str, tenant_id: str
) -> AsyncIterator[Sandbox]:
    """A client of one organisation, through its app's custom connection."""
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as raw:
        token = await raw.post(
            "/connect/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        access = token.json()["access_token"]
        raw.headers["Authorization"] = f"Bearer {access}"
        raw.headers["xero-tenant-id"] = tenant_id
        async with (
            httpx.AsyncClient(transport=transport) as http,
            AsyncXeroClient(
                access_token=access,
                tenant_id=tenant_id,
                base_url=f"{BASE}/api.xro/2.0/",
                http_client=http,
            ) as client,
        ):
            yield Sandbox(client, raw)


@pytest.fixture
def store() -> Iterator[Store]:
    made = Store(None)
    yield made
    made.close()


@pytest.fixture
def transport(store: Store) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=SandboxApp(store, time_scale=600), client=("127.0.0.1", 50002))


@pytest_asyncio.fixture
async def sb(store: Store, transport: httpx.ASGITransport) -> AsyncIterator[Sandbox]:
    credentials = store.ensure_seeded()
    async with _connect(
        transport, credentials.client_id, credentials.client_secret, credentials.tenant_id
    ) as made:
        yield made


def line(amount: str = "100.00", account: str = "200", **fields: object) -> models.LineItem:
    return models.LineItem(
        description="Consulting", quantity=Decimal(1), unit_amount=Decimal(amount),
        account_code=account, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def quote(name: str = "Kauri Studio", **fields: object) -> models.Quote:
    return models.Quote(
        contact=models.Contact(name=name),
        line_items=[line()],
        **fields,  # type: ignore[arg-type]
    )


def order(name: str = "Totara Supplies", **fields: object) -> models.PurchaseOrder:
    return models.PurchaseOrder(
        contact=models.Contact(name=name),
        line_items=[line(account="400")],
        **fields,  # type: ignore[arg-type]
    )


def template(**fields: object) -> models.RepeatingInvoice:
    schedule = models.Schedule(
        period=1,
        unit=models.ScheduleUnit.MONTHLY,
        due_date=20,
        due_date_type=models.ScheduleDueDateType.OFFOLLOWINGMONTH,
        start_date=TODAY + datetime.timedelta(days=3),
    )
    values: dict[str, object] = {
        "type": models.InvoiceType.ACCREC,
        "contact": models.Contact(name="Rata Rentals"),
        "schedule": schedule,
        "line_items": [line()],
        **fields,
    }
    return models.RepeatingInvoice(**values)  # type: ignore[arg-type]


def refused(error: ValidationError) -> list[str]:
    return [m for e in error.elements for m in e.validation_errors]


# ----------------------------------------------------------------------------- quotes


async def test_quote_numbers_are_made_in_sequence_and_unique(sb: Sandbox) -> None:
    first = await sb.client.quotes.create(quote())
    second = await sb.client.quotes.create(quote(reference="second"))
    assert (first.quote_number, second.quote_number) == ("QU-0001", "QU-0002")
    assert first.status is models.QuoteStatus.DRAFT and first.date == TODAY
    assert first.sub_total == Decimal("100.00") and first.total == Decimal("112.50")
    assert first.line_amount_types is models.QuoteLineAmountTypes.EXCLUSIVE
    own = await sb.client.quotes.create(quote(quote_number="Q-77"))
    assert own.quote_number == "Q-77"
    with pytest.raises(ValidationError) as taken:
        await sb.client.quotes.create(quote(quote_number="Q-77"))
    assert refused(taken.value) == ["The QuoteNumber Q-77 is already assigned to another quote."]
    assert taken.value.elements[0].xsi_type == "Quote"


async def test_quote_status_moves_as_xero_allows(sb: Sandbox) -> None:
    created = await sb.client.quotes.create(quote())
    assert created.quote_id is not None
    quote_id = created.quote_id
    with pytest.raises(ValidationError) as skipped:  # a draft must be sent first
        await sb.client.quotes.update(
            quote_id=quote_id, quote=models.Quote(status=models.QuoteStatus.ACCEPTED)
        )
    assert refused(skipped.value) == ["A quote in status DRAFT cannot become ACCEPTED."]
    for status in ("SENT", "ACCEPTED", "INVOICED"):
        moved = await sb.client.quotes.update(
            quote_id=quote_id, quote=models.Quote(status=models.QuoteStatus(status))
        )
        assert moved.status is models.QuoteStatus(status)
    with pytest.raises(ValidationError):  # an invoiced quote is done
        await sb.client.quotes.delete(quote_id=quote_id)
    declined = await sb.client.quotes.create(quote(status=models.QuoteStatus.SENT))
    assert declined.quote_id is not None
    await sb.client.quotes.update(
        quote_id=declined.quote_id, quote=models.Quote(status=models.QuoteStatus.DECLINED)
    )
    with pytest.raises(ValidationError):
        await sb.client.quotes.update(
            quote_id=declined.quote_id, quote=models.Quote(status=models.QuoteStatus.INVOICED)
        )
    with pytest.raises(ValidationError) as born:
        await sb.client.quotes.create(quote(status=models.QuoteStatus.ACCEPTED))
    assert refused(born.value) == ["A quote cannot be created with the status ACCEPTED."]


async def test_a_deleted_quote_leaves_the_list_but_not_the_books(sb: Sandbox) -> None:
    kept = await sb.client.quotes.create(quote())
    gone = await sb.client.quotes.create(quote())
    assert gone.quote_id is not None
    deleted = await sb.client.quotes.delete(quote_id=gone.quote_id)
    assert deleted.status is models.QuoteStatus.DELETED
    assert [q.quote_id for q in await sb.client.quotes.list()] == [kept.quote_id]
    assert [q.quote_id for q in await sb.client.quotes.list(status="DELETED")] == [gone.quote_id]
    again = await sb.client.quotes.get(quote_id=gone.quote_id)
    assert again.status is models.QuoteStatus.DELETED
    with pytest.raises(ValidationError):  # deleted is final
        await sb.client.quotes.update(
            quote_id=gone.quote_id, quote=models.Quote(status=models.QuoteStatus.DRAFT)
        )


async def test_quote_updates_replace_lines_and_keep_totals_right(sb: Sandbox) -> None:
    created = await sb.client.quotes.create(quote())
    assert created.quote_id is not None and created.line_items[0].line_item_id is not None
    kept = models.LineItem(line_item_id=created.line_items[0].line_item_id, description="Kept",
                           quantity=Decimal(2), unit_amount=Decimal("50"), account_code="200")  # fmt: skip
    updated = await sb.client.quotes.save(
        models.Quote(
            quote_id=created.quote_id,
            line_items=[kept, line("10.00", discount_rate=Decimal(10))],
            line_amount_types=models.QuoteLineAmountTypes.NOTAX,
        )
    )
    assert updated.line_items[0].line_item_id == kept.line_item_id
    assert len(updated.line_items) == 2
    assert updated.total_tax == Decimal("0.00") and updated.total == Decimal("109.00")
    assert updated.total_discount == Decimal("1.00")
    assert updated.line_amount_types is models.QuoteLineAmountTypes.NOTAX
    accepted = await sb.client.quotes.save(
        models.Quote(quote_id=created.quote_id, status=models.QuoteStatus.SENT)
    )
    assert accepted.total == Decimal("109.00")
    await sb.client.quotes.update(
        quote_id=created.quote_id, quote=models.Quote(status=models.QuoteStatus.ACCEPTED)
    )
    with pytest.raises(ValidationError) as frozen:
        await sb.client.quotes.save(models.Quote(quote_id=created.quote_id, line_items=[line()]))
    assert refused(frozen.value) == ["A quote in status ACCEPTED cannot be changed."]
    by_number = await sb.client.quotes.save(
        models.Quote(quote_number=created.quote_number, title="Found by number")
    )
    assert by_number.quote_id == created.quote_id and by_number.title == "Found by number"


async def test_quotes_are_filtered_by_their_own_parameters(sb: Sandbox) -> None:
    early = await sb.client.quotes.create(
        quote(date=datetime.date(2026, 3, 1), expiry_date=datetime.date(2026, 3, 31))
    )
    late = await sb.client.quotes.create(
        quote(
            name="Other Customer",
            date=datetime.date(2026, 6, 1),
            expiry_date=datetime.date(2026, 6, 30),
            status=models.QuoteStatus.SENT,
        )
    )

    async def ids(**filters: object) -> list[str | None]:
        return [q.quote_id for q in await sb.client.quotes.list(**filters)]  # type: ignore[arg-type]

    assert await ids(date_from=datetime.date(2026, 4, 1)) == [late.quote_id]
    assert await ids(date_to=datetime.date(2026, 3, 1)) == [early.quote_id]
    assert await ids(expiry_date_from=datetime.date(2026, 6, 30)) == [late.quote_id]
    assert await ids(expiry_date_to=datetime.date(2026, 4, 1)) == [early.quote_id]
    assert late.contact is not None and late.contact.contact_id is not None
    assert await ids(contact_id=late.contact.contact_id) == [late.quote_id]
    assert await ids(status="SENT") == [late.quote_id]
    assert await ids(quote_number=early.quote_number) == [early.quote_id]
    assert await ids(order="Date DESC") == [late.quote_id, early.quote_id]
    # Xero's own form of the dates (YYYY-MM-DD) is read as well; quotes take no where.
    raw = await sb.raw.get("/api.xro/2.0/Quotes", params={"DateFrom": "2026-04-01", "where": "x"})
    assert raw.status_code == 200 and raw.text.count("<Quote>") == 1
    bad = await sb.raw.get("/api.xro/2.0/Quotes", params={"DateFrom": "April"})
    assert bad.status_code == 400 and "PostDataInvalidException" in bad.text


async def test_quotes_page_by_100_and_honour_if_modified_since(sb: Sandbox) -> None:
    await sb.client.quotes.create_many([quote() for _ in range(101)])
    assert len(await sb.client.quotes.list(page=1)) == 100
    assert len(await sb.client.quotes.list(page=2)) == 1
    assert len(await sb.client.quotes.list()) == 101
    await asyncio.sleep(1.1)
    mark = datetime.datetime.now(datetime.UTC)
    changed = await sb.client.quotes.create(quote())
    assert [q.quote_id for q in await sb.client.quotes.list(modified_since=mark)] == [
        changed.quote_id
    ]


async def test_a_batch_reports_each_quote(sb: Sandbox) -> None:
    batch = await sb.client.quotes.create_many(
        [quote(), models.Quote(contact=models.Contact(name="No Lines"))], summarize_errors=False
    )
    assert [item.status for item in batch.items] == ["OK", "ERROR"]
    assert batch.failed[0].validation_errors == ["A quote must have at least one line item."]
    with pytest.raises(ValidationError):
        await sb.client.quotes.create(models.Quote(line_items=[line()]))  # no contact


# ----------------------------------------------------------------------------- purchase orders


async def test_purchase_order_numbers_and_keys(sb: Sandbox) -> None:
    first = await sb.client.purchase_orders.create(order())
    assert first.purchase_order_number == "PO-0001" and first.status.value == "DRAFT"  # type: ignore[union-attr]
    assert first.total == Decimal("112.50")
    with pytest.raises(ValidationError) as taken:
        await sb.client.purchase_orders.create(order(purchase_order_number="PO-0001"))
    assert refused(taken.value) == ["Order number must be unique"]
    by_number = await sb.client.purchase_orders.get(purchase_order_number="PO-0001")
    assert by_number.purchase_order_id == first.purchase_order_id
    with pytest.raises(NotFoundError):
        await sb.client.purchase_orders.get(purchase_order_number="PO-9999")
    with pytest.raises(NotFoundError):
        await sb.client.purchase_orders.get(
            purchase_order_id="00000000-0000-0000-0000-0000000000aa"
        )


async def test_purchase_order_lifecycle_and_sent_to_contact(sb: Sandbox) -> None:
    created = await sb.client.purchase_orders.create(order())
    assert created.purchase_order_id is not None
    po_id = created.purchase_order_id
    with pytest.raises(ValidationError) as early:
        await sb.client.purchase_orders.update(
            purchase_order_id=po_id, purchase_order=models.PurchaseOrder(sent_to_contact=True)
        )
    assert refused(early.value) == [
        "Only AUTHORISED and BILLED purchase orders may have SentToContact updated."
    ]
    for status in ("SUBMITTED", "AUTHORISED"):
        moved = await sb.client.purchase_orders.update(
            purchase_order_id=po_id,
            purchase_order=models.PurchaseOrder(status=models.PurchaseOrderStatus(status)),
        )
        assert moved.status is models.PurchaseOrderStatus(status)
    sent = await sb.client.purchase_orders.update(
        purchase_order_id=po_id, purchase_order=models.PurchaseOrder(sent_to_contact=True)
    )
    assert sent.sent_to_contact is True
    billed = await sb.client.purchase_orders.save(
        models.PurchaseOrder(purchase_order_id=po_id, status=models.PurchaseOrderStatus.BILLED)
    )
    assert billed.status is models.PurchaseOrderStatus.BILLED
    with pytest.raises(ValidationError) as done:
        await sb.client.purchase_orders.delete(purchase_order_id=po_id)
    assert refused(done.value) == ["A purchase order in status BILLED cannot become DELETED."]
    with pytest.raises(ValidationError):
        await sb.client.purchase_orders.save(
            models.PurchaseOrder(purchase_order_id=po_id, line_items=[line()])
        )
    other = await sb.client.purchase_orders.create(
        order(status=models.PurchaseOrderStatus.AUTHORISED)
    )
    assert other.purchase_order_id is not None
    gone = await sb.client.purchase_orders.delete(purchase_order_id=other.purchase_order_id)
    assert gone.status is models.PurchaseOrderStatus.DELETED
    listed = [o.purchase_order_id for o in await sb.client.purchase_orders.list()]
    assert listed == [po_id]
    assert [
        o.purchase_order_id for o in await sb.client.purchase_orders.list(status="DELETED")
    ] == [other.purchase_order_id]


async def test_purchase_orders_filter_page_and_iterate(sb: Sandbox) -> None:
    for day in (1, 2, 3, 4, 5):
        await sb.client.purchase_orders.create(order(date=datetime.date(2026, 5, day)))
    page = await sb.client.purchase_orders.list(page=2, page_size=2, order="Date ASC")
    assert [o.date for o in page] == [datetime.date(2026, 5, 3), datetime.date(2026, 5, 4)]
    walked = [o.date async for o in sb.client.purchase_orders.iter(page_size=2)]
    assert len(walked) == 5
    ranged = await sb.client.purchase_orders.list(
        date_from=datetime.date(2026, 5, 2), date_to=datetime.date(2026, 5, 3)
    )
    assert [o.date for o in ranged] == [datetime.date(2026, 5, 2), datetime.date(2026, 5, 3)]
    assert await sb.client.purchase_orders.list(status="AUTHORISED") == []
    await asyncio.sleep(1.1)
    mark = datetime.datetime.now(datetime.UTC)
    assert await sb.client.purchase_orders.list(modified_since=mark) == []


# ----------------------------------------------------------------------------- repeating invoices


async def test_repeating_invoice_schedule_and_lifecycle(sb: Sandbox) -> None:
    created = await sb.client.repeating_invoices.create(template(reference="Monthly"))
    assert created.status is models.RepeatingInvoiceStatus.DRAFT
    assert created.schedule is not None
    assert created.schedule.next_scheduled_date == TODAY + datetime.timedelta(days=3)
    assert created.id == created.repeating_invoice_id and created.total == Decimal("112.50")
    assert created.repeating_invoice_id is not None
    ri_id = created.repeating_invoice_id
    approved = await sb.client.repeating_invoices.update(
        repeating_invoice_id=ri_id,
        repeating_invoice=models.RepeatingInvoice(status=models.RepeatingInvoiceStatus.AUTHORISED),
    )
    assert approved.status is models.RepeatingInvoiceStatus.AUTHORISED
    weekly = await sb.client.repeating_invoices.save(
        models.RepeatingInvoice(
            repeating_invoice_id=ri_id,
            schedule=models.Schedule(
                unit=models.ScheduleUnit.WEEKLY, period=2, start_date=datetime.date(2026, 1, 1)
            ),
        )
    )
    assert weekly.schedule is not None and weekly.schedule.unit is models.ScheduleUnit.WEEKLY
    next_date = weekly.schedule.next_scheduled_date
    assert next_date is not None and next_date >= TODAY
    assert (next_date - datetime.date(2026, 1, 1)).days % 14 == 0
    gone = await sb.client.repeating_invoices.delete(repeating_invoice_id=ri_id)
    assert gone.status is models.RepeatingInvoiceStatus.DELETED
    assert await sb.client.repeating_invoices.list() == []
    with pytest.raises(ValidationError) as final:
        await sb.client.repeating_invoices.update(
            repeating_invoice_id=ri_id,
            repeating_invoice=models.RepeatingInvoice(status=models.RepeatingInvoiceStatus.DRAFT),
        )
    assert refused(final.value) == ["A repeating invoice in status DELETED cannot become DRAFT."]


async def test_repeating_invoice_needs_a_complete_schedule(sb: Sandbox) -> None:
    with pytest.raises(ValidationError) as missing:
        await sb.client.repeating_invoices.create(template(schedule=models.Schedule(period=0)))
    assert refused(missing.value) == [
        "The Schedule needs a Period of at least 1.",
        "The Schedule needs a Unit (WEEKLY or MONTHLY).",
        "The Schedule needs a DueDate (a day number).",
        "The Schedule needs a DueDateType.",
        "The Schedule needs a StartDate.",
    ]
    ended = await sb.client.repeating_invoices.create(
        template(
            schedule=models.Schedule(
                period=1,
                unit=models.ScheduleUnit.WEEKLY,
                due_date=7,
                due_date_type=models.ScheduleDueDateType.DAYSAFTERBILLDATE,
                start_date=datetime.date(2025, 1, 1),
                end_date=datetime.date(2025, 2, 1),
            ),
        )
    )
    assert ended.schedule is not None and ended.schedule.next_scheduled_date is None
    bill = await sb.client.repeating_invoices.create(
        template(type=models.InvoiceType.ACCPAY, reference="dropped")
    )
    assert bill.reference is None  # Reference is ACCREC only
    listed = await sb.client.repeating_invoices.list(where='Type=="ACCPAY"')
    assert [r.repeating_invoice_id for r in listed] == [bill.repeating_invoice_id]


# ----------------------------------------------------------------------------- items


async def test_item_codes_are_unique_and_keys_work(sb: Sandbox) -> None:
    item = await sb.client.items.create(
        models.Item(
            code="abc",
            name="Alphabet",
            sales_details=models.ItemPriceDetails(unit_price=Decimal("9.1234"), account_code="200"),
        ),
        unit_dp=4,
    )
    assert item.is_sold is True and item.is_purchased is True
    assert item.sales_details is not None
    assert item.sales_details.unit_price == Decimal("9.1234")
    with pytest.raises(ValidationError) as taken:
        await sb.client.items.create(models.Item(code="ABC"))
    assert refused(taken.value) == ["Price List Item with Code ''ABC'' already exists"]
    by_code = await sb.client.items.get(code="abc")
    assert by_code.sales_details is not None
    assert by_code.sales_details.unit_price == Decimal("9.12")  # 2 places unless unitdp=4
    assert item.item_id is not None
    renamed = await sb.client.items.update(item_id=item.item_id, item=models.Item(name="Letters"))
    assert renamed.name == "Letters" and renamed.code == "abc"
    by_save = await sb.client.items.save(models.Item(code="abc", description="By code"))
    assert by_save.item_id == item.item_id and by_save.description == "By code"
    with pytest.raises(RequestValidationError, match="Item/Code is required to create an Item"):
        await sb.client.items.create(models.Item(name="No code"))  # refused before sending
    with pytest.raises(ValidationError):
        await sb.client.items.save(models.Item(name="No code"))  # the sandbox refuses it too


async def test_not_sold_clears_the_sales_side(sb: Sandbox) -> None:
    item = await sb.client.items.create(
        models.Item(
            code="BOTH",
            description="Sold as",
            purchase_description="Bought as",
            sales_details=models.ItemPriceDetails(unit_price=Decimal(5), account_code="200"),
            purchase_details=models.ItemPriceDetails(unit_price=Decimal(3), account_code="400"),
        )
    )
    assert item.item_id is not None
    bought_only = await sb.client.items.update(
        item_id=item.item_id, item=models.Item(is_sold=False)
    )
    assert bought_only.description is None and bought_only.sales_details is None
    assert bought_only.purchase_description == "Bought as"
    assert bought_only.purchase_details is not None


async def test_inventory_tracking_needs_an_inventory_account_and_cogs(sb: Sandbox) -> None:
    await sb.client.accounts.create(
        models.Account(code="630", name="Inventory", type=models.AccountType.INVENTORY)
    )
    with pytest.raises(ValidationError) as no_cogs:
        await sb.client.items.create(models.Item(code="T-1", inventory_asset_account_code="630"))
    assert refused(no_cogs.value) == [
        "An item tracked as inventory needs a PurchaseDetails.COGSAccountCode."
    ]
    with pytest.raises(ValidationError) as not_inventory:
        await sb.client.items.create(
            models.Item(
                code="T-1",
                inventory_asset_account_code="200",
                purchase_details=models.ItemPriceDetails(cogs_account_code="310"),
            )
        )
    assert refused(not_inventory.value) == [
        "The InventoryAssetAccountCode '200' must be an account of type INVENTORY."
    ]
    tracked = await sb.client.items.create(
        models.Item(
            code="T-1",
            inventory_asset_account_code="630",
            purchase_details=models.ItemPriceDetails(
                cogs_account_code="310", account_code="400", unit_price=Decimal(2)
            ),
        )
    )
    assert tracked.is_tracked_as_inventory is True
    assert tracked.quantity_on_hand == Decimal(0) and tracked.total_cost_pool == Decimal(0)
    assert tracked.purchase_details is not None
    assert tracked.purchase_details.account_code is None  # not used by tracked items
    plain = await sb.client.items.create(models.Item(code="P-1"))
    assert plain.is_tracked_as_inventory is False and plain.quantity_on_hand is None


async def test_items_are_deleted_with_204_and_fill_document_lines(sb: Sandbox) -> None:
    item = await sb.client.items.create(
        models.Item(
            code="W-9",
            name="Widget",
            description="A widget",
            sales_details=models.ItemPriceDetails(unit_price=Decimal("12.00"), account_code="200"),
        )
    )
    quoted = await sb.client.quotes.create(
        models.Quote(
            contact=models.Contact(name="Item User"),
            line_items=[models.LineItem(item_code="W-9", quantity=Decimal(2))],
        )
    )
    first = quoted.line_items[0]
    assert (first.description, first.unit_amount, first.account_code) == (
        "A widget",
        Decimal("12.00"),
        "200",
    )
    with pytest.raises(ValidationError) as unknown:
        await sb.client.quotes.create(
            models.Quote(
                contact=models.Contact(name="Item User"),
                line_items=[models.LineItem(item_code="NOPE", quantity=Decimal(1))],
            )
        )
    assert "Line 1: Item code 'NOPE' is not valid." in refused(unknown.value)
    answer = await sb.raw.delete(f"/api.xro/2.0/Items/{item.item_id}")
    assert answer.status_code == 204 and answer.content == b""
    assert (await sb.raw.delete(f"/api.xro/2.0/Items/{item.item_id}")).status_code == 404
    with pytest.raises(NotFoundError):
        await sb.client.items.get(code="W-9")
    assert await sb.client.items.list() == []


async def test_items_where_order_and_modified_since(sb: Sandbox) -> None:
    await sb.client.items.create_many([models.Item(code=c, name=c) for c in ("B", "A", "C")])
    assert [i.code for i in await sb.client.items.list(order="Code ASC")] == ["A", "B", "C"]
    assert [i.code for i in await sb.client.items.list(where='Code=="B"')] == ["B"]
    await asyncio.sleep(1.1)
    mark = datetime.datetime.now(datetime.UTC)
    await sb.client.items.save(models.Item(code="A", name="Changed"))
    assert [i.code for i in await sb.client.items.list(modified_since=mark)] == ["A"]


# ----------------------------------------------------------------------------- CIS settings


async def test_a_contacts_cis_settings(sb: Sandbox) -> None:
    contact = await sb.client.contacts.create(models.Contact(name="Builder Ltd"))
    answer = await sb.raw.get(f"/api.xro/2.0/Contacts/{contact.contact_id}/CISSettings")
    assert answer.status_code == 200
    assert "<CISSettings><CISSetting><CISEnabled>false</CISEnabled></CISSetting>" in answer.text
    unknown = await sb.raw.get(
        "/api.xro/2.0/Contacts/00000000-0000-0000-0000-0000000000cc/CISSettings"
    )
    assert unknown.status_code == 404
    other = await sb.raw.get(f"/api.xro/2.0/Contacts/{contact.contact_id}/Nothing")
    assert other.status_code == 404


# ----------------------------------------------------------------------------- what Xero reads


async def test_elements_in_any_order_and_date_only_values_are_read(sb: Sandbox) -> None:
    body = (
        b"<Quote><LineItems><LineItem><AccountCode>200</AccountCode><UnitAmount>10</UnitAmount>"
        b"<Description>Any order</Description><Quantity>1</Quantity></LineItem></LineItems>"
        b"<ExpiryDate>2026-08-31</ExpiryDate><Date>2026-08-01</Date>"
        b"<Contact><Name>Order Free Ltd</Name></Contact><QuoteNumber>ANY-1</QuoteNumber></Quote>"
    )
    answer = await sb.raw.put("/api.xro/2.0/Quotes", content=body)
    assert answer.status_code == 200, answer.text
    assert "<Date>2026-08-01T00:00:00</Date>" in answer.text
    assert "<ExpiryDate>2026-08-31T00:00:00</ExpiryDate>" in answer.text
    schedule = (
        b"<RepeatingInvoices><RepeatingInvoice><Schedule><StartDate>2027-02-01</StartDate>"
        b"<DueDateType>OFCURRENTMONTH</DueDateType><DueDate>28</DueDate><Unit>MONTHLY</Unit>"
        b"<Period>3</Period></Schedule><Type>ACCREC</Type><LineItems><LineItem>"
        b"<Description>Quarterly</Description><UnitAmount>30</UnitAmount></LineItem></LineItems>"
        b"<Contact><Name>Order Free Ltd</Name></Contact></RepeatingInvoice></RepeatingInvoices>"
    )
    made = await sb.raw.post("/api.xro/2.0/RepeatingInvoices", content=schedule)
    assert made.status_code == 200, made.text
    assert "<NextScheduledDate>2027-02-01T00:00:00</NextScheduledDate>" in made.text
    unknown = await sb.raw.put("/api.xro/2.0/Quotes", content=b"<Quote><Nom>x</Nom></Quote>")
    assert unknown.status_code == 400 and "PostDataInvalidException" in unknown.text
    bad_date = await sb.raw.put(
        "/api.xro/2.0/Items", content=b"<Item><Code>D</Code><Name>2026-13-45</Name></Item>"
    )
    assert bad_date.status_code == 200  # a date-like text of a string element stays text


async def test_the_id_path_takes_one_element_plain_or_wrapped(sb: Sandbox) -> None:
    created = await sb.client.purchase_orders.create(order())
    path = f"/api.xro/2.0/PurchaseOrders/{created.purchase_order_id}"
    wrapped = await sb.raw.post(
        path,
        content=b"<PurchaseOrders><PurchaseOrder><Reference>W</Reference></PurchaseOrder>"
        b"</PurchaseOrders>",
    )
    assert wrapped.status_code == 200 and "<Reference>W</Reference>" in wrapped.text
    two = await sb.raw.post(
        path,
        content=b"<PurchaseOrders><PurchaseOrder/><PurchaseOrder/></PurchaseOrders>",
    )
    assert two.status_code == 400 and "takes exactly one" in two.text
    unknown = await sb.raw.post(
        "/api.xro/2.0/PurchaseOrders/00000000-0000-0000-0000-0000000000dd",
        content=b"<PurchaseOrder><Reference>W</Reference></PurchaseOrder>",
    )
    assert unknown.status_code == 404


async def test_each_organisation_has_its_own_documents_and_numbers(
    sb: Sandbox, store: Store, transport: httpx.ASGITransport
) -> None:
    first = await sb.client.quotes.create(quote())
    await sb.client.items.create(models.Item(code="SAME"))
    await sb.client.purchase_orders.create(order())
    _, tenant = store.add_org("Second Org")
    app = store.add_app("Second App", tenant_id=tenant)
    async with _connect(transport, app.client_id, app.client_secret, tenant) as other:
        assert await other.client.quotes.list() == []
        assert first.quote_id is not None
        with pytest.raises(NotFoundError):
            await other.client.quotes.get(quote_id=first.quote_id)
        again = await other.client.quotes.create(quote())
        assert again.quote_number == first.quote_number == "QU-0001"
        assert (await other.client.items.create(models.Item(code="SAME"))).code == "SAME"
        assert (await other.client.purchase_orders.create(order())).purchase_order_number == (
            "PO-0001"
        )
        assert await other.client.repeating_invoices.list() == []
    assert [q.quote_id for q in await sb.client.quotes.list()] == [first.quote_id]
