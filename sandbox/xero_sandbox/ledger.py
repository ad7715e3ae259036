"""The sandbox's books: a double-entry ledger that every posted document writes to.

Each module that saves a document Xero posts calls :func:`saved` with the record (one line
where it is stored). The ledger works out the journal lines the document stands for *now*
(:func:`posting`: nothing for a draft, a deleted or a voided document) and compares them with
what it last posted for that document: when they differ it adds a journal reversing exactly
the lines posted before, then (unless the document no longer posts) a journal of the new
lines. Journals are never edited; each has the next ``JournalNumber`` of the organisation.
Calling :func:`saved` again for an unchanged document posts nothing.

What posts what (facts: reference section 2 "Journal", 3.4; every account choice and sign
beyond "an ACCREC invoice journal = Accounts Receivable +, Sales -" is marked inferred):

==========================  ===============  =============================================
document (status)           SourceType       lines (NetAmount: + debit, - credit)
==========================  ===============  =============================================
invoice ACCREC (AUTH/PAID)  ACCREC           receivables +total; each line's account -net
                                             (TaxAmount -tax); GST -tax
bill ACCPAY                 ACCPAY           each line +net; GST +tax; payables -total
credit note ACCRECCREDIT    ACCRECCREDIT     lines +net; GST +tax; receivables -total
credit note ACCPAYCREDIT    ACCPAYCREDIT     payables +total; lines -net; GST -tax
payment of a sales invoice  ACCRECPAYMENT    bank +amount; receivables -amount
payment of a bill           ACCPAYPAYMENT    payables +amount; bank -amount
RECEIVE / SPEND money       CASHREC/CASHPAID bank +/-total; lines -/+net; GST -/+tax
RECEIVE-/SPEND-PREPAYMENT   AR/APPREPAYMENT  bank and receivables/payables, the total
RECEIVE-/SPEND-OVERPAYMENT  AR/APOVERPAYMENT as prepayments
bank transfer               TRANSFER         to-account +amount; from-account -amount
manual journal (POSTED)     MANJOURNAL       each line its net (+tax to GST)
allocation of a credit      the credit's     receivables (payables) both ways: the amount
                            type             moves from the credit to the invoice
expense claim (AUTHORISED)  EXPCLAIM         receipts' lines +net; GST +tax; Unpaid
                                             Expense Claims -total
==========================  ===============  =============================================

Cash basis (``paymentsOnly``): each journal also carries the lines a cash-basis ledger
posts, or none when it is no cash event: invoices, bills, credit notes and claims post
nothing on a cash basis; a payment posts the bank line against the paid document's own
accounts in proportion (amount / total); money spent or received, prepayments, overpayments
and transfers post as on accruals; an allocation recognises the invoice's accounts and
takes back the credit's, each in proportion; a manual journal posts unless
``ShowOnCashBasisReports`` is false. # inferred: the notes only say "cash-basis journals".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import records
from .amounts import round2, total
from .records import INCLUSIVE
from .store import Store, new_guid

SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_journals (
    journal_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, number INTEGER NOT NULL,
    created TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (org_id, number));
CREATE TABLE IF NOT EXISTS ledger_postings (
    org_id INTEGER NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (org_id, key));
"""

#: The system accounts the ledger posts to: role -> (code, name, type). The seeded chart has
#: the first three; the others are added the first time something posts to them.
# inferred: Xero's system accounts (Accounts Receivable, Accounts Payable, GST, Unpaid
# Expense Claims, Suspense) found by the sandbox's seeded codes, then by name.
SYSTEM = {
    "DEBTORS": ("610", "Accounts Receivable", "CURRENT"),
    "CREDITORS": ("800", "Accounts Payable", "CURRLIAB"),
    "GST": ("820", "GST", "CURRLIAB"),
    "EXPCLAIMS": ("801", "Unpaid Expense Claims", "CURRLIAB"),
    "SUSPENSE": ("SUSPENSE", "Suspense", "CURRLIAB"),
}
#: Source types whose journals are payments (a cash event) on every basis.
PAYMENT_SOURCES = frozenset(
    {
        "ACCRECPAYMENT",
        "ACCPAYPAYMENT",
        "ARCREDITPAYMENT",
        "APCREDITPAYMENT",
        "CASHREC",
        "CASHPAID",
        "TRANSFER",
        "ARPREPAYMENT",
        "APPREPAYMENT",
        "AROVERPAYMENT",
        "APOVERPAYMENT",
        "EXPPAYMENT",
    }
)


