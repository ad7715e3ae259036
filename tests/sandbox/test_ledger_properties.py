"""The sandbox keeps books: random sequences of documents (invoices and bills approved, paid,
voided; credit notes allocated; money spent and received; prepayments; transfers; manual
journals posted and voided; payments deleted) run through the 2.0 handlers in process, then
the ledger's invariants are checked on what the sandbox serves:

- every journal balances (accruals and cash basis);
- the trial balance balances (both pairs of columns, both bases);
- the Profit and Loss's net profit equals the change in earnings on the Balance Sheet, and the
  Balance Sheet balances (net assets = total equity);
- the aged receivables (payables) of every contact add up to the receivables (payables)
  account;
- a reversing journal (a void, a deletion) reverses exactly the lines it undoes, and a removed
  document leaves nothing behind in any account."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api.v2_0 import models as m
from xero_customer_api.v2_0._codecs.requests.bank_transactions_request import (
    encode_request_bank_transactions,
)
from xero_customer_api.v2_0._codecs.requests.bank_transfers_request import (
    encode_request_bank_transfer,
    encode_request_bank_transfers,
)
from xero_customer_api.v2_0._codecs.requests.batch_payments_request import (
    encode_request_batch_payment,
    encode_request_batch_payments,
)
from xero_customer_api.v2_0._codecs.requests.credit_notes_request import (
    encode_request_credit_note,
    encode_request_credit_notes,
)
from xero_customer_api.v2_0._codecs.requests.invoices_request import (
    encode_request_invoice,
    encode_request_invoices,
)
from xero_customer_api.v2_0._codecs.requests.manual_journals_request import (
    encode_request_manual_journal,
    encode_request_manual_journals,
)
from xero_customer_api.v2_0._codecs.requests.payments_request import (
    encode_request_payment,
    encode_request_payments,
)
from xero_sandbox import ledger
from xero_sandbox.v2_0.errors import Problems
from xero_sandbox.v2_0.resources import credits, reports

from tests.sandbox.ledger_world import World, amount, find

CONTACTS = ("Tui Bakery", "Kea Couriers", "Ruru Books")
DATES = [datetime.date(2025, 11, 3), datetime.date(2026, 2, 14), datetime.date(2026, 3, 31),
         datetime.date(2026, 4, 1), datetime.date(2026, 5, 20), datetime.date(2026, 7, 9)]  # fmt: skip
END = datetime.date(2026, 9, 30)
MIDDLE = datetime.date(2026, 3, 31)


@pytest.fixture
def world() -> Iterator[World]:
    w = World()
    yield w
    w.close()


# ----------------------------------------------------------------------------- strategies

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
sales_accounts = st.sampled_from(["200", "260", "270"])
cost_accounts = st.sampled_from(["310", "400", "429", "469", "720"])
tax = st.sampled_from(["NONE", "OUTPUT2", "OUTPUT", "INPUT2", "INPUT", "ZERORATED"])
amounts = st.sampled_from(["Exclusive", "Inclusive", "NoTax"])


@st.composite
def lines(draw: st.DrawFn, sales: bool) -> list[m.LineItem]:
    count = draw(st.integers(1, 3))
    return [
        m.LineItem(
            description=f"Line {n}",
            quantity=Decimal(draw(st.integers(1, 3))),
            unit_amount=draw(money),
            account_code=draw(sales_accounts if sales else cost_accounts),
            tax_type=draw(tax),
        )
        for n in range(count)
    ]


invoice_step = st.tuples(
    st.just("invoice"),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2),
    st.integers(0, 4),
    amounts,
    st.data(),
)
credit_step = st.tuples(st.just("credit"), st.booleans(), st.integers(0, 2), st.data())
step = st.one_of(
    invoice_step,
    st.tuples(st.just("pay"), st.integers(0, 50), st.integers(1, 100)),
    st.tuples(st.just("pay"), st.integers(0, 50), st.integers(1, 100)),
    st.tuples(st.just("void"), st.integers(0, 50)),
    st.tuples(st.just("approve"), st.integers(0, 50)),
    st.tuples(st.just("unpay"), st.integers(0, 50)),
    credit_step,
    st.tuples(st.just("allocate"), st.integers(0, 50), st.integers(0, 50), st.integers(1, 100)),
    st.tuples(st.just("allocate"), st.integers(0, 50), st.integers(0, 50), st.integers(1, 100)),
    st.tuples(st.just("unallocate"), st.integers(0, 50)),
    st.tuples(st.just("voidcredit"), st.integers(0, 50)),
    st.tuples(st.just("money"), st.sampled_from(["RECEIVE", "SPEND", "RECEIVE-PREPAYMENT",
                                                 "SPEND-OVERPAYMENT"]),
              st.integers(0, 2), st.integers(0, 4), st.data()),
    st.tuples(st.just("unmoney"), st.integers(0, 50)),
    st.tuples(st.just("transfer"), money, st.integers(0, 4)),
    st.tuples(st.just("untransfer"), st.integers(0, 50)),
    st.tuples(st.just("journal"), money, st.integers(0, 4), st.booleans()),
    st.tuples(st.just("unjournal"), st.integers(0, 50)),
    st.tuples(st.just("batch"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("unbatch"), st.integers(0, 50)),
)  # fmt: skip


# ----------------------------------------------------------------------------- running


class Runner:
    """Applies steps to a world, remembering what it made."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.invoices: list[str] = []
        self.payments: list[str] = []
        self.notes: list[str] = []
        self.money: list[str] = []
        self.transfers: list[str] = []
        self.journals: list[str] = []
        self.batches: list[str] = []
        self.removed: list[str] = []  # ledger keys of documents voided or deleted
        # credits that can be allocated (path, id) and the allocations made (path, id, id)
        self.credits: list[tuple[str, str]] = []
        self.allocations: list[tuple[str, str, str]] = []

    def run(self, step: tuple[Any, ...]) -> None:
        getattr(self, "do_" + step[0])(*step[1:])

    @staticmethod
    def pick(items: list[str], n: int) -> str | None:
        return items[n % len(items)] if items else None

    def do_invoice(self, sales: bool, approved: bool, contact: int, day: int, kind: str,
                   data: st.DataObject) -> None:  # fmt: skip
        invoice = m.Invoice(
            type=m.InvoiceType.ACCREC if sales else m.InvoiceType.ACCPAY,
            contact=m.Contact(name=CONTACTS[contact]),
            date=DATES[day],
            due_date=DATES[day] + datetime.timedelta(days=20),
            status=m.InvoiceStatus.AUTHORISED if approved else m.InvoiceStatus.DRAFT,
            line_amount_types=m.LineAmountTypes(kind),
            line_items=data.draw(lines(sales)),
        )
        root = self.w.ok("PUT", "Invoices", encode_request_invoices([invoice]))
        self.invoices.append(root.findtext("Invoices/Invoice/InvoiceID") or "")

    def _invoice(self, n: int) -> Any:
        key = self.pick(self.invoices, n)
        return None if key is None else self.w.store.invoice_by_id(self.w.org.org_id, key)

    def do_approve(self, n: int) -> None:
        found = self._invoice(n)
        if found is not None and found.status == "DRAFT":
            body = encode_request_invoice(m.Invoice(status=m.InvoiceStatus.AUTHORISED))
            self.w.ok("POST", f"Invoices/{found.invoice_id}", body)

    def do_void(self, n: int) -> None:
        found = self._invoice(n)
        if found is None or found.status not in ("AUTHORISED", "DRAFT"):
            return
        status = "VOIDED" if found.status == "AUTHORISED" else "DELETED"
        body = encode_request_invoice(m.Invoice(status=m.InvoiceStatus(status)))
        code, _ = self.w.call("POST", f"Invoices/{found.invoice_id}", body)
        if code == 200 and status == "VOIDED":
            self.removed.append(f"invoice:{found.invoice_id}")

    def do_pay(self, n: int, percent: int) -> None:
        found = self._invoice(n)
        if found is None or found.status != "AUTHORISED" or found.amount_due <= 0:
            return
        paid = max(Decimal("0.01"), (found.amount_due * percent / 100).quantize(Decimal("0.01")))
        payment = m.Payment(
            invoice=m.Invoice(invoice_id=found.invoice_id),
            account=m.Account(code="090"),
            date=found.date + datetime.timedelta(days=percent % 40),
            amount=min(paid, found.amount_due),
        )
        root = self.w.ok("PUT", "Payments", encode_request_payments([payment]))
        self.payments.append(root.findtext("Payments/Payment/PaymentID") or "")

    def do_unpay(self, n: int) -> None:
        key = self.pick(self.payments, n)
        if key is None:
            return
        found = self.w.store.payment_by_id(self.w.org.org_id, key)
        if found is not None and found.status != "DELETED":
            body = encode_request_payment(m.Payment(status=m.PaymentStatus.DELETED))
            self.w.ok("POST", f"Payments/{key}", body)
            self.removed.append(f"payment:{key}")

    def do_credit(self, sales: bool, contact: int, data: st.DataObject) -> None:
        note = m.CreditNote(
            type=m.CreditNoteType.ACCRECCREDIT if sales else m.CreditNoteType.ACCPAYCREDIT,
            contact=m.Contact(name=CONTACTS[contact]),
            date=DATES[data.draw(st.integers(0, 4))],
            status=m.CreditNoteStatus.AUTHORISED,
            line_items=data.draw(lines(sales)),
        )
        root = self.w.ok("PUT", "CreditNotes", encode_request_credit_notes([note]))
        self.notes.append(root.findtext("CreditNotes/CreditNote/CreditNoteID") or "")
        self.credits.append(("CreditNotes", self.notes[-1]))

    def do_allocate(self, source: int, target: int, percent: int) -> None:
        """A credit note, prepayment or overpayment allocated (PUT .../Allocations), the
        first three of every four through the route, the fourth by :func:`credits.allocate`."""
        picked = self.pick_credit(source)
        if picked is None:
            return
        path, credit_id = picked
        org = self.w.org.org_id
        if path == "CreditNotes":
            found: Any = next(c for c in credits.credit_notes_of(self.w.store, org)
                              if c.credit_note_id == credit_id)  # fmt: skip
        else:
            kind = credits.PREPAYMENT if path == "Prepayments" else credits.OVERPAYMENT
            found = next(c for c in credits.credits_of(self.w.store, org, kind)
                         if c.credit_id == credit_id)  # fmt: skip
        # mostly an invoice of the credit's side (from the target on), now and then any
        # invoice: Xero refuses the wrong type
        sales = credits._ALLOCATES_TO.get(found.type) == "ACCREC"
        invoice = self._invoice(target)
        if target % 5:
            for step in range(len(self.invoices)):
                candidate = self._invoice(target + step)
                if candidate is not None and (candidate.type == "ACCREC") == sales:
                    invoice = candidate
                    break
        if invoice is None or invoice.status != "AUTHORISED":
            return  # Xero allocates to approved invoices only
        part = (min(found.remaining_credit, invoice.amount_due) * percent / 100).quantize(
            Decimal("0.01")
        )
        when = max(found.date, invoice.date)
        if source % 4 == 3 and path == "CreditNotes":
            try:
                with self.w.store.write():
                    made = credits.allocate(self.w.store, org, credits.CREDIT_NOTE, credit_id,
                                            invoice.invoice_id, part, when)  # fmt: skip
            except Problems:
                return  # Xero's refusals (paid off, wrong type, too much): nothing posts
            self.allocations.append((path, credit_id, made.allocation_id))
            return
        body = (
            f"<Allocations><Allocation><Invoice><InvoiceID>{invoice.invoice_id}</InvoiceID>"
            f"</Invoice><AppliedAmount>{part}</AppliedAmount><Date>{when.isoformat()}</Date>"
            "</Allocation></Allocations>"
        )
        code, root = self.w.call("PUT", f"{path}/{credit_id}/Allocations", body)
        if code == 200:
            made_id = root.findtext("Allocations/Allocation/AllocationID") or ""
            self.allocations.append((path, credit_id, made_id))
        else:  # Xero's refusals (paid off, wrong type, too much, nothing left): nothing posts
            assert code == 400, etree.tostring(root)

    def pick_credit(self, n: int) -> tuple[str, str] | None:
        return self.credits[n % len(self.credits)] if self.credits else None

    def do_unallocate(self, n: int) -> None:
        """An allocation deleted (DELETE .../Allocations/{id}): its lines reversed."""
        if not self.allocations:
            return
        path, credit_id, allocation_id = self.allocations[n % len(self.allocations)]
        code, root = self.w.call("DELETE", f"{path}/{credit_id}/Allocations/{allocation_id}")
        if code == 200:
            assert root.findtext("Allocations/Allocation/IsDeleted") == "true"
            self.removed.append(f"allocation:{allocation_id}")
        else:  # deleted before
            assert code == 400, etree.tostring(root)

    def do_voidcredit(self, n: int) -> None:
        key = self.pick(self.notes, n)
        if key is None:
            return
        body = encode_request_credit_note(m.CreditNote(status=m.CreditNoteStatus.VOIDED))
        code, _ = self.w.call("POST", f"CreditNotes/{key}", body)
        if code == 200:
            self.removed.append(f"creditnote:{key}")

    def do_money(self, kind: str, contact: int, day: int, data: st.DataObject) -> None:
        sales = kind.startswith("RECEIVE")
        txn = m.BankTransaction(
            type=m.BankTransactionType(kind),
            contact=m.Contact(name=CONTACTS[contact]),
            date=DATES[day],
            bank_account=m.Account(code="090"),
            line_amount_types=m.LineAmountTypes.NO_TAX
            if "OVERPAYMENT" in kind
            else m.LineAmountTypes.EXCLUSIVE,
            line_items=data.draw(lines(sales)),
        )
        root = self.w.ok("PUT", "BankTransactions", encode_request_bank_transactions([txn]))
        self.money.append(root.findtext("BankTransactions/BankTransaction/BankTransactionID") or "")
        for path, element in (("Prepayments", "PrepaymentID"), ("Overpayments", "OverpaymentID")):
            made = root.findtext(f"BankTransactions/BankTransaction/{element}")
            if made:
                self.credits.append((path, made))

    def do_unmoney(self, n: int) -> None:
        key = self.pick(self.money, n)
        if key is None:
            return
        body = encode_request_bank_transactions(
            [m.BankTransaction(status=m.BankTransactionStatus.DELETED)]
        )
        code, _ = self.w.call("POST", f"BankTransactions/{key}", body)
        if code == 200:
            self.removed.append(f"banktransaction:{key}")

    def do_transfer(self, value: Decimal, day: int) -> None:
        savings = self.w.store.accounts(self.w.org.org_id)
        if not any(a.code == "091" for a in savings):
            from xero_customer_api.v2_0._codecs.requests.accounts_request import (
                encode_request_account,
            )

            account = m.Account(code="091", name="Savings", type=m.AccountType.BANK,
                                bank_account_number="0102030405060")  # fmt: skip
            self.w.ok("PUT", "Accounts", encode_request_account(account))
        transfer = m.BankTransfer(from_bank_account=m.Account(code="090"),
                                  to_bank_account=m.Account(code="091"), amount=value,
                                  date=DATES[day])  # fmt: skip
        root = self.w.ok("PUT", "BankTransfers", encode_request_bank_transfers([transfer]))
        self.transfers.append(root.findtext("BankTransfers/BankTransfer/BankTransferID") or "")

    def do_untransfer(self, n: int) -> None:
        key = self.pick(self.transfers, n)
        if key is None:
            return
        body = encode_request_bank_transfer(m.BankTransfer(status=m.BankTransferStatus.DELETED))
        code, _ = self.w.call("POST", f"BankTransfers/{key}", body)
        if code == 200:
            self.removed.append(f"banktransfer:{key}")

    def do_journal(self, value: Decimal, day: int, cash: bool) -> None:
        journal = m.ManualJournal(
            narration="Accrual",
            date=DATES[day],
            status=m.ManualJournalStatus.POSTED,
            show_on_cash_basis_reports=cash,
            journal_lines=[
                m.ManualJournalLine(account_code="477", line_amount=value),
                m.ManualJournalLine(account_code="970", line_amount=-value),
            ],
        )
        root = self.w.ok("PUT", "ManualJournals", encode_request_manual_journals([journal]))
        self.journals.append(root.findtext("ManualJournals/ManualJournal/ManualJournalID") or "")

    def do_unjournal(self, n: int) -> None:
        key = self.pick(self.journals, n)
        if key is None:
            return
        body = encode_request_manual_journal(m.ManualJournal(status=m.ManualJournalStatus.VOIDED))
        code, _ = self.w.call("POST", f"ManualJournals/{key}", body)
        if code == 200:
            self.removed.append(f"manualjournal:{key}")

    def do_batch(self, first: int, second: int) -> None:
        chosen = {}
        for n in (first, second):
            found = self._invoice(n)
            if found is not None and found.status == "AUTHORISED" and found.amount_due > 1:
                chosen[found.invoice_id] = found
        if len({i.type for i in chosen.values()}) != 1:
            return
        batch = m.BatchPayment(
            account=m.Account(code="090"),
            date=max(i.date for i in chosen.values()),
            payments=[
                m.Payment(invoice=m.Invoice(invoice_id=i.invoice_id),
                          amount=(i.amount_due / 2).quantize(Decimal("0.01")))
                for i in chosen.values()
            ],
        )  # fmt: skip
        root = self.w.ok("PUT", "BatchPayments", encode_request_batch_payments([batch]))
        self.batches.append(root.findtext("BatchPayments/BatchPayment/BatchPaymentID") or "")

    def do_unbatch(self, n: int) -> None:
        key = self.pick(self.batches, n)
        if key is None:
            return
        body = encode_request_batch_payment(m.BatchPayment(status=m.BatchPaymentStatus.DELETED))
        code, _ = self.w.call("POST", f"BatchPayments/{key}", body)
        assert code == 200


