"""Report documents made by hypothesis, valid against our XSD (schemas/v2.0/responses/
reports_response.xsd): written by the generated codec, valid, read back the same (also with
each entity's children in another order, as Xero's order is its own), and to_table() reads
every one of them without raising, accounting for every Row and SummaryRow."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api.v2_0 import _codec, models

from tests.codec.strategies import TEXT, UTC_DATETIMES
from tests.resources.test_settings_roundtrip import _schema

VALUES = st.one_of(
    TEXT,
    st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2).map(str),
    st.decimals(min_value=Decimal("-999"), max_value=Decimal("999"), places=1).map(
        lambda d: f"{d}%"
    ),
    st.dates().map(lambda d: d.strftime("%Y-%m-%dT00:00:00")),
)
ATTRIBUTES = st.builds(
    models.ReportAttribute,
    value=st.none() | st.uuids().map(str) | TEXT,
    id=st.none() | st.sampled_from(["account", "accountID", "invoiceID", "statementID"]) | TEXT,
)
CELLS = st.builds(
    models.ReportCell,
    value=st.none() | VALUES,
    attributes=st.lists(ATTRIBUTES, max_size=2),
)


def rows(depth: int) -> st.SearchStrategy[models.ReportRow]:
    line = st.builds(
        models.ReportRow,
        row_type=st.sampled_from(
            [models.RowType.HEADER, models.RowType.ROW, models.RowType.SUMMARY_ROW]
        ),
        title=st.none(),
        rows=st.just([]),
        cells=st.lists(CELLS, max_size=4),
    )
    if depth == 0:
        return line
    section = st.builds(
        models.ReportRow,
        row_type=st.just(models.RowType.SECTION),
        title=st.none() | TEXT,
        rows=st.lists(rows(depth - 1), max_size=3),
        cells=st.just([]),
    )
    return line | section


CONTACTS = st.builds(
    models.TenNinetyNineContact,
    box1=st.none() | st.decimals(min_value=0, max_value=10**7, places=2),
    box7=st.none() | st.decimals(min_value=0, max_value=10**7, places=2),
    name=st.none() | TEXT,
    federal_tax_id_type=st.none() | st.sampled_from(["SSN", "EIN"]),
    contact_id=st.none() | st.uuids().map(str),
)
REPORTS = st.builds(
    models.Report,
    report_id=st.none() | st.sampled_from(["TrialBalance", "ProfitAndLoss"]) | st.uuids().map(str),
    report_name=st.none() | TEXT,
    report_type=st.none() | TEXT,
    report_titles=st.lists(TEXT, max_size=4),
    report_date=st.none() | TEXT,
    updated_date_utc=st.none() | UTC_DATETIMES,
    rows=st.lists(rows(2), max_size=5),
    fields=st.lists(
        st.builds(
            models.ReportField,
            field_id=st.none() | TEXT,
            description=st.none() | TEXT,
            value=st.none() | TEXT,
        ),
        max_size=2,
    ),
    contacts=st.lists(CONTACTS, max_size=2),
)
ANSWERS = st.builds(
    models.ReportsResponse,
    id=st.none() | st.uuids().map(str),
    status=st.none() | st.just("OK"),
    provider_name=st.none() | TEXT,
    date_time_utc=st.none() | UTC_DATETIMES,
    reports=st.lists(REPORTS, max_size=2),
)


def _count_lines(rows: list[models.ReportRow]) -> int:
    total = 0
    for row in rows:
        if row.row_type in (models.RowType.ROW, models.RowType.SUMMARY_ROW) and row.cells:
            total += 1
        elif row.row_type is models.RowType.SECTION:
            total += _count_lines(row.rows)
    return total


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=ANSWERS)
def test_reports_valid_against_the_xsd_read_back_the_same(answer: models.ReportsResponse) -> None:
    written = _codec.ENCODERS[models.ReportsResponse](answer)
    root = etree.fromstring(written)
    validator = _schema("responses", "reports_response")
    assert validator.validate(root), validator.error_log
    decode = _codec.DECODERS[models.ReportsResponse]
    assert decode(root, True) == answer
    for element in root.iter():  # Xero's order is its own: reading does not depend on it
        if len({child.tag for child in element}) == len(element):  # not a list
            element[:] = list(reversed(element))
    again = decode(root, True)
    assert again == answer
    for report in again.reports:
        table = report.to_table()
        assert len(table.lines) == _count_lines(report.rows)
        for line in table.lines:
            assert set(line.values) == set(table.columns)
