"""Shared state for many worker processes, in Redis: rate limits and tokens.

Import it as ``xero_customer_api.redis`` (needs the ``redis`` extra:
``pip install 'xero-customer-api[redis]'``); ``import xero_customer_api`` never imports redis.

- :class:`RedisLimiter`: the limits of :mod:`._limiter` kept in Redis, so that every worker
  of an app, on any machine, keeps Xero's limits together. Taking and giving back a slot is
  one Lua script each (atomic: no two workers take the last slot), timed by the Redis
  server's clock. A call in progress is a lease in a sorted set, scored by when it expires:
  a worker that dies holding slots blocks the others at most ``lease_seconds``.
- :class:`RedisTokenStore`: each organisation's tokens in Redis; a refresh is done by one
  worker under a Redis lock (redis-py's :class:`redis.lock.Lock`, which expires if its holder
  dies) while the others wait, then use the token it stored. The rotated refresh token is
  written before the lock is released and before ``on_token_refresh`` runs, so it is never
  lost.

Tokens are kept as JSON in clear: protect the Redis server as you protect the tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
import weakref
from collections.abc import Mapping
from typing import Any

import httpx
import redis
import redis.asyncio
import redis.exceptions

from ._errors import XeroConnectionError
from ._limiter import (
    Limiter,
    RateLimits,
    Slot,
    day_spent_error,
    limit_problem,
    retry_after_seconds,
    wait_too_long_error,
)
from ._ratelimit import RateLimit
from ._secrets import redact
from ._tokens import AsyncFetch, Fetch, TokenStore, Usable, same_token

__all__ = ["RedisLimiter", "RedisTokenStore"]

# The windows of _limiter._Window, one Redis hash each (used, seq, learned, gen: its creation
# time, which tells windows apart) that expires with the window, beside a sorted set of the
# calls in flight scored by their take number. Leases (calls in progress) are sorted sets
# scored by when they expire.
#
# KEYS: tenant leases, tenant minute, tenant day, app minute, app leases
# ARGV: lease id, lease ms, concurrent, per minute, per day, app per minute, minute ms, day ms,
#       has tenant ("1"/"0")
# -> {1, 0, marks...} taken (marks: gen, seq and pending -- the calls in flight when it was
#    taken -- of the app minute, tenant minute, tenant day);
#    {0, ms} wait (ms until a window resets; 0: until a call ends, poll);
#    {-1, ms} the tenant's day is spent (ms until it resets)
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease_ms = tonumber(ARGV[2])
local tenant = ARGV[9] == '1'
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
if tenant then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) end
local function used(k) return tonumber(redis.call('HGET', k, 'used') or '0') end
local function left(k) local ms = redis.call('PTTL', k); if ms < 0 then return 0 end; return ms end
if tenant and redis.call('HGET', KEYS[3], 'closed') == '1' and used(KEYS[3]) >= tonumber(ARGV[5]) then
  return {-1, left(KEYS[3])}
end
local wait = -1
if tenant and used(KEYS[2]) >= tonumber(ARGV[4]) then wait = math.max(wait, left(KEYS[2])) end
if used(KEYS[4]) >= tonumber(ARGV[6]) then wait = math.max(wait, left(KEYS[4])) end
if tenant and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then wait = math.max(wait, 0) end
if wait >= 0 then return {0, wait} end
local marks = {}
local function take(k, len)
  if redis.call('EXISTS', k) == 0 then
    redis.call('HSET', k, 'gen', now, 'used', 0, 'seq', 0, 'learned', 0)
    redis.call('PEXPIRE', k, len)
  end
  redis.call('HINCRBY', k, 'used', 1)
  local seq = redis.call('HINCRBY', k, 'seq', 1)
  local pending = redis.call('ZCARD', k .. ':f')
  redis.call('ZADD', k .. ':f', seq, ARGV[1])
  redis.call('PEXPIRE', k .. ':f', math.max(1, redis.call('PTTL', k)))
  table.insert(marks, redis.call('HGET', k, 'gen'))
  table.insert(marks, seq)
  table.insert(marks, pending)
end
take(KEYS[4], tonumber(ARGV[7]))
redis.call('ZADD', KEYS[5], now + lease_ms, ARGV[1])
redis.call('PEXPIRE', KEYS[5], lease_ms)
if tenant then
  take(KEYS[2], tonumber(ARGV[7]))
  take(KEYS[3], tonumber(ARGV[8]))
  redis.call('ZADD', KEYS[1], now + lease_ms, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease_ms)
end
local answer = {1, 0}
for _, m in ipairs(marks) do table.insert(answer, m) end
return answer
"""

