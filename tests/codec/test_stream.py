"""contacts.iter / invoices.iter over a streamed answer (httpx MockTransport, chunked bodies)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from xero_customer_api._runtime._errors import (
    InvalidPartnerKeyError,
    NotFoundError,
    ServerError,
    XeroConnectionError,
    XeroResponseError,
)
from xero_customer_api.v1_0 import AsyncXeroClient, XeroClient

HEAD = b"<Response><ID>1</ID><Status>OK</Status><ProviderName>p</ProviderName><DateTimeUTC>2024-01-01T00:00:00Z</DateTimeUTC>"


def contacts_doc(n: int) -> bytes:
    items = b"".join(
        b"<Contact><Name>C%d</Name><Addresses/><Phones/></Contact>" % i for i in range(n)
    )
    return HEAD + b"<Contacts>" + items + b"</Contacts></Response>"


ERROR_DOC = (
    b"<Response><Errors><Error><Description>No such contact</Description><Exception>"
    b"<ExceptionType>Xero.API.Library.Exceptions.ObjectDoesNotExistException</ExceptionType></Exception></Error></Errors>"
    b"<ID>1</ID><Status>NotFound</Status><ProviderName>p</ProviderName><DateTimeUTC>2024-01-01T00:00:00Z</DateTimeUTC></Response>"
)


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, data: bytes, size: int = 7, fail_after: int | None = None) -> None:
        self.data, self.size, self.fail_after = data, size, fail_after

    def _parts(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), self.size):
            if self.fail_after is not None and start >= self.fail_after:
                raise httpx.ReadError("connection reset by peer")
            yield self.data[start : start + self.size]

    def __iter__(self) -> Iterator[bytes]:
        yield from self._parts()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self._parts():
            yield part


def handler(
    body: bytes, status: int = 200, fail_after: int | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    def respond(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/contacts")
        assert request.url.params["sortBy"] == "name"
        return httpx.Response(
            status, headers={"content-type": "text/xml"}, stream=Chunks(body, fail_after=fail_after)
        )

    return respond


def sync_client(body: bytes, **kw: int | None) -> XeroClient:
    http = httpx.Client(transport=httpx.MockTransport(handler(body, **kw)))  # type: ignore[arg-type]
    return XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=http,
        max_retries=0,
    )


def async_client(body: bytes, **kw: int | None) -> AsyncXeroClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler(body, **kw)))  # type: ignore[arg-type]
    return AsyncXeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=http,
        max_retries=0,
    )


def test_yields_every_contact_one_at_a_time() -> None:
    client = sync_client(contacts_doc(50))
    names = [c.name for c in client.contacts.iter(sort_by="name")]
    assert names == [f"C{i}" for i in range(50)]
    assert client.contacts.list(sort_by="name") == list(client.contacts.iter(sort_by="name"))


@pytest.mark.asyncio
async def test_async_generator() -> None:
    client = async_client(contacts_doc(20))
    names = [c.name async for c in client.contacts.iter(sort_by="name")]
    assert names == [f"C{i}" for i in range(20)]


BAD: dict[str, tuple[bytes, dict[str, int | None], type[Exception]]] = {
    "truncated": (contacts_doc(30)[:-40], {}, XeroResponseError),
    "malformed": (contacts_doc(30).replace(b"</Name>", b"</Nam>", 1), {}, XeroResponseError),
    "doctype": (
        b'<?xml version="1.0"?><!DOCTYPE Response [<!ENTITY x "y">]>' + contacts_doc(3),
        {},
        XeroResponseError,
    ),
    "entity": (contacts_doc(3).replace(b"C1", b"&xxe;"), {}, XeroResponseError),
    "dropped": (contacts_doc(30), {"fail_after": 400}, XeroConnectionError),
    "error-envelope": (ERROR_DOC, {}, NotFoundError),
    "http-500": (b"oops", {"status": 500}, ServerError),
    "missing-name": (contacts_doc(3).replace(b"<Name>C2</Name>", b""), {}, XeroResponseError),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_errors_mid_stream_raise(case: str) -> None:
    body, kw, error = BAD[case]
    with pytest.raises(error):
        for _ in sync_client(body, **kw).contacts.iter(sort_by="name"):
            pass


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.asyncio
async def test_errors_mid_stream_raise_async(case: str) -> None:
    body, kw, error = BAD[case]
    with pytest.raises(error):
        async for _ in async_client(body, **kw).contacts.iter(sort_by="name"):
            pass


def test_doctype_split_across_chunks_is_refused() -> None:
    body = b"<!DOC" + b"TYPE Response>" + contacts_doc(2)
    with pytest.raises(XeroResponseError, match="DOCTYPE"):
        list(sync_client(body).contacts.iter(sort_by="name"))


# --------------------------------------------------------------------------- issue 12, items 1-3
# The same answer fails the same way through list(), get() and iter(), sync and async.

UTF16_HEAD = '<?xml version="1.0" encoding="UTF-16"?>'
EVIL_DTD = '<!DOCTYPE Response [<!ENTITY x "EVIL">]>'


def utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with a BOM, as a server writing UTF-16 would


def contacts_text(*names: str) -> str:
    items = "".join(f"<Contact><Name>{name}</Name></Contact>" for name in names)
    return HEAD.decode() + "<Contacts>" + items + "</Contacts></Response>"


INVOICE_TEXT = (
    "<Invoice><InvoiceType>ACCREC</InvoiceType><Contact><Name>A&x;B</Name></Contact>"
    "<InvoiceDate>2024-03-15T00:00:00</InvoiceDate><InvoiceNumber>INV-1</InvoiceNumber>"
    "<SubTotal>1.00</SubTotal><TotalTax>0.00</TotalTax><Total>1.00</Total><LineItems/></Invoice>"
)


class Served(Chunks):
    """Chunks that count what was handed to the client."""

    def __init__(self, data: bytes, size: int = 7) -> None:
        super().__init__(data, size)
        self.served = 0

    def _parts(self) -> Iterator[bytes]:
        for part in super()._parts():
            self.served += len(part)
            yield part


def any_handler(
    body: bytes, headers: dict[str, str] | None = None, size: int = 7
) -> tuple[Callable[[httpx.Request], httpx.Response], list[Served]]:
    streams: list[Served] = []

    def respond(request: httpx.Request) -> httpx.Response:
        stream = Served(body, size)
        streams.append(stream)
        return httpx.Response(200, headers=headers or {"content-type": "text/xml"}, stream=stream)

    return respond, streams


def make_sync(body: bytes, headers: dict[str, str] | None = None, **options: Any) -> XeroClient:
    respond, _ = any_handler(body, headers)
    return XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=httpx.Client(transport=httpx.MockTransport(respond)),
        max_retries=0,
        **options,
    )


def make_async(
    body: bytes, headers: dict[str, str] | None = None, **options: Any
) -> AsyncXeroClient:
    respond, _ = any_handler(body, headers)
    return AsyncXeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(respond)),
        max_retries=0,
        **options,
    )


def outcome_sync(call: Callable[[], object]) -> type[Exception] | object:
    try:
        return call()
    except Exception as exc:  # the class is what is compared
        return type(exc)


async def outcome_async(call: Callable[[], Any]) -> type[Exception] | object:
    try:
        return await call()
    except Exception as exc:
        return type(exc)


UTF16_DOCTYPE = {
    "contacts": utf16(UTF16_HEAD + EVIL_DTD + contacts_text("A&x;B", "C")),
    "invoices": utf16(
        UTF16_HEAD + EVIL_DTD + HEAD.decode() + f"<Invoices>{INVOICE_TEXT}</Invoices></Response>"
    ),
}


@pytest.mark.parametrize("resource", sorted(UTF16_DOCTYPE))
def test_utf16_doctype_is_refused_by_iter_as_by_list(resource: str) -> None:
    client = make_sync(UTF16_DOCTYPE[resource])
    endpoint = getattr(client, resource)
    with pytest.raises(XeroResponseError, match="DOCTYPE"):
        endpoint.list()
    with pytest.raises(XeroResponseError, match="DOCTYPE"):
        for _ in endpoint.iter():
            pass


@pytest.mark.parametrize("resource", sorted(UTF16_DOCTYPE))
@pytest.mark.asyncio
async def test_utf16_doctype_is_refused_by_iter_async(resource: str) -> None:
    endpoint = getattr(make_async(UTF16_DOCTYPE[resource]), resource)
    with pytest.raises(XeroResponseError, match="DOCTYPE"):
        async for _ in endpoint.iter():
            pass


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-7", "utf-16-be"])
def test_doctype_in_any_encoding_is_refused_before_the_first_item(encoding: str) -> None:
    declared = {"utf-16-be": "UTF-16BE", "utf-32-le": "UTF-32LE"}.get(encoding, encoding.upper())
    text = f'<?xml version="1.0" encoding="{declared}"?>' + EVIL_DTD + contacts_text("A&x;B")
    handed_out: list[object] = []
    with pytest.raises(XeroResponseError, match="DOCTYPE"):
        for contact in make_sync(text.encode(encoding)).contacts.iter():
            handed_out.append(contact)
    assert handed_out == []


def test_utf16_without_doctype_still_streams() -> None:
    client = make_sync(utf16(UTF16_HEAD + contacts_text("Āwhina &amp; Co", "Bøker", "C")))
    assert [c.name for c in client.contacts.iter()] == ["Āwhina & Co", "Bøker", "C"]
    assert [c.name for c in client.contacts.list()] == ["Āwhina & Co", "Bøker", "C"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-32-le", "utf-8-sig"])
@pytest.mark.parametrize("size", [1, 3, 7, 4096])
def test_other_encodings_stream_as_list_reads_them(encoding: str, size: int) -> None:
    declared = {"utf-32-le": "UTF-32LE", "utf-8-sig": "UTF-8"}.get(encoding, encoding.upper())
    body = (f'<?xml version="1.0" encoding="{declared}"?>' + contacts_text("Bøker", "C")).encode(
        encoding
    )
    respond, _ = any_handler(body, size=size)
    client = XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=httpx.Client(transport=httpx.MockTransport(respond)),
    )
    assert [c.name for c in client.contacts.iter()] == ["Bøker", "C"]
    assert [c.name for c in client.contacts.list()] == ["Bøker", "C"]


def test_a_tiny_body_is_still_an_error() -> None:
    with pytest.raises(XeroResponseError, match="not well-formed"):
        list(make_sync(b"<a").contacts.iter())


@pytest.mark.asyncio
async def test_utf16_without_doctype_still_streams_async() -> None:
    client = make_async(utf16(UTF16_HEAD + contacts_text("Bøker", "C")))
    assert [c.name async for c in client.contacts.iter()] == ["Bøker", "C"]


OVERFLOW = "<UpdatedDateUTC>0001-01-01T00:00:00+14:00</UpdatedDateUTC>"
OVERFLOW_LIST = HEAD + (
    b"<Contacts><Contact><Name>A</Name></Contact><Contact><Name>B</Name>"
    + OVERFLOW.encode()
    + b"</Contact></Contacts></Response>"
)
OVERFLOW_ONE = HEAD + b"<Contact><Name>B</Name>" + OVERFLOW.encode() + b"</Contact></Response>"


def test_a_value_the_models_cannot_hold_is_the_same_error_everywhere() -> None:
    for call in (
        lambda: make_sync(OVERFLOW_LIST).contacts.list(),
        lambda: list(make_sync(OVERFLOW_LIST).contacts.iter()),
        lambda: make_sync(OVERFLOW_ONE).contacts.get(contact_number="B"),
    ):
        with pytest.raises(XeroResponseError, match=r"Contact\.UpdatedDateUTC") as info:
            call()
        assert type(info.value) is XeroResponseError


@pytest.mark.asyncio
async def test_a_value_the_models_cannot_hold_async() -> None:
    with pytest.raises(XeroResponseError, match=r"Contact\.UpdatedDateUTC"):
        async for _ in make_async(OVERFLOW_LIST).contacts.iter():
            pass
    with pytest.raises(XeroResponseError, match=r"Contact\.UpdatedDateUTC"):
        await make_async(OVERFLOW_LIST).contacts.list()


def test_out_of_range_timestamps_are_value_errors_at_the_root() -> None:
    from xero_customer_api._runtime._converters import parse_utc_datetime
    from xero_customer_api._runtime._xml import bind, parse_document
    from xero_customer_api.v1_0.models import ContactsResponse

    for text in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-01:00"):
        with pytest.raises(ValueError, match="out of range"):
            parse_utc_datetime(text)
    with pytest.raises(XeroResponseError):  # the xsdata reference path agrees
        bind(parse_document(OVERFLOW_LIST), ContactsResponse)


HTML_AS_XML = b"<html><head><title>Sign in</title></head><body><p>Log in</p></body></html>"
BROKEN_GZIP = b"\x1f\x8b\x08\x00 this is not a gzip stream"
WRONG_PAYLOAD = (
    HEAD + b"<Invoices><Invoice><InvoiceType>ACCREC</InvoiceType></Invoice></Invoices></Response>"
)
NO_PAYLOAD = HEAD + b"</Response>"
SAME: dict[str, tuple[bytes, dict[str, str], type[Exception]]] = {
    "html-as-text/xml": (HTML_AS_XML, {"content-type": "text/xml"}, InvalidPartnerKeyError),
    "broken-gzip": (
        BROKEN_GZIP,
        {"content-type": "text/xml", "content-encoding": "gzip"},
        XeroResponseError,
    ),
    "wrong-payload": (WRONG_PAYLOAD, {"content-type": "text/xml"}, XeroResponseError),
    "no-payload": (NO_PAYLOAD, {"content-type": "text/xml"}, XeroResponseError),
    "no-envelope-id": (
        contacts_doc(3).replace(b"<ID>1</ID>", b""),
        {"content-type": "text/xml"},
        XeroResponseError,
    ),
    "bad-envelope-date": (
        contacts_doc(3).replace(b"2024-01-01T00:00:00Z", b"yesterday"),
        {"content-type": "text/xml"},
        XeroResponseError,
    ),
}


@pytest.mark.parametrize("case", sorted(SAME))
def test_list_and_iter_raise_the_same_class(case: str) -> None:
    body, headers, error = SAME[case]
    listed = outcome_sync(lambda: make_sync(body, headers).contacts.list())
    streamed = outcome_sync(lambda: list(make_sync(body, headers).contacts.iter()))
    assert listed is error
    assert streamed is error


@pytest.mark.parametrize("case", sorted(SAME))
@pytest.mark.asyncio
async def test_list_and_iter_raise_the_same_class_async(case: str) -> None:
    body, headers, error = SAME[case]

    async def streamed() -> list[object]:
        return [c async for c in make_async(body, headers).contacts.iter()]

    assert await outcome_async(lambda: make_async(body, headers).contacts.list()) is error
    assert await outcome_async(streamed) is error


def test_wrong_payload_names_what_was_expected() -> None:
    with pytest.raises(XeroResponseError, match=r"no <Contacts>.*Invoices"):
        list(make_sync(WRONG_PAYLOAD).contacts.iter())
    with pytest.raises(XeroResponseError, match=r"no <Invoices>.*Contacts"):
        make_sync(contacts_doc(1)).invoices.list()


def test_an_empty_list_is_still_empty() -> None:
    body = HEAD + b"<Contacts/></Response>"
    assert make_sync(body).contacts.list() == []
    assert list(make_sync(body).contacts.iter()) == []


def junk_doc(size: int, *, inside_list: bool) -> bytes:
    junk = b"<Junk><Deep>xxxxxxxxxxxxxxxxxxxxxxxx</Deep></Junk>" * (size // 48)
    if inside_list:
        return HEAD + b"<Contacts>" + junk + b"</Contacts></Response>"
    return HEAD + junk + b"<Contacts/></Response>"


CAP = 16_384


@pytest.mark.parametrize("inside_list", [False, True])
def test_junk_between_items_is_capped_by_max_item_bytes(inside_list: bool) -> None:
    body = junk_doc(1_000_000, inside_list=inside_list)
    respond, streams = any_handler(body, size=1024)
    client = XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=httpx.Client(transport=httpx.MockTransport(respond)),
        max_item_bytes=CAP,
    )
    with pytest.raises(XeroResponseError, match="max_item_bytes"):
        for _ in client.contacts.iter():
            pass
    assert streams[0].served <= CAP + 1024  # stopped at the cap, not at the end of the body


@pytest.mark.asyncio
async def test_junk_between_items_is_capped_async() -> None:
    client = make_async(junk_doc(200_000, inside_list=False), max_item_bytes=CAP)
    with pytest.raises(XeroResponseError, match="max_item_bytes"):
        async for _ in client.contacts.iter():
            pass


def test_a_list_larger_than_the_cap_still_streams() -> None:
    body = contacts_doc(2000)  # about 110 kB, each item far below the cap
    assert len(body) > 4 * CAP
    client = make_sync(body, max_item_bytes=CAP)
    assert sum(1 for _ in client.contacts.iter(sort_by="name")) == 2000


def test_items_interleaved_with_junk_outside_the_list_are_capped() -> None:
    # Junk outside the list stays in the tree after the items flowed: it counts for good.
    # (A second list is refused outright, issue 20 item 13: the junk follows the one list.)
    items = b"<Contacts>" + b"<Contact><Name>A</Name></Contact>" * 50 + b"</Contacts>"
    body = HEAD + items + (b"<Junk>" + b"x" * 2000 + b"</Junk>") * 50 + b"</Response>"
    client = make_sync(body, max_item_bytes=CAP)
    with pytest.raises(XeroResponseError, match="max_item_bytes"):
        for _ in client.contacts.iter():
            pass


def test_the_callers_time_between_items_does_not_count_against_the_timeout() -> None:
    import time

    respond, _ = any_handler(contacts_doc(3))
    client = XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=httpx.Client(transport=httpx.MockTransport(respond)),
        timeout=0.5,
    )
    names = []
    for contact in client.contacts.iter():
        names.append(contact.name)
        time.sleep(0.2)  # 0.6 s in all, past the 0.5 s budget of the answer itself
    assert names == ["C0", "C1", "C2"]


def test_one_item_larger_than_max_item_bytes_fails_and_the_knob_raises_the_limit() -> None:
    big = (
        HEAD
        + b"<Contacts><Contact><Name>"
        + b"n" * 40_000
        + b"</Name></Contact></Contacts></Response>"
    )
    with pytest.raises(XeroResponseError, match="max_item_bytes"):
        list(make_sync(big, max_item_bytes=CAP).contacts.iter())
    assert [len(c.name) for c in make_sync(big, max_item_bytes=4 * CAP).contacts.iter()] == [40_000]


def test_max_item_bytes_is_checked_and_defaults_to_16_mib() -> None:
    from xero_customer_api import RequestValidationError

    assert make_sync(contacts_doc(1)).max_item_bytes == 16 * 1024 * 1024
    with pytest.raises(RequestValidationError, match="max_item_bytes"):
        make_sync(contacts_doc(1), max_item_bytes=0)


STRICT_CASES = {
    "unknown-in-envelope": HEAD.replace(b"<ID>", b"<Extra/><ID>") + contacts_doc(2)[len(HEAD) :],
    "unknown-between-items": contacts_doc(3).replace(
        b"</Contact><Contact>", b"</Contact><Odd/><Contact>", 1
    ),
    "unknown-after-items": contacts_doc(3).replace(b"</Contacts>", b"<Odd/></Contacts>"),
}


@pytest.mark.parametrize("case", sorted(STRICT_CASES))
def test_strict_refuses_unknown_elements_in_iter_as_in_list(case: str) -> None:
    body = STRICT_CASES[case]
    strict = {"strict": True}
    with pytest.raises(XeroResponseError, match="unknown element"):
        make_sync(body, **strict).contacts.list()
    with pytest.raises(XeroResponseError, match="unknown element"):
        list(make_sync(body, **strict).contacts.iter())
    # not strict: both ignore it, with the same result
    assert make_sync(body).contacts.list() == list(make_sync(body).contacts.iter())


def test_several_lists_are_refused_by_stream_and_list_alike() -> None:
    # issue 20 item 13: two <Contacts> lists were joined; a second list is never joined
    for second in (b"<Contacts><Contact><Name>X</Name></Contact></Contacts>", b"<Contacts/>"):
        body = contacts_doc(2).replace(b"</Contacts>", b"</Contacts>" + second)
        with pytest.raises(XeroResponseError, match="more than one <Contacts>"):
            list(make_sync(body).contacts.iter())
        with pytest.raises(XeroResponseError, match="more than one <Contacts>"):
            make_sync(body).contacts.list()


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack = [exc]
    while stack:
        current = stack.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        stack.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return seen


def _assert_no_request_in_chain(exc: BaseException) -> None:
    for link in _chain(exc):
        if isinstance(link, httpx.HTTPError):
            assert link._request is None, f"{type(link).__name__} carries the request (and keys)"
        assert "K" * 30 not in repr(link) + str(link)


TRANSPORT_FAILURES: dict[str, tuple[bytes, dict[str, str], int | None, type[Exception]]] = {
    "dropped": (contacts_doc(30), {"content-type": "text/xml"}, 400, XeroConnectionError),
    "broken-gzip": (
        BROKEN_GZIP,
        {"content-type": "text/xml", "content-encoding": "gzip"},
        None,
        XeroResponseError,
    ),
}


def _failing_handler(body: bytes, headers: dict[str, str], fail_after: int | None) -> Any:
    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=headers, stream=Chunks(body, fail_after=fail_after))

    return respond


@pytest.mark.parametrize("case", sorted(TRANSPORT_FAILURES))
def test_transport_failures_of_iter_never_chain_httpx_with_its_request(case: str) -> None:
    body, headers, fail_after, error = TRANSPORT_FAILURES[case]
    client = XeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=httpx.Client(
            transport=httpx.MockTransport(_failing_handler(body, headers, fail_after))
        ),
    )
    with pytest.raises(error) as info:
        list(client.contacts.iter())
    _assert_no_request_in_chain(info.value)


@pytest.mark.parametrize("case", sorted(TRANSPORT_FAILURES))
@pytest.mark.asyncio
async def test_transport_failures_of_async_iter_never_chain_httpx(case: str) -> None:
    body, headers, fail_after, error = TRANSPORT_FAILURES[case]
    client = AsyncXeroClient(
        api_key="K" * 30,
        customer_key="C" * 30,
        base_url="http://127.0.0.1:9/api/",
        http_client=httpx.AsyncClient(
            transport=httpx.MockTransport(_failing_handler(body, headers, fail_after))
        ),
    )
    with pytest.raises(error) as info:
        async for _ in client.contacts.iter():
            pass
    _assert_no_request_in_chain(info.value)
