"""Streaming a large list answer: one model at a time, memory independent of its size.

``client.contacts.iter(...)`` sends the same GET as ``list()`` but reads the body as it
arrives: an lxml pull parser is fed from ``response.iter_bytes()``, every ``<Contacts>/<Contact>``
is decoded by the generated codec as soon as it ends, then cleared and dropped from the tree.

Same hardening as :func:`._xml.parse_document`: a DOCTYPE is refused (checked on the raw bytes
before libxml2 sees them), entities are never resolved, nothing is fetched, recovery is off,
libxml2's size limits stay on. A stream never stops silently: malformed or truncated XML
raises XeroResponseError, a dropped connection XeroConnectionError / XeroTimeoutError, an
error envelope (or an error status) the same mapped XeroAPIError as ``list()``.

Not retried once opened (items may already have been handed out); the answer of an error
status is read whole (capped by ``max_response_bytes``) and interpreted as for ``list()``.
``max_response_bytes`` does not cap a streamed success: memory stays flat whatever its size.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from lxml import etree

from ._base_client import _Body
from ._drift import watching
from ._errors import XeroConnectionError, XeroResponseError, XeroTimeoutError
from ._secrets import redact
from ._types import NotGiven, TimeoutTypes
from ._xml import HARDENED_PARSER_OPTIONS

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient, _ClientCore

__all__ = ["ItemStream", "aiter_items", "iter_items"]

T = TypeVar("T")
_DOCTYPE = re.compile(rb"<!doctype", re.IGNORECASE)


def _pull_parser(item: str) -> etree.XMLPullParser:
    return etree.XMLPullParser(events=("end",), tag=item, **HARDENED_PARSER_OPTIONS)


class ItemStream(Generic[T]):
    """Bytes in, decoded items of ``<Root><wrapper><item/>...`` out; I/O free.

    Args:
        core: The client (its envelope reader and ``strict`` flag are used).
        status: HTTP status of the answer, for error messages.
        wrapper: Element name of the list (``Contacts``).
        item: Element name of one item (``Contact``).
        decode: The generated decoder of one item.
    """

    def __init__(
        self,
        core: _ClientCore[Any],
        status: int,
        wrapper: str,
        item: str,
        decode: Callable[[etree._Element, bool], T],
    ) -> None:
        self._core = core
        self._status = status
        self._wrapper = wrapper
        self._decode = decode
        self._parser = _pull_parser(item)
        self._tail = b""
        self._checked = False
        self._size = 0

    def _syntax_error(self, exc: Exception) -> XeroResponseError:
        return XeroResponseError(
            f"the streamed response (HTTP {self._status}) broke off after {self._size} bytes: "
            f"{redact(str(exc))[:200]}",
            status_code=self._status,
        )

    def feed(self, chunk: bytes) -> list[T]:
        """Parse one chunk; the items completed by it."""
        window = self._tail + chunk
        if _DOCTYPE.search(window):
            raise XeroResponseError(
                f"refused an unsafe response (HTTP {self._status}): the document declares a DOCTYPE, "
                "which is never accepted",
                status_code=self._status,
            )
        self._tail = window[-8:]
        self._size += len(chunk)
        try:
            self._parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise self._syntax_error(exc) from None
        return self._drain()

    def close(self) -> list[T]:
        """End of body: the last items; raises if the document is incomplete or an error."""
        try:
            root = self._parser.close()
        except etree.XMLSyntaxError as exc:
            raise self._syntax_error(exc) from None
        items = self._drain()
        self._core._envelope.raise_for_errors(root, self._status)
        self._core._envelope.check_root(root, self._status)
        return items

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
                # answer fails before the first item is handed out.
                self._core._envelope.raise_for_errors(root, self._status)
                self._core._envelope.check_root(root, self._status)
                self._checked = True
            with watching(self._core._drift):
                items.append(self._decode(element, self._core.strict))
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
        return items


def _transport_error(exc: httpx.HTTPError) -> XeroConnectionError:
    # Never chain httpx's exception: its request carries the keys in the URL.
    detail = redact(str(exc)) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return XeroTimeoutError(f"timed out streaming from Xero: {detail}")
    return XeroConnectionError(f"the connection to Xero failed while streaming: {detail}")


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
) -> Iterator[T]:
    """GET ``path`` and yield the decoded items of its ``<wrapper>`` as they arrive."""
    request = client._build_request("GET", path, params, None, timeout)
    error: XeroConnectionError | None = None
    try:
        response = client._http.send(request, stream=True, follow_redirects=False)
    except httpx.HTTPError as exc:
        error = _transport_error(exc)
    if error is not None:
        raise error
    try:
        if not _streamable(response):
            body = _Body(client, response)
            try:
                for part in response.iter_bytes():
                    body.add(part)
            except httpx.HTTPError as exc:
                error = _transport_error(exc)
            if error is not None:
                raise error
            client._interpret(response.status_code, response.headers, body.content(), object)
            raise XeroResponseError(
                f"unexpected answer (HTTP {response.status_code})", status_code=response.status_code
            )
        stream = ItemStream(client, response.status_code, wrapper, item, decode)
        chunks = response.iter_bytes()
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                break
            except httpx.HTTPError as exc:
                error = _transport_error(exc)
            if error is not None:
                raise error
            yield from stream.feed(chunk)
        yield from stream.close()
    finally:
        response.close()


async def aiter_items(
    client: AsyncAPIClient,
    *,
    path: str,
    params: Sequence[tuple[str, str | None]],
    wrapper: str,
    item: str,
    decode: Callable[[etree._Element, bool], T],
    timeout: TimeoutTypes | NotGiven,
) -> AsyncIterator[T]:
    """The async twin of :func:`iter_items`."""
    request = client._build_request("GET", path, params, None, timeout)
    error: XeroConnectionError | None = None
    try:
        response = await client._http.send(request, stream=True, follow_redirects=False)
    except httpx.HTTPError as exc:
        error = _transport_error(exc)
    if error is not None:
        raise error
    try:
        if not _streamable(response):
            body = _Body(client, response)
            try:
                async for part in response.aiter_bytes():
                    body.add(part)
            except httpx.HTTPError as exc:
                error = _transport_error(exc)
            if error is not None:
                raise error
            client._interpret(response.status_code, response.headers, body.content(), object)
            raise XeroResponseError(
                f"unexpected answer (HTTP {response.status_code})", status_code=response.status_code
            )
        stream = ItemStream(client, response.status_code, wrapper, item, decode)
        chunks = response.aiter_bytes()
        while True:
            try:
                chunk = await chunks.__anext__()
            except StopAsyncIteration:
                break
            except httpx.HTTPError as exc:
                error = _transport_error(exc)
            if error is not None:
                raise error
            for value in stream.feed(chunk):
                yield value
        for value in stream.close():
            yield value
    finally:
        await response.aclose()
