"""Deterministic API 2.0 documents for the benchmarks: invoices (XML and Xero's JSON) and contacts.

The XML comes from the generated 2.0 models and encoder; the JSON is the same invoices in the
shape Xero's Accounting API answers with ``Accept: application/json`` (PascalCase keys, the
envelope header beside the plural payload, dates as ``/Date(milliseconds+0000)/``, the
JSON-only ``DateString``/``DueDateString``), which is what ``xero-python`` deserialises.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from lxml import etree
from xero_customer_api.v2_0 import _codec
from xero_customer_api.v2_0 import models as m

NOW = datetime.datetime(2024, 3, 1, 9, 30, 0, 123000, tzinfo=datetime.UTC)
CENT = Decimal("0.01")
TAX_RATE = Decimal("0.15")


def _guid(i: int, kind: int) -> str:
    return f"{i:08x}-{kind:04x}-4000-8000-{i:012x}"


def line_item(i: int, k: int) -> m.LineItem:
    quantity = Decimal(k + 1)
    unit_amount = Decimal(100 + (i * 7 + k) % 900) + Decimal("0.50")
    line_amount = quantity * unit_amount
    return m.LineItem(
        line_item_id=_guid(i * 3 + k, 0x2222),
        description=f"Consulting, item {k} of invoice {i}",
        quantity=quantity,
        unit_amount=unit_amount,
        account_code="200",
        tax_type="OUTPUT2",
        tax_amount=(line_amount * TAX_RATE).quantize(CENT),
        line_amount=line_amount,
    )


def invoice(i: int) -> m.Invoice:
    lines = [line_item(i, k) for k in range(3)]
    sub_total = sum((li.line_amount or Decimal(0) for li in lines), Decimal(0))
    total_tax = sum((li.tax_amount or Decimal(0) for li in lines), Decimal(0))
    total = sub_total + total_tax
    return m.Invoice(
        type=m.InvoiceType.ACCREC,
        invoice_id=_guid(i, 0x1111),
        invoice_number=f"INV-{i:06d}",
        reference=f"PO {i}",
        contact=m.Contact(contact_id=_guid(i, 0), name=f"Customer {i} & Sons Limited"),
        date=datetime.date(2024, 2, 1) + datetime.timedelta(days=i % 28),
        due_date=datetime.date(2024, 3, 1) + datetime.timedelta(days=i % 28),
        status=m.InvoiceStatus.AUTHORISED,
        line_amount_types=m.LineAmountTypes.EXCLUSIVE,
        line_items=lines,
        sub_total=sub_total,
        total_tax=total_tax,
        total=total,
        updated_date_utc=NOW,
        currency_code="NZD",
        currency_rate=Decimal("1.000000"),
        amount_due=total,
        amount_paid=Decimal("0.00"),
        amount_credited=Decimal("0.00"),
        sent_to_contact=bool(i % 2),
        has_attachments=False,
        is_discounted=False,
        has_errors=False,
    )


def contact(i: int) -> m.Contact:
    return m.Contact(
        contact_id=_guid(i, 0),
        contact_number=f"CUST-{i:06d}",
        contact_status=m.ContactStatus.ACTIVE,
        name=f"Customer {i} & Sons Limited",
        email_address=f"accounts{i}@customer{i}.example.com",
        addresses=[
            m.Address(
                address_type=m.AddressType.POBOX,
                address_line1=f"PO Box {i}",
                city="Wellington",
                region="Wellington",
                postal_code="6011",
                country="New Zealand",
            ),
            m.Address(
                address_type=m.AddressType.STREET,
                address_line1=f"{i} Lambton Quay",
                address_line2="Level 3",
                city="Wellington",
                postal_code="6011",
                country="New Zealand",
            ),
        ],
        phones=[
            m.Phone(
                phone_type=m.PhoneType.DEFAULT,
                phone_number=f"{i % 10000000:07d}",
                phone_area_code="04",
                phone_country_code="64",
            ),
            m.Phone(
                phone_type=m.PhoneType.MOBILE,
                phone_number=f"21{i % 1000000:06d}",
                phone_country_code="64",
            ),
        ],
        is_customer=True,
        is_supplier=False,
        default_currency="NZD",
        updated_date_utc=NOW,
        has_attachments=False,
    )


def _header() -> dict[str, Any]:
    return {
        "id": "9d4a5f00-0000-4000-8000-000000000000",
        "status": "OK",
        "provider_name": "bench",
        "date_time_utc": NOW,
    }


def invoices_response(n: int) -> m.InvoicesResponse:
    return m.InvoicesResponse(**_header(), invoices=[invoice(i) for i in range(n)])


def contacts_response(start: int, stop: int) -> m.ContactsResponse:
    return m.ContactsResponse(**_header(), contacts=[contact(i) for i in range(start, stop)])


# The empty lists Xero's echoes carry on every entity; whether its GET answers do too is not
# known, so the bench also measures documents without them (``lean=True``, in both formats).
ENTITY_MESSAGES = ("ValidationErrors", "Warnings")


def invoices_xml(n: int, *, lean: bool = False) -> bytes:
    xml = _codec.encode_invoices_response(invoices_response(n))
    if not lean:
        return xml
    root = etree.fromstring(xml)
    for name in ENTITY_MESSAGES:
        for el in root.iter(name):
            if len(el) == 0:
                parent = el.getparent()
                assert parent is not None
                parent.remove(el)
    return etree.tostring(root)


def contacts_page(page: int, page_size: int, total: int) -> bytes:
    """Page ``page`` (from 1) of ``total`` contacts, ``page_size`` a page, as 2.0 XML."""
    start = min(total, (page - 1) * page_size)
    return _codec.encode_contacts_response(contacts_response(start, min(total, start + page_size)))


# ---------------------------------------------------------------------- Xero's JSON shape


def _ms_date(moment: datetime.date | datetime.datetime) -> str:
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime(moment.year, moment.month, moment.day, tzinfo=datetime.UTC)
    millis = (moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)) // datetime.timedelta(
        milliseconds=1
    )
    return f"/Date({millis}+0000)/"


def _date_string(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00"


def _num(value: Decimal | None) -> float | None:
    # JSON numbers; xero-python reads them back with parse_float=Decimal. Every amount here
    # has at most 6 significant decimals, so the float's repr is the exact decimal text.
    if value is None:
        return None
    number = float(value)
    assert Decimal(repr(number)) == value, value
    return number


def _value(x: object) -> object:
    return getattr(x, "value", x)


def _lean(obj: Any) -> Any:
    """``obj`` without the empty ENTITY_MESSAGES lists, at any depth."""
    if isinstance(obj, dict):
        return {k: _lean(v) for k, v in obj.items() if not (k in ENTITY_MESSAGES and v == [])}
    if isinstance(obj, list):
        return [_lean(v) for v in obj]
    return obj


def invoice_json(inv: m.Invoice) -> dict[str, Any]:
    assert inv.contact is not None and inv.date is not None and inv.due_date is not None
    assert inv.updated_date_utc is not None
    # The same empty lists as the XML (the SDK's encoder writes every list, as Xero's echoes
    # carry <ValidationErrors />, <Warnings /> and <Payments />), plus the JSON-only fields.
    return {
        "ValidationErrors": [],
        "Warnings": [],
        "Type": _value(inv.type),
        "InvoiceID": inv.invoice_id,
        "InvoiceNumber": inv.invoice_number,
        "Reference": inv.reference,
        "Payments": [],
        "CreditNotes": [],
        "Prepayments": [],
        "Overpayments": [],
        "AmountDue": _num(inv.amount_due),
        "AmountPaid": _num(inv.amount_paid),
        "AmountCredited": _num(inv.amount_credited),
        "SentToContact": inv.sent_to_contact,
        "CurrencyRate": _num(inv.currency_rate),
        "IsDiscounted": inv.is_discounted,
        "HasAttachments": inv.has_attachments,
        "HasErrors": inv.has_errors,
        "Attachments": [],
        "InvoiceAddresses": [],
        "Contact": {
            "ValidationErrors": [],
            "Warnings": [],
            "ContactID": inv.contact.contact_id,
            "Name": inv.contact.name,
            "Addresses": [],
            "Phones": [],
            "ContactGroups": [],
            "ContactPersons": [],
            "Attachments": [],
            "HasValidationErrors": False,
        },
        "DateString": _date_string(inv.date),
        "Date": _ms_date(inv.date),
        "DueDateString": _date_string(inv.due_date),
        "DueDate": _ms_date(inv.due_date),
        "Status": _value(inv.status),
        "LineAmountTypes": _value(inv.line_amount_types),
        "LineItems": [
            {
                "Description": li.description,
                "UnitAmount": _num(li.unit_amount),
                "TaxType": li.tax_type,
                "TaxAmount": _num(li.tax_amount),
                "LineAmount": _num(li.line_amount),
                "AccountCode": li.account_code,
                "Tracking": [],
                "Quantity": _num(li.quantity),
                "LineItemID": li.line_item_id,
                "ValidationErrors": [],
                "Warnings": [],
            }
            for li in inv.line_items
        ],
        "SubTotal": _num(inv.sub_total),
        "TotalTax": _num(inv.total_tax),
        "Total": _num(inv.total),
        "UpdatedDateUTC": _ms_date(inv.updated_date_utc),
        "CurrencyCode": inv.currency_code,
    }


def invoices_json(n: int, *, lean: bool = False) -> bytes:
    """The same ``n`` invoices as :func:`invoices_xml`, as Xero's JSON answer to a paged GET."""
    response = invoices_response(n)
    assert response.date_time_utc is not None
    document = {
        "Id": response.id,
        "Status": response.status,
        "ProviderName": response.provider_name,
        "DateTimeUTC": _ms_date(response.date_time_utc),
        "pagination": {"page": 1, "pageSize": n, "pageCount": 1, "itemCount": n},
        "Invoices": [invoice_json(inv) for inv in response.invoices],
    }
    if lean:
        document = _lean(document)
    return json.dumps(document, separators=(",", ":")).encode("utf-8")
