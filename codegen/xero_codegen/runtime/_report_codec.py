"""The decoder of a report's rows (``<Row>``: RowType, Title, Rows, Cells), specialised.

A report is mostly cells: a 100-period Profit and Loss of 40 accounts holds 4,545
``<Cell>`` elements and 4,040 ``<Attribute>`` elements among its 26,000 elements, and the
generated decoders (one function per model, a dict lookup and a binary search per child)
spent most of their time in the per-cell and per-attribute calls and dispatch. This decoder
reads the same elements in one recursive function per row, with the cell and attribute
loops inlined and plain tag comparisons in schema order; everything else is what the
generated ``decode_report_row`` does, in the same order:

* an unknown element is skipped (counted as schema drift) or, when ``strict``, an error
  naming the element and its parent; comments and processing instructions are ignored;
* a second ``<RowType>``, ``<Title>``, ``<Rows>``, ``<Cells>``, ``<Value>``, ``<Attributes>``
  or ``<Id>`` where the schema allows one is an error (never a silent overwrite or join);
* text is kept as is (``<Value/>`` is ``""``, a missing ``<Value>`` ``None``); an unknown
  ``RowType`` stays text and is counted as drift.

The generated ``decode_report_row`` stays the reference: ``tests/codec/test_report_codec.py``
checks on random rows (hypothesis) that both return equal rows, raise the same errors and
count the same drift. The generated codec builds this decoder with its own model classes
(:func:`report_row_decoder`), so this file depends on no version of the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from ._codec import read_enum, repeated, skipped, unknown

__all__ = ["report_row_decoder"]

RowDecoder = Callable[[etree._Element, bool], Any]


def report_row_decoder(
    row_cls: type[Any],
    cell_cls: type[Any],
    attribute_cls: type[Any],
    row_types: dict[str | None, Any],
) -> RowDecoder:
    """``decode(row_element, strict) -> row_cls`` for the models ``row_cls`` (``row_type``,
    ``title``, ``rows``, ``cells``), ``cell_cls`` (``value``, ``attributes``) and
    ``attribute_cls`` (``value``, ``id``): plain slotted dataclasses, built with ``__new__``
    and every field assigned, as the generated decoders do; ``row_types`` is the generated
    value table of ``RowType`` (:func:`._codec.enum_table`)."""
    # the models define no __new__ of their own: Model.__new__ is object.__new__
    new_row = new_cell = new_attribute = object.__new__
    row_type_of = row_types.get

    def decode_row(el: etree._Element, strict: bool = False) -> Any:
        row_type: Any = None
        title: str | None = None
        rows: list[Any] = []
        cells: list[Any] = []
        w_rows = False
        w_cells = False
        for child in el:
            tag = child.tag
            if tag == "Cells":
                if w_cells:
                    raise repeated("ReportRow", "Cells")
                w_cells = True
                append_cell = cells.append
                for cell_el in child:
                    cell_tag = cell_el.tag
                    if cell_tag != "Cell":
                        if isinstance(cell_tag, str):
                            if strict:
                                raise unknown("Cells", cell_tag)
                            skipped("Cells", cell_tag)
                        continue
                    value: str | None = None
                    attributes: list[Any] = []
                    w_attributes = False
                    for part in cell_el:
                        part_tag = part.tag
                        if part_tag == "Value":
                            if value is not None:
                                raise repeated("ReportCell", "Value")
                            value = part.text or ""
                        elif part_tag == "Attributes":
                            if w_attributes:
                                raise repeated("ReportCell", "Attributes")
                            w_attributes = True
                            # an empty list: len() costs a tenth of an empty loop in lxml
                            if len(part):
                                for attribute_el in part:
                                    attribute_tag = attribute_el.tag
                                    if attribute_tag != "Attribute":
                                        if isinstance(attribute_tag, str):
                                            if strict:
                                                raise unknown("Attributes", attribute_tag)
                                            skipped("Attributes", attribute_tag)
                                        continue
                                    a_value: str | None = None
                                    a_id: str | None = None
                                    for leaf in attribute_el:
                                        leaf_tag = leaf.tag
                                        if leaf_tag == "Value":
                                            if a_value is not None:
                                                raise repeated("ReportAttribute", "Value")
                                            a_value = leaf.text or ""
                                        elif leaf_tag == "Id":
                                            if a_id is not None:
                                                raise repeated("ReportAttribute", "Id")
                                            a_id = leaf.text or ""
                                        elif isinstance(leaf_tag, str):
                                            if strict:
                                                raise unknown("ReportAttribute", leaf_tag)
                                            skipped("ReportAttribute", leaf_tag)
                                    attribute = new_attribute(attribute_cls)
                                    attribute.value = a_value
                                    attribute.id = a_id
                                    attributes.append(attribute)
                        elif isinstance(part_tag, str):
                            if strict:
                                raise unknown("ReportCell", part_tag)
                            skipped("ReportCell", part_tag)
                    cell = new_cell(cell_cls)
                    cell.value = value
                    cell.attributes = attributes
                    append_cell(cell)
            elif tag == "RowType":
                if row_type is not None:
                    raise repeated("ReportRow", "RowType")
                text = child.text
                row_type = row_type_of(text)
                if row_type is None:
                    row_type = read_enum(row_types, text)
            elif tag == "Title":
                if title is not None:
                    raise repeated("ReportRow", "Title")
                title = child.text or ""
            elif tag == "Rows":
                if w_rows:
                    raise repeated("ReportRow", "Rows")
                w_rows = True
                for item in child:
                    item_tag = item.tag
                    if item_tag == "Row":
                        rows.append(decode_row(item, strict))
                    elif isinstance(item_tag, str):
                        if strict:
                            raise unknown("Rows", item_tag)
                        skipped("Rows", item_tag)
            elif isinstance(tag, str):
                if strict:
                    raise unknown("ReportRow", tag)
                skipped("ReportRow", tag)
        row = new_row(row_cls)
        row.row_type = row_type
        row.title = title
        row.rows = rows
        row.cells = cells
        return row

    return decode_row
