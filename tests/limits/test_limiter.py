"""The in-process rate limiter: windows on an injected clock, header learning, waiting,
the day limit, threads and tasks, and its place in the 2.0 clients (MockTransport)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from xero_customer_api import (
    AsyncXeroClient,
    InProcessLimiter,
    Limiter,
    RateLimitError,
    RateLimits,
    RequestValidationError,
    XeroClient,
)
from xero_customer_api._runtime import _limiter
from xero_customer_api.v1_0 import XeroClient as V1Client

APP = "app-test"
TENANT = "a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b"
OTHER = "b4c2d3e5-1111-4f60-8b9c-8d7e6f5a4b3c"
BASE_URL = "https://api.xero.test/api.xro/2.0/"
ACCOUNTS = (
    b"<Response><Id>6c1f0b0e-3f7a-4a55-9e62-1c5d2c3b4a59</Id><Status>OK</Status>"
    b"<ProviderName>P</ProviderName><DateTimeUTC>2026-07-01T04:13:44</DateTimeUTC>"
    b"<Accounts/></Response>"
)


class Clock:
    """A monotonic clock the test moves; moving it wakes the limiter's waiting calls."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.limiter: InProcessLimiter | None = None

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
        if self.limiter is not None:
            self.limiter.wake()


def limiter(**limits: Any) -> tuple[InProcessLimiter, Clock]:
    clock = Clock()
    made = InProcessLimiter(RateLimits(**limits), clock=clock)
    clock.limiter = made
    return made, clock


def headers(
    minute: int | None = None, day: int | None = None, app: int | None = None
) -> httpx.Headers:
    values = {
        "X-MinLimit-Remaining": minute,
        "X-DayLimit-Remaining": day,
        "X-AppMinLimit-Remaining": app,
    }
    return httpx.Headers({k: str(v) for k, v in values.items() if v is not None})


class InThread:
    """Runs ``acquire`` in a thread; ``done`` tells whether it has got its slot."""

    def __init__(self, lim: Limiter, tenant: str | None = TENANT) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.slot: _limiter.Slot | None = None

        def run() -> None:
            try:
                self.slot = lim.acquire(APP, tenant)
            except BaseException as exc:
                self.error = exc
            self.done.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def waiting(self) -> bool:
        """Still waiting (given a moment to get a slot it should not get)."""
        return not self.done.wait(0.05)

    def finish(self) -> _limiter.Slot:
        assert self.done.wait(5), "the call never got its slot"
        assert self.error is None, self.error
        assert self.slot is not None
        return self.slot


# ---------------------------------------------------------------------- windows and waiting


def test_a_call_waits_for_the_minute_window_then_proceeds() -> None:
    lim, clock = limiter(per_minute=2, minute=60)
    for _ in range(2):
        lim.release(lim.acquire(APP, TENANT), 200, headers())
    third = InThread(lim)
    assert third.waiting()
    clock.advance(59)
    assert third.waiting()
    clock.advance(2)
    slot = third.finish()
    assert slot.waited == pytest.approx(61)
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 1


def test_calls_in_progress_per_tenant_are_capped_and_a_release_lets_the_next_in() -> None:
    lim, _ = limiter(concurrent=2)
    first, second = lim.acquire(APP, TENANT), lim.acquire(APP, TENANT)
    other_tenant = lim.acquire(APP, OTHER)  # its own 2
    third = InThread(lim)
    assert third.waiting()
    lim.release(first, 200, headers())
    third.finish()
    assert lim.snapshot(APP, TENANT)["in_progress"] == 2
    for slot in (second, other_tenant):
        lim.release(slot, None, None)


def test_the_app_minute_limit_spans_tenants() -> None:
    lim, clock = limiter(app_per_minute=3, minute=60)
    for tenant in ("t1", "t2", "t3"):
        lim.release(lim.acquire(APP, tenant), 200, headers())
    blocked = InThread(lim, "t4")
    assert blocked.waiting()
    lim.release(lim.acquire("another-app", "t4"), 200, headers())  # another app is free
    clock.advance(61)
    blocked.finish()


def test_the_window_starts_at_the_first_answer_not_before_the_server() -> None:
    lim, clock = limiter(per_minute=1, minute=60)
    slot = lim.acquire(APP, TENANT)
    clock.advance(5)  # the answer takes 5 s: the server's window may have started late
    lim.release(slot, 200, headers(minute=0))
    clock.advance(57)  # 62 s after the call was sent, 57 after the answer
    late = InThread(lim)
    assert late.waiting()
    clock.advance(4)
    late.finish()


