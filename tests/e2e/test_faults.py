"""Fault tests against the real sandbox: retries where safe, never a write sent twice.

Faults are scheduled with ``POST /_sandbox/faults`` and consumed by the next matching
requests; ``GET /_sandbox/stats`` counts requests per endpoint on the server. Counts are
read as differences, so the shared session sandbox needs no reset.
"""

from __future__ import annotations

import io
import logging
import traceback
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from xero_customer_api import (
    NotFoundError,
    RateLimitError,
    ServerError,
    XeroConnectionError,
    XeroError,
    XeroResponseError,
    XeroTimeoutError,
)
from xero_customer_api.v1_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

pytestmark = pytest.mark.e2e

ClientFactory = Callable[..., XeroClient]
InvoiceFactory = Callable[..., models.Invoice]


@pytest.fixture
def fault(raw: httpx.Client) -> Iterator[Callable[..., None]]:
    """``fault("contacts", "503", method="GET", count=1, retry_after=1, delay=1.0)``."""

    def schedule(path: str, kind: str, *, method: str = "GET", **options: Any) -> None:
        response = raw.post(
            "/_sandbox/faults", json={"path": path, "method": method, "kind": kind, **options}
        )
        assert response.status_code == 201, response.text

    yield schedule
    raw.delete("/_sandbox/faults").raise_for_status()


@pytest.fixture
def counted(stats: Callable[[], dict[str, int]]) -> Callable[[str], Callable[[], int]]:
    """``sent = counted("GET contacts")``; ``sent()`` is the number of requests since."""

    def start(key: str) -> Callable[[], int]:
        before = stats().get(key, 0)
        return lambda: stats().get(key, 0) - before

    return start