# ----------------------------------------------------------------------------- records


@dataclass(slots=True, kw_only=True)
class Line:
    """One line of a journal (``net_amount``: + debit, - credit; gross = net + tax)."""

    journal_line_id: str
    account_id: str
    account_code: str
    account_type: str
    account_name: str
    net_amount: Decimal
    tax_amount: Decimal = Decimal(0)
    description: str | None = None
    tax_type: str | None = None
    tracking: list[records.LineTracking] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Journal:
    """A journal of the general ledger (``number`` is its JournalNumber). ``cash_lines`` is
    what it posts on a cash basis (None: not a cash-basis journal)."""

    journal_id: str
    number: int
    date: datetime.date
    created: datetime.datetime
    source_id: str
    source_type: str
    lines: list[Line]
    cash_lines: list[Line] | None = None
    reference: str | None = None
    contact_id: str | None = None
    key: str = ""
    reverses: int | None = None  # the JournalNumber this journal reverses


@dataclass(slots=True, kw_only=True)
class Posting:
    """What a document posts now."""

    source_type: str
    source_id: str
    date: datetime.date
    lines: list[Line]
    cash_lines: list[Line] | None = None
    reference: str | None = None
    contact_id: str | None = None


@dataclass(slots=True, kw_only=True)
class _Posted:
    """What a document last posted (its live journal)."""

    number: int
    posting: Posting


# ----------------------------------------------------------------------------- reading


def journals(store: Store, org: int, *, after: int = 0) -> list[Journal]:
    """The organisation's journals numbered above ``after``, oldest first."""
    rows = store._all(
        "SELECT body FROM ledger_journals WHERE org_id = ? AND number > ? ORDER BY number",
        org,
        after,
    )
    return [records.loads(Journal, r[0]) for r in rows]


def journal(
    store: Store, org: int, *, journal_id: str | None = None, number: int | None = None
) -> Journal | None:
    """One journal by JournalID or JournalNumber."""
    if journal_id is not None:
        row = store._one(
            "SELECT body FROM ledger_journals WHERE org_id = ? AND journal_id = ?", org, journal_id
        )
    else:
        row = store._one(
            "SELECT body FROM ledger_journals WHERE org_id = ? AND number = ?", org, number
        )
    return None if row is None else records.loads(Journal, row[0])


def lines_of(rec: Journal, *, cash: bool) -> list[Line]:
    """The lines a journal posts on the basis asked for."""
    if cash:
        return rec.cash_lines or []
    return rec.lines


# ----------------------------------------------------------------------------- posting


def saved(store: Store, org: int, rec: Any) -> None:
    """Bring the books in line with a document just saved (inside :meth:`Store.write`).

    ``rec`` is any stored record; those the ledger knows by their class name post, the
    others are ignored. The one hook every family module calls where it saves a document."""
    kind = type(rec).__name__
    if kind == "Credit":  # a prepayment/overpayment: its bank transaction posts
        txn = _bank_transaction_of_credit(store, org, rec.credit_id)
        if txn is not None:
            saved(store, org, txn)
        return
    build = _BUILDERS.get(kind)
    if build is None:
        return
    key, posting = build(_Books(store, org), rec)
    if key:
        sync(store, org, key, posting)


