"""Banking and journals of the Accounting API 2.0: BankTransactions, BankTransfers,
ManualJournals, Journals and LinkedTransactions, as the sandbox serves them.

Rules (reference notes on 2.0, sections 1-3 and 6 of the full facts; rules the notes do not
state are marked ``# inferred:`` where they are applied):

- Bank transactions: Type, LineItems (at least one) and a BankAccount (by AccountID or
  Code) that is a BANK account; no drafts (AUTHORISED); a Contact given must name itself
  (ContactID, Name or ContactNumber; a new Name makes a contact, as invoices do). Lines are
  worked out as invoice lines are (accounts, tax, tracking) and totals must add up. The
  -TRANSFER types come only from bank transfers. Deleted by saving Status DELETED; a
  reconciled transaction cannot be changed or deleted. Unpaged lists leave out the lines.
- Bank transfers: between two different BANK accounts, a positive Amount; each makes a
  SPEND-TRANSFER and a RECEIVE-TRANSFER bank transaction. Never changed, only deleted
  (POST Status DELETED, one by id or a batch); deleted ones are listed only with
  includeDeleted=true.
- Manual journals: a Narration and at least two lines whose debits (positive LineAmounts)
  equal their credits ("The total debits (100.00) must equal total credits (-10.00)"); an
  unknown account code is removed with Xero's warning. DRAFT -> POSTED; a draft is deleted
  (DELETED), a posted journal voided (VOIDED) or archived; only drafts are edited.
- Journals: read-only, numbered, listed after ``offset`` (100 at most, oldest first), read
  from the books :mod:`xero_sandbox.ledger` keeps: every bank transaction, transfer and
  manual journal saved here posts there (``_put``), as invoices, payments and credits do.
- Linked transactions: a line of an ACCPAY bill or of a SPEND bank transaction, for a
  customer (ContactID) or an ACCREC invoice (TargetTransactionID); the status follows the
  source and the target; DELETE answers 204.

Inferred (the notes do not say; each is marked ``# inferred:`` where it is applied): the
wording of messages the notes do not quote; that -TRANSFER types cannot be created directly
and a transfer's sides change only through it; that reconciled transactions and transfers
cannot be changed or deleted (the notes leave those rules unverified); that an -OVERPAYMENT or
-PREPAYMENT needs a Contact and a foreign currency only goes with overpayments; that a
transfer's two accounts differ and its rate is 1 between accounts of one currency; that a
manual journal is created DRAFT or POSTED, only drafts are edited, a posted one is voided or
archived, a posted one needs an account on every line (what its journals post: see the
ledger's own inferred rules); when each linked-transaction status applies, that one source
line is one billable expense and a BILLED one cannot be changed or deleted; and that a path
that is not a GUID names no record (404).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar, cast

from lxml import etree
from xero_customer_api.v2_0 import models

from ... import ledger, records
from ...amounts import fits_decimal, round2, total
from ...records import EXCLUSIVE, INCLUSIVE, NO_TAX
from ...store import Store, new_guid
from .. import codec, view
from ..errors import POST_DATA_INVALID, ApiError, Problems
from ..service import TAX_RATES, Answer, Call, NotFound, Service, _bool, _int, modified_since
from . import attachments, credits, history

T = TypeVar("T")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
#: Journals and linked transactions come 100 to a call.
PAGE = 100
SCHEMA = """
CREATE TABLE IF NOT EXISTS bank_transactions (
    bank_transaction_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bank_transactions_by_org ON bank_transactions (org_id, seq);
CREATE TABLE IF NOT EXISTS bank_transfers (
    bank_transfer_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS manual_journals (
    manual_journal_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS linked_transactions (
    linked_transaction_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL);
"""

# ----------------------------------------------------------------------------- records


@dataclass(slots=True, kw_only=True)
class BankTxn:
    """A bank transaction (spent or received money, or one side of a transfer)."""

    bank_transaction_id: str
    type: str
    bank_account_id: str
    date: datetime.date
    status: str
    line_amount_types: str
    lines: list[records.Line]
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    updated: datetime.datetime
    contact_id: str | None = None
    reference: str | None = None
    currency_code: str = "NZD"
    currency_rate: Decimal | None = None
    url: str | None = None
    is_reconciled: bool = False
    prepayment_id: str | None = None
    overpayment_id: str | None = None
    transfer_id: str | None = None  # the bank transfer of a -TRANSFER transaction


@dataclass(slots=True, kw_only=True)
class Transfer:
    """A bank transfer and the two bank transactions it made."""

    bank_transfer_id: str
    from_account_id: str
    to_account_id: str
    amount: Decimal
    date: datetime.date
    from_transaction_id: str
    to_transaction_id: str
    created: datetime.datetime
    updated: datetime.datetime
    status: str = "AUTHORISED"
    reference: str | None = None
    from_reconciled: bool = False
    to_reconciled: bool = False
    from_tracking: list[records.LineTracking] = field(default_factory=list)
    to_tracking: list[records.LineTracking] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class JournalEntry:
    """One line of a manual journal."""

    line_amount: Decimal
    tax_amount: Decimal
    description: str | None = None
    tax_type: str | None = None
    account_code: str | None = None
    account_id: str | None = None
    is_blank: bool = False
    tracking: list[records.LineTracking] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Manual:
    """A manual journal."""

    manual_journal_id: str
    narration: str
    date: datetime.date
    status: str
    line_amount_types: str
    lines: list[JournalEntry]
    updated: datetime.datetime
    url: str | None = None
    show_on_cash_basis_reports: bool = True


#: The ledger's journal line and journal (:mod:`xero_sandbox.ledger` keeps the books).
LedgerLine = ledger.Line
Ledger = ledger.Journal


@dataclass(slots=True, kw_only=True)
class Link:
    """A linked transaction (billable expense)."""

    linked_transaction_id: str
    source_transaction_id: str
    source_line_item_id: str
    source_type: str  # ACCPAY or SPEND
    updated: datetime.datetime
    contact_id: str | None = None
    target_transaction_id: str | None = None
    target_line_item_id: str | None = None


# ----------------------------------------------------------------------------- tables


def _rows(store: Store, table: str, cls: type[T], org: int) -> list[T]:
    rows = store._all(f"SELECT body FROM {table} WHERE org_id = ? ORDER BY seq", org)
    return [records.loads(cls, r[0]) for r in rows]


def _row(store: Store, table: str, key: str, cls: type[T], org: int, value: str) -> T | None:
    row = store._one(f"SELECT body FROM {table} WHERE org_id = ? AND {key} = ?", org, value)
    return None if row is None else records.loads(cls, row[0])


def _put(store: Store, table: str, key: str, org: int, value: str, rec: Any) -> None:
    """Insert or replace a record, keeping its place (inside :meth:`Store.write`)."""
    row = store._one(f"SELECT seq FROM {table} WHERE {key} = ?", value)
    seq = (
        row[0]
        if row is not None
        else store._one(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE org_id = ?", org)[0]
    )
    store._conn.execute(
        f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?)",
        (value, org, seq, records.dumps(rec)),
    )
    ledger.saved(store, org, rec)  # the books follow every document saved
    history.saved_row(store, org, table, value, rec, created=row is None)


def record_journal(
    store: Store,
    org: int,
    *,
    source_type: str,
    source_id: str,
    date: datetime.date,
    lines: list[LedgerLine],
    reference: str | None = None,
) -> Ledger:
    """Add a journal to the ledger with the next JournalNumber (inside :meth:`Store.write`),
    outside any document (documents post through :func:`ledger.saved`); a payment source
    type is also a cash-basis journal."""
    cash = lines if source_type in ledger.PAYMENT_SOURCES else None
    posting = ledger.Posting(
        source_type=source_type,
        source_id=source_id,
        date=date,
        lines=lines,
        cash_lines=cash,
        reference=reference,
    )
    return ledger._record(store, org, f"raw:{new_guid()}", posting, reverses=None)


# ----------------------------------------------------------------------------- helpers


def _shape(call: Call, wrapper: str, items: list[Any]) -> Answer:
    return Answer(200, codec.envelope(call.provider, wrapper, [codec.entity(i) for i in items]))


def _parse(service: Service, call: Call, item: str, batch: str | None) -> list[etree._Element]:
    return service.reader.parse(call.body, item, batch=batch)


def _parse_one(service: Service, call: Call, item: str, batch: str) -> etree._Element:
    """The body of a POST to one record's path: the element, or the plural around one
    (Xero's description sends the plural there)."""
    elements = _parse(service, call, item, batch)
    if len(elements) != 1:
        raise ApiError(POST_DATA_INVALID, f"Send one {item} to {call.segments[0]}/{{id}}.")
    return elements[0]


def _batch(
    service: Service, call: Call, wrapper: str, items: list[Any], results: list[Any], id_field: str
) -> Answer:
    """The answer of a write (:meth:`Service._batch`); per element, one saved with warnings
    says WARNING rather than OK."""
    answer = service._batch(call, wrapper, items, results, id_field)
    holder = answer.root.find(wrapper) if answer.status == 200 else None
    if holder is not None and not _bool(call.query, "summarizeErrors", True):
        for element, outcome in zip(holder, results, strict=True):
            if not isinstance(outcome, Problems) and getattr(outcome, "warnings", None):
                element.set("status", "WARNING")
    return answer


def _key(call: Call, what: str) -> str:
    value = call.segments[1]
    if not _GUID.match(value):
        raise NotFound()  # inferred: a path that is no GUID names nothing (Xero answers 404)
    return value.lower()


def _account(store: Store, org: int, given: models.Account | None) -> records.Account | None:
    if given is None:
        return None
    for a in store.accounts(org):
        if a.status == "DELETED":
            continue
        if (given.account_id and a.account_id == given.account_id.lower()) or (
            not given.account_id and given.code and a.code == given.code
        ):
            return a
    return None


def _tracking_model(t: records.LineTracking) -> models.LineItemTracking:
    return models.LineItemTracking(
        tracking_category_id=t.category_id,
        tracking_option_id=t.option_id,
        name=t.category,
        option=t.option,
    )


def _tracking(
    service: Service,
    org: int,
    given: list[models.LineItemTracking],
    where: str,
    problems: list[str],
) -> list[records.LineTracking]:
    """Tracking options chosen by id or name (at most two), as invoice lines take them."""
    if len(given) > 2:
        problems.append(f"{where}: at most two tracking categories can be chosen.")
    _, categories = service._settings(org)
    out = []
    for chosen in given:
        category = next(
            (
                c
                for c in categories
                if (
                    chosen.tracking_category_id
                    and c.category_id == chosen.tracking_category_id.lower()
                )
                or (chosen.name and c.name.casefold() == chosen.name.casefold())
            ),
            None,
        )
        if category is None:
            problems.append(f"{where}: the tracking category '{chosen.name}' does not exist.")
            continue
        option = next(
            (
                o
                for o in category.options
                if o.status == "ACTIVE"
                and (
                    (chosen.tracking_option_id and o.option_id == chosen.tracking_option_id.lower())
                    or (chosen.option and o.name.casefold() == chosen.option.casefold())
                )
            ),
            None,
        )
        if option is None:
            problems.append(
                f"{where}: '{chosen.option}' is not an option of the tracking category"
                f" '{category.name}'."
            )
            continue
        out.append(
            records.LineTracking(
                category_id=category.category_id,
                category=category.name,
                option_id=option.option_id,
                option=option.name,
            )
        )
    return out


# ============================================================================ bank transactions

_SPEND_TYPES = ("SPEND", "SPEND-OVERPAYMENT", "SPEND-PREPAYMENT", "SPEND-TRANSFER")
_TRANSFER_TYPES = ("SPEND-TRANSFER", "RECEIVE-TRANSFER")


def bank_transaction_model(
    store: Store,
    org: int,
    rec: BankTxn,
    *,
    lines: bool = True,
    unit_dp: int = 2,
    accounts: dict[str, records.Account] | None = None,
    contacts: dict[str, records.Contact] | None = None,
) -> models.BankTransaction:
    """A stored bank transaction as 2.0 says it (an unpaged list leaves out the lines);
    ``accounts`` and ``contacts`` by id spare a list the store reads per record."""
    if accounts is None:
        accounts = {a.account_id: a for a in store.accounts(org)}
    account = accounts.get(rec.bank_account_id)
    contact = None
    if rec.contact_id is not None:
        contact = (
            contacts.get(rec.contact_id)
            if contacts is not None
            else store.contact_by_id(org, rec.contact_id)
        )
    return models.BankTransaction(
        type=view.enum(models.BankTransactionType, rec.type),
        contact=view.contact_model(contact, summary=not lines) if contact is not None else None,
        line_items=[view.line_model(line, unit_dp) for line in rec.lines] if lines else [],
        bank_account=models.Account(
            account_id=account.account_id, code=account.code, name=account.name
        )
        if account is not None
        else None,
        is_reconciled=rec.is_reconciled,
        date=rec.date,
        reference=rec.reference,
        currency_code=rec.currency_code,
        currency_rate=rec.currency_rate,
        url=rec.url,
        status=view.enum(models.BankTransactionStatus, rec.status),
        line_amount_types=view.enum(models.LineAmountTypes, rec.line_amount_types),
        sub_total=round2(rec.sub_total),
        total_tax=round2(rec.total_tax),
        total=round2(rec.total),
        bank_transaction_id=rec.bank_transaction_id,
        prepayment_id=rec.prepayment_id,
        overpayment_id=rec.overpayment_id,
        updated_date_utc=rec.updated,
        has_attachments=attachments.has_attachments(store, org, rec.bank_transaction_id),
    )


def list_bank_transactions(service: Service, call: Call) -> Answer:
    """GET BankTransactions (lines only when paged)."""
    org = call.org.org_id
    since = modified_since(call.headers)
    unit_dp = _int(call.query, "unitdp", 2, 4) or 2
    paged = call.query.get("page") not in (None, "")
    found = [
        t
        for t in _rows(service.store, "bank_transactions", BankTxn, org)
        if since is None or t.updated.replace(microsecond=0) >= since
    ]
    accounts = {a.account_id: a for a in service.store.accounts(org)}
    contacts = {c.contact_id: c for c in service.store.contacts(org)}
    elements = service._query_list(
        call,
        found,
        lambda t: bank_transaction_model(
            service.store,
            org,
            t,
            lines=paged,
            unit_dp=unit_dp,
            accounts=accounts,
            contacts=contacts,
        ),
        pageable=True,
    )
    return Answer(200, codec.envelope(call.provider, "BankTransactions", elements))


def _bank_transaction(service: Service, call: Call) -> BankTxn:
    found = _row(
        service.store,
        "bank_transactions",
        "bank_transaction_id",
        BankTxn,
        call.org.org_id,
        _key(call, "BankTransactionID"),
    )
    if found is None:
        raise NotFound()
    return found


def get_bank_transaction(service: Service, call: Call) -> Answer:
    """GET BankTransactions/{BankTransactionID}."""
    unit_dp = _int(call.query, "unitdp", 2, 4) or 2
    rec = _bank_transaction(service, call)
    model = bank_transaction_model(service.store, call.org.org_id, rec, unit_dp=unit_dp)
    return _shape(call, "BankTransactions", [model])


def put_bank_transactions(service: Service, call: Call) -> Answer:
    """PUT BankTransactions: create one or a batch."""
    return _write_bank_transactions(service, call, create_only=True)


def post_bank_transactions(service: Service, call: Call) -> Answer:
    """POST BankTransactions (create or update) or BankTransactions/{id} (update, delete)."""
    return _write_bank_transactions(service, call, create_only=False)


def _write_bank_transactions(service: Service, call: Call, *, create_only: bool) -> Answer:
    org = call.org.org_id
    target = _bank_transaction(service, call) if len(call.segments) > 1 else None
    elements = (
        [_parse_one(service, call, "BankTransaction", "BankTransactions")]
        if target
        else _parse(service, call, "BankTransaction", "BankTransactions")
    )
    items = [codec.decode(models.BankTransaction, el) for el in elements]
    unit_dp = _int(call.query, "unitdp", 2, 4) or 2
    results: list[models.BankTransaction | Problems] = []
    for item in items:
        try:
            saved = _save_bank_transaction(service, call, item, target, create_only=create_only)
            results.append(bank_transaction_model(service.store, org, saved, unit_dp=unit_dp))
        except Problems as problems:
            results.append(problems)
    return _batch(service, call, "BankTransactions", items, results, "bank_transaction_id")


def _contact_of(service: Service, org: int, given: models.Contact) -> records.Contact:
    """The contact a bank transaction names (a new Name makes one, as invoices do)."""
    if not (given.contact_id or given.name or given.contact_number):
        raise Problems(
            [
                "The Contact must contain at least 1 of the following elements to identify the"
                " contact: Name, ContactID, ContactNumber"
            ]
        )
    if given.contact_id:
        found = service.store.contact_by_id(org, given.contact_id.lower())
        if found is None:
            raise Problems([f"The contact {given.contact_id} does not exist."])
        return found
    if given.contact_number and not given.name:
        found = service.store.contact_by_number(org, given.contact_number)
        if found is None:
            raise Problems([f"No contact has the ContactNumber {given.contact_number}."])
        return found
    return service._contact_for(org, given)


def _save_bank_transaction(
    service: Service,
    call: Call,
    item: models.BankTransaction,
    existing: BankTxn | None,
    *,
    create_only: bool,
) -> BankTxn:
    store, org = service.store, call.org.org_id
    if existing is None and item.bank_transaction_id is not None:
        if create_only:
            raise Problems(
                ["A BankTransactionID cannot be given when creating a bank transaction (use POST)."]
            )
        existing = _row(
            store,
            "bank_transactions",
            "bank_transaction_id",
            BankTxn,
            org,
            item.bank_transaction_id.lower(),
        )
        if existing is None:
            raise Problems([f"The bank transaction {item.bank_transaction_id} does not exist."])
    if existing is not None:
        return _update_bank_transaction(service, call, item, existing)
    problems: list[str] = []
    kind = item.type.value if item.type is not None else None
    if kind is None:
        problems.append("The bank transaction Type (RECEIVE or SPEND) must be given.")
    elif kind in _TRANSFER_TYPES:
        # inferred: the -TRANSFER types are made by BankTransfers only
        problems.append(f"A bank transaction of type {kind} is made by a bank transfer.")
    status = item.status.value if item.status is not None else "AUTHORISED"
    if status != "AUTHORISED":
        # inferred: bank transactions have no drafts and are not created deleted or voided
        problems.append(f"A bank transaction cannot be created with the status {status}.")
    account = _account(store, org, item.bank_account)
    if item.bank_account is None or not (item.bank_account.account_id or item.bank_account.code):
        problems.append("A bank transaction needs a BankAccount (its AccountID or Code).")
    elif account is None:
        problems.append("The BankAccount does not exist.")
    elif account.type != "BANK":
        # inferred wording; the rule (a BANK account) is the facts'
        problems.append(f"The account {account.code} is not a bank account.")
    elif account.status != "ACTIVE":
        problems.append(f"The bank account {account.code} is archived.")
    if kind and kind not in ("SPEND", "RECEIVE") and item.reference:
        problems.append("Reference is only supported for SPEND and RECEIVE transactions.")
    currency = account.currency_code if account is not None and account.currency_code else "NZD"
    if item.currency_code and item.currency_code != currency and "OVERPAYMENT" not in (kind or ""):
        # inferred from "Setting currency is only supported on overpayments"
        problems.append(
            f"The currency {item.currency_code} is not the bank account's ({currency})."
        )
    if kind and kind.endswith(("-OVERPAYMENT", "-PREPAYMENT")) and item.contact is None:
        # inferred: an overpayment or prepayment belongs to a contact
        problems.append(f"A {kind} bank transaction needs a Contact.")
    amounts = item.line_amount_types.value if item.line_amount_types else EXCLUSIVE
    if not item.line_items:
        problems.append("A bank transaction must have at least one line item.")
    lines = service._lines(org, item.line_items, amounts, problems)
    for n, line in enumerate(item.line_items, start=1):
        if not line.account_code and not line.item_code:
            # inferred: money spent or received goes to an account
            problems.append(f"Line {n}: an AccountCode must be given.")
    totals = _totals(item, lines, amounts, problems)
    if problems:
        raise Problems(problems)
    assert kind is not None and account is not None
    contact = _contact_of(service, org, item.contact) if item.contact is not None else None
    sub_total, total_tax, grand = totals
    rec = BankTxn(
        bank_transaction_id=new_guid(),
        type=kind,
        bank_account_id=account.account_id,
        contact_id=contact.contact_id if contact else None,
        date=item.date or datetime.datetime.now(datetime.UTC).date(),
        status="AUTHORISED",
        line_amount_types=amounts,
        lines=lines,
        sub_total=sub_total,
        total_tax=total_tax,
        total=grand,
        reference=item.reference,
        currency_code=item.currency_code or currency,
        currency_rate=item.currency_rate,
        url=item.url,
        is_reconciled=bool(item.is_reconciled),
        prepayment_id=new_guid() if kind.endswith("-PREPAYMENT") else None,
        overpayment_id=new_guid() if kind.endswith("-OVERPAYMENT") else None,
        updated=store.stamp(),
    )
    _put(store, "bank_transactions", "bank_transaction_id", org, rec.bank_transaction_id, rec)
    credit_id = rec.prepayment_id or rec.overpayment_id
    if credit_id is not None and rec.contact_id is not None:
        # the prepayment or overpayment the transaction makes (GET Prepayments, Overpayments),
        # all of it still to allocate
        credits.save_credit(
            store,
            org,
            credits.Credit(
                credit_id=credit_id,
                kind=credits.PREPAYMENT if rec.prepayment_id else credits.OVERPAYMENT,
                type=rec.type,
                contact_id=rec.contact_id,
                date=rec.date,
                status=rec.status,
                line_amount_types=rec.line_amount_types,
                lines=rec.lines,
                sub_total=rec.sub_total,
                total_tax=rec.total_tax,
                total=rec.total,
                remaining_credit=rec.total,
                updated=rec.updated,
                currency_code=rec.currency_code,
                currency_rate=rec.currency_rate,
            ),
        )
    return rec


def _totals(
    item: models.BankTransaction, lines: list[records.Line], amounts: str, problems: list[str]
) -> tuple[Decimal, Decimal, Decimal]:
    tax = total(line.tax_amount for line in lines)
    gross = total(line.line_amount for line in lines)
    sub_total, grand = (gross - tax, gross) if amounts == INCLUSIVE else (gross, gross + tax)
    for given, computed, name in (
        (item.sub_total, sub_total, "SubTotal"),
        (item.total_tax, tax, "TotalTax"),
        (item.total, grand, "Total"),
    ):
        if given is not None and round2(given) != round2(computed):
            problems.append(
                f"{name} {given} does not equal what the lines add up to ({round2(computed)})."
            )
        if not fits_decimal(computed):
            problems.append(f"{name} is out of range.")
    return round2(sub_total), round2(tax), round2(grand)


def _update_bank_transaction(
    service: Service, call: Call, item: models.BankTransaction, rec: BankTxn
) -> BankTxn:
    store, org = service.store, call.org.org_id
    status = item.status.value if item.status is not None else rec.status
    if rec.status != "AUTHORISED":
        raise Problems([f"A bank transaction in status {rec.status} cannot be changed."])
    if rec.transfer_id is not None:
        # inferred: a transfer's sides change only through the transfer
        raise Problems(
            ["This bank transaction belongs to a bank transfer: delete the transfer instead."]
        )
    if rec.is_reconciled:
        # inferred wording; the facts leave the rules for reconciled lines unverified
        raise Problems(
            ["This bank transaction cannot be edited or deleted as it has been reconciled."]
        )
    if status == "DELETED":
        rec.status = "DELETED"
        rec.updated = store.stamp()
        _put(store, "bank_transactions", "bank_transaction_id", org, rec.bank_transaction_id, rec)
        return rec
    if status != "AUTHORISED":
        raise Problems([f"A bank transaction cannot become {status}."])
    problems: list[str] = []
    if (
        item.type is not None
        and item.type.value != rec.type
        and (item.type.value in _TRANSFER_TYPES or rec.type not in ("SPEND", "RECEIVE"))
    ):
        problems.append(f"A {rec.type} bank transaction cannot become {item.type.value}.")
    if item.bank_account is not None:
        account = _account(store, org, item.bank_account)
        if account is None or account.type != "BANK":
            problems.append("The BankAccount must be an existing bank account.")
        else:
            rec.bank_account_id = account.account_id
    amounts = item.line_amount_types.value if item.line_amount_types else rec.line_amount_types
    if item.line_items or amounts != rec.line_amount_types:
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
        rec.sub_total, rec.total_tax, rec.total = _totals(item, rec.lines, amounts, problems)
    if problems:
        raise Problems(problems)
    if item.type is not None:
        rec.type = item.type.value
    if item.contact is not None:
        rec.contact_id = _contact_of(service, org, item.contact).contact_id
    for attr, value in (
        ("date", item.date),
        ("reference", item.reference),
        ("url", item.url),
        ("is_reconciled", item.is_reconciled),
    ):
        if value is not None:
            setattr(rec, attr, value)
    rec.updated = store.stamp()
    _put(store, "bank_transactions", "bank_transaction_id", org, rec.bank_transaction_id, rec)
    return rec


# ============================================================================ bank transfers


def bank_transfer_model(store: Store, org: int, rec: Transfer) -> models.BankTransfer:
    """A stored bank transfer as 2.0 says it."""
    accounts = {a.account_id: a for a in store.accounts(org)}

    def side(account_id: str) -> models.Account | None:
        a = accounts.get(account_id)
        return (
            None if a is None else models.Account(account_id=a.account_id, code=a.code, name=a.name)
        )

    return models.BankTransfer(
        from_bank_account=side(rec.from_account_id),
        to_bank_account=side(rec.to_account_id),
        amount=round2(rec.amount),
        date=rec.date,
        bank_transfer_id=rec.bank_transfer_id,
        # inferred: the rate between the two accounts, 1 when they share a currency
        currency_rate=Decimal("1.000000") if _same_currency(accounts, rec) else None,
        from_bank_transaction_id=rec.from_transaction_id,
        to_bank_transaction_id=rec.to_transaction_id,
        from_is_reconciled=rec.from_reconciled,
        to_is_reconciled=rec.to_reconciled,
        reference=rec.reference,
        has_attachments=attachments.has_attachments(store, org, rec.bank_transfer_id),
        created_date_utc=rec.created,
        status=view.enum(models.BankTransferStatus, rec.status),
        from_tracking=[_tracking_model(t) for t in rec.from_tracking],
        to_tracking=[_tracking_model(t) for t in rec.to_tracking],
    )


def _same_currency(accounts: dict[str, records.Account], rec: Transfer) -> bool:
    currencies = {
        (accounts[a].currency_code or "NZD") if a in accounts else None
        for a in (rec.from_account_id, rec.to_account_id)
    }
    return len(currencies) == 1 and None not in currencies


def list_bank_transfers(service: Service, call: Call) -> Answer:
    """GET BankTransfers (never paged; DELETED only with includeDeleted=true)."""
    org = call.org.org_id
    since = modified_since(call.headers)
    deleted = _bool(call.query, "includeDeleted", False)
    found = [
        t
        for t in _rows(service.store, "bank_transfers", Transfer, org)
        if (deleted or t.status != "DELETED")
        and (since is None or t.updated.replace(microsecond=0) >= since)
    ]
    elements = service._query_list(
        call, found, lambda t: bank_transfer_model(service.store, org, t), pageable=False
    )
    return Answer(200, codec.envelope(call.provider, "BankTransfers", elements))


def _transfer(service: Service, call: Call) -> Transfer:
    found = _row(
        service.store,
        "bank_transfers",
        "bank_transfer_id",
        Transfer,
        call.org.org_id,
        _key(call, "BankTransferID"),
    )
    if found is None:
        raise NotFound()
    return found


def get_bank_transfer(service: Service, call: Call) -> Answer:
    """GET BankTransfers/{BankTransferID}."""
    rec = _transfer(service, call)
    return _shape(call, "BankTransfers", [bank_transfer_model(service.store, call.org.org_id, rec)])


def put_bank_transfers(service: Service, call: Call) -> Answer:
    """PUT BankTransfers: make one or a batch (no summarizeErrors: any refusal is a 400)."""
    org = call.org.org_id
    items = [
        codec.decode(models.BankTransfer, el)
        for el in _parse(service, call, "BankTransfer", "BankTransfers")
    ]
    results: list[models.BankTransfer | Problems] = []
    for item in items:
        try:
            rec = _make_transfer(service, org, item)
            results.append(bank_transfer_model(service.store, org, rec))
        except Problems as problems:
            results.append(problems)
    # Xero takes no summarizeErrors on PUT BankTransfers: errors are always summarised.
    call = replace(call, query={**call.query, "summarizeErrors": "true"})
    return _batch(service, call, "BankTransfers", items, results, "bank_transfer_id")


def _make_transfer(service: Service, org: int, item: models.BankTransfer) -> Transfer:
    store = service.store
    problems: list[str] = []
    if item.bank_transfer_id is not None:
        # inferred: transfers are never updated (there is no update operation)
        problems.append("A bank transfer cannot be changed: a BankTransferID cannot be given.")
    if item.status is not None and item.status is not models.BankTransferStatus.AUTHORISED:
        problems.append("A bank transfer is created AUTHORISED: Status cannot be given.")
    sides: list[records.Account] = []
    for given, name in (
        (item.from_bank_account, "FromBankAccount"),
        (item.to_bank_account, "ToBankAccount"),
    ):
        account = _account(store, org, given)
        if given is None or not (given.account_id or given.code):
            problems.append(f"A bank transfer needs a {name} (its AccountID or Code).")
        elif account is None:
            problems.append(f"The {name} does not exist.")
        elif account.type != "BANK":
            # inferred wording: both accounts must be BANK accounts
            problems.append(f"The {name} {account.code} is not a bank account.")
        else:
            sides.append(account)
    if len(sides) == 2 and sides[0].account_id == sides[1].account_id:
        # inferred: a transfer moves money between two accounts
        problems.append("The FromBankAccount and the ToBankAccount must be different accounts.")
    if item.amount is None:
        problems.append("A bank transfer needs an Amount.")
    elif item.amount <= 0:
        problems.append("The Amount of a bank transfer must be positive.")
    elif not fits_decimal(item.amount):
        problems.append("The Amount is out of range.")
    from_tracking = _tracking(service, org, item.from_tracking, "FromTracking", problems)
    to_tracking = _tracking(service, org, item.to_tracking, "ToTracking", problems)
    if problems:
        raise Problems(problems)
    assert item.amount is not None
    source, target = sides
    amount = round2(item.amount)
    date = item.date or datetime.datetime.now(datetime.UTC).date()
    transfer_id = new_guid()
    sides_made = []
    for kind, account, other, reconciled, tracking in (
        ("SPEND-TRANSFER", source, target, bool(item.from_is_reconciled), from_tracking),
        ("RECEIVE-TRANSFER", target, source, bool(item.to_is_reconciled), to_tracking),
    ):
        txn = BankTxn(
            bank_transaction_id=new_guid(),
            type=kind,
            bank_account_id=account.account_id,
            date=date,
            status="AUTHORISED",
            line_amount_types=NO_TAX,
            lines=[
                records.Line(
                    line_item_id=new_guid(),
                    description="Bank Transfer",  # inferred: what the transfer's sides say
                    quantity=Decimal(1),
                    unit_amount=amount,
                    line_amount=amount,
                    tax_amount=Decimal(0),
                    tax_type="NONE",
                    account_code=other.code,
                    tracking=tracking,
                )
            ],
            sub_total=amount,
            total_tax=Decimal(0),
            total=amount,
            reference=item.reference,
            currency_code=account.currency_code or "NZD",
            is_reconciled=reconciled,
            transfer_id=transfer_id,
            updated=store.stamp(),
        )
        _put(store, "bank_transactions", "bank_transaction_id", org, txn.bank_transaction_id, txn)
        sides_made.append(txn)
    now = store.stamp()
    rec = Transfer(
        bank_transfer_id=transfer_id,
        from_account_id=source.account_id,
        to_account_id=target.account_id,
        amount=amount,
        date=date,
        from_transaction_id=sides_made[0].bank_transaction_id,
        to_transaction_id=sides_made[1].bank_transaction_id,
        created=now,
        updated=now,
        reference=item.reference,
        from_reconciled=bool(item.from_is_reconciled),
        to_reconciled=bool(item.to_is_reconciled),
        from_tracking=from_tracking,
        to_tracking=to_tracking,
    )
    _put(store, "bank_transfers", "bank_transfer_id", org, transfer_id, rec)
    return rec


def post_bank_transfers(service: Service, call: Call) -> Answer:
    """POST BankTransfers (a batch, each with its id and Status DELETED) or
    BankTransfers/{id} (Status DELETED): delete transfers."""
    org = call.org.org_id
    target = _transfer(service, call) if len(call.segments) > 1 else None
    items = [
        codec.decode(models.BankTransfer, el)
        for el in _parse(service, call, "BankTransfer", None if target else "BankTransfers")
    ]
    results: list[models.BankTransfer | Problems] = []
    for item in items:
        try:
            rec = _delete_transfer(service, org, item, target)
            results.append(bank_transfer_model(service.store, org, rec))
        except Problems as problems:
            results.append(problems)
    return _batch(service, call, "BankTransfers", items, results, "bank_transfer_id")


def _delete_transfer(
    service: Service, org: int, item: models.BankTransfer, target: Transfer | None
) -> Transfer:
    store = service.store
    rec = target
    if rec is None:
        if item.bank_transfer_id is None:
            raise Problems(["A BankTransferID must be given to delete a bank transfer."])
        rec = _row(
            store,
            "bank_transfers",
            "bank_transfer_id",
            Transfer,
            org,
            item.bank_transfer_id.lower(),
        )
        if rec is None:
            raise Problems([f"The bank transfer {item.bank_transfer_id} does not exist."])
    if item.status is not models.BankTransferStatus.DELETED:
        # inferred wording: POST BankTransfers only deletes (transfers are never updated)
        raise Problems(["A bank transfer can only be deleted (Status DELETED)."])
    if rec.status == "DELETED":
        return rec
    sides = [
        _row(store, "bank_transactions", "bank_transaction_id", BankTxn, org, txn_id)
        for txn_id in (rec.from_transaction_id, rec.to_transaction_id)
    ]
    if (
        rec.from_reconciled
        or rec.to_reconciled
        or any(s is not None and s.is_reconciled for s in sides)
    ):
        # inferred: as a reconciled bank transaction, a reconciled side cannot be removed
        raise Problems(["This bank transfer cannot be deleted as it has been reconciled."])
    for side in sides:
        if side is not None:
            side.status = "DELETED"
            side.updated = store.stamp()
            _put(
                store,
                "bank_transactions",
                "bank_transaction_id",
                org,
                side.bank_transaction_id,
                side,
            )
    rec.status = "DELETED"
    rec.updated = store.stamp()
    _put(store, "bank_transfers", "bank_transfer_id", org, rec.bank_transfer_id, rec)
    return rec


# ============================================================================ manual journals

_MJ_TRANSITIONS = {
    "DRAFT": {"DRAFT", "POSTED", "DELETED"},
    "POSTED": {"POSTED", "VOIDED", "ARCHIVED"},  # inferred: archive as the UI's "archive"
    "VOIDED": {"VOIDED"},
    "DELETED": {"DELETED"},
    "ARCHIVED": {"ARCHIVED"},
}


def manual_journal_model(
    rec: Manual, warnings: list[str] | None = None, *, attached: bool = False
) -> models.ManualJournal:
    """A stored manual journal as 2.0 says it (with the warnings of the write, if any;
    *attached*: it has attachments)."""
    return models.ManualJournal(
        warnings=[models.EntityWarning(message=m) for m in warnings or []],
        narration=rec.narration,
        journal_lines=[
            models.ManualJournalLine(
                description=line.description,
                tax_type=line.tax_type,
                tax_amount=round2(line.tax_amount),
                line_amount=round2(line.line_amount),
                account_code=line.account_code,
                account_id=line.account_id,
                tracking=[_tracking_model(t) for t in line.tracking],
                is_blank=line.is_blank,
            )
            for line in rec.lines
        ],
        date=rec.date,
        line_amount_types=view.enum(models.LineAmountTypes, rec.line_amount_types),
        status=view.enum(models.ManualJournalStatus, rec.status),
        url=rec.url,
        show_on_cash_basis_reports=rec.show_on_cash_basis_reports,
        has_attachments=attached,
        updated_date_utc=rec.updated,
        manual_journal_id=rec.manual_journal_id,
    )


def list_manual_journals(service: Service, call: Call) -> Answer:
    """GET ManualJournals (paged with page/pageSize; where, order, If-Modified-Since)."""
    org = call.org.org_id
    since = modified_since(call.headers)
    found = [
        m
        for m in _rows(service.store, "manual_journals", Manual, org)
        if since is None or m.updated.replace(microsecond=0) >= since
    ]

    def build(m: Manual) -> models.ManualJournal:
        attached = attachments.has_attachments(service.store, org, m.manual_journal_id)
        return manual_journal_model(m, attached=attached)

    elements = service._query_list(call, found, build, pageable=True)
    return Answer(200, codec.envelope(call.provider, "ManualJournals", elements))


def _manual(service: Service, call: Call) -> Manual:
    found = _row(
        service.store,
        "manual_journals",
        "manual_journal_id",
        Manual,
        call.org.org_id,
        _key(call, "ManualJournalID"),
    )
    if found is None:
        raise NotFound()
    return found


def get_manual_journal(service: Service, call: Call) -> Answer:
    """GET ManualJournals/{ManualJournalID}."""
    rec = _manual(service, call)
    attached = attachments.has_attachments(service.store, call.org.org_id, rec.manual_journal_id)
    return _shape(call, "ManualJournals", [manual_journal_model(rec, attached=attached)])


def put_manual_journals(service: Service, call: Call) -> Answer:
    """PUT ManualJournals: create one or a batch."""
    return _write_manual_journals(service, call, create_only=True)


def post_manual_journals(service: Service, call: Call) -> Answer:
    """POST ManualJournals (create or update) or ManualJournals/{id} (update, delete, void)."""
    return _write_manual_journals(service, call, create_only=False)


def _write_manual_journals(service: Service, call: Call, *, create_only: bool) -> Answer:
    target = _manual(service, call) if len(call.segments) > 1 else None
    elements = (
        [_parse_one(service, call, "ManualJournal", "ManualJournals")]
        if target
        else _parse(service, call, "ManualJournal", "ManualJournals")
    )
    items = [codec.decode(models.ManualJournal, el) for el in elements]
    results: list[models.ManualJournal | Problems] = []
    for item in items:
        try:
            rec, warnings = _save_manual(service, call, item, target, create_only=create_only)
            org_id = call.org.org_id
            attached = attachments.has_attachments(service.store, org_id, rec.manual_journal_id)
            results.append(manual_journal_model(rec, warnings, attached=attached))
        except Problems as problems:
            results.append(problems)
    return _batch(service, call, "ManualJournals", items, results, "manual_journal_id")


def _journal_lines(
    service: Service,
    org: int,
    given: list[models.ManualJournalLine],
    amounts: str,
    problems: list[str],
    warnings: list[str],
) -> list[JournalEntry]:
    accounts = {a.account_id: a for a in service.store.accounts(org) if a.status == "ACTIVE"}
    by_code = {a.code: a for a in accounts.values()}
    out = []
    for n, line in enumerate(given, start=1):
        account = None
        if line.account_id:
            account = accounts.get(line.account_id.lower())
            if account is None:
                problems.append(f"Line {n}: the account {line.account_id} does not exist.")
        elif line.account_code:
            account = by_code.get(line.account_code)
            if account is None:
                warnings.append(
                    f"Account code '{line.account_code}' has been removed as it does not match"
                    " a recognised account."
                )
        blank = bool(line.is_blank)
        if line.line_amount is None and not blank:
            # inferred wording: a line needs its amount
            problems.append(f"Line {n}: a LineAmount must be given.")
        amount = line.line_amount if line.line_amount is not None else Decimal(0)
        if not fits_decimal(amount):
            problems.append(f"Line {n}: LineAmount is out of range.")
            amount = Decimal(0)
        tax_type = line.tax_type or (account.tax_type if account else None) or "NONE"
        if amounts == NO_TAX:
            tax_type = "NONE"
        rate = TAX_RATES.get(tax_type)
        if rate is None:
            problems.append(f"Line {n}: the TaxType '{tax_type}' is not valid.")
            rate = Decimal(0)
        if amounts == INCLUSIVE:
            computed = round2(amount * rate / (1 + rate))
        else:
            computed = round2(amount * rate)
        tax = line.tax_amount if line.tax_amount is not None and amounts != NO_TAX else computed
        out.append(
            JournalEntry(
                line_amount=round2(amount),
                tax_amount=tax,
                description=line.description,
                tax_type=tax_type,
                account_code=account.code if account else None,
                account_id=account.account_id if account else None,
                is_blank=blank,
                tracking=_tracking(service, org, line.tracking, f"Line {n}", problems),
            )
        )
    return out


def _balance(lines: list[JournalEntry], problems: list[str]) -> None:
    """Xero's two rules on lines: at least two, and debits equal to credits."""
    if len([line for line in lines if not line.is_blank]) < 2:
        # inferred wording; "at least two lines" is Xero's own tools' rule
        problems.append("A manual journal must have at least two journal lines.")
        return
    debits = total(line.line_amount for line in lines if line.line_amount > 0)
    credits = total(line.line_amount for line in lines if line.line_amount < 0)
    if debits + credits != 0:
        problems.append(
            f"The total debits ({round2(debits):.2f}) must equal total credits"
            f" ({round2(credits):.2f})"
        )


def _save_manual(
    service: Service,
    call: Call,
    item: models.ManualJournal,
    existing: Manual | None,
    *,
    create_only: bool,
) -> tuple[Manual, list[str]]:
    store, org = service.store, call.org.org_id
    if existing is None and item.manual_journal_id is not None:
        if create_only:
            raise Problems(
                ["A ManualJournalID cannot be given when creating a manual journal (use POST)."]
            )
        existing = _row(
            store,
            "manual_journals",
            "manual_journal_id",
            Manual,
            org,
            item.manual_journal_id.lower(),
        )
        if existing is None:
            raise Problems([f"The manual journal {item.manual_journal_id} does not exist."])
    problems: list[str] = []
    warnings: list[str] = []
    if existing is None:
        status = item.status.value if item.status is not None else "DRAFT"
        if status not in ("DRAFT", "POSTED"):
            # inferred: a journal starts as a draft or posted
            problems.append(f"A manual journal cannot be created with the status {status}.")
        if not (item.narration or "").strip():
            problems.append("A manual journal needs a Narration.")
        amounts = item.line_amount_types.value if item.line_amount_types else NO_TAX
        lines = _journal_lines(service, org, item.journal_lines, amounts, problems, warnings)
        _balance(lines, problems)
        if status == "POSTED" and any(
            line.account_id is None and not line.is_blank for line in lines
        ):
            # inferred: a posted journal posts every line to an account
            problems.append("Every line of a posted manual journal needs a valid account.")
        if problems:
            raise Problems(problems)
        rec = Manual(
            manual_journal_id=new_guid(),
            narration=(item.narration or "").strip(),
            date=item.date or datetime.datetime.now(datetime.UTC).date(),
            status=status,
            line_amount_types=amounts,
            lines=lines,
            url=item.url,
            show_on_cash_basis_reports=item.show_on_cash_basis_reports
            if item.show_on_cash_basis_reports is not None
            else True,
            updated=store.stamp(),
        )
        _put(store, "manual_journals", "manual_journal_id", org, rec.manual_journal_id, rec)
        return rec, warnings
    rec = existing
    status = item.status.value if item.status is not None else rec.status
    if status not in _MJ_TRANSITIONS[rec.status]:
        raise Problems([f"A manual journal in status {rec.status} cannot become {status}."])
    changes = (
        item.journal_lines
        or item.narration is not None
        or item.date is not None
        or item.line_amount_types is not None
    )
    if changes and rec.status != "DRAFT":
        # inferred: only drafts are edited (Xero's own tools update only drafts)
        raise Problems([f"A manual journal in status {rec.status} cannot be changed."])
    if item.narration is not None:
        if not item.narration.strip():
            problems.append("A manual journal needs a Narration.")
        rec.narration = item.narration.strip()
    amounts = item.line_amount_types.value if item.line_amount_types else rec.line_amount_types
    if item.journal_lines:
        rec.lines = _journal_lines(service, org, item.journal_lines, amounts, problems, warnings)
    rec.line_amount_types = amounts
    if status in ("DRAFT", "POSTED") and rec.status == "DRAFT":
        _balance(rec.lines, problems)
    if (
        status == "POSTED"
        and rec.status == "DRAFT"
        and any(line.account_id is None and not line.is_blank for line in rec.lines)
    ):
        problems.append("Every line of a posted manual journal needs a valid account.")
    if problems:
        raise Problems(problems)
    for attr, value in (
        ("date", item.date),
        ("url", item.url),
        ("show_on_cash_basis_reports", item.show_on_cash_basis_reports),
    ):
        if value is not None:
            setattr(rec, attr, value)
    rec.status = status
    rec.updated = store.stamp()
    # posting, and voiding (a reversing journal), happen in the ledger as it is saved
    _put(store, "manual_journals", "manual_journal_id", org, rec.manual_journal_id, rec)
    return rec, warnings


# ============================================================================ journals


def journal_model(rec: Ledger, *, listed: bool, cash: bool = False) -> models.Journal:
    """A ledger journal (its cash-basis lines when ``cash``); SourceID and SourceType only in
    lists (as Xero does)."""
    return models.Journal(
        journal_id=rec.journal_id,
        journal_date=rec.date,
        journal_number=rec.number,
        created_date_utc=rec.created,
        reference=rec.reference,
        source_id=rec.source_id if listed else None,
        source_type=view.enum(models.JournalSourceType, rec.source_type) if listed else None,
        journal_lines=[
            models.JournalLine(
                journal_line_id=line.journal_line_id,
                account_id=line.account_id,
                account_code=line.account_code,
                account_type=view.enum(models.AccountType, line.account_type),
                account_name=line.account_name,
                description=line.description,
                net_amount=round2(line.net_amount),
                gross_amount=round2(line.net_amount + line.tax_amount),
                tax_amount=round2(line.tax_amount),
                tax_type=line.tax_type,
                tax_name=_TAX_NAMES.get(line.tax_type or "", line.tax_type),
                tracking_categories=[_tracking_model(t) for t in line.tracking],
            )
            for line in ledger.lines_of(rec, cash=cash)
        ],
    )


_TAX_NAMES = {
    "NONE": "No GST",
    "OUTPUT": "GST on Income",
    "INPUT": "GST on Expenses",
    "OUTPUT2": "GST on Income",
    "INPUT2": "GST on Expenses",
}


def list_journals(service: Service, call: Call) -> Answer:
    """GET Journals: at most 100 journals numbered above ``offset``, oldest first, read from
    the ledger; ``paymentsOnly=true``: the cash-basis journals with their cash-basis lines;
    If-Modified-Since: journals created at or after it."""
    org = call.org.org_id
    offset = _int(call.query, "offset", 0, 2**31 - 1) or 0
    cash = _bool(call.query, "paymentsOnly", False)
    since = modified_since(call.headers)
    found = []
    for rec in ledger.journals(service.store, org, after=offset):
        if cash and rec.cash_lines is None:
            continue
        if since is not None and rec.created.replace(microsecond=0) < since:
            continue
        found.append(rec)
        if len(found) == PAGE:
            break
    return _shape(call, "Journals", [journal_model(r, listed=True, cash=cash) for r in found])


def get_journal(service: Service, call: Call) -> Answer:
    """GET Journals/{JournalID or JournalNumber}."""
    key = call.segments[1]
    org = call.org.org_id
    if _GUID.match(key):
        rec = ledger.journal(service.store, org, journal_id=key.lower())
    elif key.isdigit() and int(key) < 2**31:
        rec = ledger.journal(service.store, org, number=int(key))
    else:
        rec = None
    if rec is None:
        raise NotFound()
    return _shape(call, "Journals", [journal_model(rec, listed=False)])


# ============================================================================ linked transactions


def _source(store: Store, org: int, source_id: str) -> tuple[str, str, list[str]] | None:
    """(kind ACCPAY or SPEND, status, line ids) of a source transaction, or None."""
    invoice = store.invoice_by_id(org, source_id)
    if invoice is not None:
        return invoice.type, invoice.status, [line.line_item_id for line in invoice.lines]
    txn = _row(store, "bank_transactions", "bank_transaction_id", BankTxn, org, source_id)
    if txn is not None:
        return txn.type, txn.status, [line.line_item_id for line in txn.lines]
    return None


def link_status(store: Store, org: int, rec: Link) -> str:
    """The status of a billable expense, from its source and target as they are now."""
    # inferred: the notes list the statuses, not when each applies
    source = _source(store, org, rec.source_transaction_id)
    if source is None or source[1] in ("VOIDED", "DELETED"):
        return "VOIDED"
    if source[1] in ("DRAFT", "SUBMITTED"):
        return "DRAFT"
    if rec.target_transaction_id:
        target = store.invoice_by_id(org, rec.target_transaction_id)
        if target is not None and target.status in ("AUTHORISED", "PAID"):
            return "BILLED"
        if target is not None and target.status in ("DRAFT", "SUBMITTED"):
            return "ONDRAFT"
    return "APPROVED"


def linked_transaction_model(store: Store, org: int, rec: Link) -> models.LinkedTransaction:
    """A stored linked transaction as 2.0 says it."""
    return models.LinkedTransaction(
        source_transaction_id=rec.source_transaction_id,
        source_line_item_id=rec.source_line_item_id,
        contact_id=rec.contact_id,
        target_transaction_id=rec.target_transaction_id,
        target_line_item_id=rec.target_line_item_id,
        linked_transaction_id=rec.linked_transaction_id,
        status=view.enum(models.LinkedTransactionStatus, link_status(store, org, rec)),
        type=models.LinkedTransactionType.BILLABLEEXPENSE,
        updated_date_utc=rec.updated,
        source_transaction_type_code=view.enum(models.SourceTransactionTypeCode, rec.source_type),
    )


def _guid_param(call: Call, name: str) -> str | None:
    value = call.query.get(name, "").strip()
    if not value:
        return None
    if not _GUID.match(value):
        raise ApiError(POST_DATA_INVALID, f"{name} must be a GUID, not '{value[:60]}'.")
    return value.lower()


def list_linked_transactions(service: Service, call: Call) -> Answer:
    """GET LinkedTransactions: Xero's own filters, 100 a page with ``page``."""
    org = call.org.org_id
    store = service.store
    wanted = {
        "linked_transaction_id": _guid_param(call, "LinkedTransactionID"),
        "source_transaction_id": _guid_param(call, "SourceTransactionID"),
        "contact_id": _guid_param(call, "ContactID"),
        "target_transaction_id": _guid_param(call, "TargetTransactionID"),
    }
    status = call.query.get("Status", "").strip() or None
    page = _int(call.query, "page", 1, 10**9)
    found = [
        link
        for link in _rows(store, "linked_transactions", Link, org)
        if all(v is None or getattr(link, k) == v for k, v in wanted.items())
        and (status is None or link_status(store, org, link) == status)
    ]
    if page is not None:
        found = found[(page - 1) * PAGE : page * PAGE]
    return _shape(
        call, "LinkedTransactions", [linked_transaction_model(store, org, r) for r in found]
    )


def _link(service: Service, call: Call) -> Link:
    found = _row(
        service.store,
        "linked_transactions",
        "linked_transaction_id",
        Link,
        call.org.org_id,
        _key(call, "LinkedTransactionID"),
    )
    if found is None:
        raise NotFound()
    return found


def get_linked_transaction(service: Service, call: Call) -> Answer:
    """GET LinkedTransactions/{LinkedTransactionID}."""
    rec = _link(service, call)
    return _shape(
        call,
        "LinkedTransactions",
        [linked_transaction_model(service.store, call.org.org_id, rec)],
    )


def put_linked_transaction(service: Service, call: Call) -> Answer:
    """PUT LinkedTransactions: create one (the body is one element)."""
    (element,) = _parse(service, call, "LinkedTransaction", None)
    item = codec.decode(models.LinkedTransaction, element)
    return _save_link(service, call, item, None)


def post_linked_transaction(service: Service, call: Call) -> Answer:
    """POST LinkedTransactions/{id}: update one (one element or the plural around one)."""
    rec = _link(service, call)
    element = _parse_one(service, call, "LinkedTransaction", "LinkedTransactions")
    item = codec.decode(models.LinkedTransaction, element)
    return _save_link(service, call, item, rec)


def _save_link(
    service: Service, call: Call, item: models.LinkedTransaction, existing: Link | None
) -> Answer:
    store, org = service.store, call.org.org_id
    if existing is not None and link_status(store, org, existing) == "BILLED":
        # inferred: a billed expense is settled on its sales invoice
        raise service._refuse(
            item, "linked_transaction_id", ["A BILLED linked transaction cannot be changed."]
        )
    problems: list[str] = []
    source_id = (item.source_transaction_id or "").lower() or (
        existing.source_transaction_id if existing else ""
    )
    line_id = (item.source_line_item_id or "").lower() or (
        existing.source_line_item_id if existing else ""
    )
    kind = ""
    if not source_id or not line_id:
        problems.append("A linked transaction needs a SourceTransactionID and a SourceLineItemID.")
    else:
        source = _source(store, org, source_id)
        if source is None or source[0] not in ("ACCPAY", "SPEND"):
            # inferred wording; the rule (an ACCPAY bill or SPEND money) is the facts'
            problems.append(
                "The SourceTransactionID must be an ACCPAY invoice or a SPEND bank transaction."
            )
        elif line_id not in source[2]:
            problems.append("The SourceLineItemID and SourceTransactionID do not match")
        else:
            kind = source[0]
            taken = [
                link
                for link in _rows(store, "linked_transactions", Link, org)
                if link.source_line_item_id == line_id
                and (
                    existing is None or link.linked_transaction_id != existing.linked_transaction_id
                )
            ]
            if taken:
                # inferred: one line is one billable expense
                problems.append("This source line item is already a linked transaction.")
    contact_id = (item.contact_id or "").lower() or (existing.contact_id if existing else None)
    target_id = (item.target_transaction_id or "").lower() or (
        existing.target_transaction_id if existing else None
    )
    target_line = (item.target_line_item_id or "").lower() or (
        existing.target_line_item_id if existing else None
    )
    if contact_id and store.contact_by_id(org, contact_id) is None:
        problems.append(f"The contact {contact_id} does not exist.")
    if target_id:
        target = store.invoice_by_id(org, target_id)
        if target is None or target.type != "ACCREC":
            # inferred wording; the target is an ACCREC invoice per the facts
            problems.append("The TargetTransactionID must be an ACCREC invoice.")
        else:
            if contact_id and contact_id != target.contact_id:
                problems.append("The ContactID and the TargetTransaction ContactID do not match")
            contact_id = target.contact_id
            if target_line and target_line not in [line.line_item_id for line in target.lines]:
                problems.append("The TargetLineItemID and TargetTransactionID do not match")
    elif target_line:
        problems.append("A TargetLineItemID needs its TargetTransactionID.")
    if not contact_id:
        problems.append("A linked transaction needs a ContactID or a TargetTransactionID.")
    if problems:
        raise service._refuse(item, "linked_transaction_id", problems)
    rec = existing or Link(
        linked_transaction_id=new_guid(),
        source_transaction_id=source_id,
        source_line_item_id=line_id,
        source_type=kind,
        updated=store.stamp(),
    )
    rec.source_transaction_id, rec.source_line_item_id, rec.source_type = source_id, line_id, kind
    rec.contact_id, rec.target_transaction_id, rec.target_line_item_id = (
        contact_id,
        target_id,
        target_line,
    )
    rec.updated = store.stamp()
    _put(store, "linked_transactions", "linked_transaction_id", org, rec.linked_transaction_id, rec)
    return _shape(call, "LinkedTransactions", [linked_transaction_model(store, org, rec)])


def delete_linked_transaction(service: Service, call: Call) -> Answer:
    """DELETE LinkedTransactions/{id}: 204 with no body."""
    rec = _link(service, call)
    org = call.org.org_id
    if link_status(service.store, org, rec) == "BILLED":
        # inferred: a billed expense is settled on its sales invoice
        model = linked_transaction_model(service.store, org, rec)
        raise service._refuse(
            model, "linked_transaction_id", ["A BILLED linked transaction cannot be deleted."]
        )
    service.store._conn.execute(
        "DELETE FROM linked_transactions WHERE org_id = ? AND linked_transaction_id = ?",
        (org, rec.linked_transaction_id),
    )
    return Answer(204, cast(etree._Element, None))


# ----------------------------------------------------------------------------- routes

_T = "accounting.transactions"
ROUTES = {
    ("GET", "banktransactions", 1): (list_bank_transactions, _T),
    ("GET", "banktransactions", 2): (get_bank_transaction, _T),
    ("PUT", "banktransactions", 1): (put_bank_transactions, _T),
    ("POST", "banktransactions", 1): (post_bank_transactions, _T),
    ("POST", "banktransactions", 2): (post_bank_transactions, _T),
    ("GET", "banktransfers", 1): (list_bank_transfers, _T),
    ("GET", "banktransfers", 2): (get_bank_transfer, _T),
    ("PUT", "banktransfers", 1): (put_bank_transfers, _T),
    ("POST", "banktransfers", 1): (post_bank_transfers, _T),
    ("POST", "banktransfers", 2): (post_bank_transfers, _T),
    ("GET", "manualjournals", 1): (list_manual_journals, _T),
    ("GET", "manualjournals", 2): (get_manual_journal, _T),
    ("PUT", "manualjournals", 1): (put_manual_journals, _T),
    ("POST", "manualjournals", 1): (post_manual_journals, _T),
    ("POST", "manualjournals", 2): (post_manual_journals, _T),
    ("GET", "journals", 1): (list_journals, "accounting.journals"),
    ("GET", "journals", 2): (get_journal, "accounting.journals"),
    ("GET", "linkedtransactions", 1): (list_linked_transactions, _T),
    ("GET", "linkedtransactions", 2): (get_linked_transaction, _T),
    ("PUT", "linkedtransactions", 1): (put_linked_transaction, _T),
    ("POST", "linkedtransactions", 2): (post_linked_transaction, _T),
    ("DELETE", "linkedtransactions", 2): (delete_linked_transaction, _T),
}
