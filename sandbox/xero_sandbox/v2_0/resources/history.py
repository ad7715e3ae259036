"""History and notes of the Accounting API 2.0: ``GET`` and ``PUT {Resource}/{id}/History``
on the sixteen resources Xero gives them, and the record of every change the sandbox makes.

Facts (reference section 4, "History and notes"; section 6): history exists on
BankTransactions, BankTransfers, BatchPayments, Contacts, CreditNotes, ExpenseClaims,
Invoices, Items, ManualJournals, Overpayments, Payments, Prepayments, PurchaseOrders, Quotes,
Receipts and RepeatingInvoices. A read answers ``<HistoryRecords><HistoryRecord>`` with
Changes (Created, Edited, Approved, Note ...), DateUTC, User and Details; only notes can be
written, ``<HistoryRecords><HistoryRecord><Details>`` or a bare ``<HistoryRecord>``; POST
behaves as PUT; notes added through the API show "System Generated" as the user; PUT on
Overpayments, Payments, Prepayments and Receipts is unsupported: 400 "The document with the
supplied id was not found for this endpoint.". Details hold at most 2500 characters (the
current page, as pyxero enforces; an older page said 250).

How changes are recorded: each family's one save function calls :func:`saved` (or
:func:`saved_row`) inside the write (one ``INSERT``, plus one indexed ``SELECT`` of the
record's last status when it is not new): ``credits._save``, ``banking._put`` and
``sales._save`` for their families, the service's saves of contacts, invoices and payments.
A new record is "Created"; a status change is named after the new status (Approved,
Submitted, Voided, Deleted, Paid, Posted ...); any other save is "Edited", unless the same
call already recorded something on that record (a credit applied is not followed by an
"Edited" of the credit note the allocation saved). A payment made or deleted is "Payment
received" (a bill: "Payment made") or "Payment removed" on its invoice (:func:`payment_saved`),
an allocation made or deleted "Credit applied" or "Credit removed" on the invoice and on the
credit; events that are not a save of the record (an invoice emailed: "Sent"; an attachment
added) are written with :func:`record`. Every entry is dated by the store's next stamp, the
clock of ``UpdatedDateUTC``; entries are read oldest first, in the order they were written.
Changes made through the 1.0 API are not recorded.

Inferred (the facts do not say; marked ``# inferred:`` where applied): the wording of every
Changes value but Created, Edited, Approved and Note and of every Details; that changes made
through the API also show "System Generated" as the user; the order (oldest first); the
messages refusing an empty or too long note; that a note of an empty or missing Details is
refused (400 ValidationException) and a batch is refused whole; that an id which is not a
GUID, or names a record of another kind or organisation, is a 404 as an unknown id is.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from xero_customer_api.v2_0 import models

from ...store import Store
from .. import codec
from ..errors import VALIDATION, ApiError
from ..service import _GUID, Answer, Call, NotFound, Service

SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, resource TEXT NOT NULL,
    record_id TEXT NOT NULL, changes TEXT NOT NULL, date_utc TEXT NOT NULL,
    user TEXT NOT NULL, details TEXT NOT NULL, status TEXT);
CREATE INDEX IF NOT EXISTS history_by_record ON history (org_id, resource, record_id, seq);
"""

#: The user of every entry the sandbox writes. Facts: notes added through the API show
#: "System Generated"; # inferred: so do the changes made through the API.
SYSTEM_USER = "System Generated"
#: The most characters a note's Details may hold (Xero's current page, as pyxero enforces).
MAX_DETAILS = 2500
#: Xero's answer to PUT History where only reading is supported (reference section 6).
UNSUPPORTED = "The document with the supplied id was not found for this endpoint."
#: Resources whose history can be read but not written.
READ_ONLY = frozenset({"overpayments", "payments", "prepayments", "receipts"})

