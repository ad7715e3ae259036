"""The HTTP request and response the sandbox's ASGI app and its API versions pass around."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from .faults import Fault

XML_TYPE = b"text/xml; charset=utf-8"
HTML_TYPE = b"text/html; charset=utf-8"
JSON_TYPE = b"application/json"
TEXT_TYPE = b"text/plain; charset=utf-8"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
#: Largest request line + headers accepted, bytes (larger: 431, however it arrived).
MAX_HEADER_BYTES = 16 * 1024


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


def json_response(
    status: int, payload: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> Response:
    """A JSON answer."""
    return Response(status, json.dumps(payload, indent=2).encode(), JSON_TYPE, headers or [])
