"""What a document gives beyond its record: its PDF, the email of an invoice and its online
invoice, as the sandbox implements them.

PDFs: ``GET {Invoices|CreditNotes|PurchaseOrders|Quotes}/{id}/pdf`` answers 200
``application/pdf``, the document rendered by :mod:`...pdf` from what ``GET {R}/{id}``
serves (so its amounts are those of every other read); ``Accept: application/pdf`` on
``GET Invoices/{id}``, ``CreditNotes/{id}`` and ``Quotes/{id}`` answers the same PDF (the
handlers of those reads ask :func:`wants_pdf`). An unknown id is Xero's 404.
# inferred: the ``/pdf`` path answers the PDF whatever the Accept header says.

``POST Invoices/{id}/Email`` (empty body) answers 204 and records the email in the
``invoice_emails`` table (the partner console lists them, :func:`emails_of`); the invoice is
then ``SentToContact``. Only a sales invoice (ACCREC) that is SUBMITTED, AUTHORISED or PAID
can be emailed, and only when it has someone to go to: the contact's email address and each
of its ContactPersons with IncludeInEmails and an address; else a 400 ValidationException.
# inferred: the conditions come from third-party notes quoting Xero (reference §4), the
messages are the sandbox's own words.

``GET Invoices/{id}/OnlineInvoice`` answers ``<OnlineInvoices><OnlineInvoice>
<OnlineInvoiceUrl>https://in.xero.com/...`` for a sales invoice that is SUBMITTED,
AUTHORISED or PAID, else a 400 ValidationException. # inferred: the address is the
sandbox's own, the same for an invoice on every call (derived from the tenant and the
invoice id); the condition is the reference's "non-draft ACCREC" [UNVERIFIED there].
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from xero_customer_api.v2_0 import models

from ... import pdf, records
from ...store import App, Org, Store, new_guid
from .. import codec
from .. import service as _service
from ..errors import VALIDATION, ApiError
from ..service import Answer, Call, NotFound, Service
from . import history

SCHEMA = """
CREATE TABLE IF NOT EXISTS invoice_emails (
    email_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, invoice_id TEXT NOT NULL,
    seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invoice_emails_by_org ON invoice_emails (org_id, seq);
"""

PDF_TYPE = "application/pdf"
#: The statuses of a sales invoice that can be emailed or viewed online.
SENDABLE = ("SUBMITTED", "AUTHORISED", "PAID")
#: What each document's PDF is made from: (plural element, singular element, model).
_KINDS: dict[str, tuple[str, str, type[Any]]] = {
    "invoices": ("Invoices", "Invoice", models.Invoice),
    "creditnotes": ("CreditNotes", "CreditNote", models.CreditNote),
    "purchaseorders": ("PurchaseOrders", "PurchaseOrder", models.PurchaseOrder),
    "quotes": ("Quotes", "Quote", models.Quote),
}
ONLINE_INVOICE_HOST = "https://in.xero.com/"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# inferred: the sandbox's words (Xero's are not in the facts).
NOT_SALES = "Only sales invoices (ACCREC) can be {what}."
NOT_SENDABLE = "Only invoices with a status of SUBMITTED, AUTHORISED or PAID can be {what}; this one is {status}."
NO_ADDRESS = (
    "The invoice cannot be emailed: its contact has no email address"
    " (and no contact person included in emails)."
)


@dataclass(slots=True, kw_only=True)
class SentEmail:
    """An invoice emailed to its contact (what the partner console lists)."""

    email_id: str
    invoice_id: str
    invoice_number: str
    contact_name: str
    recipients: list[str] = field(default_factory=list)
    sent: datetime.datetime
    app: str = ""


# ----------------------------------------------------------------------------- PDFs


def wants_pdf(call: Call) -> bool:
    """Whether the request's ``Accept`` asks for a PDF (``application/pdf`` with a quality at
    least that of any XML or JSON type it also names)."""
    accept = call.headers.get("accept", "")
    best_pdf = best_other = -1.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if media == PDF_TYPE:
            best_pdf = max(best_pdf, quality)
        elif media in ("text/xml", "application/xml", "application/json"):
            best_other = max(best_other, quality)
    return best_pdf > 0 and best_pdf >= best_other


def document_model(service: Service, call: Call) -> Any:
    """The model ``GET {R}/{id}`` serves for the document of *call* (``NotFound`` when there
    is none): the same view, amounts and contact as every other read."""
    resource = call.segments[0].lower()
    if resource not in _KINDS or len(call.segments) < 2:
        raise NotFound()
    plural, singular, cls = _KINDS[resource]
    handler, _ = _service.ROUTES[("GET", resource, 2)]
    headers = {k: v for k, v in call.headers.items() if k != "accept"}
    answer = handler(service, replace(call, segments=call.segments[:2], headers=headers, query={}))
    element = answer.root.find(f"{plural}/{singular}")
    if answer.status != 200 or element is None:
        raise NotFound()
    return codec.decode(cls, element)


def pdf_answer(service: Service, call: Call) -> Answer:
    """The PDF of the document of *call* (``{R}/{id}`` or ``{R}/{id}/pdf``)."""
    model = document_model(service, call)
    org = call.org.org_id
    document = printed(call.org.name, model, lambda tax_type: service.tax_rate(org, tax_type))
    return Answer.binary(pdf.render(document), PDF_TYPE)


def get_pdf(service: Service, call: Call) -> Answer:
    """GET {Invoices|CreditNotes|PurchaseOrders|Quotes}/{id}/pdf."""
    return pdf_answer(service, call)


def _value(obj: Any) -> str:
    return str(getattr(obj, "value", obj))


def _stamp(value: datetime.datetime | None) -> datetime.datetime:
    if value is None:
        return datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _contact_lines(contact: models.Contact | None) -> tuple[str, ...]:
    if contact is None:
        return ()
    out: list[str] = []
    addresses = list(contact.addresses or [])
    # the postal address first, as an invoice is posted to it
    addresses.sort(key=lambda a: 0 if _value(a.address_type) == "POBOX" else 1)
    for address in addresses[:1]:
        if address.attention_to:
            out.append(f"Attention: {address.attention_to}")
        out += [
            line
            for line in (
                address.address_line1,
                address.address_line2,
                address.address_line3,
                address.address_line4,
            )
            if line
        ]
        place = " ".join(p for p in (address.city, address.region, address.postal_code) if p)
        out += [p for p in (place, address.country) if p]
    if contact.email_address:
        out.append(contact.email_address)
    return tuple(out)


def _tax(tax_type: str | None, rate: Callable[[str], Decimal | None]) -> str:
    if not tax_type:
        return ""
    found = rate(tax_type)
    return tax_type if found is None else pdf.percent(found)


def _lines(
    items: list[models.LineItem] | None, rate: Callable[[str], Decimal | None]
) -> tuple[pdf.Line, ...]:
    return tuple(
        pdf.Line(
            description=item.description or "",
            quantity=item.quantity,
            unit_amount=item.unit_amount,
            tax=_tax(item.tax_type, rate),
            amount=item.line_amount if item.line_amount is not None else Decimal(0),
            discount_rate=item.discount_rate,
        )
        for item in items or []
    )


def _dates(*pairs: tuple[str, datetime.date | None]) -> list[tuple[str, str]]:
    return [(label, pdf.day(value)) for label, value in pairs if value is not None]


def _texts(*pairs: tuple[str, str | None]) -> list[tuple[str, str]]:
    return [(label, value) for label, value in pairs if value]


def _no_rate(tax_type: str) -> Decimal | None:
    return None


def printed(
    organisation: str, model: Any, rate: Callable[[str], Decimal | None] = _no_rate
) -> pdf.Document:
    """What the PDF of an invoice, credit note, quote or purchase order shows (*rate*: the
    rate of a tax type, a fraction, or None when unknown)."""
    currency = model.currency_code or "NZD"
    amounts = _value(model.line_amount_types) if model.line_amount_types is not None else ""
    common: dict[str, Any] = {
        "organisation": organisation,
        "status": _value(model.status) if model.status is not None else "",
        "contact": (model.contact.name if model.contact else None) or "",
        "contact_lines": _contact_lines(model.contact),
        "updated": _stamp(model.updated_date_utc),
        "currency": currency,
        "lines": _lines(model.line_items, rate),
        "sub_total": model.sub_total or Decimal(0),
        "total_tax": model.total_tax or Decimal(0),
        "total": model.total or Decimal(0),
        "tax_label": "Includes tax" if amounts == "Inclusive" else "Total tax",
    }
    if isinstance(model, models.Invoice):
        sales = _value(model.type) == "ACCREC"
        balances = [
            (label, value)
            for label, value in (
                ("Less amount paid", model.amount_paid),
                ("Less amount credited", model.amount_credited),
            )
            if value
        ]
        balances.append((f"Amount due {currency}", model.amount_due or Decimal(0)))
        return pdf.Document(
            title="TAX INVOICE" if sales else "BILL",
            number=model.invoice_number or "",
            details=tuple(
                _dates(("Invoice Date", model.date))
                + _texts(("Invoice Number", model.invoice_number), ("Reference", model.reference))
                + _dates(("Due Date", model.due_date))
            ),
            balances=tuple(balances),
            **common,
        )
    if isinstance(model, models.CreditNote):
        return pdf.Document(
            title="CREDIT NOTE",
            number=model.credit_note_number or "",
            details=tuple(
                _dates(("Credit Note Date", model.date))
                + _texts(
                    ("Credit Note Number", model.credit_note_number), ("Reference", model.reference)
                )
            ),
            balances=((f"Remaining credit {currency}", model.remaining_credit or Decimal(0)),),
            **common,
        )
    if isinstance(model, models.Quote):
        return pdf.Document(
            title="QUOTE",
            number=model.quote_number or "",
            details=tuple(
                _dates(("Date", model.date), ("Expiry", model.expiry_date))
                + _texts(("Quote Number", model.quote_number), ("Reference", model.reference))
            ),
            notes=tuple(
                _texts(("Title", model.title), ("Summary", model.summary), ("Terms", model.terms))
            ),
            **common,
        )
    order: models.PurchaseOrder = model
    return pdf.Document(
        title="PURCHASE ORDER",
        number=order.purchase_order_number or "",
        details=tuple(
            _dates(("Date", order.date), ("Delivery Date", order.delivery_date))
            + _texts(("Order Number", order.purchase_order_number), ("Reference", order.reference))
        ),
        notes=tuple(
            _texts(
                ("Delivery Address", order.delivery_address),
                ("Attention", order.attention_to),
                ("Telephone", order.telephone),
                ("Delivery Instructions", order.delivery_instructions),
            )
        ),
        **common,
    )


# ----------------------------------------------------------------------------- email


def _invoice(service: Service, call: Call) -> records.Invoice:
    found = service._find_invoice(call.org.org_id, call.segments[1])
    if found is None:
        raise NotFound()
    return found


def _refuse(invoice: records.Invoice, message: str) -> ApiError:
    echo = models.Invoice(
        invoice_id=invoice.invoice_id,
        invoice_number=invoice.number,
        validation_errors=[models.EntityValidationError(message=message)],
    )
    return ApiError(VALIDATION, "A validation exception occurred", elements=[echo])


def _check_sendable(invoice: records.Invoice, what: str) -> None:
    if invoice.type != "ACCREC":
        raise _refuse(invoice, NOT_SALES.format(what=what))
    if invoice.status not in SENDABLE:
        raise _refuse(invoice, NOT_SENDABLE.format(what=what, status=invoice.status))


def email_invoice(service: Service, call: Call) -> Answer:
    """POST Invoices/{InvoiceID}/Email: 204; the invoice is then SentToContact."""
    org = call.org.org_id
    invoice = _invoice(service, call)
    _check_sendable(invoice, "emailed")
    contact = service.store.contact_by_id(org, invoice.contact_id)
    # the contact's address and its people included in emails (reference §4, Zynk's notes)
    recipients = [] if contact is None else [
        address.strip()
        for address in (contact.email_address,
                        *(p.email_address for p in contact.persons if p.include_in_emails))
        if address and address.strip()
    ]  # fmt: skip
    if not recipients:
        raise _refuse(invoice, NO_ADDRESS)
    store = service.store
    sent = SentEmail(
        email_id=new_guid(),
        invoice_id=invoice.invoice_id,
        invoice_number=invoice.number,
        contact_name=contact.name if contact else "",
        recipients=recipients,
        sent=store.stamp(),
        app=call.provider,
    )
    seq = store._conn.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM invoice_emails WHERE org_id = ?", (org,)
    ).fetchone()[0]
    store._conn.execute(
        "INSERT INTO invoice_emails VALUES (?, ?, ?, ?, ?)",
        (sent.email_id, org, sent.invoice_id, seq, records.dumps(sent)),
    )
    # inferred: Xero's words for an invoice emailed
    history.record(store, org, "invoices", invoice.invoice_id, "Sent",
                   f"This invoice has been sent to {', '.join(recipients)}")  # fmt: skip
    if not invoice.sent_to_contact:
        invoice.sent_to_contact = True
        invoice.updated = store.stamp()
        store.save_invoice(org, invoice)
    return Answer(204, codec.envelope(call.provider, "Invoices", []))


def emails_of(store: Store, org: int) -> list[SentEmail]:
    """The invoices an organisation emailed, oldest first."""
    rows = store._all("SELECT body FROM invoice_emails WHERE org_id = ? ORDER BY seq", org)
    return [records.loads(SentEmail, r[0]) for r in rows]


# ----------------------------------------------------------------------------- online invoice


def online_invoice_url(tenant_id: str, invoice_id: str) -> str:
    """The sandbox's online invoice address of an invoice: 40 letters and digits derived
    from the tenant and the invoice, the same on every call."""
    number = int.from_bytes(hashlib.sha256(f"{tenant_id}/{invoice_id}".encode()).digest())
    token: list[str] = []
    while len(token) < 40:
        number, digit = divmod(number, 62)
        token.append(_BASE62[digit])
    return ONLINE_INVOICE_HOST + "".join(token)


def get_online_invoice(service: Service, call: Call) -> Answer:
    """GET Invoices/{InvoiceID}/OnlineInvoice."""
    invoice = _invoice(service, call)
    _check_sendable(invoice, "viewed online")
    online = models.OnlineInvoice(
        online_invoice_url=online_invoice_url(call.org.tenant_id, invoice.invoice_id)
    )
    return Service._shape(call, "OnlineInvoices", [codec.entity(online)])


# ----------------------------------------------------------------------------- console


@dataclass(frozen=True)
class Printable:
    """A document the partner console links a PDF of."""

    resource: str  # the path's first segment: Invoices, CreditNotes, Quotes, PurchaseOrders
    kind: str  # what it is: Invoice, Bill, Credit note, Quote, Purchase order
    document_id: str
    number: str
    contact: str
    status: str
    total: Decimal
    date: datetime.date


def printables(store: Store, org: int) -> list[Printable]:
    """An organisation's invoices, bills, credit notes, quotes and purchase orders, each
    kind in the order entered (the console's documents page)."""
    from . import credits, sales  # they import this module

    service = Service(store)
    names = {c.contact_id: c.name for c in store.contacts(org)}
    found = [
        Printable("Invoices", "Invoice" if i.type == "ACCREC" else "Bill", i.invoice_id,
                  i.number, names.get(i.contact_id, ""), i.status, i.total, i.date)
        for i in store.invoices(org)
    ]  # fmt: skip
    found += [
        Printable("CreditNotes", "Credit note", c.credit_note_id, c.number,
                  names.get(c.contact_id, ""), c.status, c.total, c.date)
        for c in credits.credit_notes_of(store, org)
    ]  # fmt: skip
    found += [
        Printable("Quotes", "Quote", q.quote_id, q.number, names.get(q.contact_id, ""),
                  q.status, q.total, q.date)
        for q in sales._all(service, org, sales.QUOTE, sales.QuoteRecord)
    ]  # fmt: skip
    found += [
        Printable("PurchaseOrders", "Purchase order", o.purchase_order_id, o.number,
                  names.get(o.contact_id, ""), o.status, o.total, o.date)
        for o in sales._all(service, org, sales.ORDER, sales.OrderRecord)
    ]  # fmt: skip
    return found


def console_pdf(store: Store, org: Org, provider: str, resource: str, key: str) -> bytes | None:
    """The PDF of one document for the partner console (inside a read), or None when the
    organisation has no such document."""
    if resource.lower() not in _KINDS or not key:
        return None
    service = Service(store)
    service.begin()
    console = App(client_id="", client_secret="", name=provider, partner_key="",
                  custom_org_id=None)  # fmt: skip
    call = Call("GET", [resource, key], {}, {}, b"", org, console, provider)
    try:
        answer = pdf_answer(service, call)
    except (NotFound, ApiError):
        return None
    return answer.content


_READ = "accounting.transactions"
ROUTES: dict[tuple[str, str, int, str], tuple[Callable[[Service, Call], Answer], str]] = {
    ("GET", "invoices", 3, "pdf"): (get_pdf, _READ),
    ("GET", "creditnotes", 3, "pdf"): (get_pdf, _READ),
    ("GET", "purchaseorders", 3, "pdf"): (get_pdf, _READ),
    ("GET", "quotes", 3, "pdf"): (get_pdf, _READ),
    ("POST", "invoices", 3, "email"): (email_invoice, _READ),
    ("GET", "invoices", 3, "onlineinvoice"): (get_online_invoice, _READ),
}
