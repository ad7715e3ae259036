"""The books on given documents, in process: GET Journals over the ledger (offset, the cash
basis, If-Modified-Since), what prepayments, credit notes and their allocations, expense claims
and bank transfers post, retained earnings from an earlier year, tracking, and the reports'
parameters and refusals."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from xero_customer_api.v2_0 import models as m
from xero_customer_api.v2_0._codecs.requests.bank_transactions_request import (
    encode_request_bank_transactions,
)
from xero_customer_api.v2_0._codecs.requests.bank_transfers_request import (
    encode_request_bank_transfers,
)
from xero_customer_api.v2_0._codecs.requests.credit_notes_request import (
    encode_request_credit_notes,
)
from xero_customer_api.v2_0._codecs.requests.expense_claims_request import (
    encode_request_expense_claim,
    encode_request_expense_claims,
)
from xero_customer_api.v2_0._codecs.requests.invoices_request import encode_request_invoices
from xero_customer_api.v2_0._codecs.requests.payments_request import encode_request_payments
from xero_customer_api.v2_0._codecs.requests.receipts_request import encode_request_receipts
from xero_sandbox.v2_0.resources import credits

from tests.sandbox.ledger_world import World, amount, find

DAY = datetime.date(2026, 7, 1)


@pytest.fixture
def w() -> Iterator[World]:
    world = World()
    yield world
    world.close()


def item(value: str, account: str, tax: str = "NONE", **fields: object) -> m.LineItem:
    return m.LineItem(description="Goods", quantity=Decimal(1), unit_amount=Decimal(value),
                      account_code=account, tax_type=tax, **fields)  # type: ignore[arg-type]  # fmt: skip


def invoice(w: World, kind: str, value: str, account: str, *, contact: str = "Tui Bakery",
            date: datetime.date = DAY, **fields: object) -> tuple[str, str]:  # fmt: skip
    made = m.Invoice(type=m.InvoiceType(kind), contact=m.Contact(name=contact), date=date,
                     status=m.InvoiceStatus.AUTHORISED,
                     line_items=[item(value, account, **fields)])  # type: ignore[arg-type]  # fmt: skip
    root = w.ok("PUT", "Invoices", encode_request_invoices([made]))
    return (
        root.findtext("Invoices/Invoice/InvoiceID") or "",
        root.findtext("Invoices/Invoice/Contact/ContactID") or "",
    )


def lines(w: World, n: int = -1) -> list[tuple[str, Decimal]]:
    return [(x.account_code, x.net_amount) for x in w.journals()[n].lines]


def test_journals_read_the_ledger_by_offset_basis_and_time(w: World) -> None:
    first, _ = invoice(w, "ACCREC", "100.00", "200")
    payment = m.Payment(invoice=m.Invoice(invoice_id=first), account=m.Account(code="090"),
                        date=DAY, amount=Decimal("25.00"))  # fmt: skip
    w.ok("PUT", "Payments", encode_request_payments([payment]))
    listed = w.ok("GET", "Journals")
    assert [j.text for j in listed.iterfind("Journals/Journal/SourceType")] == [
        "ACCREC",
        "ACCRECPAYMENT",
    ]
    assert listed.findtext("Journals/Journal/SourceID") == first
    cash = w.ok("GET", "Journals", paymentsOnly="true")
    assert [j.text for j in cash.iterfind("Journals/Journal/JournalNumber")] == ["2"]
    # the cash-basis journal posts the payment against the invoice's own account
    assert [a.text for a in cash.iterfind(".//JournalLine/AccountCode")] == ["090", "200"]
    after = w.ok("GET", "Journals", offset="1")
    assert [j.text for j in after.iterfind("Journals/Journal/JournalNumber")] == ["2"]
    one = w.ok("GET", "Journals/1")
    assert one.find("Journals/Journal/SourceID") is None  # only lists say the source
    assert [g.text for g in one.iterfind(".//JournalLine/GrossAmount")] == ["100.00", "-100.00"]


def test_credit_notes_and_allocations_post_and_age(w: World) -> None:
    invoice_id, contact = invoice(w, "ACCREC", "300.00", "200")
    note = m.CreditNote(type=m.CreditNoteType.ACCRECCREDIT, contact=m.Contact(contact_id=contact),
                        date=DAY, status=m.CreditNoteStatus.AUTHORISED,
                        line_items=[item("100.00", "200", "OUTPUT2")])  # fmt: skip
    root = w.ok("PUT", "CreditNotes", encode_request_credit_notes([note]))
    note_id = root.findtext("CreditNotes/CreditNote/CreditNoteID") or ""
    assert w.journals()[-1].source_type == "ACCRECCREDIT"
    assert lines(w) == [("610", Decimal("-115.00")), ("200", Decimal("100.00")),
                        ("820", Decimal("15.00"))]  # fmt: skip
    with w.store.write():
        credits.allocate(w.store, w.org.org_id, credits.CREDIT_NOTE, note_id, invoice_id,
                         Decimal("50.00"), DAY)  # fmt: skip
    allocation = w.journals()[-1]
    assert allocation.source_type == "ACCRECCREDIT" and allocation.source_id == note_id
    assert lines(w) == [("610", Decimal("50.00")), ("610", Decimal("-50.00"))]
    assert allocation.cash_lines is not None
    assert sum((x.net_amount for x in allocation.cash_lines), Decimal(0)) == 0
    rows = w.report("AgedReceivablesByContact", contactId=contact, date="2026-07-31")
    shown = {r.ids[0]: r.values[4:] for r in rows if r.kind == "Row" and r.ids and r.ids[0]}
    assert shown == {
        invoice_id: ["300.00", "0.00", "50.00", "250.00"],
        note_id: ["-115.00", "0.00", "-50.00", "-65.00"],
    }
    assert find(rows, "Closing Balance").values[-1] == "185.00" == f"{w.balance('610'):.2f}"


def test_prepayments_transfers_and_claims_post(w: World) -> None:
    prepaid = m.BankTransaction(type=m.BankTransactionType.RECEIVE_PREPAYMENT,
                                contact=m.Contact(name="Kea Couriers"), date=DAY,
                                bank_account=m.Account(code="090"),
                                line_items=[item("60.00", "200")])  # fmt: skip
    w.ok("PUT", "BankTransactions", encode_request_bank_transactions([prepaid]))
    journal = w.journals()[-1]
    assert journal.source_type == "ARPREPAYMENT"
    assert lines(w) == [("090", Decimal("60.00")), ("610", Decimal("-60.00"))]
    assert journal.cash_lines is not None
    assert [(x.account_code, x.net_amount) for x in journal.cash_lines] == [
        ("090", Decimal("60.00")),
        ("200", Decimal("-60.00")),
    ]
    contact = w.store.contact_by_name(w.org.org_id, "Kea Couriers")
    assert contact is not None
    rows = w.report("AgedReceivablesByContact", contactId=contact.contact_id)
    assert find(rows, "Closing Balance").values[-1] == "-60.00"

    w.ok("PUT", "Accounts", b"<Account><Code>091</Code><Name>Savings</Name><Type>BANK</Type>"
         b"<BankAccountNumber>0102</BankAccountNumber></Account>")  # fmt: skip
    transfer = m.BankTransfer(from_bank_account=m.Account(code="090"),
                              to_bank_account=m.Account(code="091"), amount=Decimal("20.00"),
                              date=DAY)  # fmt: skip
    w.ok("PUT", "BankTransfers", encode_request_bank_transfers([transfer]))
    assert w.journals()[-1].source_type == "TRANSFER"  # one journal, not one per side
    assert lines(w) == [("091", Decimal("20.00")), ("090", Decimal("-20.00"))]

    user = w.ok("GET", "Users").findtext("Users/User/UserID")
    receipt = m.Receipt(date=DAY, contact=m.Contact(name="Cafe"), user=m.User(user_id=user),
                        line_items=[item("23.00", "420", "INPUT2")],
                        line_amount_types=m.LineAmountTypes.INCLUSIVE)  # fmt: skip
    receipt_id = w.ok("PUT", "Receipts", encode_request_receipts([receipt])).findtext(
        "Receipts/Receipt/ReceiptID"
    )
    claim = m.ExpenseClaim(user=m.User(user_id=user), receipts=[m.Receipt(receipt_id=receipt_id)])
    root = w.ok("PUT", "ExpenseClaims", encode_request_expense_claims([claim]))
    claim_id = root.findtext("ExpenseClaims/ExpenseClaim/ExpenseClaimID")
    before = len(w.journals())
    approve = encode_request_expense_claim(m.ExpenseClaim(status=m.ExpenseClaimStatus.AUTHORISED))
    w.ok("POST", f"ExpenseClaims/{claim_id}", approve)
    assert len(w.journals()) == before + 1 and w.journals()[-1].source_type == "EXPCLAIM"
    assert lines(w) == [("801", Decimal("-23.00")), ("420", Decimal("20.00")),
                        ("820", Decimal("3.00"))]  # fmt: skip
    assert any(a.name == "Unpaid Expense Claims" for a in w.store.accounts(w.org.org_id))
    void = encode_request_expense_claim(m.ExpenseClaim(status=m.ExpenseClaimStatus.VOIDED))
    w.ok("POST", f"ExpenseClaims/{claim_id}", void)
    assert w.journals()[-1].reverses == before + 1 and w.balance("801") == 0


def test_earlier_years_are_retained_earnings(w: World) -> None:
    invoice(w, "ACCREC", "500.00", "200", date=datetime.date(2025, 12, 1))  # last year
    invoice(w, "ACCPAY", "120.00", "429", date=datetime.date(2026, 5, 1))  # this year
    rows = w.report("BalanceSheet", date="2026-06-30")
    assert find(rows, "Retained Earnings").values[1] == "500.00"
    assert find(rows, "Current Year Earnings").values[1] == "-120.00"
    assert find(rows, "Current Year Earnings").ids[1] == "abababab-abab-abab-abab-abababababab"
    trial = w.report("TrialBalance", date="2026-06-30")
    assert find(trial, "Retained Earnings", "Equity").values[4] == "500.00"
    assert not any(r.values[0] == "Sales (200)" for r in trial)  # last year's: retained
    totals = find(trial, "Total").values
    assert totals[3] == totals[4]


def test_tracking_splits_and_filters_the_reports(w: World) -> None:
    north = m.LineItemTracking(name="Region", option="North")
    invoice(w, "ACCREC", "70.00", "200", tracking=[north])
    invoice(w, "ACCREC", "30.00", "200")
    region = next(c for c in w.store.tracking(w.org.org_id) if c.name == "Region")
    option = next(o for o in region.options if o.name == "North")
    split = w.report("ProfitAndLoss", fromDate="2026-07-01", toDate="2026-07-31",
                     trackingCategoryID=region.category_id)  # fmt: skip
    header = split[0].values
    assert header[0] == "" and header[-2:] == ["Unassigned", "Total"] and "North" in header
    sales = find(split, "Sales").values
    assert sales[header.index("North")] == "70.00"
    assert sales[header.index("Unassigned")] == "30.00" and sales[-1] == "100.00"
    only = w.report("ProfitAndLoss", fromDate="2026-07-01", toDate="2026-07-31",
                    trackingOptionID=option.option_id)  # fmt: skip
    assert find(only, "Net Profit").values[1] == "70.00"
    sheet = w.report("BalanceSheet", date="2026-07-31", trackingOptionID1=option.option_id)
    assert find(sheet, "Current Year Earnings").values[1] == "70.00"
    person = next(c for c in w.store.tracking(w.org.org_id) if c.name == "Salesperson")
    crossed = w.report("ProfitAndLoss", fromDate="2026-07-01", toDate="2026-07-31",
                       trackingCategoryID=region.category_id,
                       trackingCategoryID2=person.category_id)  # fmt: skip
    header = crossed[0].values
    sales = find(crossed, "Sales").values
    assert sales[header.index("North - Unassigned")] == "70.00"
    assert sales[header.index("Unassigned - Unassigned")] == "30.00"
    assert sales[header.index("North - Mei Chen")] == "0.00" and sales[-1] == "100.00"
    assert len(header) == 1 + 6 * 4 + 1  # (5 regions + none) x (3 people + none), the total


@pytest.mark.parametrize(
    ("name", "query", "words"),
    [
        ("AgedReceivablesByContact", {}, "contactId is a required parameter."),
        ("ProfitAndLoss", {"periods": "13"}, "periods must be a whole number from 1 to 12"),
        ("ProfitAndLoss", {"timeframe": "WEEK"}, "timeframe must be one of MONTH, QUARTER, YEAR"),
        ("BalanceSheet", {"date": "31/12/2026"}, "date must be a date (YYYY-MM-DD)"),
        ("BudgetSummary", {"timeframe": "2"}, "timeframe must be 1, 3 or 12"),
        ("TrialBalance", {"paymentsOnly": "yes"}, "paymentsOnly must be true or false"),
    ],
)
def test_reports_refuse_bad_parameters(w: World, name: str, query: dict[str, str],
                                       words: str) -> None:  # fmt: skip
    status, root = w.call("GET", f"Reports/{name}", **query)
    assert status == 400 and words in (root.findtext("Message") or "")


def test_budget_summary_reads_the_budget(w: World) -> None:
    rows = w.report("BudgetSummary", date="2026-04-01", periods="2", timeframe="3")
    assert rows[0].values == ["Account", "Apr-26", "Jul-26"]
    assert find(rows, "Sales").values[1:] == ["36000.00", "36000.00"]
    assert amount(find(rows, "Net Profit").values[1]) == Decimal("36000.00") - 3 * (
        Decimal("800.00") + Decimal("2500.00")
    )


def test_a_line_without_an_account_posts_to_suspense(w: World) -> None:
    made = m.Invoice(type=m.InvoiceType.ACCREC, contact=m.Contact(name="Tui Bakery"), date=DAY,
                     status=m.InvoiceStatus.AUTHORISED,
                     line_items=[m.LineItem(description="Unsorted", quantity=Decimal(1),
                                            unit_amount=Decimal("12.00"), tax_type="NONE")])  # fmt: skip
    w.ok("PUT", "Invoices", encode_request_invoices([made]))
    assert lines(w) == [("610", Decimal("12.00")), ("SUSPENSE", Decimal("-12.00"))]
    suspense = [a for a in w.store.accounts(w.org.org_id) if a.name == "Suspense"]
    assert [(a.code, a.type) for a in suspense] == [("SUSPENSE", "CURRLIAB")]
