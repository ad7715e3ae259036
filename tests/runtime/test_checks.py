"""Client-side checks: every problem in one RequestValidationError, nothing sent."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from xero_customer_api import RequestValidationError
from xero_customer_api._runtime._checks import check_body
from xero_customer_api.v1_0 import models

from .helpers import INVOICE_OK, Recorder, ok, sync_client, valid_invoice


def test_a_valid_invoice_has_no_problems() -> None:
    assert check_body(valid_invoice()) == []
    assert check_body(models.Invoices(invoice=[valid_invoice("A"), valid_invoice("B")])) == []
    assert check_body(models.Contact(name="A", contact_status=models.ContactStatus.ACTIVE)) == []


def test_quantity_defaults_to_one_and_amounts_round_to_cents() -> None:
    invoice = valid_invoice()
    invoice.line_items[0] = dataclasses.replace(
        invoice.line_items[0],
        quantity=Decimal("3"),
        unit_amount=Decimal("3.3333"),
        line_amount=Decimal("10.00"),
    )
    invoice.sub_total = Decimal("15.50")
    invoice.total = Decimal("18.69")
    assert check_body(invoice) == []  # 3 x 3.3333 = 9.9999 -> 10.00
    invoice.line_items[1].quantity = None  # 1 x 5.50
    assert check_body(invoice) == []


def test_only_totals_that_are_present_are_checked() -> None:
    invoice = valid_invoice()
    invoice.sub_total = invoice.total_tax = invoice.total = None
    assert check_body(invoice) == []
    invoice.line_items[0].tax_amount = None  # missing tax counts 0
    invoice.total_tax = Decimal("0.69")
    assert check_body(invoice) == []


def test_all_problems_are_reported_together_and_nothing_is_sent() -> None:
    invoice = valid_invoice()
    invoice.line_items[0].line_amount = Decimal("21.00")  # 2 x 10.00 = 20.00
    invoice.total_tax = Decimal("3.00")  # lines: 3.19
    invoice.total = Decimal("1.00")
    invoice.invoice_type = "ACCRUED"  # type: ignore[assignment]
    invoice.contact.name = None  # type: ignore[assignment]
    invoice.invoice_number = None  # type: ignore[assignment]
    invoice.invoice_id = "not-a-guid"
    rec = Recorder(ok(INVOICE_OK))
    with sync_client(rec) as client, pytest.raises(RequestValidationError) as info:
        client.invoices.create(invoice)
    assert rec.count == 0
    problems = info.value.problems
    joined = "\n".join(problems)
    assert "Invoice/InvoiceType: 'ACCRUED' is not one of ACCREC, ACCPAY" in joined
    assert "Invoice/Contact/Name is required" in joined
    assert "Invoice/InvoiceNumber is required" in joined
    assert "Invoice/InvoiceID: 'not-a-guid'" in joined
    assert (
        "Invoice/LineItems/LineItem[1]: LineAmount 21.00 does not equal Quantity x UnitAmount (20.00)"
        in joined
    )
    assert "Invoice/SubTotal: 25.50 does not equal the sum of the line amounts (26.50)" in joined
    assert "Invoice/TotalTax: 3.00 does not equal the sum of the tax amounts (3.19)" in joined
    assert "Invoice/Total: 1.00 does not equal SubTotal + TotalTax (29.69)" in joined
    assert len(problems) == 8
    assert str(info.value).startswith("8 problems: ")


def test_enum_given_as_its_text_is_accepted() -> None:
    invoice = valid_invoice()
    invoice.invoice_type = "ACCPAY"  # type: ignore[assignment]
    assert check_body(invoice) == []


def test_batch_paths_and_list_bounds() -> None:
    bad = valid_invoice("B")
    bad.line_items[1].tracking = [
        models.LineItemTracking(name="R", option=str(i)) for i in range(3)
    ]
    problems = check_body(models.Invoices(invoice=[valid_invoice("A"), bad]))
    assert problems == [
        "Invoices/Invoice[2]/LineItems/LineItem[2]/Tracking/TrackingCategory: at most 2 allowed, got 3"
    ]
    assert check_body(models.Invoices(invoice=[])) == [
        "Invoices/Invoice: at least 1 required, got 0"
    ]


def test_batch_write_refused_before_sending() -> None:
    rec = Recorder(ok())
    with sync_client(rec) as client, pytest.raises(RequestValidationError) as info:
        client.contacts.save_many([models.Contact(name="A"), models.Contact(name=None)])  # type: ignore[arg-type]
    assert rec.count == 0
    assert info.value.problems == ("Contacts/Contact[2]/Name is required",)


def test_floats_and_ints_are_checked_too() -> None:
    line = models.LineItem(
        description="x", quantity=3, unit_amount=0.1, line_amount=Decimal("0.30")
    )  # type: ignore[arg-type]
    assert check_body(line) == []
    line.line_amount = Decimal("0.31")
    assert check_body(line) == [
        "LineItem: LineAmount 0.31 does not equal Quantity x UnitAmount (0.30)"
    ]
