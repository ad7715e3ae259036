"""Issue 20 item 13: answers the SDK trusted too much. Numbers past the write side's 28-digit
finite rule (``<Total>1E+999999999</Total>``, 100,000 digits) were accepted into Decimal
fields; ``1_000`` and Arabic-Indic digits were read as numbers and dates; iter() followed a
server that ignores ``page`` forever."""

from __future__ import annotations

import time

import httpx
import pytest
from xero_customer_api import XeroResponseError

from .helpers import HEAD, sync_client, xml

INVOICE = (
    b"<Invoice><InvoiceID>4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8</InvoiceID><Type>ACCREC</Type>"
    b"%s</Invoice>"
)


def invoices(inner: bytes) -> httpx.Response:
    return xml(HEAD + b"<Invoices>" + INVOICE % inner + b"</Invoices></Response>")


@pytest.mark.parametrize(
    "total",
    [
        b"1E+999999999",
        b"9" * 100_000,
        b"1" * 29,
        b"0." + b"1" * 29,
        b"1_000",
        "\u0661\u0662".encode(),
    ],
)
def test_a_decimal_past_the_28_digit_rule_or_not_ascii_is_refused(total: bytes) -> None:
    with sync_client(lambda r: invoices(b"<Total>" + total + b"</Total>")) as client:
        started = time.monotonic()
        with pytest.raises(XeroResponseError, match="Total"):
            client.invoices.list()
        with pytest.raises(XeroResponseError, match="Total"):
            list(client.invoices.iter())
        assert time.monotonic() - started < 1.0


def test_a_decimal_within_the_rule_is_read() -> None:
    with sync_client(lambda r: invoices(b"<Total>-1234567890.12</Total>")) as client:
        assert str(client.invoices.list()[0].total) == "-1234567890.12"


@pytest.mark.parametrize(
    "inner",
    [
        b"<Date>\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa4-01-01T00:00:00</Date>",  # Arabic-Indic year
        b"<Date>2024-0\xd9\xa1-01</Date>",
        b"<DueDate>2\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-01</DueDate>",  # full-width digits
        b"<UpdatedDateUTC>\xd9\xa2024-01-01T00:00:00</UpdatedDateUTC>",
    ],
)
def test_dates_are_read_from_ascii_digits_only(inner: bytes) -> None:
    with sync_client(lambda r: invoices(inner)) as client, pytest.raises(XeroResponseError):
        client.invoices.list()


@pytest.mark.parametrize("number", [b"1_0", "\u0661".encode(), b"9" * 5000])
def test_whole_numbers_are_read_from_ascii_digits_only(number: bytes) -> None:
    body = (
        HEAD + b"<Contacts><Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
        b"<Name>A</Name><PaymentTerms><Bills><Day>" + number + b"</Day><Type>DAYSAFTERBILLDATE"
        b"</Type></Bills></PaymentTerms></Contact></Contacts></Response>"
    )
    with sync_client(lambda r: xml(body)) as client, pytest.raises(XeroResponseError):
        client.contacts.list()


def test_iter_stops_when_the_server_ignores_page() -> None:
    pages: list[str | None] = []
    contact = (
        b"<Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
        b"<Name>Same</Name></Contact>"
    )

    def handler(request: httpx.Request) -> httpx.Response:
        pages.append(request.url.params.get("page"))
        if len(pages) > 50:
            raise AssertionError("followed the same page forever")
        return xml(HEAD + b"<Contacts>" + contact * 2 + b"</Contacts></Response>")

    with sync_client(handler) as client, pytest.raises(XeroResponseError, match="page"):
        for _ in client.contacts.iter(page_size=2):
            pass
    assert pages == ["1", "2"]


def test_a_second_value_never_silently_wins() -> None:
    body = (
        HEAD + b"<Contacts><Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
        b"<Name>Real Name</Name><Name>Injected</Name></Contact></Contacts></Response>"
    )
    with (
        sync_client(lambda r: xml(body)) as client,
        pytest.raises(XeroResponseError, match="more than one <Name>"),
    ):
        client.contacts.list()


def test_two_lists_are_never_joined() -> None:
    contact = (
        b"<Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
        b"<Name>A</Name></Contact>"
    )
    body = HEAD + b"<Contacts>" + contact + b"</Contacts><Contacts>" + contact + b"</Contacts>"
    with (
        sync_client(lambda r: xml(body + b"</Response>")) as client,
        pytest.raises(XeroResponseError, match="more than one <Contacts>"),
    ):
        client.contacts.list()
