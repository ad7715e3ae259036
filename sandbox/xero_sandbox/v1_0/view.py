"""1.0's view of the store: version-neutral records <-> the SDK's generated 1.0 models.

The names and values 1.0 says differently from the records:

* Contact status: ACTIVE stays ACTIVE; ARCHIVED and GDPRREQUEST (2.0) read as DELETED, and a
  1.0 DELETED is stored as ARCHIVED.
* Invoice: ``InvoiceType``/``InvoiceDate``/``InvoiceStatus`` are the record's type, date and
  status; status VOIDED reads as 1.0's VOID. ``LineAmountTypes`` is read as ``TaxInclusive``
  (true for Inclusive, else left out) and ``IncludesTax`` (anything but NoTax); 1.0 writes Inclusive when
  ``TaxInclusive`` is true, NoTax when ``IncludesTax`` is false, else Exclusive.
* Values 1.0's enumerations cannot say (a BANK account, 2.0's regional tax types, an OFFICE
  phone, a DELIVERY address) are left out of 1.0 answers.
* Line tracking is stored with the category's and option's ids, found by name on 1.0 writes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from decimal import Decimal
from typing import TypeVar

from xero_customer_api.v1_0 import models

from .. import records, webhooks
from ..records import EXCLUSIVE, INCLUSIVE, NO_TAX
from ..store import Store

E = TypeVar("E", models.AccountType, models.TaxType, models.PhoneType, models.AddressType)


def _enum(cls: type[E], value: str | None) -> E | None:
    if value is None:
        return None
    with contextlib.suppress(ValueError):
        return cls(value)
    return None


def contact_model(rec: records.Contact) -> models.Contact:
    """A stored contact as 1.0 says it."""
    addresses = []
    for a in rec.addresses:
        kind = _enum(models.AddressType, a.address_type)
        if kind is None:
            continue
        lines = [*a.lines, None, None, None, None]
        addresses.append(
            models.Address(
                address_type=kind,
                address_line1=lines[0],
                address_line2=lines[1],
                address_line3=lines[2],
                address_line4=lines[3],
                city=a.city,
                region=a.region,
                postal_code=a.postal_code,
                country=a.country,
            )
        )
    phones = []
    for p in rec.phones:
        phone_kind = _enum(models.PhoneType, p.phone_type)
        if phone_kind is not None:
            phones.append(
                models.Phone(
                    phone_type=phone_kind,
                    phone_number=p.number,
                    phone_area_code=p.area_code,
                    phone_country_code=p.country_code,
                )
            )
    return models.Contact(
        contact_id=rec.contact_id,
        contact_number=rec.contact_number,
        contact_status=models.ContactStatus.ACTIVE
        if rec.status == "ACTIVE"
        else models.ContactStatus.DELETED,
        name=rec.name,
        email_address=rec.email_address,
        addresses=addresses,
        phones=phones,
        skype_user_name=rec.skype_user_name,
        updated_date_utc=rec.updated,
    )


def contact_record(model: models.Contact, existing: records.Contact | None) -> records.Contact:
    """A 1.0 contact (already merged by the 1.0 rules) as a record; fields 1.0 cannot say
    are kept from *existing*."""
    assert model.contact_id is not None and model.updated_date_utc is not None
    status = model.contact_status or models.ContactStatus.ACTIVE
    base = existing or records.Contact(
        contact_id=model.contact_id, name=model.name, updated=model.updated_date_utc
    )
    kept_addresses = [
        a for a in base.addresses if _enum(models.AddressType, a.address_type) is None
    ]
    kept_phones = [p for p in base.phones if _enum(models.PhoneType, p.phone_type) is None]
    base.name = model.name
    base.contact_number = model.contact_number
    base.status = "ACTIVE" if status is models.ContactStatus.ACTIVE else "ARCHIVED"
    base.email_address = model.email_address
    base.skype_user_name = model.skype_user_name
    base.updated = model.updated_date_utc
    base.addresses = [
        records.Address(
            address_type=a.address_type.value,
            lines=_trim([a.address_line1, a.address_line2, a.address_line3, a.address_line4]),
            city=a.city,
            region=a.region,
            postal_code=a.postal_code,
            country=a.country,
        )
        for a in model.addresses
    ] + kept_addresses
    base.phones = [
        records.Phone(
            phone_type=p.phone_type.value,
            number=p.phone_number,
            area_code=p.phone_area_code,
            country_code=p.phone_country_code,
        )
        for p in model.phones
    ] + kept_phones
    return base


def _trim(lines: list[str | None]) -> list[str]:
    while lines and lines[-1] is None:
        lines.pop()
    return [line or "" for line in lines]


_STATUS_OUT = {"VOIDED": models.InvoiceStatus.VOID}


def invoice_model(
    rec: records.Invoice, contact: models.Contact, payments: Iterable[records.Payment]
) -> models.Invoice:
    """A stored invoice as 1.0 says it, with *contact* embedded."""
    lines = [
        models.LineItem(
            line_item_id=line.line_item_id,
            description=line.description,
            quantity=line.quantity,
            unit_amount=line.unit_amount,
            tax_type=_enum(models.TaxType, line.tax_type),
            tax_amount=line.tax_amount,
            line_amount=line.line_amount,
            account_code=line.account_code,
            tracking=[
                models.LineItemTracking(name=t.category, option=t.option) for t in line.tracking
            ],
        )
        for line in rec.lines
    ]
    status = _STATUS_OUT.get(rec.status) or models.InvoiceStatus(rec.status)
    return models.Invoice(
        invoice_type=models.InvoiceType(rec.type),
        invoice_id=rec.invoice_id,
        contact=contact,
        invoice_date=rec.date,
        due_date=rec.due_date,
        invoice_number=rec.number,
        reference=rec.reference,
        tax_inclusive=True if rec.line_amount_types == INCLUSIVE else None,
        includes_tax=rec.line_amount_types != NO_TAX,
        sub_total=rec.sub_total,
        total_tax=rec.total_tax,
        total=rec.total,
        invoice_status=status,
        line_items=lines,
        payments=[
            models.Payment(date=p.date, amount=p.amount) for p in payments if p.status != "DELETED"
        ],
        fully_paid_on=rec.fully_paid_on,
        amount_due=rec.amount_due,
        amount_paid=rec.amount_paid,
        amount_credited=rec.amount_credited,
        updated_date_utc=rec.updated,
    )


def line_amount_types(model: models.Invoice) -> str:
    """1.0's two flags as a LineAmountTypes value."""
    if model.tax_inclusive:
        return INCLUSIVE
    if model.includes_tax is False:
        return NO_TAX
    return EXCLUSIVE


