"""``xero login`` / ``logout`` end to end: the installed script, the sandbox's consent page.

The sandbox here is its own (access tokens live 2 seconds, so a command after a short wait must
refresh). The person at the browser is played by ``approve()`` (the docs harness's): it opens the
URL ``xero login --no-browser`` printed, ticks the organisations, presses Allow, and the test
follows the redirect to the command's loopback server, as a browser would. There is no OS
keyring here, so the tokens go to the encrypted file (a passphrase, then a key file).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from xero_sandbox.process import RunningSandbox, launch, parse_ready_line, sandbox_command

from .docs_examples import approve

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A sandbox whose access tokens live 2 seconds, with a PKCE app (no secret: what `xero
    login` is for) whose client id stands in its printed values."""
    db = tmp_path_factory.mktemp("login") / "sandbox.db"
    running = launch(["--token-ttl", "2", "--db", str(db)])
    try:
        made = subprocess.run(
            [*sandbox_command(), "keys", "add-app", "--db", str(db), "--name", "CLI", "--pkce"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        pairs = (parse_ready_line(line) for line in made.stdout.splitlines())
        running.values["XERO_CLIENT_ID"] = dict(p for p in pairs if p)["XERO_CLIENT_ID"]
        yield running
    finally:
        running.stop()


def command() -> list[str]:
    script = Path(sys.executable).parent / "xero"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from xero_customer_api.cli import main; main()"]


def environment(sandbox: RunningSandbox, config: Path, **extra: str) -> dict[str, str]:
    """What a user of `xero login` has: the app's client id (no secret, no tenant), the
    sandbox's URLs and CA, and where the profiles go."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XERO_", "_XERO"))}
    keep = ("XERO_BASE_URL", "XERO_CLIENT_ID", "XERO_TOKEN_URL", "XERO_AUTHORIZE_URL")
    env.update({k: sandbox.values[k] for k in keep})
    env["XERO_CA_BUNDLE"] = str(sandbox.ca_bundle)
    env["XERO_CONFIG_DIR"] = str(config)
    env["XERO_TOKEN_STORE"] = "file"  # never the keyring of the machine running the tests
    env.update(extra)
    return env


def xero(
    env: dict[str, str], *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), *args], input=input, capture_output=True, text=True, env=env, timeout=60
    )


def login(sandbox: RunningSandbox, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run `xero login --no-browser --port 0 ARGS`, approve the URL it prints, follow the
    redirect to its loopback server; its exit code, output and errors."""
    process = subprocess.Popen(
        [*command(), "login", "--no-browser", "--port", "0", "--wait", "30", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("Open this URL"), first
    url = process.stdout.readline().strip()
    location = approve_trusting(sandbox, url)
    assert location.startswith("http://localhost:"), location
    with httpx.Client() as browser:
        page = browser.get(location)
    assert page.status_code == 200 and "Logged in" in page.text
    out, err = process.communicate(timeout=60)
    return process.returncode, first + url + "\n" + out, err


def approve_trusting(sandbox: RunningSandbox, url: str) -> str:
    """``approve`` with the sandbox's CA trusted (it reads SSL_CERT_FILE)."""
    before = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = str(sandbox.ca_bundle)
    try:
        return approve(url)
    finally:
        if before is None:
            del os.environ["SSL_CERT_FILE"]
        else:
            os.environ["SSL_CERT_FILE"] = before


def test_login_refresh_rotation_and_logout(short_lived: RunningSandbox, tmp_path: Path) -> None:
    env = environment(short_lived, tmp_path, XERO_TOKEN_PASSPHRASE="correct horse battery")
    # before any login: no credentials, and the message says what to do
    before = xero(env, "invoices", "list")
    assert before.returncode == 3 and "xero login" in before.stderr

    code, out, err = login(short_lived, env)
    assert code == 0, err
    tenant = short_lived.values["XERO_TENANT_ID"]
    assert f"Demo Company ({tenant})" in out
    stored = tmp_path / "profiles" / "default.json"
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    saved = json.loads(stored.read_text())
    assert saved["kdf"] == "pbkdf2-sha256"
    assert "access_token" not in stored.read_text() and "refresh_token" not in stored.read_text()

    made = xero(env, "contacts", "create", input=json.dumps({"name": "Login E2E"}))
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["name"] == "Login E2E"

    # the access token expires: the next commands refresh it, rotating the refresh token,
    # and keep the new one (the old refresh token is refused by then)
    first = stored.read_text()
    time.sleep(3)
    listed = xero(env, "contacts", "list", "--search-term", "login e2e")
    assert listed.returncode == 0, listed.stderr
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Login E2E"]
    assert stored.read_text() != first  # the rotated token was saved
    time.sleep(3)
    again = xero(env, "contacts", "list", "--search-term", "login e2e", "--format", "jsonl")
    assert again.returncode == 0, again.stderr

    # a wrong passphrase cannot read the profile
    wrong = xero({**env, "XERO_TOKEN_PASSPHRASE": "wrong"}, "contacts", "list")
    assert wrong.returncode == 3 and "cannot decrypt" in wrong.stderr

    profiles = xero(env, "profiles", "--format", "json")
    assert json.loads(profiles.stdout) == [
        {
            "name": "default",
            "client_id": short_lived.values["XERO_CLIENT_ID"],
            "tenant_id": tenant,
            "store": "file",
        }
    ]
    out_ = xero(env, "logout")
    assert out_.returncode == 0, out_.stderr
    assert "refresh token revoked" in out_.stdout
    assert not stored.exists()
    after = xero(env, "contacts", "list")
    assert after.returncode == 3 and "xero login" in after.stderr


def test_named_profiles_with_a_key_file(short_lived: RunningSandbox, tmp_path: Path) -> None:
    key = tmp_path / "keys" / "xero.key"
    env = environment(short_lived, tmp_path / "config", XERO_TOKEN_KEY_FILE=str(key))
    tenant = short_lived.values["XERO_TENANT_ID"]
    client_id = env.pop("XERO_CLIENT_ID")  # given to the command instead
    code, out, err = login(
        short_lived, env, "--profile", "books", "--tenant-id", tenant, "--client-id", client_id
    )
    assert code == 0, err
    assert f"profile 'books', organisations Demo Company ({tenant}); using {tenant}" in out
    assert f"Made the key file {key}" in err and oct(key.stat().st_mode & 0o777) == "0o600"
    # the named profile answers (at the entry point it logged in at, with no XERO_BASE_URL
    # now); the default one does not exist
    elsewhere = {k: v for k, v in env.items() if k != "XERO_BASE_URL"}
    listed = xero(elsewhere, "--profile", "books", "accounts", "list", "--columns", "code,name")
    assert listed.returncode == 0, listed.stderr
    assert {"code": "200", "name": "Sales"} in json.loads(listed.stdout)
    missing = xero(env, "--profile", "other", "accounts", "list")
    assert missing.returncode == 3
    assert "no login for the profile 'other': run xero login --profile other" in missing.stderr
    bad = xero(env, "--profile", "../etc", "accounts", "list")
    assert bad.returncode == 2 and "'../etc' is not a profile name" in bad.stderr
    gone = xero(env, "logout", "--profile", "books")
    assert gone.returncode == 0 and "profile 'books'" in gone.stdout
    assert json.loads(xero(env, "profiles", "--format", "json").stdout) == []
