"""``xero`` as a real subprocess (the installed console script) against the sandbox."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from xero_sandbox.process import RunningSandbox

from .conftest import Done

pytestmark = pytest.mark.e2e  # a sandbox server over real sockets


def test_piped_output_is_json_and_the_env_is_read(xero_process: Callable[..., Done]) -> None:
    done = xero_process("accounts", "list")
    assert done.returncode == 0, done.stderr
    assert any(a["code"] == "200" for a in json.loads(done.stdout))
    assert done.stderr == ""


def test_options_override_the_environment(
    xero_process: Callable[..., Done], sandbox: RunningSandbox
) -> None:
    done = xero_process(
        "--api-key",
        sandbox.api_key,
        "--customer-key",
        sandbox.customer_key,
        "--base-url",
        sandbox.base_url,
        "--ca-bundle",
        str(sandbox.ca_bundle),
        "tracking",
        "list",
        "--format",
        "jsonl",
        env={"XERO_API_KEY": "wrong", "XERO_ENVIRONMENT": "production"},
    )
    assert done.returncode == 0, done.stderr
    assert {json.loads(line)["name"] for line in done.stdout.splitlines()} == {
        "Region",
        "Salesperson",
    }


def test_write_from_stdin_then_get_and_errors(
    xero_process: Callable[..., Done], unique: str
) -> None:
    made = xero_process(
        "contacts",
        "create",
        "--format",
        "xml",
        input=f"<Contact><Name>Proc {unique}</Name></Contact>",
    )
    assert made.returncode == 0, made.stderr
    assert f"<Name>Proc {unique}</Name>" in made.stdout

    missing = xero_process("invoices", "get", "--invoice-number", f"NOPE-{unique}")
    assert missing.returncode == 4
    assert missing.stdout == ""
    assert len(missing.stderr.splitlines()) == 1 and missing.stderr.startswith("Error: not found:")

    bad_key = xero_process("contacts", "list", env={"XERO_API_KEY": "WRONGPARTNERKEY"})
    assert bad_key.returncode == 3 and "WRONGPARTNERKEY" not in bad_key.stderr

    malformed = xero_process("contacts", "create", input='{"name": ')
    assert malformed.returncode == 2
    assert malformed.stderr.startswith("Error: standard input: not valid JSON")


def test_import_and_export_in_a_pipeline(
    xero_process: Callable[..., Done], unique: str, tmp_path: Path
) -> None:
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(
        "Name,EmailAddress\n"
        + "".join(f"Pipe {unique} {i},p{i}@x.nz\n" for i in range(50))
        + ",nobody@x.nz\n"
    )
    done = xero_process("contacts", "import", str(csv_file))
    assert done.returncode == 5
    assert "row 52: rejected: name is required" in done.stderr
    assert len(json.loads(done.stdout)) == 50
    export = xero_process("contacts", "export")
    assert export.returncode == 0
    names = {json.loads(line)["name"] for line in export.stdout.splitlines()}
    assert {f"Pipe {unique} {i}" for i in range(50)} <= names
    exported = len(export.stdout.splitlines())
    assert export.stderr == f"Exported {exported} contacts.\n"  # no progress into a pipe
    asked = xero_process("contacts", "export", "--progress")
    *_, last_draw, summary = asked.stderr.splitlines()
    count = len(asked.stdout.splitlines())
    assert summary == f"Exported {count} contacts."
    assert re.fullmatch(rf"Exporting contacts: {count:,} \([0-9,.]+/s\)", last_draw)


def test_completion_script_and_help(xero_process: Callable[..., Done]) -> None:
    source = xero_process(env={"_XERO_COMPLETE": "bash_source"})
    assert source.returncode == 0 and "complete -o nosort -F _xero_completion xero" in source.stdout
    zsh = xero_process(env={"_XERO_COMPLETE": "zsh_source"})
    assert "#compdef xero" in zsh.stdout
    words = xero_process(
        env={"_XERO_COMPLETE": "bash_complete", "COMP_WORDS": "xero invoices ", "COMP_CWORD": "2"}
    )
    assert "plain,export" in words.stdout.splitlines()
    assert "Exit codes:" in xero_process("--help").stdout
    assert xero_process("--version").stdout.startswith("xero, version ")
