"""What every answer's bytes go through between the socket and the SDK: the total deadline
of an attempt, and content decoding.

**Deadlines.** httpx's timeouts are per phase and per socket operation: a server that sends
one byte a second resets the read timeout with every byte, through the status line, 100 KiB
of headers and the body. So the SDK keeps the deadline of the attempt under way in a context
variable (:func:`deadline_scope`, set around the token call, the send and every read of a
body), and the clients it sends with get a network backend (:func:`bound_by_deadlines`)
whose every connect, TLS handshake, write and read waits at most until that deadline. Past
it, httpcore raises its own timeout, which the SDK reports as ``XeroTimeoutError``. The
backend does nothing outside an SDK call (no deadline set), so an ``http_client`` given to
the SDK behaves as before for other uses. A transport without httpcore's connection pool
(a mock, a custom transport) keeps only the check after every body chunk.

**Decoding.**

httpx decodes ``Content-Encoding`` itself, but a stacked coding (``gzip, gzip``) hands the
outer layer's whole output to an unbounded ``zlib.decompress()``: 7 KB on the wire can
allocate gigabytes before any size cap sees a byte. So every read of the SDK (API calls,
streamed lists, token calls, the code exchange) takes the *raw* bytes and decodes them here:

- one coding at most (``gzip``, ``x-gzip`` or ``deflate``; ``identity`` counts as none): a
  stacked or unknown coding is refused before anything is decoded;
- decoded bytes come out in pieces of at most :data:`DECODED_PIECE` bytes as they are
  produced, so the reader's cap (``max_response_bytes``, the item cap of a stream, the token
  endpoint's cap) sees every byte and refuses a bomb while it holds at most the cap.
"""

from __future__ import annotations

import contextvars
import json
import ssl
import time
import typing
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator

import httpcore
import httpx

from ._errors import XeroResponseError
from ._secrets import redact

__all__ = [
    "ACCEPT_ENCODING",
    "DECODED_PIECE",
    "ContentDecoder",
    "adecoded",
    "bound_by_deadlines",
    "current_deadline",
    "deadline_scope",
    "decoded",
    "load_json",
]

ACCEPT_ENCODING = "gzip, deflate"
"""What the SDK asks for: the codings :class:`ContentDecoder` reads."""

DECODED_PIECE = 64 * 1024
"""The most a decoder produces from one call before the reader counts it."""

_CODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class ContentDecoder:
    """Decodes one answer's body under its ``Content-Encoding``, in bounded pieces.

    Raises XeroResponseError (naming what came back) for a stacked or unknown coding and for
    a body its coding cannot read.
    """

    def __init__(self, content_encoding: str | None, status: int) -> None:
        self._status = status
        codings = [
            c.strip().lower()
            for c in (content_encoding or "").split(",")
            if c.strip() and c.strip().lower() != "identity"
        ]
        if len(codings) > 1:
            raise XeroResponseError(
                "refused an answer with stacked content codings "
                f"(Content-Encoding: {redact(', '.join(codings))[:80]}): the SDK reads one of "
                f"{ACCEPT_ENCODING} at most",
                status_code=status,
            )
        self._coding = codings[0] if codings else None
        self._zlib: zlib._Decompress | None = None
        self._first = True
        if self._coding is not None and self._coding not in _CODINGS:
            raise XeroResponseError(
                f"refused an answer with an unknown content coding "
                f"(Content-Encoding: {redact(self._coding)[:40]}); the SDK reads {ACCEPT_ENCODING}",
                status_code=status,
            )
        if self._coding is not None:
            self._zlib = zlib.decompressobj(_CODINGS[self._coding])

    def _broken(self, exc: Exception) -> XeroResponseError:
        return XeroResponseError(
            f"the response body could not be decoded ({self._coding}): {redact(str(exc))[:200]}",
            status_code=self._status,
        )

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of the next raw bytes, each produced only when asked for."""
        if self._zlib is None:
            if data:
                yield data
            return
        pending = data
        while pending:
            try:
                piece = self._zlib.decompress(pending, DECODED_PIECE)
            except zlib.error as exc:
                if self._first and self._coding == "deflate":
                    # servers send raw deflate as "deflate" too: read it so, as browsers do
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise self._broken(exc) from None
            self._first = False
            pending = self._zlib.unconsumed_tail
            if piece:
                yield piece
            if self._zlib.eof:
                return  # anything after the end of the stream is ignored, as httpx does

    def flush(self) -> Iterator[bytes]:
        """What the decoder still holds at the end of the body."""
        if self._zlib is None:
            return
        while True:
            try:
                piece = self._zlib.decompress(b"", DECODED_PIECE)
            except zlib.error as exc:
                raise self._broken(exc) from None
            if not piece:
                break
            yield piece
        if self._coding in ("gzip", "x-gzip") and not self._zlib.eof and not self._first:
            raise XeroResponseError(
                "the response body could not be decoded (gzip): it ends mid-stream",
                status_code=self._status,
            )


def _in_memory(response: httpx.Response) -> bytes | None:
    """The body httpx already holds (a transport that answered from memory), else None."""
    try:
        return response.content
    except httpx.ResponseNotRead:
        return None


def _slices(content: bytes) -> Iterator[bytes]:
    for start in range(0, len(content), DECODED_PIECE):
        yield content[start : start + DECODED_PIECE]


def decoded(response: httpx.Response) -> Iterator[bytes]:
    """The decoded body of a streamed ``response``, piece by piece (see the module docstring).

    A body httpx holds already (a mock or custom transport answered from memory) is handed
    out as it is, in the same pieces.
    """
    content = _in_memory(response)
    if content is not None:
        yield from _slices(content)
        return
    decoder = ContentDecoder(response.headers.get("content-encoding"), response.status_code)
    for raw in response.iter_raw():
        yield from decoder.feed(raw)
    yield from decoder.flush()


async def adecoded(response: httpx.Response) -> AsyncIterator[bytes]:
    """The async twin of :func:`decoded`."""
    content = _in_memory(response)
    if content is not None:
        for piece in _slices(content):
            yield piece
        return
    decoder = ContentDecoder(response.headers.get("content-encoding"), response.status_code)
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            yield piece
    for piece in decoder.flush():
        yield piece


# ---------------------------------------------------------------------- deadlines

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "xero_customer_api_deadline", default=None
)


def current_deadline() -> float | None:
    """The deadline (``time.monotonic()``) of the attempt under way, if any."""
    return _DEADLINE.get()


class deadline_scope:
    """Within the block, every socket operation of the SDK's clients ends by ``deadline``
    (``time.monotonic()`` seconds; None: no total deadline, only httpx's own timeouts).

    ``cap``: seconds from now the block may take at most, whatever the deadline outside it
    (a token call without a deadline of its own still ends).
    """

    __slots__ = ("_deadline", "_token")

    def __init__(self, deadline: float | None, *, cap: float | None = None) -> None:
        if cap is not None:
            limit = time.monotonic() + cap
            deadline = limit if deadline is None else min(deadline, limit)
        self._deadline = deadline
        self._token: contextvars.Token[float | None] | None = None

    def __enter__(self) -> None:
        self._token = _DEADLINE.set(self._deadline)

    def __exit__(self, *exc: object) -> None:
        assert self._token is not None
        _DEADLINE.reset(self._token)

    def passed(self) -> bool:
        """Whether the block's deadline has passed (a timeout was the deadline's doing)."""
        return self._deadline is not None and time.monotonic() >= self._deadline - 0.01


_PAST = "the total timeout of the attempt has passed"


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to what is left before the deadline; ``error`` once past it."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error(_PAST)
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    __slots__ = ("_inner",)

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
        )
        return _Stream(inner)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    __slots__ = ("_inner",)

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _Stream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(
            path, _bounded(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _Stream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    __slots__ = ("_inner",)

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._inner.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
        )
        return _AsyncStream(inner)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    __slots__ = ("_inner",)

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(
            host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_unix_socket(
            path, _bounded(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def bound_by_deadlines(http: httpx.Client | httpx.AsyncClient) -> bool:
    """Give ``http``'s connection pools the deadline-keeping network backend.

    Reaches into httpx's transports (``HTTPTransport._pool``, httpcore's
    ``ConnectionPool._network_backend``): neither exposes its backend. Connections the pool
    opens from now on are bounded; a transport of another kind (mock, custom) is left as it
    is. Returns whether any pool was bounded.
    """
    transports = [getattr(http, "_transport", None)]
    mounts = getattr(http, "_mounts", None)
    if isinstance(mounts, dict):
        transports.extend(mounts.values())
    bounded = False
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, (_Backend, _AsyncBackend)):
            bounded = True
        elif isinstance(backend, httpcore.NetworkBackend):
            pool._network_backend = _Backend(backend)  # type: ignore[union-attr]
            bounded = True
        elif isinstance(backend, httpcore.AsyncNetworkBackend):
            pool._network_backend = _AsyncBackend(backend)  # type: ignore[union-attr]
            bounded = True
    return bounded


# ---------------------------------------------------------------------- JSON answers


def load_json(content: bytes) -> object:
    """The JSON of an answer (401/403 problems, token answers, ``/connections``).

    Raises ValueError for anything that is not readable JSON, including JSON nested deeper
    than the interpreter's recursion limit (json raises RecursionError from its C parser,
    which bounds the nesting); callers map ValueError to the SDK's errors.
    """
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
