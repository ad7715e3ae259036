"""The sandbox's own domain objects, independent of the generated SDK models.

Keeping an independent implementation means an SDK bug cannot hide behind a server that
shares it. Element names and order come from ``schemas/v1.0/types.xsd``; responses are
checked against the response XSDs by the sandbox tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

#: Child elements of ``<Address>`` in XSD order.
ADDRESS_FIELDS = (
    "AddressType",
    "AddressLine1",
    "AddressLine2",
    "AddressLine3",
    "AddressLine4",
    "City",
    "Region",
    "PostalCode",
    "Country",
)
#: Child elements of ``<Phone>`` in XSD order.
PHONE_FIELDS = ("PhoneType", "PhoneNumber", "PhoneAreaCode", "PhoneCountryCode")


@dataclass
class Contact:
    """A customer or supplier. ``None`` means the element was absent; ``""`` empty."""

    name: str
    contact_id: str | None = None
    contact_number: str | None = None
    status: str | None = None
    email: str | None = None
    addresses: list[dict[str, str]] | None = None
    phones: list[dict[str, str]] | None = None
    skype: str | None = None
    updated: datetime | None = None


@dataclass
class LineItem:
    """One invoice line; ``tracking`` holds (category, option) pairs."""

    description: str
    unit_amount: Decimal
    line_amount: Decimal
    line_item_id: str | None = None
    quantity: Decimal | None = None
    tax_type: str | None = None
    tax_amount: Decimal | None = None
    account_code: str | None = None
    tracking: list[tuple[str, str]] | None = None


@dataclass
class Payment:
    """A payment against an invoice."""

    paid_on: date
    amount: Decimal


@dataclass
class Invoice:
    """A sales invoice (ACCREC) or bill (ACCPAY)."""

    invoice_type: str
    contact: Contact
    invoice_date: date
    invoice_number: str
    invoice_id: str | None = None
    due_date: date | None = None
    reference: str | None = None
    tax_inclusive: bool | None = None
    includes_tax: bool | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    status: str | None = None
    line_items: list[LineItem] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    fully_paid_on: date | None = None
    amount_due: Decimal | None = None
    amount_paid: Decimal | None = None
    amount_credited: Decimal | None = None
    updated: datetime | None = None


@dataclass(frozen=True)
class Account:
    """An account of the chart of accounts."""

    code: str
    name: str
    type: str
    tax_type: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class TrackingCategory:
    """A tracking category with its option names."""

    name: str
    options: tuple[str, ...]
