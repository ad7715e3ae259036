"""Fixtures of the ``xero`` command-line tests: one sandbox for the module session, a runner.

The sandbox is a real ``xero-sandbox serve`` subprocess (HTTPS, in-memory store), started the
way the e2e suite starts its own; the tests share it and use unique names.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from xero_customer_api.cli import main
from xero_customer_api.v1_0 import XeroClient
from xero_sandbox.process import RunningSandbox, launch

XERO_VARS = (
    "XERO_API_KEY",
    "XERO_CUSTOMER_KEY",
    "XERO_ENVIRONMENT",
    "XERO_BASE_URL",
    "XERO_CA_BUNDLE",
    "XERO_API_VERSION",
    "XERO_V1_BASE_URL",
    "XERO_ACCESS_TOKEN",
    "XERO_CLIENT_ID",
    "XERO_CLIENT_SECRET",
    "XERO_TENANT_ID",
    "XERO_TOKEN_URL",
)


def v1_env(values: Mapping[str, str]) -> dict[str, str]:
    """The sandbox's printed XERO_* values as the environment of the 1.0 commands: `xero`
    speaks 2.0 by default (XERO_BASE_URL is the sandbox's 2.0 URL), and 1.0's entry point is
    XERO_V1_BASE_URL."""
    env = {name: values[name] for name in XERO_VARS if name in values}
    base_url = env.pop("XERO_BASE_URL", None)
    if "XERO_V1_BASE_URL" not in env and base_url is not None:
        env["XERO_V1_BASE_URL"] = base_url
    env["XERO_API_VERSION"] = "1.0"
    return env


@pytest.fixture(scope="session")
def sandbox() -> Iterator[RunningSandbox]:
    """``xero-sandbox serve --port 0`` for the session (HTTPS, in memory)."""
    running = launch()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def sandbox_env(sandbox: RunningSandbox) -> dict[str, str]:
    """The XERO_* variables the sandbox printed."""
    env = v1_env(sandbox.values)
    assert "XERO_CA_BUNDLE" in env
    return env


def _clean_env(env: Mapping[str, str]) -> dict[str, str | None]:
    cleaned: dict[str, str | None] = dict.fromkeys(XERO_VARS)
    cleaned.update(env)
    return cleaned


XeroRun = Callable[..., Result]


@pytest.fixture
def xero(sandbox_env: dict[str, str]) -> XeroRun:
    """``xero(*args, input=..., env={...})`` runs the command in-process against the sandbox."""

    def run(
        *args: str, input: str | bytes | None = None, env: Mapping[str, str] | None = None
    ) -> Result:
        runner = CliRunner()
        return runner.invoke(
            main,
            list(args),
            input=input,
            env=_clean_env({**sandbox_env, **(env or {})}),
            prog_name="xero",
            catch_exceptions=False,
        )

    return run


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def xero_command() -> list[str]:
    """The installed ``xero`` script beside this interpreter, else ``python -m``-style."""
    script = Path(sys.executable).parent / "xero"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from xero_customer_api.cli import main; main()"]


@pytest.fixture
def xero_process(sandbox_env: dict[str, str]) -> Callable[..., Done]:
    """Run ``xero ARGS`` as a real subprocess with the sandbox's environment."""

    def run(*args: str, input: str | None = None, env: Mapping[str, str] | None = None) -> Done:
        full = {
            k: v for k, v in os.environ.items() if k not in XERO_VARS and not k.startswith("_XERO")
        }
        full.update(sandbox_env)
        full.update(env or {})
        done = subprocess.run(
            [*xero_command(), *args],
            input=input,
            capture_output=True,
            text=True,
            env=full,
            timeout=60,
        )
        return Done(done.returncode, done.stdout, done.stderr)

    return run


def trust(sandbox: RunningSandbox) -> ssl.SSLContext:
    """An SSL context trusting the sandbox's CA (``verify=<path>`` is deprecated in httpx)."""
    assert sandbox.ca_bundle
    return ssl.create_default_context(cafile=sandbox.ca_bundle)


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[XeroClient]:
    """An SDK client of the sandbox's Demo Company, to set up and check data."""
    with httpx.Client(verify=trust(sandbox)) as http:
        yield XeroClient(
            api_key=sandbox.api_key,
            customer_key=sandbox.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        )


@pytest.fixture
def raw_http(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Plain HTTP to the sandbox root (test hooks under /_sandbox)."""
    with httpx.Client(verify=trust(sandbox), base_url=sandbox.root_url) as http:
        yield http


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]