def sync(store: Store, org: int, key: str, posting: Posting | None) -> None:
    """Post the difference between what ``key`` last posted and ``posting``."""
    row = store._one("SELECT body FROM ledger_postings WHERE org_id = ? AND key = ?", org, key)
    before = None if row is None else records.loads(_Posted, row[0])
    if posting is not None and not posting.lines and not posting.cash_lines:
        posting = None
    if before is None and posting is None:
        return
    if before is not None and posting is not None and _same(before.posting, posting):
        return
    if before is not None:
        # inferred: a change or a void adds a journal reversing exactly the lines posted
        # before (dated as they were), never editing the old journal
        old = before.posting
        _record(
            store,
            org,
            key,
            Posting(
                source_type=old.source_type,
                source_id=old.source_id,
                date=old.date,
                lines=[_negated(line) for line in old.lines],
                cash_lines=None
                if old.cash_lines is None
                else [_negated(line) for line in old.cash_lines],
                reference=old.reference,
                contact_id=old.contact_id,
            ),
            reverses=before.number,
        )
    if posting is None:
        store._conn.execute("DELETE FROM ledger_postings WHERE org_id = ? AND key = ?", (org, key))
        return
    made = _record(store, org, key, posting, reverses=None)
    store._conn.execute(
        "INSERT OR REPLACE INTO ledger_postings VALUES (?, ?, ?)",
        (org, key, records.dumps(_Posted(number=made.number, posting=posting))),
    )


def _record(store: Store, org: int, key: str, posting: Posting, *, reverses: int | None) -> Journal:
    number = int(
        store._one(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM ledger_journals WHERE org_id = ?", org
        )[0]
    )
    rec = Journal(
        journal_id=new_guid(),
        number=number,
        date=posting.date,
        created=store.stamp(),
        source_id=posting.source_id,
        source_type=posting.source_type,
        lines=[_fresh(line) for line in posting.lines],
        cash_lines=None
        if posting.cash_lines is None
        else [_fresh(line) for line in posting.cash_lines],
        reference=posting.reference,
        contact_id=posting.contact_id,
        key=key,
        reverses=reverses,
    )
    store._conn.execute(
        "INSERT INTO ledger_journals VALUES (?, ?, ?, ?, ?)",
        (rec.journal_id, org, number, rec.created.isoformat(), records.dumps(rec)),
    )
    return rec


def _fresh(line: Line) -> Line:
    return Line(
        journal_line_id=new_guid(),
        account_id=line.account_id,
        account_code=line.account_code,
        account_type=line.account_type,
        account_name=line.account_name,
        net_amount=line.net_amount,
        tax_amount=line.tax_amount,
        description=line.description,
        tax_type=line.tax_type,
        tracking=list(line.tracking),
    )


def _negated(line: Line) -> Line:
    new = _fresh(line)
    new.net_amount, new.tax_amount = -line.net_amount, -line.tax_amount
    return new


def _same(a: Posting, b: Posting) -> bool:
    def shape(lines: list[Line] | None) -> list[tuple[Any, ...]] | None:
        if lines is None:
            return None
        return sorted(
            (
                line.account_id,
                line.net_amount,
                line.tax_amount,
                line.tax_type or "",
                line.description or "",
                tuple(t.option_id for t in line.tracking),
            )
            for line in lines
        )

    return (a.source_type, a.source_id, a.date, a.reference, a.contact_id) == (
        b.source_type,
        b.source_id,
        b.date,
        b.reference,
        b.contact_id,
    ) and (shape(a.lines), shape(a.cash_lines)) == (shape(b.lines), shape(b.cash_lines))


# ----------------------------------------------------------------------------- accounts


