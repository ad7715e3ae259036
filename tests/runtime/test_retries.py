"""Retry policy: bounded, backoff with jitter, Retry-After with a cap, writes never twice."""

from __future__ import annotations

import httpx
import pytest
from xero_customer_api import (
    RateLimitError,
    ServerError,
    XeroConnectionError,
    XeroResponseError,
    XeroTimeoutError,
)
from xero_customer_api._runtime import _base_client
from xero_customer_api.v1_0 import models

from .helpers import HTML, INVOICE_OK, Recorder, async_client, ok, sync_client, valid_invoice


def status(code: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        code, content=b"<html><body>busy</body></html>", headers={**HTML, **(headers or {})}
    )


def dropped_mid_body(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError(
        "peer closed connection without sending complete message body", request=request
    )


RETRYABLE_FOR_GET = {
    "connect error": httpx.ConnectError("[Errno 111] Connection refused"),
    "connect timeout": httpx.ConnectTimeout("timed out"),
    "read timeout": httpx.ReadTimeout("timed out"),
    "read error (reset)": httpx.ReadError("[Errno 104] Connection reset by peer"),
    "dropped mid-body": httpx.RemoteProtocolError("peer closed connection"),
    "429": status(429),
    "502": status(502),
    "503": status(503),
    "504": status(504),
}


@pytest.mark.parametrize("fault", list(RETRYABLE_FOR_GET.values()), ids=list(RETRYABLE_FOR_GET))
def test_get_retries_then_succeeds(fault: httpx.Response | Exception, sleeps: list[float]) -> None:
    rec = Recorder(fault, fault, ok())
    with sync_client(rec) as client:
        contacts = client.contacts.list()
    assert [c.name for c in contacts] == ["Red House Reads"]
    assert rec.count == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("fault", list(RETRYABLE_FOR_GET.values()), ids=list(RETRYABLE_FOR_GET))
def test_get_retries_are_bounded_by_default(fault: httpx.Response | Exception) -> None:
    rec = Recorder(fault)
    with (
        sync_client(rec) as client,
        pytest.raises((XeroConnectionError, RateLimitError, ServerError)),
    ):
        client.contacts.list()
    assert rec.count == 1 + _base_client.DEFAULT_MAX_RETRIES == 3


@pytest.mark.parametrize("code", [400, 401, 404, 500, 501])
def test_other_statuses_are_not_retried(code: int) -> None:
    rec = Recorder(status(code))
    with sync_client(rec) as client, pytest.raises(Exception) as info:
        client.contacts.list()
    assert rec.count == 1
    assert info.type.__module__.startswith("xero_customer_api")


def test_malformed_answer_is_not_retried() -> None:
    rec = Recorder(ok(b"<Response><ID>x</ID"))
    with sync_client(rec) as client, pytest.raises(XeroResponseError):
        client.contacts.list()
    assert rec.count == 1


WRITES = {
    "contacts.create (PUT)": lambda c: c.contacts.create(models.Contact(name="A")),
    "contacts.save (POST)": lambda c: c.contacts.save(models.Contact(name="A")),
    "invoices.create (PUT)": lambda c: c.invoices.create(valid_invoice()),
    "invoices.create_many (PUT)": lambda c: c.invoices.create_many([valid_invoice()]),
}
NOT_PROVABLY_UNSENT = {
    "read timeout": httpx.ReadTimeout("timed out"),
    "write timeout": httpx.WriteTimeout("timed out"),
    "reset": httpx.ReadError("[Errno 104] Connection reset by peer"),
    "dropped mid-body": httpx.RemoteProtocolError("peer closed connection"),
    "write error": httpx.WriteError("broken pipe"),
    "429": status(429, {"retry-after": "1"}),
    "502": status(502),
    "503": status(503, {"retry-after": "1"}),
    "504": status(504),
}


@pytest.mark.parametrize("call", list(WRITES.values()), ids=list(WRITES))
@pytest.mark.parametrize("fault", list(NOT_PROVABLY_UNSENT.values()), ids=list(NOT_PROVABLY_UNSENT))
def test_a_write_is_never_sent_twice(call, fault) -> None:  # type: ignore[no-untyped-def]
    rec = Recorder(fault, ok(INVOICE_OK))
    with (
        sync_client(rec, max_retries=5) as client,
        pytest.raises((XeroConnectionError, RateLimitError, ServerError)),
    ):
        call(client)
    assert rec.count == 1


SENT_THEN_DROPPED = {
    name: fault for name, fault in NOT_PROVABLY_UNSENT.items() if isinstance(fault, Exception)
}


@pytest.mark.parametrize("call", list(WRITES.values()), ids=list(WRITES))
@pytest.mark.parametrize("fault", list(SENT_THEN_DROPPED.values()), ids=list(SENT_THEN_DROPPED))
def test_a_write_that_may_have_been_applied_says_so(call, fault) -> None:  # type: ignore[no-untyped-def]
    rec = Recorder(fault)
    with sync_client(rec, max_retries=5) as client, pytest.raises(XeroConnectionError) as info:
        call(client)
    assert rec.count == 1
    assert info.value.may_have_been_applied is True
    method = rec.requests[0].method
    assert f"the {method} may have been applied (it was not sent again)" in str(info.value)
    assert "check whether it was saved before repeating it" in str(info.value)


@pytest.mark.parametrize("fault", list(SENT_THEN_DROPPED.values()), ids=list(SENT_THEN_DROPPED))
def test_a_read_never_may_have_been_applied(fault: Exception) -> None:
    with (
        sync_client(Recorder(fault), max_retries=0) as client,
        pytest.raises(XeroConnectionError) as info,
    ):
        client.contacts.list()
    assert info.value.may_have_been_applied is False
    assert "may have been applied" not in str(info.value)


@pytest.mark.parametrize(
    "fault",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("timed out")],
    ids=["connect error", "connect timeout"],
)
def test_a_write_that_never_left_was_not_applied(fault: Exception) -> None:
    with (
        sync_client(Recorder(fault), max_retries=0) as client,
        pytest.raises(XeroConnectionError) as info,
    ):
        client.invoices.create(valid_invoice())
    assert info.value.may_have_been_applied is False
    assert "may have been applied" not in str(info.value)