#: Each resource with a history -> (table, id column, extra condition, its argument, scope
#: family). The record must exist in the caller's organisation, of that kind.
_RECORDS: dict[str, tuple[str, str, str, str | None, str]] = {
    "banktransactions": ("bank_transactions", "bank_transaction_id", "", None, "T"),
    "banktransfers": ("bank_transfers", "bank_transfer_id", "", None, "T"),
    "batchpayments": ("batch_payments", "batch_payment_id", "", None, "T"),
    "contacts": ("contacts", "contact_id", "", None, "accounting.contacts"),
    "creditnotes": ("credit_notes", "credit_note_id", "", None, "T"),
    "expenseclaims": ("expense_claims", "expense_claim_id", "", None, "T"),
    "invoices": ("invoices", "invoice_id", "", None, "T"),
    "items": ("sales_records", "record_id", " AND kind = ?", "item", "accounting.settings"),
    "manualjournals": ("manual_journals", "manual_journal_id", "", None, "T"),
    "overpayments": ("credits", "credit_id", " AND kind = ?", "OVERPAYMENT", "T"),
    "payments": ("payments", "payment_id", "", None, "T"),
    "prepayments": ("credits", "credit_id", " AND kind = ?", "PREPAYMENT", "T"),
    "purchaseorders": ("sales_records", "record_id", " AND kind = ?", "purchase_order", "T"),
    "quotes": ("sales_records", "record_id", " AND kind = ?", "quote", "T"),
    "receipts": ("receipts", "receipt_id", "", None, "T"),
    "repeatinginvoices": ("sales_records", "record_id", " AND kind = ?", "repeating_invoice", "T"),
}
RESOURCES = frozenset(_RECORDS)

# inferred: Changes named after the status a record moves to (Xero's own words are only
# known for Created, Edited, Approved and Note).
_STATUS_CHANGES = {
    "AUTHORISED": "Approved",
    "SUBMITTED": "Submitted",
    "VOIDED": "Voided",
    "DELETED": "Deleted",
    "PAID": "Paid",
    "POSTED": "Posted",
    "ARCHIVED": "Archived",
    "SENT": "Sent",
    "ACCEPTED": "Accepted",
    "DECLINED": "Declined",
    "INVOICED": "Invoiced",
    "BILLED": "Billed",
    "DRAFT": "Edited",
    "ACTIVE": "Restored",
    "GDPRREQUEST": "Edited",
}

#: What each thread's call has recorded so far (reset by :func:`begin` at each call).
_calls = threading.local()


def begin() -> None:
    """Forget what this thread's previous call recorded (the service calls it per call)."""
    _calls.touched = set()


def _touched() -> set[tuple[int, int, str, str]]:
    found: set[tuple[int, int, str, str]] | None = getattr(_calls, "touched", None)
    if found is None:
        found = _calls.touched = set()
    return found


# ----------------------------------------------------------------------------- writing


def _insert(
    store: Store,
    org: int,
    resource: str,
    record_id: str,
    changes: str,
    details: str,
    status: str | None,
) -> datetime.datetime:
    stamp = store.stamp()  # the clock of UpdatedDateUTC: entries are dated in their order
    store._conn.execute(
        "INSERT INTO history (org_id, resource, record_id, changes, date_utc, user, details,"
        " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            org,
            resource,
            record_id.lower(),
            changes,
            stamp.isoformat(),
            SYSTEM_USER,
            details,
            status,
        ),
    )
    _touched().add((id(store), org, resource, record_id.lower()))
    return stamp


def record(
    store: Store, org: int, resource: str, record_id: str, changes: str, details: str
) -> None:
    """Add one entry to a record's history (inside :meth:`Store.write`): an event that is not
    a save of the record itself, such as ``("Attachment added", "receipt.pdf")``.

    Args:
        store: The store (a write in progress).
        org: The organisation's ``org_id``.
        resource: The lower-case first path segment (``invoices``, ``banktransactions`` ...).
        record_id: The record's id.
        changes: What happened (Changes).
        details: The entry's Details (cut to 2500 characters).

    A resource without history (``accounts``: attachments but no history) is left alone, so
    that callers need not know which resources keep one.
    """
    if resource in RESOURCES:
        _insert(store, org, resource, record_id, changes, details[:MAX_DETAILS], None)


def _last_status(store: Store, org: int, resource: str, record_id: str) -> str | None:
    row = store._conn.execute(
        "SELECT status FROM history WHERE org_id = ? AND resource = ? AND record_id = ?"
        " AND status IS NOT NULL ORDER BY seq DESC LIMIT 1",
        (org, resource, record_id.lower()),
    ).fetchone()
    return None if row is None else str(row[0])