def test_an_answer_from_the_last_window_does_not_start_this_one() -> None:
    # a call of the old window is answered after this window's first call was sent, but
    # perhaps before that call reached the server: only this window's own answer anchors it
    lim, clock = limiter(per_minute=2, minute=60)
    lim.release(lim.acquire(APP, TENANT), 200, headers(minute=1))
    old = lim.acquire(APP, TENANT)
    clock.advance(61)  # the window is over; the old call is still in flight
    new = lim.acquire(APP, TENANT)
    clock.advance(1)
    lim.release(old, 200, headers(minute=0))  # the old answer: counts, but does not anchor
    clock.advance(2)
    lim.release(new, 200, headers(minute=1))  # this window's first answer, at 64 s
    lim.release(lim.acquire(APP, TENANT), 200, headers(minute=0))
    clock.advance(59)  # 123 s: a minute after the old answer, not after this window's
    late = InThread(lim)
    assert late.waiting()
    clock.advance(2)
    late.finish()


# ---------------------------------------------------------------------- learning from headers


def test_the_servers_counts_correct_the_forecast() -> None:
    lim, _ = limiter()
    lim.release(lim.acquire(APP, TENANT), 200, headers(minute=10, day=100, app=500))
    assert lim.snapshot(APP, TENANT) == {
        "in_progress": 0,
        "minute_remaining": 10,
        "day_remaining": 100,
        "app_minute_remaining": 500,
    }


def test_calls_in_flight_stay_counted_when_learning() -> None:
    lim, _ = limiter()
    held = lim.acquire(APP, TENANT)
    answered = lim.acquire(APP, TENANT)
    lim.release(answered, 200, headers(minute=30))
    # the server counted 30, perhaps without the older call still in flight
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 29
    # the older answer arrived last: it can only raise the count (one too many, for now)
    lim.release(held, 200, headers(minute=29))
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 28
    lim.release(lim.acquire(APP, TENANT), 200, headers(minute=27))  # a newer one: exact
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 27


def test_calls_taken_after_the_answered_one_stay_counted() -> None:
    lim, _ = limiter()
    first = lim.acquire(APP, TENANT)
    later = [lim.acquire(APP, TENANT) for _ in range(3)]
    lim.release(first, 200, headers(minute=59))  # the server had seen only the first
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 56
    for slot in later:
        lim.release(slot, None, None)


def test_calls_sent_at_once_may_reach_the_server_in_any_order() -> None:
    # 52 calls made elsewhere; a and b are sent together and b reaches the server first
    lim, _ = limiter()
    a, b = lim.acquire(APP, TENANT), lim.acquire(APP, TENANT)
    lim.release(a, 200, headers(minute=6))  # a was the server's 54th
    lim.release(b, 200, headers(minute=7))  # b its 53rd: a, answered, is in the count anyway
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 6  # 54 used, never fewer


def test_an_answer_overtaken_by_a_later_one_does_not_reopen_the_window() -> None:
    lim, _ = limiter()
    a, b = lim.acquire(APP, TENANT), lim.acquire(APP, TENANT)
    lim.release(b, 200, headers(minute=20))  # the later answer first
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 19  # a may be uncounted
    lim.release(a, 200, headers(minute=21))  # the earlier one: stale, says more are left
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 19
    lim.release(lim.acquire(APP, TENANT), 200, headers(minute=19))  # a newer one: exact
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 19


def test_a_server_window_that_reset_early_is_believed() -> None:
    lim, _ = limiter(per_minute=60)
    lim.release(lim.acquire(APP, TENANT), 200, headers(minute=2))
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 2
    lim.release(lim.acquire(APP, TENANT), 200, headers(minute=59))  # Xero's minute reset
    assert lim.snapshot(APP, TENANT)["minute_remaining"] == 59


def test_a_minute_429_closes_the_window_for_its_retry_after() -> None:
    lim, clock = limiter()
    lim.release(
        lim.acquire(APP, TENANT),
        429,
        httpx.Headers({"Retry-After": "20", "X-Rate-Limit-Problem": "minute"}),
    )
    blocked = InThread(lim)
    assert blocked.waiting()
    clock.advance(19)
    assert blocked.waiting()
    clock.advance(2)
    blocked.finish()


# ---------------------------------------------------------------------- the day limit


