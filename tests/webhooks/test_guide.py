"""Every code block of docs/webhooks.md runs: the shell blocks here, against a sandbox
started by the guide's own command; the Python recipes here (served for real) and in
test_frameworks.py (through each framework's test client)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from xero_sandbox.process import RunningSandbox, launch

from .support import guide_blocks, hooks
from .test_frameworks import module

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`"),
]

BIN = Path(sys.executable).parent
#: The blocks the tests run (a new block in the guide must be added here, and run).
RUN_HERE = {
    "terminal 1: the sandbox (or `make sandbox` in a checkout)",
    "terminal 2: the listener",
    "terminal 3: a change",
    "subscribe your app's URL",
    "Xero's intent-to-receive check, then events flow",
    "events.py: what your app does with verified events",
    "Starlette",
    "tests: sign a payload as Xero does",
}
RUN_IN_TEST_FRAMEWORKS = {"FastAPI", "Flask", "Django: myapp/views.py", "Django: urls.py"}


def shell(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A guide block in bash, with the venv's commands first on PATH."""
    full = {**os.environ, **env, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=120,
    )


def test_every_block_of_the_guide_is_run() -> None:
    assert set(guide_blocks()) == RUN_HERE | RUN_IN_TEST_FRAMEWORKS


def test_see_events_in_a_minute(tmp_path: Path) -> None:
    blocks = guide_blocks()
    _, serve = blocks["terminal 1: the sandbox (or `make sandbox` in a checkout)"]
    words = shlex.split(serve.splitlines()[1])
    assert words == ["xero-sandbox", "serve"]
    sandbox = launch([])  # `xero-sandbox serve --port 0`: 0 is serve's default port
    try:
        exports = {k: v for k, v in sandbox.values.items() if k.startswith("XERO_")}
        _, listen_block = blocks["terminal 2: the listener"]
        command = shlex.split(listen_block.splitlines()[1])
        listener = subprocess.Popen(
            [str(BIN / command[0]), *command[1:], "--port", "0", "--max-events", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **exports, "PYTHONUNBUFFERED": "1"},
        )
        try:
            assert listener.stderr is not None
            ready = ""
            deadline = time.monotonic() + 30
            while "is ACTIVE" not in ready:
                assert time.monotonic() < deadline and listener.poll() is None, ready
                ready += listener.stderr.readline()
            _, change = blocks["terminal 3: a change"]
            done = shell(change, exports, tmp_path)
            assert done.returncode == 0, done.stderr
            started = time.monotonic()
            out, _ = listener.communicate(timeout=30)
            assert time.monotonic() - started < 5  # "within a second", give or take a busy CI
        finally:
            if listener.poll() is None:
                listener.terminate()
                listener.wait(10)
        (line,) = out.splitlines()
        assert "CONTACT" in line and "CREATE" in line and exports["XERO_TENANT_ID"] in line
    finally:
        sandbox.stop()


@pytest.fixture
def served_recipe(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sandbox: RunningSandbox
) -> Iterator[tuple[dict[str, str], types.ModuleType, str]]:
    """Run the 'subscribe' block, then the Starlette recipe under uvicorn with its key."""
    blocks = guide_blocks()
    exports = {k: v for k, v in sandbox.values.items() if k.startswith("XERO_")}
    config = uvicorn.Config(None, host="127.0.0.1", port=0, log_level="warning")  # type: ignore[arg-type]
    holder: dict[str, object] = {}

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        await holder["app"](scope, receive, send)  # type: ignore[operator]

    config.app = app
    config.lifespan = "off"
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        _, subscribe_block = blocks["subscribe your app's URL"]
        code = subscribe_block.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        code += '\necho "XERO_WEBHOOK_KEY=$XERO_WEBHOOK_KEY" > seen.env\n'
        done = shell(code, exports, tmp_path)
        assert done.returncode == 0, done.stderr
        values = dict(
            re.findall(
                r"^export (XERO_WEBHOOK_\w+)=(.+)$", (tmp_path / "webhook.env").read_text(), re.M
            )
        )
        values = {k: shlex.split(v)[0] for k, v in values.items()}
        assert (
            tmp_path / "seen.env"
        ).read_text().strip() == f"XERO_WEBHOOK_KEY={values['XERO_WEBHOOK_KEY']}"
        # "start your app with them"
        monkeypatch.setenv("XERO_WEBHOOK_KEY", values["XERO_WEBHOOK_KEY"])
        events = module(
            "events", blocks["events.py: what your app does with verified events"][1], monkeypatch
        )
        holder["app"] = module("starlette_served", blocks["Starlette"][1], monkeypatch).app
        yield {**exports, **values}, events, f"http://127.0.0.1:{port}/xero/webhooks"
    finally:
        server.should_exit = True
        thread.join(10)


def test_subscribe_your_app_then_enable(
    served_recipe: tuple[dict[str, str], types.ModuleType, str],
    sandbox: RunningSandbox,
    tmp_path: Path,
) -> None:
    env, events, url = served_recipe
    _, enable_block = guide_blocks()["Xero's intent-to-receive check, then events flow"]
    done = shell(enable_block, env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ACTIVE" in done.stdout
    assert hooks(sandbox)[env["XERO_WEBHOOK_ID"]]["url"] == url
    _, change = guide_blocks()["terminal 3: a change"]
    assert shell(change, env, tmp_path).returncode == 0
    deadline = time.monotonic() + 15
    while not events.received:
        assert time.monotonic() < deadline, "no event reached the app"
        time.sleep(0.05)
    (event,) = events.received
    assert (event.event_category, event.event_type) == ("CONTACT", "CREATE")
    assert event.tenant_id == sandbox.tenant_id and event.event_date_utc.tzinfo is not None
    removed = shell(f'xero-sandbox webhooks remove "{env["XERO_WEBHOOK_ID"]}"', env, tmp_path)
    assert removed.returncode == 0, removed.stderr


def test_signing_in_your_own_tests() -> None:
    _, code = guide_blocks()["tests: sign a payload as Xero does"]
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)
    assert namespace["body"] == json.dumps(namespace["check"]).encode()
