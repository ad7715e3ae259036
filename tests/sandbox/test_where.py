"""2.0's where/order language: the Lark grammar, evaluation over entity elements, hostile input."""

from __future__ import annotations

import time

import pytest
from lxml import etree
from xero_sandbox.v2_0.where import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_LITERAL,
    QueryError,
    compile_order,
    compile_where,
)

INVOICES = [
    "<Invoice><Type>ACCREC</Type><Status>AUTHORISED</Status><Total>100.00</Total>"
    "<Date>2026-01-15T00:00:00</Date><Reference>PO 1</Reference>"
    "<Contact><ContactID>5B1E2C3D-4F50-4A61-8B72-93A4B5C6D7E8</ContactID><Name>Harbour Lights</Name></Contact></Invoice>",
    "<Invoice><Type>ACCPAY</Type><Status>DRAFT</Status><Total>20.5</Total>"
    "<Date>2026-02-01T00:00:00</Date>"
    "<Contact><ContactID>00000000-0000-0000-0000-000000000001</ContactID><Name>Paper Mill</Name></Contact></Invoice>",
    '<Invoice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Type>ACCREC</Type><Status>PAID</Status>'
    '<Total>3000</Total><Date>2025-12-31T00:00:00</Date><Reference xsi:nil="true"/>'
    "<Contact><ContactID>00000000-0000-0000-0000-000000000002</ContactID><Name>Kowhai Cycles</Name></Contact></Invoice>",
]
ELEMENTS = [etree.fromstring(x) for x in INVOICES]


def matching(where: str) -> list[int]:
    predicate = compile_where(where)
    return [n for n, element in enumerate(ELEMENTS) if predicate(element)]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('Type=="ACCREC" AND Status=="AUTHORISED"', [0]),
        ('Type == "accrec" && Status != "PAID"', [0]),
        ('Status=="DRAFT" OR Status=="PAID"', [1, 2]),
        ('Status=="DRAFT" || Total > 1000', [1, 2]),
        ("Total >= 100", [0, 2]),
        ("Total < 100.00", [1]),
        ("100 <= Total", [0, 2]),
        ('Contact.ContactID==Guid("5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8")', [0]),
        ('Contact.Name.StartsWith("pa")', [1]),
        ('Contact.Name.EndsWith("Cycles")', [2]),
        ('Contact.Name.Contains("LIGHT")', [0]),
        ("Date >= DateTime(2026,01,01)", [0, 1]),
        ("Date < DateTime(2026,1,15,0,0,1)", [0, 2]),
        ("Reference == null", [1, 2]),
        ('Reference != null && Reference.StartsWith("PO")', [0]),
        ('(Type=="ACCPAY" OR Total>1000) AND Status!="PAID"', [1]),
        ('Missing == "x"', []),
        ('Missing != "x"', [0, 1, 2]),
        ('Type == "ACCREC" and (Total > 50 or Total < 1)', [0, 2]),
        ('Reference == "say ""hi"""', []),
        ('Type = "ACCREC" AND Status <> "PAID"', [0]),
        ("Type == Type", [0, 1, 2]),
    ],
)
def test_where_filters(where: str, expected: list[int]) -> None:
    assert matching(where) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "Type=",
        "Type == ACCREC",
        "Type",
        'Type == "x" AND',
        "Total > > 1",
        "Name.Contains(1)",
        'Name.Lower("x")',
        "DateTime(2026,13,1) < Date",
        'Type=="ACCREC"; DROP TABLE invoices',
        "__import__('os').system('id')",
        'Type == "a" ) OR (',
        "Date > DateTime(2026,1)",
    ],
)
def test_unparseable_where_is_a_query_error(bad: str) -> None:
    with pytest.raises(QueryError):
        compile_where(bad, "Invoice")


