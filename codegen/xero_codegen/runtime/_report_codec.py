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

A row's ``<Cells>`` as Xero writes them (every cell a value, with one account attribute or
none) is read from its serialized form (:func:`xero_cell_texts`: libxml2 serializes, one
regular expression reads the texts, no lxml proxy per element); otherwise in one pass over
its elements when all cells are shaped alike, otherwise with the nested loops.

The generated ``decode_report_row`` stays the reference: ``tests/codec/test_report_codec.py``
checks on random rows (hypothesis) that both return equal rows, raise the same errors and
count the same drift. The generated codec builds this decoder with its own model classes
(:func:`report_row_decoder`), so this file depends on no version of the API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain
from operator import attrgetter
from typing import Any

from lxml import etree

from ._codec import read_enum, repeated, skipped, unknown

__all__ = ["report_row_decoder", "xero_cell_texts"]

RowDecoder = Callable[[etree._Element, bool], Any]
Recipe = tuple[int, int | None, tuple[tuple[int | None, int | None], ...]]
"""Where a cell's values are among its elements in document order: (the number of elements,
the index of ``<Value>``, and for each ``<Attribute>`` the indexes of its Value and Id)."""

_tostring = etree.tostring
_TAG = attrgetter("tag")
_TEXT = attrgetter("text")

# A ``<Cells>`` as Xero writes it, serialized (``etree.tostring(cells, encoding=str)``):
# every cell of one of three fixed shapes, a value and one account attribute, a value and
# ``<Attributes/>``, or a value alone. A leaf is ``<Value>text</Value>`` or, empty,
# ``<Value/>`` (the text ``""`` either way, as the generated decoder reads it), its text
# ``[^<]*`` (nothing but text: a comment, processing instruction, CDATA section or element
# would bring a ``<``); the references in it are unescaped by :func:`_unescaped`.
_TEXT_OF = "(?:>([^<]*)</{0}>|/>)"
_ACCOUNT_CELL = re.compile(
    "<Cell><Value{0}<Attributes><Attribute><Value{0}<Id{1}</Attribute></Attributes></Cell>".format(
        _TEXT_OF.format("Value"), _TEXT_OF.format("Id")
    )
).findall
_ATTRIBUTES_CELL = re.compile(
    "<Cell><Value" + _TEXT_OF.format("Value") + "<Attributes/></Cell>"
).findall
_VALUE_CELL = re.compile("<Cell><Value" + _TEXT_OF.format("Value") + "</Cell>").findall
_ACCOUNT_CELL_TAGS = 12
"""The ``<`` of an account cell whose leaves are all written ``<Leaf>text</Leaf>``."""
_ATTRIBUTES_CELL_TAGS = 5
_VALUE_CELL_TAGS = 4
_CELLS_START = re.compile('<Cells(?: xmlns:[A-Za-z_][-.\\w]*="[^"<]*")*>').fullmatch
"""The start tag of ``<Cells>``: prefixed namespace declarations (copied from its ancestors
by the serializer) name none of the unprefixed elements; a default ``xmlns`` would."""
_REFERENCE = re.compile("&(?:amp|lt|gt|#13);")
_CHARACTER = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&#13;": "\r"}


def _unescaped(text: str) -> str | None:
    """The text of a leaf from its serialized form, or None when it holds a reference other
    than the four libxml2 writes in text (an entity reference node, say)."""
    if text.count("&") != len(_REFERENCE.findall(text)):
        return None
    return _REFERENCE.sub(lambda found: _CHARACTER[found.group()], text)


