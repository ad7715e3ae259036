"""TLS, plain HTTP refusal and the fault-injection hooks, seen through the SDK."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from xero_customer_api import (
    RateLimitError,
    XeroAPIError,
    XeroConnectionError,
    XeroResponseError,
    XeroTimeoutError,
)
from xero_customer_api.v1_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

pytestmark = pytest.mark.e2e

ClientFactory = Callable[..., XeroClient]
InvoiceFactory = Callable[..., models.Invoice]
Stats = Callable[[], dict[str, int]]


@pytest.fixture
def fault(raw: httpx.Client) -> Callable[..., None]:
    """Schedule a fault; all faults are cleared after the test."""

    def schedule(path: str, method: str, kind: str, **extra: object) -> None:
        response = raw.post(
            "/_sandbox/faults", json={"path": path, "method": method, "kind": kind, **extra}
        )
        assert response.status_code == 201, response.text

    yield schedule
    raw.delete("/_sandbox/faults")


def test_plain_http_to_the_https_port_is_refused(
    sandbox: RunningSandbox, make_client: ClientFactory
) -> None:
    plain = sandbox.base_url.replace("https://", "http://")
    with pytest.raises(httpx.TransportError):
        httpx.get(
            plain + "accounts", params={"apiKey": sandbox.api_key, "xeroKey": sandbox.customer_key}
        )
    client = make_client(base_url=plain, max_retries=0)
    with pytest.raises(XeroConnectionError):
        client.accounts.list()


def test_the_certificate_is_only_trusted_through_the_ca_bundle(sandbox: RunningSandbox) -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get(sandbox.root_url + "/Login.xro/Login")
    assert (
        httpx.get(sandbox.root_url + "/Login.xro/Login", verify=sandbox.verify()).status_code == 200
    )


def test_503_is_retried_for_a_get(
    make_client: ClientFactory, fault: Callable[..., None], stats: Stats
) -> None:
    client = make_client(max_retries=2)
    before = stats().get("GET accounts", 0)
    fault("accounts", "GET", "503", count=1, retry_after=0)
    assert len(client.accounts.list()) >= 20
    assert stats()["GET accounts"] == before + 2


def test_503_after_the_last_retry_is_an_error(
    make_client: ClientFactory, fault: Callable[..., None], stats: Stats
) -> None:
    client = make_client(max_retries=1)
    before = stats().get("GET tracking", 0)
    fault("tracking", "GET", "503", count=5, retry_after=0)
    with pytest.raises(XeroAPIError) as caught:
        client.tracking.list()
    assert caught.value.status_code == 503
    assert stats()["GET tracking"] == before + 2


def test_429_gives_retry_after(make_client: ClientFactory, fault: Callable[..., None]) -> None:
    client = make_client(max_retries=0)
    fault("contacts", "GET", "429", retry_after=7)
    with pytest.raises(RateLimitError) as caught:
        client.contacts.list()
    assert caught.value.retry_after == 7


def test_reset_after_a_put_is_not_resent_and_the_write_was_kept(
    make_client: ClientFactory,
    new_invoice: InvoiceFactory,
    fault: Callable[..., None],
    stats: Stats,
) -> None:
    client = make_client(max_retries=3)
    number = f"RESET-{uuid.uuid4().hex[:8]}"
    before = stats().get("PUT invoice", 0)
    fault("invoice", "PUT", "reset")
    with pytest.raises(XeroConnectionError):
        client.invoices.create(new_invoice(number, "Reset Ltd"))
    assert stats()["PUT invoice"] == before + 1, "a PUT that reached the server is never sent twice"
    assert client.invoices.get(invoice_number=number).invoice_number == number


def test_reset_on_a_get_is_retried(
    make_client: ClientFactory, fault: Callable[..., None], stats: Stats
) -> None:
    client = make_client(max_retries=2)
    before = stats().get("GET tracking", 0)
    fault("tracking", "GET", "reset")
    assert {c.name for c in client.tracking.list()} == {"Region", "Salesperson"}
    assert stats()["GET tracking"] == before + 2


def test_truncated_body_is_a_response_error(
    make_client: ClientFactory, fault: Callable[..., None]
) -> None:
    client = make_client(max_retries=0)
    fault("accounts", "GET", "truncate")
    with pytest.raises(XeroResponseError):
        client.accounts.list()


def test_delay_beyond_the_timeout(make_client: ClientFactory, fault: Callable[..., None]) -> None:
    client = make_client(max_retries=0, timeout=0.3)
    fault("contacts", "GET", "delay", delay=2)
    with pytest.raises(XeroTimeoutError):
        client.contacts.list()


def test_fault_hook_rejects_bad_specs(raw: httpx.Client) -> None:
    assert (
        raw.post("/_sandbox/faults", json={"path": "contacts", "kind": "explode"}).status_code
        == 400
    )
    assert raw.post("/_sandbox/faults", json={"kind": "503"}).status_code == 400
    assert raw.post("/_sandbox/faults", content=b"not json").status_code == 400


def test_reset_stats(raw: httpx.Client, client: XeroClient, stats: Stats) -> None:
    client.accounts.list()
    assert stats().get("GET accounts", 0) >= 1
    assert raw.post("/_sandbox/reset-stats").status_code == 200
    assert stats() == {}
