"""Family B of the 2.0 resources: CreditNotes, Prepayments, Overpayments, BatchPayments,
Receipts, ExpenseClaims and Users, as the sandbox implements them.

CreditNotes are invoice-shaped: PUT creates, POST creates or updates (matched on the
CreditNoteID, then an ACCRECCREDIT CreditNoteNumber), one element or a batch, with
``summarizeErrors`` as for invoices; lines, tax and totals follow the invoice rules of
:mod:`..service`. ACCRECCREDIT numbers are unique and made (CN-0001, ...) when left out.
Status moves DRAFT -> SUBMITTED -> AUTHORISED, DRAFT/SUBMITTED -> DELETED, AUTHORISED ->
VOIDED; PAID comes when the whole credit is allocated. A credit note with allocations
"cannot be edited". ``RemainingCredit`` is the total less what is allocated. Lists are paged
like invoices (lines only on a page) and take ``where``, ``order``, ``unitdp`` and
``If-Modified-Since``; a GET of one takes the CreditNoteID or the CreditNoteNumber.

Prepayments and Overpayments are read here (list, paged; one by id; ``InvoiceNumbers`` and
``References`` filters); they are made by RECEIVE-/SPEND- bank transactions, which call
:func:`save_credit`. :func:`allocate` applies a credit note, prepayment or overpayment to an
invoice with Xero's checks (type, amount outstanding, paid-off invoice), lowering the
invoice's AmountDue and raising its AmountCredited; an invoice shows what was allocated to it
in its CreditNotes, Prepayments and Overpayments (:func:`invoice_credits`). Allocations are
made with ``PUT {CreditNotes|Prepayments|Overpayments}/{id}/Allocations`` (an
``<Allocations>`` batch or one ``<Allocation>``, refusals as other writes with
``summarizeErrors``) and deleted with ``DELETE .../Allocations/{AllocationID}`` (answered
with the allocation, ``IsDeleted`` true): :func:`unallocate` gives the invoice and the credit
back what it took, an invoice or credit it had paid off is AUTHORISED again, and the ledger
reverses exactly its lines.

BatchPayments pay several AUTHORISED invoices of one kind from one bank account: each payment
is a Payment of :mod:`..service` (PAYBATCH for bills, RECBATCH for sales invoices); a batch is
refused whole when any payment is; POST Status=DELETED (on ``BatchPayments/{id}`` or with the
BatchPaymentID in the body of ``BatchPayments``) deletes it and its payments.

Receipts are created as drafts for an existing user ("A valid user should be identified using
the UserID."), numbered per user; an ExpenseClaim of a user's draft receipts is SUBMITTED, then
AUTHORISED (its receipts with it), VOIDED or DELETED (its receipts back to drafts).

Users are read-only: each organisation has the same three users, their ids derived from its
tenant id.

Rules read in the facts are unmarked; each rule inferred is marked ``# inferred:``. Inferred,
in short: CN-0001 numbering; RemainingCredit equal to the total before approval; lines of a
credit note or receipt changed only while a draft (credit notes: or submitted); allocations
only of AUTHORISED credits in the invoice's currency, and an invoice paid off by them becomes
PAID (AUTHORISED again when the allocation is deleted); an allocation without a Date applies
from today; a second delete of an allocation is refused; a batch pays invoices of one kind;
receipt numbers count per user; the receipt and expense claim moves beyond the facts'
lifecycles (a claim is created SUBMITTED, deleting it returns its receipts to drafts,
approving or voiding it moves its receipts with it); the three seeded users. Messages other than those the facts quote are the sandbox's own words.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from xero_customer_api.v2_0 import models

from ... import ledger, records, webhooks
from ...amounts import round2
from ...records import EXCLUSIVE
from ...store import Store, new_guid
from .. import codec, view
from ..errors import VALIDATION, ApiError, Problems
from ..service import (
    _GUID,
    _TRANSITIONS,
    Answer,
    Call,
    NotFound,
    Service,
    _guid,
    _int,
    _list,
    _since,
    modified_since,
)
from . import attachments, documents, history

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS credit_notes (
    credit_note_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, number TEXT NOT NULL,
    type TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS credit_notes_by_org ON credit_notes (org_id, seq);
CREATE TABLE IF NOT EXISTS credits (
    credit_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, kind TEXT NOT NULL,
    seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS credits_by_org ON credits (org_id, kind, seq);
CREATE TABLE IF NOT EXISTS allocations (
    allocation_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, source_id TEXT NOT NULL,
    invoice_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS allocations_by_source ON allocations (org_id, source_id);
CREATE INDEX IF NOT EXISTS allocations_by_invoice ON allocations (org_id, invoice_id);
CREATE TABLE IF NOT EXISTS batch_payments (
    batch_payment_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batch_payment_members (
    payment_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, batch_payment_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS receipts (
    receipt_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, user_id TEXT NOT NULL,
    seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS expense_claims (
    expense_claim_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL);
"""

CREDIT_NOTE, PREPAYMENT, OVERPAYMENT = "CREDITNOTE", "PREPAYMENT", "OVERPAYMENT"
#: The invoice type each credit document may be allocated to.
_ALLOCATES_TO = {
    "ACCRECCREDIT": "ACCREC",
    "ACCPAYCREDIT": "ACCPAY",
    "RECEIVE-PREPAYMENT": "ACCREC",
    "ARPREPAYMENT": "ACCREC",
    "SPEND-PREPAYMENT": "ACCPAY",
    "APPREPAYMENT": "ACCPAY",
    "RECEIVE-OVERPAYMENT": "ACCREC",
    "AROVERPAYMENT": "ACCREC",
    "SPEND-OVERPAYMENT": "ACCPAY",
}
_NOUN = {CREDIT_NOTE: "Credit Note", PREPAYMENT: "Prepayment", OVERPAYMENT: "Overpayment"}
LOCKED = "This document cannot be edited as it has a payment or credit note allocated to it."
# inferred: the receipt lifecycle beyond the facts' DRAFT -> SUBMITTED -> AUTHORISED | DECLINED
# and VOIDED (which moves Xero allows between them is not documented).
_RECEIPT_TRANSITIONS = {
    "DRAFT": {"DRAFT", "SUBMITTED", "DELETED"},
    "SUBMITTED": {"SUBMITTED", "AUTHORISED", "DECLINED"},
    "AUTHORISED": {"AUTHORISED", "VOIDED"},
    "DECLINED": {"DECLINED", "DRAFT"},
    "VOIDED": {"VOIDED"},
    "DELETED": {"DELETED"},
}
# The expense claim lifecycle: SUBMITTED -> AUTHORISED -> PAID; VOIDED; DELETED (facts).
# inferred: DELETED only from SUBMITTED and VOIDED only from AUTHORISED, as for invoices.
_CLAIM_TRANSITIONS = {
    "SUBMITTED": {"SUBMITTED", "AUTHORISED", "DELETED"},
    "AUTHORISED": {"AUTHORISED", "VOIDED"},
    "PAID": {"PAID"},
    "VOIDED": {"VOIDED"},
    "DELETED": {"DELETED"},
}
# Batch payment text limits [SPEC]: (element, model field, most characters).
_BATCH_LIMITS = (
    ("Reference", "reference", 255),
    ("Particulars", "particulars", 12),
    ("Code", "code", 12),
    ("Details", "details", 18),
    ("Narrative", "narrative", 18),
)


# ----------------------------------------------------------------------------- records


