"""The raw ASGI application: routing, key checks, envelopes, console and test hooks."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import struct
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote

from . import console, xmlcodec
from .errors import AUTH_KEY, METHOD_NOT_ALLOWED, ApiError
from .faults import Fault, FaultBoard
from .service import ENDPOINTS, ROUTES, Call, Service
from .store import Store

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

API_PREFIX = "/api.xro/1.0/"
LOGIN_PATH = "/Login.xro/Login"
MAX_BODY = 5 * 1024 * 1024
XML_TYPE = b"text/xml; charset=utf-8"
HTML_TYPE = b"text/html; charset=utf-8"
JSON_TYPE = b"application/json"
_LOOPBACK = ("127.0.0.1", "::1", "localhost")
log = logging.getLogger("xero_sandbox")


@dataclass
class Request:
    """A fully read HTTP request."""

    method: str
    path: str
    query_string: str
    body: bytes
    client: tuple[str, int] | None

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


def _object_moved(request: Request) -> Response:
    """What Xero answered for a bad partner key: an HTML forms-login redirect."""
    original = request.path + (
        "?" + console.redact_query(request.query_string) if request.query_string else ""
    )
    location = f"{LOGIN_PATH}?ReturnUrl={quote(original, safe='')}"
    body = (
        "<html><head><title>Object moved</title></head><body>\r\n"
        f'<h2>Object moved to <a href="{location.replace("&", "&amp;")}">here</a>.</h2>\r\n'
        "</body></html>\r\n"
    ).encode()
    return Response(302, body, HTML_TYPE, [(b"location", location.encode())])


def _login_page() -> Response:
    body = (
        b"<!DOCTYPE html><html><head><title>Login</title></head><body><h1>Xero sandbox login</h1>"
        b"<p>The partner key (apiKey) of the request was not valid.</p></body></html>"
    )
    return Response(200, body, HTML_TYPE)


def _json(status: int, payload: Any) -> Response:
    return Response(status, json.dumps(payload, indent=2).encode(), JSON_TYPE)


class SandboxApp:
    """ASGI 3 application of the sandbox.

    ``transports`` maps a client address to its transport (filled by the server's protocol
    class) so that a ``reset`` fault can abort the connection.
    """

    def __init__(
        self,
        store: Store,
        transports: dict[tuple[str, int], asyncio.Transport] | None = None,
        *,
        body_timeout: float = 30.0,
    ) -> None:
        self.store = store
        self.body_timeout = body_timeout
        self.service = Service(store, xmlcodec.RequestValidator())
        self.faults = FaultBoard()
        self.traffic = console.TrafficLog()
        self.transports = transports if transports is not None else {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            async with asyncio.timeout(self.body_timeout):
                request = await self._read(scope, receive)
        except TimeoutError:
            slow = Response(
                408, b"Request body too slow", b"text/plain", [(b"connection", b"close")]
            )
            await self._send(slow, send, receive, scope)
            return
        if request is None:
            await self._send(
                Response(413, b"Request body too large", b"text/plain"), send, receive, scope
            )
            return
        response = await self._dispatch(request)
        await self._send(response, send, receive, scope)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _read(scope: Scope, receive: Receive) -> Request | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        client = scope.get("client")
        return Request(
            method=scope["method"].upper(),
            path=scope["path"],
            query_string=scope.get("query_string", b"").decode("latin-1"),
            body=b"".join(chunks),
            client=(str(client[0]), int(client[1])) if client else None,
        )

    # ------------------------------------------------------------------ routing

    async def _dispatch(self, request: Request) -> Response:
        path = request.path
        if path.lower().startswith(API_PREFIX.lower()):
            return await self._api(request)
        if path == "/console":
            return self._console(request)
        if path == "/console/export":
            return self._console(request, as_json=True)
        if path.startswith("/_sandbox/"):
            return self._sandbox(request)
        if path.lower() == LOGIN_PATH.lower():
            return _login_page()
        return Response(404, b"<html><body><h1>404 - Not Found</h1></body></html>", HTML_TYPE)

    async def _api(self, request: Request) -> Response:
        endpoint = request.path[len(API_PREFIX) :].strip("/").lower()
        query = request.query
        self.faults.count(request.method, endpoint)
        api_key = query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        fault = self.faults.take(request.method, endpoint) if endpoint in ENDPOINTS else None
        if fault is not None and fault.kind in ("503", "429"):
            response = self._early_fault(fault)
        elif provider is None:
            response = _object_moved(request)
        else:
            response = self._call(request, endpoint, query, provider)
            response.fault = fault
        if provider is not None:
            customer_key = query.get("xeroKey", "")
            self.traffic.record(
                api_key,
                request.method,
                request.path,
                request.query_string,
                response.status,
                request.body,
                response.body,
                [customer_key, *self.store.all_keys()],
                note=f"fault: {fault.kind}" if fault else "",
            )
        return response

    @staticmethod
    def _early_fault(fault: Fault) -> Response:
        if fault.kind == "503":
            body = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
            return Response(
                503, body, HTML_TYPE, [(b"retry-after", str(fault.retry_after).encode())]
            )
        body = b"<html><body><h1>429 Too Many Requests</h1></body></html>"
        return Response(429, body, HTML_TYPE, [(b"retry-after", str(fault.retry_after).encode())])

    def _call(
        self, request: Request, endpoint: str, query: dict[str, str], provider: str
    ) -> Response:
        now = datetime.now(UTC)
        try:
            org = self.store.org_for(query.get("apiKey", ""), query.get("xeroKey", ""))
            if org is None:
                raise ApiError(
                    AUTH_KEY,
                    f"The customer key (xeroKey) is not a valid Xero authentication key for {provider}. "
                    f"A key for {provider} must be set up by each Xero customer",
                )
            if endpoint not in ENDPOINTS:
                return Response(
                    404, b"<html><body><h1>404 - Not Found</h1></body></html>", HTML_TYPE
                )
            if (request.method, endpoint) not in ROUTES:
                allowed = ", ".join(sorted(m for m, e in ROUTES if e == endpoint))
                raise ApiError(
                    METHOD_NOT_ALLOWED,
                    f"{request.method} is not allowed on {endpoint}; use {allowed}.",
                    http_status=405,
                )
            call = Call(request.method, endpoint, query, request.body, org, provider)
            root = self.service.handle(call)
            return Response(200, xmlcodec.to_bytes(root))
        except ApiError as exc:
            return Response(
                exc.http_status, xmlcodec.to_bytes(xmlcodec.error_envelope(exc, provider, now))
            )
        except Exception as exc:  # a bug must still answer in the envelope
            log.exception("unexpected error in %s %s", request.method, endpoint)
            error = ApiError(
                "System.Exception", f"An unexpected error occurred: {type(exc).__name__}"
            )
            return Response(500, xmlcodec.to_bytes(xmlcodec.error_envelope(error, provider, now)))

    def _console(self, request: Request, as_json: bool = False) -> Response:
        api_key = request.query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        if provider is None:
            return _object_moved(request)
        if as_json:
            body = console.export(provider, self.traffic.recent(api_key)).encode()
            headers = [(b"cache-control", b"no-store")]
            return Response(200, body, b"application/json; charset=utf-8", headers)
        page = console.render(provider, self.traffic.recent(api_key))
        return Response(200, page.encode(), HTML_TYPE, [(b"cache-control", b"no-store")])

    def _sandbox(self, request: Request) -> Response:
        if request.client is None or request.client[0] not in _LOOPBACK:
            return _json(403, {"error": "the /_sandbox endpoints answer loopback clients only"})
        route = (request.method, request.path.rstrip("/"))
        if route == ("POST", "/_sandbox/faults"):
            try:
                spec = json.loads(request.body or b"{}")
                if not isinstance(spec, dict):
                    raise ValueError("a JSON object is expected")
                key = self.faults.schedule(spec)
            except RecursionError:
                return _json(400, {"error": "the JSON is nested too deeply"})
            except (ValueError, TypeError) as exc:
                return _json(400, {"error": str(exc)})
            return _json(201, {"scheduled": key})
        if route == ("DELETE", "/_sandbox/faults"):
            self.faults.clear()
            return _json(200, {"cleared": True})
        if route == ("GET", "/_sandbox/stats"):
            return _json(200, self.faults.stats())
        if route == ("POST", "/_sandbox/reset-stats"):
            self.faults.reset_stats()
            return _json(200, {"reset": True})
        return _json(404, {"error": "unknown sandbox endpoint"})

    # ------------------------------------------------------------------ sending

    async def _send(self, response: Response, send: Send, receive: Receive, scope: Scope) -> None:
        fault = response.fault
        body = response.body
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.kind == "truncate":
            body = body[: max(1, len(body) // 2)]
        headers = [
            (b"content-type", response.content_type),
            (b"content-length", str(len(body)).encode()),
            *response.headers,
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        if fault is not None and fault.kind == "reset":
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            await self._abort(scope, receive)
            return
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _abort(self, scope: Scope, receive: Receive) -> None:
        """Drop the connection with a TCP reset after part of the body was sent."""
        client = scope.get("client")
        transport = self.transports.get((str(client[0]), int(client[1]))) if client else None
        await asyncio.sleep(0.05)  # let the client read the headers and the first half
        if transport is None:
            raise ConnectionAbortedError("reset fault: connection dropped")
        raw = transport.get_extra_info("socket")
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        message = await receive()  # returns http.disconnect once the connection is gone
        log.debug("reset fault applied (%s)", message.get("type"))