# ----------------------------------------------------------------------------- invariants


def check_journals(w: World) -> None:
    journals = w.journals()
    assert [j.number for j in journals] == list(range(1, len(journals) + 1))
    by_number = {j.number: j for j in journals}
    for j in journals:
        assert sum((line.net_amount for line in j.lines), Decimal(0)) == 0, j
        if j.cash_lines is not None:
            assert sum((line.net_amount for line in j.cash_lines), Decimal(0)) == 0, j
        if j.reverses is not None:
            undone = by_number[j.reverses]
            assert j.number > undone.number and j.key == undone.key
            assert [(x.account_id, x.net_amount, x.tax_amount) for x in j.lines] == [
                (x.account_id, -x.net_amount, -x.tax_amount) for x in undone.lines
            ]
            assert j.date == undone.date and j.source_id == undone.source_id


def check_removed(w: World, removed: list[str]) -> None:
    journals = w.journals()
    for key in removed:
        left: dict[str, Decimal] = {}
        for j in journals:
            if j.key == key:
                for line in j.lines:
                    left[line.account_id] = left.get(line.account_id, Decimal(0)) + line.net_amount
        assert all(v == 0 for v in left.values()), (key, left)


def check_amounts(w: World) -> None:
    """Every invoice's AmountDue and AmountCredited, and every credit's RemainingCredit,
    agree with its live (not deleted) allocations, however many were made and deleted."""
    org = w.org.org_id
    live = [a for a in credits._allocations(w.store, org) if not a.is_deleted]
    for invoice in w.store.invoices(org):
        applied = sum((a.amount for a in live if a.invoice_id == invoice.invoice_id), Decimal(0))
        assert invoice.amount_credited == applied, invoice.invoice_id
        if invoice.status in ("AUTHORISED", "PAID"):
            assert invoice.amount_due == invoice.total - invoice.amount_paid - applied
            assert (invoice.status == "PAID") == (invoice.amount_due == 0)
    sources: list[Any] = [
        *credits.credit_notes_of(w.store, org),
        *credits.credits_of(w.store, org, credits.PREPAYMENT),
        *credits.credits_of(w.store, org, credits.OVERPAYMENT),
    ]
    for source in sources:
        key = getattr(source, "credit_note_id", None) or source.credit_id
        used = sum((a.amount for a in live if a.source_id == key), Decimal(0))
        if source.status in ("AUTHORISED", "PAID"):
            assert source.remaining_credit == source.total - used, key
            assert (source.status == "PAID") == (source.remaining_credit == 0), key