# KEYS: as _ACQUIRE
# ARGV: lease id, answered ("1"/"0"), minute left, day left, app minute left ("" unknown),
#       closed window ("minute"/"day"/"app"/""), closed for ms, per minute, per day,
#       app per minute, minute ms, day ms, has tenant, then the marks of _ACQUIRE
_RELEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tenant = ARGV[13] == '1'
local lease = ARGV[1]
redis.call('ZREM', KEYS[5], lease)
if tenant then redis.call('ZREM', KEYS[1], lease) end
local function learn(k, limit, rem, len, gen, seq, pending)
  redis.call('ZREM', k .. ':f', lease)
  if ARGV[2] ~= '1' then return end
  if redis.call('EXISTS', k) == 0 then
    redis.call('HSET', k, 'gen', now, 'used', 0, 'seq', 0, 'learned', 0, 'anchored', '0')
    redis.call('PEXPIRE', k, len)
  elseif redis.call('HGET', k, 'anchored') ~= '1' and redis.call('HGET', k, 'gen') == gen then
    redis.call('HSET', k, 'anchored', '1')
    redis.call('PEXPIRE', k, len)
  end
  if rem == '' then return end
  local server = limit - math.min(tonumber(rem), limit)
  local w = redis.call('HMGET', k, 'gen', 'used', 'seq', 'learned')
  local used, now_seq, learned = tonumber(w[2]), tonumber(w[3]), tonumber(w[4])
  if w[1] ~= gen then
    redis.call('HSET', k, 'used', math.max(used, server + now_seq))
    return
  end
  local estimate = server + (now_seq - tonumber(seq)) + tonumber(pending)
  if tonumber(seq) > learned then
    redis.call('HSET', k, 'used', estimate, 'learned', seq)
  else
    redis.call('HSET', k, 'used', math.max(used, estimate))
  end
end
local function close(k, limit, ms)
  redis.call('HSET', k, 'used', limit, 'anchored', '1', 'gen', now, 'closed', '1')
  redis.call('PEXPIRE', k, math.max(1, ms))
end
learn(KEYS[4], tonumber(ARGV[10]), ARGV[5], tonumber(ARGV[11]), ARGV[14], ARGV[15], ARGV[16])
if tenant then
  learn(KEYS[2], tonumber(ARGV[8]), ARGV[3], tonumber(ARGV[11]), ARGV[17], ARGV[18], ARGV[19])
  learn(KEYS[3], tonumber(ARGV[9]), ARGV[4], tonumber(ARGV[12]), ARGV[20], ARGV[21], ARGV[22])
end
if ARGV[2] == '1' then
  local closed = ARGV[6]
  local ms = tonumber(ARGV[7])
  if closed == 'app' then close(KEYS[4], tonumber(ARGV[10]), ms) end
  if tenant and closed == 'minute' then close(KEYS[2], tonumber(ARGV[8]), ms) end
  if tenant and closed == 'day' then close(KEYS[3], tonumber(ARGV[9]), ms) end
end
return 1
"""


def _unreachable(exc: BaseException) -> bool:
    """A real connection failure (refused, reset, timed out), not a busy pool or an error
    answer."""
    return isinstance(
        exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
    ) and not isinstance(exc, redis.exceptions.MaxConnectionsError)


def _store_failed(exc: BaseException) -> XeroConnectionError:
    detail = f"{type(exc).__name__}: {redact(str(exc))[:200]}"
    if _unreachable(exc):
        return XeroConnectionError(f"the shared state in Redis cannot be reached: {detail}")
    return XeroConnectionError(f"Redis refused a command on the shared state: {detail}")


DEFAULT_MAX_CONNECTIONS = 50
"""Redis connections (and commands in flight) per limiter or token store, per sync/async."""

_RELEASE_RETRIES = (0.05, 0.25)
"""Seconds to wait before each retry of a release that failed on the connection."""


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


class _RedisConnections:
    """The Redis connections of a :class:`RedisLimiter` or :class:`RedisTokenStore`: the
    ones given, or made from ``url`` on first use (and then closed by :meth:`close` /
    :meth:`aclose`)."""

    def __init__(
        self,
        url: str | None,
        client: redis.Redis | None,
        async_client: redis.asyncio.Redis | None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        if url is None and client is None and async_client is None:
            raise ValueError(f"{type(self).__name__} needs a Redis `url` or `client`")
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise ValueError("`max_connections` must be a whole number >= 1")
        if max_connections < 1:
            raise ValueError("`max_connections` must be a whole number >= 1")
        self._url = url
        self._client = client
        self._async_client = async_client
        self.max_connections = max_connections
        # Commands in flight are bounded: past the bound, callers wait their turn (redis-py's
        # own pool would raise MaxConnectionsError past its 100 connections instead).
        self._gate = threading.BoundedSemaphore(max_connections)
        self._async_gates: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Semaphore
        ] = weakref.WeakKeyDictionary()

    def _async_gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._async_gates.get(loop)
        if gate is None:
            gate = self._async_gates[loop] = asyncio.Semaphore(self.max_connections)
        return gate

    def close(self) -> None:
        """Close the Redis connections this object opened (from ``url``)."""
        if self._url is not None and self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close the async Redis connections this object opened (call it on their loop)."""
        if self._url is not None and self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None

    def _sync(self) -> redis.Redis:
        if self._client is None:
            assert self._url is not None
            pool = redis.BlockingConnectionPool.from_url(
                self._url, max_connections=self.max_connections, timeout=None
            )
            self._client = redis.Redis.from_pool(pool)
        return self._client

    def _async(self) -> redis.asyncio.Redis:
        if self._async_client is None:
            if self._url is None:
                raise ValueError(
                    f"an async client needs {type(self).__name__}(url=...) or async_client="
                )
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                self._url, max_connections=self.max_connections, timeout=None
            )
            self._async_client = redis.asyncio.Redis.from_pool(pool)
        return self._async_client


