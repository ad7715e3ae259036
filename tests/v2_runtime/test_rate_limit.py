"""RateLimit: the limit headers of every answer, typed; None when absent or malformed."""

from __future__ import annotations

import httpx
import pytest
from xero_customer_api import RateLimit

from .helpers import ACCESS_TOKEN, LIMITS, Xero, sync_client


def test_every_raw_response_carries_the_limits() -> None:
    with sync_client(Xero(), access_token=ACCESS_TOKEN) as client:
        raw = client.contacts()
    assert raw.rate_limit == RateLimit(
        day_remaining=4990, minute_remaining=58, app_minute_remaining=9990
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, RateLimit(None, None, None)),
        ({"X-AppMinLimit-Remaining": "9999"}, RateLimit(None, None, 9999)),  # /connections
        ({"x-daylimit-remaining": " 12 "}, RateLimit(12, None, None)),
        (
            {"x-daylimit-remaining": "abc", "x-minlimit-remaining": "-1"},
            RateLimit(None, None, None),
        ),
        ({"x-daylimit-remaining": "1.5", "x-minlimit-remaining": ""}, RateLimit(None, None, None)),
        ({"x-daylimit-remaining": "١٢".encode()}, RateLimit(None, None, None)),  # Arabic digits
        ({"x-daylimit-remaining": "9" * 40}, RateLimit(None, None, None)),
        ({k.upper(): v for k, v in LIMITS.items()}, RateLimit(4990, 58, 9990)),
    ],
)
def test_parsing(headers: dict[str, str | bytes], expected: RateLimit) -> None:
    assert RateLimit.from_headers(httpx.Headers(headers)) == expected


def test_absent_is_all_none() -> None:
    assert RateLimit.from_headers(None) == RateLimit()