@pytest.mark.asyncio
async def test_async_write_that_may_have_been_applied_says_so() -> None:
    rec = Recorder(httpx.RemoteProtocolError("peer closed connection"))
    async with async_client(rec) as client:
        with pytest.raises(XeroConnectionError) as info:
            await client.contacts.save(models.Contact(name="A"))
    assert info.value.may_have_been_applied is True
    assert rec.count == 1


@pytest.mark.parametrize("call", list(WRITES.values()), ids=list(WRITES))
@pytest.mark.parametrize(
    "fault",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("timed out"), httpx.PoolTimeout("pool")],
    ids=["connect error", "connect timeout", "pool timeout"],
)
def test_a_write_is_retried_when_it_never_left(call, fault) -> None:  # type: ignore[no-untyped-def]
    body = INVOICE_OK if "nvoice" in repr(call) else None
    rec = Recorder(fault, lambda request: ok(_answer_for(request)))
    with sync_client(rec) as client:
        call(client)
    assert rec.count == 2
    del body


def _answer_for(request: httpx.Request) -> bytes:
    from .helpers import CONTACT_OK, INVOICES_OK

    path = request.url.path.rsplit("/", 1)[-1]
    return {"contact": CONTACT_OK, "invoice": INVOICE_OK, "invoices": INVOICES_OK}[path]


def test_backoff_is_exponential_with_jitter(sleeps: list[float]) -> None:
    rec = Recorder(status(503))
    with sync_client(rec, max_retries=5) as client, pytest.raises(ServerError):
        client.contacts.list()
    assert rec.count == 6
    assert len(sleeps) == 5
    for n, delay in enumerate(sleeps):
        nominal = min(_base_client.INITIAL_RETRY_DELAY * 2**n, _base_client.MAX_RETRY_DELAY)
        assert 0.75 * nominal <= delay <= nominal
    assert sleeps[-1] <= _base_client.MAX_RETRY_DELAY


