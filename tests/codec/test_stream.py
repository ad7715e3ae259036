"""contacts.iter / invoices.iter over a streamed answer (httpx MockTransport, chunked bodies)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from xero_customer_api._runtime._errors import (
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
        api_key="k",
        customer_key="c",
        base_url="http://127.0.0.1:9/api/",
        http_client=http,
        max_retries=0,
    )


def async_client(body: bytes, **kw: int | None) -> AsyncXeroClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler(body, **kw)))  # type: ignore[arg-type]
    return AsyncXeroClient(
        api_key="k",
        customer_key="c",
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
