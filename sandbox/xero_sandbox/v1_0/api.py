"""API 1.0 over HTTP: ``/api.xro/1.0/...`` with the partner and customer keys in the query.

A bad ``apiKey`` gets Xero's HTML "Object moved" 302 to ``/Login.xro/Login``; a bad
``xeroKey`` the AuthKeyNotValidForProviderException envelope; every other error the 1.0
envelope with HTTP 500 (or the status its :class:`~.errors.ApiError` names).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import quote

from .. import console
from ..faults import Fault, FaultBoard
from ..http import HTML_TYPE, Request, Response
from ..store import Store
from . import codec
from .errors import AUTH_KEY, METHOD_NOT_ALLOWED, ApiError
from .service import ENDPOINTS, ROUTES, Call, Service

PREFIX = "/api.xro/1.0/"
LOGIN_PATH = "/Login.xro/Login"
NOT_FOUND_PAGE = b"<html><body><h1>404 - Not Found</h1></body></html>"
log = logging.getLogger("xero_sandbox")


def object_moved(request: Request) -> Response:
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


def login_page() -> Response:
    """The page the 302 points at."""
    body = (
        b"<!DOCTYPE html><html><head><title>Login</title></head><body><h1>Xero sandbox login</h1>"
        b"<p>The partner key (apiKey) of the request was not valid.</p></body></html>"
    )
    return Response(200, body, HTML_TYPE)


def early_fault(fault: Fault) -> Response:
    """A scheduled 503 or 429, answered before the request is processed."""
    retry = [(b"retry-after", str(fault.retry_after).encode())]
    if fault.kind == "503":
        body = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
        return Response(503, body, HTML_TYPE, retry)
    body = b"<html><body><h1>429 Too Many Requests</h1></body></html>"
    return Response(429, body, HTML_TYPE, retry)


class Api:
    """The 1.0 routes, rules, codec and errors over the shared store."""

    prefix = PREFIX

    def __init__(self, store: Store, faults: FaultBoard, traffic: console.TrafficLog) -> None:
        self.store = store
        self.faults = faults
        self.traffic = traffic
        self.service = Service(store, codec.RequestValidator())

    async def handle(self, request: Request) -> Response:
        """Answer one ``/api.xro/1.0/...`` request."""
        endpoint = request.path[len(PREFIX) :].strip("/").lower()
        query = request.query
        self.faults.count(request.method, endpoint)
        api_key = query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        fault = self.faults.take(request.method, endpoint) if endpoint in ENDPOINTS else None
        if fault is not None and fault.kind in ("503", "429"):
            response = early_fault(fault)
        elif provider is None:
            response = object_moved(request)
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
                return Response(404, NOT_FOUND_PAGE, HTML_TYPE)
            if (request.method, endpoint) not in ROUTES:
                allowed = ", ".join(sorted(m for m, e in ROUTES if e == endpoint))
                raise ApiError(
                    METHOD_NOT_ALLOWED,
                    f"{request.method} is not allowed on {endpoint}; use {allowed}.",
                    http_status=405,
                )
            call = Call(request.method, endpoint, query, request.body, org, provider)
            root = self.service.handle(call)
            return Response(200, codec.to_bytes(root))
        except ApiError as exc:
            return Response(
                exc.http_status, codec.to_bytes(codec.error_envelope(exc, provider, now))
            )
        except Exception as exc:  # a bug must still answer in the envelope
            log.exception("unexpected error in %s %s", request.method, endpoint)
            error = ApiError(
                "System.Exception", f"An unexpected error occurred: {type(exc).__name__}"
            )
            return Response(500, codec.to_bytes(codec.error_envelope(error, provider, now)))