def saved(
    store: Store,
    org: int,
    resource: str,
    record_id: str,
    rec: Any,
    *,
    created: bool,
    changes: str | None = None,
    details: str | None = None,
) -> None:
    """Record the save of *rec* (inside the write that saved it).

    A new record is "Created"; a record whose status moved is named after the new status; a
    save that stands for an event (*changes*, such as "Payment received") is recorded so;
    any other save is "Edited", unless this call has already recorded something on the
    record (one call's saves of a record are one change).

    Args:
        store: The store (a write in progress).
        org: The organisation's ``org_id``.
        resource: The lower-case first path segment of the record's resource.
        record_id: The record's id.
        rec: The record as saved (its ``status`` is read when it has one).
        created: Whether the save made the record.
        changes: The event the save stands for, if it is not a plain edit.
        details: The Details of that event (default: a short description of the record).
    """
    found = getattr(rec, "status", None)
    status = str(found) if found is not None else None
    if created:
        text = details if details is not None else describe(store, org, resource, rec)
        _insert(store, org, resource, record_id, "Created", text, status)
        return
    already = (id(store), org, resource, record_id.lower()) in _touched()
    before = _last_status(store, org, resource, record_id)
    moved = status is not None and before is not None and status != before
    wrote = False
    if changes is not None:
        text = details if details is not None else describe(store, org, resource, rec)
        _insert(store, org, resource, record_id, changes, text[:MAX_DETAILS], status)
        wrote = True
    word = _status_change(before, status) if moved and before and status else None
    if word is not None:
        _insert(store, org, resource, record_id, word, describe(store, org, resource, rec),
                status)  # fmt: skip
        wrote = True
    elif not wrote and not already and not moved:
        _insert(store, org, resource, record_id, "Edited", describe(store, org, resource, rec),
                status)  # fmt: skip
        wrote = True
    if not wrote and status is not None and status != before:
        # no entry of its own: the status the next save compares with is kept all the same
        store._conn.execute(
            "UPDATE history SET status = ? WHERE seq = (SELECT MAX(seq) FROM history"
            " WHERE org_id = ? AND resource = ? AND record_id = ?)",
            (status, org, resource, record_id.lower()),
        )


def _status_change(before: str, after: str) -> str | None:
    """The Changes of a move between two statuses, or None when it is no event of its own
    (a payment or credit removed takes a PAID document back to AUTHORISED)."""
    if before == "PAID" and after == "AUTHORISED":
        return None
    return _STATUS_CHANGES.get(after, after.capitalize())


#: A family's table -> the resource of its records (``None``: the table's own rule below).
_TABLES: dict[str, str | None] = {
    "bank_transactions": "banktransactions",
    "bank_transfers": "banktransfers",
    "manual_journals": "manualjournals",
    "batch_payments": "batchpayments",
    "credit_notes": "creditnotes",
    "expense_claims": "expenseclaims",
    "receipts": "receipts",
    "credits": None,  # prepayments and overpayments, by the record's kind
    "allocations": None,  # an event on the invoice and on the credit allocated
    "sales_records": None,  # quotes, purchase orders, repeating invoices and items, by kind
}
_SALES_KINDS = {
    "quote": "quotes",
    "purchase_order": "purchaseorders",
    "repeating_invoice": "repeatinginvoices",
    "item": "items",
}
_CREDIT_SOURCES = {
    "CREDITNOTE": ("creditnotes", "Credit note"),
    "PREPAYMENT": ("prepayments", "Prepayment"),
    "OVERPAYMENT": ("overpayments", "Overpayment"),
}


def saved_row(
    store: Store,
    org: int,
    table: str,
    record_id: str,
    rec: Any,
    *,
    created: bool,
    kind: str | None = None,
) -> None:
    """:func:`saved` for a family's generic save of a row of *table* (``kind``: the
    ``sales_records`` kind); rows of tables without history are left alone."""
    if table not in _TABLES:
        return
    if table == "allocations":
        _allocation(store, org, rec, created=created)
        return
    resource = _TABLES[table]
    if table == "credits":
        resource = "prepayments" if getattr(rec, "kind", "") == "PREPAYMENT" else "overpayments"
    elif table == "sales_records":
        resource = _SALES_KINDS.get(kind or "")
    if resource is not None:
        saved(store, org, resource, record_id, rec, created=created)


def _number(store: Store, table: str, column: str, record_id: str) -> str:
    row = store._conn.execute(
        f"SELECT number FROM {table} WHERE {column} = ?", (record_id,)
    ).fetchone()
    return str(row[0]) if row is not None and row[0] else ""


