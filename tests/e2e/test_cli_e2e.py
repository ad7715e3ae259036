"""``xero`` end to end: the installed script against the session sandbox, in a fresh organisation.

The commands run as real subprocesses with only the XERO_* lines the sandbox printed (the way a
user copies them into a shell); a new organisation keeps the shared sandbox's data apart.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from xero_sandbox.process import RunningSandbox

pytestmark = pytest.mark.e2e


def xero(
    env: dict[str, str], *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "xero"
    command = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from xero_customer_api.cli import main; main()"]
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith(("XERO_", "_XERO"))}
    return subprocess.run(
        [*command, *args],
        input=input,
        capture_output=True,
        text=True,
        env={**full, **env},
        timeout=60,
    )


def test_cli_in_a_new_organisation(
    sandbox: RunningSandbox,
    sandbox_db: Path,
    cli: Callable[..., str],
    add_org: Callable[[str], tuple[str, str]],
    unique: str,
    tmp_path: Path,
) -> None:
    key, _tenant = add_org(f"CLI Org {unique}")
    env = {name: value for name, value in sandbox.values.items() if name.startswith("XERO_")}
    env["XERO_CUSTOMER_KEY"] = key
    env["XERO_API_VERSION"] = "1.0"  # `xero` speaks 2.0 unless told; 1.0 reads XERO_V1_BASE_URL

    assert json.loads(xero(env, "contacts", "list").stdout) == []

    rows = [[f"E2E {i:03d}", f"e2e{i}@example.com", f"E-{i}"] for i in range(250)]
    rows[99][1] = ""
    rows[100][0] = ""  # rejected: no name
    path = tmp_path / "contacts.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([["Name", "EmailAddress", "ContactNumber"], *rows])
    imported = xero(env, "contacts", "import", str(path), "--batch-size", "60", "--format", "jsonl")
    assert imported.returncode == 5, imported.stderr
    assert "row 102: rejected: name is required" in imported.stderr
    assert len(imported.stdout.splitlines()) == 249

    invoice = {
        "invoice_type": "ACCREC",
        "contact": {"name": "E2E 007"},
        "invoice_date": "2024-05-01",
        "invoice_number": f"E2E-{unique}",
        "line_items": [
            {
                "description": "Widget",
                "unit_amount": "12.50",
                "line_amount": "12.50",
                "account_code": "200",
            }
        ],
        "total": "12.50",
    }
    made = xero(env, "invoices", "create", input=json.dumps(invoice))
    assert made.returncode == 0, made.stderr
    exported = xero(
        env, "invoices", "export", "--modified-since", "2000-01-01", "--format", "jsonl"
    )
    assert exported.returncode == 0, exported.stderr
    (line,) = exported.stdout.splitlines()
    assert json.loads(line)["contact"]["contact_number"] == "E-7"
    assert json.loads(line)["line_items"] == []  # 1.0 lists leave the lines out
    with_lines = xero(env, "invoices", "export", "--with-lines")
    assert with_lines.returncode == 0, with_lines.stderr
    (line,) = with_lines.stdout.splitlines()
    assert [item["description"] for item in json.loads(line)["line_items"]] == ["Widget"]
    assert with_lines.stderr == "Exported 1 invoices.\n"

    raw = xero(env, "invoices", "get", "--invoice-number", f"E2E-{unique}", "--raw")
    assert raw.returncode == 0
    assert key not in raw.stdout and sandbox.api_key not in raw.stdout
    assert "xeroKey=***" in raw.stdout and "<InvoiceNumber>E2E-" in raw.stdout

    # the Demo Company does not see the new organisation's contacts
    demo = {**env, "XERO_CUSTOMER_KEY": sandbox.customer_key}
    names = {c["name"] for c in json.loads(xero(demo, "contacts", "list").stdout)}
    assert "E2E 007" not in names


def test_the_2_0_cli_uses_the_printed_exports_unchanged(
    sandbox: RunningSandbox, unique: str
) -> None:
    env = {name: value for name, value in sandbox.values.items() if name.startswith("XERO_")}
    created = xero(env, "contacts", "create", input=json.dumps({"name": f"CLI Two {unique}"}))
    assert created.returncode == 0, created.stderr
    listed = xero(env, "contacts", "list", "--search-term", f"cli two {unique}")
    assert listed.returncode == 0, listed.stderr
    assert [c["name"] for c in json.loads(listed.stdout)] == [f"CLI Two {unique}"]
    # and the same lines reach 1.0 with --api-version 1.0 (XERO_V1_BASE_URL)
    old = xero(env, "--api-version", "1.0", "contacts", "list")
    assert old.returncode == 0, old.stderr
    assert f"CLI Two {unique}" in [c["name"] for c in json.loads(old.stdout)]
    # the custom connection's tenant, found without knowing it
    found = xero({k: v for k, v in env.items() if k != "XERO_TENANT_ID"}, "connections")
    assert found.returncode == 0, found.stderr
    assert [c["tenant_id"] for c in json.loads(found.stdout)] == [sandbox.tenant_id]
    assert env["XERO_CLIENT_SECRET"] not in found.stdout + found.stderr


def test_the_2_0_cli_for_daily_work(sandbox: RunningSandbox, unique: str, tmp_path: Path) -> None:
    """The installed script with the printed exports: an invoice CSV in Xero's template
    imported and exported again unchanged, the daily table at 100 columns, the record view of
    `get`, and a missing tenant (exit 3, what to do)."""
    env = {name: value for name, value in sandbox.values.items() if name.startswith("XERO_")}
    env["COLUMNS"] = "100"
    header = (
        "*ContactName,EmailAddress,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,"
        "*Description,*Quantity,*UnitAmount,*AccountCode,*TaxType,TrackingName1,TrackingOption1"
    )
    rows = [
        f"Kaka {unique},kaka@example.com,E2E-{unique}-1,Job 4,2026-07-01,2026-07-31,"
        "Bike service,1,120.00,200,OUTPUT2,Region,North",
        f"Kaka {unique},kaka@example.com,E2E-{unique}-1,Job 4,2026-07-01,2026-07-31,"
        "Brake pads,2,35.50,200,OUTPUT2,,",
    ]
    path = tmp_path / "invoices.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    imported = xero(env, "invoices", "import", str(path), "--format", "table")
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 of 1 invoices (2 rows)" in imported.stderr
    head, _rule, row = imported.stdout.splitlines()
    assert head.split()[:3] == ["INVOICE_NUMBER", "CONTACT", "DATE"]
    assert row.startswith(f"E2E-{unique}-1") and max(map(len, (head, row))) <= 100

    exported = xero(
        env,
        "invoices",
        "export",
        "--format",
        "csv",
        "--type",
        "ACCREC",
        "--invoice-numbers",
        f"E2E-{unique}-1",
    )
    assert exported.returncode == 0, exported.stderr
    got = list(csv.DictReader(exported.stdout.splitlines()))
    given = list(csv.DictReader([header, *rows]))
    assert len(got) == 2
    for want, have in zip(given, got, strict=True):
        for column, value in want.items():
            if column.lstrip("*") in ("Quantity", "UnitAmount"):
                assert float(have[column]) == float(value)
            else:
                assert have[column] == value, column

    shown = xero(env, "invoices", "get", "--invoice-number", f"E2E-{unique}-1", "--format", "table")
    assert shown.returncode == 0, shown.stderr
    assert f"invoice_number            E2E-{unique}-1" in shown.stdout.splitlines()
    assert "line_items (2):" in shown.stdout

    no_tenant = {k: v for k, v in env.items() if k != "XERO_TENANT_ID"}
    missing = xero(no_tenant, "invoices", "list")
    assert missing.returncode == 3
    assert "--tenant-id" in missing.stderr and "xero connections" in missing.stderr
