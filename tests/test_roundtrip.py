"""Round trips through the generated models, validated against the XSDs (xsdata-samples style)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from xero_customer_api._runtime._xml import bind, parse_document, serialize
from xero_customer_api.v1_0 import models

from .conftest import FIXTURES, fixture_files, schema

ROOT_CLASSES: dict[str, type] = {
    "contact_request": models.Contact,
    "contacts_request": models.Contacts,
    "invoice_request": models.Invoice,
    "invoices_request": models.Invoices,
    "contact_response": models.ContactResponse,
    "contacts_response": models.ContactsResponse,
    "invoice_response": models.InvoiceResponse,
    "invoices_response": models.InvoicesResponse,
    "accounts_response": models.AccountsResponse,
    "tracking_response": models.TrackingResponse,
}


def _load(path: Path) -> object:
    return bind(parse_document(path.read_bytes()), ROOT_CLASSES[path.parent.name], strict=True)


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_parse_serialise_parse_is_identity(path: Path) -> None:
    first = _load(path)
    written = serialize(first)
    again = bind(parse_document(written), ROOT_CLASSES[path.parent.name], strict=True)
    assert again == first


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_serialised_document_is_valid_and_in_xero_order(path: Path) -> None:
    kind, stem = path.parent.parent.name, path.parent.name
    written = serialize(_load(path))
    assert not written.startswith(b"<?xml"), "request bodies carry no XML declaration"
    validator = schema(kind, stem)
    assert validator.validate(etree.fromstring(written)), validator.error_log


def test_values_keep_xero_meaning() -> None:
    response = _load(FIXTURES / "responses/invoice_response/with_lines_and_payment.xml")
    assert isinstance(response, models.InvoiceResponse)
    invoice = response.invoice
    assert invoice is not None
    assert invoice.invoice_date == datetime.date(2026, 3, 2)
    assert type(invoice.invoice_date) is datetime.date
    assert invoice.total == Decimal("264.5000") and isinstance(invoice.total, Decimal)
    assert invoice.line_items[0].tracking[0] == models.LineItemTracking(
        name="Region", option="North"
    )
    assert invoice.payments[0].date == datetime.date(2026, 3, 10)
    assert invoice.updated_date_utc == datetime.datetime(
        2026, 3, 10, 1, 2, 3, 456789, tzinfo=datetime.UTC
    )
    assert response.date_time_utc.tzinfo is not None
    assert invoice.invoice_type is models.InvoiceType.ACCREC


def test_padded_phones_and_empty_lists() -> None:
    response = _load(FIXTURES / "responses/contact_response/padded_phones.xml")
    assert isinstance(response, models.ContactResponse) and response.contact is not None
    assert [p.phone_type for p in response.contact.phones] == [
        models.PhoneType.DEFAULT,
        models.PhoneType.DDI,
        models.PhoneType.MOBILE,
        models.PhoneType.FAX,
    ]
    assert response.contact.phones[1].phone_number == ""
    listing = _load(FIXTURES / "responses/invoices_response/empty_line_items.xml")
    assert isinstance(listing, models.InvoicesResponse)
    assert listing.invoices[0].line_items == []
    assert len(listing.invoices[1].line_items) == 2


def test_error_envelope_parses_with_errors_first() -> None:
    response = _load(FIXTURES / "responses/contact_response/error_not_found.xml")
    assert isinstance(response, models.ContactResponse)
    assert response.status == "InternalServerError" and response.contact is None
    assert response.errors[0].exception is not None
    assert (
        response.errors[0].exception.exception_type
        == "Xero.API.Library.Exceptions.ObjectDoesNotExistException"
    )


def test_dates_are_written_the_way_xero_writes_them() -> None:
    invoice = models.Invoice(
        invoice_type=models.InvoiceType.ACCREC,
        contact=models.Contact(name="Tui Bakery"),
        invoice_date=datetime.date(2026, 1, 5),
        invoice_number="INV-1",
        line_items=[
            models.LineItem(
                description="Bread", unit_amount=Decimal("4.50"), line_amount=Decimal("4.50")
            )
        ],
    )
    text = serialize(invoice).decode()
    assert "<InvoiceDate>2026-01-05T00:00:00</InvoiceDate>" in text
    assert text.index("<InvoiceType>") < text.index("<Contact>") < text.index("<InvoiceDate>")
    assert "<UnitAmount>4.50</UnitAmount>" in text
