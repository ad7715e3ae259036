"""One tenant cannot stall another (issue 20 item 17): reads run beside a long write, in
memory and on a file; a thread's own write still sees its rows."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from xero_sandbox import records
from xero_sandbox.store import Store, new_guid


@pytest.fixture(params=["memory", "file"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    store = Store(None if request.param == "memory" else tmp_path / "s.db")
    store.ensure_seeded()
    return store


def test_a_read_does_not_wait_for_a_long_write(any_store: Store) -> None:
    first = any_store.org_by_id(1)
    assert first is not None
    other_tenant = any_store.add_org("Other Co")[1]
    other = any_store.org_by_tenant(other_tenant)
    assert other is not None
    writing = threading.Event()
    release = threading.Event()

    def long_write() -> None:
        with any_store.write():
            contact = records.Contact(
                contact_id=new_guid(), name="Slow Batch", updated=any_store.stamp()
            )
            any_store.save_contact(first.org_id, contact)
            # the thread's own reads inside its write see its rows
            with any_store.read():
                assert any_store.contact_by_name(first.org_id, "Slow Batch") is not None
            writing.set()
            release.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert writing.wait(10)
        started = time.perf_counter()
        with any_store.read():
            accounts = any_store.accounts(other.org_id)
        took = time.perf_counter() - started
        assert accounts and took < 1.0, took
    finally:
        release.set()
        writer.join(10)
    with any_store.read():
        assert any_store.contact_by_name(first.org_id, "Slow Batch") is not None
    any_store.close()
