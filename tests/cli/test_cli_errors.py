"""Failures: one line on stderr and the documented exit code; malformed input; --raw."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest
from xero_sandbox.process import RunningSandbox

from .conftest import XeroRun

pytestmark = pytest.mark.e2e  # a sandbox server over real sockets


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error:")]


def test_missing_credentials_exit_3(xero: XeroRun) -> None:
    result = xero("accounts", "list", env={"XERO_API_KEY": ""})
    assert result.exit_code == 3
    assert result.stderr == "Error: no partner key: give --api-key or set XERO_API_KEY\n"
    result = xero("accounts", "list", env={"XERO_CUSTOMER_KEY": ""})
    assert result.exit_code == 3
    assert "XERO_CUSTOMER_KEY" in result.stderr


def test_bad_partner_key_exit_3(xero: XeroRun) -> None:
    result = xero("--api-key", "NOT-A-PARTNER-KEY", "contacts", "list")
    assert result.exit_code == 3
    (line,) = error_lines(result.stderr)
    assert line.startswith("Error: authentication failed: Xero refused the partner key")
    assert "NOT-A-PARTNER-KEY" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_key_too_short_to_be_xeros_is_refused_before_sending_exit_3(
    xero: XeroRun, where: str
) -> None:
    args = ("--api-key", "abc") if where == "option" else ()
    env = {} if where == "option" else {"XERO_API_KEY": "abc"}
    result = xero(*args, "contacts", "get", "--contact-number", "C-1", "--raw", env=env)
    assert result.exit_code == 3
    (line,) = error_lines(result.stderr)
    assert line == (
        "Error: the partner key (--api-key or XERO_API_KEY) is too short to be a Xero key "
        "(3 characters; Xero's keys are 30, at least 16 are required)"
    )
    assert "abc" not in result.stdout + result.stderr  # nothing was sent, nothing shown
    assert result.stdout == ""


def test_bad_customer_key_exit_3(xero: XeroRun) -> None:
    result = xero("accounts", "list", env={"XERO_CUSTOMER_KEY": "WRONGCUSTOMERKEY0000000000"})
    assert result.exit_code == 3
    (line,) = error_lines(result.stderr)
    assert "not a valid Xero authentication key" in line
    assert "WRONGCUSTOMERKEY0000000000" not in result.stderr


def test_not_found_exit_4(xero: XeroRun) -> None:
    result = xero("invoices", "get", "--invoice-number", "NO-SUCH-INVOICE")
    assert result.exit_code == 4
    assert error_lines(result.stderr)[0].startswith("Error: not found: Invoice with")
    result = xero("contacts", "get", "--contact-id", "4c76ffb5-02e7-47c5-9a86-b0a5a35d1682")
    assert result.exit_code == 4


def test_validation_exit_5(xero: XeroRun, unique: str) -> None:
    doc = json.dumps({"name": f"Twice {unique}"})
    assert xero("contacts", "create", input=doc).exit_code == 0
    result = xero("contacts", "create", input=doc)  # PUT inserts only: the name is taken
    assert result.exit_code == 5
    (line,) = error_lines(result.stderr)
    assert f"validation failed: A contact with the name 'Twice {unique}' already exists." in line


def test_server_error_exit_6(xero: XeroRun, raw_http: httpx.Client) -> None:
    fault = {"path": "accounts", "method": "GET", "kind": "503", "count": 1, "retry_after": 0}
    raw_http.post("/_sandbox/faults", json=fault).raise_for_status()
    try:
        result = xero("--max-retries", "0", "accounts", "list")
    finally:
        raw_http.delete("/_sandbox/faults")
    assert result.exit_code == 6
    assert error_lines(result.stderr)[0].startswith("Error: request failed:")


def test_network_error_exit_6(xero: XeroRun) -> None:
    with socket.socket() as sock:  # a port that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = xero(
        "--max-retries",
        "0",
        "tracking",
        "list",
        env={"XERO_V1_BASE_URL": f"https://127.0.0.1:{port}/api.xro/1.0/"},
    )
    assert result.exit_code == 6
    assert error_lines(result.stderr)[0].startswith(
        "Error: request failed: could not connect to Xero"
    )


def test_untrusted_certificate_exit_6(xero: XeroRun, sandbox: RunningSandbox) -> None:
    result = xero("--max-retries", "0", "accounts", "list", env={"XERO_CA_BUNDLE": ""})
    assert result.exit_code == 6
    assert sandbox.api_key not in result.stderr


def test_bad_base_url_is_a_usage_error(xero: XeroRun) -> None:
    result = xero("accounts", "list", env={"XERO_V1_BASE_URL": "http://example.com/api.xro/1.0/"})
    assert result.exit_code == 2
    assert "https" in error_lines(result.stderr)[0]


@pytest.mark.parametrize(
    "args",
    [
        ("contacts", "get"),
        (
            "contacts",
            "get",
            "--contact-number",
            "A",
            "--contact-id",
            "4c76ffb5-02e7-47c5-9a86-b0a5a35d1682",
        ),
        ("invoices", "get"),
        ("contacts", "get", "--contact-id", "not-a-guid"),
        ("contacts", "list", "--updated-after", "yesterday"),
        ("contacts", "list", "--format", "yaml"),
        ("nosuch", "list"),
    ],
)
def test_usage_errors_exit_2(xero: XeroRun, args: tuple[str, ...]) -> None:
    result = xero(*args)
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        ("<Contact><Name>x</Name>", "not well-formed XML"),
        ("<Invoice><Name>x</Name></Invoice>", "the root element is <Invoice>; expected <Contact>"),
        ('{"name": "x", "colour": "red"}', "unknown field 'colour'"),
        ('{"email_address": "a@b.c"}', "Contact.name is required"),
        ('{"name": "x", "contact_status": "ASLEEP"}', "'ASLEEP' is not one of ACTIVE, DELETED"),
        ("<Contact><Name>x</Name><Colour>red</Colour></Contact>", "does not match <Contact>"),
        ('<!DOCTYPE x [<!ENTITY e "e">]><Contact><Name>&e;</Name></Contact>', "DOCTYPE"),
        ("Name,Email\nx,y\n", "neither XML nor JSON"),
        ("", "neither XML nor JSON"),
    ],
)
def test_malformed_input_exit_2_and_nothing_is_sent(
    xero: XeroRun, tmp_path: Path, document: str, message: str
) -> None:
    path = tmp_path / "doc"
    path.write_text(document)
    result = xero("contacts", "save", "--raw", "--file", str(path))
    assert result.exit_code == 2, result.output
    (line,) = error_lines(result.stderr)
    assert message in line
    assert str(path) in line
    assert result.stdout == ""  # --raw shows no exchange: nothing was sent


def test_malformed_invoice_values(xero: XeroRun) -> None:
    bad = {
        "invoice_type": "ACCREC",
        "contact": {"name": "x"},
        "invoice_date": "31/01/2024",
        "invoice_number": "X",
    }
    result = xero("invoices", "create", input=json.dumps(bad))
    assert result.exit_code == 2
    assert "Invoice.invoice_date: '31/01/2024' is not a date (YYYY-MM-DD)" in result.stderr
    bad["invoice_date"] = "2024-01-31"
    bad["line_items"] = [{"description": "d", "unit_amount": "ten", "line_amount": "10"}]
    result = xero("invoices", "create", input=json.dumps(bad))
    assert result.exit_code == 2
    assert "Invoice.line_items[0].unit_amount: 'ten' is not a number" in result.stderr


def test_missing_input_file_exit_2(xero: XeroRun, tmp_path: Path) -> None:
    result = xero("contacts", "create", "--file", str(tmp_path / "missing.json"))
    assert result.exit_code == 2


def test_raw_shows_the_exchange_with_keys_redacted(
    xero: XeroRun, sandbox: RunningSandbox, unique: str
) -> None:
    result = xero("contacts", "save", "--raw", input=json.dumps({"name": f"Raw {unique}"}))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert sandbox.api_key not in out and sandbox.customer_key not in out
    assert "> POST https://127.0.0.1:" in out and "contact?apiKey=***&xeroKey=***" in out
    assert "> content-type: text/xml; charset=utf-8" in out
    assert f"<Name>Raw {unique}</Name>" in out  # request body
    assert "< HTTP/1.1 200 OK" in out
    assert "<Status>OK</Status>" in out  # response body
    assert not out.lstrip().startswith("{")  # no formatted output besides the exchange


def test_raw_on_an_error_still_shows_the_exchange(xero: XeroRun, sandbox: RunningSandbox) -> None:
    result = xero("contacts", "get", "--contact-number", "NOPE-RAW", "--raw")
    assert result.exit_code == 4
    assert "< HTTP/1.1 " in result.stdout and "ObjectDoesNotExistException" in result.stdout
    assert sandbox.customer_key not in result.stdout
    assert len(error_lines(result.stderr)) == 1


def test_a_time_without_offset_is_refused_not_sent_as_utc(xero: XeroRun) -> None:
    for args in (
        ("invoices", "list", "--raw", "--modified-since", "2024-01-01T10:00:00"),
        ("invoices", "export", "--modified-since", "2024-01-01T10:00:00"),
        ("contacts", "list", "--raw", "--updated-after", "2024-01-01T10:00"),
    ):
        result = xero(*args)
        assert result.exit_code == 2, result.output
        assert "has no UTC offset: add one (e.g. 2024-01-01T10:00" in result.stderr
        assert result.stdout == ""  # nothing was sent
    help_text = xero("invoices", "list", "--help").output
    assert "--modified-since DATE|DATETIME+OFFSET" in help_text
    assert "a date meaning midnight UTC" in " ".join(help_text.split())
    # a date alone (midnight UTC) and a time with its offset are fine
    assert xero("invoices", "list", "--modified-since", "2024-01-01").exit_code == 0
    assert xero("invoices", "list", "--modified-since", "2024-01-01T10:00:00Z").exit_code == 0


def test_a_document_refused_by_the_local_checks_exits_5_like_xeros_refusal(
    xero: XeroRun, unique: str
) -> None:
    bad = {
        "invoice_type": "ACCREC",
        "contact": {"name": f"Totals {unique}"},
        "invoice_date": "2024-01-31",
        "invoice_number": f"TOT-{unique}",
        "line_items": [{"description": "d", "unit_amount": "10", "line_amount": "10"}],
        "total": "11.00",
    }
    result = xero("invoices", "create", "--raw", input=json.dumps(bad))
    assert result.exit_code == 5, result.output
    (line,) = error_lines(result.stderr)
    assert line == (
        "Error: validation failed: standard input: Invoice/Total: 11.00 does not equal "
        "SubTotal + TotalTax (10.00) (found before sending; nothing was sent)"
    )
    assert result.stdout == ""  # --raw shows no exchange: nothing was sent
    many = xero("invoices", "create-many", input=json.dumps([bad, bad]))
    assert many.exit_code == 5
    assert "Invoices/Invoice[2]/Total: 11.00 does not equal" in many.stderr
    # Xero's own refusal of a document is the same exit code
    doc = json.dumps({"name": f"Dup {unique}"})
    assert xero("contacts", "create", input=doc).exit_code == 0
    assert xero("contacts", "create", input=doc).exit_code == 5


def test_help_documents_the_exit_codes(xero: XeroRun) -> None:
    text = " ".join(xero("--help").output.split())
    assert (
        "5 validation: Xero refused the document or a parameter, or the document failed the "
        "checks made before sending" in text
    )
    assert "2 usage: bad option or argument, or an input document that cannot be read" in text
