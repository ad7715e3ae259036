"""Issue 20 item 11: RedisLimiter under many calls in flight, against a real redis-server.

Before the fix, redis-py's pool (100 connections) raised ``MaxConnectionsError`` past ~100
calls in flight in one process, reported as "Redis cannot be reached" although it was up;
a release that failed was dropped and its lease stalled the tenant for ``lease_seconds``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
import redis
from xero_customer_api import RateLimits, XeroConnectionError
from xero_customer_api.redis import RedisLimiter

from .test_redis import APP, headers

GENEROUS = RateLimits(concurrent=5, per_minute=100_000, per_day=1_000_000, app_per_minute=1_000_000)


@pytest.mark.asyncio
async def test_1500_gathered_calls_wait_for_redis_instead_of_failing(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url, limits=GENEROUS)
    errors: list[BaseException] = []
    done = 0

    async def call(n: int) -> None:
        nonlocal done
        try:
            slot = await limiter.aacquire(APP, f"tenant-{n % 50}")
            await asyncio.sleep(0.002)
            await limiter.arelease(slot, 200, headers(minute=59))
            done += 1
        except Exception as exc:
            errors.append(exc)

    await asyncio.gather(*(call(n) for n in range(1500)))
    await limiter.aclose()
    assert [str(e)[:120] for e in errors[:3]] == [] and done == 1500


def test_many_threads_wait_for_redis_instead_of_failing(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url, limits=GENEROUS)
    errors: list[BaseException] = []
    start = threading.Barrier(160)

    def call(n: int) -> None:
        start.wait()
        try:
            for _ in range(3):
                slot = limiter.acquire(APP, f"tenant-{n % 50}")
                time.sleep(0.002)
                limiter.release(slot, 200, headers(minute=59))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(160)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    limiter.close()
    assert [str(e)[:120] for e in errors[:3]] == []


def leases(url: str, tenant: str) -> int:
    raw = redis.Redis.from_url(url)
    try:
        return int(raw.zcard(f"xero:limits:{APP}:t:{tenant}:leases"))
    finally:
        raw.close()


class FlakyScript:
    """A registered script whose first ``failures`` calls lose the connection."""

    def __init__(self, script: Any, failures: int) -> None:
        self.script = script
        self.failures = failures

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.failures:
            self.failures -= 1
            raise redis.exceptions.ConnectionError("Connection reset by peer")
        return self.script(*args, **kwargs)


def test_a_release_that_fails_once_is_retried(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url, limits=GENEROUS)
    slot = limiter.acquire(APP, "tenant-r")
    assert leases(redis_url, "tenant-r") == 1
    release = limiter._script(1)
    limiter._scripts = (limiter._scripts[0], FlakyScript(release, 2))  # type: ignore[index]
    limiter.release(slot, 200, headers(minute=59))
    assert leases(redis_url, "tenant-r") == 0  # not left to stall the tenant for 120 s
    limiter.close()


@pytest.mark.asyncio
async def test_an_async_release_that_fails_once_is_retried(redis_url: str) -> None:
    limiter = RedisLimiter(redis_url, limits=GENEROUS)
    slot = await limiter.aacquire(APP, "tenant-r")
    release = limiter._async_script(1)
    limiter._async_scripts = (limiter._async_scripts[0], FlakyScript(release, 2))  # type: ignore[index]
    await limiter.arelease(slot, 200, headers(minute=59))
    assert leases(redis_url, "tenant-r") == 0
    await limiter.aclose()


def test_a_redis_error_answer_is_not_called_unreachable(redis_url: str) -> None:
    raw = redis.Redis.from_url(redis_url)
    raw.set(f"xero:limits:{APP}:t:tenant-w:leases", "not a sorted set")
    raw.close()
    limiter = RedisLimiter(redis_url, limits=GENEROUS)
    with pytest.raises(XeroConnectionError) as caught:
        limiter.acquire(APP, "tenant-w")
    assert "cannot be reached" not in str(caught.value)
    assert "WRONGTYPE" in str(caught.value)
    limiter.close()
