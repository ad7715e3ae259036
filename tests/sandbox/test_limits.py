"""The 2.0 rate limiter: Xero's windows per app and tenant, scaled, with a fake clock."""

from __future__ import annotations

import pytest
from xero_sandbox.limits import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def headers(decision: object) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in decision.headers}  # type: ignore[attr-defined]


def test_sixty_a_minute_then_429_with_retry_after_until_the_window_resets() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    for n in range(60):
        decision = limiter.acquire("app", "t1")
        limiter.release("app", "t1")
        assert decision.allowed
        assert headers(decision)["x-minlimit-remaining"] == str(59 - n)
    clock.now += 20.5
    refused = limiter.acquire("app", "t1")
    assert not refused.allowed and refused.problem == "minute"
    h = headers(refused)
    assert h["x-rate-limit-problem"] == "minute"
    assert h["retry-after"] == "40"  # 39.5 s left, rounded up
    assert h["x-daylimit-remaining"] == "4940" and h["x-appminlimit-remaining"] == "9940"
    # another tenant of the same app has its own window
    assert limiter.acquire("app", "t2").allowed
    clock.now += 39.5
    assert limiter.acquire("app", "t1").allowed


def test_time_scale_shortens_windows_and_rounds_retry_after_up() -> None:
    clock = Clock()
    limiter = RateLimiter(time_scale=60, clock=clock)  # a minute lasts one second
    limiter.use("app", "t", minute=60)
    clock.now += 0.25
    refused = limiter.acquire("app", "t")
    assert refused.problem == "minute" and headers(refused)["retry-after"] == "1"
    clock.now += 1.0  # what the client was told to wait: the window has reset
    assert limiter.acquire("app", "t").allowed


def test_the_day_limit_says_how_long_the_day_has_left() -> None:
    clock = Clock()
    limiter = RateLimiter(time_scale=3600, clock=clock)  # a day lasts 24 s
    limiter.use("app", "t", day=4999)
    assert limiter.acquire("app", "t").allowed
    limiter.release("app", "t")
    refused = limiter.acquire("app", "t")
    assert refused.problem == "day" and headers(refused)["retry-after"] == "24"
    assert headers(refused)["x-daylimit-remaining"] == "0"


def test_five_calls_in_progress_per_tenant() -> None:
    limiter = RateLimiter(clock=Clock())
    for _ in range(5):
        assert limiter.acquire("app", "t").allowed
    refused = limiter.acquire("app", "t")
    assert refused.problem == "concurrent" and headers(refused)["retry-after"] == "1"
    limiter.release("app", "t")
    assert limiter.acquire("app", "t").allowed


def test_ten_thousand_a_minute_per_app_across_tenants() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    for n in range(10_000):
        tenant = f"t{n // 50}"
        assert limiter.acquire("app", tenant).allowed
        limiter.release("app", tenant)
    refused = limiter.acquire("app", "fresh-tenant")
    assert refused.problem == "appminute"
    assert limiter.acquire("other-app", "fresh-tenant").allowed
    tenantless = limiter.acquire("other-app", None)
    assert set(headers(tenantless)) == {"x-appminlimit-remaining"}


def test_refused_calls_do_not_count_and_no_limits_means_no_headers() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.use("app", "t", minute=60)
    for _ in range(3):
        assert not limiter.acquire("app", "t").allowed
    clock.now += 60
    assert headers(limiter.acquire("app", "t"))["x-minlimit-remaining"] == "59"
    off = RateLimiter(enabled=False)
    assert off.acquire("app", "t").allowed and off.acquire("app", "t").headers == []
    with pytest.raises(ValueError):
        RateLimiter(time_scale=0)
