"""The reports figure: a Profit and Loss of 100 periods (one column each) decoded by the SDK
against lxml's parse alone of the same bytes (issue 18: < 2x)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from xero_customer_api.v2_0 import _codec
from xero_customer_api.v2_0 import models as m

ACCOUNT = "5040915e-8ce7-4177-8d08-fde416232f18"


def _cells(label: str, values: list[str], account: str | None = None) -> list[m.ReportCell]:
    attributes = [m.ReportAttribute(value=account, id="account")] if account else []
    return [m.ReportCell(value=v, attributes=list(attributes)) for v in [label, *values]]


def profit_and_loss(periods: int = 100, accounts: int = 40) -> m.ReportsResponse:
    """A Profit and Loss in Xero's layout: Income and Operating Expenses sections of account
    rows (every cell tagged with its account) and their totals, Gross and Net Profit."""
    months = [f"P{p + 1}" for p in range(periods)]

    def amounts(seed: int) -> list[str]:
        return [str(Decimal((seed * 37 + p * 11) % 500000) / 100) for p in range(periods)]

    def section(title: str, first: int, total: str) -> m.ReportRow:
        rows = [
            m.ReportRow(
                row_type=m.RowType.ROW, cells=_cells(f"Account {i:03d}", amounts(i), ACCOUNT)
            )
            for i in range(first, first + accounts // 2)
        ]
        rows.append(m.ReportRow(row_type=m.RowType.SUMMARY_ROW, cells=_cells(total, amounts(7))))
        return m.ReportRow(row_type=m.RowType.SECTION, title=title, rows=rows)

    report = m.Report(
        report_id="ProfitAndLoss",
        report_name="Profit and Loss",
        report_type="ProfitAndLoss",
        report_titles=["Profit & Loss", "Kauri Bindery Ltd", f"{periods} periods"],
        report_date="2 April 2026",
        updated_date_utc=datetime.datetime(2026, 4, 2, 3, 4, 5, tzinfo=datetime.UTC),
        rows=[
            m.ReportRow(row_type=m.RowType.HEADER, cells=_cells("", months)),
            section("Income", 0, "Total Income"),
            m.ReportRow(
                row_type=m.RowType.SECTION,
                rows=[
                    m.ReportRow(row_type=m.RowType.ROW, cells=_cells("Gross Profit", amounts(3)))
                ],
            ),
            section("Less Operating Expenses", accounts // 2, "Total Operating Expenses"),
            m.ReportRow(
                row_type=m.RowType.SECTION,
                rows=[m.ReportRow(row_type=m.RowType.ROW, cells=_cells("Net Profit", amounts(5)))],
            ),
        ],
    )
    return m.ReportsResponse(status="OK", reports=[report])


def profit_and_loss_xml(periods: int = 100, accounts: int = 40) -> bytes:
    return _codec.ENCODERS[m.ReportsResponse](profit_and_loss(periods, accounts))
