"""The sandbox refuses what Xero refuses and takes what Xero takes (issue 20 items 6, 7, 17;
issue 17 item 4): Dynamic LINQ filters, documented lengths, the organisation's currencies,
email addresses, hostile parameters answered 400 (never 500), elements in any order and
date-only dates. In process, over httpx's ASGI transport."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from lxml import etree
from xero_sandbox.app import SandboxApp
from xero_sandbox.store import Store

from tests.sandbox.conftest import ConnectV2

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def api(store: Store, connect_v2: ConnectV2) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with a client-credentials token and the Demo Company's tenant."""
    async with connect_v2(SandboxApp(store, time_scale=60)) as http:
        yield http


def _xml(answer: httpx.Response) -> etree._Element:
    return etree.fromstring(answer.content)


def _error(answer: httpx.Response) -> tuple[str, str, list[str]]:
    root = _xml(answer)
    return (
        root.findtext("Type") or "",
        root.findtext("Message") or "",
        [m.text or "" for m in root.iter("Message")][1:],
    )


async def _contact(api: httpx.AsyncClient, name: str) -> str:
    body = etree.Element("Contact")
    etree.SubElement(body, "Name").text = name
    made = await api.put("/api.xro/2.0/Contacts", content=etree.tostring(body))
    assert made.status_code == 200, made.text
    return _xml(made).findtext("Contacts/Contact/ContactID") or ""


async def _names(api: httpx.AsyncClient, where: str) -> list[str]:
    answer = await api.get("/api.xro/2.0/Contacts", params={"where": where})
    assert answer.status_code == 200, answer.text
    return [n.text or "" for n in _xml(answer).iterfind("Contacts/Contact/Name")]


# ----------------------------------------------------------------------------- item 6


async def test_where_strings_are_dynamic_linq(api: httpx.AsyncClient) -> None:
    await _contact(api, 'The "Best" Bikes')
    await _contact(api, "Back\\slash Co")
    await _contact(api, "Ends in \\")
    assert await _names(api, 'Name=="The ""Best"" Bikes"') == ['The "Best" Bikes']
    assert await _names(api, 'Name=="Back\\slash Co"') == ["Back\\slash Co"]
    assert await _names(api, 'Name!=null&&Name.EndsWith("\\")') == ["Ends in \\"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ('Nope=="x"', "No property or field 'Nope' exists in type 'Contact'"),
        ('Name=="open', "Unterminated string literal"),
        ('Name=="x" AND', "Syntax error"),
        ("Name > 1", "Operator '>' incompatible with operand types 'String' and 'Int32'"),
    ],
)
async def test_where_refusals_are_query_parse_exceptions(
    api: httpx.AsyncClient, where: str, message: str
) -> None:
    answer = await api.get("/api.xro/2.0/Contacts", params={"where": where})
    assert answer.status_code == 400
    assert _error(answer)[:2] == ("QueryParseException", message)


async def test_an_unknown_order_field_is_refused(api: httpx.AsyncClient) -> None:
    answer = await api.get("/api.xro/2.0/Invoices", params={"order": "Nope DESC"})
    assert answer.status_code == 400
    assert _error(answer)[:2] == (
        "QueryParseException",
        "No property or field 'Nope' exists in type 'Invoice'",
    )


async def test_a_contact_named_nan_never_makes_a_500(api: httpx.AsyncClient) -> None:
    await _contact(api, "NaN")
    for where in ("Name > 1", "Name < 1", "Name >= 1"):
        answer = await api.get("/api.xro/2.0/Contacts", params={"where": where})
        assert answer.status_code == 400, where
    assert await _names(api, 'Name=="nan"') == ["NaN"]


# ----------------------------------------------------------------------------- item 7


async def test_a_name_longer_than_255_is_a_validation_exception(api: httpx.AsyncClient) -> None:
    answer = await api.put(
        "/api.xro/2.0/Contacts", content=f"<Contact><Name>{'x' * 300}</Name></Contact>"
    )
    assert answer.status_code == 400
    kind, message, problems = _error(answer)
    assert (kind, message) == ("ValidationException", "A validation exception occurred")
    assert problems == ["Name must not be longer than 255 characters."]
    exactly = await api.put(
        "/api.xro/2.0/Contacts", content=f"<Contact><Name>{'y' * 255}</Name></Contact>"
    )
    assert exactly.status_code == 200


