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
from xero_customer_api._runtime import _drift, _report_codec
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


# Rows as Xero writes them (the serialized-cells path of ``xero_cell_texts``): every cell a
# value and one account attribute, or every cell a value (``<Attributes/>`` or none); texts
# with what the serializer escapes, sometimes one change that takes the row off that path.
XERO_TEXTS = st.one_of(
    st.sampled_from(
        ["", " ", "\t\n ", "1234.50", "a & b", "<b>", "x > y", "\r", "a\r\nb", "]]>", "&amp;"]
    ),
    st.sampled_from(["é", "😀", "\u2028", "\x85", "&#13;", "'\""]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6).filter(
        lambda text: all(ord(c) >= 32 or c in "\t\n\r" for c in text)
    ),
)
CHANGES = st.sampled_from(
    [
        "none", "none", "none", "none", "none", "none", "value/", "no value", "no attribute id",
        "odd leaf", "comment", "pi", "entity in value", "entity in cell", "xml attribute",
        "two attributes", "swap", "tail", "cell text", "empty attributes", "drop cell",
    ]
)  # fmt: skip


@st.composite
def xero_row(draw: Any) -> etree._Element:
    el = etree.Element("Row")
    etree.SubElement(el, "RowType").text = draw(st.sampled_from(["Row", "SummaryRow"]))
    cells = etree.SubElement(el, "Cells")
    account = draw(st.booleans())
    for _ in range(draw(st.integers(1, 5))):
        cell_el = etree.SubElement(cells, "Cell")
        etree.SubElement(cell_el, "Value").text = draw(XERO_TEXTS)
        if account:
            attribute = etree.SubElement(etree.SubElement(cell_el, "Attributes"), "Attribute")
            etree.SubElement(attribute, "Value").text = draw(XERO_TEXTS)
            etree.SubElement(attribute, "Id").text = draw(XERO_TEXTS)
        elif draw(st.booleans()):
            etree.SubElement(cell_el, "Attributes")
    change = draw(CHANGES)
    target = draw(st.sampled_from(list(cells)))
    values = target.findall(".//Value")
    if change == "value/":
        draw(st.sampled_from(values)).text = None
    elif change == "no value":
        target.remove(target[0])
    elif change == "no attribute id" and account:
        target.find("Attributes/Attribute").remove(target.find("Attributes/Attribute/Id"))
    elif change == "odd leaf":
        _leaf(draw(st.sampled_from(list(target.iter()))), draw(ODD), draw(TEXTS))
    elif change in ("comment", "pi"):
        _leaf(draw(st.sampled_from(list(target.iter()))), change, None)
    elif change == "entity in value":
        draw(st.sampled_from(values)).append(etree.Entity("ent"))
    elif change == "entity in cell":
        target.insert(draw(st.integers(0, len(target))), etree.Entity("ent"))
    elif change == "xml attribute":
        draw(st.sampled_from([cells, *cells.iter()])).set("x", draw(XERO_TEXTS))
    elif change == "two attributes" and account:
        attributes_el = target.find("Attributes")
        attributes_el.append(copy_module.deepcopy(attributes_el[0]))
    elif change == "swap":
        parent = draw(st.sampled_from([e for e in target.iter() if len(e) > 1] or [target]))
        parent[:] = list(reversed(parent))
    elif change == "tail":
        draw(st.sampled_from(list(cells.iter()))).tail = draw(XERO_TEXTS)
    elif change == "cell text":
        draw(st.sampled_from([cells, *cells.iter()])).text = draw(XERO_TEXTS)
    elif change == "empty attributes" and account:
        target.find("Attributes").clear()
    elif change == "drop cell":
        cells.remove(target)
    return el


def _in_document(row_el: etree._Element, root: str) -> etree._Element:
    """``row_el`` as parsed from a document whose root element is ``root``."""
    text = etree.tostring(row_el, encoding=str)
    return etree.fromstring(f"{root}{text}</Response>".encode())[0]


ROOTS = st.sampled_from(
    [
        "<Response>",
        '<Response xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        '<Response xmlns="urn:x">',
        '<Response xmlns:a="urn:a"><a:Wrapper xmlns:b="urn:b">',
    ]
)


