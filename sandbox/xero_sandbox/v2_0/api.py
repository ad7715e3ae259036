"""API 2.0 over HTTP: ``/api.xro/2.0/...`` with a bearer token and a ``xero-tenant-id``.

Each request goes through, in order: the bearer token (401 JSON problem, ``TokenExpired`` or
``AuthenticationUnsuccessful``, with ``WWW-Authenticate``), the tenant (403 JSON unless the
token is connected to it), the rate limits of the app and tenant (429 with
``X-Rate-Limit-Problem`` and ``Retry-After``; the limit headers go on every answer), any
scheduled fault (a plain-text 503 or a 429 before processing; delays, resets and cut bodies
after it), the route (404 ``text/html``), the token's scopes (403 JSON), the
``Idempotency-Key`` of a PUT/POST (a replay of the stored answer, or 400 for another request
under the same key) and finally the handler, a write inside one store transaction that also
keeps the answer for replays.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from concurrent.futures import Executor

from .. import console
from ..faults import Fault, FaultBoard
from ..http import HTML_TYPE, TEXT_TYPE, XML_TYPE, Request, Response
from ..identity import Identity, forbidden, too_many, unauthorized
from ..limits import RateLimiter
from ..store import App, Org, Store
from . import codec
from .errors import IDEMPOTENCY, ApiError
from .resources import attachments
from .service import RESOURCES, Answer, Call, Handler, NotFound, Service, route

PREFIX = "/api.xro/2.0/"
NOT_FOUND_TEXT = b"The resource you're looking for cannot be found"
MAX_IDEMPOTENCY_KEY = 128
log = logging.getLogger("xero_sandbox")


def not_found() -> Response:
    """2.0's 404: plain words as text/html."""
    return Response(404, NOT_FOUND_TEXT, HTML_TYPE)


def early_fault(fault: Fault) -> Response:
    """A scheduled 503 (plain text, as Xero's maintenance answer) or 429."""
    retry = [(b"retry-after", str(fault.retry_after).encode())]
    if fault.kind == "503":
        return Response(503, b"The Xero API is currently offline for maintenance", TEXT_TYPE, retry)
    return Response(
        429, b"Rate limit exceeded", TEXT_TYPE, [*retry, (b"x-rate-limit-problem", b"minute")]
    )


def _scope_ok(granted: set[str], family: str, method: str) -> bool:
    if family in granted:
        return True
    return method == "GET" and f"{family}.read" in granted