def test_a_spent_day_raises_at_once_for_the_429s_retry_after() -> None:
    # issue 20 item 14: the local count of the day does not block (Xero's day is not this
    # process's); the 429 that meets the spent day does, for exactly its Retry-After
    lim, clock = limiter(per_day=2, day=86_400)
    for _ in range(2):
        lim.release(lim.acquire(APP, TENANT), 200, headers())
    clock.advance(3600)
    day = httpx.Headers({"Retry-After": "7200", "X-Rate-Limit-Problem": "day"})
    lim.release(lim.acquire(APP, TENANT), 429, day)
    with pytest.raises(RateLimitError) as info:
        lim.acquire(APP, TENANT)
    assert info.value.problem == "day"
    assert info.value.retry_after == pytest.approx(7200)
    lim.release(lim.acquire(APP, OTHER), 200, headers())  # another tenant is unaffected
    clock.advance(7200)
    lim.release(lim.acquire(APP, TENANT), 200, headers())


def test_a_200_saying_the_day_is_spent_does_not_block() -> None:
    lim, _ = limiter()
    lim.release(lim.acquire(APP, TENANT), 200, headers(day=0))
    lim.release(lim.acquire(APP, TENANT), 200, headers(day=0))


def test_a_day_429_raises_the_next_call_at_once() -> None:
    lim, _ = limiter()
    lim.release(
        lim.acquire(APP, TENANT),
        429,
        httpx.Headers({"Retry-After": "5000", "X-Rate-Limit-Problem": "day"}),
    )
    with pytest.raises(RateLimitError) as info:
        lim.acquire(APP, TENANT)
    assert info.value.problem == "day" and info.value.retry_after == pytest.approx(5000)


def test_max_wait_raises_instead_of_waiting_longer() -> None:
    lim, _ = limiter(per_minute=1, minute=60, max_wait=10)
    lim.release(lim.acquire(APP, TENANT), 200, headers())
    with pytest.raises(RateLimitError, match="max_wait"):
        lim.acquire(APP, TENANT)
    never, _ = limiter(concurrent=1, max_wait=0)
    never.acquire(APP, TENANT)
    with pytest.raises(RateLimitError, match="max_wait"):
        never.acquire(APP, TENANT)


# ---------------------------------------------------------------------- threads and tasks


def test_threads_never_exceed_the_calls_in_progress() -> None:
    lim = InProcessLimiter(RateLimits(concurrent=3, per_minute=10_000, per_day=100_000))
    active, peak, lock = 0, 0, threading.Lock()

    def worker() -> None:
        nonlocal active, peak
        for _ in range(40):
            slot = lim.acquire(APP, TENANT)
            with lock:
                active += 1
                peak = max(peak, active)
            with lock:
                active -= 1
            lim.release(slot, 200, headers())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    assert 1 <= peak <= 3
    snap = lim.snapshot(APP, TENANT)
    assert snap["in_progress"] == 0 and snap["minute_remaining"] == 10_000 - 320


@pytest.mark.asyncio
async def test_tasks_wait_without_blocking_the_loop() -> None:
    lim = InProcessLimiter(RateLimits(concurrent=2, per_minute=10_000, per_day=100_000))
    active, peak, ticks = 0, 0, 0

    async def call() -> None:
        nonlocal active, peak
        slot = await lim.aacquire(APP, TENANT)
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.002)
        active -= 1
        await lim.arelease(slot, 200, headers())

    async def ticker() -> None:  # runs while the others wait: the loop is free
        nonlocal ticks
        for _ in range(5):
            ticks += 1
            await asyncio.sleep(0)

    await asyncio.gather(ticker(), *(call() for _ in range(30)))
    assert peak == 2 and ticks == 5
    assert lim.snapshot(APP, TENANT)["in_progress"] == 0


@pytest.mark.asyncio
async def test_a_thread_releasing_wakes_a_waiting_task() -> None:
    lim = InProcessLimiter(RateLimits(concurrent=1))
    held = lim.acquire(APP, TENANT)
    waiter = asyncio.ensure_future(lim.aacquire(APP, TENANT))
    await asyncio.sleep(0.01)
    assert not waiter.done()
    threading.Thread(target=lim.release, args=(held, 200, headers())).start()
    slot = await asyncio.wait_for(waiter, 5)
    lim.release(slot, None, None)


