"""Deterministic API 2.0 documents for the benchmarks: invoices (XML and Xero's JSON), bank
transactions, credit notes and manual journals (3 lines each) and contacts.

Every document is built from the generated models (never from Xero's examples) and written by
the generated encoder.

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


def bank_transaction(i: int) -> m.BankTransaction:
    """Money received into (even ``i``) or spent from (odd) a bank account, 3 lines."""
    lines = [line_item(i, k) for k in range(3)]
    sub_total = sum((li.line_amount or Decimal(0) for li in lines), Decimal(0))
    total_tax = sum((li.tax_amount or Decimal(0) for li in lines), Decimal(0))
    return m.BankTransaction(
        type=m.BankTransactionType.RECEIVE if i % 2 == 0 else m.BankTransactionType.SPEND,
        contact=m.Contact(contact_id=_guid(i, 0), name=f"Customer {i} & Sons Limited"),
        line_items=lines,
        bank_account=m.Account(account_id=_guid(i % 4, 0x3333), code="090", name="Business Bank"),
        is_reconciled=bool(i % 3 == 0),
        date=datetime.date(2024, 2, 1) + datetime.timedelta(days=i % 28),
        reference=f"Deposit {i}",
        currency_code="NZD",
        currency_rate=Decimal("1.000000"),
        status=m.BankTransactionStatus.AUTHORISED,
        line_amount_types=m.LineAmountTypes.EXCLUSIVE,
        sub_total=sub_total,
        total_tax=total_tax,
        total=sub_total + total_tax,
        bank_transaction_id=_guid(i, 0x4444),
        updated_date_utc=NOW,
        has_attachments=False,
    )


def credit_note(i: int) -> m.CreditNote:
    """A customer credit note of 3 lines, part of it still to allocate."""
    lines = [line_item(i, k) for k in range(3)]
    sub_total = sum((li.line_amount or Decimal(0) for li in lines), Decimal(0))
    total_tax = sum((li.tax_amount or Decimal(0) for li in lines), Decimal(0))
    total = sub_total + total_tax
    return m.CreditNote(
        type=m.CreditNoteType.ACCRECCREDIT,
        contact=m.Contact(contact_id=_guid(i, 0), name=f"Customer {i} & Sons Limited"),
        date=datetime.date(2024, 2, 1) + datetime.timedelta(days=i % 28),
        due_date=datetime.date(2024, 3, 1) + datetime.timedelta(days=i % 28),
        status=m.CreditNoteStatus.AUTHORISED,
        line_amount_types=m.LineAmountTypes.EXCLUSIVE,
        line_items=lines,
        sub_total=sub_total,
        total_tax=total_tax,
        total=total,
        updated_date_utc=NOW,
        currency_code="NZD",
        currency_rate=Decimal("1.000000"),
        credit_note_id=_guid(i, 0x5555),
        credit_note_number=f"CN-{i:06d}",
        reference=f"Return {i}",
        sent_to_contact=bool(i % 2),
        remaining_credit=total,
        has_attachments=False,
        has_errors=False,
    )


def manual_journal_line(i: int, k: int) -> m.ManualJournalLine:
    # Two debits and the credit that balances them.
    amount = Decimal(100 + (i * 7 + k) % 900) + Decimal("0.50")
    if k == 2:
        amount = -(
            Decimal(100 + (i * 7) % 900) + Decimal(100 + (i * 7 + 1) % 900) + Decimal("1.00")
        )
    return m.ManualJournalLine(
        description=f"Accrual {k} of journal {i}",
        tax_type="NONE",
        tax_amount=Decimal("0.00"),
        line_amount=amount,
        account_code="200" if k == 2 else "400",
        account_id=_guid(k, 0x6666),
        is_blank=False,
    )


def manual_journal(i: int) -> m.ManualJournal:
    """A posted journal of 3 lines (two debits, one credit)."""
    return m.ManualJournal(
        narration=f"Month-end accrual {i}",
        journal_lines=[manual_journal_line(i, k) for k in range(3)],
        date=datetime.date(2024, 2, 1) + datetime.timedelta(days=i % 28),
        line_amount_types=m.LineAmountTypes.NO_TAX,
        status=m.ManualJournalStatus.POSTED,
        show_on_cash_basis_reports=True,
        has_attachments=False,
        updated_date_utc=NOW,
        manual_journal_id=_guid(i, 0x7777),
    )


def item(i: int) -> m.Item:
    """A product sold and bought at fixed prices (not tracked as inventory)."""
    price = Decimal(10 + i % 90) + Decimal("0.95")
    return m.Item(
        item_id=_guid(i, 0x8888),
        code=f"ITEM-{i:05d}",
        name=f"Widget {i}",
        description=f"Widget {i}, boxed",
        purchase_description=f"Widget {i} from the maker",
        is_sold=True,
        is_purchased=True,
        sales_details=m.ItemPriceDetails(unit_price=price, account_code="200"),
        purchase_details=m.ItemPriceDetails(
            unit_price=(price / 2).quantize(CENT), account_code="300"
        ),
        is_tracked_as_inventory=False,
        updated_date_utc=NOW,
    )


def items_response(n: int) -> m.ItemsResponse:
    return m.ItemsResponse(**_header(), items=[item(i) for i in range(n)])


def bank_transactions_response(n: int) -> m.BankTransactionsResponse:
    return m.BankTransactionsResponse(
        **_header(), bank_transactions=[bank_transaction(i) for i in range(n)]
    )


def credit_notes_response(n: int) -> m.CreditNotesResponse:
    return m.CreditNotesResponse(**_header(), credit_notes=[credit_note(i) for i in range(n)])


def manual_journals_response(n: int) -> m.ManualJournalsResponse:
    return m.ManualJournalsResponse(
        **_header(), manual_journals=[manual_journal(i) for i in range(n)]
    )


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


RESPONSES: dict[str, Any] = {
    "invoices": invoices_response,
    "bank_transactions": bank_transactions_response,
    "credit_notes": credit_notes_response,
    "manual_journals": manual_journals_response,
}
"""Resource -> ``n`` -> its response model of ``n`` records, for :func:`response_xml`."""


def response_xml(resource: str, n: int) -> bytes:
    """``n`` records of ``resource`` (a key of :data:`RESPONSES`) as the 2.0 XML answer."""
    response = RESPONSES[resource](n)
    return _codec.ENCODERS[type(response)](response)


def contacts_page(page: int, page_size: int, total: int) -> bytes:
    """Page ``page`` (from 1) of ``total`` contacts, ``page_size`` a page, as 2.0 XML."""
    start = min(total, (page - 1) * page_size)
    return _codec.encode_contacts_response(contacts_response(start, min(total, start + page_size)))


def without_empty_elements(xml: bytes) -> bytes:
    """``xml`` without its empty elements (``<Payments />``...): the same records in a form
    that a client generated from fewer elements reads without any element unknown to it."""
    root = etree.fromstring(xml)
    for el in list(root.iter()):
        parent = el.getparent()
        if parent is not None and len(el) == 0 and not el.text and not el.attrib:
            parent.remove(el)
    return etree.tostring(root)


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