class _Books:
    """The accounts of one organisation while a posting is worked out."""

    def __init__(self, store: Store, org: int) -> None:
        self.store = store
        self.org = org
        self._read: list[records.Account] | None = None

    @property
    def _accounts(self) -> list[records.Account]:
        """The chart, read when a posting first needs it (a draft needs none)."""
        if self._read is None:
            self._read = [a for a in self.store.accounts(self.org) if a.status != "DELETED"]
        return self._read

    def by_code(self, code: str | None) -> records.Account | None:
        if not code:
            return None
        return next((a for a in self._accounts if a.code == code), None)

    def by_id(self, account_id: str | None) -> records.Account | None:
        return next((a for a in self._accounts if a.account_id == account_id), None)

    def system(self, role: str) -> records.Account:
        code, name, kind = SYSTEM[role]
        found = next(
            (a for a in self._accounts if a.code == code and a.type == kind), None
        ) or next((a for a in self._accounts if a.name.casefold() == name.casefold()), None)
        if found is not None:
            return found
        from .seed import ACCOUNT_CLASS

        taken = {a.code for a in self._accounts}
        while code in taken:  # inferred: a free code when the usual one is taken
            code = str(int(code) + 1) if code.isdigit() else code + "1"
        made = records.Account(
            account_id=new_guid(),
            code=code,
            name=name,
            type=kind,
            status="ACTIVE",
            account_class=ACCOUNT_CLASS[kind],
            updated=self.store.stamp(),
            tax_type="NONE",
        )
        self.store.save_account(self.org, made)
        self._accounts.append(made)
        return made

    def line_account(self, code: str | None) -> records.Account:
        # inferred: a line with no (or no longer existing) account posts to Suspense
        return self.by_code(code) or self.system("SUSPENSE")


def _line(
    account: records.Account,
    net: Decimal,
    tax: Decimal = Decimal(0),
    *,
    description: str | None = None,
    tax_type: str | None = None,
    tracking: Iterable[records.LineTracking] = (),
) -> Line:
    return Line(
        journal_line_id="",
        account_id=account.account_id,
        account_code=account.code,
        account_type=account.type,
        account_name=account.name,
        net_amount=round2(net),
        tax_amount=round2(tax),
        description=description,
        tax_type=tax_type,
        tracking=list(tracking),
    )


def _document_lines(
    books: _Books, lines: list[records.Line], amounts: str, sign: int
) -> list[Line]:
    """The account and GST lines of a document's line items (``sign`` +1: debits, as a bill's
    expenses; -1: credits, as an invoice's revenue)."""
    out = []
    for item in lines:
        tax = round2(item.tax_amount)
        net = round2(item.line_amount) - tax if amounts == INCLUSIVE else round2(item.line_amount)
        if net == 0 and tax == 0:
            continue
        out.append(
            _line(
                books.line_account(item.account_code),
                sign * net,
                sign * tax,
                description=item.description or None,
                tax_type=item.tax_type,
                tracking=item.tracking,
            )
        )
    tax_total = total(round2(item.tax_amount) for item in lines)
    if tax_total:
        out.append(_line(books.system("GST"), sign * tax_total, description=None))
    return out


def _balanced(
    lines: list[Line], control: records.Account, *, description: str | None = None
) -> list[Line]:
    """``lines`` and the control line (receivables, payables, bank) that balances them."""
    rest = total(line.net_amount for line in lines)
    if rest == 0:
        return lines
    return [_line(control, -rest, description=description), *lines]


def _share(lines: list[Line], amount: Decimal, whole: Decimal) -> list[Line]:
    """``lines`` scaled by amount / whole, rounded to cents, the rounding left on the largest
    line so the share adds up to exactly ``amount`` times the lines' sign."""
    if whole == 0 or not lines:
        return []
    fraction = amount / whole
    out = [
        _line(
            _account_of(line),
            line.net_amount * fraction,
            line.tax_amount * fraction,
            description=line.description,
            tax_type=line.tax_type,
            tracking=line.tracking,
        )
        for line in lines
    ]
    target = round2(total(line.net_amount for line in lines) * fraction)
    gap = target - total(line.net_amount for line in out)
    if gap:
        biggest = max(out, key=lambda line: abs(line.net_amount))
        biggest.net_amount += gap
    return [line for line in out if line.net_amount or line.tax_amount]


