"""The specialised decoder of report rows (``_runtime/_report_codec.py``) against the generated
``decode_report_row`` (the reference): on random rows, well formed or not, both return equal
rows, raise the same error and count the same schema drift, in the same order."""

from __future__ import annotations

import copy as copy_module
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api import XeroResponseError
from xero_customer_api._runtime import _drift
from xero_customer_api.v2_0 import _codec as codec2
from xero_customer_api.v2_0 import models as m
from xero_customer_api.v2_0._codecs.responses import reports_response as rr

REFERENCE = rr.decode_report_row
FAST = rr._fast_report_row

TEXTS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "1234.50", "-7.3%", "Sales (200)", "a & b", "account"]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8),
)
ROW_TYPES = st.one_of(st.sampled_from(["Header", "Section", "Row", "SummaryRow"]), TEXTS)
# What Xero sends, what it might send one day, and what only a broken answer holds.
ODD = st.sampled_from(
    ["Foo", "{urn:x}Value", "Cell", "Row", "Id", "Title", "comment", "pi", "entity"]
)


def _leaf(parent: etree._Element, tag: str, text: str | None) -> None:
    if tag == "comment":
        parent.append(etree.Comment("c"))
    elif tag == "pi":
        parent.append(etree.ProcessingInstruction("p", "q"))
    elif tag == "entity":  # only a tree built by hand (or parsed with a DOCTYPE) has one
        parent.append(etree.Entity("ent"))
    else:
        etree.SubElement(parent, tag).text = text


@st.composite
def attributes(draw: Any) -> etree._Element:
    el = etree.Element("Attributes")
    for _ in range(draw(st.integers(0, 3))):
        tag = draw(st.sampled_from(["Attribute"] * 4) | ODD)
        if tag != "Attribute":
            _leaf(el, tag, draw(TEXTS))
            continue
        attribute = etree.SubElement(el, "Attribute")
        leaves = st.sampled_from(["Value", "Id", "Value", "Id"]) | ODD
        for leaf in draw(st.lists(leaves, max_size=4)):
            _leaf(attribute, leaf, draw(TEXTS))
    return el


@st.composite
def cell(draw: Any) -> etree._Element:
    el = etree.Element("Cell")
    for part in draw(st.lists(st.sampled_from(["Value", "Attributes"]) | ODD, max_size=4)):
        if part == "Attributes":
            el.append(draw(attributes()))
        else:
            _leaf(el, part, draw(TEXTS))
    return el


@st.composite
def row(draw: Any, depth: int = 0) -> etree._Element:
    el = etree.Element("Row")
    kinds = st.sampled_from(["RowType", "Title", "Rows", "Cells"]) | ODD
    for part in draw(st.lists(kinds, max_size=5)):
        if part == "RowType":
            _leaf(el, "RowType", draw(ROW_TYPES))
        elif part == "Rows":
            rows = etree.SubElement(el, "Rows")
            for _ in range(draw(st.integers(0, 2 if depth < 2 else 0))):
                if draw(st.booleans()):
                    rows.append(draw(row(depth + 1)))
                else:
                    _leaf(rows, draw(ODD), draw(TEXTS))
        elif part == "Cells":
            cells = etree.SubElement(el, "Cells")
            for _ in range(draw(st.integers(0, 4))):
                if draw(st.integers(0, 5)):
                    cells.append(draw(cell()))
                else:
                    _leaf(cells, draw(ODD), draw(TEXTS))
        else:
            _leaf(el, part, draw(TEXTS))
    return el


class _Events(_drift.DriftCounter):
    """A drift counter that keeps the order of what it was told."""

    __slots__ = ("events",)

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []

    def record(self, kind: str, what: str) -> None:
        self.events.append((kind, what))


def _outcome(decode: Any, el: etree._Element, strict: bool) -> tuple[Any, list[tuple[str, str]]]:
    events = _Events()
    with _drift.watching(events):
        try:
            result: Any = decode(el, strict)
        except XeroResponseError as error:
            result = ("error", type(error), str(error))
    return result, events.events


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row(), st.booleans())
def test_fast_row_decoder_is_the_generated_one(el: etree._Element, strict: bool) -> None:
    assert _outcome(FAST, el, strict) == _outcome(REFERENCE, el, strict)


@settings(max_examples=400, deadline=None)
@given(st.lists(cell(), min_size=1, max_size=3), st.booleans())
def test_fast_cell_decoding_is_the_generated_one(cells: list[Any], strict: bool) -> None:
    el = etree.Element("Row")
    etree.SubElement(el, "Cells").extend(cells)
    assert _outcome(FAST, el, strict) == _outcome(REFERENCE, el, strict)


@st.composite
def uniform_cells(draw: Any) -> list[etree._Element]:
    """Cells of one shape (as in a row of Xero's), each with texts of its own, sometimes one
    cell shaped otherwise."""
    first = draw(cell())
    cells = [first]
    for _ in range(draw(st.integers(1, 4))):
        copy = copy_module.deepcopy(first)
        for element in copy.iter():
            if isinstance(element.tag, str) and not len(element):
                element.text = draw(TEXTS)
        cells.append(copy)
    if draw(st.integers(0, 4)) == 0:
        cells.insert(draw(st.integers(0, len(cells))), draw(cell()))
    return cells


