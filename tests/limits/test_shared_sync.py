"""Syncing many organisations against the 2.0 sandbox with its rate limits on and its clock
60 times faster (a minute lasts a second): one process, and four worker processes sharing one
Redis (limits and tokens), get no 429, every record arrives once, and each organisation's
token is refreshed exactly once when it expires mid-run; a worker killed while holding
slots does not block the others past the slot lifetime."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from xero_customer_api import AsyncXeroClient, RateLimitError, RateLimits, XeroClient
from xero_customer_api._runtime._auth import refresh_leeway
from xero_customer_api.redis import RedisLimiter, RedisTokenStore
from xero_sandbox.process import RunningSandbox, start_sandbox

from . import workers
from .orgs import Org, make_orgs
from .workers import Count429

pytestmark = pytest.mark.e2e

TIME_SCALE = 60.0
LIMITS = RateLimits().scaled(TIME_SCALE)
TENANTS = 20
INVOICES = 120
PAGE_SIZE = 10
PAGES = INVOICES // PAGE_SIZE  # fetched all at once: more than 5 in progress per tenant
USED = 52  # calls each tenant has already made this minute, as only the server knows
LATENCY = 0.02  # seconds each call takes at the sandbox


@pytest.fixture(scope="module")
def limited(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningSandbox, Path, list[Org]]]:
    """A sandbox keeping Xero's limits 60 times faster, with 20 connected organisations."""
    db = tmp_path_factory.mktemp("limited") / "sandbox.db"
    # access tokens live 80 s: a refreshed token stays usable (to the SDK) for 20 s; each
    # call takes 20 ms, so calls overlap at the server as they do at Xero
    with start_sandbox(
        ["--db", str(db), "--time-scale", str(TIME_SCALE), "--token-ttl", "80",
         "--latency", str(LATENCY)]
    ) as sb:  # fmt: skip
        yield sb, db, make_orgs(sb, db, TENANTS, INVOICES)


def use_minutes(sb: RunningSandbox, orgs: list[Org]) -> None:
    """Each tenant has made USED calls this minute (the server's count, unknown locally)."""
    with httpx.Client(verify=sb.verify(), base_url=sb.root_url) as http:
        for org in orgs:
            spec = {"client_id": sb.client_id, "tenant_id": org.tenant_id, "minute": USED}
            http.post("/_sandbox/limits", json=spec).raise_for_status()


def async_clients(
    sb: RunningSandbox, orgs: list[Org], http: httpx.AsyncClient, limiter: RateLimits | None
) -> list[AsyncXeroClient]:
    """A client per organisation on one pool; ``max_retries=0``: a 429 would fail the sync,
    not hide in a retry."""
    return [
        AsyncXeroClient(
            client_id=sb.client_id,
            client_secret=sb.client_secret,
            token=org.token,
            tenant_id=org.tenant_id,
            token_url=sb.token_url,
            base_url=sb.v2_base_url,
            http_client=http,
            limiter=limiter,
            max_retries=0,
        )
        for org in orgs
    ]


@pytest.mark.asyncio
async def test_one_process_syncing_20_tenants_concurrently_gets_no_429(
    limited: tuple[RunningSandbox, Path, list[Org]],
) -> None:
    sb, _, orgs = limited
    use_minutes(sb, orgs)
    seen = Count429()
    async with httpx.AsyncClient(verify=sb.verify(), event_hooks={"response": [seen.aio]}) as http:
        clients = async_clients(sb, orgs, http, LIMITS)

        async def sync(client: AsyncXeroClient) -> list[str]:
            pages = await asyncio.gather(
                *(client.invoices.list(page=p, page_size=PAGE_SIZE) for p in range(1, PAGES + 1))
            )
            return [str(i.invoice_id) for page in pages for i in page]

        got = await asyncio.gather(*(sync(c) for c in clients))
    assert seen.count == 0
    for org, ids in zip(orgs, got, strict=True):
        assert len(ids) == INVOICES and set(ids) == org.invoice_ids


@pytest.mark.asyncio
async def test_without_the_limiter_the_same_sync_earns_429s(
    limited: tuple[RunningSandbox, Path, list[Org]],
) -> None:
    # the control of the test above: the same calls, limiter off, are refused
    sb, _, orgs = limited
    use_minutes(sb, orgs)
    problems: Counter[str] = Counter()

    async def count(response: httpx.Response) -> None:
        if response.status_code == 429:
            problems[response.headers.get("x-rate-limit-problem", "?")] += 1

    async with httpx.AsyncClient(verify=sb.verify(), event_hooks={"response": [count]}) as http:
        clients = async_clients(sb, orgs, http, None)
        results = await asyncio.gather(
            *(c.invoices.list(page=p, page_size=PAGE_SIZE) for c in clients
              for p in range(1, PAGES + 1)),
            return_exceptions=True,
        )  # fmt: skip
    refused = [r for r in results if isinstance(r, RateLimitError)]
    assert refused and len(refused) == sum(problems.values())
    assert problems["concurrent"] > 0  # five in progress a tenant, the rest refused at once