def _account_of(line: Line) -> records.Account:
    """The account of a line, as far as a new line needs it."""
    return records.Account(
        account_id=line.account_id,
        code=line.account_code,
        name=line.account_name,
        type=line.account_type,
        status="ACTIVE",
        account_class="",
        updated=datetime.datetime.min.replace(tzinfo=datetime.UTC),
    )


# ----------------------------------------------------------------------------- postings


def _invoice(books: _Books, rec: records.Invoice) -> tuple[str, Posting | None]:
    key = f"invoice:{rec.invoice_id}"
    if rec.status not in ("AUTHORISED", "PAID"):
        return key, None
    return key, _invoice_posting(books, rec)


def _invoice_posting(books: _Books, rec: records.Invoice) -> Posting:
    sales = rec.type == "ACCREC"
    lines = _document_lines(books, rec.lines, rec.line_amount_types, -1 if sales else 1)
    control = books.system("DEBTORS" if sales else "CREDITORS")
    return Posting(
        source_type=rec.type,
        source_id=rec.invoice_id,
        date=rec.date,
        lines=_balanced(lines, control),
        cash_lines=None,
        reference=(rec.number if sales else rec.reference) or None,
        contact_id=rec.contact_id,
    )


def _credit_note(books: _Books, rec: Any) -> tuple[str, Posting | None]:
    key = f"creditnote:{rec.credit_note_id}"
    if rec.status not in ("AUTHORISED", "PAID"):
        return key, None
    return key, _credit_note_posting(books, rec)


def _credit_note_posting(books: _Books, rec: Any) -> Posting:
    sales = rec.type == "ACCRECCREDIT"
    lines = _document_lines(books, rec.lines, rec.line_amount_types, 1 if sales else -1)
    control = books.system("DEBTORS" if sales else "CREDITORS")
    return Posting(
        source_type=rec.type,
        source_id=rec.credit_note_id,
        date=rec.date,
        lines=_balanced(lines, control),
        cash_lines=None,
        reference=(rec.number if sales else rec.reference) or None,
        contact_id=rec.contact_id,
    )


def _payment(books: _Books, rec: records.Payment) -> tuple[str, Posting | None]:
    key = f"payment:{rec.payment_id}"
    invoice = books.store.invoice_by_id(books.org, rec.invoice_id)
    bank = books.by_id(rec.account_id)
    if rec.status == "DELETED" or invoice is None or bank is None:
        return key, None
    sales = invoice.type == "ACCREC"
    control = books.system("DEBTORS" if sales else "CREDITORS")
    amount = round2(rec.amount)
    money = amount if sales else -amount
    document = _invoice_posting(books, invoice)
    paid = [line for line in document.lines if line.account_id != control.account_id]
    cash = _share(paid, amount, invoice.total)
    return key, Posting(
        source_type="ACCRECPAYMENT" if sales else "ACCPAYPAYMENT",
        source_id=rec.payment_id,
        date=rec.date,
        lines=[_line(bank, money), _line(control, -money)],
        cash_lines=_balanced(cash, bank),
        reference=rec.reference,
        contact_id=invoice.contact_id,
    )


_CREDIT_SOURCE = {
    "RECEIVE-PREPAYMENT": "ARPREPAYMENT",
    "SPEND-PREPAYMENT": "APPREPAYMENT",
    "RECEIVE-OVERPAYMENT": "AROVERPAYMENT",
    "SPEND-OVERPAYMENT": "APOVERPAYMENT",
}


def _bank_transaction_of_credit(store: Store, org: int, credit_id: str) -> Any:
    from .v2_0.resources import banking

    for txn in banking._rows(store, "bank_transactions", banking.BankTxn, org):
        if credit_id in (txn.prepayment_id, txn.overpayment_id):
            return txn
    return None