def xero_cell_texts(cells_el: etree._Element) -> tuple[bool, list[Any]] | None:
    """The texts of the cells of ``<Cells>`` read from its serialized form, when every cell
    is of one of Xero's shapes: ``(True, [(value, attribute value, attribute id), ...])``
    for account cells (:data:`_ACCOUNT_CELL`), ``(False, [value, ...])`` for cells of a
    value and no attribute (:data:`_ATTRIBUTES_CELL`, :data:`_VALUE_CELL`); else None (any
    other element, order, repeat or node, an XML attribute, a default namespace, a
    reference other than libxml2's four: the callers then read the tree, as the generated
    decoder does). The nested loops read such cells without an error, a skip or a value
    ignored.

    No lxml proxy object is made for any element below ``<Cells>``: libxml2 serializes the
    subtree and one regular expression lists the cells' texts. Why the matches are all the
    markup there is: a match holds its shape's number of ``<`` less one for each of its
    leaves written empty (``<Value/>``, ``<Id/>``), its texts none. So the string holds
    ``2 + tags * matches - (empty leaves in the matches) + (<'s outside the matches)``
    ``<``; the empty leaves of the whole string are at least those in the matches, and the
    count of ``<`` equals ``2 + tags * matches - (empty leaves of the string)`` only when
    there is no ``<`` outside the matches (no markup but theirs: only text between cells,
    which the decoder ignores; as many matches as ``len()`` counts children, so no entity
    reference node either)."""
    xml = _tostring(cells_el, encoding=str, with_tail=False)
    start = xml.find(">") + 1
    end = len(xml) - 8
    if xml[start - 2] == "/" or xml[end:] != "</Cells>":
        return None
    if start != 7 and not _CELLS_START(xml[:start]):
        return None
    if "<Attribute>" in xml:
        account = True
        found: list[Any] = _ACCOUNT_CELL(xml, start, end)
        tags = _ACCOUNT_CELL_TAGS
    elif "<Attributes/>" in xml:
        account = False
        found = _ATTRIBUTES_CELL(xml, start, end)
        tags = _ATTRIBUTES_CELL_TAGS
    else:
        account = False
        found = _VALUE_CELL(xml, start, end)
        tags = _VALUE_CELL_TAGS
    count = len(found)
    if count != len(cells_el):
        return None
    empty = xml.count("<Value/>") + xml.count("<Id/>") if "/>" in xml else 0
    if xml.count("<") != 2 + tags * count - empty:
        return None
    if "&" in xml:
        texts = list(chain.from_iterable(found)) if account else found
        for i, text in enumerate(texts):
            if "&" in text:
                unescaped = _unescaped(text)
                if unescaped is None:
                    return None
                texts[i] = unescaped
        if account:
            found = list(zip(*[iter(texts)] * 3, strict=True))
    return account, found


