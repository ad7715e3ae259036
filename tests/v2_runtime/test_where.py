"""The where-expression helper: exact output, escaping, and hostile input."""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Any

import pytest
from xero_customer_api import RequestValidationError, Where, all_of, any_of, field

CONTACT_ID = uuid.UUID("5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8")


class Status(enum.Enum):
    AUTHORISED = "AUTHORISED"


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        (field("Type").eq("ACCREC"), 'Type=="ACCREC"'),
        (field("Status").ne(Status.AUTHORISED), 'Status!="AUTHORISED"'),
        (field("Contact.ContactID").eq(CONTACT_ID), f'Contact.ContactID==Guid("{CONTACT_ID}")'),
        # a GUID-shaped str compared with an ...ID element is a Guid too (Xero types it so)
        (
            field("ContactID").eq(str(CONTACT_ID).upper()),
            f'ContactID==Guid("{CONTACT_ID}")',
        ),
        (field("InvoiceID").ne(str(CONTACT_ID)), f'InvoiceID!=Guid("{CONTACT_ID}")'),
        # ...but not a str that is no GUID, nor a GUID compared with a text element
        (field("ContactID").eq("not-a-guid"), 'ContactID=="not-a-guid"'),
        (field("Reference").eq(str(CONTACT_ID)), f'Reference=="{CONTACT_ID}"'),
        (field("Date").ge(datetime.date(2026, 1, 31)), "Date>=DateTime(2026,01,31)"),
        (field("Date").lt(datetime.date(2026, 12, 1)), "Date<DateTime(2026,12,01)"),
        (
            field("UpdatedDateUTC").gt(
                datetime.datetime(
                    2026, 7, 1, 13, 5, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=12))
                )
            ),
            "UpdatedDateUTC>DateTime(2026,07,01,01,05,09)",
        ),
        (field("AmountDue").gt(Decimal("100.50")), "AmountDue>100.50"),
        (field("AmountDue").le(0), "AmountDue<=0"),
        (field("Total").gt(Decimal("1E+2")), "Total>100"),
        (field("IsSupplier").eq(True), "IsSupplier==true"),
        (field("IsCustomer").eq(False), "IsCustomer==false"),
        (field("EmailAddress").is_null(), "EmailAddress==null"),
        (field("EmailAddress").is_not_null(), "EmailAddress!=null"),
        (field("EmailAddress").ne(None), "EmailAddress!=null"),
        (
            field("EmailAddress").starts_with("a"),
            'EmailAddress!=null&&EmailAddress.StartsWith("a")',
        ),
        (field("Name").contains("Peter"), 'Name!=null&&Name.Contains("Peter")'),
        (field("Name").ends_with("Ltd"), 'Name!=null&&Name.EndsWith("Ltd")'),
    ],
)
def test_exact_output(expression: Where, text: str) -> None:
    assert expression == text
    assert isinstance(expression, str) and isinstance(expression, Where)


def test_composition_and_precedence() -> None:
    sales = field("Type").eq("ACCREC")
    authorised = field("Status").eq("AUTHORISED")
    paid = field("Status").eq("PAID")
    assert sales & authorised == 'Type=="ACCREC" AND Status=="AUTHORISED"'
    assert authorised | paid == 'Status=="AUTHORISED" OR Status=="PAID"'
    assert (
        sales & (authorised | paid) == 'Type=="ACCREC" AND (Status=="AUTHORISED" OR Status=="PAID")'
    )
    assert (
        sales & authorised
    ) | paid == '(Type=="ACCREC" AND Status=="AUTHORISED") OR Status=="PAID"'
    # the null-tested text test is an AND: grouped inside an OR, not inside an AND
    mail = field("EmailAddress").starts_with("a")
    assert mail | sales == '(EmailAddress!=null&&EmailAddress.StartsWith("a")) OR Type=="ACCREC"'
    assert mail & sales == 'EmailAddress!=null&&EmailAddress.StartsWith("a") AND Type=="ACCREC"'
    assert (
        all_of(sales, authorised, paid)
        == 'Type=="ACCREC" AND Status=="AUTHORISED" AND Status=="PAID"'
    )
    assert any_of(sales) is sales
    assert repr(sales) == "Where('Type==\"ACCREC\"')"


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ('O"Brien', '"O""Brien"'),  # the only escape of the filter language: a doubled quote
        ('" || Name!=null || Name=="', '""" || Name!=null || Name=="""'),
        ('") OR (1==1', '""") OR (1==1"'),
        ("back\\slash", '"back\\slash"'),  # backslashes are ordinary characters there
        ("ends with \\", '"ends with \\"'),
        ("it's", '"it\'s"'),
        ("Māori · 東京 · emoji 🙂", '"Māori · 東京 · emoji 🙂"'),
        ("", '""'),
    ],
)
def test_hostile_strings_stay_one_literal(value: str, literal: str) -> None:
    expression = field("Name").eq(value)
    assert expression == f"Name=={literal}"
    # whatever the input, the literal is one token: its inner quotes are all doubled
    inner = expression[len('Name=="') : -1]
    assert inner.replace('""', "").count('"') == 0


def test_hostile_text_tests_stay_one_literal() -> None:
    expression = field("Name").contains('x") || Name.Contains("')
    assert expression == 'Name!=null&&Name.Contains("x"") || Name.Contains(""")'


@pytest.mark.parametrize(
    "path",
    [
        "",
        'Name=="x" OR Name',
        "Name)",
        "Contact..ContactID",
        ".Name",
        "Name.",
        "1Name",
        "Name Space",
        "Na\nme",
        'Name.Contains("x")',
        "Name;Drop",
    ],
)
def test_hostile_field_names_are_refused(path: str) -> None:
    with pytest.raises(RequestValidationError, match="where field"):
        field(path)


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: field("Name").eq("line\nbreak"), "control characters"),
        (lambda: field("Name").eq("nul\x00"), "control characters"),
        (lambda: field("Name").eq("x" * 4001), "longer"),
        (lambda: field("Total").gt(1.5), "float"),
        (lambda: field("Total").gt(Decimal("NaN")), "finite"),
        (lambda: field("Date").gt(datetime.datetime(2026, 1, 1)), "timezone-aware"),
        (lambda: field("Date").gt(None), "None only works"),
        (lambda: field("Name").contains(3), "takes a string"),
        (lambda: field("Name").eq(object()), "cannot compare"),
        (lambda: all_of(), "at least one"),
        (lambda: field("A").eq(1) & 'B=="x"', "combine only"),
    ],
)
def test_refusals_name_the_problem(call: Any, needle: str) -> None:
    with pytest.raises(RequestValidationError, match=needle):
        call()


def test_refusal_is_a_value_error_naming_the_field() -> None:
    with pytest.raises(ValueError, match="'Name'"):
        field("Name").eq("a\rb")
