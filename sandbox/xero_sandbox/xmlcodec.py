"""Reading request bodies and writing response documents with lxml.

Requests are parsed with a hardened parser (no DTDs, no entities, no network) and any
``DOCTYPE`` is refused before validation against ``schemas/v1.0/requests/*.xsd``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from lxml import etree

from . import wire
from .errors import INVALID_XML, ApiError
from .model import (
    ADDRESS_FIELDS,
    PHONE_FIELDS,
    Account,
    Contact,
    Invoice,
    LineItem,
    Payment,
    TrackingCategory,
)

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: Request root element -> request schema file.
REQUEST_SCHEMAS = {
    "Contact": "contact_request.xsd",
    "Contacts": "contacts_request.xsd",
    "Invoice": "invoice_request.xsd",
    "Invoices": "invoices_request.xsd",
}


def schema_dir() -> Path:
    """Where the v1.0 XSDs live: ``$XERO_SANDBOX_SCHEMAS`` or the repository's ``schemas/v1.0``."""
    override = os.environ.get("XERO_SANDBOX_SCHEMAS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "schemas" / "v1.0"


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


class RequestValidator:
    """Parses a request body and validates it against the request XSD for its root."""

    def __init__(self, directory: Path | None = None) -> None:
        base = (directory or schema_dir()) / "requests"
        self._schemas: dict[str, etree.XMLSchema] = {}
        for root, filename in REQUEST_SCHEMAS.items():
            doc = etree.parse(str(base / filename), _safe_parser())
            self._schemas[root] = etree.XMLSchema(doc)

    def parse(self, body: bytes, expected_root: str) -> etree._Element:
        """The validated root element, or :class:`ApiError` (InvalidXmlException)."""
        if not body.strip():
            raise ApiError(
                INVALID_XML,
                f"The request body is empty; a <{expected_root}> document was expected.",
            )
        if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
            raise ApiError(
                INVALID_XML, "DTDs and entity declarations are not allowed in request documents."
            )
        try:
            root = etree.fromstring(body, _safe_parser())
        except etree.XMLSyntaxError as exc:
            raise ApiError(
                INVALID_XML, f"The request body is not well-formed XML: {exc.msg}"
            ) from exc
        tree = root.getroottree()
        if getattr(tree.docinfo, "doctype", ""):
            raise ApiError(INVALID_XML, "DTDs are not allowed in request documents.")
        if root.tag != expected_root:
            raise ApiError(
                INVALID_XML, f"Expected a <{expected_root}> document but got <{root.tag}>."
            )
        schema = self._schemas[expected_root]
        if not schema.validate(root):
            problems = "; ".join(
                f"line {e.line}: {e.message}"
                for e in list(cast(Iterable[Any], schema.error_log))[:5]
            )
            raise ApiError(INVALID_XML, f"The {expected_root} document is not valid: {problems}")
        return root


# ----------------------------------------------------------------------------- reading


def _text(parent: etree._Element, tag: str) -> str | None:
    child = parent.find(tag)
    if child is None:
        return None
    return child.text or ""


def _dec(parent: etree._Element, tag: str) -> Decimal | None:
    text = _text(parent, tag)
    return None if text is None or text == "" else wire.parse_decimal(text)


def _records(
    parent: etree._Element, list_tag: str, item_tag: str, fields: Iterable[str]
) -> list[dict[str, str]] | None:
    holder = parent.find(list_tag)
    if holder is None:
        return None
    out = []
    for item in holder.findall(item_tag):
        record = {}
        for name in fields:
            value = _text(item, name)
            if value is not None:
                record[name] = value
        out.append(record)
    return out


def read_contact(el: etree._Element) -> Contact:
    """A :class:`Contact` from a validated ``<Contact>`` element."""
    updated = _text(el, "UpdatedDateUTC")
    contact_id = _text(el, "ContactID")
    return Contact(
        name=_text(el, "Name") or "",
        contact_id=wire.parse_guid(contact_id) if contact_id else None,
        contact_number=_text(el, "ContactNumber"),
        status=_text(el, "ContactStatus"),
        email=_text(el, "EmailAddress"),
        addresses=_records(el, "Addresses", "Address", ADDRESS_FIELDS),
        phones=_records(el, "Phones", "Phone", PHONE_FIELDS),
        skype=_text(el, "SkypeUserName"),
        updated=wire.parse_utc(updated) if updated else None,
    )


def _read_line(el: etree._Element) -> LineItem:
    tracking_el = el.find("Tracking")
    tracking = None
    if tracking_el is not None:
        tracking = [
            (_text(t, "Name") or "", _text(t, "Option") or "")
            for t in tracking_el.findall("TrackingCategory")
        ]
    line_id = _text(el, "LineItemID")
    return LineItem(
        description=_text(el, "Description") or "",
        unit_amount=_dec(el, "UnitAmount") or Decimal(0),
        line_amount=_dec(el, "LineAmount") or Decimal(0),
        line_item_id=line_id.lower() if line_id else None,
        quantity=_dec(el, "Quantity"),
        tax_type=_text(el, "TaxType"),
        tax_amount=_dec(el, "TaxAmount"),
        account_code=_text(el, "AccountCode"),
        tracking=tracking,
    )


def _opt_date(el: etree._Element, tag: str) -> date | None:
    text = _text(el, tag)
    return wire.parse_date(text) if text else None


def _opt_bool(el: etree._Element, tag: str) -> bool | None:
    text = _text(el, tag)
    return wire.parse_bool(text) if text else None


def read_invoice(el: etree._Element) -> Invoice:
    """An :class:`Invoice` from a validated ``<Invoice>`` element."""
    contact_el = el.find("Contact")
    lines_el = el.find("LineItems")
    payments_el = el.find("Payments")
    invoice_id = _text(el, "InvoiceID")
    updated = _text(el, "UpdatedDateUTC")
    return Invoice(
        invoice_type=_text(el, "InvoiceType") or "",
        contact=read_contact(contact_el) if contact_el is not None else Contact(name=""),
        invoice_date=wire.parse_date(_text(el, "InvoiceDate") or ""),
        invoice_number=_text(el, "InvoiceNumber") or "",
        invoice_id=wire.parse_guid(invoice_id) if invoice_id else None,
        due_date=_opt_date(el, "DueDate"),
        reference=_text(el, "Reference"),
        tax_inclusive=_opt_bool(el, "TaxInclusive"),
        includes_tax=_opt_bool(el, "IncludesTax"),
        sub_total=_dec(el, "SubTotal"),
        total_tax=_dec(el, "TotalTax"),
        total=_dec(el, "Total"),
        status=_text(el, "InvoiceStatus"),
        line_items=[_read_line(li) for li in lines_el.findall("LineItem")]
        if lines_el is not None
        else [],
        payments=[
            Payment(wire.parse_date(_text(p, "Date") or ""), _dec(p, "Amount") or Decimal(0))
            for p in (payments_el.findall("Payment") if payments_el is not None else [])
        ],
        fully_paid_on=_opt_date(el, "FullyPaidOn"),
        amount_due=_dec(el, "AmountDue"),
        amount_paid=_dec(el, "AmountPaid"),
        amount_credited=_dec(el, "AmountCredited"),
        updated=wire.parse_utc(updated) if updated else None,
    )


# ----------------------------------------------------------------------------- writing


def _sub(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, tag).text = text


def _money(parent: etree._Element, tag: str, value: Decimal | None) -> None:
    _sub(parent, tag, wire.format_money(value) if value is not None else None)


def write_contact(parent: etree._Element, contact: Contact) -> etree._Element:
    """Append ``<Contact>`` in XSD order."""
    el = etree.SubElement(parent, "Contact")
    _sub(el, "ContactID", contact.contact_id)
    _sub(el, "ContactNumber", contact.contact_number)
    _sub(el, "ContactStatus", contact.status)
    _sub(el, "Name", contact.name)
    _sub(el, "EmailAddress", contact.email)
    for list_tag, item_tag, fields, records in (
        ("Addresses", "Address", ADDRESS_FIELDS, contact.addresses),
        ("Phones", "Phone", PHONE_FIELDS, contact.phones),
    ):
        if records is None:
            continue
        holder = etree.SubElement(el, list_tag)
        for record in records:
            item = etree.SubElement(holder, item_tag)
            for name in fields:
                _sub(item, name, record.get(name))
    _sub(el, "SkypeUserName", contact.skype)
    _sub(el, "UpdatedDateUTC", wire.format_utc(contact.updated) if contact.updated else None)
    return el


def _write_line(parent: etree._Element, line: LineItem) -> None:
    el = etree.SubElement(parent, "LineItem")
    _sub(el, "LineItemID", line.line_item_id)
    _sub(el, "Description", line.description)
    _money(el, "Quantity", line.quantity)
    _money(el, "UnitAmount", line.unit_amount)
    _sub(el, "TaxType", line.tax_type)
    _money(el, "TaxAmount", line.tax_amount)
    _money(el, "LineAmount", line.line_amount)
    _sub(el, "AccountCode", line.account_code)
    if line.tracking is not None:
        holder = etree.SubElement(el, "Tracking")
        for name, option in line.tracking:
            cat = etree.SubElement(holder, "TrackingCategory")
            _sub(cat, "Name", name)
            _sub(cat, "Option", option)


def write_invoice(
    parent: etree._Element, invoice: Invoice, *, with_lines: bool = True
) -> etree._Element:
    """Append ``<Invoice>`` in XSD order; ``with_lines=False`` writes an empty ``<LineItems/>``."""
    el = etree.SubElement(parent, "Invoice")
    _sub(el, "InvoiceType", invoice.invoice_type)
    _sub(el, "InvoiceID", invoice.invoice_id)
    write_contact(el, invoice.contact)
    _sub(el, "InvoiceDate", wire.format_date(invoice.invoice_date))
    _sub(el, "DueDate", wire.format_date(invoice.due_date) if invoice.due_date else None)
    _sub(el, "InvoiceNumber", invoice.invoice_number)
    _sub(el, "Reference", invoice.reference)
    for tag, flag in (
        ("TaxInclusive", invoice.tax_inclusive),
        ("IncludesTax", invoice.includes_tax),
    ):
        _sub(el, tag, wire.format_bool(flag) if flag is not None else None)
    _money(el, "SubTotal", invoice.sub_total)
    _money(el, "TotalTax", invoice.total_tax)
    _money(el, "Total", invoice.total)
    _sub(el, "InvoiceStatus", invoice.status)
    lines = etree.SubElement(el, "LineItems")
    if with_lines:
        for line in invoice.line_items:
            _write_line(lines, line)
    if invoice.payments:
        payments = etree.SubElement(el, "Payments")
        for payment in invoice.payments:
            p = etree.SubElement(payments, "Payment")
            _sub(p, "Date", wire.format_date(payment.paid_on))
            _money(p, "Amount", payment.amount)
    _sub(
        el,
        "FullyPaidOn",
        wire.format_date(invoice.fully_paid_on) if invoice.fully_paid_on else None,
    )
    _money(el, "AmountDue", invoice.amount_due)
    _money(el, "AmountPaid", invoice.amount_paid)
    _money(el, "AmountCredited", invoice.amount_credited)
    _sub(el, "UpdatedDateUTC", wire.format_utc(invoice.updated) if invoice.updated else None)
    return el


def write_accounts(parent: etree._Element, accounts: Iterable[Account]) -> None:
    """Append ``<Accounts>``."""
    holder = etree.SubElement(parent, "Accounts")
    for account in accounts:
        el = etree.SubElement(holder, "Account")
        _sub(el, "Code", account.code)
        _sub(el, "Name", account.name)
        _sub(el, "Type", account.type)
        _sub(el, "TaxType", account.tax_type)
        _sub(el, "Description", account.description)


def write_tracking(parent: etree._Element, categories: Iterable[TrackingCategory]) -> None:
    """Append ``<Tracking>``."""
    holder = etree.SubElement(parent, "Tracking")
    for category in categories:
        el = etree.SubElement(holder, "TrackingCategory")
        _sub(el, "Name", category.name)
        options = etree.SubElement(el, "Options")
        for option in category.options:
            _sub(etree.SubElement(options, "Option"), "Name", option)


def envelope(provider: str, now: datetime) -> etree._Element:
    """A success ``<Response>`` with ID, Status, ProviderName, DateTimeUTC; append the payload."""
    root = etree.Element("Response", nsmap={"i": XSI_NS})
    _sub(root, "ID", wire.new_guid())
    _sub(root, "Status", "OK")
    _sub(root, "ProviderName", provider)
    _sub(root, "DateTimeUTC", wire.format_utc(now))
    return root


def error_envelope(error: ApiError, provider: str, now: datetime) -> etree._Element:
    """The 1.0 error ``<Response>``: Errors first, then ID, Status, ProviderName, DateTimeUTC."""
    root = etree.Element("Response", nsmap={"i": XSI_NS})
    errors = etree.SubElement(root, "Errors")
    stamp = wire.format_utc(now)
    for item in error.items:
        err = etree.SubElement(errors, "Error")
        _sub(err, "Description", item.message)
        exc = etree.SubElement(err, "Exception")
        _sub(exc, "DateTime", stamp)
        _sub(exc, "ExceptionType", item.exception_type)
        _sub(exc, "Message", item.message)
        source = "mscorlib" if item.exception_type.startswith("System.") else "Xero.API.Library"
        _sub(exc, "Source", source)
        _sub(exc, "StackTrace", f"   at Xero.Sandbox ({item.exception_type.rsplit('.', 1)[-1]})")
    _sub(root, "ID", wire.new_guid())
    _sub(root, "Status", "InternalServerError")
    _sub(root, "ProviderName", provider)
    _sub(root, "DateTimeUTC", stamp)
    return root


def to_bytes(root: etree._Element) -> bytes:
    """Serialise a response document with an XML declaration, UTF-8."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def contact_xml(contact: Contact) -> str:
    """A contact as a standalone XML string (the stored form)."""
    holder = etree.Element("Holder")
    return etree.tostring(write_contact(holder, contact), encoding="unicode")


def invoice_xml(invoice: Invoice) -> str:
    """An invoice as a standalone XML string (the stored form)."""
    holder = etree.Element("Holder")
    return etree.tostring(write_invoice(holder, invoice), encoding="unicode")


def load_contact(text: str) -> Contact:
    """Inverse of :func:`contact_xml`."""
    return read_contact(etree.fromstring(text.encode(), _safe_parser()))


def load_invoice(text: str) -> Invoice:
    """Inverse of :func:`invoice_xml`."""
    return read_invoice(etree.fromstring(text.encode(), _safe_parser()))
