"""Receiving Xero's webhooks: signatures, typed events, and the whole receiving rule.

Import it as ``xero_customer_api.webhooks`` (standard library only: no extra to install).

Xero POSTs a JSON payload of events to the app's URL, signed with the webhook's signing key:
the header ``x-xero-signature`` is the Base64 of HMAC-SHA256(key, raw request body). A
receiver must:

- check the signature over the *raw* bytes of the body, in constant time (JSON decoded and
  encoded again does not hash the same), and answer **401** with an empty body when it is
  missing or wrong;
- answer **200** with an empty body (and no cookies) within **5 seconds** otherwise;
- answer Xero's "intent to receive" check the same way: when a webhook is created,
  re-enabled or its URL changed, Xero sends payloads with no events, some signed with the
  wrong key on purpose, and enables the webhook only if every good one gets 200 and every bad
  one 401;
- tolerate repeated deliveries (a delivery that failed or timed out is sent again) and do the
  work later, not inside the request: events carry no data, only what changed
  (:attr:`WebhookEvent.resource_url`), to be fetched with the SDK by a worker.

:func:`handle` is that rule in one framework-neutral call; :func:`asgi_app` and
:func:`wsgi_app` wrap it as applications to mount in Starlette, FastAPI, Flask, Django or
any ASGI/WSGI server. :func:`parse` and :func:`verify_signature` are the pieces.

Errors are in the SDK's tree: :class:`WebhookError` (a :class:`XeroError`) and its
:class:`WebhookSignatureError` and :class:`WebhookPayloadError`. No message ever shows the
signing key or the signatures.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import inspect
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple, TypeAlias

from ._errors import XeroError

__all__ = [
    "MAX_BODY",
    "SIGNATURE_HEADER",
    "EventCategory",
    "EventType",
    "Headers",
    "OnEvents",
    "TenantType",
    "WebhookApp",
    "WebhookError",
    "WebhookEvent",
    "WebhookEventData",
    "WebhookPayload",
    "WebhookPayloadError",
    "WebhookResponse",
    "WebhookSignatureError",
    "asgi_app",
    "decode_payload",
    "handle",
    "header",
    "parse",
    "sign",
    "verify_signature",
    "wsgi_app",
]

log = logging.getLogger("xero_customer_api.webhooks")

SIGNATURE_HEADER = "x-xero-signature"
"""The request header carrying the payload's signature (header names are case-blind)."""

MAX_BODY = 16 * 1024 * 1024
"""Largest body :func:`asgi_app` and :func:`wsgi_app` read (413 beyond): Xero's payloads are
a few kilobytes; this only stops a client from filling the memory."""

Headers: TypeAlias = Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]]
"""Request headers as a mapping (``request.headers`` of Starlette, Flask or Django) or as
pairs (ASGI's ``scope["headers"]``)."""


# ----------------------------------------------------------------------------- errors


class WebhookError(XeroError):
    """A webhook could not be received: base of the errors of this module.

    Raised as itself for a misuse that no request can cause (an empty signing key, a body
    given as text instead of bytes).
    """


class WebhookSignatureError(WebhookError):
    """The ``x-xero-signature`` header is missing or does not match the body and the key:
    the request is not from Xero (or the key is another webhook's). Answer 401.

    Attributes:
        missing: True when the request had no signature at all.
    """

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


