"""Every endpoint through the synchronous SDK against a real sandbox over HTTPS."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest
from xero_customer_api import (
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    RequestValidationError,
    XeroAPIError,
)
from xero_customer_api.v1_0 import XeroClient, models

ClientFactory = Callable[..., XeroClient]
InvoiceFactory = Callable[..., models.Invoice]
RawSender = Callable[[str, str, object], httpx.Response]
ErrorsOf = Callable[[httpx.Response], list[tuple[str, str]]]

pytestmark = pytest.mark.e2e

VALIDATION = "Xero.API.Library.Exceptions.ValidationException"


def whole_second_after(moment: datetime.datetime | None) -> datetime.datetime:
    """The next whole second after *moment*, once the clock has passed it.

    The SDK sends updatedAfter/modifiedSince with whole seconds, so a filter can only split
    objects saved in different seconds.
    """
    assert moment is not None
    cutoff = moment.replace(microsecond=0) + datetime.timedelta(seconds=1)
    while datetime.datetime.now(datetime.UTC) <= cutoff:
        time.sleep(0.05)
    return cutoff


def _contact(name: str, **fields: object) -> models.Contact:
    return models.Contact(name=name, **fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- settings


def test_accounts_list_is_the_seeded_chart(client: XeroClient) -> None:
    accounts = client.accounts.list()
    by_code = {a.code: a for a in accounts}
    assert len(accounts) >= 20
    assert by_code["200"].name == "Sales"
    assert by_code["200"].type is models.AccountType.REVENUE
    assert by_code["200"].tax_type is models.TaxType.OUTPUT
    assert by_code["400"].name == "Advertising"
    assert len(by_code) == len(accounts), "account codes are unique"


def test_tracking_list_has_two_categories_with_options(client: XeroClient) -> None:
    categories = {c.name: [o.name for o in c.options] for c in client.tracking.list()}
    assert set(categories) == {"Region", "Salesperson"}
    assert "North" in categories["Region"] and "South" in categories["Region"]
    assert len(categories["Salesperson"]) >= 2


# ---------------------------------------------------------------------------- contacts


def test_create_then_get_by_id_and_number(client: XeroClient, unique: str) -> None:
    sent = _contact(
        f"Harbour Cafe {unique}",
        contact_number=f"C-{unique}",
        email_address=f"hello-{unique}@harbourcafe.example",
        addresses=[
            models.Address(
                address_type=models.AddressType.POBOX,
                address_line1="PO Box 12",
                city="Nelson",
                postal_code="7040",
            )
        ],
        phones=[
            models.Phone(
                phone_type=models.PhoneType.MOBILE, phone_number="5550101", phone_area_code="021"
            )
        ],
    )
    saved = client.contacts.create(sent)
    assert saved.contact_id is not None
    assert saved.contact_id == saved.contact_id.lower()
    assert uuid.UUID(saved.contact_id)
    assert saved.contact_status is models.ContactStatus.ACTIVE
    assert saved.updated_date_utc is not None and saved.updated_date_utc.tzinfo is not None
    assert saved.addresses[0].postal_code == "7040"
    assert saved.phones[0].phone_area_code == "021"

    by_id = client.contacts.get(contact_id=saved.contact_id)
    by_number = client.contacts.get(contact_number=f"C-{unique}")
    assert by_id == saved
    assert by_number == saved


def test_create_with_a_name_in_use_is_a_validation_error(client: XeroClient, unique: str) -> None:
    client.contacts.create(_contact(f"Twin {unique}"))
    with pytest.raises(XeroAPIError) as caught:
        client.contacts.create(_contact(f"twin {unique}"))
    assert caught.value.exception_types == (VALIDATION,)
    assert caught.value.status == "InternalServerError"
    assert "already exists" in caught.value.errors[0].description


def test_save_upserts_by_name_then_number_then_id(client: XeroClient, unique: str) -> None:
    phone = models.Phone(phone_type=models.PhoneType.DDI, phone_number="5551234")
    first = client.contacts.save(
        _contact(f"Upsert {unique}", email_address="a@example.com", phones=[phone])
    )
    assert first.contact_id is not None

    by_name = client.contacts.save(
        _contact(f"Upsert {unique}", email_address="b@example.com", contact_number=f"U-{unique}")
    )
    assert by_name.contact_id == first.contact_id
    assert by_name.email_address == "b@example.com"

    by_number = client.contacts.save(_contact(f"Renamed {unique}", contact_number=f"U-{unique}"))
    assert by_number.contact_id == first.contact_id
    assert by_number.name == f"Renamed {unique}"
    assert by_number.email_address == "b@example.com", "absent elements keep their stored value"
    assert [p.phone_number for p in by_number.phones] == ["5551234"], (
        "an empty <Phones/> keeps the stored phones"
    )

    by_id = client.contacts.save(_contact(f"Final {unique}", contact_id=first.contact_id))
    assert by_id.contact_id == first.contact_id
    assert by_id.contact_number == f"U-{unique}"

    names = [c.name for c in client.contacts.list() if c.contact_id == first.contact_id]
    assert names == [f"Final {unique}"]


def test_save_with_an_unknown_contact_id_is_not_found(client: XeroClient, unique: str) -> None:
    with pytest.raises(NotFoundError):
        client.contacts.save(_contact(f"Ghost {unique}", contact_id=str(uuid.uuid4())))


def test_save_many_upserts_a_batch(client: XeroClient, unique: str) -> None:
    existing = client.contacts.create(_contact(f"Batch A {unique}"))
    saved = client.contacts.save_many(
        [
            _contact(f"Batch A {unique}", email_address="a@batch.example"),
            _contact(f"Batch B {unique}"),
        ]
    )
    assert [c.name for c in saved] == [f"Batch A {unique}", f"Batch B {unique}"]
    assert saved[0].contact_id == existing.contact_id
    assert saved[0].email_address == "a@batch.example"
    assert saved[1].contact_id not in (None, existing.contact_id)


def test_save_many_is_all_or_nothing(client: XeroClient, unique: str) -> None:
    taken = client.contacts.create(_contact(f"Taken {unique}"))
    other = client.contacts.create(_contact(f"Other {unique}"))
    with pytest.raises(XeroAPIError) as caught:
        client.contacts.save_many(
            [_contact(f"Fresh {unique}"), _contact(f"Taken {unique}", contact_id=other.contact_id)]
        )
    assert VALIDATION in caught.value.exception_types
    names = {c.name for c in client.contacts.list()}
    assert f"Fresh {unique}" not in names
    assert taken.name in names and other.name in names


def test_list_filters_by_type_and_sorts(
    client: XeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    customer = client.contacts.create(
        _contact(f"Cust {unique}", email_address=f"zz-{unique}@example.com")
    )
    supplier = client.contacts.create(
        _contact(f"Supp {unique}", email_address=f"aa-{unique}@example.com")
    )
    client.invoices.create(new_invoice(f"S-{unique}", customer))
    client.invoices.create(
        new_invoice(f"B-{unique}", supplier, invoice_type=models.InvoiceType.ACCPAY)
    )

    customers = {c.contact_id for c in client.contacts.list(type="customers")}
    suppliers = {c.contact_id for c in client.contacts.list(type="suppliers")}
    everyone = {c.contact_id for c in client.contacts.list(type="all")}
    assert customer.contact_id in customers and customer.contact_id not in suppliers
    assert supplier.contact_id in suppliers and supplier.contact_id not in customers
    assert {customer.contact_id, supplier.contact_id} <= everyone

    asc = [c.name.casefold() for c in client.contacts.list(sort_by="name", direction="asc")]
    desc = [c.name.casefold() for c in client.contacts.list(sort_by="name", direction="desc")]
    assert asc == sorted(asc) and desc == sorted(desc, reverse=True) and len(asc) == len(desc)
    emails = [
        (c.email_address or "").casefold() for c in client.contacts.list(sort_by="emailaddress")
    ]
    assert emails == sorted(emails)
    ours = [c.contact_id for c in client.contacts.list(sort_by="emailaddress", direction="desc")]
    assert ours.index(customer.contact_id) < ours.index(supplier.contact_id)


def test_list_updated_after(client: XeroClient, unique: str) -> None:
    before = client.contacts.create(_contact(f"Before {unique}"))
    cutoff = whole_second_after(before.updated_date_utc)
    after = client.contacts.create(_contact(f"After {unique}"))
    listed = {c.contact_id for c in client.contacts.list(updated_after=cutoff)}
    assert after.contact_id in listed
    assert before.contact_id not in listed
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    assert client.contacts.list(updated_after=future) == []


def test_get_contact_not_found(client: XeroClient, unique: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.contacts.get(contact_id=str(uuid.uuid4()))
    assert caught.value.exception_types == (
        "Xero.API.Library.Exceptions.ObjectDoesNotExistException",
    )
    with pytest.raises(NotFoundError):
        client.contacts.get(contact_number=f"missing-{unique}")


# ---------------------------------------------------------------------------- invoices


def test_create_invoice_with_lines_and_tracking(
    client: XeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    sent = new_invoice(
        f"INV-{unique}",
        f"Invoice Co {unique}",
        tracking=[("Region", "North"), ("Salesperson", "Mei Chen")],
    )
    saved = client.invoices.create(sent)
    assert saved.invoice_id is not None and saved.invoice_id == saved.invoice_id.lower()
    assert saved.invoice_status is models.InvoiceStatus.DRAFT
    assert saved.sub_total == Decimal("25.50") and saved.total_tax == Decimal("3.19")
    assert saved.total == Decimal("28.69") == saved.amount_due
    assert saved.amount_paid == Decimal(0)
    assert saved.invoice_date == datetime.date(2024, 3, 15) and saved.due_date == datetime.date(
        2024, 4, 20
    )
    assert saved.contact.contact_id is not None, "a new contact was created for the invoice"
    assert len(saved.line_items) == 2
    assert all(li.line_item_id for li in saved.line_items)
    assert [(t.name, t.option) for t in saved.line_items[0].tracking] == [
        ("Region", "North"),
        ("Salesperson", "Mei Chen"),
    ]
    assert saved.line_items[0].tax_type is models.TaxType.OUTPUT, "the account's default tax type"

    by_id = client.invoices.get(invoice_id=saved.invoice_id)
    by_number = client.invoices.get(invoice_number=f"INV-{unique}")
    assert by_id == saved == by_number
    assert client.contacts.get(contact_id=saved.contact.contact_id).name == f"Invoice Co {unique}"


def test_invoice_contact_is_matched_not_duplicated(
    client: XeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    contact = client.contacts.create(_contact(f"Matched {unique}", contact_number=f"M-{unique}"))
    by_name = client.invoices.create(new_invoice(f"MN-{unique}", f"Matched {unique}"))
    by_number = client.invoices.create(
        new_invoice(f"MU-{unique}", _contact(f"Other name {unique}", contact_number=f"M-{unique}"))
    )
    assert by_name.contact.contact_id == contact.contact_id == by_number.contact.contact_id
    assert sum(1 for c in client.contacts.list() if c.contact_id == contact.contact_id) == 1


def test_list_invoices_modified_since(
    client: XeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    first = client.invoices.create(new_invoice(f"MS1-{unique}", f"Since {unique}"))
    cutoff = whole_second_after(first.updated_date_utc)
    second = client.invoices.create(new_invoice(f"MS2-{unique}", f"Since {unique}"))
    numbers = {i.invoice_number for i in client.invoices.list(modified_since=cutoff)}
    assert second.invoice_number in numbers and first.invoice_number not in numbers
    everything = {i.invoice_number for i in client.invoices.list()}
    assert {first.invoice_number, second.invoice_number} <= everything


def test_create_many_invoices(client: XeroClient, new_invoice: InvoiceFactory, unique: str) -> None:
    saved = client.invoices.create_many(
        [
            new_invoice(f"CM1-{unique}", f"Many {unique}"),
            new_invoice(f"CM2-{unique}", f"Many {unique}"),
        ]
    )
    assert [i.invoice_number for i in saved] == [f"CM1-{unique}", f"CM2-{unique}"]
    assert saved[0].contact.contact_id == saved[1].contact.contact_id, (
        "the second invoice matched the contact the first created"
    )
    assert client.invoices.get(invoice_number=f"CM2-{unique}").invoice_id == saved[1].invoice_id


def test_create_many_is_all_or_nothing(
    client: XeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    client.invoices.create(new_invoice(f"CB0-{unique}", f"Bad batch {unique}"))
    with pytest.raises(XeroAPIError) as caught:
        client.invoices.create_many(
            [
                new_invoice(f"CB1-{unique}", f"Bad batch {unique}"),
                new_invoice(f"CB0-{unique}", f"Bad batch {unique}"),
            ]
        )
    assert caught.value.exception_types == (VALIDATION,)
    assert f"CB0-{unique}" in caught.value.errors[0].description
    with pytest.raises(NotFoundError):
        client.invoices.get(invoice_number=f"CB1-{unique}")


def test_duplicate_invoice_number_is_rejected(
    client: XeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    client.invoices.create(new_invoice(f"DUP-{unique}", f"Dup {unique}"))
    with pytest.raises(XeroAPIError) as caught:
        client.invoices.create(new_invoice(f"DUP-{unique}", f"Dup {unique}"))
    assert caught.value.exception_types == (VALIDATION,)
    assert "already exists" in caught.value.errors[0].description


TOTALS_CASES = [
    ("sub_total", Decimal("99.00"), "SubTotal"),
    ("total_tax", Decimal("0.01"), "TotalTax"),
    ("total", Decimal("28.70"), "Total"),
    ("line_amount", Decimal("21.00"), "LineAmount"),
]


def _break_totals(invoice: models.Invoice, field: str, value: Decimal) -> models.Invoice:
    if field == "line_amount":
        invoice.line_items[0].line_amount = value
        invoice.sub_total = sum((li.line_amount for li in invoice.line_items), Decimal(0))
        invoice.total = (invoice.sub_total or Decimal(0)) + (invoice.total_tax or Decimal(0))
    else:
        setattr(invoice, field, value)
    return invoice


@pytest.mark.parametrize(("field", "value", "fragment"), TOTALS_CASES)
def test_totals_that_do_not_add_up_are_refused_by_the_server(
    client: XeroClient,
    new_invoice: InvoiceFactory,
    send_raw: RawSender,
    errors_of: ErrorsOf,
    unique: str,
    field: str,
    value: Decimal,
    fragment: str,
) -> None:
    number = f"TOT-{field}-{unique}"
    invoice = _break_totals(new_invoice(number, f"Totals {unique}"), field, value)
    response = send_raw("PUT", "invoice", invoice)
    assert response.status_code == 500
    errors = errors_of(response)
    assert errors and all(kind == VALIDATION for kind, _ in errors)
    assert any(fragment in description for _, description in errors)
    batch = send_raw(
        "PUT",
        "invoices",
        models.Invoices(invoice=[new_invoice(f"{number}-ok", f"Totals {unique}"), invoice]),
    )
    assert batch.status_code == 500 and any(number in d for _, d in errors_of(batch))
    for missing in (number, f"{number}-ok"):
        with pytest.raises(NotFoundError):
            client.invoices.get(invoice_number=missing)


@pytest.mark.parametrize(("field", "value", "fragment"), TOTALS_CASES)
def test_the_sdk_refuses_bad_totals_before_sending(
    client: XeroClient,
    new_invoice: InvoiceFactory,
    stats: Callable[[], dict[str, int]],
    unique: str,
    field: str,
    value: Decimal,
    fragment: str,
) -> None:
    invoice = _break_totals(new_invoice(f"PRE-{field}-{unique}", f"Totals {unique}"), field, value)
    before = stats().get("PUT invoice", 0)
    with pytest.raises(RequestValidationError) as caught:
        client.invoices.create(invoice)
    assert fragment in str(caught.value)
    assert stats().get("PUT invoice", 0) == before, "nothing was sent"


def test_totals_may_be_left_out_and_quantity_defaults_to_one(
    client: XeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    invoice = new_invoice(
        f"NOTOT-{unique}",
        f"No totals {unique}",
        lines=[("1", "12.34", "1.54", "200")],
        with_totals=False,
    )
    invoice.line_items[0].quantity = None
    saved = client.invoices.create(invoice)
    assert saved.sub_total == Decimal("12.34") and saved.total == Decimal("13.88")
    assert saved.line_items[0].quantity == Decimal(1)


@pytest.mark.parametrize(
    ("account", "tracking", "fragment"),
    [
        ("999", [], "account code"),
        ("200", [("Region", "Atlantis")], "Atlantis"),
        ("200", [("Colour", "Blue")], "Colour"),
    ],
)
def test_unknown_account_or_tracking_is_rejected(
    client: XeroClient,
    new_invoice: InvoiceFactory,
    unique: str,
    account: str,
    tracking: list[tuple[str, str]],
    fragment: str,
) -> None:
    invoice = new_invoice(
        f"REF-{unique}",
        f"Refs {unique}",
        lines=[("1", "10.00", "0.00", account)],
        tracking=tracking,
    )
    with pytest.raises(XeroAPIError) as caught:
        client.invoices.create(invoice)
    assert caught.value.exception_types == (VALIDATION,)
    assert fragment in caught.value.errors[0].description


def test_get_invoice_not_found(client: XeroClient, unique: str) -> None:
    with pytest.raises(NotFoundError):
        client.invoices.get(invoice_id=str(uuid.uuid4()))
    with pytest.raises(NotFoundError) as caught:
        client.invoices.get(invoice_number=f"NOPE-{unique}")
    assert f"NOPE-{unique}" in caught.value.errors[0].description


# ---------------------------------------------------------------------------- keys


def test_bad_partner_key(make_client: ClientFactory) -> None:
    client = make_client(api_key="A" * 30)
    with pytest.raises(InvalidPartnerKeyError) as caught:
        client.accounts.list()
    assert caught.value.status_code == 302


def test_bad_customer_key(make_client: ClientFactory) -> None:
    client = make_client(customer_key="B" * 30)
    with pytest.raises(InvalidCustomerKeyError) as caught:
        client.tracking.list()
    assert caught.value.exception_types == (
        "Xero.API.Library.Exceptions.AuthKeyNotValidForProviderException",
    )
    assert "B" * 30 not in str(caught.value)
