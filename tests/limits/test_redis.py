"""RedisLimiter and the token stores against a real redis-server (and MockTransport Xero):
atomic slots across limiter instances, learning, the day limit, one refresh among many
clients, and the Celery example in eager mode."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from xero_customer_api import (
    AsyncXeroClient,
    MemoryTokenStore,
    RateLimitError,
    RateLimits,
    RequestValidationError,
    TokenStore,
    XeroClient,
)
from xero_customer_api.redis import RedisLimiter, RedisTokenStore

ROOT = Path(__file__).resolve().parents[2]
APP = "app-redis-test"
TENANT = "a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b"
BASE_URL = "https://api.xero.test/api.xro/2.0/"
TOKEN_URL = "https://identity.xero.test/connect/token"
CONTACTS = (
    b"<Response><Id>6c1f0b0e-3f7a-4a55-9e62-1c5d2c3b4a59</Id><Status>OK</Status>"
    b"<ProviderName>P</ProviderName><DateTimeUTC>2026-07-01T04:13:44</DateTimeUTC>"
    b"<Contacts><Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
    b"<Name>Red House Reads</Name></Contact></Contacts></Response>"
)
INVOICE_ID = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8"
INVOICES = (
    b"<Response><Id>6c1f0b0e-3f7a-4a55-9e62-1c5d2c3b4a59</Id><Status>OK</Status>"
    b"<ProviderName>P</ProviderName><DateTimeUTC>2026-07-01T04:13:44</DateTimeUTC>"
    b"<Invoices><Invoice><InvoiceID>" + INVOICE_ID.encode() + b"</InvoiceID>"
    b"<Type>ACCREC</Type></Invoice></Invoices></Response>"
)


def headers(**values: int) -> httpx.Headers:
    names = {"minute": "X-MinLimit-Remaining", "day": "X-DayLimit-Remaining"}
    return httpx.Headers({names[k]: str(v) for k, v in values.items()})


def test_import_xero_customer_api_does_not_import_redis() -> None:
    code = "import sys, xero_customer_api; print('redis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_slots_are_shared_by_limiter_instances_and_taken_atomically(redis_url: str) -> None:
    limits = RateLimits(concurrent=3, max_wait=0)
    workers = [RedisLimiter(redis_url, limits=limits) for _ in range(4)]  # four "processes"
    taken: list[Any] = []
    refused = 0
    lock = threading.Lock()

    def grab(limiter: RedisLimiter) -> None:
        nonlocal refused
        for _ in range(5):
            try:
                slot = limiter.acquire(APP, TENANT)
            except RateLimitError:
                with lock:
                    refused += 1
            else:
                with lock:
                    taken.append(slot)

    threads = [threading.Thread(target=grab, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(taken) == 3 and refused == 17
    workers[0].release(taken.pop(), 200, headers())
    taken.append(workers[1].acquire(APP, TENANT))  # a slot given back is free for anyone


def test_the_servers_count_is_learned(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url, limits=RateLimits(max_wait=0))
    limiter.release(limiter.acquire(APP, TENANT), 200, headers(minute=2))
    for _ in range(2):
        limiter.release(limiter.acquire(APP, TENANT), 200, headers())
    with pytest.raises(RateLimitError, match="max_wait"):  # the minute is spent
        limiter.acquire(APP, TENANT)
    limiter.release(limiter.acquire(APP, "other-tenant"), 200, headers())


def test_calls_sent_at_once_may_reach_the_server_in_any_order(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url, limits=RateLimits(max_wait=0))
    a, b = limiter.acquire(APP, TENANT), limiter.acquire(APP, TENANT)
    limiter.release(a, 200, headers(minute=6))  # the server's 54th
    limiter.release(b, 200, headers(minute=7))  # its 53rd: still 54 used, 6 left
    for _ in range(6):
        limiter.release(limiter.acquire(APP, TENANT), 200, headers())
    with pytest.raises(RateLimitError, match="max_wait"):  # a seventh would be the 61st
        limiter.acquire(APP, TENANT)


def test_a_spent_day_raises_at_once(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url)
    limiter.release(limiter.acquire(APP, TENANT), 200, headers(day=0))  # does not block
    day = httpx.Headers({"Retry-After": "5000", "X-Rate-Limit-Problem": "day"})
    limiter.release(limiter.acquire(APP, TENANT), 429, day)
    with pytest.raises(RateLimitError) as info:
        RedisLimiter(redis_url).acquire(APP, TENANT)  # another worker sees it too
    assert info.value.problem == "day" and info.value.retry_after is not None


@pytest.mark.asyncio
async def test_async_clients_wait_for_a_slot_in_redis(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url, limits=RateLimits(concurrent=2))
    active = peak = 0

    async def call() -> None:
        nonlocal active, peak
        slot = await limiter.aacquire(APP, TENANT)
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.005)
        active -= 1
        await limiter.arelease(slot, 200, headers())

    await asyncio.gather(*(call() for _ in range(12)))
    await limiter.aclose()
    assert peak == 2


def test_redis_unreachable_is_a_connection_error() -> None:
    from xero_customer_api import XeroConnectionError

    limiter = RedisLimiter("redis://127.0.0.1:9/0")
    with pytest.raises(XeroConnectionError, match="Redis"):
        limiter.acquire(APP, TENANT)
    with pytest.raises(XeroConnectionError, match="Redis"):
        RedisTokenStore("redis://127.0.0.1:9/0").get(TENANT)


# ---------------------------------------------------------------------- token stores


class Identity:
    """Xero's token endpoint (rotating refresh tokens: a used one is refused) and API."""

    def __init__(self) -> None:
        self.live = "refresh-0"
        self.refreshes = 0
        self.refused = 0
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/connect/token"):
            form = dict(parse_qsl(request.content.decode()))
            with self.lock:
                if form.get("refresh_token") != self.live:
                    self.refused += 1
                    return httpx.Response(400, json={"error": "invalid_grant"})
                self.refreshes += 1
                self.live = f"refresh-{self.refreshes}"
                return httpx.Response(
                    200,
                    json={
                        "access_token": f"access-token-{self.refreshes}-abcdefgh",
                        "refresh_token": self.live,
                        "expires_in": 1800,
                        "token_type": "Bearer",
                    },
                )
        body = INVOICES if request.url.path.endswith("/Invoices") else CONTACTS
        return httpx.Response(200, content=body, headers={"content-type": "text/xml"})