def check_trial_balance(w: World, date: datetime.date, cash: bool) -> None:
    rows = w.report("TrialBalance", date=date.isoformat(), paymentsOnly=str(cash).lower())
    totals = find(rows, "Total").values
    assert totals[1] == totals[2] and totals[3] == totals[4], totals
    body = [r for r in rows if r.kind == "Row"]
    for column in (1, 2, 3, 4):
        assert sum((amount(r.values[column]) for r in body), Decimal(0)) == amount(totals[column])


def earnings(w: World, date: datetime.date) -> tuple[Decimal, Decimal]:
    rows = w.report("BalanceSheet", date=date.isoformat())
    net = amount(find(rows, "Net Assets").values[1])
    equity = amount(find(rows, "Total Equity").values[1])
    assert net == equity
    assets = amount(find(rows, "Total Assets").values[1])
    liabilities = amount(find(rows, "Total Liabilities").values[1])
    assert assets - liabilities == net
    current = amount(find(rows, "Current Year Earnings").values[1])
    retained = amount(find(rows, "Retained Earnings").values[1])
    return current, retained


def net_profit(w: World, start: datetime.date, end: datetime.date) -> Decimal:
    rows = w.report("ProfitAndLoss", fromDate=start.isoformat(), toDate=end.isoformat())
    return amount(find(rows, "Net Profit").values[1])


