"""Client-side rate limits: a call waits for a slot instead of earning a 429.

Xero allows each app, per organisation (tenant), 5 calls in progress, 60 calls a minute and
5,000 a day, and 10,000 calls a minute across all organisations. A client of an API version
whose auth style has limits (:data:`DEFAULT_RATE_LIMITS`, keyed by the manifest's ``auth``)
takes a slot from a :class:`Limiter` before each attempt of a call and gives it back when the
answer has been read (a stream: when it is closed):

- a slot is free when the tenant has fewer than ``concurrent`` calls in progress and calls
  left in its minute and day windows, and the app has calls left in its minute window; else
  the call waits (a sync client on a ``threading.Condition``, an async client on a future, so
  the event loop is never blocked), and the time waited does not count against its timeout;
- a tenant whose day is spent raises :class:`~._errors.RateLimitError` (``problem="day"``)
  at once: nobody should sleep for hours;
- every answer's ``X-MinLimit-Remaining``, ``X-DayLimit-Remaining`` and
  ``X-AppMinLimit-Remaining`` correct the local counts: the server is the truth, the local
  count a forecast (other processes, an earlier run, a window that started elsewhere); a 429
  closes the window it names for its ``Retry-After``.

Windows are fixed, as Xero's are, and start when the first answer of the window arrives (never
before the server's own, so this side never runs ahead of it). The arithmetic is a counter and
a start time per window; the rate-limit libraries considered (``limits``) cannot take the
server's count as the truth, take a slot in several windows at once, or run on an injected
clock, so it is kept here, in :class:`_Window`, once for every limiter.

One :class:`InProcessLimiter` per :class:`RateLimits` is shared by every client of the process
(sync and async, every thread and task); its state is keyed by app (the client id, or the
access token's hash) and tenant. ``xero_customer_api.redis.RedisLimiter`` keeps the same
state in Redis for many processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from ._errors import RateLimitError
from ._ratelimit import RateLimit

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "InProcessLimiter",
    "Limiter",
    "RateLimits",
    "Slot",
    "app_key",
    "resolve_limiter",
    "shared_limiter",
]


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Xero's limits for one app, and how a call waits for them.

    Attributes:
        concurrent: Calls in progress per tenant (Xero: 5).
        per_minute: Calls per tenant and minute window (Xero: 60).
        per_day: Calls per tenant and day window (Xero: 5,000).
        app_per_minute: Calls of the whole app per minute window, all tenants (Xero: 10,000).
        minute: The minute window in seconds (60; less against a sandbox whose clock runs
            faster, e.g. ``--time-scale 60`` -> 1.0).
        day: The day window in seconds (86,400, scaled the same way).
        max_wait: The longest a call waits for a slot, in seconds; a call that would wait
            longer raises ``RateLimitError`` at once (None: as long as the windows need;
            0: never wait).
    """

    concurrent: int = 5
    per_minute: int = 60
    per_day: int = 5000
    app_per_minute: int = 10_000
    minute: float = 60.0
    day: float = 86_400.0
    max_wait: float | None = None

    def problems(self) -> list[str]:
        """What is wrong with these limits (empty when usable)."""
        found = [
            f"`RateLimits.{name}` must be a whole number >= 1"
            for name in ("concurrent", "per_minute", "per_day", "app_per_minute")
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1
        ]
        found += [
            f"`RateLimits.{name}` must be a number of seconds > 0"
            for name in ("minute", "day")
            if not isinstance(getattr(self, name), (int, float)) or not getattr(self, name) > 0
        ]
        wait = self.max_wait
        if wait is not None and (not isinstance(wait, (int, float)) or not wait >= 0):
            found.append("`RateLimits.max_wait` must be None or a number of seconds >= 0")
        return found

    def scaled(self, time_scale: float) -> RateLimits:
        """The same limits with windows ``time_scale`` times shorter (a sandbox's clock)."""
        return RateLimits(
            concurrent=self.concurrent,
            per_minute=self.per_minute,
            per_day=self.per_day,
            app_per_minute=self.app_per_minute,
            minute=self.minute / time_scale,
            day=self.day / time_scale,
            max_wait=self.max_wait,
        )