def _allocation(store: Store, org: int, rec: Any, *, created: bool) -> None:
    """A credit applied to an invoice (or the allocation deleted): an entry on both.
    # inferred: Xero's words for allocations."""
    resource, noun = _CREDIT_SOURCES.get(rec.source_kind, ("creditnotes", "Credit note"))
    if not created and not rec.is_deleted:
        return
    source = (
        _number(store, "credit_notes", "credit_note_id", rec.source_id)
        if resource == "creditnotes"
        else ""
    )
    invoice = _number(store, "invoices", "invoice_id", rec.invoice_id)
    amount = money(rec.amount)
    if created:
        changes = "Credit applied"
        on_invoice = " ".join(p for p in (noun, source, f"for {amount} applied") if p)
        on_source = " ".join(p for p in (f"{amount} applied to", invoice or "an invoice") if p)
    else:
        changes = "Credit removed"
        on_invoice = " ".join(p for p in (noun, source, f"for {amount} removed") if p)
        on_source = " ".join(p for p in (f"{amount} removed from", invoice or "an invoice") if p)
    _insert(store, org, "invoices", rec.invoice_id, changes, on_invoice, None)
    _insert(store, org, resource, rec.source_id, changes, on_source, None)


def payment_saved(store: Store, org: int, payment: Any, invoice: Any, *, created: bool) -> None:
    """A payment made (*created*) or deleted, after the payment and its invoice were saved:
    the payment's own entry, and "Payment received" (a sales invoice) or "Payment made" (a
    bill), or "Payment removed", on the invoice, followed by "Paid" when it paid the invoice
    off. # inferred: Xero's words for payments."""
    name = _contact_name(store, org, getattr(invoice, "contact_id", None))
    sales = getattr(invoice, "type", "ACCREC") == "ACCREC"
    when = f"{payment.date:%d %b %Y}"
    amount = money(payment.amount)
    number = getattr(invoice, "number", "") or ""
    on_payment = " ".join(p for p in ("Payment on", number, f"for {amount}") if p)
    saved(store, org, "payments", payment.payment_id, payment, created=created,
          details=on_payment if created else None)  # fmt: skip
    if created:
        changes = "Payment received" if sales else "Payment made"
        who = (f"from {name}" if sales else f"to {name}") if name else ""
        text = " ".join(p for p in (changes, who, f"on {when} for {amount}") if p)
    else:
        changes = "Payment removed"
        text = f"Payment of {amount} on {when} removed"
    saved(store, org, "invoices", invoice.invoice_id, invoice, created=False, changes=changes,
          details=text)  # fmt: skip


# ----------------------------------------------------------------------------- details


def money(amount: Decimal | None) -> str:
    """An amount as the history shows it: ``1,150.00``. # inferred: Xero's display form."""
    return f"{amount or Decimal(0):,.2f}"


def _contact_name(store: Store, org: int, contact_id: str | None) -> str:
    if not contact_id:
        return ""
    found = store.contact_by_id(org, contact_id)
    return found.name if found is not None else ""


def _document(number: str | None, towards: str, name: str, amount: Decimal | None) -> str:
    parts = [p for p in (number, f"{towards} {name}" if name else None) if p]
    return " ".join([*parts, f"for {money(amount)}"])


def describe(store: Store, org: int, resource: str, rec: Any) -> str:
    """A short Details of a record, as Xero writes it under Created, Approved ...
    (``INV-0001 to Acme for 100.00``). # inferred: the wording of each resource's Details."""

    def get(name: str) -> Any:
        return getattr(rec, name, None)

    kind = str(get("type") or "")
    name = _contact_name(store, org, get("contact_id"))
    towards = "from" if kind.startswith("ACCPAY") or kind.startswith("RECEIVE") else "to"
    if resource == "contacts":
        return str(get("name") or "")
    if resource == "items":
        return " ".join(str(v) for v in (get("code"), get("name")) if v)
    if resource in ("invoices", "creditnotes", "quotes", "purchaseorders"):
        unnumbered = {"invoices": "Bill" if kind == "ACCPAY" else "Invoice"}.get(
            resource, "Credit note"
        )
        return _document(get("number") or unnumbered, towards, name, get("total"))
    if resource == "repeatinginvoices":
        noun = "Repeating bill" if kind == "ACCPAY" else "Repeating invoice"
        return _document(noun, towards, name, get("total"))
    if resource == "receipts":
        return _document(get("number"), "from", name, get("total"))
    if resource in ("prepayments", "overpayments"):
        noun = "Prepayment" if resource == "prepayments" else "Overpayment"
        return _document(noun, towards, name, get("total"))
    if resource == "banktransactions":
        noun = "Received money" if kind.startswith("RECEIVE") else "Spent money"
        return _document(noun, towards, name, get("total"))
    if resource == "banktransfers":
        return f"Bank transfer for {money(get('amount'))}"
    if resource == "manualjournals":
        return str(get("narration") or "")[:MAX_DETAILS]
    if resource == "batchpayments":
        return f"Batch payment for {money(get('total_amount'))}"
    if resource == "expenseclaims":
        return f"Expense claim for {money(get('total'))}"
    if resource == "payments":
        return f"Payment for {money(get('amount'))}"
    return ""