@dataclass(slots=True, kw_only=True)
class CreditNote:
    """A credit note (ACCRECCREDIT or ACCPAYCREDIT); lines as an invoice's."""

    credit_note_id: str
    type: str
    contact_id: str
    date: datetime.date
    number: str
    status: str
    line_amount_types: str
    lines: list[records.Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    remaining_credit: Decimal
    updated: datetime.datetime
    due_date: datetime.date | None = None
    reference: str | None = None
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    branding_theme_id: str | None = None
    sent_to_contact: bool | None = None
    fully_paid_on: datetime.date | None = None


@dataclass(slots=True, kw_only=True)
class Credit:
    """A prepayment or an overpayment (``kind``), made by a bank transaction."""

    credit_id: str
    kind: str  # PREPAYMENT or OVERPAYMENT
    type: str  # RECEIVE-PREPAYMENT, SPEND-OVERPAYMENT, ...
    contact_id: str
    date: datetime.date
    status: str
    line_amount_types: str
    lines: list[records.Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    remaining_credit: Decimal
    updated: datetime.datetime
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    reference: str | None = None
    invoice_number: str | None = None


@dataclass(slots=True, kw_only=True)
class Allocation:
    """Part of a credit note, prepayment or overpayment applied to an invoice."""

    allocation_id: str
    source_kind: str  # CREDITNOTE, PREPAYMENT or OVERPAYMENT
    source_id: str
    invoice_id: str
    amount: Decimal
    date: datetime.date
    updated: datetime.datetime
    is_deleted: bool = False


@dataclass(slots=True, kw_only=True)
class BatchPayment:
    """A batch payment: the ids of the payments it made."""

    batch_payment_id: str
    account_id: str
    date: datetime.date
    type: str
    status: str
    total_amount: Decimal
    payment_ids: list[str]
    updated: datetime.datetime
    reference: str | None = None
    particulars: str | None = None
    code: str | None = None
    details: str | None = None
    narrative: str | None = None


@dataclass(slots=True, kw_only=True)
class Receipt:
    """An expense claim receipt of a user."""

    receipt_id: str
    user_id: str
    contact_id: str
    date: datetime.date
    number: str
    status: str
    line_amount_types: str
    lines: list[records.Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    updated: datetime.datetime
    reference: str | None = None
    claim_id: str | None = None


@dataclass(slots=True, kw_only=True)
class ExpenseClaim:
    """An expense claim: a user's receipts claimed together."""

    expense_claim_id: str
    user_id: str
    status: str
    receipt_ids: list[str]
    total: Decimal
    amount_due: Decimal
    amount_paid: Decimal
    updated: datetime.datetime
    reporting_date: datetime.date | None = None
    payments: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- tables


def _rows(store: Store, table: str, cls: type[T], where: str, *args: Any) -> list[T]:
    rows = store._all(f"SELECT body FROM {table} WHERE {where} ORDER BY seq", *args)
    return [records.loads(cls, r[0]) for r in rows]


def _save(
    store: Store, table: str, key: str, value: str, columns: dict[str, Any], body: Any
) -> None:
    """Insert or replace a row of one of this module's tables (inside a write)."""
    row = store._conn.execute(f"SELECT seq FROM {table} WHERE {key} = ?", (value,)).fetchone()
    seq = (
        row[0]
        if row is not None
        else store._conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}").fetchone()[0]
    )
    names = [key, *columns, "seq", "body"]
    store._conn.execute(
        f"INSERT OR REPLACE INTO {table} ({', '.join(names)})"
        f" VALUES ({', '.join('?' for _ in names)})",
        (value, *columns.values(), seq, records.dumps(body)),
    )
    history.saved_row(store, columns["org_id"], table, value, body, created=row is None)


def credit_notes_of(store: Store, org: int) -> list[CreditNote]:
    """An organisation's credit notes in the order they were entered."""
    return _rows(store, "credit_notes", CreditNote, "org_id = ?", org)


def _credit_note(store: Store, org: int, key: str) -> CreditNote | None:
    if _GUID.match(key):
        found = _rows(store, "credit_notes", CreditNote, "org_id = ? AND credit_note_id = ?",
                      org, key.lower())  # fmt: skip
    else:
        found = _rows(store, "credit_notes", CreditNote, "org_id = ? AND number = ?", org, key)
    return found[0] if found else None


def _save_credit_note(store: Store, org: int, rec: CreditNote) -> None:
    existed = _one_credit_note(store, org, rec.credit_note_id) is not None
    columns = {"org_id": org, "number": rec.number, "type": rec.type}
    _save(store, "credit_notes", "credit_note_id", rec.credit_note_id, columns, rec)
    ledger.saved(store, org, rec)
    webhooks.record_event(  # Xero's webhooks announce credit notes (with their type and status)
        store,
        org,
        "CREDITNOTE",
        "UPDATE" if existed else "CREATE",
        rec.credit_note_id,
        data={"Type": rec.type, "Status": rec.status},
    )


def _one_credit_note(store: Store, org: int, credit_note_id: str) -> CreditNote | None:
    found = _rows(store, "credit_notes", CreditNote, "org_id = ? AND credit_note_id = ?",
                  org, credit_note_id.lower())  # fmt: skip
    return found[0] if found else None


def credits_of(store: Store, org: int, kind: str) -> list[Credit]:
    """An organisation's prepayments or overpayments (``kind``)."""
    return _rows(store, "credits", Credit, "org_id = ? AND kind = ?", org, kind)


def save_credit(store: Store, org: int, rec: Credit) -> None:
    """Insert or replace a prepayment or overpayment (inside a write): what a RECEIVE- or
    SPEND-PREPAYMENT/-OVERPAYMENT bank transaction makes."""
    _save(store, "credits", "credit_id", rec.credit_id, {"org_id": org, "kind": rec.kind}, rec)
    ledger.saved(store, org, rec)


def _allocations(store: Store, org: int, *, source: str | None = None,
                 invoice: str | None = None) -> list[Allocation]:  # fmt: skip
    if source is not None:
        return _rows(store, "allocations", Allocation, "org_id = ? AND source_id = ?", org, source)
    if invoice is not None:
        return _rows(store, "allocations", Allocation, "org_id = ? AND invoice_id = ?", org,
                     invoice)  # fmt: skip
    return _rows(store, "allocations", Allocation, "org_id = ?", org)


def _save_allocation(store: Store, org: int, rec: Allocation) -> None:
    columns = {"org_id": org, "source_id": rec.source_id, "invoice_id": rec.invoice_id}
    _save(store, "allocations", "allocation_id", rec.allocation_id, columns, rec)
    ledger.saved(store, org, rec)


def has_allocations(store: Store, org: int, invoice_id: str) -> bool:
    """Whether any credit is allocated to the invoice (it then cannot be voided)."""
    return any(not a.is_deleted for a in _allocations(store, org, invoice=invoice_id))


# ----------------------------------------------------------------------------- users


@dataclass(frozen=True)
class _SeedUser:
    first: str
    last: str
    role: str
    subscriber: bool


# inferred: the sandbox's users. Xero's come from the people invited to the organisation;
# every sandbox organisation has these three, with ids derived from its tenant id.
_USERS = (
    _SeedUser("Aroha", "Ngata", "FINANCIALADVISER", True),
    _SeedUser("Ben", "Wilson", "STANDARD", False),
    _SeedUser("Mei", "Chen", "READONLY", False),
)
_USER_NAMESPACE = uuid.UUID("5b0e7a3c-52a4-4a86-9d6e-1c2f3b4a5d6e")


def users(call: Call) -> list[models.User]:
    """The organisation's users."""
    created = _org_created(call)
    out = []
    for n, seed in enumerate(_USERS):
        user_id = str(uuid.uuid5(_USER_NAMESPACE, f"{call.org.tenant_id or call.org.org_id}/{n}"))
        out.append(
            models.User(
                user_id=user_id,
                email_address=f"{seed.first.lower()}.{seed.last.lower()}@example.com",
                first_name=seed.first,
                last_name=seed.last,
                updated_date_utc=created,
                is_subscriber=seed.subscriber,
                organisation_role=models.OrganisationRole(seed.role),
            )
        )
    return out


def _org_created(call: Call) -> datetime.datetime:
    try:
        stamp = datetime.datetime.fromisoformat(call.org.created)
    except ValueError:
        stamp = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=datetime.UTC)


def _user(call: Call, given: models.User | None) -> models.User:
    if given is not None and given.user_id:
        for user in users(call):
            if user.user_id == given.user_id.lower():
                return user
    raise Problems(["A valid user should be identified using the UserID."])


def list_users(service: Service, call: Call) -> Answer:
    """GET Users (never paged): where, order, If-Modified-Since."""
    since = modified_since(call.headers)
    found = [u for u in users(call) if u.updated_date_utc is None or _since(u.updated_date_utc,
                                                                            since)]  # fmt: skip
    return service._shape(call, "Users", service._query_list(call, found, _same, pageable=False))


def get_user(service: Service, call: Call) -> Answer:
    """GET Users/{UserID}."""
    key = _guid(call.segments[1], "UserID")
    found = next((u for u in users(call) if u.user_id == key), None)
    if found is None:
        raise NotFound()
    return service._shape(call, "Users", [codec.entity(found)])


def _same(value: T) -> T:
    return value


# ----------------------------------------------------------------------------- views


def _contact(service: Service, org: int, contact_id: str, *, summary: bool) -> models.Contact:
    found = service.store.contact_by_id(org, contact_id)
    if found is None:  # never: contacts are not deleted
        return models.Contact(contact_id=contact_id)
    return view.contact_model(found, summary=summary)


def _allocation_model(service: Service, org: int, rec: Allocation) -> models.Allocation:
    invoice = service.store.invoice_by_id(org, rec.invoice_id)
    return models.Allocation(
        allocation_id=rec.allocation_id,
        invoice=models.AllocationInvoice(
            invoice_id=rec.invoice_id, invoice_number=invoice.number if invoice else None
        ),
        applied_amount=round2(rec.amount),
        date=rec.date,
        is_deleted=True if rec.is_deleted else None,
    )


def credit_note_model(
    service: Service, org: int, rec: CreditNote, *, lines: bool = True, unit_dp: int = 2
) -> models.CreditNote:
    """A stored credit note as 2.0 says it (without *lines*: an unpaged list's form)."""
    return models.CreditNote(
        type=view.enum(models.CreditNoteType, rec.type),
        contact=_contact(service, org, rec.contact_id, summary=not lines),
        date=rec.date,
        due_date=rec.due_date,
        status=view.enum(models.CreditNoteStatus, rec.status),
        line_amount_types=view.enum(models.LineAmountTypes, rec.line_amount_types),
        line_items=[view.line_model(line, unit_dp) for line in rec.lines] if lines else [],
        sub_total=round2(rec.sub_total),
        total_tax=round2(rec.total_tax),
        total=round2(rec.total),
        updated_date_utc=rec.updated,
        currency_code=rec.currency_code or "NZD",
        currency_rate=rec.currency_rate,
        fully_paid_on_date=rec.fully_paid_on,
        credit_note_id=rec.credit_note_id,
        credit_note_number=rec.number,
        reference=rec.reference,
        sent_to_contact=rec.sent_to_contact,
        remaining_credit=round2(rec.remaining_credit),
        allocations=[
            _allocation_model(service, org, a)
            for a in _allocations(service.store, org, source=rec.credit_note_id)
            if not a.is_deleted
        ],
        branding_theme_id=rec.branding_theme_id,
        has_attachments=attachments.has_attachments(service.store, org, rec.credit_note_id),
    )


def credit_model(
    service: Service, org: int, rec: Credit, *, unit_dp: int = 2
) -> models.Prepayment | models.Overpayment:
    """A stored prepayment or overpayment as 2.0 says it."""
    common: dict[str, Any] = {
        "contact": _contact(service, org, rec.contact_id, summary=False),
        "date": rec.date,
        "line_amount_types": view.enum(models.LineAmountTypes, rec.line_amount_types),
        "line_items": [view.line_model(line, unit_dp) for line in rec.lines],
        "sub_total": round2(rec.sub_total),
        "total_tax": round2(rec.total_tax),
        "total": round2(rec.total),
        "updated_date_utc": rec.updated,
        "currency_code": rec.currency_code or "NZD",
        "currency_rate": rec.currency_rate,
        "remaining_credit": round2(rec.remaining_credit),
        "allocations": [
            _allocation_model(service, org, a)
            for a in _allocations(service.store, org, source=rec.credit_id)
            if not a.is_deleted
        ],
        "has_attachments": False,  # prepayments and overpayments take no attachments [SPEC]
        "reference": rec.reference,
    }
    if rec.kind == PREPAYMENT:
        return models.Prepayment(
            type=view.enum(models.PrepaymentType, rec.type),
            status=view.enum(models.PrepaymentStatus, rec.status),
            prepayment_id=rec.credit_id,
            invoice_number=rec.invoice_number,
            **common,
        )
    return models.Overpayment(
        type=view.enum(models.OverpaymentType, rec.type),
        status=view.enum(models.OverpaymentStatus, rec.status),
        overpayment_id=rec.credit_id,
        **common,
    )


InvoiceCredits = tuple[list[models.CreditNote], list[models.Prepayment], list[models.Overpayment]]


def invoice_credits(
    store: Store, org: int, invoice_ids: Iterable[str]
) -> dict[str, InvoiceCredits]:
    """What is allocated to each of the invoices: its CreditNotes, Prepayments and
    Overpayments, each with the AppliedAmount (the invoice view's read-only lists)."""
    wanted = set(invoice_ids)
    allocations = [
        a for a in _allocations(store, org) if a.invoice_id in wanted and not a.is_deleted
    ]
    out: dict[str, InvoiceCredits] = {}
    if not allocations:
        return out
    notes = {c.credit_note_id: c for c in credit_notes_of(store, org)}
    credits = {c.credit_id: c for k in (PREPAYMENT, OVERPAYMENT) for c in credits_of(store, org, k)}
    for a in allocations:
        lists = out.setdefault(a.invoice_id, ([], [], []))
        if a.source_kind == CREDIT_NOTE and a.source_id in notes:
            note = notes[a.source_id]
            lists[0].append(
                models.CreditNote(
                    credit_note_id=note.credit_note_id,
                    credit_note_number=note.number,
                    type=view.enum(models.CreditNoteType, note.type),
                    date=note.date,
                    total=round2(note.total),
                    applied_amount=round2(a.amount),
                )
            )
        elif a.source_id in credits:
            credit = credits[a.source_id]
            if credit.kind == PREPAYMENT:
                lists[1].append(
                    models.Prepayment(
                        prepayment_id=credit.credit_id,
                        type=view.enum(models.PrepaymentType, credit.type),
                        date=credit.date,
                        total=round2(credit.total),
                        applied_amount=round2(a.amount),
                    )
                )
            else:
                lists[2].append(
                    models.Overpayment(
                        overpayment_id=credit.credit_id,
                        type=view.enum(models.OverpaymentType, credit.type),
                        date=credit.date,
                        total=round2(credit.total),
                        applied_amount=round2(a.amount),
                    )
                )
    return out


# ----------------------------------------------------------------------------- allocations


def allocate(
    store: Store,
    org: int,
    source_kind: str,
    source_id: str,
    invoice_id: str,
    amount: Decimal,
    date: datetime.date,
) -> Allocation:
    """Apply part of a credit note, prepayment or overpayment to an invoice (inside a write).

    Raises :class:`Problems` with Xero's messages when the invoice is paid off, of the wrong
    type, or the amount is greater than what is outstanding on either side."""
    noun = _NOUN[source_kind]
    note: CreditNote | None = None
    credit: Credit | None = None
    if source_kind == CREDIT_NOTE:
        note = _credit_note(store, org, source_id)
        found: CreditNote | Credit | None = note
    else:
        credit = next(
            (c for c in credits_of(store, org, source_kind) if c.credit_id == source_id), None
        )
        found = credit
    invoice = store.invoice_by_id(org, invoice_id)
    if found is None or invoice is None:
        raise Problems([f"The {noun.lower()} or the invoice of the allocation does not exist."])
    if invoice.status == "PAID" or invoice.amount_due <= 0:
        raise Problems(["The invoice you are trying to allocate to has already been paid off"])
    if _ALLOCATES_TO.get(found.type) != invoice.type:
        raise Problems([f"{noun} cannot be allocated to an incorrect invoice type"])
    # inferred: only an approved credit in the invoice's currency can be allocated (one
    # allocated whole, PAID, has nothing outstanding: the amount check below refuses it).
    if found.status not in ("AUTHORISED", "PAID"):
        raise Problems([f"A {noun.lower()} in status {found.status} cannot be allocated."])
    if (found.currency_code or "NZD") != (invoice.currency_code or "NZD"):
        raise Problems([f"The {noun.lower()} and the invoice must be in the same currency."])
    amount = round2(amount)
    if amount <= 0 or amount > found.remaining_credit or amount > invoice.amount_due:
        raise Problems([f"{noun} cannot be allocated as amount is greater than amount outstanding"])
    rec = Allocation(
        allocation_id=new_guid(),
        source_kind=source_kind,
        source_id=source_id,
        invoice_id=invoice_id,
        amount=amount,
        date=date,
        updated=store.stamp(),
    )
    _save_allocation(store, org, rec)
    invoice.amount_due -= amount
    invoice.amount_credited += amount
    if invoice.amount_due == 0:  # inferred: as a payment does
        invoice.status, invoice.fully_paid_on = "PAID", date
    invoice.updated = store.stamp()
    store.save_invoice(org, invoice)
    history.saved(store, org, "invoices", invoice.invoice_id, invoice, created=False)
    webhooks.record_event(store, org, "INVOICE", "UPDATE", invoice.invoice_id)
    found.remaining_credit -= amount
    if found.remaining_credit == 0:
        found.status = "PAID"
        if note is not None:
            note.fully_paid_on = date
    found.updated = store.stamp()
    if note is not None:
        _save_credit_note(store, org, note)
    elif credit is not None:
        save_credit(store, org, credit)
    return rec


def unallocate(store: Store, org: int, rec: Allocation) -> Allocation:
    """Delete an allocation (inside a write): the invoice's AmountDue and AmountCredited and
    the credit's RemainingCredit are what they were before it, an invoice or credit it had
    paid off is AUTHORISED again, and the ledger reverses exactly the allocation's lines."""
    rec.is_deleted = True
    rec.updated = store.stamp()
    _save_allocation(store, org, rec)  # the ledger: no posting now, so its lines reversed
    invoice = store.invoice_by_id(org, rec.invoice_id)
    if invoice is not None:
        invoice.amount_due += rec.amount
        invoice.amount_credited -= rec.amount
        if invoice.status == "PAID" and invoice.amount_due > 0:  # inferred: as allocate
            invoice.status, invoice.fully_paid_on = "AUTHORISED", None
        invoice.updated = store.stamp()
        store.save_invoice(org, invoice)
        history.saved(store, org, "invoices", invoice.invoice_id, invoice, created=False)
        webhooks.record_event(store, org, "INVOICE", "UPDATE", invoice.invoice_id)
    if rec.source_kind == CREDIT_NOTE:
        note = _one_credit_note(store, org, rec.source_id)
        if note is not None:
            note.remaining_credit += rec.amount
            if note.status == "PAID" and note.remaining_credit > 0:
                note.status, note.fully_paid_on = "AUTHORISED", None
            note.updated = store.stamp()
            _save_credit_note(store, org, note)
    else:
        credit = _one_credit(store, org, rec.source_kind, rec.source_id)
        if credit is not None:
            credit.remaining_credit += rec.amount
            if credit.status == "PAID" and credit.remaining_credit > 0:
                credit.status = "AUTHORISED"
            credit.updated = store.stamp()
            save_credit(store, org, credit)
    return rec


def _one_credit(store: Store, org: int, kind: str, credit_id: str) -> Credit | None:
    found = _rows(store, "credits", Credit, "org_id = ? AND kind = ? AND credit_id = ?", org,
                  kind, credit_id.lower())  # fmt: skip
    return found[0] if found else None


def _allocation_source(service: Service, call: Call, kind: str) -> str:
    """The id of the credit note, prepayment or overpayment of an Allocations path (404 when
    there is none; a credit note also by its number, as its GET)."""
    key = call.segments[1]
    org = call.org.org_id
    if kind == CREDIT_NOTE:
        note = _credit_note(service.store, org, key)
        if note is None:
            raise NotFound()
        return note.credit_note_id
    if not _GUID.match(key) or _one_credit(service.store, org, kind, key) is None:
        raise NotFound()
    return key.lower()


def _allocation_item(service: Service, call: Call, kind: str, source_id: str,
                     item: models.Allocation) -> Allocation:  # fmt: skip
    invoice_id = item.invoice.invoice_id if item.invoice is not None else None
    problems = []
    # inferred: the sandbox's words for an allocation without its invoice or amount
    if not invoice_id:
        problems.append("An allocation needs the InvoiceID of the invoice it applies to.")
    if item.applied_amount is None:
        problems.append("An allocation needs an AppliedAmount.")
    if problems or invoice_id is None or item.applied_amount is None:
        raise Problems(problems)
    # inferred: an allocation without a Date applies from today (UTC)
    when = item.date or datetime.datetime.now(datetime.UTC).date()
    return allocate(service.store, call.org.org_id, kind, source_id, invoice_id.lower(),
                    item.applied_amount, when)  # fmt: skip


def _put_allocations(service: Service, call: Call, kind: str) -> Answer:
    """PUT {CreditNotes|Prepayments|Overpayments}/{id}/Allocations: one ``<Allocation>`` or
    ``<Allocations>``; each is checked and saved on its own, refusals as other writes
    (``summarizeErrors``)."""
    org = call.org.org_id
    source_id = _allocation_source(service, call, kind)
    elements = service.reader.parse(call.body, "Allocation", batch="Allocations")
    items = [codec.decode(models.Allocation, el) for el in elements]
    results: list[models.Allocation | Problems] = []
    for item in items:
        try:
            rec = _allocation_item(service, call, kind, source_id, item)
            results.append(_allocation_model(service, org, rec))
        except Problems as problems:
            results.append(problems)
    return service._batch(call, "Allocations", items, results, "allocation_id")


def _delete_allocation(service: Service, call: Call, kind: str) -> Answer:
    """DELETE {CreditNotes|Prepayments|Overpayments}/{id}/Allocations/{AllocationID}: the
    allocation, IsDeleted true."""
    org = call.org.org_id
    source_id = _allocation_source(service, call, kind)
    key = call.segments[3].lower()
    found = next(
        (a for a in _allocations(service.store, org, source=source_id) if a.allocation_id == key),
        None,
    )
    if found is None:
        raise NotFound()
    if found.is_deleted:
        # inferred: the sandbox's words; Xero's answer to a second delete is not in the facts
        echo = models.Allocation(
            allocation_id=found.allocation_id,
            validation_errors=[
                models.EntityValidationError(message="This allocation has already been deleted.")
            ],
        )
        raise ApiError(VALIDATION, "A validation exception occurred", elements=[echo])
    rec = unallocate(service.store, org, found)
    return service._shape(call, "Allocations", [codec.entity(_allocation_model(service, org, rec))])


def put_credit_note_allocations(service: Service, call: Call) -> Answer:
    """PUT CreditNotes/{CreditNoteID}/Allocations."""
    return _put_allocations(service, call, CREDIT_NOTE)


def put_prepayment_allocations(service: Service, call: Call) -> Answer:
    """PUT Prepayments/{PrepaymentID}/Allocations."""
    return _put_allocations(service, call, PREPAYMENT)


def put_overpayment_allocations(service: Service, call: Call) -> Answer:
    """PUT Overpayments/{OverpaymentID}/Allocations."""
    return _put_allocations(service, call, OVERPAYMENT)


def delete_credit_note_allocation(service: Service, call: Call) -> Answer:
    """DELETE CreditNotes/{CreditNoteID}/Allocations/{AllocationID}."""
    return _delete_allocation(service, call, CREDIT_NOTE)


def delete_prepayment_allocation(service: Service, call: Call) -> Answer:
    """DELETE Prepayments/{PrepaymentID}/Allocations/{AllocationID}."""
    return _delete_allocation(service, call, PREPAYMENT)


def delete_overpayment_allocation(service: Service, call: Call) -> Answer:
    """DELETE Overpayments/{OverpaymentID}/Allocations/{AllocationID}."""
    return _delete_allocation(service, call, OVERPAYMENT)


# ----------------------------------------------------------------------------- credit notes


def _unit_dp(call: Call) -> int:
    return _int(call.query, "unitdp", 2, 4) or 2


def list_credit_notes(service: Service, call: Call) -> Answer:
    """GET CreditNotes (lines only when paged)."""
    org = call.org.org_id
    since = modified_since(call.headers)
    unit_dp = _unit_dp(call)
    paged = call.query.get("page") not in (None, "")
    found = [c for c in credit_notes_of(service.store, org) if _since(c.updated, since)]

    def build(rec: CreditNote) -> models.CreditNote:
        return credit_note_model(service, org, rec, lines=paged, unit_dp=unit_dp)

    elements = service._query_list(call, found, build, pageable=True)
    return service._shape(call, "CreditNotes", elements)


def get_credit_note(service: Service, call: Call) -> Answer:
    """GET CreditNotes/{CreditNoteID or CreditNoteNumber} (its PDF with Accept: application/pdf)."""
    if documents.wants_pdf(call):
        return documents.pdf_answer(service, call)
    org = call.org.org_id
    found = _credit_note(service.store, org, call.segments[1])
    if found is None:
        raise NotFound()
    model = credit_note_model(service, org, found, unit_dp=_unit_dp(call))
    return service._shape(call, "CreditNotes", [codec.entity(model)])


def put_credit_notes(service: Service, call: Call) -> Answer:
    """PUT CreditNotes: create one or a batch."""
    return _write_credit_notes(service, call, create_only=True)


def post_credit_notes(service: Service, call: Call) -> Answer:
    """POST CreditNotes (or CreditNotes/{id}): create or update; Status DELETED/VOIDED."""
    return _write_credit_notes(service, call, create_only=False)


def _write_credit_notes(service: Service, call: Call, *, create_only: bool) -> Answer:
    org = call.org.org_id
    target = call.segments[1] if len(call.segments) > 1 else None
    existing = None
    if target is not None:
        existing = _credit_note(service.store, org, target)
        if existing is None:
            raise NotFound()
    items = [
        codec.decode(models.CreditNote, el)
        for el in service.reader.parse(
            call.body, "CreditNote", batch=None if target else "CreditNotes"
        )
    ]
    unit_dp = _unit_dp(call)
    numbers = {c.number for c in credit_notes_of(service.store, org) if c.type == "ACCRECCREDIT"}
    results: list[models.CreditNote | Problems] = []
    for item in items:
        try:
            saved = _save_credit_note_item(service, call, item, existing, numbers, create_only)
            results.append(credit_note_model(service, org, saved, unit_dp=unit_dp))
        except Problems as problems:
            results.append(problems)
    return service._batch(call, "CreditNotes", items, results, "credit_note_id")


def _next_credit_number(numbers: set[str]) -> str:
    # inferred: the sandbox numbers sales credit notes CN-0001, CN-0002, ... (Xero follows
    # the organisation's settings).
    n = len(numbers) + 1
    while f"CN-{n:04d}" in numbers:
        n += 1
    return f"CN-{n:04d}"


def _save_credit_note_item(
    service: Service,
    call: Call,
    item: models.CreditNote,
    existing: CreditNote | None,
    numbers: set[str],
    create_only: bool,
) -> CreditNote:
    org = call.org.org_id
    store = service.store
    if existing is None and item.credit_note_id is not None:
        if create_only:
            raise Problems(
                ["A CreditNoteID cannot be given when creating a credit note (use POST)."]
            )
        existing = _credit_note(store, org, item.credit_note_id)
        if existing is None:
            raise Problems(
                ["An existing Credit Note with the specified CreditNoteID could not be found"]
            )
    if existing is None and not create_only and item.credit_note_number:
        found = _credit_note(store, org, item.credit_note_number)
        if found is not None and found.type == "ACCRECCREDIT":
            existing = found
    if existing is not None:
        return _update_credit_note(service, call, item, existing, numbers)
    problems: list[str] = []
    if item.type is None:
        raise Problems(["The credit note Type (ACCRECCREDIT or ACCPAYCREDIT) must be given."])
    if item.contact is None:
        raise Problems(["A credit note needs a Contact (its ContactID or Name)."])
    kind = item.type.value
    status = item.status.value if item.status else "DRAFT"
    if status not in ("DRAFT", "SUBMITTED", "AUTHORISED"):
        problems.append(f"A credit note cannot be created with the status {status}.")
    amounts = item.line_amount_types.value if item.line_amount_types else EXCLUSIVE
    # inferred: at least one line, as for invoices.
    if not item.line_items:
        problems.append("A credit note must have at least one line item.")
    lines = service._lines(org, item.line_items, amounts, problems)
    number = item.credit_note_number
    if kind == "ACCRECCREDIT":
        if number is None or not number.strip():
            number = _next_credit_number(numbers)
        elif number in numbers:
            problems.append(
                f"The CreditNoteNumber {number} is already assigned to another credit note."
            )
    totals = service._totals(_as_invoice(item), lines, amounts, problems)
    if problems:
        raise Problems(problems)
    contact = service._contact_for(org, item.contact)
    sub_total, total_tax, grand_total = totals
    rec = CreditNote(
        credit_note_id=new_guid(),
        type=kind,
        contact_id=contact.contact_id,
        date=item.date or datetime.datetime.now(datetime.UTC).date(),
        due_date=item.due_date,
        number=number or "",
        # Reference is for ACCRECCREDIT only (facts); inferred: ignored on ACCPAYCREDIT.
        reference=item.reference if kind == "ACCRECCREDIT" else None,
        status=status,
        line_amount_types=amounts,
        lines=lines,
        sub_total=sub_total,
        total_tax=total_tax,
        total=grand_total,
        remaining_credit=grand_total,
        currency_code=item.currency_code or "NZD",
        currency_rate=item.currency_rate,
        branding_theme_id=item.branding_theme_id,
        updated=store.stamp(),
    )
    _save_credit_note(store, org, rec)
    if kind == "ACCRECCREDIT":
        numbers.add(rec.number)
    return rec


def _as_invoice(item: models.CreditNote | models.Receipt) -> models.Invoice:
    """The totals of a document as the invoice checks read them."""
    return models.Invoice(sub_total=item.sub_total, total_tax=item.total_tax, total=item.total)


def _update_credit_note(
    service: Service, call: Call, item: models.CreditNote, rec: CreditNote, numbers: set[str]
) -> CreditNote:
    org = call.org.org_id
    store = service.store
    status = item.status.value if item.status else rec.status
    if status not in _TRANSITIONS[rec.status]:
        raise Problems([f"A credit note in status {rec.status} cannot become {status}."])
    allocated = [a for a in _allocations(store, org, source=rec.credit_note_id) if not a.is_deleted]
    changes_lines = bool(item.line_items) or (
        item.line_amount_types is not None and item.line_amount_types.value != rec.line_amount_types
    )
    if allocated and (status != rec.status or changes_lines):
        raise Problems([LOCKED])
    editable = rec.status in ("DRAFT", "SUBMITTED")
    problems: list[str] = []
    if changes_lines:
        if not editable:
            raise Problems([f"A credit note in status {rec.status} cannot be changed."])
        amounts = item.line_amount_types.value if item.line_amount_types else rec.line_amount_types
        given = item.line_items or [
            models.LineItem(
                line_item_id=line.line_item_id,
                description=line.description,
                quantity=line.quantity,
                unit_amount=line.unit_amount,
                account_code=line.account_code,
                tax_type=line.tax_type,
                tracking=[
                    models.LineItemTracking(
                        tracking_category_id=t.category_id, tracking_option_id=t.option_id
                    )
                    for t in line.tracking
                ],
            )
            for line in rec.lines
        ]
        rec.lines = service._lines(org, given, amounts, problems)
        rec.line_amount_types = amounts
        rec.sub_total, rec.total_tax, rec.total = service._totals(
            _as_invoice(item), rec.lines, amounts, problems
        )
        rec.remaining_credit = rec.total
    if item.contact is not None and editable:
        rec.contact_id = service._contact_for(org, item.contact).contact_id
    if item.credit_note_number and item.credit_note_number != rec.number:
        if rec.type == "ACCRECCREDIT" and item.credit_note_number in numbers:
            problems.append(f"The CreditNoteNumber {item.credit_note_number} is already assigned.")
        rec.number = item.credit_note_number
        if rec.type == "ACCRECCREDIT":
            numbers.add(rec.number)
    if problems:
        raise Problems(problems)
    for attr, value in (
        ("date", item.date),
        ("due_date", item.due_date),
        ("reference", item.reference if rec.type == "ACCRECCREDIT" else None),
        ("branding_theme_id", item.branding_theme_id),
    ):
        if value is not None:
            setattr(rec, attr, value)
    rec.status = status
    if status in ("VOIDED", "DELETED"):
        rec.remaining_credit = Decimal(0)
    rec.updated = store.stamp()
    _save_credit_note(store, org, rec)
    return rec


# ----------------------------------------------------------------------------- pre/overpayments


def _list_credits(service: Service, call: Call, kind: str) -> Answer:
    org = call.org.org_id
    since = modified_since(call.headers)
    unit_dp = _unit_dp(call)
    numbers = _list(call.query, "InvoiceNumbers") if kind == PREPAYMENT else None
    references = _list(call.query, "References") if kind == OVERPAYMENT else None
    found = [
        c
        for c in credits_of(service.store, org, kind)
        if _since(c.updated, since)
        and (numbers is None or c.invoice_number in numbers)
        and (references is None or c.reference in references)
    ]

    def build(rec: Credit) -> models.Prepayment | models.Overpayment:
        return credit_model(service, org, rec, unit_dp=unit_dp)

    wrapper = "Prepayments" if kind == PREPAYMENT else "Overpayments"
    return service._shape(call, wrapper, service._query_list(call, found, build, pageable=True))


def _get_credit(service: Service, call: Call, kind: str) -> Answer:
    org = call.org.org_id
    key = _guid(call.segments[1], "PrepaymentID" if kind == PREPAYMENT else "OverpaymentID")
    found = next((c for c in credits_of(service.store, org, kind) if c.credit_id == key), None)
    if found is None:
        raise NotFound()
    wrapper = "Prepayments" if kind == PREPAYMENT else "Overpayments"
    return service._shape(call, wrapper, [codec.entity(credit_model(service, org, found))])


def list_prepayments(service: Service, call: Call) -> Answer:
    """GET Prepayments (paged; InvoiceNumbers)."""
    return _list_credits(service, call, PREPAYMENT)


def get_prepayment(service: Service, call: Call) -> Answer:
    """GET Prepayments/{PrepaymentID}."""
    return _get_credit(service, call, PREPAYMENT)


def list_overpayments(service: Service, call: Call) -> Answer:
    """GET Overpayments (paged; References)."""
    return _list_credits(service, call, OVERPAYMENT)


def get_overpayment(service: Service, call: Call) -> Answer:
    """GET Overpayments/{OverpaymentID}."""
    return _get_credit(service, call, OVERPAYMENT)


# ----------------------------------------------------------------------------- batch payments


def batch_of_payment(store: Store, org: int, payment_id: str) -> str | None:
    """The BatchPaymentID of a payment a batch payment made (None for others)."""
    row = store._one(
        "SELECT batch_payment_id FROM batch_payment_members WHERE org_id = ? AND payment_id = ?",
        org,
        payment_id,
    )
    return None if row is None else str(row[0])


def _batch_payments(store: Store, org: int) -> list[BatchPayment]:
    return _rows(store, "batch_payments", BatchPayment, "org_id = ?", org)


def _batch_payment(service: Service, call: Call, key: str) -> BatchPayment:
    wanted = _guid(key, "BatchPaymentID")
    for rec in _batch_payments(service.store, call.org.org_id):
        if rec.batch_payment_id == wanted:
            return rec
    raise NotFound()


def batch_payment_model(service: Service, org: int, rec: BatchPayment) -> models.BatchPayment:
    """A stored batch payment with its payments (each with its invoice)."""
    payments = []
    for payment_id in rec.payment_ids:
        payment = service.store.payment_by_id(org, payment_id)
        if payment is None:
            continue
        invoice = service.store.invoice_by_id(org, payment.invoice_id)
        payments.append(
            models.Payment(
                payment_id=payment.payment_id,
                date=payment.date,
                amount=round2(payment.amount),
                reference=payment.reference,
                status=view.enum(models.PaymentStatus, payment.status),
                payment_type=view.enum(models.PaymentType, payment.payment_type),
                invoice=models.Invoice(
                    invoice_id=invoice.invoice_id,
                    invoice_number=invoice.number,
                    type=view.enum(models.InvoiceType, invoice.type),
                )
                if invoice is not None
                else None,
                batch_payment_id=rec.batch_payment_id,
            )
        )
    account = next((a for a in service.store.accounts(org) if a.account_id == rec.account_id), None)
    return models.BatchPayment(
        account=models.Account(account_id=rec.account_id, code=account.code if account else None),
        date=rec.date,
        reference=rec.reference,
        particulars=rec.particulars,
        code=rec.code,
        details=rec.details,
        narrative=rec.narrative,
        payments=payments,
        batch_payment_id=rec.batch_payment_id,
        status=view.enum(models.BatchPaymentStatus, rec.status),
        type=view.enum(models.BatchPaymentType, rec.type),
        total_amount=round2(rec.total_amount),
        updated_date_utc=rec.updated,
        is_reconciled=False,
    )


def list_batch_payments(service: Service, call: Call) -> Answer:
    """GET BatchPayments (never paged): where, order, If-Modified-Since."""
    org = call.org.org_id
    since = modified_since(call.headers)
    found = [b for b in _batch_payments(service.store, org) if _since(b.updated, since)]

    def build(rec: BatchPayment) -> models.BatchPayment:
        return batch_payment_model(service, org, rec)

    elements = service._query_list(call, found, build, pageable=False)
    return service._shape(call, "BatchPayments", elements)


def get_batch_payment(service: Service, call: Call) -> Answer:
    """GET BatchPayments/{BatchPaymentID}."""
    rec = _batch_payment(service, call, call.segments[1])
    model = batch_payment_model(service, call.org.org_id, rec)
    return service._shape(call, "BatchPayments", [codec.entity(model)])


def put_batch_payments(service: Service, call: Call) -> Answer:
    """PUT BatchPayments: create one or several batch payments."""
    org = call.org.org_id
    items = [
        codec.decode(models.BatchPayment, el)
        for el in service.reader.parse(call.body, "BatchPayment", batch="BatchPayments")
    ]
    results: list[models.BatchPayment | Problems] = []
    for item in items:
        try:
            rec = _create_batch_payment(service, org, item)
            results.append(batch_payment_model(service, org, rec))
        except Problems as problems:
            results.append(problems)
    return service._batch(call, "BatchPayments", items, results, "batch_payment_id")


def _create_batch_payment(service: Service, org: int, item: models.BatchPayment) -> BatchPayment:
    store = service.store
    problems: list[str] = []
    account = None
    if item.account is not None:
        account = next(
            (
                a
                for a in store.accounts(org)
                if (item.account.account_id and a.account_id == item.account.account_id.lower())
                or (item.account.code and a.code == item.account.code)
            ),
            None,
        )
    if account is None:
        problems.append("A batch payment needs an existing Account (its AccountID or Code).")
    elif not (account.type == "BANK" or account.enable_payments):
        problems.append(f"Payments cannot be made to the account {account.code}.")
    if item.date is None:
        problems.append("A batch payment needs a Date.")
    for element, name, most in _BATCH_LIMITS:
        value = getattr(item, name)
        if value is not None and len(value) > most:
            problems.append(f"{element} must be at most {most} characters long.")
    if not item.payments:
        problems.append("A batch payment needs at least one payment.")
    due: dict[str, Decimal] = {}
    kinds: set[str] = set()
    invoices: list[records.Invoice] = []
    for n, payment in enumerate(item.payments, start=1):
        given = payment.invoice
        invoice = None
        if given is not None and given.invoice_id:
            invoice = store.invoice_by_id(org, given.invoice_id.lower())
        elif given is not None and given.invoice_number:
            invoice = store.invoice_by_number(org, given.invoice_number)
        if invoice is None:
            problems.append(f"Payment {n}: an existing Invoice (its InvoiceID) is needed.")
            continue
        invoices.append(invoice)
        kinds.add(invoice.type)
        if invoice.status != "AUTHORISED":
            problems.append(
                f"Payment {n}: payments can only be made to AUTHORISED invoices, not"
                f" {invoice.status}."
            )
        left = due.get(invoice.invoice_id, invoice.amount_due)
        if payment.amount is None or payment.amount <= 0:
            problems.append(f"Payment {n}: a positive Amount is needed.")
        elif round2(payment.amount) > left:
            problems.append(
                f"Payment {n}: the amount {payment.amount} exceeds the amount due ({left})."
            )
        else:
            due[invoice.invoice_id] = left - round2(payment.amount)
    # inferred: one batch pays bills or receives sales invoices, not both (Type is one value).
    if len(kinds) > 1:
        problems.append("A batch payment's invoices must be all sales invoices or all bills.")
    if problems:
        raise Problems(problems)
    assert account is not None and item.date is not None
    payment_ids = []
    for payment, invoice in zip(item.payments, invoices, strict=True):
        made = service._create_payment(
            org,
            models.Payment(
                invoice=models.Invoice(invoice_id=invoice.invoice_id),
                account=models.Account(account_id=account.account_id),
                date=item.date,
                amount=payment.amount,
                reference=payment.reference or item.reference,
            ),
        )
        payment_ids.append(made.payment_id)
    rec = BatchPayment(
        batch_payment_id=new_guid(),
        account_id=account.account_id,
        date=item.date,
        type="RECBATCH" if kinds == {"ACCREC"} else "PAYBATCH",
        status="AUTHORISED",
        total_amount=sum((round2(p.amount or Decimal(0)) for p in item.payments), Decimal(0)),
        payment_ids=payment_ids,
        reference=item.reference,
        particulars=item.particulars,
        code=item.code,
        details=item.details,
        narrative=item.narrative,
        updated=store.stamp(),
    )
    _save(store, "batch_payments", "batch_payment_id", rec.batch_payment_id, {"org_id": org}, rec)
    store._conn.executemany(
        "INSERT OR REPLACE INTO batch_payment_members VALUES (?, ?, ?)",
        [(payment_id, org, rec.batch_payment_id) for payment_id in payment_ids],
    )
    return rec


def post_batch_payment(service: Service, call: Call) -> Answer:
    """POST BatchPayments/{BatchPaymentID} (or POST BatchPayments with the BatchPaymentID in
    the body) with Status DELETED: delete the batch payment and its payments."""
    org = call.org.org_id
    target = call.segments[1] if len(call.segments) > 1 else None
    elements = service.reader.parse(
        call.body, "BatchPayment", batch=None if target else "BatchPayments"
    )
    if len(elements) != 1:
        raise ApiError(VALIDATION, "A validation exception occurred",
                       elements=[codec.decode(models.BatchPayment, e) for e in elements])  # fmt: skip
    item = codec.decode(models.BatchPayment, elements[0])
    key = target or item.batch_payment_id
    if not key:
        raise service._refuse(item, "batch_payment_id", ["A BatchPaymentID must be given."])
    rec = _batch_payment(service, call, key)
    if item.status is not models.BatchPaymentStatus.DELETED:
        raise service._refuse(
            item, "batch_payment_id", ["A batch payment can only be deleted (Status DELETED)."]
        )
    if rec.status != "DELETED":
        for payment_id in rec.payment_ids:
            _delete_payment(service, org, payment_id)
        rec.status = "DELETED"
        rec.updated = service.store.stamp()
        _save(service.store, "batch_payments", "batch_payment_id", rec.batch_payment_id,
              {"org_id": org}, rec)  # fmt: skip
    model = batch_payment_model(service, org, rec)
    return service._shape(call, "BatchPayments", [codec.entity(model)])


def _delete_payment(service: Service, org: int, payment_id: str) -> None:
    """Delete one payment as POST Payments/{id} Status=DELETED does."""
    store = service.store
    rec = store.payment_by_id(org, payment_id)
    if rec is None or rec.status == "DELETED":
        return
    rec.status = "DELETED"
    rec.updated = store.stamp()
    store.save_payment(org, rec)
    ledger.saved(store, org, rec)
    invoice = store.invoice_by_id(org, rec.invoice_id)
    if invoice is not None:
        invoice.amount_paid -= rec.amount
        invoice.amount_due += rec.amount
        if invoice.status == "PAID":
            invoice.status, invoice.fully_paid_on = "AUTHORISED", None
        invoice.updated = store.stamp()
        store.save_invoice(org, invoice)
        history.payment_saved(store, org, rec, invoice, created=False)
        webhooks.record_event(store, org, "INVOICE", "UPDATE", invoice.invoice_id)


# ----------------------------------------------------------------------------- receipts


def _receipts(store: Store, org: int) -> list[Receipt]:
    return _rows(store, "receipts", Receipt, "org_id = ?", org)


def _receipt(service: Service, call: Call, key: str) -> Receipt:
    wanted = _guid(key, "ReceiptID")
    found = _rows(service.store, "receipts", Receipt, "org_id = ? AND receipt_id = ?",
                  call.org.org_id, wanted)  # fmt: skip
    if not found:
        raise NotFound()
    return found[0]


def _save_receipt(store: Store, org: int, rec: Receipt) -> None:
    columns = {"org_id": org, "user_id": rec.user_id}
    _save(store, "receipts", "receipt_id", rec.receipt_id, columns, rec)


def receipt_model(
    service: Service, call: Call, rec: Receipt, *, unit_dp: int = 2
) -> models.Receipt:
    """A stored receipt with its user and contact."""
    user = next((u for u in users(call) if u.user_id == rec.user_id), None)
    return models.Receipt(
        date=rec.date,
        contact=_contact(service, call.org.org_id, rec.contact_id, summary=False),
        line_items=[view.line_model(line, unit_dp) for line in rec.lines],
        user=models.User(
            user_id=rec.user_id,
            first_name=user.first_name if user else None,
            last_name=user.last_name if user else None,
        ),
        reference=rec.reference,
        line_amount_types=view.enum(models.LineAmountTypes, rec.line_amount_types),
        sub_total=round2(rec.sub_total),
        total_tax=round2(rec.total_tax),
        total=round2(rec.total),
        receipt_id=rec.receipt_id,
        status=view.enum(models.ReceiptStatus, rec.status),
        receipt_number=rec.number,
        updated_date_utc=rec.updated,
        has_attachments=attachments.has_attachments(service.store, call.org.org_id, rec.receipt_id),
    )


def list_receipts(service: Service, call: Call) -> Answer:
    """GET Receipts (never paged): where, order, unitdp, If-Modified-Since."""
    since = modified_since(call.headers)
    unit_dp = _unit_dp(call)
    found = [r for r in _receipts(service.store, call.org.org_id) if _since(r.updated, since)]

    def build(rec: Receipt) -> models.Receipt:
        return receipt_model(service, call, rec, unit_dp=unit_dp)

    return service._shape(call, "Receipts", service._query_list(call, found, build, pageable=False))


def get_receipt(service: Service, call: Call) -> Answer:
    """GET Receipts/{ReceiptID}."""
    rec = _receipt(service, call, call.segments[1])
    model = receipt_model(service, call, rec, unit_dp=_unit_dp(call))
    return service._shape(call, "Receipts", [codec.entity(model)])


def put_receipts(service: Service, call: Call) -> Answer:
    """PUT Receipts: create one or several draft receipts."""
    items = [
        codec.decode(models.Receipt, el)
        for el in service.reader.parse(call.body, "Receipt", batch="Receipts")
    ]
    unit_dp = _unit_dp(call)
    results: list[models.Receipt | Problems] = []
    for item in items:
        try:
            rec = _create_receipt(service, call, item)
            results.append(receipt_model(service, call, rec, unit_dp=unit_dp))
        except Problems as problems:
            results.append(problems)
    return service._batch(call, "Receipts", items, results, "receipt_id")


def _receipt_lines(
    service: Service, org: int, item: models.Receipt, amounts: str, problems: list[str]
) -> tuple[list[records.Line], tuple[Decimal, Decimal, Decimal]]:
    if not item.line_items:
        problems.append("A receipt must have at least one line item.")
    lines = service._lines(org, item.line_items, amounts, problems)
    return lines, service._totals(_as_invoice(item), lines, amounts, problems)


def _create_receipt(service: Service, call: Call, item: models.Receipt) -> Receipt:
    org = call.org.org_id
    store = service.store
    if item.receipt_id is not None:
        raise Problems(["A ReceiptID cannot be given when creating a receipt."])
    user = _user(call, item.user)
    problems: list[str] = []
    if item.contact is None:
        problems.append("A receipt needs a Contact (its ContactID or Name).")
    if item.date is None:
        problems.append("A receipt needs a Date.")
    # "Creates draft expense claim receipts" (facts); inferred: another status is refused.
    if item.status is not None and item.status is not models.ReceiptStatus.DRAFT:
        problems.append(f"A receipt is created as a DRAFT, not {item.status.value}.")
    amounts = item.line_amount_types.value if item.line_amount_types else EXCLUSIVE
    lines, totals = _receipt_lines(service, org, item, amounts, problems)
    if problems:
        raise Problems(problems)
    assert item.contact is not None and item.date is not None and user.user_id is not None
    contact = service._contact_for(org, item.contact)
    mine = [r for r in _receipts(store, org) if r.user_id == user.user_id]
    rec = Receipt(
        receipt_id=new_guid(),
        user_id=user.user_id,
        contact_id=contact.contact_id,
        date=item.date,
        number=str(len(mine) + 1),  # inferred: numbered from 1 per user
        status="DRAFT",
        line_amount_types=amounts,
        lines=lines,
        sub_total=totals[0],
        total_tax=totals[1],
        total=totals[2],
        reference=item.reference,
        updated=store.stamp(),
    )
    _save_receipt(store, org, rec)
    return rec


def post_receipt(service: Service, call: Call) -> Answer:
    """POST Receipts/{ReceiptID}: update a draft, or move its Status."""
    rec = _receipt(service, call, call.segments[1])
    (element,) = service.reader.parse(call.body, "Receipt", batch=None)
    item = codec.decode(models.Receipt, element)
    try:
        _update_receipt(service, call, item, rec)
    except Problems as problems:
        raise service._refuse(item, "receipt_id", problems.messages) from None
    model = receipt_model(service, call, rec, unit_dp=_unit_dp(call))
    return service._shape(call, "Receipts", [codec.entity(model)])


def _update_receipt(service: Service, call: Call, item: models.Receipt, rec: Receipt) -> None:
    org = call.org.org_id
    store = service.store
    status = item.status.value if item.status else rec.status
    if status not in _RECEIPT_TRANSITIONS[rec.status]:
        raise Problems([f"A receipt in status {rec.status} cannot become {status}."])
    # inferred: a receipt in a claim moves with the claim; only declining it is its own move.
    if rec.claim_id is not None and status not in (rec.status, "DECLINED"):
        raise Problems(["This receipt is part of an expense claim: change the claim instead."])
    changes = bool(item.line_items) or any(
        v is not None for v in (item.contact, item.date, item.reference, item.line_amount_types)
    )
    if changes and rec.status != "DRAFT":  # inferred: only drafts are edited
        raise Problems([f"A receipt in status {rec.status} cannot be changed."])
    problems: list[str] = []
    if item.user is not None:
        rec.user_id = str(_user(call, item.user).user_id)
    if item.line_items or item.line_amount_types is not None:
        amounts = item.line_amount_types.value if item.line_amount_types else rec.line_amount_types
        if not item.line_items:
            item = replace(
                item,
                line_items=[
                    models.LineItem(
                        line_item_id=line.line_item_id,
                        description=line.description,
                        quantity=line.quantity,
                        unit_amount=line.unit_amount,
                        account_code=line.account_code,
                        tax_type=line.tax_type,
                    )
                    for line in rec.lines
                ],
            )
        rec.lines, totals = _receipt_lines(service, org, item, amounts, problems)
        rec.sub_total, rec.total_tax, rec.total = totals
        rec.line_amount_types = amounts
    if item.contact is not None:
        rec.contact_id = service._contact_for(org, item.contact).contact_id
    if problems:
        raise Problems(problems)
    if item.date is not None:
        rec.date = item.date
    if item.reference is not None:
        rec.reference = item.reference
    if status != rec.status and rec.claim_id is not None and status == "DECLINED":
        claim = _claim_by_id(store, org, rec.claim_id)
        if claim is not None:
            claim.total -= rec.total
            claim.amount_due -= rec.total
            claim.updated = store.stamp()
            _save_claim(store, org, claim)
    rec.status = status
    rec.updated = store.stamp()
    _save_receipt(store, org, rec)


# ----------------------------------------------------------------------------- expense claims


def _claims(store: Store, org: int) -> list[ExpenseClaim]:
    return _rows(store, "expense_claims", ExpenseClaim, "org_id = ?", org)


def _claim_by_id(store: Store, org: int, claim_id: str) -> ExpenseClaim | None:
    found = _rows(store, "expense_claims", ExpenseClaim, "org_id = ? AND expense_claim_id = ?",
                  org, claim_id)  # fmt: skip
    return found[0] if found else None


def _save_claim(store: Store, org: int, rec: ExpenseClaim) -> None:
    _save(store, "expense_claims", "expense_claim_id", rec.expense_claim_id, {"org_id": org}, rec)
    ledger.saved(store, org, rec)


def claim_model(service: Service, call: Call, rec: ExpenseClaim) -> models.ExpenseClaim:
    """A stored expense claim with its user and receipts."""
    user = next((u for u in users(call) if u.user_id == rec.user_id), None)
    receipts = []
    for receipt_id in rec.receipt_ids:
        found = _rows(service.store, "receipts", Receipt, "org_id = ? AND receipt_id = ?",
                      call.org.org_id, receipt_id)  # fmt: skip
        if found:
            receipts.append(receipt_model(service, call, found[0]))
    return models.ExpenseClaim(
        expense_claim_id=rec.expense_claim_id,
        status=view.enum(models.ExpenseClaimStatus, rec.status),
        user=user or models.User(user_id=rec.user_id),
        receipts=receipts,
        updated_date_utc=rec.updated,
        total=round2(rec.total),
        amount_due=round2(rec.amount_due),
        amount_paid=round2(rec.amount_paid),
        reporting_date=rec.reporting_date,
    )


def list_expense_claims(service: Service, call: Call) -> Answer:
    """GET ExpenseClaims (never paged): where, order, If-Modified-Since."""
    since = modified_since(call.headers)
    found = [c for c in _claims(service.store, call.org.org_id) if _since(c.updated, since)]

    def build(rec: ExpenseClaim) -> models.ExpenseClaim:
        return claim_model(service, call, rec)

    elements = service._query_list(call, found, build, pageable=False)
    return service._shape(call, "ExpenseClaims", elements)


def _claim(service: Service, call: Call) -> ExpenseClaim:
    key = _guid(call.segments[1], "ExpenseClaimID")
    found = _claim_by_id(service.store, call.org.org_id, key)
    if found is None:
        raise NotFound()
    return found


def get_expense_claim(service: Service, call: Call) -> Answer:
    """GET ExpenseClaims/{ExpenseClaimID}."""
    model = claim_model(service, call, _claim(service, call))
    return service._shape(call, "ExpenseClaims", [codec.entity(model)])


def put_expense_claims(service: Service, call: Call) -> Answer:
    """PUT ExpenseClaims: create one or several claims (each SUBMITTED)."""
    items = [
        codec.decode(models.ExpenseClaim, el)
        for el in service.reader.parse(call.body, "ExpenseClaim", batch="ExpenseClaims")
    ]
    results: list[models.ExpenseClaim | Problems] = []
    for item in items:
        try:
            rec = _create_claim(service, call, item)
            results.append(claim_model(service, call, rec))
        except Problems as problems:
            results.append(problems)
    return service._batch(call, "ExpenseClaims", items, results, "expense_claim_id")


def _claimed_receipts(
    service: Service, call: Call, user_id: str, given: list[models.Receipt], claim_id: str | None
) -> list[Receipt]:
    """The receipts of a claim, each a draft of the claim's user not in another claim."""
    if not given:
        raise Problems(["An expense claim needs at least one receipt (its ReceiptID)."])
    found: list[Receipt] = []
    problems = []
    for receipt in given:
        if not receipt.receipt_id or not _GUID.match(receipt.receipt_id):
            problems.append("Each receipt of an expense claim must be given by its ReceiptID.")
            continue
        rows = _rows(service.store, "receipts", Receipt, "org_id = ? AND receipt_id = ?",
                     call.org.org_id, receipt.receipt_id.lower())  # fmt: skip
        if not rows:
            problems.append(f"The receipt {receipt.receipt_id} does not exist.")
            continue
        rec = rows[0]
        if rec.user_id != user_id:
            problems.append(f"The receipt {rec.receipt_id} belongs to another user.")
        elif rec.claim_id is not None and rec.claim_id != claim_id:
            problems.append(f"The receipt {rec.receipt_id} is already part of an expense claim.")
        elif rec.claim_id is None and rec.status != "DRAFT":
            problems.append(f"The receipt {rec.receipt_id} is {rec.status}, not a DRAFT.")
        found.append(rec)
    if problems:
        raise Problems(problems)
    return found


def _create_claim(service: Service, call: Call, item: models.ExpenseClaim) -> ExpenseClaim:
    org = call.org.org_id
    store = service.store
    if item.expense_claim_id is not None:
        raise Problems(["An ExpenseClaimID cannot be given when creating an expense claim."])
    user = _user(call, item.user)
    assert user.user_id is not None
    # inferred: a new claim is SUBMITTED (the facts' lifecycle starts there).
    if item.status is not None and item.status is not models.ExpenseClaimStatus.SUBMITTED:
        raise Problems([f"An expense claim is created as SUBMITTED, not {item.status.value}."])
    claim_id = new_guid()
    receipts = _claimed_receipts(service, call, user.user_id, item.receipts, claim_id)
    total = sum((r.total for r in receipts), Decimal(0))
    for receipt in receipts:
        receipt.status, receipt.claim_id, receipt.updated = "SUBMITTED", claim_id, store.stamp()
        _save_receipt(store, org, receipt)
    rec = ExpenseClaim(
        expense_claim_id=claim_id,
        user_id=user.user_id,
        status="SUBMITTED",
        receipt_ids=[r.receipt_id for r in receipts],
        total=total,
        amount_due=total,
        amount_paid=Decimal(0),
        reporting_date=max(r.date for r in receipts),  # inferred: the latest receipt's date
        updated=store.stamp(),
    )
    _save_claim(store, org, rec)
    return rec


def post_expense_claim(service: Service, call: Call) -> Answer:
    """POST ExpenseClaims/{ExpenseClaimID}: approve, void or delete (Status), or change the
    receipts of a submitted claim."""
    org = call.org.org_id
    store = service.store
    rec = _claim(service, call)
    (element,) = service.reader.parse(call.body, "ExpenseClaim", batch=None)
    item = codec.decode(models.ExpenseClaim, element)
    status = item.status.value if item.status else rec.status
    try:
        if status not in _CLAIM_TRANSITIONS[rec.status]:
            raise Problems([f"An expense claim in status {rec.status} cannot become {status}."])
        if item.user is not None and _user(call, item.user).user_id != rec.user_id:
            raise Problems(["The user of an expense claim cannot be changed."])
        if item.receipts:
            if rec.status != "SUBMITTED":
                raise Problems([f"The receipts of a {rec.status} expense claim cannot be changed."])
            receipts = _claimed_receipts(service, call, rec.user_id, item.receipts,
                                         rec.expense_claim_id)  # fmt: skip
            kept = {r.receipt_id for r in receipts}
            for receipt_id in rec.receipt_ids:
                if receipt_id not in kept:
                    _move_receipt(store, org, receipt_id, "DRAFT", None)
            for receipt in receipts:
                _move_receipt(store, org, receipt.receipt_id, "SUBMITTED", rec.expense_claim_id)
            rec.receipt_ids = [r.receipt_id for r in receipts]
            rec.total = sum((r.total for r in receipts), Decimal(0))
            rec.amount_due = rec.total - rec.amount_paid
    except Problems as problems:
        raise service._refuse(item, "expense_claim_id", problems.messages) from None
    if status != rec.status:
        for receipt_id in rec.receipt_ids:
            receipt_rows = _rows(store, "receipts", Receipt, "org_id = ? AND receipt_id = ?", org,
                                 receipt_id)  # fmt: skip
            if not receipt_rows or receipt_rows[0].status == "DECLINED":
                continue
            if status == "DELETED":  # inferred: the receipts go back to drafts
                _move_receipt(store, org, receipt_id, "DRAFT", None)
            elif status in ("AUTHORISED", "VOIDED"):
                _move_receipt(store, org, receipt_id, status, rec.expense_claim_id)
        if status in ("VOIDED", "DELETED"):
            rec.amount_due = Decimal(0)
        rec.status = status
    rec.updated = store.stamp()
    _save_claim(store, org, rec)
    return service._shape(call, "ExpenseClaims", [codec.entity(claim_model(service, call, rec))])


def _move_receipt(store: Store, org: int, receipt_id: str, status: str, claim: str | None) -> None:
    rows = _rows(store, "receipts", Receipt, "org_id = ? AND receipt_id = ?", org, receipt_id)
    if rows:
        receipt = rows[0]
        receipt.status, receipt.claim_id, receipt.updated = status, claim, store.stamp()
        _save_receipt(store, org, receipt)


# ----------------------------------------------------------------------------- routes


ROUTES: dict[
    tuple[str, str, int] | tuple[str, str, int, str], tuple[Callable[[Service, Call], Answer], str]
] = {
    ("GET", "creditnotes", 1): (list_credit_notes, "accounting.transactions"),
    ("GET", "creditnotes", 2): (get_credit_note, "accounting.transactions"),
    ("PUT", "creditnotes", 1): (put_credit_notes, "accounting.transactions"),
    ("POST", "creditnotes", 1): (post_credit_notes, "accounting.transactions"),
    ("POST", "creditnotes", 2): (post_credit_notes, "accounting.transactions"),
    ("GET", "prepayments", 1): (list_prepayments, "accounting.transactions"),
    ("GET", "prepayments", 2): (get_prepayment, "accounting.transactions"),
    ("GET", "overpayments", 1): (list_overpayments, "accounting.transactions"),
    ("GET", "overpayments", 2): (get_overpayment, "accounting.transactions"),
    ("GET", "batchpayments", 1): (list_batch_payments, "accounting.transactions"),
    ("GET", "batchpayments", 2): (get_batch_payment, "accounting.transactions"),
    ("PUT", "batchpayments", 1): (put_batch_payments, "accounting.transactions"),
    ("POST", "batchpayments", 1): (post_batch_payment, "accounting.transactions"),
    ("POST", "batchpayments", 2): (post_batch_payment, "accounting.transactions"),
    ("GET", "receipts", 1): (list_receipts, "accounting.transactions"),
    ("GET", "receipts", 2): (get_receipt, "accounting.transactions"),
    ("PUT", "receipts", 1): (put_receipts, "accounting.transactions"),
    ("POST", "receipts", 2): (post_receipt, "accounting.transactions"),
    ("GET", "expenseclaims", 1): (list_expense_claims, "accounting.transactions"),
    ("GET", "expenseclaims", 2): (get_expense_claim, "accounting.transactions"),
    ("PUT", "expenseclaims", 1): (put_expense_claims, "accounting.transactions"),
    ("POST", "expenseclaims", 2): (post_expense_claim, "accounting.transactions"),
    ("PUT", "creditnotes", 3, "allocations"): (
        put_credit_note_allocations,
        "accounting.transactions",
    ),
    ("PUT", "prepayments", 3, "allocations"): (
        put_prepayment_allocations,
        "accounting.transactions",
    ),
    ("PUT", "overpayments", 3, "allocations"): (
        put_overpayment_allocations,
        "accounting.transactions",
    ),
    ("DELETE", "creditnotes", 4, "allocations"): (
        delete_credit_note_allocation,
        "accounting.transactions",
    ),
    ("DELETE", "prepayments", 4, "allocations"): (
        delete_prepayment_allocation,
        "accounting.transactions",
    ),
    ("DELETE", "overpayments", 4, "allocations"): (
        delete_overpayment_allocation,
        "accounting.transactions",
    ),
    ("GET", "users", 1): (list_users, "accounting.settings"),
    ("GET", "users", 2): (get_user, "accounting.settings"),
}
