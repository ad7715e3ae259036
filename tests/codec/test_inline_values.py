"""The generated decoders inline their value conversions; the helpers stay the definition.

The decoders read decimals, booleans, enums, dates and timestamps inline (a fast path) and
build the dataclasses with ``__new__`` plus one assignment per field. These tests hold both
shortcuts to the general path: every odd text gives what the helper in ``_runtime._codec``
gives (the same value, or XeroResponseError), and the models are plain slotted dataclasses
that ``__init__`` would build identically.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree
from xero_customer_api._runtime import _codec as helpers
from xero_customer_api._runtime._errors import XeroResponseError
from xero_customer_api.v1_0 import models
from xero_customer_api.v1_0._codec import DECODERS

ODD_TEXTS = [
    None,
    "",
    " ",
    "1",
    "0",
    " 12.50 ",
    "\t1.5\n",
    "\u00a012.5\u2003",
    "1_000.5",
    "+3",
    "-0.00",
    "1E+2",
    "1e-3",
    # the decimal fast path (at most 28 characters of ASCII digits, "." and "-") and its edges
    "1-2",
    "1.2.3",
    "--1",
    "-",
    ".",
    "-.",
    "1.",
    "-.5",
    "0.0000000000000000000000000001",
    "0.00000000000000000000000000001",
    "1234567890123456789012345678",
    "12345678901234567890123456789",
    "-123456789012345678901234567",
    "1234567890.123456789012345678",
    "00000000000000000000000000001",
    "NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "abc",
    "12,5",
    "\u0661\u0662",
    "true",
    "false",
    " true ",
    "True",
    "OUTPUT",
    " OUTPUT ",
    "output",
    "NEWTAXTYPE",
    "2024-02-01T00:00:00",
    "2024-02-01",
    " 2024-02-01T00:00:00 ",
    "2024-02-30T00:00:00",
    "2024-02-01T00:00:01",
    "2024-W05-4",
    "2024-03-01T09:30:00.123Z",
    "2024-03-01T09:30:00.1234567Z",
    "2024-03-01T09:30:00Z",
    "2024-03-01T09:30:00",
    "2024-03-01T09:30:00+13:00",
    "2024-03-01T24:00:00Z",
    "2024-03-01T09:30:00.Z",
    "2024-03-01T09:30:00.12a4Z",
    "2024-03-01 09:30:00Z",
]


def _outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", fn()
    except XeroResponseError as exc:
        return "error", str(exc)


def _line_item(tag: str, text: str | None) -> etree._Element:
    el = etree.Element("LineItem")
    values = {"Description": "d", "UnitAmount": "1", "LineAmount": "1"}
    values[tag] = text  # type: ignore[assignment]
    for name, value in values.items():
        etree.SubElement(el, name).text = value
    return el


def _invoice(tag: str, text: str | None) -> etree._Element:
    el = etree.Element("Invoice")
    values = {
        "InvoiceType": "ACCREC",
        "InvoiceDate": "2024-02-01T00:00:00",
        "InvoiceNumber": "INV-1",
    }
    values[tag] = text  # type: ignore[assignment]
    for name, value in values.items():
        if name == "InvoiceNumber":
            etree.SubElement(etree.SubElement(el, "Contact"), "Name").text = "c"
        etree.SubElement(el, name).text = value
    return el


CASES: list[tuple[str, Callable[[str | None], etree._Element], str, Callable[[str | None], Any]]] = [
    ("decimal", lambda t: _line_item("Quantity", t), "quantity",
     lambda t: helpers.read_decimal(t, "LineItem.Quantity")),
    ("enum", lambda t: _line_item("TaxType", t), "tax_type",
     lambda t: helpers.read_enum(helpers.enum_table(models.TaxType), t)),
    ("bool", lambda t: _invoice("TaxInclusive", t), "tax_inclusive",
     lambda t: helpers.read_bool(t, "Invoice.TaxInclusive")),
    ("date", lambda t: _invoice("DueDate", t), "due_date",
     lambda t: helpers.read_date(t, "Invoice.DueDate")),
    ("utc_datetime", lambda t: _invoice("UpdatedDateUTC", t), "updated_date_utc",
     lambda t: helpers.read_utc_datetime(t, "Invoice.UpdatedDateUTC")),
]  # fmt: skip


@pytest.mark.parametrize("text", ODD_TEXTS, ids=repr)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_inline_conversion_is_the_helper(case: Any, text: str | None) -> None:
    _, build, attr, helper = case
    el = build(text)
    cls = models.LineItem if el.tag == "LineItem" else models.Invoice
    ours = _outcome(lambda: getattr(DECODERS[cls](el, False), attr))
    reference = _outcome(lambda: helper(text))
    assert ours == reference
    if ours[0] == "ok":
        assert type(ours[1]) is type(reference[1])
        if hasattr(ours[1], "tzinfo"):
            assert ours[1].tzinfo is reference[1].tzinfo


@pytest.mark.parametrize(
    "cls", sorted(DECODERS, key=lambda c: c.__name__), ids=lambda c: c.__name__
)
def test_models_are_plain_slotted_dataclasses(cls: type[Any]) -> None:
    """What building with ``__new__`` and one assignment per field relies on."""
    params = cls.__dataclass_params__
    assert not params.frozen
    assert "__slots__" in vars(cls)
    assert not hasattr(cls, "__post_init__")
    assert all(f.init for f in dataclasses.fields(cls))
    slots = {name for klass in cls.__mro__ for name in vars(klass).get("__slots__", ())}
    assert {f.name for f in dataclasses.fields(cls)} == slots


def test_decoded_objects_are_what_init_builds() -> None:
    el = _invoice("DueDate", "2024-03-01T00:00:00")
    obj = DECODERS[models.Invoice](el, True)
    rebuilt = dataclasses.replace(obj)  # through __init__
    assert obj == rebuilt
    assert repr(obj) == repr(rebuilt)
    for f in dataclasses.fields(obj):
        assert getattr(obj, f.name) is getattr(rebuilt, f.name)
