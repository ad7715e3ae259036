"""The raw ASGI application: reading requests, dispatch to each API version, console, test hooks.

Each API version is a folder (:mod:`xero_sandbox.v1_0`, ...) with an ``Api`` class holding
its own routes, rules, codec and errors; this module only reads the request, picks the
version by its path prefix and sends the answer (applying any scheduled fault). The store,
the fault board and the console's traffic log are shared by all versions.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
import struct
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

from . import console, identity, v1_0, v2_0, webhooks
from .faults import FaultBoard
from .http import HTML_TYPE, LOOPBACK, MAX_HEADER_BYTES, Request, Response, Upload, json_response
from .identity import Identity
from .limits import RateLimiter
from .store import Store
from .v2_0.resources import attachments

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MAX_BODY = 5 * 1024 * 1024
#: After a refused attachment, what the client still sends is dropped up to this much ...
DRAIN_BYTES = 64 * 1024 * 1024
#: ... for at most this long, before the connection closes (see SandboxApp._refuse_upload).
DRAIN_SECONDS = 10.0
#: Worker threads for calls (see SandboxApp.workers).
WORKERS = 64
log = logging.getLogger("xero_sandbox")
_json = json_response


def _head_size(scope: Scope) -> int:
    """The size of a request's line and headers as sent (near enough: separators counted)."""
    size = len(scope.get("method", "")) + len(scope.get("raw_path") or b"") + 12
    size += len(scope.get("query_string", b""))
    for name, value in scope.get("headers", []):
        size += len(name) + len(value) + 4
    return size


class _ClientGone(Exception):
    """The client went away before its whole body arrived."""


class _TooLarge(Exception):
    """An attachment's body went past the limit (*more*: the client is still sending)."""

    def __init__(self, *, more: bool) -> None:
        super().__init__("attachment over the size limit")
        self.more = more


def _declared_length(scope: Scope) -> int:
    """The request's Content-Length (0 when none or not a number)."""
    for name, value in scope.get("headers", []):
        if bytes(name).lower() == b"content-length":
            text = bytes(value).decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0
    return 0