def test_hostile_where_strings_are_refused_fast() -> None:
    started = time.perf_counter()
    deep = "(" * (MAX_DEPTH + 1) + 'Type=="A"' + ")" * (MAX_DEPTH + 1)
    for hostile in (
        deep,
        "(" * 100_000,
        'Name=="' + "x" * (MAX_LITERAL + 1) + '"',
        "Total > 1" + "0" * (MAX_LITERAL + 1),
        'Type=="A" OR ' * (MAX_LENGTH // 10),
        "x" * (MAX_LENGTH + 1),
    ):
        with pytest.raises(QueryError):
            compile_where(hostile)
    # within the limits: a long chain and the deepest nesting still work
    chain = " OR ".join(f'Status=="S{n}"' for n in range(150)) + ' OR Status=="PAID"'
    assert matching(chain) == [2]
    nested = "(" * MAX_DEPTH + 'Status=="PAID"' + ")" * MAX_DEPTH
    assert matching(nested) == [2]
    assert time.perf_counter() - started >= 0  # (no timing asserted; see the length bounds)


def test_order_by_one_or_more_fields() -> None:
    def numbers(order: str) -> list[str]:
        return [e.findtext("Total") or "" for e in compile_order(order)(ELEMENTS)]

    assert numbers("Total") == ["20.5", "100.00", "3000"]  # numeric, not text order
    assert numbers("Total DESC") == ["3000", "100.00", "20.5"]
    assert numbers("Date ASC") == ["3000", "100.00", "20.5"]
    assert numbers("Type ASC, Total desc") == ["20.5", "3000", "100.00"]
    assert numbers("Contact.Name") == ["100.00", "3000", "20.5"]
    assert numbers("Reference") == ["20.5", "3000", "100.00"]  # absent and nil first
    for bad in ("", "Total UP", "Total,", "1"):
        with pytest.raises(QueryError):
            compile_order(bad)


@pytest.mark.parametrize("bad", ['Type OR Status=="PAID"', 'Name.Contains("a") == true', "Type"])
def test_a_filter_is_made_of_comparisons(bad: str) -> None:
    with pytest.raises(QueryError):
        compile_where(bad)


# ----------------------------------------------------------------------------- Dynamic LINQ


CONTACTS = [
    etree.fromstring(
        "<Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
        '<Name>The "Best" Bikes</Name><IsCustomer>true</IsCustomer>'
        "<Balances><AccountsReceivable><Outstanding>12.50</Outstanding></AccountsReceivable>"
        "</Balances></Contact>"
    ),
    etree.fromstring(
        "<Contact><Name>Back\\slash Co</Name><IsCustomer>false</IsCustomer></Contact>"
    ),
    etree.fromstring("<Contact><Name>NaN</Name></Contact>"),
    etree.fromstring("<Contact><Name>Ends in \\</Name></Contact>"),
]


def contacts(where: str) -> list[int]:
    predicate = compile_where(where, "Contact")
    return [n for n, element in enumerate(CONTACTS) if predicate(element)]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('Name=="The ""Best"" Bikes"', [0]),
        ('Name=="Back\\slash Co"', [1]),
        ('Name!=null&&Name.EndsWith("\\")', [3]),
        ('Name.Contains("""")', [0]),
        ('name == "nan"', [2]),  # names bind without regard to case, as .NET's binder
        ('ContactID==Guid("5B1E2C3D-4F50-4A61-8B72-93A4B5C6D7E8")', [0]),
        ("IsCustomer == true", [0]),
        ("Balances.AccountsReceivable.Outstanding > 10", [0]),
        ("ContactID == null", [1, 2, 3]),
    ],
)
def test_dynamic_linq_strings_and_typed_fields(where: str, expected: list[int]) -> None:
    assert contacts(where) == expected


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ('Name=="open', "Unterminated string literal"),
        ('Name=="a" AND Name=="b', "Unterminated string literal"),
        ('Nope=="x"', "No property or field 'Nope' exists in type 'Contact'"),
        ("Balances.Nope > 1", "No property or field 'Nope' exists in type 'Balances'"),
        ("Name > 1", "Operator '>' incompatible with operand types 'String' and 'Int32'"),
        (
            'ContactID=="5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8"',
            "Operator '==' incompatible with operand types 'Guid' and 'String'",
        ),
        (
            "IsCustomer < true",
            "Operator '<' incompatible with operand types 'Boolean' and 'Boolean'",
        ),
        ('ContactID.Contains("5b")', "No applicable method 'Contains' exists in type 'Guid'"),
        ('Name=="x" AND', "Syntax error"),
        ('Name=="x\\"" ', "Unterminated string literal"),
    ],
)
def test_dynamic_linq_refusals_in_its_words(where: str, message: str) -> None:
    with pytest.raises(QueryError) as refused:
        compile_where(where, "Contact")
    assert str(refused.value) == message


def test_an_unknown_order_field_is_refused() -> None:
    with pytest.raises(QueryError, match="No property or field 'Nope' exists in type 'Contact'"):
        compile_order("Nope DESC", "Contact")
    assert [e.findtext("Name") for e in compile_order("name desc", "Contact")(CONTACTS[:2])] == [
        'The "Best" Bikes',
        "Back\\slash Co",
    ]


def test_a_number_field_reading_nan_never_raises() -> None:
    nan = [etree.fromstring("<Invoice><Total>NaN</Total></Invoice>")]
    for where in ("Total > 1", "Total < 1", "Total == 1", "Total != 1", "Total >= 1"):
        assert [compile_where(where, "Invoice")(e) for e in nan] == [where == "Total != 1"]
    assert compile_order("Total", "Invoice")(nan) == nan