async def test_lengths_of_nested_elements_are_per_element(api: httpx.AsyncClient) -> None:
    body = (
        "<Contacts><Contact><Name>Short City</Name><Addresses><Address><City>"
        + "c" * 256
        + "</City></Address></Addresses></Contact><Contact><Name>Fine Ltd</Name></Contact>"
        "</Contacts>"
    )
    answer = await api.post(
        "/api.xro/2.0/Contacts", content=body, params={"summarizeErrors": "false"}
    )
    assert answer.status_code == 200
    statuses = [c.get("status") for c in _xml(answer).iterfind("Contacts/Contact")]
    assert statuses == ["ERROR", "OK"]
    assert "City must not be longer than 255 characters." in answer.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("Invoices", "<Invoice><Type>ACCREC</Type><InvoiceNumber>{long}</InvoiceNumber>"
         "<Contact><Name>Len Test</Name></Contact><LineItems><LineItem><Description>a"
         "</Description><Quantity>1</Quantity><UnitAmount>1</UnitAmount></LineItem>"
         "</LineItems></Invoice>"),
        ("Accounts", "<Account><Code>LEN1</Code><Name>{long}</Name><Type>EXPENSE</Type></Account>"),
        ("TrackingCategories", "<TrackingCategory><Name>{long}</Name></TrackingCategory>"),
    ],
)  # fmt: skip
async def test_other_documented_lengths(api: httpx.AsyncClient, path: str, body: str) -> None:
    answer = await api.put(f"/api.xro/2.0/{path}", content=body.format(long="L" * 256))
    assert answer.status_code == 400
    kind, _, problems = _error(answer)
    assert kind == "ValidationException"
    assert any("must not be longer than" in p for p in problems), problems


async def test_a_currency_the_organisation_lacks_is_refused(api: httpx.AsyncClient) -> None:
    contact = await api.put(
        "/api.xro/2.0/Contacts",
        content="<Contact><Name>Yankee Ltd</Name><DefaultCurrency>USD</DefaultCurrency></Contact>",
    )
    assert contact.status_code == 400
    assert _error(contact)[2] == ["Users Organisation is not subscribed to currency USD"]
    invoice = await api.put(
        "/api.xro/2.0/Invoices",
        content="<Invoice><Type>ACCREC</Type><Contact><Name>Cur Ltd</Name></Contact>"
        "<LineItems><LineItem><Description>a</Description><Quantity>1</Quantity>"
        "<UnitAmount>1</UnitAmount></LineItem></LineItems><CurrencyCode>EUR</CurrencyCode>"
        "</Invoice>",
    )
    assert invoice.status_code == 400
    assert _error(invoice)[2] == ["Users Organisation is not subscribed to currency EUR"]
    base = await api.put(
        "/api.xro/2.0/Contacts",
        content="<Contact><Name>Kiwi Ltd</Name><DefaultCurrency>NZD</DefaultCurrency></Contact>",
    )
    assert base.status_code == 200


@pytest.mark.parametrize("email", ["not an email", "a@b", "@example.com", "two@@example.com"])
async def test_an_email_address_that_is_not_one_is_refused(
    api: httpx.AsyncClient, email: str
) -> None:
    answer = await api.put(
        "/api.xro/2.0/Contacts",
        content=f"<Contact><Name>Mail {email}</Name><EmailAddress>{email}</EmailAddress></Contact>",
    )
    assert answer.status_code == 400
    assert _error(answer)[2] == ["Email address must be valid."]
    on_invoice = await api.put(
        "/api.xro/2.0/Invoices",
        content=f"<Invoice><Type>ACCREC</Type><Contact><Name>Inv {email}</Name><EmailAddress>"
        f"{email}</EmailAddress></Contact><LineItems><LineItem><Description>a</Description>"
        "<Quantity>1</Quantity><UnitAmount>1</UnitAmount></LineItem></LineItems></Invoice>",
    )
    assert on_invoice.status_code == 400
    assert _error(on_invoice)[2] == ["Email address must be valid."]