class CountSignals:
    """Counts the wake-ups the limiter sends its waiting calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = _limiter._Waiter.signal

        def signal(waiter: _limiter._Waiter) -> bool:
            self.count += 1
            return original(waiter)

        monkeypatch.setattr(_limiter._Waiter, "signal", signal)


@pytest.mark.asyncio
async def test_a_slot_given_back_wakes_one_waiter_of_its_tenant_not_every_waiter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signals = CountSignals(monkeypatch)
    lim = InProcessLimiter(RateLimits(concurrent=1, per_minute=10_000, per_day=100_000))
    held = {t: lim.acquire(APP, t) for t in (TENANT, OTHER)}
    waiting = [asyncio.ensure_future(lim.aacquire(APP, t)) for t in (TENANT, OTHER) * 200]
    await asyncio.sleep(0.01)
    lim.release(held[TENANT], 200, headers())
    await asyncio.sleep(0.01)
    # one wake-up (the first waiter of TENANT), not 400; OTHER's waiters slept through it
    assert signals.count == 1
    assert [w.done() for w in waiting[:4]] == [True, False, False, False]
    for w in waiting:
        w.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)


@pytest.mark.asyncio
async def test_waiting_calls_get_their_slots_first_come_first_served() -> None:
    lim = InProcessLimiter(RateLimits(concurrent=1, per_minute=10_000, per_day=100_000))
    order: list[int] = []

    async def call(n: int) -> None:
        slot = await lim.aacquire(APP, TENANT)
        order.append(n)
        await asyncio.sleep(0)
        await lim.arelease(slot, 200, headers())

    held = lim.acquire(APP, TENANT)
    tasks = []
    for n in range(20):
        tasks.append(asyncio.ensure_future(call(n)))
        await asyncio.sleep(0)  # each queues before the next
    lim.release(held, 200, headers())
    await asyncio.gather(*tasks)
    assert order == list(range(20))


@pytest.mark.asyncio
async def test_thousands_of_waiting_calls_cost_wake_ups_linear_in_the_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signals = CountSignals(monkeypatch)
    lim = InProcessLimiter(RateLimits(concurrent=5, per_minute=10**6, per_day=10**7))

    async def call(tenant: str) -> None:
        slot = await lim.aacquire(APP, tenant)
        await asyncio.sleep(0)
        await lim.arelease(slot, 200, headers())

    await asyncio.gather(*(call(f"tenant-{n % 50}") for n in range(5000)))
    assert signals.count <= 2 * 5000  # a wake-up per release and per take at most


@pytest.mark.asyncio
async def test_a_cancelled_head_of_the_queue_hands_the_clock_to_the_next() -> None:
    # one call a 0.2 s window: the head of the queue watches the window, the others wait to
    # be woken; cancelling the head must not leave them asleep with nobody watching
    lim = InProcessLimiter(RateLimits(per_minute=1, minute=0.2, per_day=100))
    first = await lim.aacquire(APP, TENANT)
    await lim.arelease(first, 200, headers())
    head = asyncio.ensure_future(lim.aacquire(APP, TENANT))
    await asyncio.sleep(0.01)
    behind = asyncio.ensure_future(lim.aacquire(APP, TENANT))
    await asyncio.sleep(0.01)
    head.cancel()
    slot = await asyncio.wait_for(behind, 5)  # the window resets; nobody calls wake()
    await lim.arelease(slot, 200, headers())


def test_a_thread_behind_a_waiter_on_a_closed_loop_still_gets_the_slot() -> None:
    lim = InProcessLimiter(RateLimits(concurrent=1, per_minute=10_000, per_day=100_000))
    held = lim.acquire(APP, TENANT)
    loop = asyncio.new_event_loop()
    orphan = loop.create_task(lim.aacquire(APP, TENANT))
    loop.run_until_complete(asyncio.sleep(0.01))  # the task queues, then its loop goes away
    loop.close()
    got: list[_limiter.Slot] = []
    thread = threading.Thread(target=lambda: got.append(lim.acquire(APP, TENANT)))
    thread.start()
    lim.release(held, 200, headers())
    thread.join(5)
    assert got and not orphan.done()
    lim.release(got[0], 200, headers())


# ---------------------------------------------------------------------- in the clients


def xero(
    answers: list[httpx.Headers] | None = None, status: int = 200
) -> tuple[Callable[[httpx.Request], httpx.Response], list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        extra = answers[min(len(seen), len(answers)) - 1] if answers else httpx.Headers()
        return httpx.Response(
            status, content=ACCOUNTS, headers={"content-type": "text/xml", **extra}
        )

    return handler, seen


@pytest.mark.rate_limits
def test_2_0_clients_keep_the_default_limits_shared_by_the_app() -> None:
    handler, _ = xero()
    transport = httpx.MockTransport(handler)
    a = XeroClient(
        access_token="T" * 20,
        tenant_id=TENANT,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=transport),
    )
    b = XeroClient(
        access_token="T" * 20,
        tenant_id=OTHER,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=transport),
    )
    c = AsyncXeroClient(access_token="T" * 20, tenant_id=TENANT, base_url=BASE_URL)
    other_app = XeroClient(access_token="U" * 20, tenant_id=TENANT, base_url=BASE_URL)
    assert a._limiter is b._limiter is c._limiter is _limiter.shared_limiter(RateLimits())
    assert a._limit_app == b._limit_app == c._limit_app != other_app._limit_app
    assert "T" * 20 not in a._limit_app  # a hash, never the token
    assert a.with_options(tenant_id=OTHER)._limiter is a._limiter
    assert V1Client(api_key="K" * 30, customer_key="C" * 30)._limiter is None  # 1.0: no limits
    assert XeroClient(access_token="T" * 20, limiter=None)._limiter is None
    assert XeroClient(access_token="T" * 20, limiter=False)._limiter is None
    mine = InProcessLimiter()
    assert XeroClient(access_token="T" * 20, limiter=mine)._limiter is mine
    with pytest.raises(RequestValidationError, match="`limiter`"):
        XeroClient(access_token="T" * 20, limiter="fast")  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError, match="per_minute"):
        XeroClient(access_token="T" * 20, limiter=RateLimits(per_minute=0))


def test_a_client_learns_from_answers_and_refuses_a_spent_day_without_sending() -> None:
    lim, _ = limiter()
    day = httpx.Headers({"Retry-After": "5000", "X-Rate-Limit-Problem": "day"})
    answers, seen = xero([headers(minute=40, day=1, app=900), headers(minute=39, day=0, app=899)])

    def handler(request: httpx.Request) -> httpx.Response:  # the second meets the spent day
        answer = answers(request)
        return httpx.Response(429, headers=day, content=b"") if len(seen) == 2 else answer

    with XeroClient(
        access_token="T" * 20,
        tenant_id=TENANT,
        base_url=BASE_URL,
        limiter=lim,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as client:
        client.accounts.list()
        app = client._limit_app
        assert lim.snapshot(app, TENANT)["minute_remaining"] == 40
        with pytest.raises(RateLimitError):  # Xero's 429 for the day
            client.accounts.list()
        with pytest.raises(RateLimitError) as info:
            client.accounts.list()
    assert info.value.problem == "day"
    assert len(seen) == 2  # the third was never sent
    assert lim.snapshot(app, TENANT)["in_progress"] == 0


def test_a_client_gives_the_slot_back_when_the_connection_fails() -> None:
    lim, _ = limiter(concurrent=1)

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with XeroClient(
        access_token="T" * 20,
        tenant_id=TENANT,
        base_url=BASE_URL,
        limiter=lim,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(broken)),
    ) as client:
        for _ in range(3):  # with the slot lost, the second would wait forever
            with pytest.raises(Exception, match="refused"):
                client.accounts.list()
        assert lim.snapshot(client._limit_app, TENANT)["in_progress"] == 0


CONTACTS = (
    b"<Response><Id>6c1f0b0e-3f7a-4a55-9e62-1c5d2c3b4a59</Id><Status>OK</Status>"
    b"<ProviderName>P</ProviderName><DateTimeUTC>2026-07-01T04:13:44</DateTimeUTC>"
    b"<Contacts><Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
    b"<Name>Red House Reads</Name></Contact></Contacts></Response>"
)


@pytest.mark.asyncio
async def test_async_streams_take_and_give_back_slots() -> None:
    lim, _ = limiter(concurrent=1)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, content=CONTACTS, headers={"content-type": "text/xml", **headers(minute=50)}
        )

    async with AsyncXeroClient(
        access_token="T" * 20,
        tenant_id=TENANT,
        base_url=BASE_URL,
        limiter=lim,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    ) as client:
        for _ in range(3):  # one slot: each stream must give it back when it ends
            names = [c.name async for c in client.contacts.iter()]
            assert names == ["Red House Reads"]
        snap = lim.snapshot(client._limit_app, TENANT)
    assert snap["in_progress"] == 0 and snap["minute_remaining"] == 50
    assert len(seen) == 3
