"""report.to_table() and report.to_dataframe() on fixtures of every report in Xero's layouts
(reference section 5) and on malformed-but-readable ones: typed values (Decimal amounts,
Percent, dates), the account from the cell attributes, section titles carried down, header
labels as column names, and a `skipped` list that says what was left out."""

from __future__ import annotations

import datetime
import importlib
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from xero_customer_api import MissingExtraError, Percent, ReportTable, XeroError
from xero_customer_api._runtime._reports import cell_value, render_report
from xero_customer_api.v2_0 import _codec, models

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "v2.0" / "responses"
SALES = "5040915e-8ce7-4177-8d08-fde416232f18"
BANK = "13918178-849a-4823-9a31-57b7eac713d7"


# Not under responses/: its unknown RowType is not valid against the XSD, which the fixture
# round trips of every answer (tests/v2/test_roundtrip.py) require.
MALFORMED = FIXTURES.parent / "reports_malformed.xml"


def report_of(name: str) -> models.Report:
    path = MALFORMED if name == "malformed" else FIXTURES / "reports_response" / f"{name}.xml"
    root = etree.parse(str(path)).getroot()
    answer = _codec.DECODERS[models.ReportsResponse](root, False)
    (report,) = answer.reports
    return report


def table_of(name: str) -> ReportTable:
    return report_of(name).to_table()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.50", Decimal("1234.50")),
        ("-12.50", Decimal("-12.50")),
        ("0.1081081081081081081081081081", Decimal("0.1081081081081081081081081081")),
        ("7.3%", Percent("7.3")),
        ("-0.5%", Percent("-0.5")),
        ("2014-05-07T00:00:00", datetime.date(2014, 5, 7)),
        ("2026-03-31", datetime.date(2026, 3, 31)),
        ("181 days overdue", "181 days overdue"),
        ("Sales (200)", "Sales (200)"),
        ("", None),
        ("   ", None),
        (None, None),
        ("2026-02-30T00:00:00", "2026-02-30T00:00:00"),  # not a day: kept as text
    ],
)
def test_cell_values_are_typed(text: str | None, expected: Any) -> None:
    value = cell_value(text)
    assert value == expected
    assert type(value) is type(expected)


def test_text_columns_keep_numbers_as_text() -> None:
    assert cell_value("1001", text_column=True) == "1001"
    assert cell_value("2014-05-07T00:00:00", text_column=True) == datetime.date(2014, 5, 7)


def test_percent() -> None:
    assert Percent("7.3").fraction == Decimal("0.073")
    assert str(Percent("7.3")) == "7.3%"
    assert repr(Percent("7.3")) == "Percent('7.3')"


def test_trial_balance() -> None:
    table = table_of("trial_balance")
    assert table.report_id == "TrialBalance"
    assert table.titles == ("Trial Balance", "Kauri Bindery Ltd", "As at 31 March 2026")
    assert table.columns == ("Account", "Debit", "Credit", "YTD Debit", "YTD Credit")
    sales = table.find("Sales (200)")
    assert sales.section == "Revenue" and sales.sections == ("Revenue",)
    assert sales.account_id == SALES
    assert sales["Credit"] == Decimal("1500.00") and sales["Debit"] is None
    assert [line.section for line in table] == [
        "Revenue", "Expenses", "Expenses", "Assets", "Assets", "Liabilities", None,
    ]  # fmt: skip
    total = table.lines[-1]
    assert total.label == "Total" and total.is_summary and total.account_id is None
    assert total["Debit"] == total["Credit"] == Decimal("1725.00")
    accounts = [line for line in table if not line.is_summary]
    assert sum(line["Debit"] or Decimal(0) for line in accounts) == total["Debit"]
    assert sum(line["Credit"] or Decimal(0) for line in accounts) == total["Credit"]
    assert [str(s) for s in table.skipped] == ["rows[5] (section 'Equity'): a section with no rows"]


def test_profit_and_loss_with_periods() -> None:
    table = table_of("profit_and_loss_periods")
    assert table.columns == ("label", "31 Mar 26", "28 Feb 26", "31 Jan 26")
    assert table.find("Total Income", section="Income").row_type == "SummaryRow"
    gross = table.find("Gross Profit")
    assert gross.section is None and gross.row_type == "Row"
    net = table.find("Net Profit")
    assert [net[c] for c in table.columns[1:]] == [
        Decimal("300.00"), Decimal("300.00"), Decimal("-12.50"),
    ]  # fmt: skip
    assert table.find("Rent").section == "Less Operating Expenses"
    assert table.skipped == ()
    with pytest.raises(KeyError, match="Rent"):
        table.find("Rent", section="Income")