def _disposition(file_name: str) -> bytes:
    """``Content-Disposition: attachment`` with the file's name (RFC 6266: an ASCII fallback
    and the UTF-8 name)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in file_name
    )
    return (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}".encode(
            "latin-1"
        )
    )


def _request(scope: Scope, body: bytes, upload: Upload | None = None, path: str = "") -> Request:
    """The :class:`Request` of a scope, once its body was read (or streamed to *upload*)."""
    client = scope.get("client")
    headers: dict[str, str] = {}
    repeated: set[str] = set()
    for name, value in scope.get("headers", []):
        key = bytes(name).decode("latin-1").lower()
        if key in headers:
            repeated.add(key)
        headers[key] = bytes(value).decode("latin-1")
    return Request(
        method=scope["method"].upper(),
        path=path or scope["path"],
        query_string=scope.get("query_string", b"").decode("latin-1"),
        body=body,
        client=(str(client[0]), int(client[1])) if client else None,
        headers=headers,
        repeated=frozenset(repeated),
        scheme=str(scope.get("scheme", "http")),
        upload=upload,
    )


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
        token_ttl: int = 1800,
        time_scale: float = 1.0,
        limits: bool = True,
        latency: float = 0.0,
        attachment_max_bytes: int | None = None,
    ) -> None:
        self.store = store
        self.body_timeout = body_timeout
        #: The largest attachment accepted (``--attachment-max-bytes``, else the
        #: ``XERO_SANDBOX_ATTACHMENT_MAX_BYTES`` environment variable, else 10 MB).
        self.attachment_max_bytes = attachments.max_bytes(attachment_max_bytes)
        self.faults = FaultBoard()
        self.traffic = console.TrafficLog()
        self.identity = Identity(store, token_ttl)
        self.limits = RateLimiter(time_scale=time_scale, enabled=limits)
        self.transports = transports if transports is not None else {}
        # Calls run in these threads, off the event loop: more than asyncio's default (a few
        # per core), as a call may wait for the store behind another tenant's long write
        self.workers = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="sandbox")
        self.webhooks = webhooks.Dispatcher(store, time_scale=time_scale)
        self.versions: list[v1_0.Api | v2_0.Api] = [
            v1_0.Api(store, self.faults, self.traffic),
            v2_0.Api(
                store,
                self.faults,
                self.traffic,
                self.identity,
                self.limits,
                latency,
                self.workers,
            ),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if _head_size(scope) > MAX_HEADER_BYTES:
            too_big = Response(
                431,
                b"Request header fields too large (at most 16 KiB)",
                b"text/plain",
                [(b"connection", b"close")],
            )
            await self._send(too_big, send, receive, scope)
            return
        self.webhooks.learn_base(scope)
        # an attachment's body goes to a file as it arrives, never whole into memory, and one
        # over the limit is refused from its Content-Length before any of it is read
        raw_path = bytes(scope.get("raw_path") or quote(scope["path"]).encode()).decode("latin-1")
        file_name = attachments.upload_name(scope["method"], raw_path)
        if file_name is not None and _declared_length(scope) > self.attachment_max_bytes:
            await self._refuse_upload(send, receive)
            return
        try:
            async with asyncio.timeout(self.body_timeout):
                if file_name is None:
                    request = await self._read(scope, receive)
                else:
                    request = await self._read_upload(scope, receive, raw_path, file_name)
        except TimeoutError:
            slow = Response(
                408, b"Request body too slow", b"text/plain", [(b"connection", b"close")]
            )
            await self._send(slow, send, receive, scope)
            return
        except _ClientGone:
            return
        except _TooLarge as too_large:
            await self._refuse_upload(send, receive, drain=too_large.more)
            return
        if request is None:
            await self._send(
                Response(413, b"Request body too large", b"text/plain"), send, receive, scope
            )
            return
        try:
            response = await self._dispatch(request)
        finally:
            if request.upload is not None:  # unless the handler kept it as the attachment
                request.upload.path.unlink(missing_ok=True)
        try:
            await self._send(response, send, receive, scope)
        finally:
            if response.after is not None:
                response.after()

    async def _refuse_upload(self, send: Send, receive: Receive, *, drain: bool = True) -> None:
        """Xero's 413 for an attachment over the limit, sent at once; then what the client is
        still sending is read and dropped (at most :data:`DRAIN_BYTES`, for at most
        :data:`DRAIN_SECONDS`) before the connection closes: closing a socket with unread
        bytes resets it, and a reset can destroy the answer before the client reads it."""
        refusal = attachments.too_large()
        headers = [
            (b"content-type", refusal.content_type),
            (b"content-length", str(len(refusal.body)).encode()),
            *refusal.headers,
        ]
        await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
        await send({"type": "http.response.body", "body": refusal.body, "more_body": True})
        drained = 0 if drain else DRAIN_BYTES  # nothing more to drop once the body is in
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(DRAIN_SECONDS):
                while drained < DRAIN_BYTES:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        break
                    drained += len(message.get("body", b""))
                    if not message.get("more_body", False):
                        break
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.webhooks.ensure_started()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.webhooks.stop()
                self.workers.shutdown(wait=False)  # calls in progress have been answered
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
        return _request(scope, b"".join(chunks))

    async def _read_upload(
        self, scope: Scope, receive: Receive, raw_path: str, file_name: str
    ) -> Request:
        """An attachment's body streamed to a file of the store's attachment folder (the
        file is removed unless a handler keeps it); :class:`_TooLarge` past the limit."""
        fd, path = attachments.incoming(self.store)
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise _ClientGone()  # a body cut short is not saved
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.attachment_max_bytes:
                        raise _TooLarge(more=bool(message.get("more_body", False)))
                    digest.update(chunk)
                    out.write(chunk)
                    if not message.get("more_body", False):
                        break
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        upload = Upload(path, size, digest.hexdigest(), file_name)
        return _request(scope, b"", upload, attachments.routed_path(raw_path))

    # ------------------------------------------------------------------ routing

    async def _dispatch(self, request: Request) -> Response:
        path = request.path
        for version in self.versions:
            if path.lower().startswith(version.prefix.lower()):
                return await version.handle(request)
        # the store may be busy with a long write: these wait for it in a worker thread
        if path.rstrip("/") in identity.PATHS or path.startswith(identity.CONNECTIONS_PATH + "/"):
            return await self._off_loop(self._identity, request)
        if path.startswith(webhooks.ADMIN_PREFIX):
            return await self.webhooks.admin(request)
        if path == webhooks.CONSOLE_PATH:
            page = await self.webhooks.console(request)
            return v1_0.object_moved(request) if page is None else page
        if path == console.ATTACHMENTS_PATH:
            return await self._off_loop(self._attachments, request)
        if path == console.ATTACHMENT_FILE_PATH:
            return await self._off_loop(self._attachment_file, request)
        if path == "/console":
            return await self._off_loop(self._console, request)
        if path == "/console/export":
            return await self._off_loop(self._console, request, True)
        if path == "/console/journals":
            return await self._off_loop(self._journals, request)
        if path in ("/console/documents", "/console/pdf"):
            return await self._off_loop(self._documents, request)
        if path.startswith("/_sandbox/"):
            return self._sandbox(request)
        if path.lower() == v1_0.LOGIN_PATH.lower():
            return v1_0.login_page()
        return Response(404, v1_0.NOT_FOUND_PAGE, HTML_TYPE)

    async def _off_loop(self, work: Callable[..., Response], *args: Any) -> Response:
        """*work* in one of the worker threads (the store may be busy with a long write)."""
        return await asyncio.get_running_loop().run_in_executor(self.workers, work, *args)

    def _identity(self, request: Request) -> Response:
        """The identity server's paths, and the tenantless ``GET /connections``."""
        path = request.path.rstrip("/")
        prefix, _, connection = path.partition(identity.CONNECTIONS_PATH + "/")
        listing = path == identity.CONNECTIONS_PATH and request.method == "GET"
        removal = not prefix and "/" not in connection and bool(connection)
        if listing or removal:
            row, detail = self.identity.bearer(request)
            if row is None:
                response = identity.unauthorized(detail)
                client_id = ""
            elif removal and request.method != "DELETE":
                response = json_response(
                    405, {"error": f"{request.method} is not allowed on {request.path}"}
                )
                client_id = str(row["client_id"])
            else:
                client_id = str(row["client_id"])
                decision = self.limits.acquire(client_id, None)
                response = (
                    (
                        self.identity.disconnect(row, connection)
                        if removal
                        else self.identity.connections(row)
                    )
                    if decision.allowed
                    else identity.too_many(decision.problem)
                )
                response.headers += decision.headers
        else:
            response = self.identity.handle(request)
            client_id = identity.client_of(request)
            if not identity.proven(self.store, request, response, client_id):
                # anyone can name a client id: an exchange that did not prove it is that
                # app's (its secret, or a grant the server accepted) stays out of the app's
                # console, so no one can write into another partner's console
                client_id = ""
        app = self.store.app(client_id) if client_id else None
        if app is not None:
            self.traffic.record_oauth(
                app.partner_key, request, response, self.store.all_keys(), self.store.is_token
            )
        return response

    def _console(self, request: Request, as_json: bool = False) -> Response:
        api_key = request.query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        if provider is None:
            return v1_0.object_moved(request)
        if as_json:
            body = console.export(provider, self.traffic.recent(api_key)).encode()
            headers = [(b"cache-control", b"no-store")]
            return Response(200, body, b"application/json; charset=utf-8", headers)
        page = console.render(provider, self.traffic.recent(api_key), webhooks.CONSOLE_PATH)
        return Response(200, page.encode(), HTML_TYPE, [(b"cache-control", b"no-store")])

    def _attachments(self, request: Request) -> Response:
        """The console's attachments page: the files of the partner's organisations."""
        api_key = request.query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        if provider is None:
            return v1_0.object_moved(request)
        books = []
        with self.store.read():
            for org in self.store.orgs_of_partner(api_key):
                documents = [
                    console.AttachedDocument(
                        resource=attachments.PARENTS[word].name,
                        resource_word=word,
                        record_id=record_id,
                        label=label,
                        files=[
                            console.AttachedFile(
                                f.attachment_id, f.file_name, f.mime_type, f.size, f.include_online
                            )
                            for f in files
                        ],
                        has_pdf=self._pdf_handler(word) is not None,
                    )
                    for word, record_id, label, files in attachments.documents_with_attachments(
                        self.store, org.org_id
                    )
                ]
                books.append((org.name, org.tenant_id, documents))
        page = console.render_attachments(provider, books)
        return Response(200, page.encode(), HTML_TYPE, [(b"cache-control", b"no-store")])

    def _attachment_file(self, request: Request) -> Response:
        """A file of the attachments page, as a download (never shown inline: an uploaded
        HTML file must not run in the console's origin)."""
        api_key = request.query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        if provider is None:
            return v1_0.object_moved(request)
        wanted = request.query.get("attachment", "")
        with self.store.read():
            for org in self.store.orgs_of_partner(api_key):
                found = attachments.attachment_by_id(self.store, org.org_id, wanted)
                if found is not None:
                    response = attachments.download(self.store, found)
                    response.headers += [
                        (b"content-disposition", _disposition(found.file_name)),
                        (b"x-content-type-options", b"nosniff"),
                        (b"content-security-policy", b"sandbox"),
                        (b"cache-control", b"no-store"),
                    ]
                    return response
        return Response(404, v1_0.NOT_FOUND_PAGE, HTML_TYPE)

    def _pdf_handler(self, word: str) -> Any:
        """The 2.0 handler of ``GET {R}/{id}/pdf``, once the sandbox renders PDFs of *word*."""
        found = v2_0.service.ROUTES.get(("GET", word, 3, "pdf"))
        return None if found is None else found[0]

    def _journals(self, request: Request) -> Response:
        """The console's journals page: the books of the partner's organisations."""
        from . import ledger

        api_key = request.query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        if provider is None:
            return v1_0.object_moved(request)
        with self.store.read():
            books = [
                (org.name, ledger.journals(self.store, org.org_id)[::-1][: console.JOURNALS_SHOWN])
                for org in self.store.orgs_of_partner(api_key)
            ]
        page = console.render_journals(provider, books, api_key)
        return Response(200, page.encode(), HTML_TYPE, [(b"cache-control", b"no-store")])

    def _documents(self, request: Request) -> Response:
        """The console's documents page (PDF links, invoices emailed) and the PDFs it links."""
        from .v2_0.resources import documents

        api_key = request.query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        if provider is None:
            return v1_0.object_moved(request)
        with self.store.read():
            orgs = self.store.orgs_of_partner(api_key)
            if request.path == "/console/pdf":
                tenant = request.query.get("tenant", "").lower()
                org = next((o for o in orgs if o.tenant_id == tenant), None)
                found = (
                    None
                    if org is None
                    else documents.console_pdf(
                        self.store,
                        org,
                        provider,
                        request.query.get("resource", ""),
                        request.query.get("id", ""),
                    )
                )
                if found is None:
                    return Response(404, v1_0.NOT_FOUND_PAGE, HTML_TYPE)
                return Response(200, found, b"application/pdf", [(b"cache-control", b"no-store")])
            books = [
                (
                    org.name,
                    org.tenant_id,
                    documents.printables(self.store, org.org_id),
                    documents.emails_of(self.store, org.org_id),
                )
                for org in orgs
            ]
        page = console.render_documents(provider, books, api_key)
        return Response(200, page.encode(), HTML_TYPE, [(b"cache-control", b"no-store")])

    def _sandbox(self, request: Request) -> Response:
        if request.client is None or request.client[0] not in LOOPBACK:
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
        if route == ("POST", "/_sandbox/limits"):
            try:
                spec = json.loads(request.body or b"{}")
                if not isinstance(spec, dict):
                    raise ValueError("a JSON object is expected")
                used = {k: spec.get(k) for k in ("minute", "day")}
                if not all(v is None or (isinstance(v, int) and v >= 0) for v in used.values()):
                    raise ValueError("minute and day must be whole numbers >= 0")
                self.limits.use(
                    str(spec["client_id"]),
                    str(spec["tenant_id"]),
                    minute=used["minute"],
                    day=used["day"],
                )
            except KeyError as exc:
                return _json(400, {"error": f"{exc.args[0]} is required"})
            except (ValueError, TypeError, RecursionError) as exc:
                return _json(400, {"error": str(exc)})
            return _json(200, {"set": True})
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
        if response.file is not None:
            try:
                await self._send_file(response, send, receive, scope)
            finally:
                response.file.close()
            return
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

    async def _send_file(
        self, response: Response, send: Send, receive: Receive, scope: Scope
    ) -> None:
        """A body read from a file chunk by chunk (faults cut it as they cut other bodies)."""
        assert response.file is not None
        fault = response.fault
        size = response.file.size
        if fault is not None and fault.kind == "truncate":
            size = max(1, size // 2) if size else 0
        headers = [
            (b"content-type", response.content_type),
            (b"content-length", str(size).encode()),
            *response.headers,
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        reset = fault is not None and fault.kind == "reset"
        for chunk in response.file.chunks(size // 2 if reset else size):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if reset:
            await self._abort(scope, receive)
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})

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