# ----------------------------------------------------------------------------- endpoints


def _existing(service: Service, call: Call) -> tuple[str, str]:
    """The resource and record id of the path, or 404 when the organisation has no such
    record of that kind. # inferred: a path id that is not a GUID is a 404 too."""
    resource = call.segments[0].lower()
    table, column, extra, argument = _RECORDS[resource][:4]
    record_id = call.segments[1].lower()
    if not _GUID.match(record_id):
        raise NotFound()
    args: list[Any] = [call.org.org_id, record_id]
    if argument is not None:
        args.append(argument)
    row = service.store._one(
        f"SELECT 1 FROM {table} WHERE org_id = ? AND {column} = ?{extra}", *args
    )
    if row is None:
        raise NotFound()
    return resource, record_id


def _model(row: Iterable[Any]) -> models.HistoryRecord:
    changes, date_utc, user, details = row
    return models.HistoryRecord(
        changes=changes,
        date_utc=datetime.datetime.fromisoformat(date_utc),
        user=user,
        details=details,
    )


def _answer(call: Call, entries: list[models.HistoryRecord]) -> Answer:
    elements = []
    for entry in entries:
        element = codec.entity(entry)
        for stamp in element.iter("DateUTC"):  # as UpdatedDateUTC: milliseconds, no zone
            if entry.date_utc is not None:
                stamp.text = codec.format_utc(entry.date_utc)
        elements.append(element)
    return Answer(200, codec.envelope(call.provider, "HistoryRecords", elements))


def get_history(service: Service, call: Call) -> Answer:
    """GET {Resource}/{id}/History: the record's changes and notes, oldest first."""
    resource, record_id = _existing(service, call)
    rows = service.store._all(
        "SELECT changes, date_utc, user, details FROM history"
        " WHERE org_id = ? AND resource = ? AND record_id = ? ORDER BY seq",
        call.org.org_id,
        resource,
        record_id,
    )
    return _answer(call, [_model(r) for r in rows])


def put_history(service: Service, call: Call) -> Answer:
    """PUT (or POST) {Resource}/{id}/History: add notes; answers the notes added."""
    resource = call.segments[0].lower()
    if resource in READ_ONLY:
        raise ApiError(VALIDATION, UNSUPPORTED)
    resource, record_id = _existing(service, call)
    elements = service.reader.parse(call.body, "HistoryRecord", batch="HistoryRecords")
    notes = []
    for element in elements:
        item = codec.decode(models.HistoryRecord, element)
        text = item.details or ""
        if not text.strip():
            # inferred wording: Xero's message for a note without text is not in the facts
            raise ApiError(VALIDATION, "A note must have Details.")
        if len(text) > MAX_DETAILS:
            # inferred wording, as the sandbox words every too long value
            raise ApiError(VALIDATION, f"Details must not be longer than {MAX_DETAILS} characters.")
        notes.append(text)
    if not notes:
        raise ApiError(VALIDATION, "A note must have Details.")  # inferred, as above
    added = []
    for text in notes:
        stamp = _insert(service.store, call.org.org_id, resource, record_id, "Note", text, None)
        added.append(
            models.HistoryRecord(changes="Note", date_utc=stamp, user=SYSTEM_USER, details=text)
        )
    return _answer(call, added)


def _routes() -> dict[tuple[str, str, int, str], tuple[Any, str]]:
    found: dict[tuple[str, str, int, str], tuple[Any, str]] = {}
    for resource, spec in _RECORDS.items():
        family = "accounting.transactions" if spec[4] == "T" else spec[4]
        found[("GET", resource, 3, "history")] = (get_history, family)
        found[("PUT", resource, 3, "history")] = (put_history, family)
        found[("POST", resource, 3, "history")] = (put_history, family)  # POST behaves as PUT
    return found


ROUTES = _routes()