def test_balance_sheet() -> None:
    table = table_of("balance_sheet")
    assert table.columns == ("label", "31 March 2026", "31 March 2025")
    assert table.find("Business Bank Account").section == "Bank"
    earnings = table.find("Current Year Earnings")
    assert earnings.section == "Equity"
    assert earnings.account_id is None  # Xero's placeholder GUID is no account
    assert earnings.attributes == {"account": "abababab-abab-abab-abab-abababababab"}
    assert table.find("Net Assets")["31 March 2026"] == table.find("Total Equity")["31 March 2026"]
    assert {s.where for s in table.skipped} == {
        "rows[1] (section 'Assets')",
        "rows[5] (section 'Liabilities')",
    }


def test_aged_receivables() -> None:
    table = table_of("aged_receivables")
    assert table.columns == (
        "Date", "Number", "Due Date", "column_4", "Total", "Paid", "Credited", "Due",
    )  # fmt: skip
    first, second = (line for line in table if "invoiceID" in line.attributes)
    assert first["Date"] == datetime.date(2026, 1, 15)
    assert first["Number"] == "1001"  # a number column stays text
    assert first["Due Date"] == datetime.date(2026, 2, 14)
    assert first["column_4"] == "45 days overdue"
    assert first.attributes == {"invoiceID": "0032ed55-4b30-4b8f-a1f4-3b2c1d0e9f8a"}
    assert second["column_4"] is None and second["Due"] == Decimal("450.00")
    assert table.find("Opening Balance")["Due"] == Decimal("0.00")
    closing = table.find("Closing Balance")
    assert closing["Due"] == first["Due"] + second["Due"]  # type: ignore[operator]


def test_bank_summary() -> None:
    table = table_of("bank_summary")
    bank = table.find("Business Bank Account")
    assert bank.account_id == BANK  # from accountID on the first cell only
    opening, received, spent, closing = (bank[c] for c in table.columns[1:])
    assert closing == opening + received - spent  # type: ignore[operator]


def test_executive_summary_percentages() -> None:
    table = table_of("executive_summary")
    assert table.columns == ("label", "Mar 2026", "Feb 2026", "Variance")
    received = table.find("Cash received", section="Cash")
    assert received["Variance"] == Percent("7.3") and isinstance(received["Variance"], Percent)
    margin = table.find("Gross profit margin")
    assert margin.section == "Performance" and margin["Mar 2026"] == Percent("73.3")
    roi = table.find("Return on investment (p.a.)")
    assert roi["Mar 2026"] == Decimal("0.1081081081081081081081081081")
    assert not isinstance(roi["Mar 2026"], Percent)
    assert "0.108108 " in table.to_text()  # long ratios shown to 6 places, kept exact


def test_budget_summary() -> None:
    table = table_of("budget_summary")
    assert table.titles[:2] == ("Overall Budget", "Budget Summary")
    assert table.columns == ("Account", "Apr-26", "May-26", "Jun-26")
    net = table.find("Net Profit")
    assert net.is_summary and net["Jun-26"] == Decimal("1000.00")
    assert table.find("Sales").account_id == SALES


def test_malformed_report_still_reads_and_says_what_it_skipped() -> None:
    table = table_of("malformed")
    assert table.columns == ("label", "31 Mar 26", "28 Feb 26", "column_4")
    assert [line.label for line in table] == [
        "Sales", "Interest", "Stock on hand", "Total Odd", "Net Profit",
    ]  # fmt: skip
    sales = table.find("Sales")
    assert sales["28 Feb 26"] is None and sales.account_id == SALES
    assert table.find("Interest")["column_4"] == Decimal("3.00")
    assert table.find("Stock on hand")["28 Feb 26"] == "n/a"
    assert table.find("Net Profit").section is None
    reasons = [str(s) for s in table.skipped]
    assert reasons == [
        "rows[0].cells[0]: attributes on a header cell ignored (headerID)",
        "rows[1].rows[0]: 2 cells for 3 header columns: the missing ones are empty",
        "rows[1].rows[1]: 4 cells for 3 header columns: the extra ones in column_4",
        "rows[2] (section 'Other Income'): a section with no rows",
        "rows[3].rows[0]: a Row without cells",
        "rows[4]: RowType 'Subtotal' ('Gross Profit'): not a Header, Section, Row or SummaryRow",
        "rows[5]: a second Header row (the first one names the columns)",
        "rows[6] (section 'Odd'): 1 cell of the section row ignored",
    ]
    assert "Skipped (8):" in table.to_text()


