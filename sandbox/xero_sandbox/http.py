"""The HTTP request and response the sandbox's ASGI app and its API versions pass around."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qsl

from .faults import Fault

XML_TYPE = b"text/xml; charset=utf-8"
HTML_TYPE = b"text/html; charset=utf-8"
JSON_TYPE = b"application/json"
TEXT_TYPE = b"text/plain; charset=utf-8"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
#: Largest request line + headers accepted, bytes (larger: 431, however it arrived).
MAX_HEADER_BYTES = 16 * 1024


#: Bytes read from a file body at a time when it is sent.
FILE_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Upload:
    """A request body the app streamed to a file instead of memory (an attachment's content):
    where it is, its size and SHA-256 (for idempotency fingerprints), and the last path
    segment percent-decoded from the raw path (a file name may hold an encoded ``/``)."""

    path: Path
    size: int
    sha256: str
    file_name: str


@dataclass
class FileBody:
    """A response body sent from an open file, chunk by chunk (never whole in memory)."""

    file: BinaryIO
    size: int

    def chunks(self, limit: int | None = None) -> Iterator[bytes]:
        """The file's bytes in chunks, at most *limit* of them in all (default: all)."""
        left = self.size if limit is None else min(limit, self.size)
        while left > 0:
            chunk = self.file.read(min(FILE_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk

    def close(self) -> None:
        """Close the file (once sent, or when the answer is dropped)."""
        self.file.close()


@dataclass
class Request:
    """A fully read HTTP request (header names lower-cased; the last of a repeated one wins,
    and ``repeated`` names the headers sent more than once)."""

    method: str
    path: str
    query_string: str
    body: bytes
    client: tuple[str, int] | None
    headers: dict[str, str] = field(default_factory=dict)
    repeated: frozenset[str] = frozenset()
    #: ``http`` or ``https``, as the client reached the sandbox.
    scheme: str = "http"
    #: The body, when it was streamed to a file (``body`` is then empty).
    upload: Upload | None = None

    @property
    def query(self) -> dict[str, str]:
        """Query parameters (case-sensitive names; the last value of a repeated name wins)."""
        return dict(parse_qsl(self.query_string, keep_blank_values=True))


@dataclass
class Response:
    """A response to send, with an optional fault to apply while sending it."""

    status: int
    body: bytes
    content_type: bytes = XML_TYPE
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    fault: Fault | None = None
    #: Run once the response was sent (or the connection dropped): e.g. end a rate-limit slot.
    after: Callable[[], None] | None = None
    #: A body sent from a file instead of ``body`` (a downloaded attachment).
    file: FileBody | None = None


def json_response(
    status: int, payload: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> Response:
    """A JSON answer."""
    return Response(status, json.dumps(payload, indent=2).encode(), JSON_TYPE, headers or [])
