"""Client-side checks: every problem in one RequestValidationError, nothing sent."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xero_customer_api import RequestValidationError
from xero_customer_api._runtime import _checks
from xero_customer_api.v1_0 import _codec, models
from xero_customer_api.v1_0._checks import CHECKS
from xero_customer_api.v1_0._resources import contacts, invoices

from .helpers import (
    CONTACT_OK,
    INVOICE_OK,
    Recorder,
    async_client,
    ok,
    sync_client,
    valid_invoice,
)


def check_body(body: Any) -> list[str]:
    """The problems of a body, with the generated table of its class."""
    return _checks.check_body(body, CHECKS[type(body).__name__])


@pytest.fixture
def no_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a request body reaches the encoder."""

    def refuse(obj: object) -> bytes:
        raise AssertionError("the body reached the encoder")

    for name in ("encode_invoice", "encode_invoices", "encode_contact", "encode_contacts"):
        monkeypatch.setattr(_codec, name, refuse)
        # each resource's module calls the encoders it imported from its codec modules
        module = invoices if "invoice" in name else contacts
        monkeypatch.setattr(module, name, refuse)


def refused(call: Any, body: bytes = INVOICE_OK) -> tuple[str, ...]:
    """The problems of a call that must be refused before anything is sent."""
    rec = Recorder(ok(body))
    with sync_client(rec) as client, pytest.raises(RequestValidationError) as info:
        call(client)
    assert rec.count == 0
    return info.value.problems


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


def test_ints_are_exact_and_checked_too() -> None:
    line = models.LineItem(
        description="x",
        quantity=3,  # type: ignore[arg-type]
        unit_amount=Decimal("0.10"),
        line_amount=Decimal("0.30"),
    )
    assert check_body(line) == []
    line.line_amount = Decimal("0.31")
    assert check_body(line) == [
        "LineItem: LineAmount 0.31 does not equal Quantity x UnitAmount (0.30)"
    ]


# ------------------------------------------------------------- item 5: floats and strings


def test_floats_and_strings_for_money_are_refused_in_every_field(no_encoding: None) -> None:
    invoice = valid_invoice()
    invoice.sub_total = 0.1 + 0.2  # type: ignore[assignment]
    invoice.total = "28.69"  # type: ignore[assignment]
    invoice.line_items[0].unit_amount = 100.0  # type: ignore[assignment]
    invoice.line_items[0].quantity = 2.0  # type: ignore[assignment]
    invoice.line_items[1].line_amount = "5.50"  # type: ignore[assignment]
    invoice.line_items[1].tax_amount = True  # type: ignore[assignment]
    invoice.payments = [
        models.Payment(date=datetime.date(2024, 3, 1), amount=1.5)  # type: ignore[arg-type]
    ]
    assert refused(lambda c: c.invoices.create(invoice)) == (
        "Invoice/SubTotal: expected a Decimal, got float 0.30000000000000004 (use Decimal)",
        "Invoice/Total: expected a Decimal, got str '28.69' (use Decimal)",
        "Invoice/LineItems/LineItem[1]/Quantity: expected a Decimal, got float 2.0 (use Decimal)",
        "Invoice/LineItems/LineItem[1]/UnitAmount: expected a Decimal, got float 100.0 (use Decimal)",
        "Invoice/LineItems/LineItem[2]/TaxAmount: expected a Decimal, got bool True (use Decimal)",
        "Invoice/LineItems/LineItem[2]/LineAmount: expected a Decimal, got str '5.50' (use Decimal)",
        "Invoice/Payments/Payment[1]/Amount: expected a Decimal, got float 1.5 (use Decimal)",
    )


def test_a_float_in_a_batch_names_its_invoice_and_line(no_encoding: None) -> None:
    bad = valid_invoice("B")
    bad.line_items[1].unit_amount = 5.5  # type: ignore[assignment]
    assert refused(lambda c: c.invoices.create_many([valid_invoice("A"), bad])) == (
        "Invoices/Invoice[2]/LineItems/LineItem[2]/UnitAmount: expected a Decimal, got float 5.5"
        " (use Decimal)",
    )


# ------------------------------------------------------------- item 6: digits and exponents