@settings(max_examples=500, deadline=None)
@given(xero_row(), ROOTS, st.booleans(), st.booleans())
def test_xero_shaped_rows_decode_as_the_generated_ones(
    el: etree._Element, root: str, parsed: bool, strict: bool
) -> None:
    """Built trees and parsed ones (in a namespace or not), on the serialized path or off it."""
    if parsed and "ent" not in etree.tostring(el, encoding=str):  # no DOCTYPE: no entity
        el = _in_document(el, root.replace('<a:Wrapper xmlns:b="urn:b">', ""))
        if "Wrapper" in root:  # a row two levels down, namespaces declared on both
            wrapped = etree.fromstring(
                f'<Response xmlns:a="urn:a"><a:W xmlns:b="urn:b">'
                f"{etree.tostring(el, encoding=str)}</a:W></Response>".encode()
            )
            el = wrapped[0][0]
    assert _outcome(FAST, el, strict) == _outcome(REFERENCE, el, strict)


ACCOUNT_CELL = (
    "<Cell><Value>{}</Value><Attributes><Attribute><Value>g</Value><Id>account</Id>"
    "</Attribute></Attributes></Cell>"
)


@pytest.mark.parametrize(
    ("root", "cells_xml", "texts"),
    [
        ("<Response>", ACCOUNT_CELL.format("1.5") * 2, [("1.5", "g", "account")] * 2),
        (
            '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
            ACCOUNT_CELL.format("a &amp; b &lt;&gt;&#13;") + ACCOUNT_CELL.format(""),
            [("a & b <>\r", "g", "account"), ("", "g", "account")],
        ),
        (
            "<Response>",
            "<Cell><Value>Sales</Value><Attributes/></Cell><Cell><Value/><Attributes/></Cell>",
            ["Sales", ""],
        ),
        ("<Response>", "<Cell><Value>é</Value></Cell><Cell><Value/></Cell>", ["é", ""]),
        (  # text between cells (indented documents): ignored on both paths
            "<Response>",
            "\n  <Cell><Value>1</Value><Attributes/></Cell>\n  <Cell><Value/><Attributes/></Cell>\n",
            ["1", ""],
        ),
        (
            "<Response>",
            ACCOUNT_CELL.format("") + ACCOUNT_CELL.replace("<Id>account</Id>", "<Id/>"),
            [("", "g", "account"), ("{}", "g", "")],
        ),
        (  # a mix of the value shapes: read from the tree
            "<Response>",
            "<Cell><Value>Sales</Value><Attributes/></Cell><Cell><Value>é</Value></Cell>",
            None,
        ),
    ],
)
def test_xero_rows_take_the_serialized_path(
    root: str, cells_xml: str, texts: list[Any] | None
) -> None:
    """What Xero writes is read without a proxy per element (and so decodes as above)."""
    document = etree.fromstring(f"{root}<Row><Cells>{cells_xml}</Cells></Row></Response>".encode())
    cells_el = document[0][0]
    expected = None if texts is None else (isinstance(texts[0], tuple), texts)
    assert _report_codec.xero_cell_texts(cells_el) == expected
    assert FAST(document[0], True) == REFERENCE(document[0], True)


@pytest.mark.parametrize(
    "cells_xml",
    [
        "<Cells/>",
        "<Cells><Cell><Value>1</Value></Cell><!-- c --></Cells>",
        '<Cells><Cell><Value a="1">1</Value></Cell></Cells>',
        "<Cells><Cell><Value>1</Value></Cell><Cell/></Cells>",
        '<Cells xmlns="urn:x"><Cell><Value>1</Value></Cell></Cells>',
        "<Cells><Cell><Value>1</Value><Value>2</Value></Cell></Cells>",
        f"<Cells>{ACCOUNT_CELL.format(1)}<Cell><Value>1</Value></Cell></Cells>",
        "<Cells><Cell><Value><![CDATA[1]]></Value></Cell></Cells>",
    ],
)
def test_other_cells_take_the_tree_path(cells_xml: str) -> None:
    parser = etree.XMLParser(strip_cdata=False)
    cells_el = etree.fromstring(cells_xml.encode(), parser)
    assert _report_codec.xero_cell_texts(cells_el) is None
    row_el = etree.Element("Row")
    row_el.append(cells_el)
    for strict in (False, True):
        assert _outcome(FAST, row_el, strict) == _outcome(REFERENCE, row_el, strict)


def test_an_entity_reference_in_a_value_takes_the_tree_path() -> None:
    row_el = etree.fromstring(f"<Row><Cells>{ACCOUNT_CELL.format('a')}</Cells></Row>".encode())
    row_el.find("Cells/Cell/Value").append(etree.Entity("ent"))
    assert _report_codec.xero_cell_texts(row_el[0]) is None
    assert _outcome(FAST, row_el, False) == _outcome(REFERENCE, row_el, False)