def test_503_with_retry_after_then_success(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET contacts")
    fault("contacts", "503", retry_after=1, count=1)
    raw = client.contacts.with_raw_response.list()
    assert raw.status_code == 200
    assert sent() == 2  # the 503 and exactly one retry


def test_429_then_success(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET accounts")
    fault("accounts", "429", retry_after=1, count=1)
    assert client.accounts.list()
    assert sent() == 2


def test_429_beyond_the_cap_fails_at_once(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET accounts")
    fault("accounts", "429", retry_after=3600, count=1)
    with pytest.raises(RateLimitError) as info:
        client.accounts.list()
    assert info.value.retry_after == 3600
    assert sent() == 1


def test_retries_are_bounded(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET tracking")
    fault("tracking", "503", retry_after=0, count=5)
    with pytest.raises(ServerError) as info:
        client.tracking.list()
    assert info.value.status_code == 503
    assert sent() == 3  # 1 + max_retries (2)


def test_reset_mid_body_is_retried_for_a_get(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET contacts")
    fault("contacts", "reset", count=1)
    assert isinstance(client.contacts.list(), list)
    assert sent() == 2


def test_reset_without_retries_is_a_connection_error(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET contacts")
    fault("contacts", "reset", count=1)
    with pytest.raises(XeroConnectionError):
        client.contacts.list(max_retries=0)
    assert sent() == 1


def test_timeout_per_call(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET accounts")
    fault("accounts", "delay", delay=2.0, count=1)
    with pytest.raises(XeroTimeoutError):
        client.accounts.list(timeout=0.5, max_retries=0)
    assert sent() == 1


def test_timeout_then_retry_succeeds(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET accounts")
    fault("accounts", "delay", delay=2.0, count=1)
    assert client.accounts.list(timeout=0.5)
    assert sent() == 2


def test_truncated_body_is_an_error_never_a_partial_object(
    client: XeroClient, fault: Callable[..., None], counted: Callable[[str], Callable[[], int]]
) -> None:
    sent = counted("GET contacts")
    fault("contacts", "truncate", count=1)
    with pytest.raises(XeroResponseError):
        client.contacts.list()
    assert sent() == 1


@pytest.mark.parametrize("kind", ["503", "reset", "429", "delay"])
def test_put_invoice_is_sent_exactly_once(
    kind: str,
    client: XeroClient,
    fault: Callable[..., None],
    counted: Callable[[str], Callable[[], int]],
    new_invoice: InvoiceFactory,
) -> None:
    number = f"FAULT-{kind}-{uuid.uuid4().hex[:8]}"
    sent = counted("PUT invoice")
    fault("invoice", kind, method="PUT", count=1, retry_after=0, delay=2.0)
    with pytest.raises((ServerError, RateLimitError, XeroConnectionError)):
        client.invoices.create(
            new_invoice(number, f"Fault customer {number}"), timeout=0.5, max_retries=5
        )
    assert sent() == 1
    if kind in ("503", "429"):  # refused before processing: nothing was written
        with pytest.raises(NotFoundError):
            client.invoices.get(invoice_number=number)
    else:  # processed, then the answer was lost: written exactly once
        assert client.invoices.get(invoice_number=number).invoice_number == number


def test_put_invoice_after_the_fault_is_written_once(
    client: XeroClient,
    fault: Callable[..., None],
    counted: Callable[[str], Callable[[], int]],
    new_invoice: InvoiceFactory,
) -> None:
    number = f"FAULT-OK-{uuid.uuid4().hex[:8]}"
    sent = counted("PUT invoice")
    invoice = client.invoices.create(new_invoice(number, f"Fault customer {number}"))
    assert invoice.invoice_number == number
    assert sent() == 1


# ---------------------------------------------------------------------------- logging


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=1)
        self.stream = io.StringIO()
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.names: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.names.add(record.name)
        self.stream.write(self.format(record) + "\n")


@pytest.fixture
def verbose() -> Iterator[Capture]:
    capture = Capture()
    root = logging.getLogger()
    loggers = [root, *(logging.getLogger(n) for n in ("httpx", "httpcore", "xero_customer_api"))]
    levels = [lg.level for lg in loggers]
    root.addHandler(capture)
    for lg in loggers:
        lg.setLevel(1)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def test_whole_flow_with_faults_at_the_most_verbose_level_leaks_no_key(
    sandbox: RunningSandbox,
    make_client: ClientFactory,
    fault: Callable[..., None],
    new_invoice: InvoiceFactory,
    verbose: Capture,
) -> None:
    keys = (sandbox.api_key, sandbox.customer_key)
    texts: list[str] = []
    client = make_client()
    texts.append(repr(client))
    number = f"LOG-{uuid.uuid4().hex[:8]}"
    contact = client.contacts.create(models.Contact(name=f"Log customer {number}"))
    texts.append(repr(contact))
    raw = client.invoices.with_raw_response.create(new_invoice(number, contact))
    texts += [repr(raw), str(raw.headers)]
    texts.append(repr(client.invoices.get(invoice_number=number)))
    fault("contacts", "503", retry_after=0, count=1)
    fault("accounts", "reset", count=3)
    fault("tracking", "delay", delay=2.0, count=3)
    client.contacts.list()
    failures: list[Callable[[], object]] = [
        lambda: client.accounts.list(),
        lambda: client.tracking.list(timeout=0.3),
        lambda: client.invoices.get(invoice_number=f"NOPE-{number}"),
        lambda: make_client(customer_key="NOT-A-VALID-CUSTOMER-KEY-123").contacts.list(),
    ]
    for call in failures:
        with pytest.raises(XeroError) as info:
            call()
        texts.append("".join(traceback.format_exception(info.value)))
        seen: BaseException | None = info.value
        while seen is not None:
            texts += [str(seen), repr(seen)]
            seen = seen.__cause__ or seen.__context__
    log_text = verbose.stream.getvalue()
    assert "httpx" in verbose.names and any(n.startswith("httpcore") for n in verbose.names)
    assert "xero_customer_api" in verbose.names
    for key in keys:
        assert key not in log_text
        for text in texts:
            assert key not in text
