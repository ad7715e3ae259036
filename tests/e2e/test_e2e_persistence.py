"""State in a SQLite file survives restarts, including a SIGTERM during writes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from xero_customer_api import XeroError
from xero_customer_api.v1_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox, launch

pytestmark = pytest.mark.e2e

ClientFactory = Callable[..., XeroClient]
InvoiceFactory = Callable[..., models.Invoice]


def test_restart_with_db_keeps_keys_and_data(
    tmp_path: Path, make_client: ClientFactory, new_invoice: InvoiceFactory
) -> None:
    db = tmp_path / "keep.db"
    first = launch(["--db", str(db)])
    try:
        client = make_client(first)
        contact = client.contacts.create(
            models.Contact(name="Persistent Ltd", contact_number="P-1")
        )
        invoice = client.invoices.create(
            new_invoice("P-INV-1", contact, tracking=[("Region", "East")])
        )
    finally:
        assert first.stop() in (0, -15)

    second = launch(["--db", str(db)])
    try:
        assert (second.api_key, second.customer_key) == (first.api_key, first.customer_key)
        client = make_client(second)
        assert client.contacts.get(contact_number="P-1") == contact
        assert client.invoices.get(invoice_id=invoice.invoice_id or "") == invoice
        assert [i.invoice_number for i in client.invoices.list()] == ["P-INV-1"]
    finally:
        second.stop()


def test_in_memory_store_starts_empty_with_new_keys(
    make_client: ClientFactory, sandbox: RunningSandbox
) -> None:
    fresh = launch()
    try:
        assert fresh.api_key != sandbox.api_key and fresh.customer_key != sandbox.customer_key
        assert make_client(fresh).contacts.list() == []
    finally:
        fresh.stop()


def test_sigterm_during_writes_loses_no_acknowledged_write(
    tmp_path: Path, make_client: ClientFactory
) -> None:
    db = tmp_path / "sigterm.db"
    server = launch(["--db", str(db)])
    acknowledged: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def writer(worker: int) -> None:
        client = make_client(server, max_retries=0)
        for i in range(10_000):
            name = f"W{worker}-{i}"
            try:
                client.contacts.create(models.Contact(name=name))
            except XeroError:
                return  # the server went away
            with lock:
                acknowledged.append(name)
                if len(acknowledged) >= 40:
                    enough.set()

    # Slow down a few responses so that some requests are in flight when SIGTERM arrives.
    with httpx.Client(verify=server.verify(), base_url=server.root_url) as hooks:
        fault = {"path": "contact", "method": "PUT", "kind": "delay", "delay": 0.3, "count": 1000}
        assert hooks.post("/_sandbox/faults", json=fault).status_code == 201
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    assert enough.wait(60), server.stderr
    status = server.stop()
    for thread in threads:
        thread.join(60)
    assert status in (0, -15), server.stderr

    restarted = launch(["--db", str(db)])
    try:
        stored = {c.name for c in make_client(restarted).contacts.list()}
    finally:
        restarted.stop()
    with lock:
        missing = set(acknowledged) - stored
    assert len(acknowledged) >= 40
    assert not missing, f"acknowledged but lost: {sorted(missing)[:5]}"