DEFAULT_RATE_LIMITS: dict[str, RateLimits | None] = {"oauth2": RateLimits(), "query-keys": None}
"""The manifest's ``auth`` value (a client's ``_auth_style``) -> the limits its calls keep by
default (None: the API has no published limits, the client has no limiter)."""


@dataclass(slots=True)
class Slot:
    """One call's place in the limits, from :meth:`Limiter.acquire` to :meth:`Limiter.release`.

    Attributes:
        app: The app's key (:func:`app_key`).
        tenant: The tenant id, or None for a tenantless call (``/connections``).
        waited: Seconds the call waited for the slot.
        lease: The backend's handle of the slot (a Redis lease id ...).
    """

    app: str
    tenant: str | None
    waited: float = 0.0
    lease: Any = None
    released: bool = field(default=False, repr=False)

    def extend(self, deadline: float | None) -> float | None:
        """A call's deadline moved by the time it waited here (waiting is not its timeout)."""
        return None if deadline is None else deadline + self.waited


def day_spent_error(tenant: str | None, retry_after: float | None) -> RateLimitError:
    when = f"; the window resets in {retry_after:.0f} s" if retry_after is not None else ""
    return RateLimitError(
        f"the day's calls for this organisation are spent (Xero's day limit){when}",
        status_code=429,
        retry_after=retry_after,
        problem="day",
    )


def wait_too_long_error(wait: float, max_wait: float) -> RateLimitError:
    return RateLimitError(
        f"a call would wait {wait:.1f} s for a rate-limit slot, more than max_wait "
        f"({max_wait:g} s)",
        status_code=429,
        retry_after=wait,
        problem="minute",
    )


class Limiter:
    """Where clients take and give back their rate-limit slots (the interface).

    :class:`InProcessLimiter` keeps the counts in this process;
    ``xero_customer_api.redis.RedisLimiter`` in Redis, for many processes.
    """

    limits: RateLimits

    def acquire(self, app: str, tenant: str | None) -> Slot:
        """Wait (blocking the thread) for a slot of ``app`` and ``tenant``; the caller must
        :meth:`release` it.

        Raises:
            RateLimitError: The tenant's day is spent, or the wait would exceed ``max_wait``.
        """
        raise NotImplementedError

    async def aacquire(self, app: str, tenant: str | None) -> Slot:
        """:meth:`acquire` for async clients: awaits, never blocks the event loop."""
        raise NotImplementedError

    def release(self, slot: Slot, status: int | None, headers: httpx.Headers | None) -> None:
        """Give ``slot`` back and learn from the answer (``status``/``headers``; None when
        no answer arrived). Never raises; releasing twice does nothing."""
        raise NotImplementedError

    async def arelease(self, slot: Slot, status: int | None, headers: httpx.Headers | None) -> None:
        """:meth:`release` for async clients."""
        self.release(slot, status, headers)

    def reset(self) -> None:
        """Forget every count and closed window learned so far (calls in progress keep their
        slots): e.g. once you know Xero's day has reset. Sync; see :meth:`areset`."""
        raise NotImplementedError

    async def areset(self) -> None:
        """:meth:`reset` for async code."""
        self.reset()


def retry_after_seconds(headers: httpx.Headers | None) -> float | None:
    """A 429's ``Retry-After`` in whole seconds (None when absent or not digits)."""
    value: str = (headers or httpx.Headers()).get("retry-after", "")
    value = value.strip()
    return float(value) if value.isascii() and value.isdigit() and len(value) < 9 else None


def limit_problem(headers: httpx.Headers | None) -> str:
    """The limit a 429 names (``X-Rate-Limit-Problem``, lower case; "" when absent)."""
    value: str = (headers or httpx.Headers()).get("x-rate-limit-problem", "")
    return value.strip().lower()