def test_more_fraction_digits_than_the_schema_allows_are_refused(no_encoding: None) -> None:
    invoice = valid_invoice()
    invoice.line_items[0].unit_amount = Decimal("10.00001")
    invoice.line_items[0].line_amount = Decimal("20.00002")
    assert refused(lambda c: c.invoices.create(invoice)) == (
        "Invoice/LineItems/LineItem[1]/UnitAmount: 10.00001 has 5 decimal places; at most 4 are"
        " allowed (round it with Decimal.quantize)",
        "Invoice/LineItems/LineItem[1]/LineAmount: 20.00002 has 5 decimal places; at most 4 are"
        " allowed (round it with Decimal.quantize)",
    )
    invoice.line_items[0].unit_amount = Decimal("10.0000")  # 4 places, as Xero answers
    invoice.line_items[0].line_amount = Decimal("20.00")
    assert check_body(invoice) == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (
            Decimal("1E-999999999"),
            "1E-999999999 has 999999999 decimal places; at most 4 are allowed (round it with"
            " Decimal.quantize)",
        ),
        (
            Decimal("0E-999999999"),
            "0E-999999999 has 999999999 decimal places; at most 4 are allowed (round it with"
            " Decimal.quantize)",
        ),
        (Decimal("1E+999999999"), "1E+999999999 has 1000000000 digits; at most 28 are allowed"),
        (Decimal("9" * 29), "99999999999999999999999999999 has 29 digits; at most 28 are allowed"),
        (10**40, "has more than 28 digits, the most allowed"),
        (Decimal("NaN"), "NaN is not a finite number"),
        (Decimal("-sNaN"), "-sNaN is not a finite number"),
        (Decimal("Infinity"), "Infinity is not a finite number"),
        (float("nan"), "expected a Decimal, got float nan (use Decimal)"),
        (float("inf"), "expected a Decimal, got float inf (use Decimal)"),
    ],
)
def test_huge_exponents_and_non_finite_values_are_refused_before_encoding(
    no_encoding: None, value: Any, problem: str
) -> None:
    invoice = valid_invoice()
    invoice.total = value
    # Refused before the totals arithmetic (which raised decimal.Overflow) and before the
    # encoder (which wrote about 1 GB for 1E-999999999): the encoder is never reached.
    assert refused(lambda c: c.invoices.create(invoice)) == (f"Invoice/Total: {problem}",)


def test_the_written_form_is_what_counts() -> None:
    line = models.LineItem(description="x", unit_amount=Decimal("1E+2"), line_amount=Decimal("100"))
    assert check_body(line) == []  # written 100
    line.unit_amount = Decimal("100.00000")  # written with 5 decimal places
    line.line_amount = Decimal("1" * 28)
    line.quantity = Decimal("0.0001")
    assert check_body(line) == [
        "LineItem/UnitAmount: 100.00000 has 5 decimal places; at most 4 are allowed (round it"
        " with Decimal.quantize)"
    ]


def test_totals_are_computed_exactly_at_the_largest_allowed_values() -> None:
    big = Decimal("9" * 24 + ".9999")  # 28 digits
    line = models.LineItem(
        description="x", quantity=big, unit_amount=big, line_amount=Decimal("1.00")
    )
    exact = Decimal(10**48 - 2 * 10**20)  # (10**24 - 0.0001)**2 rounded to cents
    assert check_body(line) == [
        f"LineItem: LineAmount 1.00 does not equal Quantity x UnitAmount ({exact}.00)"
    ]


# ------------------------------------------------------------- item 7: types of other values


def test_a_string_for_a_date_is_refused_with_the_field_and_type(no_encoding: None) -> None:
    invoice = valid_invoice()
    invoice.invoice_date = "2026-01-05"  # type: ignore[assignment]
    invoice.due_date = datetime.datetime(2026, 2, 1, 12, 0, tzinfo=datetime.UTC)
    assert refused(lambda c: c.invoices.create(invoice)) == (
        "Invoice/InvoiceDate: expected a datetime.date, got str '2026-01-05'",
        "Invoice/DueDate: expected a datetime.date, got datetime 2026-02-01 12:00:00+00:00"
        " (use .date())",
    )


def test_an_int_for_a_name_is_refused(no_encoding: None) -> None:
    assert refused(lambda c: c.contacts.create(models.Contact(name=42)), CONTACT_OK) == (  # type: ignore[arg-type]
        "Contact/Name: expected a str, got int 42",
    )
    batch = [models.Contact(name="A"), models.Contact(name="B", email_address=b"b@example.com")]  # type: ignore[arg-type]
    assert refused(lambda c: c.contacts.save_many(batch), CONTACT_OK) == (
        "Contacts/Contact[2]/EmailAddress: expected a str, got bytes",
    )


