"""Wire tests of the reports, sync and async, on httpx's MockTransport: method, path, the exact
(case-sensitive) query names Xero reads and their values (dates as YYYY-MM-DD), no body, no
Idempotency-Key; the answer typed as one Report; bad arguments refused before sending."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from xero_customer_api import RequestValidationError
from xero_customer_api.v2_0 import models

from tests.v2.fake_xero import fake_async_client, fake_client
from tests.v2.test_wire import GUID, GUID2, Case, Recorder, _check_wire

G = GUID.lower()
G2 = GUID2.lower()
JAN1 = datetime.date(2026, 1, 1)
MAR31 = datetime.date(2026, 3, 31)
R = "reports_response/"

CASES = [
    Case(
        "reports.trial_balance",
        lambda c: c.reports.trial_balance(date=MAR31, payments_only=True),
        "GET",
        "Reports/TrialBalance",
        [("date", "2026-03-31"), ("paymentsOnly", "true")],
        R + "trial_balance.xml",
    ),
    Case(
        "reports.trial_balance/defaults",
        lambda c: c.reports.trial_balance(),
        "GET",
        "Reports/TrialBalance",
        [],
        R + "trial_balance.xml",
    ),
    Case(
        "reports.profit_and_loss",
        lambda c: c.reports.profit_and_loss(
            from_date=JAN1,
            to_date=MAR31,
            periods=2,
            timeframe="MONTH",
            tracking_category_id=GUID,
            tracking_category_id_2=uuid.UUID(GUID2),
            tracking_option_id=GUID2,
            tracking_option_id_2=GUID,
            standard_layout=True,
            payments_only=False,
        ),
        "GET",
        "Reports/ProfitAndLoss",
        [
            ("fromDate", "2026-01-01"),
            ("toDate", "2026-03-31"),
            ("periods", "2"),
            ("timeframe", "MONTH"),
            ("trackingCategoryID", G),
            ("trackingCategoryID2", G2),
            ("trackingOptionID", G2),
            ("trackingOptionID2", G),
            ("standardLayout", "true"),
            ("paymentsOnly", "false"),
        ],
        R + "profit_and_loss_periods.xml",
    ),
    Case(
        "reports.balance_sheet",
        lambda c: c.reports.balance_sheet(
            date=MAR31,
            periods=12,
            timeframe="YEAR",
            tracking_option_id_1=GUID,
            tracking_option_id_2=GUID2,
            standard_layout=False,
            payments_only=True,
        ),
        "GET",
        "Reports/BalanceSheet",
        [
            ("date", "2026-03-31"),
            ("periods", "12"),
            ("timeframe", "YEAR"),
            ("trackingOptionID1", G),
            ("trackingOptionID2", G2),
            ("standardLayout", "false"),
            ("paymentsOnly", "true"),
        ],
        R + "balance_sheet.xml",
    ),
    Case(
        "reports.aged_receivables_by_contact",
        lambda c: c.reports.aged_receivables_by_contact(
            contact_id=GUID, date=MAR31, from_date=JAN1, to_date=MAR31
        ),
        "GET",
        "Reports/AgedReceivablesByContact",
        [
            ("contactId", G),
            ("date", "2026-03-31"),
            ("fromDate", "2026-01-01"),
            ("toDate", "2026-03-31"),
        ],
        R + "aged_receivables.xml",
    ),
    Case(
        "reports.aged_payables_by_contact",
        lambda c: c.reports.aged_payables_by_contact(contact_id=uuid.UUID(GUID2)),
        "GET",
        "Reports/AgedPayablesByContact",
        [("contactId", G2)],
        R + "aged_receivables.xml",
    ),
    Case(
        "reports.bank_summary",
        lambda c: c.reports.bank_summary(from_date=JAN1, to_date=MAR31),
        "GET",
        "Reports/BankSummary",
        [("fromDate", "2026-01-01"), ("toDate", "2026-03-31")],
        R + "bank_summary.xml",
    ),
    Case(
        "reports.budget_summary",
        lambda c: c.reports.budget_summary(date=JAN1, periods=3, timeframe=3),
        "GET",
        "Reports/BudgetSummary",
        [("date", "2026-01-01"), ("periods", "3"), ("timeframe", "3")],
        R + "budget_summary.xml",
    ),
    Case(
        "reports.executive_summary",
        lambda c: c.reports.executive_summary(date=MAR31),
        "GET",
        "Reports/ExecutiveSummary",
        [("date", "2026-03-31")],
        R + "executive_summary.xml",
    ),
    Case(
        "reports.ten_ninety_nine",
        lambda c: c.reports.ten_ninety_nine(report_year=2025),
        "GET",
        "Reports/TenNinetyNine",
        [("reportYear", "2025")],
        R + "ten_ninety_nine.xml",
    ),
    Case("reports.list", lambda c: c.reports.list(), "GET", "Reports", [], R + "published.xml"),
    Case(
        "reports.get",
        lambda c: c.reports.get(report_id="2d1c0b9a-8f7e-4d6c-b5a4-3f2e1d0c9b8a"),
        "GET",
        "Reports/2d1c0b9a-8f7e-4d6c-b5a4-3f2e1d0c9b8a",
        [],
        R + "published.xml",
    ),
    Case(
        "reports.get/by_name",
        lambda c: c.reports.get(report_id="ProfitAndLoss"),
        "GET",
        "Reports/ProfitAndLoss",
        [],
        R + "profit_and_loss_periods.xml",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sync_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    with fake_client(recorder) as client:
        result = case.call(client)
    _check_wire(case, recorder)
    if case.id == "reports.list":
        assert [type(r) for r in result] == [models.Report, models.Report]
    else:
        assert isinstance(result, models.Report)


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_async_wire(case: Case) -> None:
    recorder = Recorder(case.fixture)
    async with fake_async_client(recorder) as client:
        result = case.call(client)
        result = await result
    _check_wire(case, recorder)
    assert result is not None


def test_a_report_comes_back_typed() -> None:
    recorder = Recorder(R + "profit_and_loss_periods.xml")
    with fake_client(recorder) as client:
        report = client.reports.profit_and_loss(from_date=JAN1, to_date=MAR31)
    assert report.report_id == "ProfitAndLoss"
    assert report.report_titles[0] == "Profit & Loss"
    assert report.report_date == "2 April 2026"
    assert report.updated_date_utc == datetime.datetime(
        2026, 4, 2, 3, 4, 5, 602145, tzinfo=datetime.UTC
    )
    assert report.rows[0].row_type is models.RowType.HEADER
    income = report.rows[1]
    assert income.row_type is models.RowType.SECTION and income.title == "Income"
    sales = income.rows[0]
    assert sales.cells[1].value == "1500.00"
    assert sales.cells[0].attributes[0].id == "account"
    assert sales.cells[0].attributes[0].value == "5040915e-8ce7-4177-8d08-fde416232f18"


def test_the_1099_report_and_published_fields() -> None:
    with fake_client(Recorder(R + "ten_ninety_nine.xml")) as client:
        report = client.reports.ten_ninety_nine(report_year=2025)
    assert report.rows == []
    (contact,) = report.contacts
    assert contact.name == "Rata Consulting LLC"
    assert str(contact.box7) == "12500.00"
    assert contact.federal_tax_id_type == "EIN"
    with fake_client(Recorder(R + "published.xml")) as client:
        first, second = client.reports.list()
    assert first.fields[0].field_id == "5" and first.fields[0].value == "4500.00"
    assert second.report_titles == [] and second.fields == []


BAD: list[tuple[str, Any, str]] = [
    ("periods 13", lambda c: c.reports.profit_and_loss(periods=13), "`periods`"),
    ("periods 0", lambda c: c.reports.balance_sheet(periods=0), "`periods`"),
    ("timeframe", lambda c: c.reports.profit_and_loss(timeframe="WEEK"), "`timeframe`"),
    ("budget timeframe", lambda c: c.reports.budget_summary(timeframe=2), "`timeframe`"),
    ("budget timeframe text", lambda c: c.reports.budget_summary(timeframe="MONTH"), "`timeframe`"),
    (
        "a datetime for a date",
        lambda c: c.reports.trial_balance(date=datetime.datetime(2026, 3, 31, tzinfo=datetime.UTC)),
        "`date` must be a datetime.date",
    ),
    ("text for a date", lambda c: c.reports.bank_summary(from_date="2026-01-01"), "`from_date`"),
    (
        "contact id",
        lambda c: c.reports.aged_receivables_by_contact(contact_id="Tui"),
        "`contact_id`",
    ),
    (
        "tracking id",
        lambda c: c.reports.profit_and_loss(tracking_option_id="North"),
        "`tracking_option_id`",
    ),
    ("bool", lambda c: c.reports.trial_balance(payments_only="yes"), "`payments_only`"),
    ("year", lambda c: c.reports.ten_ninety_nine(report_year="2025"), "`report_year`"),
    ("report id", lambda c: c.reports.get(report_id=""), "report_id"),
]


@pytest.mark.parametrize(("label", "call", "named"), BAD, ids=[b[0] for b in BAD])
def test_bad_arguments_are_refused_before_sending(label: str, call: Any, named: str) -> None:
    recorder = Recorder(R + "trial_balance.xml")
    with fake_client(recorder) as client, pytest.raises(RequestValidationError) as caught:
        call(client)
    assert named in str(caught.value)
    assert recorder.requests == []


def test_contact_id_is_required() -> None:
    recorder = Recorder(R + "aged_receivables.xml")
    with fake_client(recorder) as client, pytest.raises(TypeError, match="contact_id"):
        client.reports.aged_receivables_by_contact()  # type: ignore[call-arg]
    assert recorder.requests == []