def test_jitter_varies() -> None:
    core = sync_client(Recorder(ok()))
    attempt = _base_client._Attempt(ServerError("x", status_code=503), sent=True)
    delays = {core._retry_delay("GET", attempt, 1, 3) for _ in range(50)}
    assert len(delays) > 1


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_is_honoured(code: int, sleeps: list[float]) -> None:
    rec = Recorder(status(code, {"retry-after": "7"}), ok())
    with sync_client(rec) as client:
        client.contacts.list()
    assert rec.count == 2
    assert sleeps == [7.0]


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_beyond_the_cap_fails_at_once(code: int, sleeps: list[float]) -> None:
    rec = Recorder(status(code, {"retry-after": "3600"}), ok())
    with (
        sync_client(rec, max_retry_after=60) as client,
        pytest.raises((RateLimitError, ServerError)) as info,
    ):
        client.contacts.list()
    assert rec.count == 1
    assert sleeps == []
    if code == 429:
        assert isinstance(info.value, RateLimitError)
        assert info.value.retry_after == 3600.0


def test_rate_limit_error_after_retries_carries_retry_after() -> None:
    rec = Recorder(status(429, {"retry-after": "2"}))
    with sync_client(rec) as client, pytest.raises(RateLimitError) as info:
        client.contacts.list()
    assert rec.count == 3
    assert info.value.retry_after == 2.0
    assert info.value.status_code == 429


def test_per_client_and_per_call_max_retries() -> None:
    rec = Recorder(status(503))
    with sync_client(rec, max_retries=0) as client:
        with pytest.raises(ServerError):
            client.contacts.list()
        assert rec.count == 1
        with pytest.raises(ServerError):
            client.contacts.list(max_retries=4)
        assert rec.count == 1 + 5


def test_per_call_max_retries_is_checked() -> None:
    from xero_customer_api import RequestValidationError

    rec = Recorder(ok())
    with sync_client(rec) as client, pytest.raises(RequestValidationError):
        client.contacts.list(max_retries=-1)
    assert rec.count == 0


def test_timeouts_per_client_and_per_call() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return ok()

    with sync_client(handler, timeout=httpx.Timeout(12.0, connect=3.0)) as client:
        client.contacts.list()
        client.contacts.list(timeout=2.5)
        client.contacts.list(timeout=None)
    assert seen[0] == {"connect": 3.0, "read": 12.0, "write": 12.0, "pool": 12.0}
    assert seen[1] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert seen[2] == {"connect": None, "read": None, "write": None, "pool": None}


def test_default_timeouts_are_finite() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return ok()

    with sync_client(handler) as client:
        client.contacts.list()
    assert all(v is not None and 0 < v <= 60 for v in seen[0].values())


def test_timeout_maps_to_timeout_error() -> None:
    rec = Recorder(httpx.ReadTimeout("timed out"))
    with sync_client(rec, max_retries=0) as client, pytest.raises(XeroTimeoutError) as info:
        client.contacts.list()
    assert isinstance(info.value, XeroConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


# ---------------------------------------------------------------------------- async twin


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", list(RETRYABLE_FOR_GET.values()), ids=list(RETRYABLE_FOR_GET))
async def test_async_get_retries_then_succeeds(
    fault: httpx.Response | Exception, sleeps: list[float]
) -> None:
    rec = Recorder(fault, ok())
    async with async_client(rec) as client:
        contacts = await client.contacts.list()
    assert len(contacts) == 1
    assert rec.count == 2
    assert len(sleeps) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", list(NOT_PROVABLY_UNSENT.values()), ids=list(NOT_PROVABLY_UNSENT))
async def test_async_write_is_never_sent_twice(fault: httpx.Response | Exception) -> None:
    rec = Recorder(fault, ok(INVOICE_OK))
    async with async_client(rec, max_retries=5) as client:
        with pytest.raises((XeroConnectionError, RateLimitError, ServerError)):
            await client.invoices.create(valid_invoice())
    assert rec.count == 1


@pytest.mark.asyncio
async def test_async_write_retried_on_connect_failure() -> None:
    rec = Recorder(httpx.ConnectError("refused"), ok(INVOICE_OK))
    async with async_client(rec) as client:
        invoice = await client.invoices.create(valid_invoice())
    assert invoice.invoice_number == "INV-1"
    assert rec.count == 2


@pytest.mark.asyncio
async def test_async_retry_after_cap(sleeps: list[float]) -> None:
    rec = Recorder(status(429, {"retry-after": "120"}), ok())
    async with async_client(rec, max_retry_after=30) as client:
        with pytest.raises(RateLimitError) as info:
            await client.contacts.list()
    assert rec.count == 1
    assert sleeps == []
    assert info.value.retry_after == 120.0
