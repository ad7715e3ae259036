"""Webhooks as Xero sends them: subscriptions, the intent-to-receive check, signed batched
deliveries, retries with back-off, disabling, and the console page.

An app subscribes a URL (``xero-sandbox webhooks add --url URL``, the console's webhooks
page, or ``POST /_sandbox/webhooks`` with the app's client id and secret as HTTP Basic) and
gets the webhook's signing key. Like Xero's, a new webhook is ``PENDING`` ("intent to receive
required") until it passes Xero's *intent to receive* check: several payloads with no events
and both sequences 0, some signed with the webhook's key and some with another key on
purpose. The URL must answer 200 to every good one and 401 to every bad one, with an empty
body, within 5 seconds each; otherwise it is refused with what went wrong and stays
``PENDING`` (nothing is delivered) until the check passes (``enable``: the receiver usually
needs the new key first). A key of your own may be given instead (``add --key``, not
Xero's way): then the check runs at once and the URL is refused unless it passes.

Then every create or update of a contact or an invoice (or any record whose handler calls
:func:`record_event`, e.g. ``Service.emit``) in an organisation the app is connected to
(its custom connection, or a token that reaches the tenant) becomes an event for each active
subscription of that app whose categories include it. The event is written in the same store
transaction as the change (a refused or rolled-back write announces nothing). A
:class:`Dispatcher` running in the server's event loop gathers the pending events of each
subscription for a moment (:data:`BATCH_WINDOW`), numbers them (``firstEventSequence`` ...
``lastEventSequence``, per subscription), adds a random ``entropy`` and POSTs the JSON with
``x-xero-signature`` = Base64(HMAC-SHA256(key, body)).

A delivery succeeds on a 200 answered within 5 seconds. Otherwise it is retried with
back-off (:data:`RETRY_DELAYS`) for up to 24 hours; after that the delivery is failed and
the subscription disabled, as Xero does (re-enabling runs the intent-to-receive check
again). The retry delays and the 24-hour window are divided by the server's
``--time-scale`` (60: a minute lasts a second), like the rate-limit windows.

Differences from Xero, all deliberate: plain ``http://`` URLs are accepted (a laptop has no
public HTTPS), resource URLs point at this sandbox, and the console can resend a delivery.

# inferred: Xero documents "retried with decreasing frequency for up to 24 hours" but not
# the delays; :data:`RETRY_DELAYS` is our choice. The batch window, the number of
# intent-to-receive requests and the largest batch are ours too.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import html
import json
import logging
import secrets
import string
import threading
import time
import uuid
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from .http import HTML_TYPE, LOOPBACK, Request, Response, json_response

if TYPE_CHECKING:
    from .store import App, Store

log = logging.getLogger("xero_sandbox.webhooks")

SCHEMA = """
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
    subscription_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, url TEXT NOT NULL,
    key TEXT NOT NULL, categories TEXT NOT NULL, status TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL, reason TEXT);
CREATE TABLE IF NOT EXISTS webhook_events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL,
    body TEXT NOT NULL, delivery_id INTEGER);
CREATE INDEX IF NOT EXISTS webhook_events_pending ON webhook_events (delivery_id, subscription_id);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    delivery_id INTEGER PRIMARY KEY AUTOINCREMENT, subscription_id TEXT NOT NULL,
    payload BLOB NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    events INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL, next_attempt REAL, last_attempt REAL, last_code INTEGER,
    last_error TEXT);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt);
"""

#: Categories the sandbox emits (a subscription takes these unless it names some).
CATEGORIES = ("CONTACT", "INVOICE", "CREDITNOTE")
#: Path segment of each category's resource URL.
RESOURCE_PATHS = {"CONTACT": "Contacts", "INVOICE": "Invoices", "CREDITNOTE": "CreditNotes"}
#: Seconds between a failed attempt and the next, then the last one repeated (unscaled).
RETRY_DELAYS = (60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14_400.0, 28_800.0)
#: Xero retries for this long (seconds, unscaled), then disables the webhook.
RETRY_WINDOW = 86_400.0
#: Seconds the receiver has to answer (Xero's 5 seconds; not scaled: it is a contract).
TIMEOUT = 5.0
#: Seconds pending events wait for others to share their delivery (real time).
BATCH_WINDOW = 0.2
#: Most events in one delivery.
MAX_BATCH = 100
#: Intent-to-receive requests: True = signed with the key, False = with another key.
INTENT_PATTERN = (True, False, True, False)
USER_AGENT = "xero-sandbox-webhooks"
ADMIN_PREFIX = "/_sandbox/webhooks"
CONSOLE_PATH = "/console/webhooks"


# ----------------------------------------------------------------------------- signing


def signature(body: bytes, key: str) -> str:
    """Base64(HMAC-SHA256(key, body)): the ``x-xero-signature`` of *body*."""
    digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def new_key() -> str:
    """A new signing key: 64 random bytes in Base64, the size of Xero's keys."""
    return base64.b64encode(secrets.token_bytes(64)).decode("ascii")


def entropy() -> str:
    """Xero's ``entropy``: 20 random capital letters."""
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(20))