@settings(max_examples=400, deadline=None)
@given(uniform_cells(), st.booleans())
def test_uniform_rows_decode_as_the_generated_ones(cells: list[Any], strict: bool) -> None:
    el = etree.Element("Row")
    etree.SubElement(el, "Cells").extend(cells)
    assert _outcome(FAST, el, strict) == _outcome(REFERENCE, el, strict)


@settings(max_examples=100, deadline=None)
@given(st.lists(row(), max_size=4))
def test_a_whole_report_decodes_as_through_the_generated_row_decoder(rows: list[Any]) -> None:
    report = etree.Element("Report")
    etree.SubElement(report, "ReportID").text = "ProfitAndLoss"
    wrapper = etree.SubElement(report, "Rows")
    wrapper.extend(rows)
    decoded, events = _outcome(rr.decode_report, report, False)
    expected_rows: list[Any] = []
    expected_events: list[tuple[str, str]] = []
    for r in rows:  # the reference, row by row, up to the first error
        result, row_events = _outcome(REFERENCE, r, False)
        expected_events += row_events
        if isinstance(result, tuple):
            assert decoded == result
            break
        expected_rows.append(result)
    else:
        assert decoded.rows == expected_rows
    assert events == expected_events


def test_the_decoders_of_whole_documents_use_the_fast_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one decode path of a report (client and ``DECODERS``) reads rows specialised."""
    calls: list[etree._Element] = []

    def counted(el: etree._Element, strict: bool = False) -> Any:
        calls.append(el)
        return FAST(el, strict)

    monkeypatch.setattr(rr, "_fast_report_row", counted)
    document = etree.fromstring(
        b"<Response><Reports><Report><Rows><Row><RowType>Section</RowType><Rows><Row>"
        b"<RowType>Row</RowType><Cells><Cell><Value>Sales</Value><Attributes><Attribute>"
        b"<Value>5040915e-8ce7-4177-8d08-fde416232f18</Value><Id>account</Id></Attribute>"
        b"</Attributes></Cell><Cell><Value/></Cell><Cell/></Cells></Row></Rows></Row>"
        b"</Rows></Report></Reports></Response>"
    )
    report = codec2.DECODERS[m.ReportsResponse](document, False).reports[0]
    (cells,) = [r.cells for r in report.rows[0].rows]
    assert [c.value for c in cells] == ["Sales", "", None]
    assert cells[0].attributes == [
        m.ReportAttribute(value="5040915e-8ce7-4177-8d08-fde416232f18", id="account")
    ]
    assert report.rows[0].row_type is m.RowType.SECTION
    assert len(calls) == 1  # the top-level row; the fast decoder reads the nested ones itself


@pytest.mark.parametrize("strict", [False, True])
def test_unknown_row_type_and_elements_are_drift_or_errors(strict: bool) -> None:
    el = etree.fromstring(
        b"<Row><RowType>Chart</RowType><Cells><Cell><Value>1</Value><Colour/></Cell></Cells></Row>"
    )
    fast, reference = _outcome(FAST, el, strict), _outcome(REFERENCE, el, strict)
    assert fast == reference
    if strict:
        assert fast[0][2].endswith("unknown element <Colour> in <ReportCell>")
    else:
        assert fast[0].row_type == "Chart"
        assert fast[1] == [
            ("unknown enum value", "RowType 'Chart' (kept as text)"),
            ("unknown element", "<Colour> in <ReportCell> (skipped)"),
        ]


ATTRIBUTE = "<Attribute><Value>g</Value><Id>account</Id></Attribute>"


@pytest.mark.parametrize(
    "cell_xml",
    [
        "<Cell><Value>1</Value><Value>2</Value></Cell>",
        "<Cell><Attributes/><Attributes/></Cell>",
        "<Cell><Value>1</Value><Attributes><Attribute><Id>a</Id><Id>b</Id></Attribute>"
        "</Attributes></Cell>",
        "<Cell><Value>1</Value><Attributes><Attribute><Value>a</Value><Value>b</Value>"
        "</Attribute></Attributes></Cell>",
        f"<Cell><Value>1<b>2</b></Value><Attributes>{ATTRIBUTE}</Attributes></Cell>",
        f"<Cell><Value>1</Value><Attributes>{ATTRIBUTE}<Note/></Attributes></Cell>",
        f"<Cell><Value>1</Value><Attributes>{ATTRIBUTE}<!-- c --></Attributes></Cell>",
        f"<Cell><Attributes>{ATTRIBUTE}{ATTRIBUTE}</Attributes><Value/></Cell>",
        "<Cell><Value>1</Value><Attributes><Attribute><Id>x<!-- c -->y</Id></Attribute>"
        "</Attributes></Cell>",
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_rows_of_odd_cells_all_alike(cell_xml: str, strict: bool) -> None:
    """Every cell of the row shaped alike (the specialised path's case), each shape odd."""
    el = etree.fromstring(f"<Row><Cells>{cell_xml * 3}</Cells></Row>")
    assert _outcome(FAST, el, strict) == _outcome(REFERENCE, el, strict)