class WebhookPayloadError(WebhookError, ValueError):
    """The body is correctly signed but is not a payload of Xero's shape (not JSON, a
    required field missing or of the wrong type, an unreadable date). The message names the
    field (``events[0].eventDateUtc``).

    Attributes:
        field: Where the problem is, as a path into the JSON; ``""`` for the whole body.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ----------------------------------------------------------------------------- the events


class EventCategory(StrEnum):
    """The ``eventCategory`` values Xero documents (compare with ``==``; the field of
    :class:`WebhookEvent` is a plain ``str``, so categories Xero adds later are kept)."""

    CONTACT = "CONTACT"
    INVOICE = "INVOICE"
    CREDITNOTE = "CREDITNOTE"
    SUBSCRIPTION = "SUBSCRIPTION"


class EventType(StrEnum):
    """The ``eventType`` values Xero documents (archiving is an ``UPDATE``)."""

    CREATE = "CREATE"
    UPDATE = "UPDATE"


class TenantType(StrEnum):
    """The ``tenantType`` values: an organisation, or the app itself (subscription events)."""

    ORGANISATION = "ORGANISATION"
    APPLICATION = "APPLICATION"


@dataclass(frozen=True, slots=True)
class WebhookEventData:
    """The ``data`` block some events carry (credit notes: the note's type and status)."""

    type: str | None
    """``Type``: ``ACCPAYCREDIT`` or ``ACCRECCREDIT`` for a credit note; None when absent."""
    status: str | None
    """``Status``: ``DRAFT``, ``SUBMITTED``, ``AUTHORISED``, ``PAID``, ``VOIDED``,
    ``DELETED``; None when absent."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The block as received, other fields included."""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One change Xero announces: what changed, where and when (never the data: fetch
    :attr:`resource_url`, or the record by :attr:`resource_id` with the SDK).

    ``event_type``, ``event_category`` and ``tenant_type`` are upper-cased (Xero's own
    examples once sent ``"Update"``); values Xero adds later are kept as they come.
    """

    resource_url: str
    """The URL of the changed record (``https://api.xero.com/api.xro/2.0/Contacts/{id}``)."""
    resource_id: str
    """The changed record's id (a ContactID, InvoiceID, CreditNoteID ...)."""
    event_date_utc: datetime.datetime
    """When it happened, timezone-aware in UTC (Xero sends it without a zone)."""
    event_type: str
    """``CREATE`` or ``UPDATE`` (see :class:`EventType`)."""
    event_category: str
    """``CONTACT``, ``INVOICE``, ``CREDITNOTE``, ``SUBSCRIPTION`` (see :class:`EventCategory`)."""
    tenant_id: str
    """The organisation (its tenant id) or, for subscription events, the app."""
    tenant_type: str
    """``ORGANISATION`` or ``APPLICATION`` (see :class:`TenantType`)."""
    data: WebhookEventData | None = None
    """The extra block of credit-note events (``Type``, ``Status``); None for the others."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The event as received, fields Xero may add included."""

    @property
    def dedupe_key(self) -> tuple[str, str, str]:
        """(tenant id, resource id, event date as ISO 8601): the same for every delivery of
        this event, so a receiver can skip repeats (e.g. ``SET key NX`` in Redis)."""
        return (self.tenant_id, self.resource_id, self.event_date_utc.isoformat())


@dataclass(frozen=True, slots=True)
class WebhookPayload:
    """One delivery: a batch of events with its sequence numbers."""

    events: tuple[WebhookEvent, ...]
    """The events, in Xero's order; empty for the intent-to-receive check."""
    first_event_sequence: int
    """Sequence number of the first event (0 in the intent-to-receive check)."""
    last_event_sequence: int
    """Sequence number of the last event."""
    entropy: str
    """A random string Xero adds to every payload."""

    @property
    def is_intent_to_receive(self) -> bool:
        """True for Xero's intent-to-receive check: a payload with no events (answer 200;
        :func:`handle` does)."""
        return not self.events


# ----------------------------------------------------------------------------- signatures


def _key_bytes(key: str | bytes) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes | bytearray) or not key:
        raise WebhookError(
            "the webhook signing key is empty: give the key shown for the webhook"
            " (Xero's developer portal, or `xero-sandbox webhooks add`)"
        )
    return bytes(key)


def _body_bytes(body: object) -> bytes:
    if isinstance(body, str):
        raise WebhookError(
            "the webhook body must be the raw request bytes, not text: a decoded and"
            " re-encoded body may not hash the same (e.g. Starlette `await request.body()`,"
            " Flask `request.get_data()`, Django `request.body`)"
        )
    if not isinstance(body, bytes | bytearray | memoryview):
        raise WebhookError(f"the webhook body must be bytes, not {type(body).__name__}")
    return bytes(body)


def sign(body: bytes, key: str | bytes) -> str:
    """The ``x-xero-signature`` Xero sends with *body*: Base64(HMAC-SHA256(key, body)).

    For tests of a receiver (send it a payload as Xero would).

    Raises:
        WebhookError: The key is empty, or the body is not bytes.
    """
    digest = hmac.new(_key_bytes(key), _body_bytes(body), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(body: bytes, signature: str | None, key: str | bytes) -> bool:
    """True when *signature* is the Base64 HMAC-SHA256 of the raw *body* with *key*.

    The comparison takes the same time wherever the signatures differ
    (:func:`hmac.compare_digest`). A missing (None or blank) or malformed signature is
    False.

    Raises:
        WebhookError: The key is empty, or the body is not bytes (pass the raw request body).
    """
    expected = sign(body, key)
    if not isinstance(signature, str):
        return False
    given = signature.strip()
    if not given:
        return False
    try:
        raw = base64.b64decode(given.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return False
    return hmac.compare_digest(raw, base64.b64decode(expected))


# ----------------------------------------------------------------------------- parsing

_FRACTION = re.compile(r"(\.\d{6})\d+")


def _str(obj: Mapping[str, Any], name: str, where: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not value.strip():
        what = "missing" if value is None else "not a non-empty string"
        raise WebhookPayloadError(f"{where}{name} is {what}", field=f"{where}{name}")
    return value.strip()


def _int(obj: Mapping[str, Any], name: str) -> int:
    value = obj.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        what = "missing" if value is None else "not a whole number"
        raise WebhookPayloadError(f"{name} is {what}", field=name)
    return value


def _date(text: str, where: str) -> datetime.datetime:
    cleaned = _FRACTION.sub(r"\1", text.strip())  # .NET sends up to 7 digits; Python reads 6
    try:
        value = datetime.datetime.fromisoformat(cleaned)
    except ValueError:
        raise WebhookPayloadError(
            f"{where}eventDateUtc is not an ISO 8601 date-time: {text[:40]!r}",
            field=f"{where}eventDateUtc",
        ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)  # Xero's dates are UTC, sent without a zone
    return value.astimezone(datetime.UTC)


def _event(obj: object, index: int) -> WebhookEvent:
    where = f"events[{index}]."
    if not isinstance(obj, dict):
        raise WebhookPayloadError(f"events[{index}] is not an object", field=f"events[{index}]")
    data = obj.get("data")
    block: WebhookEventData | None = None
    if data is not None:
        if not isinstance(data, dict):
            raise WebhookPayloadError(f"{where}data is not an object", field=f"{where}data")
        kind, status = data.get("Type"), data.get("Status")
        block = WebhookEventData(
            type=kind.upper() if isinstance(kind, str) else None,
            status=status.upper() if isinstance(status, str) else None,
            raw=dict(data),
        )
    return WebhookEvent(
        resource_url=_str(obj, "resourceUrl", where),
        resource_id=_str(obj, "resourceId", where),
        event_date_utc=_date(_str(obj, "eventDateUtc", where), where),
        event_type=_str(obj, "eventType", where).upper(),
        event_category=_str(obj, "eventCategory", where).upper(),
        tenant_id=_str(obj, "tenantId", where),
        tenant_type=_str(obj, "tenantType", where).upper(),
        data=block,
        raw=dict(obj),
    )


def decode_payload(body: bytes) -> WebhookPayload:
    """The payload in *body*, without checking any signature (use :func:`parse`).

    Raises:
        WebhookPayloadError: Not a payload of Xero's shape; the message names the field.
    """
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WebhookPayloadError("the body is not JSON") from None
    if not isinstance(document, dict):
        raise WebhookPayloadError("the body is not a JSON object")
    events = document.get("events")
    if not isinstance(events, list):
        what = "missing" if events is None else "not a list"
        raise WebhookPayloadError(f"events is {what}", field="events")
    entropy = document.get("entropy")
    if not isinstance(entropy, str):
        what = "missing" if entropy is None else "not a string"
        raise WebhookPayloadError(f"entropy is {what}", field="entropy")
    return WebhookPayload(
        events=tuple(_event(e, i) for i, e in enumerate(events)),
        first_event_sequence=_int(document, "firstEventSequence"),
        last_event_sequence=_int(document, "lastEventSequence"),
        entropy=entropy,
    )


def parse(body: bytes, signature: str | None, key: str | bytes) -> WebhookPayload:
    """Verify *signature* over the raw *body*, then decode the payload.

    Args:
        body: The request body exactly as received (bytes, never decoded JSON).
        signature: The ``x-xero-signature`` header; None when the request had none.
        key: The webhook's signing key.

    Returns:
        The typed payload; its ``events`` are empty for the intent-to-receive check.

    Raises:
        WebhookSignatureError: The signature is missing or wrong (answer 401).
        WebhookPayloadError: Correctly signed, but not a payload of Xero's shape.
        WebhookError: The key is empty, or the body is not bytes.
    """
    if signature is None or not str(signature).strip():
        _key_bytes(key)
        _body_bytes(body)
        raise WebhookSignatureError(
            f"the request has no {SIGNATURE_HEADER} header: it is not from Xero", missing=True
        )
    if not verify_signature(body, signature, key):
        raise WebhookSignatureError(
            f"the {SIGNATURE_HEADER} header does not match the body: the request is not from"
            " Xero, the body was changed (hash the raw bytes, not re-encoded JSON), or the key"
            " is another webhook's"
        )
    return decode_payload(_body_bytes(body))


# ----------------------------------------------------------------------------- receiving


class WebhookResponse(NamedTuple):
    """What to answer Xero: unpacks as ``status, headers, body``."""

    status: int
    """200 (received, or the intent-to-receive check passed), 401 (bad or missing
    signature), 400 (signed but unreadable) or 500 (``on_events`` failed: Xero sends it
    again later)."""
    headers: list[tuple[str, str]]
    """Headers to send (none: Xero wants no body and no cookies)."""
    body: bytes
    """Always empty."""


OnEvents: TypeAlias = Callable[[WebhookPayload], object]
"""Called with each verified payload that has events; queue them and return quickly."""


def header(headers: Headers, name: str = SIGNATURE_HEADER) -> str | None:
    """The value of the header *name* (case-blind) in a mapping or in (name, value) pairs."""
    wanted = name.lower()
    items: Iterable[tuple[Any, Any]]
    items = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in items:
        text = key.decode("latin-1") if isinstance(key, bytes | bytearray) else str(key)
        if text.lower() == wanted:
            return value.decode("latin-1") if isinstance(value, bytes | bytearray) else str(value)
    return None


def _verdict(body: bytes, headers: Headers, key: str | bytes) -> WebhookResponse | WebhookPayload:
    """The answer for a request that must not reach ``on_events``, else its payload."""
    try:
        payload = parse(body, header(headers), key)
    except WebhookSignatureError as exc:
        log.info("webhook refused (401): %s", exc)
        return WebhookResponse(401, [], b"")
    except WebhookPayloadError as exc:
        log.error("webhook payload unreadable (400): %s", exc)
        return WebhookResponse(400, [], b"")
    if payload.is_intent_to_receive:
        return WebhookResponse(200, [], b"")
    return payload


def handle(body: bytes, headers: Headers, key: str | bytes, on_events: OnEvents) -> WebhookResponse:
    """The whole receiving rule, for any web framework: what to answer to one request.

    - no or a wrong ``x-xero-signature``: 401, and ``on_events`` is not called;
    - the intent-to-receive check (a correctly signed payload without events): 200;
    - a correctly signed payload with events: ``on_events(payload)``, then 200. Queue the
      events there and return: Xero waits 5 seconds at most. If it raises, the answer is
      500 (logged), and Xero delivers the payload again later;
    - correctly signed but not a payload (never seen from Xero): 400, logged.

    Every answer has an empty body and no headers. Send the status as it is.

    Args:
        body: The raw request body (bytes exactly as received).
        headers: The request headers (a mapping, case-blind, or (name, value) pairs).
        key: The webhook's signing key.
        on_events: Called with each verified payload that has events.

    Returns:
        ``(status, headers, body)`` as a :class:`WebhookResponse`.

    Raises:
        WebhookError: The key is empty, or the body is not bytes (a programming error, never
            caused by the request).
    """
    verdict = _verdict(body, headers, key)
    if isinstance(verdict, WebhookResponse):
        return verdict
    try:
        result = on_events(verdict)
        if inspect.isawaitable(result):
            _close(result)
            raise WebhookError("on_events returned an awaitable: use asgi_app for async callbacks")
    except Exception:
        log.exception("webhook on_events failed (500; Xero will deliver it again)")
        return WebhookResponse(500, [], b"")
    return WebhookResponse(200, [], b"")


def _close(result: object) -> None:
    close = getattr(result, "close", None)
    if callable(close):
        close()


# ----------------------------------------------------------------------------- adapters

_Scope = Mapping[str, Any]
_Receive = Callable[[], Awaitable[Mapping[str, Any]]]
_Send = Callable[[dict[str, Any]], Awaitable[None]]


class WebhookApp:
    """The ASGI application :func:`asgi_app` returns (an object, not a function, so that
    Starlette's ``Route`` and ``Mount`` serve it as an ASGI app)."""

    def __init__(
        self, key: str | bytes, on_events: Callable[[WebhookPayload], object], max_body: int
    ) -> None:
        _key_bytes(key)
        self._key = key
        self._on_events = on_events
        self._max_body = max_body

    def __repr__(self) -> str:
        return f"WebhookApp(on_events={self._on_events!r})"  # never the key

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        """Answer one request (``http`` scopes; ``lifespan`` is acknowledged when served
        alone; anything else is ignored)."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                kind = message["type"]
                if kind in ("lifespan.startup", "lifespan.shutdown"):
                    await send({"type": f"{kind}.complete"})
                if kind == "lifespan.shutdown":
                    return
        if scope["type"] != "http":
            return
        if str(scope.get("method", "")).upper() != "POST":
            await _asgi_send(send, WebhookResponse(405, [("allow", "POST")], b""))
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = bytes(message.get("body", b""))
            size += len(chunk)
            if size > self._max_body:
                await _asgi_send(send, WebhookResponse(413, [], b""))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        verdict = _verdict(b"".join(chunks), scope.get("headers", ()), self._key)
        if isinstance(verdict, WebhookPayload):
            try:
                result = self._on_events(verdict)
                if inspect.isawaitable(result):
                    await result
                verdict = WebhookResponse(200, [], b"")
            except Exception:
                log.exception("webhook on_events failed (500; Xero will deliver it again)")
                verdict = WebhookResponse(500, [], b"")
        await _asgi_send(send, verdict)


def asgi_app(
    key: str | bytes,
    on_events: Callable[[WebhookPayload], object],
    *,
    max_body: int = MAX_BODY,
) -> WebhookApp:
    """An ASGI 3 application receiving Xero's webhooks at whatever path it is served on.

    In Starlette or FastAPI: ``Route("/xero/webhooks", asgi_app(key, on_events),
    methods=["POST"])`` (or ``app.mount(...)``); or serve it alone with any ASGI server. POST
    only (405 otherwise); a body beyond *max_body* bytes gets 413. *on_events* may be a
    plain function or a coroutine function; it runs as :func:`handle` describes.

    Raises:
        WebhookError: At once, when *key* is empty.
    """
    return WebhookApp(key, on_events, max_body)


async def _asgi_send(send: _Send, response: WebhookResponse) -> None:
    headers = [(b"content-length", b"0")]
    headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    500: "Internal Server Error",
}

_StartResponse = Callable[..., object]


def wsgi_app(
    key: str | bytes,
    on_events: OnEvents,
    *,
    max_body: int = MAX_BODY,
) -> Callable[[dict[str, Any], _StartResponse], Iterable[bytes]]:
    """A WSGI application receiving Xero's webhooks (Flask, Django or any WSGI server).

    Mount it at a path, e.g. with werkzeug's ``DispatcherMiddleware`` for Flask; or call
    :func:`handle` from a view (see the recipes in the webhooks guide). POST only; the body
    is read to ``CONTENT_LENGTH`` (411 without one, 413 beyond *max_body*).

    Raises:
        WebhookError: At once, when *key* is empty.
    """
    _key_bytes(key)

    def app(environ: dict[str, Any], start_response: _StartResponse) -> Iterable[bytes]:
        response = _wsgi_answer(environ, key, on_events, max_body)
        reason = _REASONS.get(response.status, "")
        start_response(f"{response.status} {reason}", [("Content-Length", "0"), *response.headers])
        return [b""]

    return app


def _wsgi_answer(
    environ: dict[str, Any], key: str | bytes, on_events: OnEvents, max_body: int
) -> WebhookResponse:
    if str(environ.get("REQUEST_METHOD", "")).upper() != "POST":
        return WebhookResponse(405, [("Allow", "POST")], b"")
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return WebhookResponse(411, [], b"")
    if length < 0 or length > max_body:
        return WebhookResponse(413, [], b"")
    body = environ["wsgi.input"].read(length) if length else b""
    headers = {
        name[5:].replace("_", "-").lower(): str(value)
        for name, value in environ.items()
        if name.startswith("HTTP_")
    }
    return handle(body, headers, key, on_events)


WebhookError.__module__ = "xero_customer_api.webhooks"
WebhookSignatureError.__module__ = "xero_customer_api.webhooks"
WebhookPayloadError.__module__ = "xero_customer_api.webhooks"
