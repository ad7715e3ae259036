"""Where `xero login` keeps its profiles: the OS keyring when it has a backend, else a file
encrypted with Fernet (a passphrase or a key file); and the profile as the SDK's token store,
saving each rotated refresh token once, under a lock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from xero_customer_api._runtime import _cli_support as cs


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in a dict (as a desktop keyring would)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.passwords[(service, username)]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XERO_CONFIG_DIR", str(tmp_path))
    for name in ("XERO_TOKEN_STORE", "XERO_TOKEN_PASSPHRASE", "XERO_TOKEN_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    chosen = MemoryKeyring()
    keyring.set_keyring(chosen)
    try:
        yield chosen
    finally:
        keyring.set_keyring(before)


RECORD = {
    "client_id": "CLIENT",
    "token": {"access_token": "access-one-0123456789", "refresh_token": "refresh-one-0123456789"},
    "tenant_id": "b1f7a1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b",
}


def test_the_keyring_is_used_when_it_has_a_backend(
    config: Path, memory_keyring: MemoryKeyring
) -> None:
    backend = cs.profile_backend()
    assert isinstance(backend, cs.KeyringBackend)
    backend.save("books", RECORD)
    assert json.loads(memory_keyring.passwords[(cs.KEYRING_SERVICE, "books")]) == RECORD
    assert backend.load("books") == RECORD
    assert not list(config.rglob("*.json"))  # nothing on disk
    assert backend.delete("books") and backend.load("books") is None


def test_without_a_keyring_backend_the_file_is_encrypted(config: Path) -> None:
    keyring_missing = cs.profile_backend("file")
    assert isinstance(keyring_missing, cs.EncryptedFileBackend)
    keyring_missing.save("default", RECORD)
    text = (config / "profiles" / "default.json").read_text()
    assert "refresh-one" not in text and "access-one" not in text
    assert (config / "token.key").stat().st_mode & 0o777 == 0o600
    assert keyring_missing.load("default") == RECORD


def test_a_passphrase_decrypts_only_with_itself(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XERO_TOKEN_PASSPHRASE", "kea and kaka")
    cs.profile_backend("file").save("default", RECORD)
    assert not (config / "token.key").exists()  # no key file with a passphrase
    assert cs.profile_backend("file").load("default") == RECORD
    monkeypatch.setenv("XERO_TOKEN_PASSPHRASE", "tui")
    with pytest.raises(cs.CliError) as wrong:
        cs.profile_backend("file").load("default")
    assert wrong.value.exit_code == 3 and "wrong passphrase or key file" in wrong.value.message
    monkeypatch.delenv("XERO_TOKEN_PASSPHRASE")
    with pytest.raises(cs.CliError) as other:
        cs.profile_backend("file").load("default")
    assert "was saved with a passphrase: set XERO_TOKEN_PASSPHRASE" in other.value.message


def test_forcing_a_missing_keyring_says_what_to_do(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cs, "_usable_keyring", lambda: None)
    with pytest.raises(cs.CliError) as refused:
        cs.profile_backend("keyring")
    assert "XERO_TOKEN_STORE=file" in refused.value.message
    assert isinstance(cs.profile_backend(), cs.EncryptedFileBackend)  # auto falls back
    with pytest.raises(cs.CliError) as bad:
        cs.profile_backend("vault")
    assert "'vault' is not one of auto, keyring, file" in bad.value.message


def test_the_profile_token_store_saves_each_rotation_once(config: Path) -> None:
    backend = cs.profile_backend("file")
    backend.save("default", RECORD)
    store = cs.ProfileTokenStore("default", backend)
    fetched: list[Any] = []
    rotated = {"access_token": "access-two-0123456789", "refresh_token": "refresh-two-0123456789"}

    def fetch(current: Any) -> dict[str, Any]:
        fetched.append(current)
        return rotated

    stale = RECORD["token"]
    assert store.refresh("t", stale, fetch, lambda token: True) == rotated
    assert fetched == [stale]  # refreshed from the stored refresh token
    saved = backend.load("default")
    assert saved is not None and saved["token"] == rotated and saved["client_id"] == "CLIENT"
    # another command that still held the old token finds the new one: no second refresh
    assert store.refresh("t", stale, fetch, lambda token: True) == rotated
    assert len(fetched) == 1
    assert store.get("any tenant") == rotated
    assert "refresh" not in repr(store)


def test_login_on_a_busy_port_says_what_to_do(config: Path) -> None:
    import socket

    from click.testing import CliRunner
    from xero_customer_api.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = CliRunner().invoke(
            main,
            ["login", "--no-browser", "--port", str(port)],
            env={"XERO_CLIENT_ID": "CLIENT", "XERO_TOKEN_STORE": "file"},
        )
    assert done.exit_code == 2
    assert f"cannot listen on localhost port {port}" in done.output
    assert "give another --port" in " ".join(done.output.split())


def test_login_needs_a_client_id(config: Path) -> None:
    from click.testing import CliRunner
    from xero_customer_api.cli import main

    done = CliRunner().invoke(
        main, ["login", "--no-browser"], env={"XERO_CLIENT_ID": None, "XERO_TOKEN_STORE": "file"}
    )
    assert done.exit_code == 3 and "--client-id or set XERO_CLIENT_ID" in done.output