def test_a_dict_for_a_contact_is_refused(no_encoding: None) -> None:
    invoice = valid_invoice()
    invoice.contact = {"name": "Red House Reads"}  # type: ignore[assignment]
    invoice.line_items.append({"description": "x"})  # type: ignore[arg-type]
    assert refused(lambda c: c.invoices.create(invoice)) == (
        "Invoice/Contact: expected a Contact, got dict",
        "Invoice/LineItems/LineItem[3]: expected a LineItem, got dict",
    )
    assert refused(lambda c: c.contacts.save({"name": "A"}), CONTACT_OK) == (  # type: ignore[arg-type]
        "Contact: expected a Contact, got dict",
    )
    assert refused(lambda c: c.contacts.save_many([{"name": "A"}]), CONTACT_OK) == (  # type: ignore[list-item]
        "Contacts/Contact[1]: expected a Contact, got dict",
    )


def test_other_values_of_the_wrong_type() -> None:
    contact = models.Contact(
        name="A\x0bB",
        contact_status="GONE",  # type: ignore[arg-type]
        addresses=models.Address(address_type=models.AddressType.STREET),  # type: ignore[arg-type]
        phones=None,  # type: ignore[arg-type]
        updated_date_utc=datetime.datetime(2024, 1, 1),
    )
    assert check_body(contact) == [
        "Contact/ContactStatus: 'GONE' is not one of ACTIVE, DELETED",
        "Contact/Name: contains '\\x0b' at position 1, a character XML cannot carry",
        "Contact/Addresses/Address: expected a list of Address, got Address",
        "Contact/Phones/Phone: expected a list, got None",
        "Contact/UpdatedDateUTC: 2024-01-01 00:00:00 is a naive datetime; a timezone-aware one is"
        " needed (Xero reads UTC)",
    ]
    invoice = valid_invoice()
    invoice.tax_inclusive = "false"  # type: ignore[assignment]
    invoice.includes_tax = 1  # type: ignore[assignment]
    assert check_body(invoice) == [
        "Invoice/TaxInclusive: expected a bool (True or False), got str 'false'",
        "Invoice/IncludesTax: expected a bool (True or False), got int 1",
    ]


def test_problems_are_capped_and_the_walk_stops() -> None:
    batch = models.Contacts(contact=[models.Contact(name=i) for i in range(10_000)])  # type: ignore[arg-type]
    problems = check_body(batch)
    assert len(problems) == _checks.MAX_PROBLEMS
    assert problems[0] == "Contacts/Contact[1]/Name: expected a str, got int 0"


@pytest.mark.asyncio
async def test_the_async_client_refuses_the_same_way(no_encoding: None) -> None:
    invoice = valid_invoice()
    invoice.line_items[0].unit_amount = 100.0  # type: ignore[assignment]
    rec = Recorder(ok(INVOICE_OK))
    async with async_client(rec) as client:
        with pytest.raises(RequestValidationError) as info:
            await client.invoices.create(invoice)
    assert rec.count == 0
    assert info.value.problems == (
        "Invoice/LineItems/LineItem[1]/UnitAmount: expected a Decimal, got float 100.0"
        " (use Decimal)",
    )