def test_unknown_row_type_is_kept_on_the_model() -> None:
    report = report_of("malformed")
    assert report.rows[4].row_type == "Subtotal"  # open enumeration: kept as text


def test_no_header_and_no_rows() -> None:
    report = models.Report(
        report_id="X",
        rows=[
            models.ReportRow(
                row_type=models.RowType.ROW,
                cells=[models.ReportCell(value="A"), models.ReportCell(value="1.00")],
            ),
            models.ReportRow(row_type=None, cells=[]),
        ],
    )
    table = report.to_table()
    assert table.columns == ("column_1", "column_2")
    assert table.lines[0]["column_2"] == Decimal("1.00")
    assert [s.reason for s in table.skipped] == [
        "no Header row before it: columns are named column_1, column_2...",
        "no RowType: not a Header, Section, Row or SummaryRow",
    ]
    empty = models.Report(report_id="Y", report_titles=["1099 report"]).to_table()
    assert empty.lines == () and [s.reason for s in empty.skipped] == ["the report has no rows"]
    assert empty.to_text().startswith("1099 report\n\n(no rows)\n")
    assert render_report([report], "csv") == table.to_csv()  # a command's list of one report


def test_duplicate_header_labels_get_distinct_columns() -> None:
    header = models.ReportRow(
        row_type=models.RowType.HEADER,
        cells=[models.ReportCell(value=v) for v in ("", "May", "May", "May")],
    )
    line = models.ReportRow(
        row_type=models.RowType.ROW, cells=[models.ReportCell(value=v) for v in "a123"]
    )
    table = models.Report(rows=[header, line]).to_table()
    assert table.columns == ("label", "May", "May (2)", "May (3)")
    assert table.lines[0]["May (3)"] == Decimal(3)


def test_records_csv_json_and_text() -> None:
    table = table_of("profit_and_loss_periods")
    record = table.records()[0]
    assert list(record) == ["section", "row_type", *table.columns, "account_id"]
    assert record["account_id"] == SALES and record["section"] == "Income"
    csv_text = table.to_csv()
    assert (
        csv_text.splitlines()[0]
        == "section,row_type,label,31 Mar 26,28 Feb 26,31 Jan 26,account_id"
    )
    assert "Income,Row,Sales,1500.00,1500.00,1500.00," + SALES in csv_text
    data = table.to_jsonable()
    assert data["rows"][0]["31 Mar 26"] == "1500.00" and data["skipped"] == []
    text = table.to_text()
    assert "Net Profit" in text and "1,500.00" in text and text.startswith("Profit & Loss\n")
    assert render_report(report_of("trial_balance"), "csv") is not None
    assert render_report(models.Contact(), "table") is None
    assert render_report(report_of("trial_balance"), "jsonl") is None


def test_to_dataframe() -> None:
    pandas = pytest.importorskip("pandas")
    frame = report_of("profit_and_loss_periods").to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == [
        "section", "row_type", "label", "31 Mar 26", "28 Feb 26", "31 Jan 26", "account_id",
    ]  # fmt: skip
    net = frame[frame["label"] == "Net Profit"].iloc[0]
    assert net["31 Jan 26"] == Decimal("-12.50") and isinstance(net["31 Jan 26"], Decimal)
    assert frame.attrs["report_id"] == "ProfitAndLoss" and frame.attrs["skipped"] == []
    income = frame[frame["section"] == "Income"]
    assert list(income["label"]) == ["Sales", "Total Income"]
    skipped = report_of("malformed").to_dataframe().attrs["skipped"]
    assert len(skipped) == 8


def test_to_dataframe_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes every import of pandas fail, as when it is not installed.
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError):
        importlib.import_module("pandas")
    report = report_of("trial_balance")
    with pytest.raises(MissingExtraError) as caught:
        report.to_dataframe()
    error = caught.value
    assert isinstance(error, ImportError) and isinstance(error, XeroError)
    assert error.extra == "pandas"
    assert "xero-customer-api[pandas]" in str(error)
    assert isinstance(error.__cause__, ImportError)
    assert report.to_table().lines  # the table needs no pandas


def test_missing_extra_error_is_public_and_pickles() -> None:
    import pickle

    error = MissingExtraError("needs pandas", extra="pandas")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is MissingExtraError and again.extra == "pandas"
    assert MissingExtraError.__module__ == "xero_customer_api"