def check_profit(w: World) -> None:
    current, retained = earnings(w, END)
    assert net_profit(w, reports.year_start(END), END) == current
    before_current, before_retained = earnings(w, MIDDLE)
    change = (current + retained) - (before_current + before_retained)
    assert net_profit(w, MIDDLE + datetime.timedelta(days=1), END) == change


def check_aged(w: World, date: datetime.date) -> None:
    org = w.org.org_id
    for name, code, sign in (("AgedReceivablesByContact", "610", 1),
                             ("AgedPayablesByContact", "800", -1)):  # fmt: skip
        closing = Decimal(0)
        for contact in w.store.contacts(org):
            rows = w.report(name, contactId=contact.contact_id, date=date.isoformat())
            shown = [r for r in rows if r.kind == "Row" and r.ids and r.ids[0]]
            closing += amount(find(rows, "Closing Balance").values[-1])
            total = find(rows, "Total")
            assert sum((amount(r.values[-1]) for r in shown), Decimal(0)) == amount(
                total.values[-1]
            )
        assert closing == sign * w.balance(code, until=date), name


def _run_and_check(documents: list[tuple[Any, ...]], steps: list[tuple[Any, ...]]) -> None:
    """Run the documents, then the steps (most act on them), in a fresh world; then every
    check: journals, what was removed, amounts, trial balances (accrual and cash), aged
    reports and profit, at the middle and the end of the period."""
    w = World()
    try:
        runner = Runner(w)
        for s in [*documents, *steps]:
            runner.run(s)
        check_journals(w)
        check_removed(w, runner.removed)
        check_amounts(w)
        for date in (MIDDLE, END):
            check_trial_balance(w, date, cash=False)
            check_trial_balance(w, date, cash=True)
            check_aged(w, date)
        check_profit(w)
    finally:
        w.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    documents=st.lists(st.one_of(invoice_step, invoice_step, credit_step), min_size=2, max_size=6),
    steps=st.lists(step, min_size=3, max_size=16),
)
def test_the_books_hold_for_any_sequence_of_documents(
    documents: list[tuple[Any, ...]], steps: list[tuple[Any, ...]]
) -> None:
    _run_and_check(documents, steps)


