"""A user's script touching every reports endpoint and the table API; `make check` runs mypy
--strict over it.

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any, assert_type

from xero_customer_api import (
    AsyncXeroClient,
    MissingExtraError,
    Percent,
    RawResponse,
    ReportLine,
    ReportTable,
    SkippedRow,
    XeroClient,
)
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
JAN1 = datetime.date(2026, 1, 1)
MAR31 = datetime.date(2026, 3, 31)


def sync_calls(client: XeroClient) -> None:
    reports = client.reports
    assert_type(reports.trial_balance(date=MAR31, payments_only=True), models.Report)
    pnl = reports.profit_and_loss(
        from_date=JAN1,
        to_date=MAR31,
        periods=3,
        timeframe="QUARTER",
        tracking_category_id=uuid.UUID(ID),
        tracking_option_id=ID,
        standard_layout=True,
        payments_only=False,
    )
    assert_type(pnl, models.Report)
    assert_type(
        reports.balance_sheet(date=MAR31, periods=12, timeframe="YEAR", tracking_option_id_1=ID),
        models.Report,
    )
    assert_type(reports.aged_receivables_by_contact(contact_id=ID, date=MAR31), models.Report)
    assert_type(
        reports.aged_payables_by_contact(contact_id=uuid.UUID(ID), from_date=JAN1, to_date=MAR31),
        models.Report,
    )
    assert_type(reports.bank_summary(from_date=JAN1, to_date=MAR31), models.Report)
    assert_type(reports.budget_summary(date=JAN1, periods=12, timeframe=3), models.Report)
    assert_type(reports.executive_summary(date=MAR31), models.Report)
    assert_type(reports.ten_ninety_nine(report_year=2025), models.Report)
    assert_type(reports.list(), list[models.Report])
    assert_type(reports.get(report_id="ProfitAndLoss"), models.Report)
    raw = reports.with_raw_response.trial_balance()
    assert_type(raw, RawResponse[models.ReportsResponse])

    # the model
    assert_type(pnl.report_id, str | None)
    assert_type(pnl.report_titles, list[str])
    assert_type(pnl.report_date, str | None)
    assert_type(pnl.updated_date_utc, datetime.datetime | None)
    row = pnl.rows[0]
    assert_type(row, models.ReportRow)
    assert_type(row.row_type, models.RowType | None)
    assert_type(row.title, str | None)
    assert_type(row.rows, list[models.ReportRow])
    assert_type(row.cells[0].value, str | None)
    assert_type(row.cells[0].attributes[0].id, str | None)
    assert_type(pnl.contacts[0].box7, Decimal | None)

    # the table
    table = pnl.to_table()
    assert_type(table, ReportTable)
    assert_type(table.columns, tuple[str, ...])
    line = table.find("Net Profit")
    assert_type(line, ReportLine)
    assert_type(line.section, str | None)
    assert_type(line.account_id, str | None)
    assert_type(line["31 Mar 26"], Decimal | datetime.date | str | None)
    assert_type(table.skipped, tuple[SkippedRow, ...])
    assert_type(table.to_csv(), str)
    assert_type(Percent("7.3").fraction, Decimal)
    try:
        frame: Any = pnl.to_dataframe()
    except MissingExtraError as exc:
        assert_type(exc.extra, str)
    else:
        print(frame)

    # wrong arguments: mypy refuses them
    reports.profit_and_loss(periods=13)  # type: ignore[arg-type]
    reports.profit_and_loss(timeframe="WEEK")  # type: ignore[arg-type]
    reports.budget_summary(timeframe=2)  # type: ignore[arg-type]
    reports.bank_summary(from_date="2026-01-01")  # type: ignore[arg-type]
    reports.aged_receivables_by_contact()  # type: ignore[call-arg]


async def async_calls(client: AsyncXeroClient) -> None:
    report = await client.reports.profit_and_loss(from_date=JAN1, to_date=MAR31)
    assert_type(report, models.Report)
    assert_type(await client.reports.list(), list[models.Report])
    assert_type(report.to_table(), ReportTable)
