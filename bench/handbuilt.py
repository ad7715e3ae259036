"""The baseline encoders: lxml trees built by hand, as a developer would write them."""

from __future__ import annotations

from lxml import etree
from lxml.etree import SubElement as SE
from xero_customer_api._runtime._converters import format_date, format_utc_datetime
from xero_customer_api.v1_0 import models as m


def _contact(parent: etree._Element, c: m.Contact) -> None:
    el = SE(parent, "Contact")
    if c.contact_id is not None:
        SE(el, "ContactID").text = c.contact_id
    if c.contact_number is not None:
        SE(el, "ContactNumber").text = c.contact_number
    if c.contact_status is not None:
        SE(el, "ContactStatus").text = c.contact_status.value
    SE(el, "Name").text = c.name
    if c.email_address is not None:
        SE(el, "EmailAddress").text = c.email_address
    addresses = SE(el, "Addresses")
    for a in c.addresses:
        ae = SE(addresses, "Address")
        SE(ae, "AddressType").text = a.address_type.value
        for tag, value in (
            ("AddressLine1", a.address_line1),
            ("AddressLine2", a.address_line2),
            ("AddressLine3", a.address_line3),
            ("AddressLine4", a.address_line4),
            ("City", a.city),
            ("Region", a.region),
            ("PostalCode", a.postal_code),
            ("Country", a.country),
        ):
            if value is not None:
                SE(ae, tag).text = value
    phones = SE(el, "Phones")
    for p in c.phones:
        pe = SE(phones, "Phone")
        SE(pe, "PhoneType").text = p.phone_type.value
        for tag, value in (
            ("PhoneNumber", p.phone_number),
            ("PhoneAreaCode", p.phone_area_code),
            ("PhoneCountryCode", p.phone_country_code),
        ):
            if value is not None:
                SE(pe, tag).text = value
    if c.updated_date_utc is not None:
        SE(el, "UpdatedDateUTC").text = format_utc_datetime(c.updated_date_utc)


def contacts(items: list[m.Contact]) -> bytes:
    root = etree.Element("Contacts")
    for c in items:
        _contact(root, c)
    return etree.tostring(root, encoding="utf-8")


def invoices(items: list[m.Invoice]) -> bytes:
    root = etree.Element("Invoices")
    for inv in items:
        el = SE(root, "Invoice")
        SE(el, "InvoiceType").text = inv.invoice_type.value
        if inv.invoice_id is not None:
            SE(el, "InvoiceID").text = inv.invoice_id
        _contact(el, inv.contact)
        SE(el, "InvoiceDate").text = format_date(inv.invoice_date)
        if inv.due_date is not None:
            SE(el, "DueDate").text = format_date(inv.due_date)
        SE(el, "InvoiceNumber").text = inv.invoice_number
        if inv.reference is not None:
            SE(el, "Reference").text = inv.reference
        for tag, flag in (("TaxInclusive", inv.tax_inclusive), ("IncludesTax", inv.includes_tax)):
            if flag is not None:
                SE(el, tag).text = "true" if flag else "false"
        for tag, num in (
            ("SubTotal", inv.sub_total),
            ("TotalTax", inv.total_tax),
            ("Total", inv.total),
        ):
            if num is not None:
                SE(el, tag).text = format(num, "f")
        if inv.invoice_status is not None:
            SE(el, "InvoiceStatus").text = inv.invoice_status.value
        lines = SE(el, "LineItems")
        for li in inv.line_items:
            le = SE(lines, "LineItem")
            SE(le, "Description").text = li.description
            if li.quantity is not None:
                SE(le, "Quantity").text = format(li.quantity, "f")
            SE(le, "UnitAmount").text = format(li.unit_amount, "f")
            if li.tax_type is not None:
                SE(le, "TaxType").text = li.tax_type.value
            if li.tax_amount is not None:
                SE(le, "TaxAmount").text = format(li.tax_amount, "f")
            SE(le, "LineAmount").text = format(li.line_amount, "f")
            if li.account_code is not None:
                SE(le, "AccountCode").text = li.account_code
            SE(le, "Tracking")
        SE(el, "Payments")
        for tag, num in (
            ("AmountDue", inv.amount_due),
            ("AmountPaid", inv.amount_paid),
            ("AmountCredited", inv.amount_credited),
        ):
            if num is not None:
                SE(el, tag).text = format(num, "f")
        if inv.updated_date_utc is not None:
            SE(el, "UpdatedDateUTC").text = format_utc_datetime(inv.updated_date_utc)
    return etree.tostring(root, encoding="utf-8")