approved_invoice = st.tuples(
    st.just("invoice"),
    st.booleans(),
    st.just(True),
    st.integers(0, 2),
    st.integers(0, 4),
    amounts,
    st.data(),
)
credit_source = st.one_of(
    credit_step,
    st.tuples(st.just("money"), st.sampled_from(["RECEIVE-PREPAYMENT", "SPEND-PREPAYMENT",
                                                 "RECEIVE-OVERPAYMENT", "SPEND-OVERPAYMENT"]),
              st.integers(0, 2), st.integers(0, 4), st.data()),
)  # fmt: skip
allocation_step = st.one_of(
    st.tuples(st.just("allocate"), st.integers(0, 50), st.integers(0, 50), st.integers(1, 100)),
    st.tuples(st.just("allocate"), st.integers(0, 50), st.integers(0, 50), st.integers(1, 100)),
    st.tuples(st.just("allocate"), st.integers(0, 50), st.integers(0, 50), st.just(100)),
    st.tuples(st.just("unallocate"), st.integers(0, 50)),
    st.tuples(st.just("unallocate"), st.integers(0, 50)),
    st.tuples(st.just("pay"), st.integers(0, 50), st.integers(1, 100)),
    st.tuples(st.just("unpay"), st.integers(0, 50)),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    documents=st.lists(st.one_of(approved_invoice, credit_source), min_size=2, max_size=6),
    steps=st.lists(allocation_step, min_size=4, max_size=16),
)
def test_allocations_made_and_deleted_keep_the_books(
    documents: list[tuple[Any, ...]], steps: list[tuple[Any, ...]]
) -> None:
    """Credit notes, prepayments and overpayments allocated to approved invoices and bills,
    allocations deleted (some twice), payments made and deleted between them: the amounts
    follow every live allocation, each deleted allocation leaves nothing in any account, and
    the books balance."""
    _run_and_check(documents, steps)


