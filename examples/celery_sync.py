"""Sync many organisations from several Celery workers that share one Redis.

Every worker process builds one ``RedisLimiter`` and one ``RedisTokenStore`` (on first use)
and a client per organisation on top of them, so all workers, on any number of machines,
together keep Xero's limits (5 calls in progress, 60 a minute and 5,000 a day per
organisation, 10,000 a minute for the app) and refresh each organisation's token once, never
losing the rotated refresh token.

Run it::

    export XERO_CLIENT_ID=... XERO_CLIENT_SECRET=...    # the app
    export XERO_REDIS_URL=redis://localhost:6379/0      # shared limits and tokens
    export CELERY_BROKER_URL=redis://localhost:6379/1   # any Celery broker
    celery -A examples.celery_sync worker --concurrency 8
    # then, once per organisation (tokens stored with store_token() after connecting it):
    python -c "from examples.celery_sync import sync_organisation; sync_organisation.delay('TENANT')"

``XERO_BASE_URL``, ``XERO_TOKEN_URL``, ``XERO_CA_BUNDLE`` and ``XERO_TIME_SCALE`` point it at
the local sandbox (``xero-sandbox serve --time-scale 60``) instead of Xero. The tests run the
tasks eagerly (``task_always_eager``) and, for several workers, as plain processes.
"""

from __future__ import annotations

import functools
import os
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from celery import Celery
from xero_customer_api import RateLimits, XeroClient
from xero_customer_api.redis import RedisLimiter, RedisTokenStore

app = Celery("xero_sync", broker=os.environ.get("CELERY_BROKER_URL", "memory://"))
app.conf.task_serializer = "json"
app.conf.result_serializer = "json"

PAGE_SIZE = 100


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"set {name}")
    return value


@functools.cache
def shared_state() -> tuple[RedisLimiter, RedisTokenStore]:
    """This worker process's limiter and token store (one Redis for every worker)."""
    url = _env("XERO_REDIS_URL", "redis://localhost:6379/0")
    scale = float(os.environ.get("XERO_TIME_SCALE", "1"))
    return (
        RedisLimiter(url, limits=RateLimits().scaled(scale)),
        RedisTokenStore(url),
    )


def store_token(tenant_id: str, token: dict[str, Any]) -> None:
    """Keep an organisation's token (from ``exchange_code``) where every worker finds it."""
    shared_state()[1].put(tenant_id, token)


@functools.cache
def _http() -> httpx.Client:
    ca = os.environ.get("XERO_CA_BUNDLE")
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca) if ca else True
    return httpx.Client(verify=verify)  # one pool per worker process, shared by its clients


@contextmanager
def client_for(tenant_id: str) -> Iterator[XeroClient]:
    """A client for one organisation, on the worker's shared limiter, tokens and pool."""
    limiter, tokens = shared_state()
    options: dict[str, Any] = {}
    if os.environ.get("XERO_BASE_URL"):
        options["base_url"] = os.environ["XERO_BASE_URL"]
    if os.environ.get("XERO_TOKEN_URL"):
        options["token_url"] = os.environ["XERO_TOKEN_URL"]
    client = XeroClient(
        client_id=_env("XERO_CLIENT_ID"),
        client_secret=_env("XERO_CLIENT_SECRET"),
        token=tokens.get(tenant_id),  # the live token; the store keeps it current
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


@app.task(name="xero_sync.sync_page")
def sync_page(tenant_id: str, page: int, page_size: int = PAGE_SIZE) -> list[str]:
    """One page of an organisation's invoices: their ids (save them where you keep them)."""
    with client_for(tenant_id) as client:
        invoices = client.invoices.list(page=page, page_size=page_size)
        return [str(invoice.invoice_id) for invoice in invoices]


@app.task(name="xero_sync.sync_organisation")
def sync_organisation(tenant_id: str, page_size: int = PAGE_SIZE) -> list[str]:
    """Every invoice of an organisation, page after page (streamed, flat memory)."""
    with client_for(tenant_id) as client:
        return [str(invoice.invoice_id) for invoice in client.invoices.iter(page_size=page_size)]