class _Window:
    """A fixed window: at most ``limit`` takes from ``start`` for ``length`` seconds.

    Takes are numbered (``seq``) within a window (``epoch``); a slot keeps the mark
    ``(epoch, seq, pending)`` of its take, ``pending`` the calls in flight when it was taken.
    An answer to the call taken ``seq``-th reports the server's count: the server has
    counted every call answered before that call was sent, perhaps not the ``pending`` ones
    (calls sent at once reach the server in any order), and perhaps none taken after it. So
    the count here becomes the server's plus the calls taken after that one plus its
    ``pending``; an answer older than the newest one learned from can only raise it
    (answers overtake each other). Only an answer to a call of this window anchors it: an
    older call's answer may arrive before this window's first call reaches the server.
    """

    __slots__ = (
        "anchored",
        "closed",
        "epoch",
        "in_flight",
        "learned",
        "length",
        "limit",
        "seq",
        "start",
        "used",
    )

    def __init__(self, limit: int, length: float) -> None:
        self.limit = limit
        self.length = length
        self.start: float | None = None
        self.used = 0
        self.anchored = False  # start moved to the first answer of the window
        self.closed = False  # the server said it is spent (a 429 naming it, Retry-After)
        self.epoch = 0
        self.seq = 0
        self.learned = 0
        self.in_flight: set[int] = set()

    def _roll(self, now: float) -> None:
        if self.start is not None and now >= self.start + self.length:
            self.start, self.used, self.anchored, self.closed = None, 0, False, False
            self.epoch, self.seq, self.learned = self.epoch + 1, 0, 0
            self.in_flight = set()

    def remaining(self, now: float) -> int:
        self._roll(now)
        return self.limit - self.used

    def reset_in(self, now: float) -> float:
        """Seconds until the window resets (0 when it has not started)."""
        return 0.0 if self.start is None else max(0.0, self.start + self.length - now)

    def take(self, now: float) -> tuple[int, int, int]:
        """Count one call; its mark."""
        self._roll(now)
        if self.start is None:
            self.start = now
        self.used += 1
        self.seq += 1
        pending = len(self.in_flight)
        self.in_flight.add(self.seq)
        return self.epoch, self.seq, pending

    def learn(self, now: float, server_remaining: int | None, mark: tuple[int, int, int]) -> None:
        """The call of ``mark`` ended (answered when ``server_remaining`` is known, or with
        an answer at all: the window is anchored at the first answer, so it never ends
        before the server's)."""
        epoch, seq, pending = mark
        if epoch == self.epoch:
            self.in_flight.discard(seq)
        self._roll(now)
        if self.start is None:
            self.start = now
        if epoch == self.epoch and not self.anchored:
            self.start, self.anchored = now, True
        if server_remaining is None:
            return
        server = self.limit - min(server_remaining, self.limit)
        if epoch != self.epoch:  # taken in an earlier window: every take here may be uncounted
            self.used = max(self.used, server + self.seq)
            return
        estimate = server + (self.seq - seq) + pending
        if seq > self.learned:
            self.used, self.learned = estimate, seq
        else:
            self.used = max(self.used, estimate)

    def forget(self, mark: tuple[int, int, int]) -> None:
        """The call of ``mark`` ended without an answer."""
        if mark[0] == self.epoch:
            self.in_flight.discard(mark[1])

    def close_for(self, now: float, seconds: float) -> None:
        """The server said this window is spent for ``seconds`` (a 429's Retry-After)."""
        self.used = self.limit
        self.start = now + seconds - self.length
        self.anchored, self.closed = True, True

    def spent_by_server(self, now: float) -> bool:
        """Whether the server closed this window (a 429 naming it) and it has not reset."""
        return self.remaining(now) <= 0 and self.closed


class _Tenant:
    __slots__ = ("day", "in_progress", "minute")

    def __init__(self, limits: RateLimits) -> None:
        self.in_progress = 0
        self.minute = _Window(limits.per_minute, limits.minute)
        self.day = _Window(limits.per_day, limits.day)


class _App:
    __slots__ = ("in_progress", "minute", "tenants")

    def __init__(self, limits: RateLimits) -> None:
        self.in_progress = 0
        self.minute = _Window(limits.app_per_minute, limits.minute)
        self.tenants: dict[str | None, _Tenant] = {}


