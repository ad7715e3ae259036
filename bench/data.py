"""Deterministic documents for the benchmarks: realistic contacts and invoices."""

from __future__ import annotations

import datetime
from decimal import Decimal

from xero_customer_api.v1_0 import models as m

NOW = datetime.datetime(2024, 3, 1, 9, 30, 0, 123000, tzinfo=datetime.UTC)


def contact(i: int) -> m.Contact:
    return m.Contact(
        contact_id=f"{i:08x}-0000-4000-8000-{i:012x}",
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
        updated_date_utc=NOW,
    )


def invoice(i: int) -> m.Invoice:
    lines = [
        m.LineItem(
            description=f"Consulting, item {k}",
            quantity=Decimal("2.0000"),
            unit_amount=Decimal("125.5000"),
            tax_type=m.TaxType.OUTPUT,
            tax_amount=Decimal("37.6500"),
            line_amount=Decimal("251.0000"),
            account_code="200",
        )
        for k in range(3)
    ]
    return m.Invoice(
        invoice_type=m.InvoiceType.ACCREC,
        invoice_id=f"{i:08x}-1111-4000-8000-{i:012x}",
        contact=m.Contact(contact_id=f"{i:08x}-0000-4000-8000-{i:012x}", name=f"Customer {i}"),
        invoice_date=datetime.date(2024, 2, 1),
        due_date=datetime.date(2024, 3, 1),
        invoice_number=f"INV-{i:06d}",
        reference=f"PO {i}",
        tax_inclusive=False,
        includes_tax=True,
        sub_total=Decimal("753.0000"),
        total_tax=Decimal("112.9500"),
        total=Decimal("865.9500"),
        invoice_status=m.InvoiceStatus.AUTHORISED,
        line_items=lines,
        amount_due=Decimal("865.9500"),
        amount_paid=Decimal("0.0000"),
        updated_date_utc=NOW,
    )


def envelope(**payload: object) -> dict[str, object]:
    return {
        "id": "bench",
        "status": "OK",
        "provider_name": "bench",
        "date_time_utc": NOW,
        **payload,
    }


def contacts_response(n: int) -> m.ContactsResponse:
    return m.ContactsResponse(**envelope(contacts=[contact(i) for i in range(n)]))  # type: ignore[arg-type]


def invoices_response(n: int) -> m.InvoicesResponse:
    return m.InvoicesResponse(**envelope(invoices=[invoice(i) for i in range(n)]))  # type: ignore[arg-type]
