"""Packaging, as a user meets it: type checkers outside the checkout, and wheels in a new venv.

* The dev venv's editable installs must put plain folders on sys.path: mypy run from an
  unrelated folder (as an IDE does for a user's own project) sees the SDK's real types.
* ``pip install .`` gives the SDK and ``xero`` only; the sandbox is its own distribution
  (``sandbox/``) whose wheel carries the XSDs; nothing installed crashes for a missing module.
* The builds raise no setuptools deprecation about the license (SPDX string form).

The wheel tests build without build isolation (the dev venv has setuptools) and install into
a fresh venv with the dev venv's pip; dependencies come from the package index (pip's cache).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from xero_sandbox.process import launch

from .conftest import ROOT

BIN = Path(sys.executable).parent
PIP = (sys.executable, "-m", "pip", "--disable-pip-version-check")
DISTRIBUTIONS = {
    "xero-customer-api": ROOT / "pyproject.toml",
    "xero-codegen": ROOT / "codegen" / "pyproject.toml",
    "xero-sandbox": ROOT / "sandbox" / "pyproject.toml",
}

USER_SCRIPT = """\
from decimal import Decimal
from typing import assert_type

from xero_customer_api import NotFoundError, XeroError
from xero_customer_api.v1_0 import XeroClient, models


def work(client: XeroClient) -> None:
    contact = client.contacts.get(contact_number="CUST-1")
    assert_type(contact, models.Contact)
    reveal_type(client.invoices.list())
    line = models.LineItem(description="x", unit_amount=Decimal("1"), line_amount=Decimal("1"))
    assert_type(line.unit_amount, Decimal)
    assert issubclass(NotFoundError, XeroError)
    wrong: int = contact.name
"""


def _clean_env() -> dict[str, str]:
    """The environment without anything that would point a tool at the checkout."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "MYPYPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }


def test_mypy_outside_the_checkout_sees_the_sdk_types(tmp_path: Path) -> None:
    script = tmp_path / "my_app.py"
    script.write_text(USER_SCRIPT)
    done = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "my_app.py",
        ],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = done.stdout
    assert "Cannot find implementation or library stub" not in out, out
    assert re.search(
        r'Revealed type is "(builtins\.)?list\[xero_customer_api\.v1_0\.models\.[\w.]*Invoice\]"',
        out,
    ), out
    errors = [line for line in out.splitlines() if ": error:" in line]
    # exactly the deliberate error: a str assigned to an int
    assert len(errors) == 1, out
    assert (
        'Incompatible types in assignment (expression has type "str", variable has type "int")'
        in errors[0]
    )
    assert done.returncode == 1


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_license_is_an_spdx_string(name: str) -> None:
    project = tomllib.loads(DISTRIBUTIONS[name].read_text())["project"]
    assert project["name"] == name
    assert project["license"] == "MIT"


def test_sdk_distribution_has_only_the_sdk_command() -> None:
    scripts = {
        name: tomllib.loads(path.read_text())["project"].get("scripts", {})
        for name, path in DISTRIBUTIONS.items()
    }
    assert scripts == {
        "xero-customer-api": {"xero": "xero_customer_api.cli:main"},
        "xero-codegen": {"xero-codegen": "xero_codegen.cli:main"},
        "xero-sandbox": {"xero-sandbox": "xero_sandbox.cli:main"},
    }


class Built:
    """Wheels built from a copy of the sources, and the build's output."""

    def __init__(self, wheels: Path, log: str) -> None:
        self.wheels = wheels
        self.log = log

    def wheel(self, distribution: str) -> Path:
        (found,) = self.wheels.glob(f"{distribution.replace('-', '_')}-*.whl")
        return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """SDK and sandbox wheels, built (verbose) from a copy of the files a clone has."""
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for folder in ("generated", "sandbox", "schemas"):
        shutil.copytree(ROOT / folder, src / folder, ignore=ignore)
    wheels = src / "wheels"
    command = [*PIP, "wheel", "-v", "--no-deps", "--no-build-isolation", "-w", str(wheels)]
    done = subprocess.run(
        [*command, str(src), str(src / "sandbox")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Built(wheels, done.stdout + done.stderr)


def test_builds_raise_no_license_deprecation(built: Built) -> None:
    assert "project.license" not in built.log
    assert "License classifiers are deprecated" not in built.log


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new venv (no pip of its own: the dev venv's pip installs into it)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    yield venv


def _pip_install(venv: Path, *wheels: Path) -> None:
    done = subprocess.run(
        [*PIP, "--python", str(venv / "bin" / "python"), "install", "--quiet", *map(str, wheels)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _run(venv: Path, cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / command[0]), *command[1:]],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sdk_wheel_then_sandbox_wheel_in_a_fresh_venv(
    built: Built, fresh_venv: Path, tmp_path: Path
) -> None:
    _pip_install(fresh_venv, built.wheel("xero-customer-api"))
    bin_dir = fresh_venv / "bin"
    help_text = _run(fresh_venv, tmp_path, "xero", "--help")
    assert help_text.returncode == 0, help_text.stderr
    assert "Usage: xero" in help_text.stdout
    # the SDK alone: no sandbox or generator command (nor module) to crash
    assert not (bin_dir / "xero-sandbox").exists()
    assert not (bin_dir / "xero-codegen").exists()
    probe = _run(fresh_venv, tmp_path, "python", "-c", "import xero_sandbox")
    assert probe.returncode != 0 and "No module named 'xero_sandbox'" in probe.stderr

    _pip_install(fresh_venv, built.wheel("xero-sandbox"))
    assert not (bin_dir / "xero-codegen").exists()
    where = _run(
        fresh_venv,
        tmp_path,
        "python",
        "-c",
        "from xero_sandbox.xsd import schema_dir; print(schema_dir())",
    )
    assert where.returncode == 0, where.stderr
    schemas = Path(where.stdout.strip())
    assert schemas.is_relative_to(fresh_venv) and (schemas / "requests").is_dir()
    assert not schemas.is_relative_to(ROOT)
    assert (schemas.parents[1] / "py.typed").is_file()  # typed for users' own tests

    sandbox = launch(["--http"], command=[str(bin_dir / "xero-sandbox")], cwd=tmp_path)
    try:
        keys = {"apiKey": sandbox.api_key, "xeroKey": sandbox.customer_key}
        with httpx.Client(base_url=sandbox.base_url) as http:
            saved = http.put(
                "contact", params=keys, content=b"<Contact><Name>Wheel Co</Name></Contact>"
            )
            assert saved.status_code == 200, saved.text
            assert b"<Name>Wheel Co</Name>" in saved.content
            # the request XSD is really applied: an unknown element is refused
            refused = http.put("contact", params=keys, content=b"<Contact><Nom>x</Nom></Contact>")
            assert b"InvalidXmlException" in refused.content
    finally:
        status = sandbox.stop()
    assert status in (0, -15), sandbox.stderr