# ----------------------------------------------------------------------------- item 17


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("Contacts", "page"),
        ("Contacts", "pageSize"),
        ("Invoices", "page"),
        ("Invoices", "unitdp"),
    ],
)
@pytest.mark.parametrize("value", ["\u00b2", "1" * 4300, "9" * 5000])
async def test_hostile_numbers_in_the_query_are_400(
    api: httpx.AsyncClient, path: str, name: str, value: str
) -> None:
    answer = await api.get(f"/api.xro/2.0/{path}", params={name: value})
    assert answer.status_code == 400
    assert _error(answer)[0] == "PostDataInvalidException"


@pytest.mark.parametrize(
    "since",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "9999-12-31T23:59:59.9999999-23:59",
    ],
)
async def test_if_modified_since_at_the_ends_of_time_is_400(
    api: httpx.AsyncClient, since: str
) -> None:
    for path in ("Contacts", "Invoices", "Accounts", "Payments"):
        answer = await api.get(f"/api.xro/2.0/{path}", headers={"If-Modified-Since": since})
        assert answer.status_code == 400, (path, answer.text)
        assert _error(answer)[0] == "PostDataInvalidException"


@pytest.mark.parametrize("element", ["UnitAmount", "Quantity", "DiscountRate", "TaxAmount"])
async def test_a_90_digit_amount_is_400(api: httpx.AsyncClient, element: str) -> None:
    values = {"Quantity": "1", "UnitAmount": "1", "DiscountRate": "0", "TaxAmount": "0"}
    values[element] = "9" * 90
    line = "".join(f"<{k}>{v}</{k}>" for k, v in values.items() if k != "TaxAmount")
    line += f"<TaxAmount>{values['TaxAmount']}</TaxAmount>"
    body = (
        "<Invoice><Type>ACCREC</Type><Contact><Name>Big Ltd</Name></Contact><LineItems>"
        f"<LineItem><Description>a</Description>{line}</LineItem></LineItems></Invoice>"
    )
    answer = await api.put("/api.xro/2.0/Invoices", content=body)
    assert answer.status_code == 400, answer.text
    kind, message, _ = _error(answer)
    assert kind == "PostDataInvalidException" and element in message


# ----------------------------------------------------------------------------- issue 17 item 4


async def test_elements_in_any_order_and_date_only_dates(api: httpx.AsyncClient) -> None:
    body = (
        "<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>Order Ltd</Name></Contact>"
        "<Date>2026-07-01</Date><InvoiceNumber>ORD-1</InvoiceNumber><LineItems><LineItem>"
        "<UnitAmount>10</UnitAmount><Quantity>2</Quantity><Description>Two</Description>"
        "</LineItem></LineItems><DueDate>2026-07-31</DueDate></Invoice></Invoices>"
    )
    answer = await api.put("/api.xro/2.0/Invoices", content=body)
    assert answer.status_code == 200, answer.text
    made = _xml(answer).find("Invoices/Invoice")
    assert made is not None
    assert made.findtext("Date") == "2026-07-01T00:00:00"
    assert made.findtext("DueDate") == "2026-07-31T00:00:00"
    assert made.findtext("Total") == "20.00"
    # a repeated element is still refused (xs:all takes each once), and so is an unknown one
    for bad in (
        "<Contact><Name>A</Name><Name>B</Name></Contact>",
        "<Contact><HasAccount>true</HasAccount><Name>C</Name></Contact>",
        "<Invoice><Type>ACCREC</Type><Date>01/07/2026</Date></Invoice>",
    ):
        path = "Contacts" if bad.startswith("<Contact>") else "Invoices"
        refused = await api.put(f"/api.xro/2.0/{path}", content=bad)
        assert refused.status_code == 400 and _error(refused)[0] == "PostDataInvalidException"
