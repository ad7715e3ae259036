"""Issue 20 item 14: the day limit and token lifetimes.

Before: one ``X-DayLimit-Remaining: 0`` on a 200 blocked the tenant for 24 hours (anchored at
the process's first call) for every client of the app in the process, and with Redis every
worker, with no reset; a token lifetime of 60 s or less meant a token request per call
(``REFRESH_LEEWAY = 60``).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from xero_customer_api import RateLimitError, RateLimits, XeroClient
from xero_customer_api._runtime._limiter import InProcessLimiter, Limiter
from xero_customer_api.redis import RedisLimiter

from .test_redis import APP, TENANT

SPENT = httpx.Headers({"X-DayLimit-Remaining": "0", "X-MinLimit-Remaining": "50"})
DAY_429 = httpx.Headers({"Retry-After": "120", "X-Rate-Limit-Problem": "day"})


def make(kind: str, url: str) -> Limiter:
    limits = RateLimits(max_wait=0)
    return InProcessLimiter(limits) if kind == "memory" else RedisLimiter(url, limits=limits)


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_a_200_saying_the_day_is_spent_does_not_block_the_tenant(kind: str, redis_url: str) -> None:
    limiter = make(kind, redis_url)
    limiter.release(limiter.acquire(APP, TENANT), 200, SPENT)
    slot = limiter.acquire(APP, TENANT)  # goes: Xero answers 429 + Retry-After if it is spent
    limiter.release(slot, 429, DAY_429)
    with pytest.raises(RateLimitError) as caught:
        limiter.acquire(APP, TENANT)
    assert caught.value.problem == "day"
    assert caught.value.retry_after is not None and caught.value.retry_after <= 120
    limiter.reset()  # e.g. once the app knows Xero's day has reset
    limiter.release(limiter.acquire(APP, TENANT), 200, None)


def test_a_short_token_lifetime_does_not_mean_a_token_request_per_call() -> None:
    grants = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal grants
        if request.url.path.endswith("/connect/token"):
            grants += 1
            body: dict[str, Any] = {
                "access_token": f"access-token-{grants}-0123456789",
                "expires_in": 60,
                "token_type": "Bearer",
            }
            return httpx.Response(200, json=body)
        return httpx.Response(
            200,
            content=b"<Response><Status>OK</Status><Contacts/></Response>",
            headers={"content-type": "text/xml"},
        )

    with XeroClient(
        client_id="CLIENTID0123456789ABCDEF",
        client_secret="s3cr3t-CLIENT-SECRET-value-xyz",
        tenant_id=TENANT,
        limiter=False,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as client:
        for _ in range(5):
            client.contacts.list()
    assert grants == 1
