"""End to end: sandbox -> real HTTP -> the example's receiver (which fails the first
deliveries) -> Celery worker -> SDK fetch, dedupe in a real Redis: retries land, nothing is
lost, nothing is processed twice, repeated deliveries are skipped."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
import redis
import uvicorn
from xero_customer_api import PermissionDeniedError
from xero_customer_api.v2_0 import models
from xero_sandbox.process import RunningSandbox

from .conftest import TIME_SCALE
from .support import ROOT, admin, client, hooks

pytestmark = [
    pytest.mark.e2e,
    # celery's embedded test worker and kombu's memory transport leave these behind
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


class FailFirst:
    """ASGI middleware: answers 500 to the first *n* requests that carry events."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.app: Any = None
        self.answers: list[int] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        has_events = bool(json.loads(body or b"{}").get("events"))
        if has_events and self.n > 0:
            self.n -= 1
            self.answers.append(500)
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        replayed = False

        async def again() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                await asyncio.sleep(3600)
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and has_events:
                self.answers.append(message["status"])
            await send(message)

        await self.app(scope, again, watch)


@pytest.fixture
def consumer(
    sandbox: RunningSandbox, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ModuleType]:
    """examples/webhooks_consumer.py, configured for the sandbox and the test's Redis."""
    for name, value in {
        "XERO_CLIENT_ID": sandbox.client_id,
        "XERO_CLIENT_SECRET": sandbox.client_secret,
        "XERO_BASE_URL": sandbox.v2_base_url,
        "XERO_TOKEN_URL": sandbox.token_url,
        "XERO_REDIS_URL": redis_url,
        "XERO_TIME_SCALE": str(TIME_SCALE),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("XERO_CA_BUNDLE", raising=False)
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    import webhooks_consumer

    webhooks_consumer.shared_state.cache_clear()
    webhooks_consumer._http.cache_clear()
    try:
        yield webhooks_consumer
    finally:
        webhooks_consumer._http().close()
        webhooks_consumer.shared_state()[2].close()
        webhooks_consumer.shared_state.cache_clear()
        webhooks_consumer._http.cache_clear()


@pytest.fixture
def worker(consumer: ModuleType) -> Iterator[None]:
    """A real Celery worker (threads pool) on the in-memory broker."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(consumer.app, pool="threads", concurrency=4, perform_ping_check=False):
        yield


@pytest.fixture
def receiver(consumer: ModuleType) -> Iterator[FailFirst]:
    """The example's receiver under uvicorn, failing the first two deliveries."""
    front = FailFirst(2)
    config = uvicorn.Config(front, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    front.url = f"http://127.0.0.1:{port}/"  # type: ignore[attr-defined]
    try:
        yield front
    finally:
        server.should_exit = True
        thread.join(10)


def wait(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_sandbox_to_receiver_to_worker_to_sdk_fetch(
    sandbox: RunningSandbox, consumer: ModuleType, worker: None, receiver: FailFirst
) -> None:
    hook = admin(sandbox, "POST", "", {"url": receiver.url}).json()  # type: ignore[attr-defined]
    receiver.app = consumer.create_receiver(hook["key"])
    assert admin(sandbox, "POST", f"/{hook['subscription_id']}/enable").json()["status"] == "ACTIVE"
    r = consumer.shared_state()[2]
    tag = uuid.uuid4().hex[:8]
    try:
        with client(sandbox) as sdk:
            batch = sdk.contacts.create_many(
                [models.Contact(name=f"E2E {tag} {i}") for i in range(3)]
            )
            ids = [b.item.contact_id for b in batch.items]
            invoices = [
                sdk.invoices.create(
                    models.Invoice(
                        type=models.InvoiceType.ACCREC,
                        contact=models.Contact(contact_id=ids[0]),
                        line_items=[
                            models.LineItem(
                                description="E2E",
                                quantity=Decimal(n),
                                unit_amount=Decimal(10),
                                account_code="200",
                            )
                        ],
                    )
                )
                for n in (1, 2)
            ]
            sdk.contacts.save(
                models.Contact(contact_id=ids[1], email_address=f"first-{tag}@example.com")
            )
            sdk.contacts.save(
                models.Contact(contact_id=ids[1], email_address=f"last-{tag}@example.com")
            )
        expected = 3 + 2 + 2  # creates, invoices, updates
        wait(lambda: r.llen(consumer.PROCESSED_LOG) >= expected)
        time.sleep(0.5)  # nothing more arrives
        processed = [k.decode() for k in r.lrange(consumer.PROCESSED_LOG, 0, -1)]
        assert len(processed) == expected and len(set(processed)) == expected  # each once
        # the first two deliveries failed and were retried with the same events: none lost
        assert receiver.answers[:2] == [500, 500] and receiver.answers[-1] == 200
        (state,) = [
            h for h in hooks(sandbox).values() if h["subscription_id"] == hook["subscription_id"]
        ]
        assert all(d["status"] == "delivered" for d in state["deliveries"])
        assert max(d["attempts"] for d in state["deliveries"]) >= 2
        # every record fetched through the SDK, in its latest state
        records = r.hgetall(f"xero:records:{sandbox.tenant_id}")
        saved = {k.decode(): json.loads(v) for k, v in records.items()}
        assert {f"CONTACT:{i}" for i in ids} | {f"INVOICE:{i.invoice_id}" for i in invoices} == set(
            saved
        )
        assert saved[f"CONTACT:{ids[1]}"]["email_address"] == f"last-{tag}@example.com"
        assert Decimal(saved[f"INVOICE:{invoices[1].invoice_id}"]["total"]) == invoices[1].total
        # the fetches went through the shared Redis limiter (its windows are in Redis)
        assert r.keys("xero:limits:*:day")  # each tenant's day window (144 s at this scale)
        # Xero delivering everything again: every task sees a duplicate
        for delivery in state["deliveries"]:
            path = f"/{hook['subscription_id']}/deliveries/{delivery['delivery_id']}/resend"
            assert admin(sandbox, "POST", path).status_code == 202
        before = len(receiver.answers)
        wait(lambda: len(receiver.answers) >= before + len(state["deliveries"]))
        time.sleep(1.0)
        assert r.llen(consumer.PROCESSED_LOG) == expected
        # the same event queued many times at once is still fetched once
        message = {
            "tenant_id": sandbox.tenant_id,
            "category": "CONTACT",
            "type": "UPDATE",
            "resource_id": ids[2],
            "event_date_utc": "2030-01-01T00:00:00+00:00",
        }
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(
                pool.map(lambda _: consumer.process_event.apply(args=[message]).get(), range(8))
            )
        assert sorted(outcomes) == ["duplicate"] * 7 + ["saved"]
    finally:
        admin(sandbox, "DELETE", f"/{hook['subscription_id']}")


def test_a_failed_fetch_gives_the_claim_back(
    sandbox: RunningSandbox, consumer: ModuleType, redis_url: str
) -> None:
    message = {
        "tenant_id": str(uuid.uuid4()),  # not connected: the fetch is refused (403)
        "category": "CONTACT",
        "type": "CREATE",
        "resource_id": str(uuid.uuid4()),
        "event_date_utc": "2030-01-01T00:00:00+00:00",
    }
    consumer.app.conf.task_always_eager = True
    try:
        with pytest.raises(PermissionDeniedError):
            consumer.process_event.apply(args=[message], throw=True, retries=20).get()
    finally:
        consumer.app.conf.task_always_eager = False
    r = redis.Redis.from_url(redis_url)
    assert not r.keys("xero:webhooks:event:*")  # claimable again by the retry
    assert r.llen(consumer.PROCESSED_LOG) == 0
    r.close()
