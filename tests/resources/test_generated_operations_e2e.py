"""The operations the generator could not express before its second wave, against the sandbox
over real sockets (sync, async and the ``xero`` command line): 204 No Content deletes, the
nested ``contact_groups.contacts``, Journals walked by offset, Quotes and LinkedTransactions
walked by page, ``date`` query parameters, a contact's CIS setting and POST Contacts/{ContactID},
a single POST Payments, and ``tax_rates.delete``."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from xero_customer_api import NotFoundError, RequestValidationError, ValidationError
from xero_customer_api.v2_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

from tests.e2e.conftest import sandbox, sandbox_db  # noqa: F401  (fixtures)
from tests.resources.conftest import async_v2_client, xero_ok

pytestmark = pytest.mark.e2e

DAY = datetime.date(2026, 7, 1)


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _line(account: str = "200", amount: str = "40.00") -> models.LineItem:
    return models.LineItem(
        description="Work", quantity=Decimal(1), unit_amount=Decimal(amount), account_code=account
    )


# ------------------------------------------------------------------ 204 No Content


def test_items_delete(client: XeroClient) -> None:
    item = client.items.create(models.Item(code=f"DEL-{_tag()}", name="Short-lived"))
    assert item.item_id is not None
    assert client.items.delete(item_id=item.item_id) is None
    with pytest.raises(NotFoundError):
        client.items.get(item_id=item.item_id)
    with pytest.raises(NotFoundError):  # a second delete: Xero's 404, mapped as always
        client.items.delete(item_id=item.item_id)


@pytest.mark.asyncio
async def test_items_delete_async(sandbox: RunningSandbox) -> None:  # noqa: F811
    async with async_v2_client(sandbox) as client:
        item = await client.items.create(models.Item(code=f"ADEL-{_tag()}"))
        assert item.item_id is not None
        raw = await client.items.with_raw_response.delete(item_id=item.item_id)
        assert (raw.status_code, raw.parsed) == (204, None)
        with pytest.raises(NotFoundError):
            await client.items.get(item_id=item.item_id)


def test_contact_group_members_from_the_cli(sandbox: RunningSandbox, client: XeroClient) -> None:  # noqa: F811
    tag = _tag()
    group = client.contact_groups.create(models.ContactGroup(name=f"CLI group {tag}"))
    member = client.contacts.create(models.Contact(name=f"CLI member {tag}"))
    gid, cid = str(group.contact_group_id), str(member.contact_id)
    added = json.loads(
        xero_ok(
            sandbox,
            *("contact-groups", "contacts", "add", "--contact-group-id", gid, "--file", "-"),
            input=json.dumps([{"contact_id": cid}]),
        )
    )
    assert [c["contact_id"] for c in added] == [cid]
    assert xero_ok(
        sandbox, "contact-groups", "contacts", "remove", "--contact-group-id", gid,
        "--contact-id", cid,
    ) == ""  # fmt: skip
    assert client.contact_groups.get(contact_group_id=gid).contacts == []
    client.contact_groups.contacts.add(
        contact_group_id=gid, contacts=[models.Contact(contact_id=cid)]
    )
    xero_ok(sandbox, "contact-groups", "contacts", "remove-all", "--contact-group-id", gid)
    assert client.contact_groups.get(contact_group_id=gid).contacts == []
    helped = xero_ok(sandbox, "contact-groups", "contacts", "--help")
    assert all(name in helped for name in ("add", "remove", "remove-all"))


# ------------------------------------------------------------------ paging


def test_journals_iter_walks_the_whole_ledger_by_offset(client: XeroClient) -> None:
    # enough postings for the ledger to pass one call's 100 journals
    for n in range(3):
        client.manual_journals.create(
            models.ManualJournal(
                narration=f"Offset walk {n}",
                date=DAY,
                status=models.ManualJournalStatus.POSTED,
                journal_lines=[
                    models.ManualJournalLine(account_code="429", line_amount=Decimal("5.00")),
                    models.ManualJournalLine(account_code="970", line_amount=Decimal("-5.00")),
                ],
            )
        )
    by_hand: list[models.Journal] = []
    while True:
        page = client.journals.list(offset=by_hand[-1].journal_number if by_hand else 0)
        by_hand.extend(page)
        if len(page) < 100:
            break
    walked = [j.journal_number for j in client.journals.iter()]
    assert walked == [j.journal_number for j in by_hand] and len(walked) >= 3
    assert walked == sorted(walked) and len(set(walked)) == len(walked)
    last = walked[-1]
    assert last is not None
    assert [j.journal_number for j in client.journals.iter(offset=last - 2)] == walked[-2:]
    assert client.journals.get(journal_number=last).journal_number == last
    with pytest.raises(RequestValidationError):
        client.journals.get(journal_number=str(last))  # type: ignore[arg-type]


def test_quotes_iter_pages_and_date_filters(client: XeroClient) -> None:
    tag = _tag()
    contact = client.contacts.create(models.Contact(name=f"Dated {tag}"))
    made = [
        client.quotes.create(
            models.Quote(
                contact=models.Contact(contact_id=contact.contact_id),
                date=datetime.date(2026, 3, day),
                expiry_date=datetime.date(2026, 4, day),
                line_items=[_line()],
                reference=tag,
            )
        )
        for day in (2, 10, 20)
    ]
    walked = [q.quote_id for q in client.quotes.iter(contact_id=contact.contact_id)]
    assert walked == [q.quote_id for q in client.quotes.list(contact_id=contact.contact_id)]
    assert sorted(walked, key=str) == sorted((q.quote_id for q in made), key=str)
    ranged = client.quotes.list(
        contact_id=contact.contact_id,
        date_from=datetime.date(2026, 3, 5),
        date_to=datetime.date(2026, 3, 15),
    )
    assert [q.quote_id for q in ranged] == [made[1].quote_id]
    expiring = client.quotes.list(
        contact_id=contact.contact_id, expiry_date_to=datetime.date(2026, 4, 10)
    )
    assert {q.quote_id for q in expiring} == {made[0].quote_id, made[1].quote_id}
    with pytest.raises(RequestValidationError, match="date_from"):
        client.quotes.list(date_from=datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC))


def test_purchase_orders_and_budgets_take_dates(client: XeroClient) -> None:
    tag = _tag()
    order = client.purchase_orders.create(
        models.PurchaseOrder(
            contact=models.Contact(name=f"Dated supplier {tag}"),
            date=datetime.date(2026, 5, 4),
            line_items=[_line("429")],
            reference=tag,
        )
    )
    found = client.purchase_orders.list(
        date_from=datetime.date(2026, 5, 4), date_to=datetime.date(2026, 5, 4)
    )
    assert order.purchase_order_id in {o.purchase_order_id for o in found}
    assert isinstance(client.budgets.list(date_from=datetime.date(2026, 1, 1), date_to=DAY), list)


def test_linked_transactions_iter_equals_list(client: XeroClient) -> None:
    assert [t.linked_transaction_id for t in client.linked_transactions.iter()] == [
        t.linked_transaction_id for t in client.linked_transactions.list()
    ]


# ------------------------------------------------------------------ contacts, payments, tax rates


def test_contact_update_and_cis_settings(client: XeroClient) -> None:
    made = client.contacts.create(models.Contact(name=f"Builder {_tag()}"))
    assert made.contact_id is not None
    updated = client.contacts.update(
        models.Contact(email_address="site@builder.example"), contact_id=made.contact_id
    )
    assert (updated.contact_id, updated.name, updated.email_address) == (
        made.contact_id,
        made.name,
        "site@builder.example",
    )
    setting = client.contacts.cis_settings(contact_id=made.contact_id)
    assert setting == models.CisSetting(cis_enabled=False)
    with pytest.raises(NotFoundError):
        client.contacts.cis_settings(contact_id=str(uuid.uuid4()))
    with pytest.raises(NotFoundError):
        client.contacts.update(models.Contact(name="Nobody"), contact_id=str(uuid.uuid4()))


def test_payments_save_creates_one_payment(client: XeroClient) -> None:
    sale = client.invoices.create(
        models.Invoice(
            type=models.InvoiceType.ACCREC,
            contact=models.Contact(name=f"Payer {_tag()}"),
            date=DAY,
            due_date=DAY,
            status=models.InvoiceStatus.AUTHORISED,
            line_items=[_line(amount="80.00")],
        )
    )
    payment = client.payments.save(
        models.Payment(
            invoice=models.Invoice(invoice_id=sale.invoice_id),
            account=models.Account(code="090"),
            date=DAY,
            amount=Decimal("30.00"),
        )
    )
    assert payment.payment_id and payment.amount == Decimal("30.00")
    assert sale.amount_due is not None
    after = client.invoices.get(invoice_id=str(sale.invoice_id)).amount_due
    assert after == sale.amount_due - Decimal("30.00")


def test_tax_rates_delete_by_name_or_tax_type(client: XeroClient) -> None:
    tag = _tag()
    first, second = (
        client.tax_rates.create(
            models.TaxRate(
                name=f"{label} {tag}",
                tax_components=[models.TaxComponent(name="L", rate=Decimal("2.5"))],
            )
        )
        for label in ("Levy", "Duty")
    )
    gone = client.tax_rates.delete(name=f"Levy {tag}")
    assert (gone.tax_type, gone.status) == (first.tax_type, models.TaxRateStatus.DELETED)
    assert second.tax_type is not None
    gone = client.tax_rates.delete(tax_type=second.tax_type)
    assert (gone.name, gone.status) == (f"Duty {tag}", models.TaxRateStatus.DELETED)
    with pytest.raises(ValidationError):
        client.tax_rates.delete(name=f"No such rate {tag}")
    with pytest.raises(RequestValidationError, match="exactly one"):
        client.tax_rates.delete(name="x", tax_type="TAX001")
