"""``xero webhooks listen``: registers with the sandbox and prints verified events (text or
JSON lines), answers the handshake itself, and with ``--forward-to`` passes requests on
unchanged. Real processes, real HTTP."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from xero_customer_api.v2_0 import models
from xero_sandbox.process import RunningSandbox

from .support import Receiver, client, hooks, serving, xero_signature

pytestmark = pytest.mark.e2e

XERO = str(Path(sys.executable).parent / "xero")


class Listening:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.err: queue.Queue[str] = queue.Queue()
        self.err_lines: list[str] = []
        assert process.stderr is not None
        threading.Thread(target=self._drain, args=(process.stderr,), daemon=True).start()

    def _drain(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.err.put(line)

    def wait_err(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.err.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.err_lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"{text!r} not printed; stderr: {''.join(self.err_lines)}")

    def url(self) -> str:
        line = self.wait_err("# listening on ")
        return line.split("# listening on ", 1)[1].split()[0].rstrip(":")


@contextmanager
def listen(*args: str, env: dict[str, str] | None = None) -> Iterator[Listening]:
    process = subprocess.Popen(
        [XERO, "webhooks", "listen", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    try:
        yield Listening(process)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(15)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


def sandbox_env(sb: RunningSandbox) -> dict[str, str]:
    return {k: v for k, v in sb.values.items() if k.startswith("XERO_")}


def test_listen_with_the_sandbox_prints_json_lines_and_cleans_up(sandbox: RunningSandbox) -> None:
    with listen("--sandbox", "--json", "--max-events", "2", env=sandbox_env(sandbox)) as running:
        url = running.url()
        assert url in {h["url"] for h in hooks(sandbox).values() if h["status"] == "ACTIVE"}
        assert "export XERO_WEBHOOK_KEY=" in "".join(running.err_lines)
        with client(sandbox) as sdk:
            made = sdk.contacts.create(models.Contact(name=f"Listen {uuid.uuid4()}"))
            sdk.contacts.save(
                models.Contact(contact_id=made.contact_id, email_address="l@example.com")
            )
        out, _ = running.process.communicate(timeout=30)
        assert running.process.returncode == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(e["event_category"], e["event_type"]) for e in lines] == [
        ("CONTACT", "CREATE"),
        ("CONTACT", "UPDATE"),
    ]
    assert {e["resource_id"] for e in lines} == {made.contact_id}
    assert (
        lines[0]["event_date_utc"].endswith("+00:00") and lines[0]["tenant_id"] == sandbox.tenant_id
    )
    assert url not in {h["url"] for h in hooks(sandbox).values()}  # removed on exit


def test_listen_prints_text_and_stops_on_sigterm(sandbox: RunningSandbox) -> None:
    with listen("--sandbox", env=sandbox_env(sandbox)) as running:
        url = running.url()
        with client(sandbox) as sdk:
            made = sdk.contacts.create(models.Contact(name=f"Text {uuid.uuid4()}"))
        assert running.process.stdout is not None
        line = running.process.stdout.readline()
        assert "CONTACT" in line and "CREATE" in line and str(made.contact_id) in line
        running.process.terminate()
        assert running.process.wait(15) == 0
    assert url not in {h["url"] for h in hooks(sandbox).values()}


def test_forward_to_passes_the_raw_request_on() -> None:
    key = "forwarding-key-0123456789"
    with (
        serving(Receiver(key=key, fail_first=1)) as app,
        listen("--key", key, "--forward-to", app.url) as running,
    ):
        url = running.url()
        body = json.dumps(
            {
                "events": [
                    {
                        "resourceUrl": "https://api.xero.com/api.xro/2.0/Contacts/ab",
                        "resourceId": "ab",
                        "eventDateUtc": "2026-01-01T00:00:00.000",
                        "eventType": "CREATE",
                        "eventCategory": "CONTACT",
                        "tenantId": "t1",
                        "tenantType": "ORGANISATION",
                    }
                ],
                "firstEventSequence": 7,
                "lastEventSequence": 7,
                "entropy": "ABCDEFGHIJKLMNOPQRST",
            },
            indent=3,  # any spacing: it is passed on byte for byte
        ).encode()
        signed = {
            "x-xero-signature": xero_signature(body, key),
            "content-type": "application/json",
        }
        with httpx.Client(timeout=10) as http:
            assert http.post(url, content=body, headers=signed).status_code == 500  # the app's
            assert http.post(url, content=body, headers=signed).status_code == 200
            assert [r.body for r in app.requests] == [body, body]
            assert all(
                r.headers["x-xero-signature"] == signed["x-xero-signature"] for r in app.requests
            )
            # the handshake is answered by the listener; bad signatures never reach the app
            check = b'{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"X"}'
            assert (
                http.post(
                    url, content=check, headers={"x-xero-signature": xero_signature(check, key)}
                ).status_code
                == 200
            )
            assert (
                http.post(
                    url,
                    content=check,
                    headers={"x-xero-signature": xero_signature(check, "no")},
                ).status_code
                == 401
            )
            assert http.post(url, content=body).status_code == 401
            assert len(app.requests) == 2
        assert running.process.stdout is not None
        assert "CONTACT     CREATE  ab  tenant t1" in running.process.stdout.readline()


def test_forward_to_without_a_key_lets_the_app_answer_everything() -> None:
    with (
        serving(Receiver(key="the app's key")) as app,
        listen("--forward-to", app.url) as running,
    ):
        url = running.url()
        check = b'{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"X"}'
        with httpx.Client(timeout=10) as http:
            good = http.post(
                url,
                content=check,
                headers={"x-xero-signature": xero_signature(check, "the app's key")},
            )
            bad = http.post(
                url, content=check, headers={"x-xero-signature": xero_signature(check, "other")}
            )
        assert (good.status_code, bad.status_code) == (200, 401)
        assert [r.status for r in app.requests] == [200, 401]


def test_listen_needs_a_key_a_target_or_the_sandbox() -> None:
    done = subprocess.run([XERO, "webhooks", "listen"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--key" in done.stderr


def test_listen_with_the_sandbox_forwarding_to_an_app(sandbox: RunningSandbox) -> None:
    with (
        serving(Receiver()) as app,
        listen("--sandbox", "--forward-to", app.url, env=sandbox_env(sandbox)) as running,
    ):
        running.url()
        exported = next(line for line in running.err_lines if "XERO_WEBHOOK_KEY=" in line)
        app.key = exported.strip().split("=", 1)[1].strip("'")
        assert app.requests == []  # the listener answered the check itself
        with client(sandbox) as sdk:
            made = sdk.contacts.create(models.Contact(name=f"Forwarded {uuid.uuid4()}"))
        app.wait_for(lambda: len(app.deliveries) == 1)
        assert app.events()[0]["resourceId"] == made.contact_id
        assert running.process.stdout is not None
        assert str(made.contact_id) in running.process.stdout.readline()


def test_the_webhooks_group_is_in_every_api_version_and_completes() -> None:
    from click.testing import CliRunner
    from xero_customer_api.cli import main

    for version in ("1.0", "2.0"):
        env = {
            "XERO_API_VERSION": version,
            "_XERO_COMPLETE": "bash_complete",
            "COMP_WORDS": "xero webh",
            "COMP_CWORD": "1",
        }
        result = CliRunner().invoke(main, [], env=env, prog_name="xero")
        assert result.exit_code == 0
        assert [line.split(",", 1)[1] for line in result.stdout.splitlines()] == ["webhooks"]
    shown = CliRunner().invoke(main, ["webhooks", "--help"])
    assert shown.exit_code == 0 and "listen" in shown.stdout


def test_a_busy_port_is_a_clear_error() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [XERO, "webhooks", "listen", "--key", "k" * 20, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1 and "--port 0 picks a free port" in done.stderr
    assert "Traceback" not in done.stderr