def payload_bytes(events: list[dict[str, Any]], first: int, last: int) -> bytes:
    """A payload as Xero writes it: compact JSON."""
    document = {
        "events": events,
        "firstEventSequence": first,
        "lastEventSequence": last,
        "entropy": entropy(),
    }
    return json.dumps(document, separators=(",", ":")).encode()


def _xero_date(when: datetime) -> str:
    """``2024-06-21T01:15:39.902``: UTC, milliseconds, no zone (as Xero sends it)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


# ----------------------------------------------------------------------------- per store state


class _State:
    """What the module keeps per store: its dispatcher and the last event time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_ms = 0
        self.dispatcher: Dispatcher | None = None


_states: weakref.WeakKeyDictionary[Store, _State] = weakref.WeakKeyDictionary()
_states_lock = threading.Lock()


def _state(store: Store) -> _State:
    with _states_lock:
        found = _states.get(store)
        if found is None:
            found = _states[store] = _State()
        return found


def _event_time(store: Store, when: datetime | None) -> datetime:
    """*when* (default now), moved on to a millisecond after the previous event's when two
    would share one: events of one store never carry the same eventDateUtc, so a receiver
    that dedupes by (tenant, resource, date) never drops a real change."""
    state = _state(store)
    moment = (when or datetime.now(UTC)).astimezone(UTC)
    ms = int(moment.timestamp() * 1000)
    with state.lock:
        ms = max(ms, state.last_ms + 1)
        state.last_ms = ms
    return datetime.fromtimestamp(ms / 1000, UTC)


# ----------------------------------------------------------------------------- events


def _connected(store: Store, client_id: str, custom_org_id: int | None, org_id: int) -> bool:
    if custom_org_id == org_id:
        return True
    org = store.org_by_id(org_id)
    if org is None:
        return False
    row = store._one(
        "SELECT 1 FROM oauth_tokens WHERE client_id = ? AND refresh_revoked = 0"
        " AND tenants LIKE ? LIMIT 1",
        client_id,
        f'%"{org.tenant_id}"%',
    )
    return row is not None


def record_event(
    store: Store,
    org_id: int,
    category: str,
    event_type: str,
    resource_id: str,
    *,
    data: Mapping[str, str] | None = None,
    when: datetime | None = None,
) -> int:
    """Announce a change to every active subscription that should hear of it; returns how
    many events were queued.

    Call it inside the write's store transaction (``Service.emit`` does), after the record
    was saved: the events are rows of the same transaction, so a rolled-back write sends
    nothing. The running server's :class:`Dispatcher` is woken and delivers them.

    Args:
        store: The sandbox's store.
        org_id: The organisation whose record changed.
        category: ``CONTACT``, ``INVOICE``, ``CREDITNOTE`` ...
        event_type: ``CREATE`` or ``UPDATE`` (archiving, voiding, paying are updates).
        resource_id: The record's id.
        data: The event's extra block (credit notes: ``{"Type": ..., "Status": ...}``).
        when: When it happened (default now).
    """
    subscriptions = store._all(
        "SELECT s.subscription_id, s.categories, a.client_id, a.custom_org_id"
        " FROM webhook_subscriptions s JOIN apps a ON a.client_id = s.client_id"
        " WHERE s.status = 'ACTIVE'"
    )
    targets = [
        str(sub_id)
        for sub_id, categories, client_id, custom in subscriptions
        if category in json.loads(categories)
        and _connected(store, str(client_id), None if custom is None else int(custom), org_id)
    ]
    if not targets:
        return 0
    org = store.org_by_id(org_id)
    if org is None:
        return 0
    event: dict[str, Any] = {
        "resourceUrl": "{base}" + f"{RESOURCE_PATHS.get(category, category.title())}/{resource_id}",
        "resourceId": resource_id,
        "tenantId": org.tenant_id,
        "tenantType": "ORGANISATION",
        "eventCategory": category,
        "eventType": event_type,
        "eventDateUtc": _xero_date(_event_time(store, when)),
    }
    if data is not None:
        event["data"] = dict(data)
    body = json.dumps(event, separators=(",", ":"))
    for sub_id in targets:  # in the caller's transaction, if any
        store._all("INSERT INTO webhook_events (subscription_id, body) VALUES (?, ?)", sub_id, body)
    dispatcher = _state(store).dispatcher
    if dispatcher is not None:
        dispatcher.wake()
    return len(targets)


# ----------------------------------------------------------------------------- subscriptions


@dataclass(frozen=True)
class Subscription:
    """An app's webhook."""

    subscription_id: str
    client_id: str
    url: str
    key: str
    categories: tuple[str, ...]
    status: str
    sequence: int
    created: str
    reason: str | None

    def public(self, *, with_key: bool) -> dict[str, Any]:
        """As JSON for the admin endpoints (the key only when asked)."""
        out: dict[str, Any] = {
            "subscription_id": self.subscription_id,
            "url": self.url,
            "categories": list(self.categories),
            "status": self.status,
            "created": self.created,
        }
        if self.reason:
            out["reason"] = self.reason
        if with_key:
            out["key"] = self.key
        return out