def _credit_status(books: _Books, credit_id: str | None) -> str | None:
    if credit_id is None:
        return None
    row = books.store._one(
        "SELECT body FROM credits WHERE org_id = ? AND credit_id = ?", books.org, credit_id
    )
    if row is None:
        return None
    return str(records.loads(_CreditStatus, row[0]).status)


@dataclass(slots=True)
class _CreditStatus:
    status: str


def _bank_transaction(books: _Books, rec: Any) -> tuple[str, Posting | None]:
    key = f"banktransaction:{rec.bank_transaction_id}"
    if rec.type.endswith("-TRANSFER"):  # the bank transfer posts both sides as one journal
        return "", None
    bank = books.by_id(rec.bank_account_id)
    credit_id = rec.prepayment_id or rec.overpayment_id
    if rec.status != "AUTHORISED" or bank is None or _credit_status(books, credit_id) == "VOIDED":
        return key, None
    spend = rec.type.startswith("SPEND")
    lines = _document_lines(books, rec.lines, rec.line_amount_types, 1 if spend else -1)
    cash = _balanced(lines, bank)
    if rec.type in _CREDIT_SOURCE:
        control = books.system("CREDITORS" if spend else "DEBTORS")
        money = -rec.total if spend else rec.total
        return key, Posting(
            source_type=_CREDIT_SOURCE[rec.type],
            source_id=credit_id or rec.bank_transaction_id,
            date=rec.date,
            lines=[_line(bank, money), _line(control, -money)],
            cash_lines=cash,
            reference=rec.reference,
            contact_id=rec.contact_id,
        )
    return key, Posting(
        source_type="CASHPAID" if spend else "CASHREC",
        source_id=rec.bank_transaction_id,
        date=rec.date,
        lines=cash,
        cash_lines=cash,
        reference=rec.reference,
        contact_id=rec.contact_id,
    )


def _transfer(books: _Books, rec: Any) -> tuple[str, Posting | None]:
    key = f"banktransfer:{rec.bank_transfer_id}"
    source, target = books.by_id(rec.from_account_id), books.by_id(rec.to_account_id)
    if rec.status != "AUTHORISED" or source is None or target is None:
        return key, None
    amount = round2(rec.amount)
    lines = [
        _line(target, amount, description="Bank Transfer", tracking=rec.to_tracking),
        _line(source, -amount, description="Bank Transfer", tracking=rec.from_tracking),
    ]
    return key, Posting(
        source_type="TRANSFER",
        source_id=rec.bank_transfer_id,
        date=rec.date,
        lines=lines,
        cash_lines=lines,
        reference=rec.reference,
    )


def _manual_journal(books: _Books, rec: Any) -> tuple[str, Posting | None]:
    key = f"manualjournal:{rec.manual_journal_id}"
    # inferred: an archived journal stays in the books; a voided one is reversed
    if rec.status not in ("POSTED", "ARCHIVED"):
        return key, None
    lines = []
    for entry in rec.lines:
        account = books.by_id(entry.account_id)
        if account is None or entry.is_blank:
            continue
        tax = round2(entry.tax_amount)
        amount = round2(entry.line_amount)
        net = amount - tax if rec.line_amount_types == INCLUSIVE else amount
        lines.append(
            _line(
                account,
                net,
                tax,
                description=entry.description,
                tax_type=entry.tax_type,
                tracking=entry.tracking,
            )
        )
    tax_total = total(line.tax_amount for line in lines)
    if tax_total:
        lines.append(_line(books.system("GST"), tax_total))
    # inferred: what the lines leave unbalanced (tax on one side only) goes to Suspense
    lines = _balanced(lines, books.system("SUSPENSE")) if lines else lines
    return key, Posting(
        source_type="MANJOURNAL",
        source_id=rec.manual_journal_id,
        date=rec.date,
        lines=lines,
        cash_lines=lines if rec.show_on_cash_basis_reports else None,
        reference=rec.narration,
    )


