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