_SUB_COLUMNS = "subscription_id, client_id, url, key, categories, status, sequence, created, reason"


def _subscription(row: Any) -> Subscription:
    return Subscription(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        tuple(json.loads(row[4])),
        str(row[5]),
        int(row[6]),
        str(row[7]),
        row[8],
    )


def subscriptions(store: Store, client_id: str) -> list[Subscription]:
    """An app's webhooks, oldest first."""
    rows = store._all(
        f"SELECT {_SUB_COLUMNS} FROM webhook_subscriptions WHERE client_id = ?"
        " ORDER BY created, rowid",
        client_id,
    )
    return [_subscription(r) for r in rows]


def subscription(store: Store, subscription_id: str) -> Subscription | None:
    """One webhook by id."""
    row = store._one(
        f"SELECT {_SUB_COLUMNS} FROM webhook_subscriptions WHERE subscription_id = ?",
        subscription_id,
    )
    return None if row is None else _subscription(row)


@dataclass(frozen=True)
class Delivery:
    """One payload sent (or to be sent) to a webhook, with its attempts."""

    delivery_id: int
    subscription_id: str
    payload: bytes
    first_seq: int
    last_seq: int
    events: int
    status: str
    attempts: int
    created: float
    next_attempt: float | None
    last_attempt: float | None
    last_code: int | None
    last_error: str | None

    def public(self) -> dict[str, Any]:
        """As JSON (times in ISO 8601 UTC)."""

        def iso(t: float | None) -> str | None:
            return None if t is None else datetime.fromtimestamp(t, UTC).isoformat()

        return {
            "delivery_id": self.delivery_id,
            "subscription_id": self.subscription_id,
            "first_event_sequence": self.first_seq,
            "last_event_sequence": self.last_seq,
            "events": self.events,
            "status": self.status,
            "attempts": self.attempts,
            "created": iso(self.created),
            "next_attempt": iso(self.next_attempt),
            "last_attempt": iso(self.last_attempt),
            "last_status_code": self.last_code,
            "last_error": self.last_error,
            "payload": self.payload.decode("utf-8", "replace"),
        }


_DELIVERY_COLUMNS = (
    "delivery_id, subscription_id, payload, first_seq, last_seq, events, status, attempts,"
    " created, next_attempt, last_attempt, last_code, last_error"
)


def _delivery(row: Any) -> Delivery:
    return Delivery(
        int(row[0]),
        str(row[1]),
        bytes(row[2]),
        int(row[3]),
        int(row[4]),
        int(row[5]),
        str(row[6]),
        int(row[7]),
        float(row[8]),
        None if row[9] is None else float(row[9]),
        None if row[10] is None else float(row[10]),
        None if row[11] is None else int(row[11]),
        row[12],
    )


def deliveries(store: Store, subscription_id: str, limit: int = 100) -> list[Delivery]:
    """A webhook's deliveries, newest first."""
    rows = store._all(
        f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE subscription_id = ?"
        " ORDER BY delivery_id DESC LIMIT ?",
        subscription_id,
        limit,
    )
    return [_delivery(r) for r in rows]


class RegistrationError(Exception):
    """The URL failed the intent-to-receive check, or the request was unusable."""


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistrationError("the webhook URL must be an absolute http:// or https:// URL")
    return url


def _categories(given: Iterable[str] | None) -> tuple[str, ...]:
    if not given:
        return CATEGORIES
    wanted = tuple(dict.fromkeys(c.strip().upper() for c in given if c.strip()))
    unknown = [c for c in wanted if c not in CATEGORIES]
    if unknown or not wanted:
        raise RegistrationError(
            f"unknown categories {', '.join(unknown) or '(none)'}: choose from"
            f" {', '.join(CATEGORIES)}"
        )
    return wanted


async def intent_to_receive(
    client: httpx.AsyncClient, url: str, key: str, pattern: Iterable[bool] = INTENT_PATTERN
) -> None:
    """Xero's check of a webhook URL: payloads with no events, each signed with *key* or
    (``False`` in *pattern*) with another key; every good one must get 200 and every bad one
    401, with an empty body, within :data:`TIMEOUT` seconds.

    Raises:
        RegistrationError: What the URL answered wrong (the first problem).
    """
    for good in pattern:
        body = payload_bytes([], 0, 0)
        sign_with = key if good else new_key()
        headers = {
            "content-type": "application/json; charset=utf-8",
            "x-xero-signature": signature(body, sign_with),
            "user-agent": USER_AGENT,
        }
        kind = "correctly signed" if good else "wrongly signed"
        expected = 200 if good else 401
        try:
            answer = await client.post(url, content=body, headers=headers, timeout=TIMEOUT)
        except httpx.TimeoutException:
            raise RegistrationError(
                f"intent to receive: no answer within {TIMEOUT:g} s to a {kind} payload"
            ) from None
        except httpx.HTTPError as exc:
            raise RegistrationError(
                f"intent to receive: the URL could not be reached ({type(exc).__name__}: {exc})"
            ) from None
        if answer.status_code != expected:
            raise RegistrationError(
                f"intent to receive: the URL answered {answer.status_code} to a {kind} payload;"
                f" it must answer {expected}"
                + (" (check the signature over the raw body with the key)" if good else "")
            )
        if answer.content:
            raise RegistrationError(
                f"intent to receive: the answer to a {kind} payload has a body"
                f" ({len(answer.content)} bytes); Xero requires an empty body"
            )