def tokens_issued(db: Path) -> Counter[str]:
    """How many tokens the identity server issued per tenant (the first one included)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT tenants FROM oauth_tokens").fetchall()
    return Counter(t for (tenants,) in rows for t in json.loads(tenants))


def test_the_celery_tasks_run_eagerly_without_a_broker(
    limited: tuple[RunningSandbox, Path, list[Org]],
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sb, db, _ = limited
    [org] = make_orgs(sb, db, 1, INVOICES, prefix="Eager")  # its own tokens and windows
    for name, value in {
        "XERO_CLIENT_ID": sb.client_id,
        "XERO_CLIENT_SECRET": sb.client_secret,
        "XERO_BASE_URL": sb.v2_base_url,
        "XERO_TOKEN_URL": sb.token_url,
        "XERO_CA_BUNDLE": str(sb.ca_bundle),
        "XERO_REDIS_URL": redis_url,
        "XERO_TIME_SCALE": str(TIME_SCALE),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.syspath_prepend(str(workers.EXAMPLES))
    import celery_sync

    celery_sync.shared_state.cache_clear()
    celery_sync._http.cache_clear()
    celery_sync.app.conf.task_always_eager = True  # Celery runs .delay() here, no broker
    try:
        celery_sync.store_token(org.tenant_id, org.token)
        every = celery_sync.sync_organisation.delay(org.tenant_id, PAGE_SIZE).get(timeout=120)
        assert sorted(every) == sorted(org.invoice_ids)
        first = celery_sync.sync_page.delay(org.tenant_id, 1, PAGE_SIZE).get(timeout=120)
        assert len(first) == PAGE_SIZE and set(first) <= org.invoice_ids
    finally:
        celery_sync.app.conf.task_always_eager = False
        celery_sync._http().close()
        celery_sync.shared_state.cache_clear()
        celery_sync._http.cache_clear()


def test_four_workers_sharing_redis_get_no_429_and_refresh_each_token_once(
    limited: tuple[RunningSandbox, Path, list[Org]], redis_url: str
) -> None:
    sb, db, orgs = limited
    before = tokens_issued(db)
    store = RedisTokenStore(redis_url)
    for org in orgs:  # the tokens expire (to the SDK) a moment into the run
        # the SDK refreshes a token refresh_leeway(token) seconds before it expires
        early = refresh_leeway(org.token) + 0.5
        store.put(org.tenant_id, {**org.token, "expires_at": time.time() + early})
    use_minutes(sb, orgs)
    env = {
        "XERO_CLIENT_ID": sb.client_id,
        "XERO_CLIENT_SECRET": sb.client_secret,
        "XERO_BASE_URL": sb.v2_base_url,
        "XERO_TOKEN_URL": sb.token_url,
        "XERO_CA_BUNDLE": str(sb.ca_bundle),
        "XERO_REDIS_URL": redis_url,
        "XERO_TIME_SCALE": str(TIME_SCALE),
    }
    tasks = [(org.tenant_id, page) for page in range(1, PAGES + 1) for org in orgs]
    shares = [tasks[i::4] for i in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(workers.sync_pages, [(env, share, PAGE_SIZE, 6) for share in shares])
    assert sum(too_many for _, too_many in results) == 0
    got: dict[str, list[str]] = {org.tenant_id: [] for org in orgs}
    for done, _ in results:
        for tenant, ids in done:
            got[tenant] += ids
    for org in orgs:  # every record once
        assert sorted(got[org.tenant_id]) == sorted(org.invoice_ids)
    after = tokens_issued(db)
    assert {org.tenant_id: after[org.tenant_id] - before[org.tenant_id] for org in orgs} == {
        org.tenant_id: 1 for org in orgs
    }
    # no refresh token lost: the one in Redis is the live one (it refreshes once more)
    last = orgs[-1]
    stored = store.get(last.tenant_id)
    assert stored is not None and stored["refresh_token"] != last.token["refresh_token"]
    with (
        httpx.Client(verify=sb.verify()) as http,
        XeroClient(
            client_id=sb.client_id,
            client_secret=sb.client_secret,
            token={**stored, "expires_at": 0},  # expired: forces a refresh with it
            tenant_id=last.tenant_id,
            token_url=sb.token_url,
            base_url=sb.v2_base_url,
            http_client=http,
            limiter=LIMITS,
        ) as client,
    ):
        assert len(client.invoices.list(page=1, page_size=PAGE_SIZE)) == PAGE_SIZE


def test_a_worker_killed_holding_slots_blocks_the_others_only_for_the_lease(
    redis_url: str,
) -> None:
    lease = 1.0
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    worker = ctx.Process(
        target=workers.hold_slots, args=(redis_url, "app-killed", "tenant-k", 5, lease, ready)
    )
    worker.start()
    try:
        assert ready.wait(60), "the worker never took its slots"
    finally:
        os.kill(worker.pid or 0, signal.SIGKILL)
        worker.join(10)
    assert worker.exitcode == -signal.SIGKILL
    impatient = RedisLimiter(redis_url, limits=RateLimits(max_wait=0), lease_seconds=lease)
    with pytest.raises(RateLimitError):  # the dead worker's 5 slots are still held
        impatient.acquire("app-killed", "tenant-k")
    patient = RedisLimiter(redis_url, limits=RateLimits(max_wait=10 * lease), lease_seconds=lease)
    slot = patient.acquire("app-killed", "tenant-k")  # freed when the leases expire
    patient.release(slot, 200, httpx.Headers())