def cell_recipe(tags: list[Any], lens: list[int], start: int) -> Recipe | None:
    """The recipe of the cell at ``start`` of a ``<Cells>``' elements in document order
    (``tags`` and child counts ``lens``), if it is a cell the nested loops would read without
    an error, a skip or a value ignored: ``<Cell>`` holding at most one ``<Value>`` and one
    ``<Attributes>``, this holding only ``<Attribute>`` elements, each at most one ``<Value>``
    and one ``<Id>``, and no leaf holding anything but text. Else None."""
    if tags[start] != "Cell":
        return None
    at = start + 1
    value: int | None = None
    attributes: list[tuple[int | None, int | None]] | None = None
    for _ in range(lens[start]):
        tag = tags[at]
        if tag == "Value" and value is None and not lens[at]:
            value = at - start
            at += 1
        elif tag == "Attributes" and attributes is None:
            attributes = []
            count = lens[at]
            at += 1
            for _ in range(count):
                if tags[at] != "Attribute":
                    return None
                a_value: int | None = None
                a_id: int | None = None
                leaves = lens[at]
                at += 1
                for _ in range(leaves):
                    leaf = tags[at]
                    if lens[at]:
                        return None
                    if leaf == "Value" and a_value is None:
                        a_value = at - start
                    elif leaf == "Id" and a_id is None:
                        a_id = at - start
                    else:
                        return None
                    at += 1
                attributes.append((a_value, a_id))
        else:
            return None
    return at - start, value, tuple(attributes or ())


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

    def read_serialized_cells(cells_el: etree._Element) -> list[Any] | None:
        """The cells of ``<Cells>`` from :func:`xero_cell_texts`, or None."""
        read = xero_cell_texts(cells_el)
        if read is None:
            return None
        account, found = read
        # Each cell in the place of its texts, in a copy of findall's list: a list of its
        # exact size, allocated once. Kept as findall grew it, the report's lists were the
        # last chunks at the top of the heap, and freeing the report let glibc give the
        # freed tree's memory back to the system, for the next parse to fault it in again
        # (bench/RESULTS.md: 1,453 brk calls in 60 decodes, 95 with the copy).
        cells = list(found)
        if account:
            for i, (value, a_value, a_id) in enumerate(cells):
                attribute = new_attribute(attribute_cls)
                attribute.value = a_value
                attribute.id = a_id
                cell = new_cell(cell_cls)
                cell.value = value
                cell.attributes = [attribute]
                cells[i] = cell
        else:
            for i, value in enumerate(cells):
                cell = new_cell(cell_cls)
                cell.value = value
                cell.attributes = []
                cells[i] = cell
        return cells

    def read_uniform_cells(cells_el: etree._Element) -> list[Any] | None:
        """The cells of ``<Cells>`` when every cell has the shape of the first one (a row of
        Xero's: each cell a Value, and on an account's row each the same one attribute), or
        None.

        The elements of the whole ``<Cells>`` are listed once in document order with their
        tags and child counts (``len()``, which counts comments and processing instructions
        as well); the two lists determine the tree. When they repeat the first cell's
        exactly, and :func:`cell_recipe` accepts that cell, every cell's values sit at the
        same offsets: the texts are read by slicing, and nothing about the cells is checked
        one by one in Python."""
        count = len(cells_el)
        elements = list(cells_el.iter())
        tags = list(map(_TAG, elements))
        lens = list(map(len, elements))
        if not count or tags[0] != "Cells":  # "Cells" is never first when iter() misbehaves
            return None
        recipe = cell_recipe(tags, lens, 1)
        if recipe is None:
            return None
        size, value_at, attribute_at = recipe
        if len(elements) != 1 + size * count:
            return None
        if tags[1:] != tags[1 : 1 + size] * count or lens[1:] != lens[1 : 1 + size] * count:
            return None
        none = [None] * count
        values: list[Any] = none
        if value_at is not None:
            values = list(map(_TEXT, elements[1 + value_at :: size]))
            if None in values:
                values = [text or "" for text in values]
        cells: list[Any] = []
        append_cell = cells.append
        if not attribute_at:
            for value in values:
                cell = new_cell(cell_cls)
                cell.value = value
                cell.attributes = []
                append_cell(cell)
            return cells
        columns: list[tuple[list[Any], list[Any]]] = []
        for a_value_at, a_id_at in attribute_at:
            pair: list[list[Any]] = []
            for at in (a_value_at, a_id_at):
                texts: list[Any] = none
                if at is not None:
                    texts = list(map(_TEXT, elements[1 + at :: size]))
                    if None in texts:
                        texts = [text or "" for text in texts]
                pair.append(texts)
            columns.append((pair[0], pair[1]))
        if len(columns) == 1:
            ((a_values, a_ids),) = columns
            for value, a_value, a_id in zip(values, a_values, a_ids, strict=True):
                attribute = new_attribute(attribute_cls)
                attribute.value = a_value
                attribute.id = a_id
                cell = new_cell(cell_cls)
                cell.value = value
                cell.attributes = [attribute]
                append_cell(cell)
            return cells
        for i, value in enumerate(values):
            attributes = []
            for a_values, a_ids in columns:
                attribute = new_attribute(attribute_cls)
                attribute.value = a_values[i]
                attribute.id = a_ids[i]
                attributes.append(attribute)
            cell = new_cell(cell_cls)
            cell.value = value
            cell.attributes = attributes
            append_cell(cell)
        return cells

    def read_cells(cells_el: etree._Element) -> list[Any] | None:
        """The cells of ``<Cells>`` as Xero writes them, or None for anything else.

        One pass over the elements in document order (``iter()``: no iterator object per
        element, which is what the nested loops cost most), knowing each element's place
        from its parent's ``len()``. It accepts only cells of the shape ``<Cell>``
        [``<Value>``] [``<Attributes>`` of ``<Attribute>`` with ``<Value>`` then ``<Id>``],
        in that order, whose leaves have no children (``len()`` also counts comments and
        processing instructions); on anything else (an unknown, repeated, missing or
        reordered element, a comment) it returns None before any side effect and the caller
        reads the cells with the nested loops, which handle every case."""
        walk = cells_el.iter()
        step = walk.__next__
        step()  # <Cells> itself
        cells: list[Any] = []
        append_cell = cells.append
        for _ in range(len(cells_el)):
            cell_el = step()
            if cell_el.tag != "Cell":
                return None
            parts = len(cell_el)
            value: str | None = None
            attributes: list[Any] = []
            if parts:
                part = step()
                part_tag = part.tag
                if part_tag == "Value":
                    if len(part):
                        return None
                    value = part.text or ""
                    if parts == 2:
                        part = step()
                        if part.tag != "Attributes":
                            return None
                    elif parts != 1:
                        return None
                elif part_tag != "Attributes" or parts != 1:
                    return None
                if part_tag == "Attributes" or parts == 2:
                    for _ in range(len(part)):
                        attribute_el = step()
                        if attribute_el.tag != "Attribute" or len(attribute_el) != 2:
                            return None
                        a_value = step()
                        a_id = step()
                        if a_value.tag != "Value" or a_id.tag != "Id" or len(a_value) or len(a_id):
                            return None
                        attribute = new_attribute(attribute_cls)
                        attribute.value = a_value.text or ""
                        attribute.id = a_id.text or ""
                        attributes.append(attribute)
            cell = new_cell(cell_cls)
            cell.value = value
            cell.attributes = attributes
            append_cell(cell)
        return cells

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
                fast = read_serialized_cells(child)
                if fast is None:
                    fast = read_uniform_cells(child)
                if fast is None:
                    fast = read_cells(child)
                if fast is not None:
                    cells = fast
                    continue
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
