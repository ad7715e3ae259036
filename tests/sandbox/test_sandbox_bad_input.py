"""Bad input gets Xero's answer (a FormatException or ValidationException envelope, or a 4xx
from the test hooks), never the sandbox's "unexpected error" 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from lxml import etree
from xero_sandbox.app import SandboxApp
from xero_sandbox.faults import FaultBoard
from xero_sandbox.store import Store
from xero_sandbox.v1_0 import wire
from xero_sandbox.v1_0.errors import FORMAT_EXCEPTION, ApiError

FORMAT = "System.FormatException"
VALIDATION = "Xero.API.Library.Exceptions.ValidationException"
FORTY = "1" * 40


def envelope(body: bytes) -> list[tuple[str, str]]:
    root = etree.fromstring(body)
    return [
        (e.findtext("Exception/ExceptionType") or "", e.findtext("Description") or "")
        for e in root.findall("Errors/Error")
    ]


def invoice(number: str, *lines: tuple[str, str], totals: str | None = None) -> bytes:
    items = "".join(
        f"<LineItem><Description>x</Description><Quantity>{q}</Quantity>"
        f"<UnitAmount>{u}</UnitAmount><TaxAmount>0</TaxAmount><LineAmount>{u}</LineAmount>"
        "</LineItem>"
        for q, u in lines
    )
    sub = f"<SubTotal>{totals}</SubTotal>" if totals else ""
    return (
        "<Invoice><InvoiceType>ACCREC</InvoiceType><Contact><Name>Big Co</Name></Contact>"
        f"<InvoiceDate>2024-06-30T00:00:00</InvoiceDate><InvoiceNumber>{number}</InvoiceNumber>"
        f"{sub}<LineItems>{items}</LineItems></Invoice>"
    ).encode()


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:59:59-01:00",  # past year 9999 in UTC
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
        "2024-01-01T00:00:00+15:00",  # no such offset
        "2024-01-01T00:00:00+05:99",
        "0000-01-01",
    ],
)
def test_parse_utc_out_of_range_is_a_format_exception(text: str) -> None:
    with pytest.raises(ApiError) as caught:
        wire.parse_utc(text)
    assert caught.value.exception_type == FORMAT_EXCEPTION


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("endpoint", "name"), [("contacts", "updatedAfter"), ("invoices", "modifiedSince")]
)
@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
async def test_timestamps_out_of_range(
    http: httpx.AsyncClient, keys: dict[str, str], endpoint: str, name: str, value: str
) -> None:
    response = await http.get(f"/api.xro/1.0/{endpoint}", params={**keys, name: value})
    assert envelope(response.content) == [
        (FORMAT, "String was not recognized as a valid DateTime.")
    ]
    assert response.status_code == 500  # the 1.0 envelope's InternalServerError, not a crash


@pytest.mark.asyncio
async def test_amount_beyond_a_decimal_is_a_validation_exception(
    http: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    response = await http.put(
        "/api.xro/1.0/invoice", params=keys, content=invoice("BIG-1", ("1", FORTY))
    )
    errors = envelope(response.content)
    assert [t for t, _ in errors] == [VALIDATION, VALIDATION]
    assert errors[0][1].startswith(
        "Invoice/LineItems/LineItem[1]/UnitAmount: the value is out of range for a decimal"
    )
    assert errors[1][1].startswith("Invoice/LineItems/LineItem[1]/LineAmount:")
    batch = await http.put(
        "/api.xro/1.0/invoices",
        params=keys,
        content=b"<Invoices>" + invoice("BIG-2", ("1", "1"), ("2", FORTY)) + b"</Invoices>",
    )
    assert envelope(batch.content)[0][1].startswith(
        "Invoices/Invoice[1]/LineItems/LineItem[2]/UnitAmount: the value is out of range"
    )
    listed = await http.get("/api.xro/1.0/invoices", params=keys)
    assert b"BIG-" not in listed.content


@pytest.mark.asyncio
async def test_largest_decimal_is_kept_and_a_sum_beyond_it_is_refused(
    http: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    largest = str(wire.DECIMAL_MAX)
    saved = await http.put(
        "/api.xro/1.0/invoice", params=keys, content=invoice("MAX-1", ("1", largest))
    )
    assert saved.status_code == 200, saved.text
    assert etree.fromstring(saved.content).findtext("Invoice/Total") == f"{largest}.0000"

    too_much = await http.put(
        "/api.xro/1.0/invoice",
        params=keys,
        content=invoice("MAX-2", ("1", largest), ("1", largest)),
    )
    assert envelope(too_much.content) == [
        (
            VALIDATION,
            f"SubTotal {2 * (2**96 - 1)}.00 is out of range for a decimal (at most {largest}).",
        ),
        (
            VALIDATION,
            f"Total {2 * (2**96 - 1)}.00 is out of range for a decimal (at most {largest}).",
        ),
    ]
    # a product beyond 28 digits is compared exactly, not rounded
    product = await http.put(
        "/api.xro/1.0/invoice",
        params=keys,
        content=invoice("MAX-3", ("3", "26409387504754779197847983445")),
    )
    assert envelope(product.content)[0][0] == VALIDATION
    assert (
        "does not equal Quantity x UnitAmount (79228162514264337593543950335.00)"
        in (envelope(product.content)[0][1])
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ('{"path": "contacts", "kind": "503", "count": 1e400}', "count must be a whole number"),
        ('{"path": "contacts", "kind": "delay", "delay": 1e400}', "delay must be a number"),
        ('{"path": "contacts", "kind": "delay", "delay": NaN}', "delay must be a number"),
        ('{"path": "contacts", "kind": "503", "retry_after": -1e400}', "retry_after must be"),
        ('{"path": "contacts", "kind": "503", "count": 2.5}', "count must be a whole number"),
        ('{"path": "contacts", "kind": "503", "count": true}', "count must be a whole number"),
        ('{"path": "contacts", "kind": "503", "count": "3"}', "count must be a whole number"),
    ],
)
def test_fault_specs_with_bad_numbers(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultBoard().schedule(json.loads(spec))


@pytest.mark.asyncio
async def test_fault_hook_answers_400_to_bad_json(http: httpx.AsyncClient) -> None:
    for body in (
        b'{"path": "contacts", "kind": "503", "count": 1e400}',
        b"[" * 100_000,
        b'{"path": "contacts", "kind": "503", "count": 1' + b"0" * 5000 + b"}",
    ):
        response = await http.post("/_sandbox/faults", content=body)
        assert response.status_code == 400, response.text
        assert "error" in response.json()
    fine = await http.post(
        "/_sandbox/faults", json={"path": "contacts", "kind": "503", "count": 2.0}
    )
    assert fine.status_code == 201


@pytest.mark.asyncio
async def test_a_body_too_slow_gets_408_and_close(store: Store, keys: dict[str, str]) -> None:
    app = SandboxApp(store, body_timeout=0.2)

    async def trickle() -> AsyncIterator[bytes]:
        yield b"<Contact>"
        await asyncio.sleep(30)  # never sends the rest in time
        yield b"</Contact>"

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="https://sandbox.test") as client:
        response = await client.put("/api.xro/1.0/contact", params=keys, content=trickle())
    assert response.status_code == 408
    assert response.headers["connection"] == "close"
    async with httpx.AsyncClient(transport=transport, base_url="https://sandbox.test") as client:
        listed = await client.get("/api.xro/1.0/contacts", params=keys)
    assert etree.fromstring(listed.content).xpath("count(//Contact)") == 0


def test_decimal_range_helpers() -> None:
    assert wire.fits_decimal(wire.DECIMAL_MAX) and wire.fits_decimal(wire.DECIMAL_MAX.copy_negate())
    assert not wire.fits_decimal(Decimal(2**96))
    assert not wire.fits_decimal(Decimal("Infinity")) and not wire.fits_decimal(Decimal("NaN"))
    assert f"{wire.money(wire.DECIMAL_MAX)}" == f"{wire.DECIMAL_MAX}.0000"
    assert wire.multiply(Decimal(FORTY), Decimal(10)) == Decimal(FORTY + "0")
    assert wire.total([Decimal(FORTY), Decimal(1)]) == Decimal("1" * 39 + "2")


@pytest.mark.asyncio
async def test_control_characters_quoted_in_an_error_are_replaced(
    http: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    missing = await http.get("/api.xro/1.0/contact", params={**keys, "contactNumber": "A\x00B"})
    assert envelope(missing.content) == [
        (
            "Xero.API.Library.Exceptions.ObjectDoesNotExistException",
            "Contact with contact number A\ufffdB does not exist for this organisation",
        )
    ]
    bad_enum = await http.get("/api.xro/1.0/contacts", params={**keys, "type": "\x01\ufffe"})
    assert envelope(bad_enum.content)[0] == (
        VALIDATION,
        "'\ufffd\ufffd' is not a valid value for type; use one of all, customers, suppliers.",
    )
