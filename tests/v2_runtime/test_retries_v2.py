"""2.0 retry policy: Retry-After on 429 minute/concurrent, day at once, keyed writes retried."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from xero_customer_api import RateLimitError, RequestValidationError, XeroConnectionError
from xero_customer_api.v1_0 import XeroClient as V1Client
from xero_customer_api.v1_0 import models as v1_models

from .helpers import ACCESS_TOKEN, ENVELOPE, LIMITS, XML, Xero, async_client, sync_client

OK = httpx.Response(200, headers={**XML, **LIMITS}, content=ENVELOPE)
KEY_FORM = re.compile(r"[0-9a-f]{128}")


def too_many(problem: str | None, retry_after: str | None = None) -> httpx.Response:
    headers = {"x-daylimit-remaining": "0" if problem == "day" else "100"}
    if problem is not None:
        headers["x-rate-limit-problem"] = problem
    if retry_after is not None:
        headers["retry-after"] = retry_after
    return httpx.Response(429, headers=headers)


def reset(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)


def keys(xero: Xero) -> list[str | None]:
    return [h.get("idempotency-key") for h in xero.api_headers]


def test_429_minute_waits_retry_after_and_retries(sleeps: list[float]) -> None:
    xero = Xero(api=[too_many("minute", "2"), OK])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        assert client.contacts().parsed == "Response"
    assert sleeps == [2.0]
    assert len(xero.api_requests) == 2


@pytest.mark.parametrize("problem", ["concurrent", "appminute", "SomethingNew", None])
def test_429_other_limits_are_retried(problem: str | None, sleeps: list[float]) -> None:
    xero = Xero(api=[too_many(problem), OK])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        client.contacts()
    assert len(xero.api_requests) == 2
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 8


def test_429_day_raises_at_once(sleeps: list[float]) -> None:
    xero = Xero(api=[too_many("day", "40000"), OK])
    with (
        sync_client(xero, access_token=ACCESS_TOKEN) as client,
        pytest.raises(RateLimitError) as info,
    ):
        client.contacts()
    assert info.value.problem == "day"
    assert info.value.retry_after == 40000
    assert info.value.rate_limit.day_remaining == 0
    assert sleeps == []
    assert len(xero.api_requests) == 1


def test_429_day_without_retry_after_raises_at_once(sleeps: list[float]) -> None:
    xero = Xero(api=[too_many("Day"), OK])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client, pytest.raises(RateLimitError):
        client.contacts()
    assert sleeps == []


def test_429_minute_longer_than_the_cap_raises(sleeps: list[float]) -> None:
    xero = Xero(api=[too_many("minute", "61"), OK])
    client = sync_client(xero, access_token=ACCESS_TOKEN, max_retry_after=60)
    with client, pytest.raises(RateLimitError, match="retry after 61 s"):
        client.contacts()
    assert sleeps == []


@pytest.mark.asyncio
async def test_async_429_minute_and_day(sleeps: list[float]) -> None:
    xero = Xero(api=[too_many("minute", "3"), OK])
    async with async_client(xero, access_token=ACCESS_TOKEN) as client:
        await client.contacts()
    assert sleeps == [3.0]
    xero = Xero(api=[too_many("day", "40000")])
    async with async_client(xero, access_token=ACCESS_TOKEN) as client:
        with pytest.raises(RateLimitError):
            await client.contacts()
    assert sleeps == [3.0]


# ---------------------------------------------------------------------- idempotency


def test_write_carries_a_fresh_key_in_xeros_form() -> None:
    xero = Xero()
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        client.put_contacts()
        client.put_contacts()
        client.contacts()
    first, second, get = keys(xero)
    assert first is not None and KEY_FORM.fullmatch(first)
    assert second is not None and KEY_FORM.fullmatch(second)
    assert first != second  # one per logical call
    assert get is None  # never on a GET
    assert xero.api_headers[0]["content-type"] == "application/xml"


@pytest.mark.parametrize(
    "fault",
    [reset, httpx.Response(503, headers={"content-type": "text/plain"}), too_many("minute", "1")],
    ids=["connection reset after sending", "503", "429 minute"],
)
def test_write_is_retried_with_the_same_key(fault: Any, sleeps: list[float]) -> None:
    xero = Xero(api=[fault, fault, OK])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        assert client.put_contacts().parsed == "Response"
    sent = keys(xero)
    assert len(sent) == 3
    assert sent[0] is not None and len(set(sent)) == 1
    assert len(sleeps) == 2


def test_callers_key_is_sent_on_every_retry() -> None:
    xero = Xero(api=[reset, OK])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        client.put_contacts(idempotency_key="order-4711-attempt")
    assert keys(xero) == ["order-4711-attempt", "order-4711-attempt"]


@pytest.mark.asyncio
async def test_async_write_is_retried_with_the_same_key() -> None:
    xero = Xero(api=[reset, OK])
    async with async_client(xero, access_token=ACCESS_TOKEN) as client:
        await client.put_contacts()
    sent = keys(xero)
    assert len(sent) == 2 and sent[0] == sent[1] and sent[0] is not None


def test_write_retries_are_bounded() -> None:
    xero = Xero(api=[reset])
    client = sync_client(xero, access_token=ACCESS_TOKEN, max_retries=2)
    with client, pytest.raises(XeroConnectionError):
        client.put_contacts()
    assert len(xero.api_requests) == 3


@pytest.mark.parametrize("bad", ["", "has space", "x" * 129, "ключ", "a\nb", 7])
def test_bad_keys_are_refused_before_sending(bad: Any) -> None:
    xero = Xero()
    client = sync_client(xero, access_token=ACCESS_TOKEN)
    with client, pytest.raises(RequestValidationError, match="idempotency_key"):
        client.put_contacts(idempotency_key=bad)
    assert xero.api_requests == []


def test_a_128_character_key_is_accepted() -> None:
    xero = Xero()
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        client.put_contacts(idempotency_key="k" * 128)
    assert keys(xero) == ["k" * 128]


def test_a_key_on_a_get_is_refused() -> None:
    client = sync_client(Xero(), access_token=ACCESS_TOKEN)
    with client, pytest.raises(RequestValidationError, match="idempotency_key"):
        client.contacts(idempotency_key="abc")


def test_delete_is_retried_after_a_reset_without_a_key() -> None:
    xero = Xero(api=[reset, OK])
    with sync_client(xero, access_token=ACCESS_TOKEN) as client:
        client._request(
            method="DELETE", path="Accounts/1", response_type=object, decode=lambda r, s: r
        )
    assert len(xero.api_requests) == 2
    assert keys(xero) == [None, None]
    assert xero.api_requests[0].method == "DELETE"


# ---------------------------------------------------------------------- 1.0 unchanged


def test_v1_write_is_still_never_retried_after_sending() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)

    client = V1Client(
        api_key="PARTNERKEY0123456789ABCDEFGHIJKL",
        customer_key="CUSTOMERKEY9876543210ZYXWVUTSRQP",
        base_url="https://xero.test/api.xro/1.0/",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with client, pytest.raises(XeroConnectionError):
        client.contacts.save(v1_models.Contact(name="Red House Reads"))
    assert len(sent) == 1
    assert "idempotency-key" not in sent[0].headers
    assert sent[0].headers["content-type"] == "text/xml; charset=utf-8"
