"""Worker processes of the shared-state tests (importable by multiprocessing's spawn)."""

from __future__ import annotations

import os
import ssl
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Count429:
    """A response hook counting 429 answers."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, response: httpx.Response) -> None:
        if response.status_code == 429:
            self.count += 1

    async def aio(self, response: httpx.Response) -> None:
        self(response)


def _worker(env: dict[str, str]) -> tuple[Any, httpx.Client, Count429]:
    """This process as a worker of the Celery example: its environment, the example module,
    and the worker's connection pool with a 429 counter in place of the example's."""
    os.environ.update(env)
    sys.path.insert(0, str(EXAMPLES))
    import celery_sync

    seen = Count429()
    ca = env.get("XERO_CA_BUNDLE")
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca) if ca else True
    http = httpx.Client(verify=verify, event_hooks={"response": [seen]}, timeout=600)
    celery_sync._http = lambda: http
    return celery_sync, http, seen


def sync_pages(
    env: dict[str, str], tasks: list[tuple[str, int]], page_size: int, threads: int
) -> tuple[list[tuple[str, list[str]]], int]:
    """Run the Celery example's ``sync_page`` task for each (tenant, page), ``threads`` at a
    time, as one worker process would; return the ids per task and the 429s seen."""
    celery_sync, http, seen = _worker(env)
    with ThreadPoolExecutor(threads) as pool:
        done = list(
            pool.map(
                lambda task: (task[0], celery_sync.sync_page.run(task[0], task[1], page_size)),
                tasks,
            )
        )
    http.close()
    return done, seen.count


def hold_slots(redis_url: str, app: str, tenant: str, count: int, lease: float, ready: Any) -> None:
    """Take ``count`` in-progress slots and never give them back (the parent kills us)."""
    from xero_customer_api import RateLimits
    from xero_customer_api.redis import RedisLimiter

    limiter = RedisLimiter(redis_url, limits=RateLimits(concurrent=count), lease_seconds=lease)
    for _ in range(count):
        limiter.acquire(app, tenant)
    ready.set()
    time.sleep(600)


def drain_organisations(
    env: dict[str, str],
    queue_key: str,
    page_size: int,
    barrier: Any,
    results: Any,
) -> None:
    """A worker process of the benchmark: once every worker is ready (``barrier``), take
    organisation ids off the Redis list ``queue_key`` one at a time (as a Celery worker of
    concurrency 1 takes tasks off its broker) and run the example's ``sync_organisation``
    on each; put (organisations, invoices, 429s) on ``results``."""
    import redis

    celery_sync, http, seen = _worker(env)
    celery_sync.shared_state()  # connect before the clock starts
    broker = redis.Redis.from_url(env["XERO_REDIS_URL"])
    barrier.wait()
    organisations = invoices = 0
    while (tenant := broker.lpop(queue_key)) is not None:
        ids = celery_sync.sync_organisation.run(tenant.decode(), page_size)
        organisations += 1
        invoices += len(ids)
    http.close()
    results.put((organisations, invoices, seen.count))
