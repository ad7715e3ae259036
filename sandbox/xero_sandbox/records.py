"""Version-neutral records: what the store keeps, the superset of what every API version says.

Each API version (``v1_0``, ``v2_0``) is a view over these records with its own names and
shapes: 1.0's ``InvoiceType``/``InvoiceDate``/``InvoiceStatus``/``IncludesTax`` and 2.0's
``Type``/``Date``/``Status``/``LineAmountTypes`` are both read from and written to the same
fields here. Values are kept in the most precise form either version can send (``Decimal``
amounts as given, aware UTC timestamps, calendar dates), enumerations as their wire strings.

Records are stored as JSON (:func:`dumps` / :func:`loads`), written from the dataclass fields
and read back by their annotations, so a field added here is stored without more code.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

#: The three ways an invoice's line amounts relate to tax (2.0's LineAmountTypes).
EXCLUSIVE, INCLUSIVE, NO_TAX = "Exclusive", "Inclusive", "NoTax"


@dataclass(slots=True, kw_only=True)
class Address:
    """A postal or street address of a contact."""

    address_type: str
    lines: list[str] = field(default_factory=list)  # AddressLine1..4, in order
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    attention_to: str | None = None


@dataclass(slots=True, kw_only=True)
class Phone:
    """A phone number of a contact."""

    phone_type: str
    number: str | None = None
    area_code: str | None = None
    country_code: str | None = None


@dataclass(slots=True, kw_only=True)
class ContactPerson:
    """A further person at a contact (2.0's ContactPersons)."""

    first_name: str | None = None
    last_name: str | None = None
    email_address: str | None = None
    include_in_emails: bool = False


@dataclass(slots=True, kw_only=True)
class Contact:
    """A customer or supplier. ``status`` is ACTIVE, ARCHIVED or GDPRREQUEST (1.0 shows
    anything but ACTIVE as DELETED)."""

    contact_id: str
    name: str
    updated: datetime.datetime
    status: str = "ACTIVE"
    contact_number: str | None = None
    account_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email_address: str | None = None
    skype_user_name: str | None = None
    tax_number: str | None = None
    default_currency: str | None = None
    addresses: list[Address] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    persons: list[ContactPerson] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class LineTracking:
    """The tracking option chosen on a line (both ids and both names are kept)."""

    category_id: str
    category: str
    option_id: str
    option: str


@dataclass(slots=True, kw_only=True)
class Line:
    """One line of an invoice."""

    line_item_id: str
    description: str
    quantity: Decimal
    unit_amount: Decimal
    line_amount: Decimal
    tax_amount: Decimal
    tax_type: str | None = None
    account_code: str | None = None
    item_code: str | None = None
    discount_rate: Decimal | None = None
    tracking: list[LineTracking] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Invoice:
    """A sales invoice (ACCREC) or a bill (ACCPAY)."""

    invoice_id: str
    type: str
    contact_id: str
    date: datetime.date
    number: str
    status: str
    line_amount_types: str
    lines: list[Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    amount_due: Decimal
    amount_paid: Decimal
    amount_credited: Decimal
    updated: datetime.datetime
    due_date: datetime.date | None = None
    reference: str | None = None
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    sent_to_contact: bool | None = None
    fully_paid_on: datetime.date | None = None
    app_id: str | None = None  # the OAuth app that created it (2.0's createdByMyApp)


@dataclass(slots=True, kw_only=True)
class Payment:
    """A payment against an invoice."""

    payment_id: str
    invoice_id: str
    account_id: str
    date: datetime.date
    amount: Decimal
    status: str
    payment_type: str
    updated: datetime.datetime
    reference: str | None = None
    currency_rate: Decimal | None = None


@dataclass(slots=True, kw_only=True)
class Account:
    """An account of the chart of accounts."""

    account_id: str
    code: str
    name: str
    type: str
    status: str
    account_class: str
    updated: datetime.datetime
    tax_type: str | None = None
    description: str | None = None
    enable_payments: bool = False
    bank_account_number: str | None = None
    currency_code: str | None = None


@dataclass(slots=True, kw_only=True)
class TrackingOption:
    """One option of a tracking category."""

    option_id: str
    name: str
    status: str = "ACTIVE"


@dataclass(slots=True, kw_only=True)
class TrackingCategory:
    """A tracking category with its options."""

    category_id: str
    name: str
    status: str = "ACTIVE"
    options: list[TrackingOption] = field(default_factory=list)


# ----------------------------------------------------------------------------- JSON form


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def dumps(record: Any) -> str:
    """A record as compact JSON text (the stored form)."""
    return json.dumps(_plain(record), separators=(",", ":"), ensure_ascii=False)


Converter = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@cache
def _converter(kind: Any) -> Converter:
    """A function turning the JSON form of a value of type *kind* back into it (cached per
    type, so loading a record is a loop over prepared converters)."""
    origin = typing.get_origin(kind)
    if origin is types.UnionType or origin is typing.Union:
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        convert = _converter(inner)
        return lambda value: None if value is None else convert(value)
    if origin is list:
        (item,) = typing.get_args(kind)
        convert_item = _converter(item)
        return lambda value: [convert_item(v) for v in value]
    if kind is Decimal:
        return Decimal
    if kind is datetime.datetime:
        return datetime.datetime.fromisoformat
    if kind is datetime.date:
        return datetime.date.fromisoformat
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        cls = kind
        fields = {name: _converter(hint) for name, hint in typing.get_type_hints(cls).items()}

        def build(value: dict[str, Any]) -> Any:
            return cls(**{k: fields[k](v) for k, v in value.items() if k in fields})

        return build
    return _identity


def loads(cls: type[T], text: str) -> T:
    """Inverse of :func:`dumps`."""
    built: T = _converter(typing.cast(Any, cls))(json.loads(text))
    return built