class View:
    """The store as 1.0 models (reads and writes; the caller holds the transaction)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # accounts and tracking
    def accounts(self, org_id: int) -> list[models.Account]:
        """The chart as 1.0 says it (accounts of types 1.0 does not know are left out)."""
        out = []
        for a in self.store.accounts(org_id):
            kind = _enum(models.AccountType, a.type)
            if kind is None or a.status == "DELETED":
                continue
            out.append(
                models.Account(
                    code=a.code,
                    name=a.name,
                    type=kind,
                    tax_type=_enum(models.TaxType, a.tax_type),
                    description=a.description,
                )
            )
        return out

    def tracking(self, org_id: int) -> list[models.TrackingCategory]:
        """Active tracking categories and options by name (1.0 has no ids)."""
        return [
            models.TrackingCategory(
                name=c.name,
                options=[
                    models.TrackingOption(name=o.name) for o in c.options if o.status == "ACTIVE"
                ],
            )
            for c in self.store.tracking(org_id)
            if c.status == "ACTIVE"
        ]

    # contacts
    def contacts(self, org_id: int) -> list[models.Contact]:
        """All contacts."""
        return [contact_model(c) for c in self.store.contacts(org_id)]

    @staticmethod
    def _opt(rec: records.Contact | None) -> models.Contact | None:
        return None if rec is None else contact_model(rec)

    def contact_by_id(self, org_id: int, contact_id: str) -> models.Contact | None:
        """By ContactID."""
        return self._opt(self.store.contact_by_id(org_id, contact_id))

    def contact_by_number(self, org_id: int, number: str) -> models.Contact | None:
        """By ContactNumber."""
        return self._opt(self.store.contact_by_number(org_id, number))

    def contact_by_name(self, org_id: int, name: str) -> models.Contact | None:
        """By Name (case-insensitive)."""
        return self._opt(self.store.contact_by_name(org_id, name))

    def save_contact(self, org_id: int, contact: models.Contact) -> None:
        """Insert or replace a contact."""
        assert contact.contact_id is not None
        existing = self.store.contact_by_id(org_id, contact.contact_id)
        self.store.save_contact(org_id, contact_record(contact, existing))
        # the organisation's data changed: 2.0 apps connected to it hear of it by webhook
        kind = "UPDATE" if existing else "CREATE"
        webhooks.record_event(self.store, org_id, "CONTACT", kind, contact.contact_id)

    # invoices
    def _invoice(self, org_id: int, rec: records.Invoice) -> models.Invoice:
        contact = self.store.contact_by_id(org_id, rec.contact_id)
        assert contact is not None
        return invoice_model(
            rec, contact_model(contact), self.store.payments_of(org_id, rec.invoice_id)
        )

    def invoices(self, org_id: int) -> list[models.Invoice]:
        """All invoices, in the order entered."""
        return [self._invoice(org_id, r) for r in self.store.invoices(org_id)]

    def invoice_by_id(self, org_id: int, invoice_id: str) -> models.Invoice | None:
        """By InvoiceID."""
        rec = self.store.invoice_by_id(org_id, invoice_id)
        return None if rec is None else self._invoice(org_id, rec)

    def invoice_by_number(self, org_id: int, number: str) -> models.Invoice | None:
        """By InvoiceNumber."""
        rec = self.store.invoice_by_number(org_id, number)
        return None if rec is None else self._invoice(org_id, rec)

    def insert_invoice(self, org_id: int, invoice: models.Invoice) -> None:
        """Store a new invoice checked by the 1.0 rules (tracking ids found by name)."""
        assert invoice.invoice_id and invoice.contact.contact_id and invoice.updated_date_utc
        categories = {c.name: c for c in self.store.tracking(org_id)}

        def tracking(chosen: models.LineItemTracking) -> records.LineTracking:
            category = categories[chosen.name]
            option = next(o for o in category.options if o.name == chosen.option)
            return records.LineTracking(
                category_id=category.category_id,
                category=category.name,
                option_id=option.option_id,
                option=option.name,
            )

        status = invoice.invoice_status or models.InvoiceStatus.DRAFT
        self.store.save_invoice(
            org_id,
            records.Invoice(
                invoice_id=invoice.invoice_id,
                type=invoice.invoice_type.value,
                contact_id=invoice.contact.contact_id,
                date=invoice.invoice_date,
                due_date=invoice.due_date,
                number=invoice.invoice_number,
                reference=invoice.reference,
                status="VOIDED" if status is models.InvoiceStatus.VOID else status.value,
                line_amount_types=line_amount_types(invoice),
                lines=[
                    records.Line(
                        line_item_id=line.line_item_id or "",
                        description=line.description,
                        quantity=line.quantity if line.quantity is not None else Decimal(1),
                        unit_amount=line.unit_amount,
                        line_amount=line.line_amount,
                        tax_amount=line.tax_amount or Decimal(0),
                        tax_type=line.tax_type.value if line.tax_type else None,
                        account_code=line.account_code,
                        tracking=[tracking(t) for t in line.tracking],
                    )
                    for line in invoice.line_items
                ],
                sub_total=invoice.sub_total or Decimal(0),
                total_tax=invoice.total_tax or Decimal(0),
                total=invoice.total or Decimal(0),
                amount_due=invoice.amount_due or Decimal(0),
                amount_paid=invoice.amount_paid or Decimal(0),
                amount_credited=invoice.amount_credited or Decimal(0),
                fully_paid_on=invoice.fully_paid_on,
                updated=invoice.updated_date_utc,
            ),
        )
        webhooks.record_event(self.store, org_id, "INVOICE", "CREATE", invoice.invoice_id)
