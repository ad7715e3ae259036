"""Streaming a large list answer: one model at a time, memory independent of its size.

``client.contacts.iter(...)`` sends the same GET as ``list()`` but reads the body as it
arrives: an lxml pull parser is fed from the decoded body (:func:`._transport.decoded`), every ``<Contacts>/<Contact>``
is decoded by the generated codec as soon as it ends, then cleared and dropped from the tree.

The same hardening as whole documents, by the same code: the parser options of
:data:`._xml.HARDENED_PARSER_OPTIONS` (:func:`._xml.pull_parser`), the early refusal of a
DOCTYPE in the raw bytes (:func:`._xml.refuse_doctype_bytes`, across chunk boundaries) and,
whatever the encoding, the after-parse DOCTYPE check (:func:`._xml.refuse_doctype`) before the
first item is handed out and again at the end. The same answer fails the same way as with
``list()``: malformed XML and values the models cannot hold go through the client's one
mapping (``_read_error``), transport failures (a dropped connection, a broken gzip body)
through ``_transport_error``, the envelope through ``_check_document`` and ``check_payload``
(a list answer without its list, or with another one, is an error, never an empty stream),
and at the end what is left of the tree (the envelope and the emptied lists) through the
generated decoder of the whole response, so a missing ``<ID>`` or (``strict``) an unknown
element fails as it does with ``list()``.

Limits, as for ``list()``:

- The total timeout (a number ``timeout``) bounds the time spent waiting for and reading the
  answer: a server that trickles bytes is stopped with XeroTimeoutError at most one read
  timeout after it (:func:`._base_client.check_deadline`). The time the caller spends
  between two items is not counted.
- ``max_item_bytes`` (16 MiB by default) bounds what is held in memory at once: the bytes of
  one item and of whatever came before it that is still in the tree (the envelope, anything
  outside the list). A stream of junk that never completes an item, or a single item larger
  than that, raises XeroResponseError; a long list of ordinary items may be any size
  (``max_response_bytes`` does not cap a streamed success).

Not retried once opened (items may already have been handed out); the answer of an error
status is read whole (capped by ``max_response_bytes``, under the same deadline) and
interpreted as for ``list()``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from lxml import etree

from ._base_client import _Attempt, _Body, _deadline, check_deadline, check_payload, token_expired
from ._codec import repeated, unknown
from ._drift import watching
from ._errors import XeroError, XeroResponseError
from ._transport import adecoded, deadline_scope, decoded
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ._xml import (
    DOCTYPE_MARK_BYTES,
    UnsafeXMLError,
    byte_encoding_override,
    pull_parser,
    refuse_doctype,
    refuse_doctype_bytes,
)

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient, _ClientCore

__all__ = ["ItemStream", "aiter_items", "iter_items"]

T = TypeVar("T")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
"""lxml's feed parser misreads a UTF-32 byte order mark (``fromstring`` does not); without
it, libxml2 detects UTF-32 from the first ``<`` as it does for a whole document."""


class ItemStream(Generic[T]):
    """Bytes in, decoded items of ``<Root><wrapper><item/>...`` out; I/O free.

    Args:
        core: The client (its envelope reader and ``strict`` flag are used).
        status: HTTP status of the answer, for error messages.
        wrapper: Element name of the list (``Contacts``).
        item: Element name of one item (``Contact``).
        decode: The generated decoder of one item.
        envelope: The generated decoder of the whole response (``ContactsResponse``): run at
            the end on what is left of the tree (the envelope, the emptied lists), so that
            the envelope is held to the same rules as with ``list()``.
    """

    def __init__(
        self,
        core: _ClientCore[Any],
        status: int,
        wrapper: str,
        item: str,
        decode: Callable[[etree._Element, bool], T],
        envelope: Callable[[etree._Element, bool], object] | None = None,
    ) -> None:
        self._core = core
        self._item = item
        self._envelope = envelope
        self._status = status
        self._wrapper = wrapper
        self._decode = decode
        self._parser = pull_parser(item)
        self._tail = b""
        self._head: bytes | None = b""  # the first bytes, until a UTF-32 BOM is ruled out
        self._checked = False
        self._size = 0  # bytes fed so far
        self._since_item = 0  # bytes fed since the last item was decoded
        self._held = 0  # bytes that stay in the tree: the envelope, anything outside the list
        self._list: etree._Element | None = None  # the wrapper of the last item
        self._last: etree._Element | None = None  # the last item (cleared), until the next

    def _unreadable(self, exc: Exception, *, parsing: bool) -> XeroError:
        return self._core._read_error(exc, self._status, self._size, parsing=parsing)

    def feed(self, chunk: bytes) -> list[T]:
        """Parse one chunk; the items completed by it."""
        window = self._tail + chunk
        try:
            refuse_doctype_bytes(window)
        except UnsafeXMLError as exc:
            raise self._unreadable(exc, parsing=True) from None
        if self._size == 0 and byte_encoding_override(chunk):  # a UTF-8 body declared UTF-16
            self._parser = pull_parser(self._item, "utf-8")
        self._tail = window[1 - DOCTYPE_MARK_BYTES :]
        self._size += len(chunk)
        self._since_item += len(chunk)
        if self._head is not None:
            chunk = self._head + chunk
            if len(chunk) < 4:
                self._head = chunk
                return []
            self._head = None
            if chunk[:4] in _UTF32_BOMS:
                chunk = chunk[4:]
        try:
            self._parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise self._unreadable(exc, parsing=True) from None
        items = self._drain()
        if self._held + self._since_item > self._core.max_item_bytes:
            raise XeroResponseError(
                f"the streamed response (HTTP {self._status}) holds more than max_item_bytes "
                f"({self._core.max_item_bytes} bytes) that are not items handed out: "
                f"{self._held + self._since_item} bytes after {self._size} read",
                status_code=self._status,
            )
        return items

    def close(self) -> list[T]:
        """End of body: the last items; raises if the document is incomplete or an error."""
        try:
            if self._head:  # fewer than four bytes in all
                self._parser.feed(self._head)
            root = self._parser.close()
        except etree.XMLSyntaxError as exc:
            raise self._unreadable(exc, parsing=True) from None
        items = self._drain()
        self._check(root)
        check_payload(root, self._wrapper, self._status)
        if len(root.findall(self._wrapper)) > 1:  # an empty second list is refused too
            raise repeated(root.tag if isinstance(root.tag, str) else "?", self._wrapper)
        self._drop_last()
        if self._envelope is not None:
            try:
                self._envelope(root, self._core.strict)
            except Exception as exc:  # e.g. no <ID>, or (strict) an unknown element
                raise self._unreadable(exc, parsing=False) from None
        return items

    def _drop_last(self) -> None:
        last = self._last
        parent = last.getparent() if last is not None else None
        if last is not None and parent is not None:
            parent.remove(last)
        self._last = None

    def _check(self, root: etree._Element) -> None:
        """The checks of a whole document, on the (partial) tree."""
        try:
            refuse_doctype(root)
        except UnsafeXMLError as exc:
            raise self._unreadable(exc, parsing=True) from None
        self._core._check_document(root, self._status)

    def _drain(self) -> list[T]:
        items: list[T] = []
        for _event, element in self._parser.read_events():
            if not isinstance(element, etree._Element):
                continue
            parent = element.getparent()
            if parent is None or parent.tag != self._wrapper:
                continue  # an element of that name elsewhere in the document
            root = parent.getparent()
            if root is None or root.getparent() is not None:
                continue
            if not self._checked:
                # The envelope (Errors, ID, Status, ...) precedes the payload: an error
                # answer (or a DOCTYPE, in any encoding) fails before the first item is out.
                self._check(root)
                self._checked = True
            if self._list is not None and parent is not self._list:
                raise repeated(root.tag, self._wrapper)  # never joined, as by list()
            try:
                with watching(self._core._drift):
                    items.append(self._decode(element, self._core.strict))
            except Exception as exc:  # a value the models cannot hold, or a decoder bug
                raise self._unreadable(exc, parsing=False) from None
            if parent is not self._list:
                # The first list, or another one after something else: what came before
                # it stays in the tree for good.
                self._held += self._since_item
                self._list = parent
            self._since_item = 0
            element.clear()
            if self._last is not None and self._last.getparent() is not parent:
                self._drop_last()  # the last item of an earlier list
            while (previous := element.getprevious()) is not None:
                if (
                    self._core.strict
                    and previous.tag != self._item
                    and isinstance(previous.tag, str)
                ):
                    raise unknown(self._wrapper, previous.tag)  # as the whole-document decoder
                del parent[0]
            self._last = element
        return items


def _failure(client: _ClientCore[Any], response: httpx.Response, content: bytes) -> XeroError:
    """The error a non-streamable answer (an error status, HTML ...) stands for."""
    try:
        client._interpret(response.status_code, response.headers, content, object)
    except XeroError as exc:
        return exc
    return XeroResponseError(
        f"unexpected answer (HTTP {response.status_code})", status_code=response.status_code
    )


def _streamable(response: httpx.Response) -> bool:
    return (
        200 <= response.status_code < 300
        and "html" not in response.headers.get("content-type", "").lower()
    )


def iter_items(
    client: SyncAPIClient,
    *,
    path: str,
    params: Sequence[tuple[str, str | None]],
    wrapper: str,
    item: str,
    decode: Callable[[etree._Element, bool], T],
    timeout: TimeoutTypes | NotGiven,
    envelope: Callable[[etree._Element, bool], object] | None = None,
    headers: Sequence[tuple[str, str | None]] = (),
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    _renewed: bool = False,
) -> Iterator[T]:
    """GET ``path`` and yield the decoded items of its ``<wrapper>`` as they arrive.

    A 401 ``TokenExpired`` (before any item) renews the token once and asks again.
    """
    request = client._build_request(
        "GET", path, params, None, timeout, extra_headers=headers, tenant_id=tenant_id
    )
    with deadline_scope(_deadline(request, time.monotonic())):  # the token call's
        client._auth.authorize(request)
    slot = client._take_slot(request)  # rate limits: may wait (before the deadline starts)
    started = time.monotonic()
    deadline = _deadline(request, started)
    failure: _Attempt | None = None
    try:
        with deadline_scope(deadline):
            response = client._http.send(request, stream=True, follow_redirects=False)
    except httpx.HTTPError as exc:
        failure = client._transport_error(exc, request, started)
    if failure is not None:
        client._give_slot(slot, None)
        failure.raise_error()  # outside the except block: httpx's exception is no context
    try:
        if not _streamable(response):
            body = _Body(client, response, deadline)
            try:
                with deadline_scope(deadline):
                    for part in decoded(response):
                        body.add(part)
            except httpx.HTTPError as exc:
                failure = client._transport_error(exc, request, started)
            if failure is not None:
                failure.raise_error()
            error = _failure(client, response, body.content())
            if not _renewed and token_expired(error) and client._auth.renew(request):
                client._give_slot(slot, response)  # before asking again (it takes its own)
                yield from iter_items(
                    client,
                    path=path,
                    params=params,
                    wrapper=wrapper,
                    item=item,
                    decode=decode,
                    timeout=timeout,
                    envelope=envelope,
                    headers=headers,
                    tenant_id=tenant_id,
                    _renewed=True,
                )
                return
            raise error
        stream = ItemStream(client, response.status_code, wrapper, item, decode, envelope)
        chunks = decoded(response)
        done = False
        while not done:
            try:
                with deadline_scope(deadline):  # moved on by the caller's time
                    chunk = next(chunks)
                check_deadline(response, deadline)
            except StopIteration:
                done = True
            except httpx.HTTPError as exc:
                failure = client._transport_error(exc, request, started)
            if failure is not None:
                failure.raise_error()
            for value in stream.close() if done else stream.feed(chunk):
                paused = time.monotonic()
                yield value
                if deadline is not None:  # the caller's time between items does not count
                    deadline += time.monotonic() - paused
    finally:
        response.close()
        client._give_slot(slot, response)


async def aiter_items(
    client: AsyncAPIClient,
    *,
    path: str,
    params: Sequence[tuple[str, str | None]],
    wrapper: str,
    item: str,
    decode: Callable[[etree._Element, bool], T],
    timeout: TimeoutTypes | NotGiven,
    envelope: Callable[[etree._Element, bool], object] | None = None,
    headers: Sequence[tuple[str, str | None]] = (),
    tenant_id: str | uuid.UUID | NotGiven = NOT_GIVEN,
    _renewed: bool = False,
) -> AsyncIterator[T]:
    """The async twin of :func:`iter_items`."""
    request = client._build_request(
        "GET", path, params, None, timeout, extra_headers=headers, tenant_id=tenant_id
    )
    with deadline_scope(_deadline(request, time.monotonic())):  # the token call's
        await client._auth.aauthorize(request)
    slot = await client._atake_slot(request)
    started = time.monotonic()
    deadline = _deadline(request, started)
    failure: _Attempt | None = None
    try:
        with deadline_scope(deadline):
            response = await client._http.send(request, stream=True, follow_redirects=False)
    except httpx.HTTPError as exc:
        failure = client._transport_error(exc, request, started)
    if failure is not None:
        await client._agive_slot(slot, None)
        failure.raise_error()  # outside the except block: httpx's exception is no context
    try:
        if not _streamable(response):
            body = _Body(client, response, deadline)
            try:
                with deadline_scope(deadline):
                    async for part in adecoded(response):
                        body.add(part)
            except httpx.HTTPError as exc:
                failure = client._transport_error(exc, request, started)
            if failure is not None:
                failure.raise_error()
            error = _failure(client, response, body.content())
            if not _renewed and token_expired(error) and await client._auth.arenew(request):
                await client._agive_slot(slot, response)
                async for value in aiter_items(
                    client,
                    path=path,
                    params=params,
                    wrapper=wrapper,
                    item=item,
                    decode=decode,
                    timeout=timeout,
                    envelope=envelope,
                    headers=headers,
                    tenant_id=tenant_id,
                    _renewed=True,
                ):
                    yield value
                return
            raise error
        stream = ItemStream(client, response.status_code, wrapper, item, decode, envelope)
        chunks = adecoded(response)
        done = False
        while not done:
            try:
                with deadline_scope(deadline):  # moved on by the caller's time
                    chunk = await chunks.__anext__()
                check_deadline(response, deadline)
            except StopAsyncIteration:
                done = True
            except httpx.HTTPError as exc:
                failure = client._transport_error(exc, request, started)
            if failure is not None:
                failure.raise_error()
            for value in stream.close() if done else stream.feed(chunk):
                paused = time.monotonic()
                yield value
                if deadline is not None:  # the caller's time between items does not count
                    deadline += time.monotonic() - paused
    finally:
        await response.aclose()
        await client._agive_slot(slot, response)
