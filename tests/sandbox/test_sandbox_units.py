"""Unit tests of the sandbox's value formats, store and console redaction."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from xero_sandbox import console
from xero_sandbox.records import Contact
from xero_sandbox.seed import new_key
from xero_sandbox.store import Store
from xero_sandbox.v1_0 import wire
from xero_sandbox.v1_0.errors import FORMAT_EXCEPTION, ApiError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2008-11-20", datetime(2008, 11, 20, tzinfo=UTC)),
        ("2008-11-20T10:11:12", datetime(2008, 11, 20, 10, 11, 12, tzinfo=UTC)),
        ("2008-11-20T10:11:12.3997437Z", datetime(2008, 11, 20, 10, 11, 12, 399743, tzinfo=UTC)),
        ("2008-11-20T22:11:12+12:00", datetime(2008, 11, 20, 10, 11, 12, tzinfo=UTC)),
        ("2008-11-20T10:11:12 00:00", datetime(2008, 11, 20, 10, 11, 12, tzinfo=UTC)),
    ],
)
def test_parse_utc(text: str, expected: datetime) -> None:
    assert wire.parse_utc(text) == expected


@pytest.mark.parametrize("text", ["", "20081120", "2008-13-01", "tomorrow"])
def test_parse_utc_rejects(text: str) -> None:
    with pytest.raises(ApiError) as caught:
        wire.parse_utc(text)
    assert caught.value.exception_type == FORMAT_EXCEPTION


def test_formats() -> None:
    assert f"{wire.money(Decimal('379.53')):f}" == "379.5300"
    assert f"{wire.money(Decimal('-19.97')):f}" == "-19.9700"
    assert (
        wire.format_utc(datetime(2008, 10, 9, 2, 40, 54, 399743, tzinfo=UTC))
        == "2008-10-09T02:40:54.3997430Z"
    )
    assert (
        wire.parse_guid("4C76FFB5-02E7-47C5-9A86-B0A5A35D1682")
        == "4c76ffb5-02e7-47c5-9a86-b0a5a35d1682"
    )
    assert wire.round2(Decimal("0.125")) == Decimal("0.13")


def test_keys_look_like_xero_keys_and_are_random() -> None:
    keys = {new_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(re.fullmatch(r"[A-Z0-9]{30}", k) for k in keys)


def test_redaction() -> None:
    assert (
        console.redact_query("apiKey=AAA&xeroKey=BBB&type=all")
        == "apiKey=REDACTED&xeroKey=REDACTED&type=all"
    )
    secret = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
    assert (
        console.redact_text(f"key {secret.lower()} and {secret}", [secret])
        == "key REDACTED and REDACTED"
    )


def test_file_store_keeps_data_and_adds_orgs(tmp_path: Path) -> None:
    db = tmp_path / "unit.db"
    store = Store(db)
    first = store.ensure_seeded()
    other_key, _tenant = store.add_org("Second Org")
    with store.write():
        org = store.org_for(first.api_key, first.customer_key)
        assert org is not None
        store.save_contact(
            org.org_id, Contact(name="Kept", contact_id=wire.new_guid(), updated=store.stamp())
        )
    store.close()

    again = Store(db)
    assert again.ensure_seeded() == first
    org = again.org_for(first.api_key, first.customer_key)
    second = again.org_for(first.api_key, other_key)
    assert org is not None and second is not None and org != second
    assert [c.name for c in again.contacts(org.org_id)] == ["Kept"]
    assert again.contacts(second.org_id) == []
    assert len(again.accounts(second.org_id)) >= 20
    again.close()


@pytest.mark.parametrize("table", ["invoices", "payments"])
def test_the_next_entry_number_costs_the_same_however_many_entries(table: str) -> None:
    # each insert asks for MAX(seq); read by a scan, 100,000 invoices took minutes to enter.
    # Counted in SQLite VM steps (deterministic), not in time.
    store = Store(None)
    conn = store._conn
    columns = {
        "invoices": "(invoice_id, org_id, number, type, contact_id, updated, seq, body)"
        " VALUES (?, ?, 'N', 'ACCREC', 'c', 'u', ?, '{}')",
        "payments": "(payment_id, org_id, invoice_id, seq, body) VALUES (?, ?, 'i', ?, '{}')",
    }[table]

    def steps() -> int:
        count = 0

        def tick() -> int:
            nonlocal count
            count += 1
            return 0

        conn.set_progress_handler(tick, 1)
        conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}").fetchone()
        conn.set_progress_handler(None, 1)
        return count

    def add(start: int, count: int) -> None:
        conn.executemany(
            f"INSERT INTO {table} {columns}",
            [(f"id-{n}", n % 7, n) for n in range(start, start + count)],
        )

    add(0, 100)
    few = steps()
    add(100, 5000)
    assert steps() <= few + 20


def test_the_console_redacts_when_read_and_cuts_long_bodies() -> None:
    log = console.TrafficLog()
    secret = "S3CRETS3CRETS3CRETS3CRET"
    body = (f"token={secret} " + "x" * (70 * 1024)).encode()
    log.record("PARTNER-KEY-0001", "GET", "/p", f"apiKey={secret}", 200, body, body, [secret])
    [shown] = log.recent("PARTNER-KEY-0001")
    for text in (shown.path, shown.request_body, shown.response_body):
        assert secret not in text and "REDACTED" in text
    assert shown.response_body.endswith("... (truncated)")
    assert log.recent("PARTNER-KEY-0001")[0] is shown  # redacted once


def test_stamps_strictly_increase() -> None:
    store = Store(None)
    stamps = [store.stamp() for _ in range(200)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_a_db_file_of_the_older_layout_is_refused_not_migrated(tmp_path: Path) -> None:
    import sqlite3

    from xero_sandbox.store import StoreVersionError

    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("CREATE TABLE contacts (contact_id TEXT PRIMARY KEY, body TEXT NOT NULL)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreVersionError, match="start with a new --db file"):
        Store(old)
    fresh = Store(tmp_path / "new.db")
    fresh.ensure_seeded()
    fresh.close()
    Store(tmp_path / "new.db").close()  # its own layout opens again


def test_serve_and_keys_say_why_an_old_db_file_is_refused(tmp_path: Path) -> None:
    import sqlite3
    import subprocess

    from xero_sandbox.process import sandbox_command

    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("CREATE TABLE partners (api_key TEXT)")
    conn.commit()
    conn.close()
    for args in (["serve", "--http", "--db", str(old)], ["keys", "add-app", "--db", str(old)]):
        done = subprocess.run(
            [*sandbox_command(), *args], capture_output=True, text=True, timeout=60
        )
        assert done.returncode != 0 and "start with a new --db file" in done.stderr
        assert "Traceback" not in done.stderr


def test_accepted_connections_send_without_waiting_for_acks() -> None:
    # the listening socket says TCP, so asyncio turns Nagle off on every connection it
    # accepts (without it each answer waited 40 ms for the client's delayed ACK)
    import asyncio
    import socket

    from xero_sandbox.server import _bind

    async def main() -> int:
        found: list[int] = []

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            found.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        listening = _bind("127.0.0.1", 0)
        server = await asyncio.start_server(handle, sock=listening)
        port = listening.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if found:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return found[0]

    assert asyncio.run(main()) != 0
