"""``xero contacts import FILE.csv`` and ``xero invoices export`` against the sandbox."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from xero_customer_api._runtime import _cli_support as cs
from xero_customer_api.v1_0 import XeroClient
from xero_sandbox.process import RunningSandbox

from .conftest import XeroRun, trust
from .test_cli_commands import invoice_json

pytestmark = pytest.mark.e2e  # a sandbox server over real sockets

MISSING_ID = "4c76ffb5-02e7-47c5-9a86-b0a5a35d1682"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def sandbox_count(raw_http: httpx.Client, key: str) -> int:
    counts: dict[str, int] = raw_http.get("/_sandbox/stats").json()["requests"]
    return counts.get(key, 0)


def test_import_a_few_hundred_rows_with_rejected_ones(
    xero: XeroRun, client: XeroClient, raw_http: httpx.Client, unique: str, tmp_path: Path
) -> None:
    rows = [
        [f"Importer {unique} {i:03d}", f"i{i}@{unique}.example", f"IMP-{unique}-{i}", ""]
        for i in range(300)
    ]
    rows[41][0] = ""  # no name: refused before sending (row 43, the header being row 1)
    rows[120][3] = MISSING_ID  # unknown ContactID: Xero refuses the batch; found by single saves
    rows[200][2] = "  "  # blank cells are left out
    path = write_csv(
        tmp_path / "contacts.csv", ["Name", "EmailAddress", "contact_number", "ContactID"], rows
    )
    batches_before = sandbox_count(raw_http, "POST contacts")
    singles_before = sandbox_count(raw_http, "POST contact")

    result = xero("contacts", "import", str(path), "--batch-size", "100", "--format", "jsonl")

    assert result.exit_code == 5, result.output
    assert "row 43: rejected: name is required" in result.stderr
    assert f"row 122: rejected: not found: Contact with contact id {MISSING_ID}" in result.stderr
    assert f"Imported 298 of 300 rows from {path}; 2 rejected." in result.stderr
    assert result.stderr.rstrip().endswith(
        "Error: 2 of 300 rows rejected (see above); the others were saved"
    )
    assert "Importing contacts" in result.stderr  # the progress bar (its label when not a terminal)
    saved = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(saved) == 298 and all(c["contact_id"] for c in saved)
    # 3 batches, plus halves of the refused batch until the bad row stands alone (POST contact)
    assert 3 < sandbox_count(raw_http, "POST contacts") - batches_before <= 3 + 2 * 7
    assert 1 <= sandbox_count(raw_http, "POST contact") - singles_before <= 4

    names = {c.name for c in client.contacts.list() if c.name.startswith(f"Importer {unique}")}
    assert len(names) == 298
    assert f"Importer {unique} 041" not in names and f"Importer {unique} 120" not in names
    assert (
        client.contacts.get(contact_number=f"IMP-{unique}-7").email_address
        == f"i7@{unique}.example"
    )

    # importing the same file again updates (upsert), nothing new is created
    again = xero("contacts", "import", str(path), "--format", "json")
    assert again.exit_code == 5
    assert {c["contact_id"] for c in json.loads(again.stdout)} == {c["contact_id"] for c in saved}


def test_import_clean_file_exit_0(xero: XeroRun, unique: str, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ok.csv",
        ["name", "Contact Status", "SkypeUserName"],
        [[f"Clean {unique} {i}", "ACTIVE", f"skype{i}"] for i in range(5)],
    )
    result = xero("contacts", "import", str(path), "--format", "table")
    assert result.exit_code == 0, result.output
    assert "Imported 5 of 5 rows" in result.stderr
    assert result.stdout.splitlines()[0].split() == [
        "NAME",
        "EMAIL_ADDRESS",
        "CONTACT_NUMBER",
        "CONTACT_STATUS",
    ]
    assert len(result.stdout.splitlines()) == 7


def test_import_from_stdin(xero: XeroRun, unique: str) -> None:
    result = xero("contacts", "import", "-", input=f"Name\nStdin {unique}\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["name"] == f"Stdin {unique}"


def test_import_unknown_column_is_a_usage_error(
    xero: XeroRun, raw_http: httpx.Client, tmp_path: Path
) -> None:
    before = sandbox_count(raw_http, "POST contacts")
    path = write_csv(tmp_path / "bad.csv", ["Name", "Colour"], [["a", "red"]])
    result = xero("contacts", "import", str(path))
    assert result.exit_code == 2
    assert "unknown CSV column 'Colour'; columns: contact_id, contact_number" in result.stderr
    assert sandbox_count(raw_http, "POST contacts") == before


def test_import_empty_and_ragged_files(xero: XeroRun, unique: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert xero("contacts", "import", str(empty)).exit_code == 2
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(f"Name,EmailAddress\nRagged {unique},a@b.c,extra\nRagged ok {unique},x@y.z\n")
    result = xero("contacts", "import", str(ragged))
    assert result.exit_code == 5
    assert "row 2: rejected: 3 values for 2 columns" in result.stderr
    assert [c["name"] for c in json.loads(result.stdout)] == [f"Ragged ok {unique}"]


def test_export_invoices_as_jsonl(xero: XeroRun, unique: str) -> None:
    for n in range(3):
        made = xero(
            "invoices",
            "create",
            input=json.dumps(invoice_json(f"EXP-{unique}-{n}", f"Exp {unique}")),
        )
        assert made.exit_code == 0, made.output
    result = xero("invoices", "export", "--modified-since", "2020-01-01", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    invoices = [json.loads(line) for line in result.stdout.splitlines()]
    assert {f"EXP-{unique}-{n}" for n in range(3)} <= {i["invoice_number"] for i in invoices}
    # not a terminal: no progress unless asked, only the count at the end
    assert result.stderr == f"Exported {len(invoices)} invoices.\n"

    future = xero("invoices", "export", "--modified-since", "2999-01-01T00:00:00+13:00")
    assert future.exit_code == 0 and future.stdout == ""
    assert "Exported 0 invoices." in future.stderr

    as_json = xero("invoices", "export", "--format", "json")
    assert len(json.loads(as_json.stdout)) >= 3


def test_export_contacts_and_errors(xero: XeroRun) -> None:
    result = xero("contacts", "export", "--type", "all", "--sort-by", "name")
    assert result.exit_code == 0
    names = [json.loads(line)["name"] for line in result.stdout.splitlines()]
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    failed = xero("contacts", "export", env={"XERO_CUSTOMER_KEY": "WRONGCUSTOMERKEY0000000000"})
    assert failed.exit_code == 3


class FailingAfter(httpx.BaseTransport):
    """The sandbox over real sockets, except that ``POST contacts`` answers 503 after ``ok``."""

    def __init__(self, inner: httpx.BaseTransport, ok: int) -> None:
        self.inner = inner
        self.ok = ok
        self.posts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/contacts"):
            self.posts += 1
            if self.posts > self.ok:
                return httpx.Response(
                    503, headers={"Retry-After": "0"}, content=b"<html>Unavailable</html>"
                )
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_import_stopped_by_a_server_error_reports_and_resumes(
    xero: XeroRun,
    client: XeroClient,
    sandbox: RunningSandbox,
    monkeypatch: pytest.MonkeyPatch,
    unique: str,
    tmp_path: Path,
) -> None:
    rows = [[f"Resume {unique} {i:04d}", f"r{i}@{unique}.example"] for i in range(1000)]
    rows[41][0] = ""  # row 43: refused before the stop
    rows[800][0] = ""  # row 802: after the stop, reported when resumed
    path = write_csv(tmp_path / "big.csv", ["Name", "EmailAddress"], rows)

    def failing(
        settings: cs.Settings, event_hooks: Mapping[str, list[Callable[..., Any]]]
    ) -> httpx.Client:
        inner = httpx.HTTPTransport(verify=trust(sandbox))
        return httpx.Client(transport=FailingAfter(inner, ok=3), event_hooks=dict(event_hooks))

    monkeypatch.setattr(cs, "build_http_client", failing)
    result = xero("contacts", "import", str(path), "--format", "jsonl")
    assert result.exit_code == 6, result.output  # the failure's own exit code
    err = result.stderr
    assert "row 43: rejected: name is required" in err
    assert "row 802" not in err  # not reached: reported when the import resumes
    assert (
        f"Stopped at row 303: imported 300 of 1000 rows from {path}, 1 rejected; "
        "the 699 rows from row 303 on are not known to be saved.\n"
        "To resume, run the same command with --start-row 303.\n"
    ) in err
    (line,) = [x for x in err.splitlines() if x.startswith("Error:")]
    assert line.startswith("Error: request failed:") and "HTTP 503" in line
    assert line.endswith("; import stopped at row 303 (resume with --start-row 303)")
    saved = [json.loads(x)["name"] for x in result.stdout.splitlines()]
    assert len(saved) == 300 and saved[-1] == f"Resume {unique} 0300"

    def names() -> set[str]:
        return {c.name for c in client.contacts.list() if c.name.startswith(f"Resume {unique}")}

    assert len(names()) == 300

    monkeypatch.undo()  # Xero is back: resume where it stopped
    again = xero("contacts", "import", str(path), "--start-row", "303", "--format", "jsonl")
    assert again.exit_code == 5, again.output
    assert again.stderr.startswith(f"Starting at row 303 of {path} (--start-row).\n")
    assert "row 802: rejected: name is required" in again.stderr
    assert "row 43:" not in again.stderr
    assert f"Imported 698 of 699 rows from {path}; 1 rejected." in again.stderr
    assert len(again.stdout.splitlines()) == 698
    assert len(names()) == 998
    assert xero("contacts", "import", "--start-row", "1", str(path)).exit_code == 2


def test_export_invoices_with_lines(xero: XeroRun, raw_http: httpx.Client, unique: str) -> None:
    for n in range(2):
        made = xero(
            "invoices", "create", input=json.dumps(invoice_json(f"WL-{unique}-{n}", f"WL {unique}"))
        )
        assert made.exit_code == 0, made.output
    plain = xero("invoices", "export")
    mine = [
        i
        for i in map(json.loads, plain.stdout.splitlines())
        if f"WL-{unique}" in i["invoice_number"]
    ]
    assert len(mine) == 2 and all(i["line_items"] == [] for i in mine)  # 1.0 lists omit lines

    gets_before = sandbox_count(raw_http, "GET invoice")
    result = xero("invoices", "export", "--with-lines", "--progress")
    assert result.exit_code == 0, result.output
    invoices = [json.loads(line) for line in result.stdout.splitlines()]
    assert sandbox_count(raw_http, "GET invoice") - gets_before == len(invoices)  # one GET each
    mine = [i for i in invoices if f"WL-{unique}" in i["invoice_number"]]
    assert [i["line_items"][0]["description"] for i in mine] == ["Consulting", "Consulting"]
    lines = result.stderr.splitlines()
    assert lines[-1] == f"Exported {len(invoices)} invoices."
    assert lines[-2].startswith(f"Exporting invoices with lines: {len(invoices)}/{len(invoices)} (")
    assert any(x.startswith(f"Listing invoices: {len(invoices)} (") for x in lines)
    help_text = xero("invoices", "export", "--help").output
    assert "--with-lines" in help_text and "--progress / --no-progress" in help_text
    assert "--with-lines" not in xero("contacts", "export", "--help").output