class _Waiter:
    """A call waiting for a slot: a thread on an event, or a task on a future of its loop."""

    __slots__ = ("event", "future", "loop", "signaled")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop | None = None,
        future: asyncio.Future[None] | None = None,
    ) -> None:
        self.loop, self.future = loop, future
        self.event = threading.Event() if future is None else None
        self.signaled = False

    def signal(self) -> bool:
        """Wake it; False when it can no longer wake (its event loop is closed)."""
        self.signaled = True
        if self.event is not None:
            self.event.set()
            return True
        assert self.loop is not None and self.future is not None
        try:
            self.loop.call_soon_threadsafe(_resolve, self.future)
        except RuntimeError:  # that loop is closed: nobody waits there any more
            return False
        return True


_DAY_RULE = """A tenant's day blocks calls only once Xero said so: a 429 naming the day, for
its Retry-After. The counts of 200 answers (X-DayLimit-Remaining: 0) and the local count do
not: Xero's day does not start at this process's first call, so a block from them could last
up to 24 hours past Xero's own reset; the one call that meets the spent day gets the 429 and
its Retry-After, which then holds every call of the tenant for exactly that long."""


class InProcessLimiter(Limiter):
    """The limits kept in this process, safe across threads and event loops.

    Calls waiting for a slot queue per (app, tenant), first come first served. A slot given
    back wakes the first waiter of its tenant only, and a call that takes a slot wakes the
    next; only the head of a queue watches the clock (for the window that holds it), so
    thousands of waiting calls cost nothing while they wait.

    Args:
        limits: The limits and waiting policy.
        clock: Seconds from a monotonic clock (tests inject their own and call
            :meth:`wake` after moving it).
    """

    def __init__(
        self, limits: RateLimits | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or RateLimits()
        self._clock = clock
        self._lock = threading.Lock()
        self._apps: dict[str, _App] = {}
        self._waiters: dict[tuple[str, str | None], deque[_Waiter]] = {}

    def __repr__(self) -> str:
        return f"InProcessLimiter({self.limits!r})"

    def reset(self) -> None:
        with self._lock:
            for state in self._apps.values():
                state.minute = _App(self.limits).minute
                for t in state.tenants.values():
                    fresh = _Tenant(self.limits)
                    t.minute, t.day = fresh.minute, fresh.day
            keys = list(self._waiters)
        for key in keys:  # waiting calls look again
            with self._lock:
                self._pass_on(key)

    # ------------------------------------------------------------------ state (under the lock)

    def _tenant(self, app: str, tenant: str | None) -> tuple[_App, _Tenant]:
        state = self._apps.get(app)
        if state is None:
            state = self._apps[app] = _App(self.limits)
        t = state.tenants.get(tenant)
        if t is None:
            t = state.tenants[tenant] = _Tenant(self.limits)
        return state, t

    def _try_take(
        self, app: str, tenant: str | None, waited: float
    ) -> list[tuple[int, int, int]] | float:
        """Take a slot (its windows' marks) or say how long to wait (``inf``: until a slot
        is given back).

        Raises RateLimitError for a spent day or a wait past ``max_wait``.
        """
        now = self._clock()
        state, t = self._tenant(app, tenant)
        if tenant is not None and t.day.spent_by_server(now):  # see _DAY_RULE
            raise day_spent_error(tenant, t.day.reset_in(now))
        waits = self._waits(now, state, t, tenant)
        if not waits:
            t.in_progress += 1
            state.in_progress += 1
            marks = [state.minute.take(now)]
            if tenant is not None:
                marks += [t.minute.take(now), t.day.take(now)]
            return marks
        wait = max(waits)
        limit = self.limits.max_wait
        if limit is not None:
            if wait == float("inf"):  # until a call in progress ends, at most what is left
                if waited >= limit:
                    raise wait_too_long_error(waited, limit)
                wait = limit - waited
            elif waited + wait > limit:
                raise wait_too_long_error(waited + wait, limit)
        return max(wait, 0.001)

    def _waits(self, now: float, state: _App, t: _Tenant, tenant: str | None) -> list[float]:
        """What holds a call of ``tenant`` back now: the seconds until each spent window
        resets, ``inf`` for a full set of calls in progress (empty: it may go)."""
        windows = (t.minute, state.minute) if tenant is not None else (state.minute,)
        waits = [w.reset_in(now) for w in windows if w.remaining(now) <= 0]
        if tenant is not None and t.in_progress >= self.limits.concurrent:
            waits.append(float("inf"))
        return waits

    def _has_room(self, app: str, tenant: str | None) -> bool:
        """Whether one more call of ``tenant`` could take a slot now."""
        now = self._clock()
        state, t = self._tenant(app, tenant)
        if tenant is not None and t.day.spent_by_server(now):
            return False
        return not self._waits(now, state, t, tenant)

    def _give_back(self, slot: Slot, status: int | None, headers: httpx.Headers | None) -> None:
        now = self._clock()
        state, t = self._tenant(slot.app, slot.tenant)
        t.in_progress = max(0, t.in_progress - 1)
        state.in_progress = max(0, state.in_progress - 1)
        marks: list[tuple[int, int, int]] = slot.lease
        windows = [state.minute] + ([t.minute, t.day] if slot.tenant is not None else [])
        if status is None:
            for window, mark in zip(windows, marks, strict=True):
                window.forget(mark)
        else:
            seen = RateLimit.from_headers(headers)
            counts = [seen.app_minute_remaining, seen.minute_remaining, seen.day_remaining]
            for window, mark, count in zip(windows, marks, counts, strict=False):
                window.learn(now, count, mark)
            if status == 429:
                problem = limit_problem(headers)
                pause = retry_after_seconds(headers)
                pause = self.limits.minute if pause is None else pause
                if problem == "day" and slot.tenant is not None:
                    t.day.close_for(now, pause)
                elif problem in ("appminute", "app-minute", "app"):
                    state.minute.close_for(now, pause)
                elif problem == "minute" and slot.tenant is not None:
                    t.minute.close_for(now, pause)
        self._pass_on((slot.app, slot.tenant))

    def _pass_on(self, key: tuple[str, str | None]) -> None:
        """Wake the first call waiting for ``key`` (it takes a slot or waits again)."""
        queue = self._waiters.get(key)
        while queue:
            if queue.popleft().signal():
                break
        if queue is not None and not queue:
            del self._waiters[key]

    def _enqueue(self, key: tuple[str, str | None], waiter: _Waiter, front: bool) -> bool:
        """Queue ``waiter`` (at the front when it was there already); True when it heads
        the queue."""
        queue = self._waiters.setdefault(key, deque())
        head = front or not queue
        if front:
            queue.appendleft(waiter)
        else:
            queue.append(waiter)
        return head

    def _timeout(self, wait: float, head: bool) -> float | None:
        """How long a waiter sleeps unwoken: the head until its window resets, the others
        until woken (or their ``max_wait``); a wait for a call in progress, until woken."""
        if wait == float("inf") or not (head or self.limits.max_wait is not None):
            return None
        return wait

    def _leave(self, key: tuple[str, str | None], waiter: _Waiter) -> bool:
        """Take ``waiter`` off its queue; True when it was at the front (woken to look, or
        heading the queue): it keeps the front, or wakes the next if it goes."""
        queue = self._waiters.get(key)
        head = bool(queue) and queue is not None and queue[0] is waiter
        if queue is not None:
            if head:
                queue.popleft()
            elif not waiter.signaled:  # a woken waiter was taken off already
                with contextlib.suppress(ValueError):
                    queue.remove(waiter)
            if not queue:
                del self._waiters[key]
        return head or waiter.signaled

    def _attempt(
        self, key: tuple[str, str | None], waiter: _Waiter | None, started: float
    ) -> tuple[Slot | None, float, bool]:
        """One look for a slot (under the lock) by a new call or a waiter that woke: the
        slot, or None with how long to wait and whether the call was at the front."""
        app, tenant = key
        front = waiter is not None and self._leave(key, waiter)
        try:
            wait = self._try_take(app, tenant, self._clock() - started)
        except BaseException:
            if front:  # this call gives up its place: the next one looks for itself
                self._pass_on(key)
            raise
        if isinstance(wait, list):
            if self._has_room(app, tenant):
                self._pass_on(key)  # the next in line finds a slot too
            return Slot(app, tenant, waited=self._clock() - started, lease=wait), 0.0, front
        return None, wait, front

    def _abandon(self, key: tuple[str, str | None], waiter: _Waiter) -> None:
        """A waiting call ends without a slot (cancelled, interrupted)."""
        with self._lock:
            if self._leave(key, waiter):
                self._pass_on(key)

    # ------------------------------------------------------------------ the interface

    def wake(self) -> None:
        """Let every waiting call look again now (after an injected clock moved)."""
        with self._lock:
            waiting, self._waiters = self._waiters, {}
            for queue in waiting.values():
                for waiter in queue:
                    waiter.signal()

    def acquire(self, app: str, tenant: str | None) -> Slot:
        key = (app, tenant)
        started = self._clock()
        waiter: _Waiter | None = None
        while True:
            with self._lock:
                slot, wait, front = self._attempt(key, waiter, started)
                if slot is not None:
                    return slot
                waiter = _Waiter()
                timeout = self._timeout(wait, self._enqueue(key, waiter, front))
            assert waiter.event is not None
            try:
                waiter.event.wait(timeout)
            except BaseException:
                self._abandon(key, waiter)
                raise

    async def aacquire(self, app: str, tenant: str | None) -> Slot:
        import asyncio

        loop = asyncio.get_running_loop()
        key = (app, tenant)
        started = self._clock()
        waiter: _Waiter | None = None
        while True:
            with self._lock:
                slot, wait, front = self._attempt(key, waiter, started)
                if slot is not None:
                    return slot
                future: asyncio.Future[None] = loop.create_future()
                waiter = _Waiter(loop, future)
                timeout = self._timeout(wait, self._enqueue(key, waiter, front))
            timer = None if timeout is None else loop.call_later(timeout, _resolve, future)
            try:
                await future
            except BaseException:
                self._abandon(key, waiter)
                raise
            finally:
                if timer is not None:
                    timer.cancel()

    def release(self, slot: Slot, status: int | None, headers: httpx.Headers | None) -> None:
        with self._lock:
            if slot.released:
                return
            slot.released = True
            self._give_back(slot, status, headers)

    def snapshot(self, app: str, tenant: str | None) -> dict[str, int]:
        """The local counts of ``app`` and ``tenant`` (in progress, calls left), for tests
        and dashboards."""
        with self._lock:
            now = self._clock()
            state, t = self._tenant(app, tenant)
            return {
                "in_progress": t.in_progress,
                "minute_remaining": t.minute.remaining(now),
                "day_remaining": t.day.remaining(now),
                "app_minute_remaining": state.minute.remaining(now),
            }


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


_SHARED: dict[RateLimits, InProcessLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(limits: RateLimits) -> InProcessLimiter:
    """The process's one :class:`InProcessLimiter` for ``limits`` (made on first use)."""
    with _SHARED_LOCK:
        limiter = _SHARED.get(limits)
        if limiter is None:
            limiter = _SHARED[limits] = InProcessLimiter(limits)
        return limiter


def app_key(identity: str | None) -> str:
    """The key of an app in a limiter: a hash of its client id (or, for a bare access token,
    of the token), never the value itself (limiter keys may be visible in Redis)."""
    digest = hashlib.sha256((identity or "").encode("utf-8")).hexdigest()
    return "app-" + digest[:24]


def resolve_limiter(limiter: object, auth_style: str, problems: list[str]) -> Limiter | None:
    """The limiter a client uses, from its ``limiter=`` argument.

    ``True`` (the default): the process's shared limiter with the auth style's
    :data:`DEFAULT_RATE_LIMITS` (none for an API without limits); a :class:`RateLimits`: the
    process's shared limiter for those; a :class:`Limiter`: that one; ``None`` or ``False``:
    no limiter.
    """
    if limiter is None or limiter is False:
        return None
    if limiter is True:
        defaults = DEFAULT_RATE_LIMITS.get(auth_style)
        return None if defaults is None else shared_limiter(defaults)
    if isinstance(limiter, RateLimits):
        found = limiter.problems()
        if found:
            problems.extend(found)
            return None
        return shared_limiter(limiter)
    if isinstance(limiter, Limiter):
        return limiter
    problems.append(
        "`limiter` must be True (the default limits), a RateLimits, a Limiter"
        " (e.g. xero_customer_api.redis.RedisLimiter) or None to turn it off"
    )
    return None