def test_facets_other_schemas_use_are_checked_by_the_same_walker() -> None:
    # What checks_ir renders for facets API 1.0 does not use (lengths, bounds, totalDigits,
    # unions of an enumeration and a pattern, attributes): see tests/test_codegen.py.
    @dataclasses.dataclass
    class Item:
        code: Any = None
        price: Any = None
        day: Any = None
        tax_type: Any = None
        status: Any = None

    spec = _checks.Model(Item, "Item")
    spec.fields = (
        _checks.Field("code", "Code", _checks.text(min_length=1, max_length=3)),
        _checks.Field(
            "price",
            "Price",
            _checks.decimal(fraction_digits=2, total_digits=5, min_inclusive="0"),
            required=True,
        ),
        _checks.Field("day", "Day", _checks.integer(min_inclusive=1, max_inclusive=31)),
        _checks.Field(
            "tax_type",
            "TaxType",
            _checks.union(_checks.enum(models.TaxType), _checks.text(pattern="TAX[0-9]{3}")),
        ),
        _checks.Field("status", "@status", _checks.enum(models.ContactStatus)),
    )
    good = Item(code="AB", price=Decimal("999.99"), day=31, tax_type="TAX001", status="ACTIVE")
    assert _checks.check_body(good, spec) == []
    good.tax_type = models.TaxType.OUTPUT
    assert _checks.check_body(good, spec) == []
    bad = Item(code="ABCD", price=Decimal("-1"), day=True, tax_type="TAX1", status="X")
    assert _checks.check_body(bad, spec) == [
        "Item/Code: is 4 characters long; at most 3 allowed",
        "Item/Price: -1 is less than 0, the smallest allowed",
        "Item/Day: expected an int, got bool True",
        "Item/TaxType: 'TAX1' is not one of NONE, EXEMPTINPUT, INPUT, SRINPUT, ZERORATEDINPUT,"
        " RRINPUT, EXEMPTOUTPUT, OUTPUT, SROUTPUT, ZERORATEDOUTPUT, RROUTPUT, ZERORATED; nor"
        " 'TAX1' does not have the expected form TAX[0-9]{3}",
        "Item/@status: 'X' is not one of ACTIVE, DELETED",
    ]
    bad = Item(code="", price=Decimal("1000.00"), day=32)
    assert _checks.check_body(bad, spec) == [
        "Item/Code: is 0 characters long; at least 1 needed",
        "Item/Price: 1000.00 has 6 digits; at most 5 are allowed",
        "Item/Day: 32 is more than 31, the largest allowed",
    ]
    bad = Item(code=10**5000, price=Decimal("0.5"), day=10**5000)
    assert _checks.check_body(bad, spec) == [
        "Item/Code: expected a str, got int <16610-bit number>",
        "Item/Day: <16610-bit number> is more than 31, the largest allowed",
    ]


def test_every_endpoint_with_a_body_checks_it(no_encoding: None) -> None:
    from xero_codegen.pipeline import build

    from ..conftest import ROOT

    (api,) = [a for a in build(ROOT).apis if a.version == "1.0"]  # the 1.0 client below
    writes = [e for e in api.endpoints if e.request is not None]
    assert len(writes) == 5
    for endpoint in writes:
        assert endpoint.request is not None
        root = endpoint.request.type
        body: Any = [{"name": "x"}] if endpoint.request.items else {"name": "x"}
        where = f"{root}/{endpoint.request.item_type}[1]" if endpoint.request.items else root
        expected = endpoint.request.item_type or root
        expected = ("an " if expected[0] in "AEIOU" else "a ") + expected

        def call(client: Any, endpoint: Any = endpoint, body: Any = body) -> Any:
            return getattr(getattr(client, endpoint.resource), endpoint.name)(body)

        assert refused(call) == (f"{where}: expected {expected}, got dict",), endpoint.id


@given(
    sign=st.sampled_from(["", "-"]),
    digits=st.text("0123456789", min_size=1, max_size=16),
    exponent=st.integers(-24, 24),
)
@settings(max_examples=300, deadline=None)
def test_digits_are_counted_on_the_written_form(sign: str, digits: str, exponent: int) -> None:
    value = Decimal(f"{sign}{digits}E{exponent}")
    written = format(value, "f")  # what the encoder writes
    whole, _, fraction = written.lstrip("-").partition(".")
    count = (0 if whole == "0" else len(whole)) + len(fraction)
    problem = _checks.decimal(fraction_digits=4, total_digits=12).check(value)
    if len(fraction) > 4:
        assert problem is not None and f" has {len(fraction)} decimal places;" in problem
    elif count > 12:
        assert problem is not None and f" has {count} digits;" in problem
    else:
        assert problem is None


@pytest.mark.parametrize(
    ("argument", "shown"),
    [
        (42, "int 42"),
        (None, "None"),
        ("Red House Reads", "str 'Red House Reads'"),
        ({"name": "A"}, "dict"),
        (models.Contact(name="A"), "Contact"),
    ],
)
def test_a_batch_argument_that_is_not_a_list_is_refused(argument: Any, shown: str) -> None:
    assert refused(lambda c: c.contacts.save_many(argument), CONTACT_OK) == (
        f"`contacts` must be a list of Contact, got {shown}",
    )


def test_a_batch_may_be_any_iterable_of_models() -> None:
    rec = Recorder(ok())
    with sync_client(rec) as client:
        for batch in ((models.Contact(name="A"),), (c for c in [models.Contact(name="A")])):
            assert [c.name for c in client.contacts.save_many(batch)] == ["Red House Reads"]
    assert [r.content for r in rec.requests] == [
        b"<Contacts><Contact><Name>A</Name><Addresses/><Phones/></Contact></Contacts>"
    ] * 2