# ----------------------------------------------------------------------------- examples


def test_an_invoice_posts_receivables_revenue_and_gst(world: World) -> None:
    runner = Runner(world)
    invoice = m.Invoice(
        type=m.InvoiceType.ACCREC,
        contact=m.Contact(name="Tui Bakery"),
        date=DATES[3],
        status=m.InvoiceStatus.DRAFT,
        line_items=[m.LineItem(description="Bread", quantity=Decimal(1),
                               unit_amount=Decimal("100.00"), account_code="200",
                               tax_type="OUTPUT2")],
    )  # fmt: skip
    root = world.ok("PUT", "Invoices", encode_request_invoices([invoice]))
    invoice_id = root.findtext("Invoices/Invoice/InvoiceID") or ""
    assert world.journals() == []  # drafts post nothing
    runner.invoices.append(invoice_id)
    runner.do_approve(0)
    (posted,) = world.journals()
    assert posted.source_type == "ACCREC" and posted.source_id == invoice_id
    assert posted.cash_lines is None  # no money moved: not a cash-basis journal
    assert [(x.account_code, x.net_amount, x.tax_amount) for x in posted.lines] == [
        ("610", Decimal("115.00"), 0),
        ("200", Decimal("-100.00"), Decimal("-15.00")),
        ("820", Decimal("-15.00"), 0),
    ]
    runner.do_pay(0, 40)
    payment = world.journals()[-1]
    assert payment.source_type == "ACCRECPAYMENT"
    assert [(x.account_code, x.net_amount) for x in payment.lines] == [
        ("090", Decimal("46.00")),
        ("610", Decimal("-46.00")),
    ]
    assert payment.cash_lines is not None
    assert [(x.account_code, x.net_amount) for x in payment.cash_lines] == [
        ("090", Decimal("46.00")),
        ("200", Decimal("-40.00")),
        ("820", Decimal("-6.00")),
    ]
    runner.do_unpay(0)
    runner.do_void(0)
    check_journals(world)
    check_removed(world, runner.removed)
    assert [j.source_type for j in world.journals()] == [
        "ACCREC",
        "ACCRECPAYMENT",
        "ACCRECPAYMENT",  # the deleted payment's reversal
        "ACCREC",  # the void's
    ]
    assert world.balance("610") == world.balance("200") == world.balance("090") == 0
    # saving a document again without a change posts nothing more
    with world.store.write():
        found = world.store.invoice_by_id(world.org.org_id, invoice_id)
        assert found is not None
        ledger.saved(world.store, world.org.org_id, found)
    assert len(world.journals()) == 4
