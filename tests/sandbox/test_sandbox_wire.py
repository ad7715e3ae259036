"""Wire-level behaviour of the sandbox app, checked with raw httpx and the response XSDs."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from lxml import etree

Validate = Callable[[bytes, str], etree._Element]

INVOICE = b"""<Invoice><InvoiceType>ACCPAY</InvoiceType><Contact><Name>Paper Mill &amp; Co</Name></Contact>
<InvoiceDate>2024-06-30T00:00:00</InvoiceDate><InvoiceNumber>BILL-7</InvoiceNumber>
<SubTotal>46.00</SubTotal><TotalTax>5.75</TotalTax><Total>51.75</Total>
<LineItems><LineItem><Description>A4 reams</Description><Quantity>4</Quantity><UnitAmount>11.50</UnitAmount>
<TaxAmount>5.75</TaxAmount><LineAmount>46.00</LineAmount><AccountCode>453</AccountCode>
<Tracking><TrackingCategory><Name>Region</Name><Option>West</Option></TrackingCategory></Tracking></LineItem></LineItems></Invoice>"""
UTC7 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def errors(body: bytes) -> list[str]:
    root = etree.fromstring(body)
    return [t or "" for t in root.xpath("/Response/Errors/Error/Exception/ExceptionType/text()")]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("endpoint", "schema"),
    [
        ("accounts", "accounts"),
        ("tracking", "tracking"),
        ("contacts", "contacts"),
        ("invoices", "invoices"),
    ],
)
async def test_lists_are_valid_and_enveloped(
    http: httpx.AsyncClient,
    keys: dict[str, str],
    valid_against: Validate,
    endpoint: str,
    schema: str,
) -> None:
    response = await http.get(f"/api.xro/1.0/{endpoint}", params=keys)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    root = valid_against(response.content, schema)
    assert [child.tag for child in root][:4] == ["ID", "Status", "ProviderName", "DateTimeUTC"]
    assert root.findtext("Status") == "OK" and root.findtext("ProviderName") == "Demo Partner"
    assert UTC7.match(root.findtext("DateTimeUTC") or "")
    assert GUID.match(root.findtext("ID") or "")
    assert root.nsmap.get("i") == "http://www.w3.org/2001/XMLSchema-instance"


@pytest.mark.asyncio
async def test_invoice_round_trip_formats(
    http: httpx.AsyncClient, keys: dict[str, str], valid_against: Validate
) -> None:
    created = await http.put("/api.xro/1.0/invoice", params=keys, content=INVOICE)
    assert created.status_code == 200, created.text
    root = valid_against(created.content, "invoice")
    invoice = root.find("Invoice")
    assert invoice is not None
    assert invoice.findtext("Total") == "51.7500" and invoice.findtext("AmountDue") == "51.7500"
    assert (
        invoice.findtext("AmountPaid") == "0.0000" and invoice.findtext("InvoiceStatus") == "DRAFT"
    )
    assert invoice.findtext("InvoiceDate") == "2024-06-30T00:00:00"
    assert invoice.findtext("LineItems/LineItem/Quantity") == "4.0000"
    assert invoice.findtext("LineItems/LineItem/TaxType") == "INPUT", "account 453's default"
    assert GUID.match(invoice.findtext("InvoiceID") or "") and GUID.match(
        invoice.findtext("Contact/ContactID") or ""
    )
    assert UTC7.match(invoice.findtext("UpdatedDateUTC") or "")

    upper_id = (invoice.findtext("InvoiceID") or "").upper()
    fetched = await http.get("/api.xro/1.0/invoice", params={**keys, "invoiceID": upper_id})
    assert valid_against(fetched.content, "invoice").findtext("Invoice/InvoiceNumber") == "BILL-7"
    suppliers = await http.get("/api.xro/1.0/contacts", params={**keys, "type": "suppliers"})
    assert valid_against(suppliers.content, "contacts").xpath("//Contact/Name/text()") == [
        "Paper Mill & Co"
    ]
    listed = await http.get("/api.xro/1.0/invoices", params={**keys, "modifiedSince": "2000-01-01"})
    assert valid_against(listed.content, "invoices").xpath("count(//Invoice)") == 1
    later = await http.get(
        "/api.xro/1.0/invoices", params={**keys, "modifiedSince": "2999-01-01T00:00:00"}
    )
    assert etree.fromstring(later.content).xpath("count(//Invoice)") == 0


@pytest.mark.asyncio
async def test_errors_use_the_1_0_envelope(
    http: httpx.AsyncClient, keys: dict[str, str], valid_against: Validate
) -> None:
    response = await http.get("/api.xro/1.0/contact", params={**keys, "contactID": "not-a-guid"})
    assert response.status_code == 500
    root = valid_against(response.content, "contact")
    assert [child.tag for child in root] == [
        "Errors",
        "ID",
        "Status",
        "ProviderName",
        "DateTimeUTC",
    ]
    assert root.findtext("Status") == "InternalServerError"
    assert errors(response.content) == ["System.FormatException"]
    assert UTC7.match(root.findtext("Errors/Error/Exception/DateTime") or "")

    missing = await http.get("/api.xro/1.0/invoice", params={**keys, "invoiceNumber": "NOPE"})
    assert errors(missing.content) == ["Xero.API.Library.Exceptions.ObjectDoesNotExistException"]
    bad_date = await http.get(
        "/api.xro/1.0/invoices", params={**keys, "modifiedSince": "yesterday"}
    )
    assert errors(bad_date.content) == ["System.FormatException"]
    bad_enum = await http.get("/api.xro/1.0/contacts", params={**keys, "type": "friends"})
    assert errors(bad_enum.content) == ["Xero.API.Library.Exceptions.ValidationException"]
    wrong_method = await http.post("/api.xro/1.0/invoice", params=keys, content=INVOICE)
    assert wrong_method.status_code == 405


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<Contact><Name>unclosed</Contact>",
        b"<Contact><Nickname>x</Nickname></Contact>",
        b"<Invoice><InvoiceType>ACCREC</InvoiceType></Invoice>",
        b'<!DOCTYPE Contact [<!ENTITY x "boom">]><Contact><Name>&x;</Name></Contact>',
        b'<?xml version="1.0"?><!DOCTYPE Contact SYSTEM "http://127.0.0.1:1/evil.dtd"><Contact><Name>x</Name></Contact>',
    ],
)
async def test_bad_bodies_are_invalid_xml(
    http: httpx.AsyncClient, keys: dict[str, str], body: bytes
) -> None:
    response = await http.put("/api.xro/1.0/contact", params=keys, content=body)
    assert response.status_code == 500
    assert errors(response.content) == ["Xero.API.Library.Exceptions.InvalidXmlException"]
    listed = await http.get("/api.xro/1.0/contacts", params=keys)
    assert etree.fromstring(listed.content).xpath("count(//Contact)") == 0


@pytest.mark.asyncio
async def test_bad_partner_key_is_an_object_moved_redirect(
    http: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    response = await http.get(
        "/api.xro/1.0/contacts",
        params={**keys, "apiKey": "WRONGPARTNERKEY0000000000000000", "type": "all"},
    )
    assert response.status_code == 302
    assert response.headers["content-type"].startswith("text/html")
    assert "Object moved" in response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/Login.xro/Login"
    return_url = parse_qs(location.query)["ReturnUrl"][0]
    assert return_url.startswith("/api.xro/1.0/contacts?")
    assert parse_qs(urlsplit(return_url).query) == {
        "apiKey": ["REDACTED"],
        "xeroKey": ["REDACTED"],
        "type": ["all"],
    }
    assert keys["xeroKey"] not in response.text + response.headers["location"]


@pytest.mark.asyncio
async def test_sandbox_hooks_are_loopback_only(store: object, credentials: object) -> None:
    from xero_sandbox.app import SandboxApp
    from xero_sandbox.store import Store

    assert isinstance(store, Store)
    transport = httpx.ASGITransport(app=SandboxApp(store), client=("192.0.2.10", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="https://sandbox.test") as remote:
        assert (await remote.get("/_sandbox/stats")).status_code == 403
        refused = await remote.post("/_sandbox/faults", json={"path": "contacts", "kind": "503"})
        assert refused.status_code == 403
