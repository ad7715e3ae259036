"""Reading answers: forward compatibility, strict mode, size cap, raw responses."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from xero_customer_api import RawResponse, XeroResponseError
from xero_customer_api._runtime._xml import bind, parse_document
from xero_customer_api.v1_0 import models

from .helpers import CONTACTS_OK, ENVELOPE_HEAD, XML, Recorder, ok, sync_client

NEW_FIELD = (
    ENVELOPE_HEAD + "<NewTopLevel>x</NewTopLevel><Contacts><Contact><Name>A</Name>"
    "<ContactStatus>MERGED</ContactStatus><NewFieldFromServer><Deep>1</Deep></NewFieldFromServer>"
    "</Contact></Contacts></Response>"
).encode()
NEW_ENUM = (
    ENVELOPE_HEAD + "<Contacts><Contact><ContactStatus>NEWSTATUS</ContactStatus><Name>A</Name>"
    "</Contact></Contacts></Response>"
).encode()


def test_unknown_elements_are_ignored() -> None:
    with sync_client(Recorder(ok(NEW_FIELD))) as client:
        (contact,) = client.contacts.list()
    assert contact.name == "A"


def test_strict_mode_refuses_unknown_elements() -> None:
    with (
        sync_client(Recorder(ok(NEW_FIELD)), strict=True) as client,
        pytest.raises(XeroResponseError) as info,
    ):
        client.contacts.list()
    assert "NewTopLevel" in str(info.value) or "NewFieldFromServer" in str(info.value)


@pytest.mark.parametrize("strict", [False, True])
def test_unknown_enum_value_is_kept_as_text_without_warning(strict: bool) -> None:
    # pytest runs with filterwarnings=error: a ConverterWarning would fail this test
    with sync_client(Recorder(ok(NEW_ENUM)), strict=strict) as client:
        (contact,) = client.contacts.list()
    assert contact.contact_status == "NEWSTATUS"


@pytest.mark.parametrize("strict", [False, True])
def test_reference_binder_keeps_unknown_enums_too(strict: bool) -> None:
    parsed = bind(parse_document(NEW_ENUM), models.ContactsResponse, strict=strict)
    assert parsed.contacts[0].contact_status == "NEWSTATUS"
    known = bind(parse_document(CONTACTS_OK), models.ContactsResponse)
    assert known.contacts[0].name == "Red House Reads"


def test_reference_binder_is_thread_safe() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                parsed = bind(parse_document(NEW_ENUM), models.ContactsResponse)
                assert parsed.contacts[0].contact_status == "NEWSTATUS"
                with pytest.raises(XeroResponseError):
                    bind(parse_document(NEW_FIELD), models.ContactsResponse, strict=True)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_bad_decimal_is_an_error_not_a_string() -> None:
    body = CONTACTS_OK.replace(b"<Contacts>", b"<Contacts>").replace(b"</Response>", b"</Response>")
    invoices = (
        ENVELOPE_HEAD
        + "<Invoices><Invoice><InvoiceType>ACCREC</InvoiceType><Contact><Name>A</Name></Contact>"
        "<InvoiceDate>2024-01-01T00:00:00</InvoiceDate><InvoiceNumber>1</InvoiceNumber>"
        "<Total>abc</Total></Invoice></Invoices></Response>"
    ).encode()
    del body
    with sync_client(Recorder(ok(invoices))) as client, pytest.raises(XeroResponseError):
        client.invoices.list()
    with pytest.raises(XeroResponseError):
        bind(parse_document(invoices), models.InvoicesResponse)


def test_missing_required_element_is_an_error() -> None:
    body = (
        ENVELOPE_HEAD
        + "<Contacts><Contact><EmailAddress>a@b.c</EmailAddress></Contact></Contacts></Response>"
    ).encode()
    with sync_client(Recorder(ok(body))) as client, pytest.raises(XeroResponseError):
        client.contacts.list()
    with pytest.raises(XeroResponseError):
        bind(parse_document(body), models.ContactsResponse)


def test_raw_response_has_status_headers_bytes_and_parsed() -> None:
    with sync_client(Recorder(ok(CONTACTS_OK, headers={"x-extra": "1"}))) as client:
        raw = client.contacts.with_raw_response.list()
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-extra"] == "1"
    assert raw.content == CONTACTS_OK
    assert raw.parsed.contacts[0].name == "Red House Reads"
    assert raw.elapsed >= 0


# ---------------------------------------------------------------------------- size cap


class Counting(httpx.SyncByteStream):
    """A body of ``chunks`` x 1 KiB that records how much of it was read."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.read = 0

    def __iter__(self) -> Iterator[bytes]:
        yield b"<Response>"
        for _ in range(self.chunks):
            self.read += 1
            yield b"<ID>" + b"x" * 1015 + b"</ID>"


def test_declared_length_over_the_cap_is_refused_before_reading() -> None:
    stream = Counting(1000)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={**XML, "content-length": str(1024 * 1000)}, stream=stream
        )

    with (
        sync_client(handler, max_response_bytes=64 * 1024) as client,
        pytest.raises(XeroResponseError) as info,
    ):
        client.contacts.list()
    assert "max_response_bytes" in str(info.value)
    assert stream.read == 0


def test_streamed_body_over_the_cap_is_refused_while_streaming() -> None:
    stream = Counting(100_000)  # ~100 MB if it were read to the end

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=XML, stream=stream)  # chunked: no length

    rec = Recorder(handler)
    with sync_client(rec, max_response_bytes=64 * 1024) as client, pytest.raises(XeroResponseError):
        client.contacts.list()
    assert stream.read <= 70  # stopped just past the cap
    assert rec.count == 1  # not retried


def test_a_body_under_the_cap_is_read() -> None:
    with sync_client(Recorder(ok(CONTACTS_OK)), max_response_bytes=len(CONTACTS_OK)) as client:
        assert len(client.contacts.list()) == 1
    small = sync_client(Recorder(ok(CONTACTS_OK)), max_response_bytes=len(CONTACTS_OK) - 1)
    with small, pytest.raises(XeroResponseError):
        small.contacts.list()