class RedisLimiter(_RedisConnections, Limiter):
    """Xero's rate limits kept in Redis, shared by every process of an app.

    Args:
        url: The Redis URL (``redis://host:6379/0``); or give ``client``.
        client: A ``redis.Redis`` for sync clients.
        async_client: A ``redis.asyncio.Redis`` for async clients (made from ``url`` when
            not given).
        limits: The limits and waiting policy (window lengths scaled for a sandbox too).
        prefix: The prefix of every key this limiter writes.
        lease_seconds: How long a call may hold its in-progress slot: a worker that dies
            holding one frees it after this long. Keep it above the longest call.
        poll_seconds: How often a call waiting for a call in progress to end looks again.
        max_connections: Redis commands in flight at once per event loop (and for all
            threads); more callers wait their turn. Connections made from ``url`` are a
            blocking pool of this size.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: redis.Redis | None = None,
        async_client: redis.asyncio.Redis | None = None,
        limits: RateLimits | None = None,
        prefix: str = "xero:limits",
        lease_seconds: float = 120.0,
        poll_seconds: float = 0.005,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        _RedisConnections.__init__(self, url, client, async_client, max_connections)
        self.limits = limits or RateLimits()
        problems = self.limits.problems()
        if problems:
            raise ValueError("; ".join(problems))
        self.prefix = prefix
        self.lease_ms = max(1, int(lease_seconds * 1000))
        self.poll = poll_seconds
        self._scripts: tuple[Any, Any] | None = None  # (acquire, release): EVALSHA, then EVAL
        self._async_scripts: tuple[Any, Any] | None = None

    def __repr__(self) -> str:
        return f"RedisLimiter(prefix={self.prefix!r}, {self.limits!r})"  # never the URL

    def _script(self, which: int) -> Any:
        """The acquire (0) or release (1) script for the sync client (sent by its SHA1; the
        source only when Redis does not know it yet)."""
        client = self._sync()
        if self._scripts is None:
            self._scripts = (client.register_script(_ACQUIRE), client.register_script(_RELEASE))
        return self._scripts[which]

    def _async_script(self, which: int) -> Any:
        client = self._async()
        if self._async_scripts is None:
            self._async_scripts = (
                client.register_script(_ACQUIRE),
                client.register_script(_RELEASE),
            )
        return self._async_scripts[which]

    def _keys(self, app: str, tenant: str | None) -> list[str]:
        base = f"{self.prefix}:{app}"
        t = f"{base}:t:{tenant or '-'}"
        return [f"{t}:leases", f"{t}:minute", f"{t}:day", f"{base}:minute", f"{base}:leases"]

    def _acquire_args(self, lease: str, tenant: str | None) -> list[Any]:
        lim = self.limits
        return [
            lease,
            self.lease_ms,
            lim.concurrent,
            lim.per_minute,
            lim.per_day,
            lim.app_per_minute,
            max(1, int(lim.minute * 1000)),
            max(1, int(lim.day * 1000)),
            "1" if tenant is not None else "0",
        ]

    def _release_args(
        self, slot: Slot, status: int | None, headers: httpx.Headers | None
    ) -> list[Any]:
        lim = self.limits
        seen = RateLimit.from_headers(headers) if status is not None else RateLimit()
        closed, closed_ms = "", 0
        if status == 429:
            problem = limit_problem(headers)
            pause = retry_after_seconds(headers)
            closed_ms = int((lim.minute if pause is None else pause) * 1000)
            closed = {"minute": "minute", "day": "day", "appminute": "app"}.get(problem, "")
        return [
            slot.lease[0],
            "1" if status is not None else "0",
            _count(seen.minute_remaining),
            _count(seen.day_remaining),
            _count(seen.app_minute_remaining),
            closed,
            closed_ms,
            lim.per_minute,
            lim.per_day,
            lim.app_per_minute,
            max(1, int(lim.minute * 1000)),
            max(1, int(lim.day * 1000)),
            "1" if slot.tenant is not None else "0",
            *slot.lease[1],
        ]

    def _decide(self, answer: Any, tenant: str | None, waited: float) -> list[str] | float:
        """The marks of a slot taken, or seconds to wait. Raises for a spent day or a wait
        past ``max_wait``."""
        code, ms = int(answer[0]), int(answer[1])
        if code == 1:
            return [v.decode() if isinstance(v, bytes) else str(v) for v in answer[2:]]
        if code == -1:
            raise day_spent_error(tenant, ms / 1000)
        wait = self.poll if ms <= 0 else ms / 1000
        limit = self.limits.max_wait
        if limit is not None and (waited + wait > limit if ms > 0 else waited >= limit):
            raise wait_too_long_error(waited + wait, limit)
        return wait

    def reset(self) -> None:
        """Forget every count and closed window of this limiter's prefix (leases of calls in
        progress are kept)."""
        client = self._sync()
        try:
            with self._gate:
                doomed = [
                    key
                    for key in client.scan_iter(match=f"{self.prefix}:*", count=500)
                    if not (key.decode() if isinstance(key, bytes) else str(key)).endswith(
                        ":leases"
                    )
                ]
                for start in range(0, len(doomed), 500):
                    client.delete(*doomed[start : start + 500])
        except redis.exceptions.RedisError as exc:
            raise _store_failed(exc) from None

    async def areset(self) -> None:
        client = self._async()
        try:
            async with self._async_gate():
                doomed = [
                    key
                    async for key in client.scan_iter(match=f"{self.prefix}:*", count=500)
                    if not (key.decode() if isinstance(key, bytes) else str(key)).endswith(
                        ":leases"
                    )
                ]
                for start in range(0, len(doomed), 500):
                    await client.delete(*doomed[start : start + 500])
        except redis.exceptions.RedisError as exc:
            raise _store_failed(exc) from None

    def _run(self, which: int, keys: list[str], args: list[Any]) -> Any:
        """Run a script, waiting for a turn among the commands in flight (``_gate``)."""
        with self._gate:
            return self._script(which)(keys=keys, args=args, client=self._sync())

    async def _arun(self, which: int, keys: list[str], args: list[Any]) -> Any:
        async with self._async_gate():
            return await self._async_script(which)(keys=keys, args=args, client=self._async())

    def acquire(self, app: str, tenant: str | None) -> Slot:
        lease = uuid.uuid4().hex
        keys, args = self._keys(app, tenant), self._acquire_args(lease, tenant)
        started = time.monotonic()
        while True:
            try:
                answer = self._run(0, keys, args)
            except redis.exceptions.MaxConnectionsError:
                time.sleep(self.poll)  # a pool shared with others is full: wait, not fail
                continue
            except redis.exceptions.RedisError as exc:
                raise _store_failed(exc) from None
            wait = self._decide(answer, tenant, time.monotonic() - started)
            if isinstance(wait, list):
                return Slot(app, tenant, waited=time.monotonic() - started, lease=(lease, wait))
            time.sleep(wait)

    async def aacquire(self, app: str, tenant: str | None) -> Slot:
        lease = uuid.uuid4().hex
        keys, args = self._keys(app, tenant), self._acquire_args(lease, tenant)
        started = time.monotonic()
        while True:
            try:
                answer = await self._arun(0, keys, args)
            except redis.exceptions.MaxConnectionsError:
                await asyncio.sleep(self.poll)
                continue
            except redis.exceptions.RedisError as exc:
                raise _store_failed(exc) from None
            wait = self._decide(answer, tenant, time.monotonic() - started)
            if isinstance(wait, list):
                return Slot(app, tenant, waited=time.monotonic() - started, lease=(lease, wait))
            await asyncio.sleep(wait)

    def release(self, slot: Slot, status: int | None, headers: httpx.Headers | None) -> None:
        """Give the slot back; a release that fails on the connection is tried again
        (``_RELEASE_RETRIES``), then left to expire (a release never fails a call)."""
        if slot.released:
            return
        slot.released = True
        keys, args = self._keys(slot.app, slot.tenant), self._release_args(slot, status, headers)
        for delay in (*_RELEASE_RETRIES, None):
            try:
                self._run(1, keys, args)
                return
            except redis.exceptions.RedisError as exc:
                if delay is None or not (
                    _unreachable(exc) or isinstance(exc, redis.exceptions.MaxConnectionsError)
                ):
                    return  # the lease expires by itself after lease_seconds
                time.sleep(delay)

    async def arelease(self, slot: Slot, status: int | None, headers: httpx.Headers | None) -> None:
        if slot.released:
            return
        slot.released = True
        keys, args = self._keys(slot.app, slot.tenant), self._release_args(slot, status, headers)
        for delay in (*_RELEASE_RETRIES, None):
            try:
                await self._arun(1, keys, args)
                return
            except redis.exceptions.RedisError as exc:
                if delay is None or not (
                    _unreachable(exc) or isinstance(exc, redis.exceptions.MaxConnectionsError)
                ):
                    return
                await asyncio.sleep(delay)


class RedisTokenStore(_RedisConnections, TokenStore):
    """Each organisation's OAuth 2.0 tokens in Redis, refreshed once among all workers.

    Args:
        url: The Redis URL; or give ``client`` (and ``async_client`` for async clients).
        client: A ``redis.Redis``.
        async_client: A ``redis.asyncio.Redis`` (made from ``url`` when not given).
        prefix: The prefix of the keys (``{prefix}:{tenant_id}``).
        lock_seconds: How long a refresh may hold the lock (it expires if the worker dies).
        wait_seconds: How long a worker waits for another's refresh before giving up.
        max_connections: The size of the blocking connection pool made from ``url``.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: redis.Redis | None = None,
        async_client: redis.asyncio.Redis | None = None,
        prefix: str = "xero:tokens",
        lock_seconds: float = 30.0,
        wait_seconds: float = 60.0,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        _RedisConnections.__init__(self, url, client, async_client, max_connections)
        self.prefix = prefix
        self.lock_seconds = lock_seconds
        self.wait_seconds = wait_seconds

    def __repr__(self) -> str:
        return f"RedisTokenStore(prefix={self.prefix!r})"  # never the URL or a token

    def _name(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    @staticmethod
    def _load(raw: object) -> dict[str, Any] | None:
        if raw is None:
            return None
        try:
            value = json.loads(raw if isinstance(raw, (str, bytes)) else str(raw))
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            return self._load(self._sync().get(self._name(key)))
        except redis.exceptions.RedisError as exc:
            raise _store_failed(exc) from None

    def put(self, key: str, token: Mapping[str, Any]) -> None:
        try:
            self._sync().set(self._name(key), json.dumps(dict(token)), nx=True)
        except redis.exceptions.RedisError as exc:
            raise _store_failed(exc) from None

    def refresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: Fetch, usable: Usable
    ) -> dict[str, Any]:
        client = self._sync()
        try:
            lock = client.lock(
                self._name(key) + ":lock",
                timeout=self.lock_seconds,
                blocking_timeout=self.wait_seconds,
            )
            if not lock.acquire():
                raise XeroConnectionError(
                    "another worker held the token refresh lock for longer than wait_seconds"
                )
            try:
                current = self._load(client.get(self._name(key)))
                if current is not None and not same_token(current, stale) and usable(current):
                    return current
                token = fetch(current)
                client.set(self._name(key), json.dumps(token))  # before the lock is released
                return token
            finally:
                with contextlib.suppress(
                    redis.exceptions.LockError
                ):  # it expired: the token is stored anyway
                    lock.release()
        except redis.exceptions.RedisError as exc:
            raise _store_failed(exc) from None

    async def arefresh(
        self, key: str, stale: Mapping[str, Any] | None, fetch: AsyncFetch, usable: Usable
    ) -> dict[str, Any]:
        client = self._async()
        try:
            lock = client.lock(
                self._name(key) + ":lock",
                timeout=self.lock_seconds,
                blocking_timeout=self.wait_seconds,
            )
            if not await lock.acquire():
                raise XeroConnectionError(
                    "another worker held the token refresh lock for longer than wait_seconds"
                )
            try:
                current = self._load(await client.get(self._name(key)))
                if current is not None and not same_token(current, stale) and usable(current):
                    return current
                token = await fetch(current)
                await client.set(self._name(key), json.dumps(token))
                return token
            finally:
                with contextlib.suppress(redis.exceptions.LockError):
                    await lock.release()
        except redis.exceptions.RedisError as exc:
            raise _store_failed(exc) from None
