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


def sync_pages(
    env: dict[str, str], tasks: list[tuple[str, int]], page_size: int, threads: int
) -> tuple[list[tuple[str, list[str]]], int]:
    """Run the Celery example's ``sync_page`` task for each (tenant, page), ``threads`` at a
    time, as one worker process would; return the ids per task and the 429s seen."""
    os.environ.update(env)
    sys.path.insert(0, str(EXAMPLES))
    import celery_sync

    too_many = 0

    def count(response: httpx.Response) -> None:
        nonlocal too_many
        if response.status_code == 429:
            too_many += 1

    verify = ssl.create_default_context(cafile=env["XERO_CA_BUNDLE"])
    http = httpx.Client(verify=verify, event_hooks={"response": [count]})
    celery_sync._http = lambda: http  # the worker's pool, with a 429 counter
    with ThreadPoolExecutor(threads) as pool:
        done = list(
            pool.map(
                lambda task: (task[0], celery_sync.sync_page.run(task[0], task[1], page_size)),
                tasks,
            )
        )
    http.close()
    return done, too_many


def hold_slots(redis_url: str, app: str, tenant: str, count: int, lease: float, ready: Any) -> None:
    """Take ``count`` in-progress slots and never give them back (the parent kills us)."""
    from xero_customer_api import RateLimits
    from xero_customer_api.redis import RedisLimiter

    limiter = RedisLimiter(redis_url, limits=RateLimits(concurrent=count), lease_seconds=lease)
    for _ in range(count):
        limiter.acquire(app, tenant)
    ready.set()
    time.sleep(600)
