"""2.0's view of the store: version-neutral records -> the SDK's generated 2.0 models.

2.0 says the records almost as they are: ``Type``/``Date``/``Status``/``LineAmountTypes`` of
an invoice, ids on accounts, tracking categories and options, payments. Amounts are written
with two decimals (unit amounts with four under ``unitdp=4``), GUIDs in lower case.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from xero_customer_api.v2_0 import models

from .. import records
from ..amounts import quantize
from ..store import Store
from .resources import attachments

E = TypeVar("E", bound=Enum)
#: What is allocated to an invoice: its credit notes, prepayments and overpayments.
InvoiceCredits = tuple[list[models.CreditNote], list[models.Prepayment], list[models.Overpayment]]


def enum(cls: type[E], value: str | None) -> E | None:
    """The member of *cls* for a stored value (None for a value 2.0 cannot say)."""
    if value is None:
        return None
    with contextlib.suppress(ValueError):
        return cls(value)
    return None


def _money(value: Decimal | None, places: int = 2) -> Decimal | None:
    return None if value is None else quantize(value, places)


def contact_model(
    rec: records.Contact, *, summary: bool = False, attached: bool | None = None
) -> models.Contact:
    """A stored contact as 2.0 says it (*summary*: what an invoice list shows of it;
    *attached*: whether it has attachments, when known)."""
    if summary:
        return models.Contact(contact_id=rec.contact_id, name=rec.name)
    return models.Contact(
        contact_id=rec.contact_id,
        contact_number=rec.contact_number,
        account_number=rec.account_number,
        contact_status=enum(models.ContactStatus, rec.status),
        name=rec.name,
        first_name=rec.first_name,
        last_name=rec.last_name,
        email_address=rec.email_address,
        skype_user_name=rec.skype_user_name,
        tax_number=rec.tax_number,
        default_currency=rec.default_currency,
        addresses=[
            models.Address(
                address_type=kind,
                address_line1=(a.lines + [None] * 4)[0],
                address_line2=(a.lines + [None] * 4)[1],
                address_line3=(a.lines + [None] * 4)[2],
                address_line4=(a.lines + [None] * 4)[3],
                city=a.city,
                region=a.region,
                postal_code=a.postal_code,
                country=a.country,
                attention_to=a.attention_to,
            )
            for a in rec.addresses
            if (kind := enum(models.AddressType, a.address_type)) is not None
        ],
        phones=[
            models.Phone(
                phone_type=phone_kind,
                phone_number=p.number,
                phone_area_code=p.area_code,
                phone_country_code=p.country_code,
            )
            for p in rec.phones
            if (phone_kind := enum(models.PhoneType, p.phone_type)) is not None
        ],
        contact_persons=[
            models.ContactPerson(
                first_name=p.first_name,
                last_name=p.last_name,
                email_address=p.email_address,
                include_in_emails=p.include_in_emails,
            )
            for p in rec.persons
        ],
        updated_date_utc=rec.updated,
        has_attachments=attached,
    )


def line_model(line: records.Line, unit_dp: int) -> models.LineItem:
    """One invoice line."""
    return models.LineItem(
        line_item_id=line.line_item_id,
        item_code=line.item_code,
        description=line.description,
        quantity=quantize(line.quantity, 4),
        unit_amount=_money(line.unit_amount, unit_dp),
        account_code=line.account_code,
        tax_type=line.tax_type,
        tax_amount=_money(line.tax_amount),
        line_amount=_money(line.line_amount),
        discount_rate=_money(line.discount_rate),
        tracking=[
            models.LineItemTracking(
                tracking_category_id=t.category_id,
                tracking_option_id=t.option_id,
                name=t.category,
                option=t.option,
            )
            for t in line.tracking
        ],
    )


def invoice_model(
    rec: records.Invoice,
    contact: records.Contact,
    payments: list[records.Payment],
    *,
    lines: bool = True,
    unit_dp: int = 2,
    summary: bool = False,
    credits: InvoiceCredits | None = None,
    attached: bool = False,
) -> models.Invoice:
    """A stored invoice as 2.0 says it; without *lines* (an unpaged list) the lines are left
    out and the contact is only its id and name; *summary* leaves out the payments; *credits*
    are the credit notes, prepayments and overpayments allocated to it; *attached*: it has
    attachments."""
    credit_notes, prepayments, overpayments = credits or ([], [], [])
    return models.Invoice(
        type=enum(models.InvoiceType, rec.type),
        contact=contact_model(contact, summary=not lines),
        date=rec.date,
        due_date=rec.due_date,
        status=enum(models.InvoiceStatus, rec.status),
        line_amount_types=enum(models.LineAmountTypes, rec.line_amount_types),
        line_items=[line_model(line, unit_dp) for line in rec.lines] if lines else [],
        sub_total=_money(rec.sub_total),
        total_tax=_money(rec.total_tax),
        total=_money(rec.total),
        updated_date_utc=rec.updated,
        currency_code=rec.currency_code or "NZD",
        currency_rate=rec.currency_rate,
        fully_paid_on_date=rec.fully_paid_on,
        invoice_id=rec.invoice_id,
        invoice_number=rec.number,
        reference=rec.reference,
        sent_to_contact=rec.sent_to_contact,
        payments=[]
        if summary
        else [
            models.InvoicePayment(
                payment_id=p.payment_id, date=p.date, amount=_money(p.amount), reference=p.reference
            )
            for p in payments
            if p.status != "DELETED"
        ],
        credit_notes=credit_notes,
        prepayments=prepayments,
        overpayments=overpayments,
        amount_due=_money(rec.amount_due),
        amount_paid=_money(rec.amount_paid),
        amount_credited=_money(rec.amount_credited),
        has_attachments=attached,
    )


def account_model(rec: records.Account, *, attached: bool = False) -> models.Account:
    """An account of the chart (*attached*: it has attachments)."""
    return models.Account(
        account_id=rec.account_id,
        code=rec.code,
        name=rec.name,
        status=enum(models.AccountStatus, rec.status),
        type=enum(models.AccountType, rec.type),
        tax_type=rec.tax_type,
        description=rec.description,
        class_=enum(models.AccountClass, rec.account_class),
        enable_payments_to_account=rec.enable_payments,
        bank_account_number=rec.bank_account_number,
        bank_account_type=models.BankAccountType.BANK if rec.type == "BANK" else None,
        currency_code=rec.currency_code,
        has_attachments=attached,
        updated_date_utc=rec.updated,
    )


def option_model(rec: records.TrackingOption, category_id: str) -> models.TrackingOption:
    """An option of a tracking category."""
    return models.TrackingOption(
        tracking_option_id=rec.option_id,
        name=rec.name,
        status=enum(models.TrackingStatus, rec.status),
        tracking_category_id=category_id,
    )


def tracking_model(
    rec: records.TrackingCategory, *, include_archived: bool = True
) -> models.TrackingCategory:
    """A tracking category with its options (archived ones only if *include_archived*)."""
    return models.TrackingCategory(
        tracking_category_id=rec.category_id,
        name=rec.name,
        status=enum(models.TrackingStatus, rec.status),
        options=[
            option_model(o, rec.category_id)
            for o in rec.options
            if o.status != "DELETED" and (include_archived or o.status == "ACTIVE")
        ],
    )


def payment_model(
    rec: records.Payment,
    invoice: records.Invoice | None,
    account: records.Account | None,
    batch_payment_id: str | None = None,
) -> models.Payment:
    """A payment with a summary of its invoice and account (and its batch payment's id)."""
    return models.Payment(
        batch_payment_id=batch_payment_id,
        payment_id=rec.payment_id,
        date=rec.date,
        amount=_money(rec.amount),
        currency_rate=rec.currency_rate,
        reference=rec.reference,
        is_reconciled=False,
        status=enum(models.PaymentStatus, rec.status),
        payment_type=enum(models.PaymentType, rec.payment_type),
        updated_date_utc=rec.updated,
        account=models.Account(account_id=account.account_id, code=account.code)
        if account is not None
        else None,
        invoice=models.Invoice(
            invoice_id=invoice.invoice_id,
            invoice_number=invoice.number,
            type=enum(models.InvoiceType, invoice.type),
        )
        if invoice is not None
        else None,
    )


class View:
    """Reads of the store as 2.0 models (the caller holds a read or write transaction)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def invoice(
        self, org_id: int, rec: records.Invoice, *, lines: bool = True, unit_dp: int = 2,
        summary: bool = False,
    ) -> models.Invoice:  # fmt: skip
        """A stored invoice with its current contact, payments and allocated credits."""
        from .resources import credits as family_b  # imports this module

        contact = self.store.contact_by_id(org_id, rec.contact_id)
        assert contact is not None
        payments = self.store.payments_of(org_id, rec.invoice_id) if not summary else []
        allocated = (
            family_b.invoice_credits(self.store, org_id, [rec.invoice_id]).get(rec.invoice_id)
            if not summary
            else None
        )
        return invoice_model(
            rec, contact, payments, lines=lines, unit_dp=unit_dp, summary=summary,
            credits=allocated, attached=attachments.has_attachments(self.store, org_id, rec.invoice_id),
        )  # fmt: skip

    def payment(self, org_id: int, rec: records.Payment) -> models.Payment:
        """A stored payment with its invoice and account (and batch payment, if any)."""
        from .resources import credits as family_b  # imports this module

        invoice = self.store.invoice_by_id(org_id, rec.invoice_id)
        account = next(
            (a for a in self.store.accounts(org_id) if a.account_id == rec.account_id), None
        )
        batch = family_b.batch_of_payment(self.store, org_id, rec.payment_id)
        return payment_model(rec, invoice, account, batch)