def expired() -> dict[str, Any]:
    return {
        "access_token": "access-token-0-abcdefgh",
        "refresh_token": "refresh-0",
        "expires_at": 1,
    }


def client(store: TokenStore, xero: Identity, **extra: Any) -> XeroClient:
    return XeroClient(
        client_id="CLIENTID0123456789ABCDEF",
        client_secret="s3cr3t-CLIENT-SECRET-value",
        token=expired(),
        tenant_id=TENANT,
        token_url=TOKEN_URL,
        base_url=BASE_URL,
        token_store=store,
        limiter=None,
        http_client=httpx.Client(transport=httpx.MockTransport(xero)),
        **extra,
    )


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_many_clients_refresh_a_tenants_token_once(kind: str, redis_url: str) -> None:
    xero = Identity()
    store: TokenStore = MemoryTokenStore() if kind == "memory" else RedisTokenStore(redis_url)
    seen: list[dict[str, Any]] = []
    clients = [client(store, xero, on_token_refresh=seen.append) for _ in range(8)]
    start = threading.Barrier(len(clients))
    errors: list[BaseException] = []

    def run(c: XeroClient) -> None:
        start.wait()
        try:
            for _ in range(3):
                c.contacts.list()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert xero.refreshes == 1 and xero.refused == 0 and len(seen) == 1
    stored = store.get(TENANT)
    assert stored is not None and stored["refresh_token"] == xero.live  # never lost
    later = client(store, xero)  # a new client (or worker) starts from the stored token
    later.contacts.list()
    assert xero.refreshes == 1


@pytest.mark.asyncio
async def test_async_clients_refresh_through_the_redis_store_once(redis_url: str) -> None:
    xero = Identity()
    store = RedisTokenStore(redis_url)

    def make() -> AsyncXeroClient:
        return AsyncXeroClient(
            client_id="CLIENTID0123456789ABCDEF",
            client_secret="s3cr3t-CLIENT-SECRET-value",
            token=expired(),
            tenant_id=TENANT,
            token_url=TOKEN_URL,
            base_url=BASE_URL,
            token_store=store,
            limiter=None,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(xero)),
        )

    clients = [make() for _ in range(6)]
    await asyncio.gather(*(c.contacts.list() for c in clients))
    await store.aclose()
    assert xero.refreshes == 1 and xero.refused == 0


def test_a_token_store_needs_oauth_tokens_the_sdk_refreshes() -> None:
    with pytest.raises(RequestValidationError, match="token_store"):
        XeroClient(access_token="T" * 20, token_store=MemoryTokenStore())
    with pytest.raises(RequestValidationError, match="TokenStore"):
        XeroClient(client_id="c" * 20, client_secret="s" * 20, token_store={})  # type: ignore[arg-type]


def test_reprs_show_no_url_or_token(redis_url: str) -> None:
    store = MemoryTokenStore()
    store.put(TENANT, expired())
    for value in (store, RedisTokenStore(redis_url), RedisLimiter(redis_url)):
        text = repr(value)
        assert "redis://" not in text and "refresh-0" not in text and "access-token" not in text


# ---------------------------------------------------------------------- the Celery example


def test_the_celery_example_runs_eagerly(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    xero = Identity()
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    for name, value in {
        "XERO_CLIENT_ID": "CLIENTID0123456789ABCDEF",
        "XERO_CLIENT_SECRET": "s3cr3t-CLIENT-SECRET-value",
        "XERO_BASE_URL": BASE_URL,
        "XERO_TOKEN_URL": TOKEN_URL,
        "XERO_REDIS_URL": redis_url,
    }.items():
        monkeypatch.setenv(name, value)
    celery_sync = importlib.import_module("celery_sync")
    celery_sync.shared_state.cache_clear()
    http = httpx.Client(transport=httpx.MockTransport(xero))
    monkeypatch.setattr(celery_sync, "_http", lambda: http)
    celery_sync.app.conf.task_always_eager = True  # no broker: tasks run in the caller
    celery_sync.store_token(TENANT, expired())
    ids = celery_sync.sync_organisation.delay(TENANT).get(timeout=30)
    assert ids == [INVOICE_ID]
    assert celery_sync.sync_page.delay(TENANT, 1).get(timeout=30) == [INVOICE_ID]
    assert xero.refreshes == 1 and xero.refused == 0
    celery_sync.app.conf.task_always_eager = False
    http.close()