class Api:
    """The 2.0 routes, rules, codec and errors over the shared store, identity and limits."""

    prefix = PREFIX

    def __init__(
        self,
        store: Store,
        faults: FaultBoard,
        traffic: console.TrafficLog,
        identity: Identity,
        limits: RateLimiter,
        latency: float = 0.0,
        workers: Executor | None = None,
    ) -> None:
        self.store = store
        self.workers = workers
        self.latency = latency
        self.faults = faults
        self.traffic = traffic
        self.identity = identity
        self.limits = limits
        self.service = Service(store)

    async def handle(self, request: Request) -> Response:
        """Answer one ``/api.xro/2.0/...`` request.

        All of it runs off the event loop, in a worker thread: a long call (a 5 MB batch)
        must not hold up other tenants' calls, the identity server or the console. The
        store still runs one write at a time; on a file, reads run beside it."""
        response = await asyncio.get_running_loop().run_in_executor(
            self.workers, self._handle, request
        )
        if self.latency and response.after is not None:  # an admitted call takes time
            await asyncio.sleep(self.latency)
        return response

    def _handle(self, request: Request) -> Response:
        segments = [s for s in request.path[len(PREFIX) :].split("/") if s]
        resource = segments[0].lower() if segments else ""
        endpoint = f"2.0/{resource}"
        self.faults.count(request.method, endpoint)
        with self.store.read():
            row, detail = self.identity.bearer(request)
            app = self.store.app(str(row["client_id"])) if row is not None else None
            tenant = request.headers.get("xero-tenant-id", "").strip().lower()
            org = self.store.org_by_tenant(tenant) if tenant and row is not None else None
        if row is None:
            return unauthorized(detail)
        if "xero-tenant-id" in request.repeated:
            # two tenant headers name no one tenant: refused, never the last one taken
            # (inferred: answered as a wrong tenant header is, 403)
            response = forbidden()
        elif app is None or org is None or tenant not in row["tenants"]:
            response = forbidden()
        else:
            response = self._limited(request, segments, resource, endpoint, row, app, org)
        if app is not None:
            with self.store.read():
                self.traffic.record_oauth(
                    app.partner_key, request, response, self.store.all_keys(), self.store.is_token
                )
        return response

    def _limited(
        self,
        request: Request,
        segments: list[str],
        resource: str,
        endpoint: str,
        row: dict[str, object],
        app: App,
        org: Org,
    ) -> Response:
        decision = self.limits.acquire(app.client_id, org.tenant_id)
        if not decision.allowed:
            response = too_many(decision.problem)
            response.headers += decision.headers
            return response
        try:
            fault = self.faults.take(request.method, endpoint) if resource in RESOURCES else None
            if fault is not None and fault.kind in ("503", "429"):
                response = early_fault(fault)
            else:
                response = self._call(request, segments, row, app, org)
                response.fault = fault
        except BaseException:
            self.limits.release(app.client_id, org.tenant_id)
            raise
        response.headers += decision.headers
        response.after = lambda: self.limits.release(app.client_id, org.tenant_id)
        return response

    def _call(
        self,
        request: Request,
        segments: list[str],
        row: dict[str, object],
        app: object,
        org: object,
    ) -> Response:
        from ..store import App, Org

        assert isinstance(app, App) and isinstance(org, Org)
        found = route(request.method, segments)
        if found is None:
            return not_found()
        handler, family = found
        granted = set(str(row["scope"]).split())
        if not _scope_ok(granted, family, request.method):
            needed = family if request.method != "GET" else f"{family} or {family}.read"
            return forbidden(f"AuthorizationUnsuccessful: the token lacks the scope {needed}")
        call = Call(
            request.method,
            segments,
            request.query,
            request.headers,
            request.body,
            org,
            app,
            app.name,
            upload=request.upload,
            root_url=f"{request.scheme}://{request.headers.get('host', 'localhost')}",
        )
        if request.method in ("PUT", "POST") and request.body.strip():
            self.service.reader.read_ahead(request.body)  # outside the store's lock
        key = request.headers.get("idempotency-key")
        if request.method in ("PUT", "POST") and key is not None:
            return self._idempotent(request, call, handler, key)
        try:
            if request.method == "GET":
                with self.store.read():
                    self.service.begin()
                    answer = handler(self.service, call)
                    if len(segments) == 2 and isinstance(answer, Answer):
                        attachments.include_in_record(self.service, call, answer.root)
                    return self._respond(answer)
            with self.store.write():
                self.service.begin()
                return self._respond(handler(self.service, call))
        except ApiError as exc:
            return self._error(exc)
        except NotFound:
            return not_found()
        except Exception as exc:  # a bug must still answer as Xero's 500 does
            log.exception("unexpected error in %s %s", request.method, request.path)
            return Response(500, f"An error occurred: {type(exc).__name__}".encode(), TEXT_TYPE)

    @staticmethod
    def _answer(answer: Answer) -> Response:
        if answer.status == 204:  # a DELETE Xero answers with no body
            return Response(204, b"", XML_TYPE)
        if answer.content is not None:  # a PDF or a file, as it is
            kind = (answer.content_type or "application/octet-stream").encode("latin-1")
            return Response(answer.status, answer.content, kind)
        return Response(answer.status, codec.to_bytes(answer.root), XML_TYPE)

    @classmethod
    def _respond(cls, answer: Answer | Response) -> Response:
        """A handler's answer as sent: raw bytes as they are (a downloaded attachment, sent
        from its file), an XML answer through :meth:`_answer`."""
        return answer if isinstance(answer, Response) else cls._answer(answer)

    @staticmethod
    def _error(exc: ApiError) -> Response:
        return Response(exc.status, codec.to_bytes(codec.api_exception(exc)), XML_TYPE)

    def _idempotent(self, request: Request, call: Call, handler: Handler, key: str) -> Response:
        """Same key and same request: the stored answer again, nothing written; same key and
        another request (another method, path, query or body): 400."""
        if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY or not key.isascii():
            return self._error(
                ApiError(
                    IDEMPOTENCY,
                    f"The Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} ASCII characters.",
                )
            )
        fingerprint = hashlib.sha256(
            b"\0".join(
                [
                    request.method.encode(),
                    request.path.encode(),
                    request.query_string.encode(),
                    request.body,
                    # a streamed body (an attachment) by its digest
                    request.upload.sha256.encode() if request.upload is not None else b"",
                ]
            )
        ).hexdigest()
        tenant = call.org.tenant_id
        try:
            with self.store.write():
                self.service.begin()
                stored = self.store.idempotent_answer(call.app.client_id, tenant, key)
                if stored is not None:
                    if stored[0] != fingerprint:
                        raise ApiError(
                            IDEMPOTENCY,
                            "The Idempotency-Key was already used for another request.",
                        )
                    return Response(
                        stored[1], stored[2], XML_TYPE, [(b"idempotent-replayed", b"true")]
                    )
                try:
                    response = self._respond(handler(self.service, call))
                except ApiError as exc:
                    response = self._error(exc)
                except NotFound:
                    return not_found()
                self.store.save_idempotent_answer(
                    call.app.client_id, tenant, key, fingerprint, response.status, response.body
                )
                return response
        except ApiError as exc:
            return self._error(exc)
