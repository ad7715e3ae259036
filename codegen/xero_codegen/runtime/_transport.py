"""What every answer's bytes go through between the socket and the SDK: content decoding.

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

import zlib
from collections.abc import AsyncIterator, Iterator

import httpx

from ._errors import XeroResponseError
from ._secrets import redact

__all__ = ["ACCEPT_ENCODING", "DECODED_PIECE", "ContentDecoder", "adecoded", "decoded"]

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
