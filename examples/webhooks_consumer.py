"""Keep your copy of Xero's contacts and invoices current from webhooks, the right way round.

The receiver only checks the signature and queues the events (Xero waits 5 seconds at most
and sends a failed delivery again); Celery workers then fetch each changed record through the
SDK (events carry no data), on one shared Redis limiter so that every worker together keeps
Xero's rate limits, and skip repeated deliveries of the same event: the key (tenant,
resource, event date) is claimed in Redis with ``SET NX`` before the fetch and kept once the
record is saved, so a delivery Xero sends twice, or that two workers get at once, is fetched
once; a fetch that fails gives the claim back and the task is retried.

Run it::

    export XERO_CLIENT_ID=... XERO_CLIENT_SECRET=...    # the app
    export XERO_WEBHOOK_KEY=...                         # the webhook's signing key
    export XERO_REDIS_URL=redis://localhost:6379/0      # limits, tokens, dedupe, records
    export CELERY_BROKER_URL=redis://localhost:6379/1   # any Celery broker
    uvicorn --factory examples.webhooks_consumer:create_receiver --port 8000   # the receiver
    celery -A examples.webhooks_consumer worker --concurrency 8                # the workers

and point the webhook at ``http://YOUR-HOST:8000/`` (Xero needs HTTPS on port 443 in
front of it; the sandbox takes the plain URL). ``XERO_BASE_URL``, ``XERO_TOKEN_URL``,
``XERO_CA_BUNDLE`` and ``XERO_TIME_SCALE`` point the workers at the local sandbox instead
of Xero, as in ``examples/celery_sync.py``.

Each saved record is a JSON field of the Redis hash ``xero:records:{tenant id}`` (field
``CONTACT:{id}``, ``INVOICE:{id}``); replace :func:`save_record` with your own storage.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import os
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import redis
from celery import Celery
from xero_customer_api import NotFoundError, RateLimitError, RateLimits, XeroClient, XeroError
from xero_customer_api.redis import RedisLimiter, RedisTokenStore
from xero_customer_api.webhooks import WebhookEvent, WebhookPayload, asgi_app

app = Celery("xero_webhooks", broker=os.environ.get("CELERY_BROKER_URL", "memory://"))
app.conf.task_serializer = "json"
app.conf.result_serializer = "json"
app.conf.task_acks_late = True  # a worker that dies mid-task leaves it to another

#: A claimed event not finished within this many seconds may be taken again.
CLAIM_SECONDS = 300
#: How long a processed event is remembered (Xero retries for 24 hours).
REMEMBER_SECONDS = 3 * 86_400
#: The newest keys of processed events, for audits (a capped Redis list).
PROCESSED_LOG = "xero:webhooks:processed"


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"set {name}")
    return value


# ----------------------------------------------------------------------------- receiving


def queue_events(payload: WebhookPayload) -> None:
    """``on_events``: one task per event, nothing else (the fetch happens in a worker)."""
    for event in payload.events:
        process_event.delay(event_message(event))


def event_message(event: WebhookEvent) -> dict[str, str]:
    """What a task needs of an event, as JSON-safe values."""
    return {
        "tenant_id": event.tenant_id,
        "category": event.event_category,
        "type": event.event_type,
        "resource_id": event.resource_id,
        "event_date_utc": event.event_date_utc.isoformat(),
    }


def create_receiver(key: str | None = None) -> Any:
    """The ASGI receiver (``uvicorn --factory ...:create_receiver``; or mount it in your
    Starlette/FastAPI app): 401 to a bad signature, 200 once the events are queued."""
    return asgi_app(key or _env("XERO_WEBHOOK_KEY"), queue_events)


# ----------------------------------------------------------------------------- working


@functools.cache
def shared_state() -> tuple[RedisLimiter, RedisTokenStore, redis.Redis]:
    """This worker process's limiter, token store and Redis connection."""
    url = _env("XERO_REDIS_URL", "redis://localhost:6379/0")
    scale = float(os.environ.get("XERO_TIME_SCALE", "1"))
    return (
        RedisLimiter(url, limits=RateLimits().scaled(scale)),
        RedisTokenStore(url),
        redis.Redis.from_url(url),
    )


@functools.cache
def _http() -> httpx.Client:
    ca = os.environ.get("XERO_CA_BUNDLE")
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca) if ca else True
    return httpx.Client(verify=verify)


@contextmanager
def client_for(tenant_id: str) -> Iterator[XeroClient]:
    """A client for one organisation on the worker's shared limiter, tokens and pool."""
    limiter, tokens, _ = shared_state()
    options: dict[str, Any] = {}
    for option, variable in (("base_url", "XERO_BASE_URL"), ("token_url", "XERO_TOKEN_URL")):
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    client = XeroClient(
        client_id=_env("XERO_CLIENT_ID"),
        client_secret=_env("XERO_CLIENT_SECRET"),
        token=tokens.get(tenant_id),
        tenant_id=tenant_id,
        limiter=limiter,
        token_store=tokens,
        http_client=_http(),
        **options,
    )
    try:
        yield client
    finally:
        client.close()


def fetch(client: XeroClient, category: str, resource_id: str) -> Any | None:
    """The record an event is about, as it is now; None for a category not synced here."""
    if category == "CONTACT":
        return client.contacts.get(contact_id=resource_id)
    if category == "INVOICE":
        return client.invoices.get(invoice_id=resource_id)
    return None


def save_record(tenant_id: str, category: str, resource_id: str, record: Any | None) -> None:
    """Keep the record (None: it is gone). Replace with your own storage."""
    _, _, r = shared_state()
    field = f"{category}:{resource_id}"
    if record is None:
        r.hdel(f"xero:records:{tenant_id}", field)
        return
    data = record
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        data = dataclasses.asdict(record)
    r.hset(f"xero:records:{tenant_id}", field, json.dumps(data, default=_jsonable))


def _jsonable(value: Any) -> Any:
    """Enums as their value, Decimals and dates as text."""
    return getattr(value, "value", None) if isinstance(value, enum.Enum) else str(value)


@app.task(name="xero_webhooks.process_event", bind=True, max_retries=20)
def process_event(self: Any, message: dict[str, str]) -> str:
    """Fetch and save the record of one event, once however often it is delivered.

    Returns ``saved``, ``gone``, ``skipped`` (a category not synced) or ``duplicate``.
    """
    _, _, r = shared_state()
    tenant, category, resource = message["tenant_id"], message["category"], message["resource_id"]
    claim = f"xero:webhooks:event:{tenant}:{resource}:{message['event_date_utc']}"
    if not r.set(claim, "working", nx=True, ex=CLAIM_SECONDS):
        return "duplicate"  # done already, or another worker has it right now
    try:
        with client_for(tenant) as client:
            record = fetch(client, category, resource)
    except NotFoundError:
        record, outcome = None, "gone"
    except RateLimitError as exc:  # the limiter waits for minute limits; a day limit ends here
        r.delete(claim)
        raise self.retry(exc=exc, countdown=exc.retry_after or 60) from exc
    except XeroError as exc:
        r.delete(claim)
        raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc
    else:
        outcome = "saved" if record is not None else "skipped"
    if outcome != "skipped":
        save_record(tenant, category, resource, record)
    with r.pipeline() as pipe:
        pipe.set(claim, "done", ex=REMEMBER_SECONDS)
        pipe.lpush(PROCESSED_LOG, claim)
        pipe.ltrim(PROCESSED_LOG, 0, 9_999)
        pipe.execute()
    return outcome
