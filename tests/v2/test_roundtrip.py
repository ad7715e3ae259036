"""API 2.0 documents through the generated codec: order-free reading, one write order, values
that keep Xero's meaning, and request bodies that never carry read-only elements."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from xero_customer_api._runtime._xml import bind
from xero_customer_api.v2_0 import _codec, models

from .conftest import FIXTURES, SCHEMAS, canonical, fixture_files, parse, schema

_XS = "{http://www.w3.org/2001/XMLSchema}"


def _roots(xsd: Path) -> dict[str, tuple[str, str | None]]:
    """Root element -> (type of the root, or of one item of a batch root; item element)."""
    found: dict[str, tuple[str, str | None]] = {}
    for root in etree.parse(str(xsd)).getroot().iterfind(f"{_XS}element"):
        item = root.find(f"{_XS}complexType/{_XS}sequence/{_XS}element")
        if root.get("type"):
            found[root.get("name", "")] = (root.get("type", ""), None)
        elif item is not None and item.get("type"):
            found[root.get("name", "")] = (item.get("type", ""), item.get("name"))
    return found


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# Response schema stem -> the model of its root, and request root element -> (model decoder
# of one item, request encoder, batch item element): read from every XSD, so that fixtures of
# new resources are covered without editing a table here.
RESPONSES: dict[str, type[Any]] = {
    xsd.stem: getattr(models, type_)
    for xsd in sorted((SCHEMAS / "responses").glob("*.xsd"))
    for type_, _ in _roots(xsd).values()
}
REQUESTS: dict[str, tuple[Any, Any, str | None]] = {
    root: (
        _codec.DECODERS[getattr(models, type_)],
        getattr(_codec, f"encode_request_{_snake(root)}"),
        item,
    )
    for xsd in sorted((SCHEMAS / "requests").glob("*_request.xsd"))
    for root, (type_, item) in _roots(xsd).items()
}


def _decode(path: Path) -> Any:
    return _codec.DECODERS[RESPONSES[path.parent.name]](parse(path), True)


@pytest.mark.parametrize(
    "path", fixture_files("responses"), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_generated_decoder_agrees_with_xsdata(path: Path) -> None:
    assert _decode(path) == bind(parse(path), RESPONSES[path.parent.name], strict=True)


@pytest.mark.parametrize(
    "path", fixture_files("responses"), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_read_order_does_not_matter(path: Path) -> None:
    root = parse(path)
    for element in root.iter():
        if len({child.tag for child in element}) == len(element):  # not a list
            element[:] = list(reversed(element))
    assert _codec.DECODERS[RESPONSES[path.parent.name]](root, True) == _decode(path)


@pytest.mark.parametrize(
    "path", fixture_files("responses"), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_answer_encode_decode_is_identity_and_valid(path: Path) -> None:
    first = _decode(path)
    written = _codec.ENCODERS[type(first)](first)
    again = _codec.DECODERS[type(first)](etree.fromstring(written), True)
    assert again == first
    validator = schema("responses", path.parent.name)
    assert validator.validate(etree.fromstring(written)), validator.error_log


@pytest.mark.parametrize(
    "path", fixture_files("requests"), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_request_fixture_is_what_the_sdk_writes(path: Path) -> None:
    root = parse(path)
    decode, encode, item = REQUESTS[root.tag]
    value = [decode(child, True) for child in root] if item else decode(root, True)
    written = encode(value)
    assert not written.startswith(b"<?xml")
    assert canonical(etree.fromstring(written)) == canonical(root)
    validator = schema("requests", path.parent.name)
    assert validator.validate(etree.fromstring(written)), validator.error_log


def _everything_set_invoice() -> models.Invoice:
    """An invoice as read back from Xero: read-only elements set everywhere."""
    path = FIXTURES / "responses/invoices_response/one_with_lines.xml"
    invoice = _decode(path).invoices[0]
    assert isinstance(invoice, models.Invoice)
    invoice.validation_status = models.EntityValidationStatus.WARNING
    invoice.warnings = [models.EntityWarning(message="w")]
    invoice.validation_errors = [models.EntityValidationError(message="e")]
    invoice.is_discounted = True
    invoice.has_errors = False
    assert invoice.contact is not None
    invoice.contact.has_validation_errors = False
    invoice.contact.updated_date_utc = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    invoice.contact.is_customer = True
    return invoice


READ_ONLY = {
    "UpdatedDateUTC",
    "HasAccount",
    "HasValidationErrors",
    "IsDiscounted",
    "HasErrors",
    "HasAttachments",
    "IsSupplier",
    "IsCustomer",
    "SubTotal",
    "TotalTax",
    "Total",
    "AmountDue",
    "AmountPaid",
    "AmountCredited",
    "Payments",
    "ValidationErrors",
    "Warnings",
}


def test_request_bodies_never_carry_read_only_elements() -> None:
    invoice = _everything_set_invoice()
    full = etree.fromstring(_codec.encode_invoice(invoice))  # the answer form keeps them
    assert READ_ONLY & {el.tag for el in full.iter()}
    body = etree.fromstring(_codec.encode_request_invoice(invoice))
    assert READ_ONLY.isdisjoint(el.tag for el in body.iter())
    assert all("status" not in el.attrib for el in body.iter())
    validator = schema("requests", "invoices_request")
    assert validator.validate(body), validator.error_log
    payment = _decode(FIXTURES / "responses/payments_response/page.xml").payments[0]
    body = etree.fromstring(_codec.encode_request_payment(payment))
    assert READ_ONLY.isdisjoint(el.tag for el in body.iter())
    assert "PaymentType" not in {el.tag for el in body.iter()}


def test_write_order_is_fixed_whatever_the_read_order() -> None:
    invoice = _decode(FIXTURES / "responses/invoices_response/one_with_lines.xml").invoices[0]
    body = etree.fromstring(_codec.encode_request_invoice(invoice))
    assert [child.tag for child in body] == [
        "Type",
        "Contact",
        "Date",
        "DueDate",
        "Status",
        "LineAmountTypes",
        "LineItems",
        "CurrencyCode",
        "CurrencyRate",
        "InvoiceID",
        "InvoiceNumber",
        "Reference",
        "SentToContact",
    ]
    assert [c.tag for c in body.find("LineItems/LineItem")] == [
        "LineItemID",
        "ItemCode",
        "Description",
        "Quantity",
        "UnitAmount",
        "AccountCode",
        "TaxType",
        "TaxAmount",
        "LineAmount",
        "Tracking",
        "AccountID",
    ]  # Item is read-only (send ItemCode)


def test_empty_lists_are_not_written_on_requests() -> None:
    body = etree.fromstring(_codec.encode_request_contact(models.Contact(name="Tui Bakery")))
    assert [child.tag for child in body] == ["Name"]


def test_values_keep_xero_meaning() -> None:
    response = _decode(FIXTURES / "responses/invoices_response/one_with_lines.xml")
    assert response.date_time_utc == datetime.datetime(
        2026, 7, 1, 5, 2, 11, 441002, tzinfo=datetime.UTC
    )
    invoice = response.invoices[0]
    assert type(invoice.date) is datetime.date and invoice.date == datetime.date(2026, 7, 1)
    assert invoice.updated_date_utc == datetime.datetime(
        2026, 7, 1, 5, 2, 10, 287000, tzinfo=datetime.UTC
    )  # no Z on the wire, UTC all the same
    assert invoice.total == Decimal("276.00") and isinstance(invoice.total, Decimal)
    assert (
        invoice.type is models.InvoiceType.ACCREC
        and invoice.status is models.InvoiceStatus.AUTHORISED
    )
    assert invoice.line_amount_types is models.LineAmountTypes.EXCLUSIVE
    line = invoice.line_items[0]
    assert line.quantity == Decimal("2.0000") and line.tax_type == "OUTPUT2"
    assert line.tracking == [
        models.LineItemTracking(
            tracking_category_id="e2f2f732-e92a-4f3a-9c4d-ee4da0182a13",
            tracking_option_id="ea7f7b6a-0d22-4d5c-9317-54542a10215e",
            name="Region",
            option="North",
        )
    ]
    assert invoice.payments[0].date == datetime.date(2026, 7, 5)
    assert _codec.decode_invoice(
        etree.fromstring(b"<Invoice><Date>2026-07-01</Date></Invoice>")
    ).date == (datetime.date(2026, 7, 1))


def test_natural_field_names() -> None:
    account = models.Account(type=models.AccountType.REVENUE, class_=models.AccountClass.REVENUE)
    assert account.type is models.AccountType.REVENUE
    payment = models.Payment(date=datetime.date(2026, 7, 5), status=models.PaymentStatus.DELETED)
    assert payment.date == datetime.date(2026, 7, 5)
    fields = {
        f
        for cls in vars(models).values()
        if isinstance(cls, type) and hasattr(cls, "__dataclass_fields__")
        for f in cls.__dataclass_fields__
    }
    assert {"type", "date", "status", "id", "validation_status"} <= fields
    assert not [f for f in fields if f.endswith("_value")]


def test_nil_unknown_enum_and_open_strings() -> None:
    batch = _decode(FIXTURES / "responses/contacts_response/batch_mixed_statuses.xml")
    ok, warning, error = batch.contacts
    assert [c.validation_status for c in batch.contacts] == [
        models.EntityValidationStatus.OK,
        models.EntityValidationStatus.WARNING,
        models.EntityValidationStatus.ERROR,
    ]
    assert error.updated_date_utc is None  # xsi:nil
    assert (error.validation_errors[0].message or "").startswith("The contact name")
    assert [w.message for w in warning.warnings] == ["The email address looks unusual."]
    assert ok.validation_errors == [] and ok.warnings == []
    chart = _decode(FIXTURES / "responses/accounts_response/chart.xml").accounts
    assert chart[3].type is models.AccountType.WAGESPAYABLELIABILITY
    assert chart[3].tax_type == "BASEXCLUDED"  # an open string
    unknown = _codec.decode_account(etree.fromstring(b"<Account><Type>NEWTYPE</Type></Account>"))
    assert unknown.type == "NEWTYPE"  # unknown enum values stay text


def test_api_exception_elements_are_typed_by_xsi_type() -> None:
    error = _decode(FIXTURES / "responses/api_exception/validation_invoice_echo.xml")
    assert (error.error_number, error.type) == (10, "ValidationException")
    invoice, contact = error.elements
    assert isinstance(invoice, models.Invoice) and isinstance(contact, models.Contact)
    assert invoice.invoice_id == "00000000-0000-0000-0000-000000000000"
    assert invoice.updated_date_utc is None
    assert [e.message for e in invoice.line_items[0].validation_errors] == [
        "Account code '999' is not a valid code for this document."
    ]
    plain = _codec.decode_api_exception(
        etree.fromstring(b"<ApiException><Elements><DataContractBase/></Elements></ApiException>")
    )
    assert type(plain.elements[0]) is models.DataContractBase


def test_utf16_declared_body_reads_as_utf8() -> None:
    error = _decode(FIXTURES / "responses/api_exception/utf16_declared.xml")
    payment = error.elements[0]
    assert isinstance(payment, models.Payment)
    assert "Māori" in (payment.validation_errors[0].message or "")