# ----------------------------------------------------------------------------- dispatcher


def retry_delay(attempts: int) -> float:
    """Unscaled seconds before the next attempt, after *attempts* failed ones."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


class Dispatcher:
    """Delivers a store's pending events, in the server's event loop.

    ``time_scale`` divides the retry delays and the 24-hour window. Started lazily by the
    first request (:meth:`ensure_started`) or by the server's start-up; stopped at shutdown.
    """

    def __init__(
        self,
        store: Store,
        *,
        time_scale: float = 1.0,
        batch_window: float = BATCH_WINDOW,
        timeout: float = TIMEOUT,
    ) -> None:
        self.store = store
        self.time_scale = time_scale
        self.batch_window = batch_window
        self.timeout = timeout
        self.base_url = "https://api.xero.com/api.xro/2.0/"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        self._sending: set[int] = set()
        self._attempts: set[asyncio.Task[None]] = set()
        _state(store).dispatcher = self

    # ---------------------------------------------------------------- life

    def learn_base(self, scope: Mapping[str, Any]) -> None:
        """Resource URLs point at this sandbox: its scheme, host and port as first reached."""
        server = scope.get("server")
        if server and self.base_url.startswith("https://api.xero.com"):
            host, port = server[0], server[1]
            if ":" in str(host):
                host = f"[{host}]"
            self.base_url = f"{scope.get('scheme', 'http')}://{host}:{port}/api.xro/2.0/"

    def ensure_started(self) -> None:
        """Start the delivery loop in the running event loop (once)."""
        if self._task is not None and not self._task.done():
            return
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._client = httpx.AsyncClient(follow_redirects=False)
        self._task = asyncio.create_task(self._run(), name="xero-sandbox-webhooks")
        self._wakeup.set()

    async def stop(self) -> None:
        """Stop delivering (pending deliveries stay pending in the store)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for task in list(self._attempts):
            task.cancel()
        if self._attempts:
            await asyncio.gather(*self._attempts, return_exceptions=True)
        self._sending.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def wake(self) -> None:
        """New events: deliver them after the batch window (thread-safe; from the event
        loop's thread it starts the delivery loop if it is not running yet)."""
        if self._task is None or self._task.done():
            with contextlib.suppress(RuntimeError):  # no running loop: the start-up will
                asyncio.get_running_loop()
                self.ensure_started()
                return
        loop, wakeup = self._loop, self._wakeup
        if loop is None or wakeup is None or loop.is_closed():
            return
        try:
            if asyncio.get_running_loop() is loop:
                wakeup.set()
                return
        except RuntimeError:
            pass
        loop.call_soon_threadsafe(wakeup.set)

    @property
    def client(self) -> httpx.AsyncClient:
        """The HTTP client deliveries and checks are sent with."""
        if self._client is None:
            self._client = httpx.AsyncClient(follow_redirects=False)
        return self._client

    # ---------------------------------------------------------------- loop

    async def _run(self) -> None:
        assert self._wakeup is not None
        while True:
            due = self._next_due()
            delay = None if due is None else max(0.0, due - time.time())
            woken = False
            try:
                async with asyncio.timeout(delay):
                    await self._wakeup.wait()
                    woken = True
            except TimeoutError:
                pass
            if woken:
                self._wakeup.clear()
                await asyncio.sleep(self.batch_window)  # let a burst share a delivery
            try:
                self._batch()
                for item in self._due():  # each in its own task: a slow receiver holds no other
                    self._sending.add(item[0].delivery_id)
                    task = asyncio.create_task(self._attempt(item))
                    self._attempts.add(task)
                    task.add_done_callback(self._attempted)
            except asyncio.CancelledError:
                raise
            except Exception:  # keep delivering whatever one bad row does
                log.exception("webhook dispatcher step failed")
                await asyncio.sleep(0.5)

    def _attempted(self, task: asyncio.Task[None]) -> None:
        self._attempts.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("webhook delivery failed unexpectedly", exc_info=task.exception())
        if self._wakeup is not None:
            self._wakeup.set()  # its next attempt may be due before what the loop waits for

    def _next_due(self) -> float | None:
        """When the loop has work next: now for undelivered events, else the earliest retry
        of a delivery not in flight; None for nothing."""
        pending = self.store._one("SELECT 1 FROM webhook_events WHERE delivery_id IS NULL LIMIT 1")
        if pending is not None:
            return time.time()
        rows = self.store._all(
            "SELECT delivery_id, next_attempt FROM webhook_deliveries WHERE status = 'pending'"
        )
        times = [float(t) for d, t in rows if t is not None and int(d) not in self._sending]
        return min(times, default=None)

    def _batch(self) -> None:
        """Pending events -> deliveries (at most :data:`MAX_BATCH` events each)."""
        now = time.time()
        with self.store.write():
            rows = self.store._all(
                "SELECT e.event_id, e.subscription_id, e.body, s.status FROM webhook_events e"
                " JOIN webhook_subscriptions s ON s.subscription_id = e.subscription_id"
                " WHERE e.delivery_id IS NULL ORDER BY e.event_id"
            )
            by_sub: dict[str, list[tuple[int, str]]] = {}
            for event_id, sub_id, body, status in rows:
                if status != "ACTIVE":
                    self.store._all("DELETE FROM webhook_events WHERE event_id = ?", event_id)
                    continue
                by_sub.setdefault(str(sub_id), []).append((int(event_id), str(body)))
            orphans = "SELECT subscription_id FROM webhook_subscriptions"
            self.store._all(f"DELETE FROM webhook_events WHERE subscription_id NOT IN ({orphans})")
            for sub_id, events in by_sub.items():
                for start in range(0, len(events), MAX_BATCH):
                    chunk = events[start : start + MAX_BATCH]
                    seq_row = self.store._one(
                        "SELECT sequence FROM webhook_subscriptions WHERE subscription_id = ?",
                        sub_id,
                    )
                    first = int(seq_row[0]) + 1
                    last = first + len(chunk) - 1
                    self.store._all(
                        "UPDATE webhook_subscriptions SET sequence = ? WHERE subscription_id = ?",
                        last,
                        sub_id,
                    )
                    documents = [json.loads(body) for _, body in chunk]
                    for doc in documents:
                        doc["resourceUrl"] = doc["resourceUrl"].replace("{base}", self.base_url)
                    payload = payload_bytes(documents, first, last)
                    cur = self.store._conn.execute(
                        "INSERT INTO webhook_deliveries (subscription_id, payload, first_seq,"
                        " last_seq, events, status, attempts, created, next_attempt)"
                        " VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                        (sub_id, payload, first, last, len(chunk), now, now),
                    )
                    delivery_id = int(cur.lastrowid or 0)
                    self.store._all(
                        "UPDATE webhook_events SET delivery_id = ? WHERE event_id IN"
                        f" ({','.join('?' * len(chunk))})",
                        delivery_id,
                        *(event_id for event_id, _ in chunk),
                    )

    def _due(self) -> list[tuple[Delivery, Subscription]]:
        rows = self.store._all(
            f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending'"
            " AND next_attempt <= ? ORDER BY delivery_id",
            time.time(),
        )
        out = []
        for row in rows:
            delivery = _delivery(row)
            if delivery.delivery_id in self._sending:
                continue
            sub = subscription(self.store, delivery.subscription_id)
            if sub is None:  # its webhook was removed meanwhile
                self.store._all(
                    "UPDATE webhook_deliveries SET status = 'failed', next_attempt = NULL,"
                    " last_error = 'webhook removed' WHERE delivery_id = ?",
                    delivery.delivery_id,
                )
                continue
            out.append((delivery, sub))
        return out

    async def _attempt(self, item: tuple[Delivery, Subscription]) -> None:
        delivery, sub = item
        try:
            code, error = await self._post(sub, delivery.payload)
            self._settle(delivery, sub, code, error)
        finally:
            self._sending.discard(delivery.delivery_id)

    async def _post(self, sub: Subscription, payload: bytes) -> tuple[int | None, str | None]:
        headers = {
            "content-type": "application/json; charset=utf-8",
            "x-xero-signature": signature(payload, sub.key),
            "user-agent": USER_AGENT,
        }
        try:
            answer = await self.client.post(
                sub.url, content=payload, headers=headers, timeout=self.timeout
            )
        except httpx.TimeoutException:
            return None, f"no answer within {self.timeout:g} s"
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"[:300]
        if answer.status_code == 200:
            return 200, None
        return answer.status_code, f"answered {answer.status_code} (200 expected)"

    def _settle(
        self, delivery: Delivery, sub: Subscription, code: int | None, error: str | None
    ) -> None:
        now = time.time()
        attempts = delivery.attempts + 1
        with self.store.write():
            if code == 200:
                self.store._all(
                    "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?,"
                    " last_attempt = ?, last_code = 200, last_error = NULL, next_attempt = NULL"
                    " WHERE delivery_id = ?",
                    attempts,
                    now,
                    delivery.delivery_id,
                )
                return
            window_end = delivery.created + RETRY_WINDOW / self.time_scale
            if now >= window_end:
                reason = (
                    f"delivery {delivery.delivery_id} failed for"
                    f" {RETRY_WINDOW / 3600:g} hours (scaled): {error}"
                )
                self.store._all(
                    "UPDATE webhook_deliveries SET status = 'failed', attempts = ?,"
                    " last_attempt = ?, last_code = ?, last_error = ?, next_attempt = NULL"
                    " WHERE delivery_id = ?",
                    attempts,
                    now,
                    code,
                    error,
                    delivery.delivery_id,
                )
                self.store._all(
                    "UPDATE webhook_subscriptions SET status = 'DISABLED', reason = ?"
                    " WHERE subscription_id = ?",
                    reason,
                    sub.subscription_id,
                )
                self.store._all(
                    "UPDATE webhook_deliveries SET status = 'failed', next_attempt = NULL,"
                    " last_error = coalesce(last_error, 'webhook disabled')"
                    " WHERE subscription_id = ? AND status = 'pending'",
                    sub.subscription_id,
                )
                log.warning("webhook %s disabled: %s", sub.subscription_id, reason)
                return
            next_at = min(now + retry_delay(attempts) / self.time_scale, window_end)
            self.store._all(
                "UPDATE webhook_deliveries SET attempts = ?, last_attempt = ?, last_code = ?,"
                " last_error = ?, next_attempt = ? WHERE delivery_id = ?",
                attempts,
                now,
                code,
                error,
                next_at,
                delivery.delivery_id,
            )

    # ---------------------------------------------------------------- management

    async def subscribe(
        self,
        app: App,
        url: str,
        categories: Iterable[str] | None = None,
        *,
        key: str | None = None,
    ) -> Subscription:
        """A new webhook of *app* for *url*.

        Like Xero's, a new webhook gets a new signing key and is ``PENDING`` ("intent to
        receive required"): nothing is delivered until :meth:`enable` runs the check and it
        passes (the receiver needs the key first, so no check can pass before).

        With *key* (a sandbox convenience, not Xero's: a key you chose and gave your
        receiver beforehand) the check runs at once, and the webhook is created ``ACTIVE``
        only if the URL passes it.

        Raises:
            RegistrationError: The URL, the categories or the key are unusable, or (with
                *key*) the URL failed the check: then no webhook is created.
        """
        url = _check_url(url)
        wanted = _categories(categories)
        if key is not None:
            if len(key) < 16 or not key.isprintable():
                raise RegistrationError("a signing key must be at least 16 printable characters")
            await intent_to_receive(self.client, url, key)
        sub_id = str(uuid.uuid4())
        with self.store.write():
            self.store._all(
                f"INSERT INTO webhook_subscriptions ({_SUB_COLUMNS}) VALUES (?, ?, ?, ?, ?,"
                " ?, 0, ?, ?)",
                sub_id,
                app.client_id,
                url,
                key or new_key(),
                json.dumps(list(wanted)),
                "PENDING" if key is None else "ACTIVE",
                datetime.now(UTC).isoformat(),
                "intent to receive required" if key is None else None,
            )
        found = subscription(self.store, sub_id)
        assert found is not None
        return found

    async def enable(self, sub: Subscription) -> Subscription:
        """Run the intent-to-receive check; when the URL passes, the webhook is ``ACTIVE``
        (a new one, or one disabled after failed deliveries).

        Raises:
            RegistrationError: The URL failed the check (the webhook keeps its status, with
                the reason).
        """
        try:
            await intent_to_receive(self.client, sub.url, sub.key)
        except RegistrationError as exc:
            with self.store.write():
                self.store._all(
                    "UPDATE webhook_subscriptions SET reason = ? WHERE subscription_id = ?",
                    str(exc),
                    sub.subscription_id,
                )
            raise
        with self.store.write():
            self.store._all(
                "UPDATE webhook_subscriptions SET status = 'ACTIVE', reason = NULL"
                " WHERE subscription_id = ?",
                sub.subscription_id,
            )
        found = subscription(self.store, sub.subscription_id)
        assert found is not None
        return found

    def remove(self, sub: Subscription) -> None:
        """Delete a webhook, its pending events and its deliveries."""
        with self.store.write():
            for table in ("webhook_events", "webhook_deliveries", "webhook_subscriptions"):
                self.store._all(
                    f"DELETE FROM {table} WHERE subscription_id = ?", sub.subscription_id
                )

    def resend(self, sub: Subscription, delivery_id: int) -> Delivery | None:
        """Send a delivery again now (the same payload and signature), with a new window."""
        now = time.time()
        with self.store.write():
            row = self.store._one(
                "SELECT delivery_id FROM webhook_deliveries WHERE delivery_id = ?"
                " AND subscription_id = ?",
                delivery_id,
                sub.subscription_id,
            )
            if row is None:
                return None
            self.store._all(
                "UPDATE webhook_deliveries SET status = 'pending', created = ?,"
                " next_attempt = ? WHERE delivery_id = ?",
                now,
                now,
                delivery_id,
            )
        self.wake()
        found = self.store._one(
            f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE delivery_id = ?",
            delivery_id,
        )
        return None if found is None else _delivery(found)

    # ---------------------------------------------------------------- HTTP: admin endpoints

    async def admin(self, request: Request) -> Response:
        """``/_sandbox/webhooks`` (loopback clients; the app's id and secret as HTTP Basic):

        - ``POST /_sandbox/webhooks`` ``{"url": ..., "categories": [...]}``: a new PENDING
          webhook (201 with its new key); with ``"key": ...`` (one you chose) the check runs
          at once: 201 ACTIVE, or 422 with the reason and nothing created;
        - ``GET /_sandbox/webhooks``: the app's webhooks with their recent deliveries;
        - ``POST /_sandbox/webhooks/{id}/enable``: run the check; ACTIVE when it passes
          (422 with the reason otherwise);
        - ``POST /_sandbox/webhooks/{id}/deliveries/{n}/resend``: send a delivery again;
        - ``DELETE /_sandbox/webhooks/{id}``: remove it.
        """
        if request.client is None or request.client[0] not in LOOPBACK:
            return json_response(
                403, {"error": "the /_sandbox endpoints answer loopback clients only"}
            )
        app = self._basic_app(request)
        if app is None:
            return json_response(
                401,
                {"error": "give the app's client id and secret as HTTP Basic credentials"},
                [(b"www-authenticate", b'Basic realm="xero-sandbox"')],
            )
        self.ensure_started()
        parts = [p for p in request.path[len(ADMIN_PREFIX) :].split("/") if p]
        method = request.method
        try:
            if not parts and method == "POST":
                spec = json.loads(request.body or b"{}")
                if not isinstance(spec, dict) or not isinstance(spec.get("url"), str):
                    raise RegistrationError('a JSON object with "url" is expected')
                given = spec.get("categories")
                if given is not None and not (
                    isinstance(given, list) and all(isinstance(c, str) for c in given)
                ):
                    raise RegistrationError("categories must be a list of names")
                key = spec.get("key")
                if key is not None and not isinstance(key, str):
                    raise RegistrationError("key must be a string")
                added = await self.subscribe(app, spec["url"], given, key=key)
                return json_response(201, added.public(with_key=True))
            if not parts and method == "GET":
                out = []
                for each in subscriptions(self.store, app.client_id):
                    item = each.public(with_key=True)
                    item["deliveries"] = [
                        d.public() for d in deliveries(self.store, each.subscription_id)
                    ]
                    out.append(item)
                return json_response(200, {"webhooks": out})
            sub = subscription(self.store, parts[0]) if parts else None
            if sub is None or sub.client_id != app.client_id:
                return json_response(404, {"error": "no such webhook of this app"})
            if len(parts) == 1 and method == "DELETE":
                self.remove(sub)
                return json_response(200, {"removed": sub.subscription_id})
            if parts[1:] == ["enable"] and method == "POST":
                return json_response(200, (await self.enable(sub)).public(with_key=False))
            if (
                len(parts) == 4
                and parts[1] == "deliveries"
                and parts[3] == "resend"
                and method == "POST"
                and parts[2].isdigit()
            ):
                done = self.resend(sub, int(parts[2]))
                if done is None:
                    return json_response(404, {"error": "no such delivery of this webhook"})
                return json_response(202, done.public())
        except RegistrationError as exc:
            return json_response(422, {"error": str(exc)})
        except (ValueError, RecursionError):
            return json_response(400, {"error": "the body is not JSON"})
        return json_response(404, {"error": "unknown webhooks endpoint"})

    def _basic_app(self, request: Request) -> App | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            client_id, _, secret = base64.b64decode(value.strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        app = self.store.app(client_id)
        if app is None or not hmac.compare_digest(app.client_secret.encode(), secret.encode()):
            return None
        return app

    # ---------------------------------------------------------------- HTTP: console page

    async def console(self, request: Request) -> Response | None:
        """``/console/webhooks?apiKey=...``: the partner's apps, their webhooks and
        deliveries; forms to add, re-enable, remove a webhook and resend a delivery. A form
        is answered with a redirect to the page (303, the outcome in ``message``), so that
        reloading it does not do the action again. None when the apiKey is unknown (the
        caller answers as the console does)."""
        api_key = request.query.get("apiKey", "")
        provider = self.store.partner_name(api_key) if api_key else None
        if provider is None:
            return None
        self.ensure_started()
        apps = [a for a in self._apps(api_key)]
        if request.method == "POST":
            form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
            message = await self._console_action(form, {a.client_id: a for a in apps})
            where = f"{CONSOLE_PATH}?{urlencode({'apiKey': api_key, 'message': message})}"
            return Response(303, b"", HTML_TYPE, [(b"location", where.encode())])
        message = request.query.get("message", "")[:500]
        page = _render_console(provider, apps, self.store, message)
        return Response(200, page.encode(), HTML_TYPE, [(b"cache-control", b"no-store")])

    def _apps(self, api_key: str) -> list[App]:
        rows = self.store._all(
            "SELECT client_id FROM apps WHERE partner_key = ? ORDER BY created, rowid", api_key
        )
        found = [self.store.app(str(r[0])) for r in rows]
        return [a for a in found if a is not None]

    async def _console_action(self, form: dict[str, str], apps: dict[str, App]) -> str:
        action = form.get("action", "")
        try:
            if action == "add":
                app = apps.get(form.get("client_id", ""))
                if app is None:
                    return "Choose one of your apps."
                added = await self.subscribe(app, form.get("url", ""), key=form.get("key") or None)
                if added.status != "ACTIVE":
                    return (
                        f"Webhook added for {app.name}, pending: give your receiver its signing"
                        " key (below), then press Enable to run the intent-to-receive check."
                    )
                return f"Webhook added for {app.name} and active: {added.url}"
            sub = subscription(self.store, form.get("subscription_id", ""))
            if sub is None or sub.client_id not in apps:
                return "No such webhook."
            if action == "enable":
                await self.enable(sub)
                return f"Webhook enabled: {sub.url}"
            if action == "remove":
                self.remove(sub)
                return f"Webhook removed: {sub.url}"
            if action == "resend":
                number = form.get("delivery_id", "")
                if not number.isdigit() or self.resend(sub, int(number)) is None:
                    return "No such delivery."
                return f"Delivery {number} queued to be sent again."
        except RegistrationError as exc:
            return f"Refused: {exc}"
        return "Unknown action."


def _render_console(provider: str, apps: list[App], store: Store, message: str) -> str:
    esc = html.escape
    action = ""  # the page's own URL: the partner key never appears in the page
    sections = []
    for app in apps:
        subs = subscriptions(store, app.client_id)
        blocks = []
        for sub in subs:
            rows = []
            for d in deliveries(store, sub.subscription_id, 50):
                css = {"delivered": "status-ok", "failed": "status-error"}.get(d.status, "")
                when = datetime.fromtimestamp(d.created, UTC).strftime("%Y-%m-%d %H:%M:%S")
                rows.append(
                    f'<tr class="delivery" data-delivery="{d.delivery_id}"><td>{d.delivery_id}</td>'
                    f"<td>{esc(when)} UTC</td><td>{d.first_seq}-{d.last_seq} ({d.events})</td>"
                    f'<td class="{css} status">{esc(d.status)}</td><td>{d.attempts}</td>'
                    f"<td>{'' if d.last_code is None else d.last_code} {esc(d.last_error or '')}</td>"
                    f"<td><details><summary>Payload</summary><pre>{esc(d.payload.decode('utf-8', 'replace'))}</pre></details>"
                    f'<form method="post" action="{action}"><input type="hidden" name="action" value="resend">'
                    f'<input type="hidden" name="subscription_id" value="{esc(sub.subscription_id)}">'
                    f'<input type="hidden" name="delivery_id" value="{d.delivery_id}">'
                    '<button type="submit">Resend</button></form></td></tr>'
                )
            hidden = (
                f'<input type="hidden" name="subscription_id" value="{esc(sub.subscription_id)}">'
            )
            enable = (
                f'<form method="post" action="{action}"><input type="hidden" name="action" value="enable">{hidden}'
                '<button type="submit">Enable (intent to receive)</button></form>'
                if sub.status != "ACTIVE"
                else ""
            )
            blocks.append(
                f'<div class="webhook" data-webhook="{esc(sub.subscription_id)}">'
                f"<h3>{esc(sub.url)} <em>{esc(sub.status)}</em></h3>"
                f"<p>Categories: {esc(', '.join(sub.categories))}"
                f"{' - ' + esc(sub.reason) if sub.reason else ''}</p>"
                f"<details><summary>Signing key</summary><code>{esc(sub.key)}</code></details>"
                f'{enable}<form method="post" action="{action}"><input type="hidden" name="action" value="remove">{hidden}'
                '<button type="submit">Remove</button></form>'
                "<table><thead><tr><th>#</th><th>Created</th><th>Sequences</th><th>Status</th>"
                "<th>Attempts</th><th>Last answer</th><th></th></tr></thead>"
                f"<tbody>{''.join(rows) or '<tr><td colspan=7>No deliveries yet.</td></tr>'}</tbody></table></div>"
            )
        sections.append(
            f'<section class="app"><h2>{esc(app.name)} <code>{esc(app.client_id)}</code></h2>'
            f"{''.join(blocks) or '<p>No webhooks.</p>'}</section>"
        )
    options = "".join(f'<option value="{esc(a.client_id)}">{esc(a.name)}</option>' for a in apps)
    note = f'<p class="message" id="message">{esc(message)}</p>' if message else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Webhooks - {esc(provider)}</title><style>{_css()}</style></head><body>"
        f'<h1>Webhooks</h1><p class="lead">Webhooks of the apps of <strong>{esc(provider)}</strong>'
        ' (<a href="/console" onclick="this.search = location.search">back to the console</a>).'
        f"</p>{note}"
        f'<form method="post" action="{action}" id="add"><input type="hidden" name="action" value="add">'
        f'<label>App <select name="client_id">{options}</select></label> '
        '<label>URL <input name="url" size="60" placeholder="http://127.0.0.1:8000/xero/webhooks"></label> '
        '<label>Signing key (optional: one your receiver already has) <input name="key" size="30"></label> '
        '<button type="submit">Add webhook</button></form>'
        "<p>Adding runs Xero's intent-to-receive check: the URL must answer 200 to correctly"
        " signed payloads and 401 to wrongly signed ones, with empty bodies, within 5 seconds.</p>"
        f"{''.join(sections)}</body></html>"
    )


def _css() -> str:
    return (
        resources.files("xero_sandbox").joinpath("static/console.css").read_text(encoding="utf-8")
    )