def _allocation(books: _Books, rec: Any) -> tuple[str, Posting | None]:
    key = f"allocation:{rec.allocation_id}"
    invoice = books.store.invoice_by_id(books.org, rec.invoice_id)
    # inferred: only an allocation to a posted invoice moves money between posted documents
    if rec.is_deleted or invoice is None or invoice.status not in ("AUTHORISED", "PAID"):
        return key, None
    source = _allocation_source(books, rec)
    if source is None:
        return key, None
    source_type, source_lines, source_total = source
    sales = invoice.type == "ACCREC"
    control = books.system("DEBTORS" if sales else "CREDITORS")
    amount = round2(rec.amount)
    money = amount if sales else -amount
    document = _invoice_posting(books, invoice)
    earned = _share(
        [line for line in document.lines if line.account_id != control.account_id],
        amount,
        invoice.total,
    )
    taken_back = _share(
        [line for line in source_lines if line.account_id != control.account_id],
        amount,
        source_total,
    )
    cash = [*earned, *taken_back]
    gap = total(line.net_amount for line in cash)
    if gap and cash:  # both shares are rounded to the same amount: only a cent can remain
        cash[0].net_amount -= gap
    return key, Posting(
        source_type=source_type,
        source_id=rec.source_id,
        date=rec.date,
        lines=[
            _line(control, money, description="Credit applied"),
            _line(control, -money, description="Credit applied"),
        ],
        cash_lines=cash,
        contact_id=invoice.contact_id,
    )


def _allocation_source(books: _Books, rec: Any) -> tuple[str, list[Line], Decimal] | None:
    """(source type, the credit's own posted lines, its total) of an allocation's credit."""
    from .v2_0.resources import credits

    if rec.source_kind == credits.CREDIT_NOTE:
        note = next(
            (
                c
                for c in credits.credit_notes_of(books.store, books.org)
                if c.credit_note_id == rec.source_id
            ),
            None,
        )
        if note is None:
            return None
        posting = _credit_note_posting(books, note)
        return note.type, posting.lines, note.total
    txn = _bank_transaction_of_credit(books.store, books.org, rec.source_id)
    if txn is None:
        return None
    spend = txn.type.startswith("SPEND")
    # the credit's cash lines, taken back: the opposite of what its bank transaction posted
    lines = _document_lines(books, txn.lines, txn.line_amount_types, -1 if spend else 1)
    return _CREDIT_SOURCE.get(txn.type, "ARPREPAYMENT"), lines, txn.total


def _expense_claim(books: _Books, rec: Any) -> tuple[str, Posting | None]:
    key = f"expenseclaim:{rec.expense_claim_id}"
    if rec.status not in ("AUTHORISED", "PAID"):
        return key, None
    from .v2_0.resources import credits

    wanted = set(rec.receipt_ids)
    receipts = [
        r
        for r in credits._receipts(books.store, books.org)
        if r.receipt_id in wanted and r.status != "DECLINED"
    ]
    lines: list[Line] = []
    for receipt in receipts:
        lines.extend(
            line
            for line in _document_lines(books, receipt.lines, receipt.line_amount_types, 1)
            if line.account_id != books.system("GST").account_id
        )
    tax = total(round2(line.tax_amount) for r in receipts for line in r.lines)
    if tax:
        lines.append(_line(books.system("GST"), tax))
    if not lines:
        return key, None
    return key, Posting(
        source_type="EXPCLAIM",
        source_id=rec.expense_claim_id,
        date=rec.reporting_date or max(r.date for r in receipts),
        lines=_balanced(lines, books.system("EXPCLAIMS")),
        cash_lines=None,
    )


_BUILDERS: dict[str, Any] = {
    "Invoice": _invoice,
    "Payment": _payment,
    "CreditNote": _credit_note,
    "BankTxn": _bank_transaction,
    "Transfer": _transfer,
    "Manual": _manual_journal,
    "Allocation": _allocation,
    "ExpenseClaim": _expense_claim,
}
