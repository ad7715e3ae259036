"""``xero reports ...``: the options (``--from``/``--to`` and the exact query names they send),
the readable table, ``--format csv|json``, and bad dates refused by the shell. Against a local
HTTP server answering with the report fixtures (the sandbox computes reports on the ledger
branch)."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from xero_customer_api.cli import main

from tests.cli.conftest import XERO_VARS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "v2.0" / "responses"
ANSWERS = {
    "ProfitAndLoss": "profit_and_loss_periods.xml",
    "TrialBalance": "trial_balance.xml",
    "AgedReceivablesByContact": "aged_receivables.xml",
    "BudgetSummary": "budget_summary.xml",
    "ExecutiveSummary": "executive_summary.xml",
}
TENANT = "b1f7a1c2-3d4e-4f50-8a6b-7c8d9e0f1a2b"
CONTACT = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"


class Server:
    def __init__(self) -> None:
        self.seen: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.seen.append(self.path)
                name = urllib.parse.urlsplit(self.path).path.rsplit("/", 1)[-1]
                body = (FIXTURES / "reports_response" / ANSWERS[name]).read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api.xro/2.0/"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    thread = threading.Thread(target=running.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.httpd.shutdown()
        running.httpd.server_close()


def run(server: Server, *args: str) -> Result:
    env: dict[str, str | None] = dict.fromkeys(XERO_VARS)
    env.update(XERO_BASE_URL=server.url, XERO_ACCESS_TOKEN="token-for-tests", XERO_TENANT_ID=TENANT)
    server.seen.clear()
    return CliRunner().invoke(main, list(args), env=env, prog_name="xero", catch_exceptions=False)


def test_profit_and_loss_table(server: Server) -> None:
    result = run(
        server,
        "reports", "profit-and-loss", "--from", "2026-01-01", "--to", "2026-03-31",
        "--periods", "2", "--timeframe", "MONTH", "--format", "table",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert server.seen == [
        "/api.xro/2.0/Reports/ProfitAndLoss?fromDate=2026-01-01&toDate=2026-03-31"
        "&periods=2&timeframe=MONTH"
    ]
    lines = result.output.splitlines()
    assert lines[:3] == ["Profit & Loss", "Kauri Bindery Ltd", "1 January 2026 to 31 March 2026"]
    net = next(line for line in lines if line.startswith("Net Profit"))
    assert net.split() == ["Net", "Profit", "300.00", "300.00", "-12.50"]
    assert "Less Operating Expenses" in lines


def test_long_option_names_too(server: Server) -> None:
    result = run(server, "reports", "bank-summary", "--help")
    assert (
        "--from-date, --from YYYY-MM-DD" in result.output
        and "--to-date, --to YYYY-MM-DD" in result.output
    )
    result = run(server, "reports", "profit-and-loss", "--from-date", "2026-02-01")
    assert result.exit_code == 0, result.output
    assert server.seen == ["/api.xro/2.0/Reports/ProfitAndLoss?fromDate=2026-02-01"]


def test_csv(server: Server) -> None:
    result = run(server, "reports", "trial-balance", "--date", "2026-03-31", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert server.seen == ["/api.xro/2.0/Reports/TrialBalance?date=2026-03-31"]
    rows = list(csv.DictReader(io.StringIO(result.output)))
    sales = next(r for r in rows if r["Account"] == "Sales (200)")
    assert sales["Credit"] == "1500.00" and sales["section"] == "Revenue"
    assert sales["account_id"] == "5040915e-8ce7-4177-8d08-fde416232f18"


def test_json(server: Server) -> None:
    result = run(
        server, "reports", "aged-receivables-by-contact", "--contact-id", CONTACT,
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert server.seen == [f"/api.xro/2.0/Reports/AgedReceivablesByContact?contactId={CONTACT}"]
    data = json.loads(result.output)
    assert data["report_id"] == "AgedReceivablesByContact"
    first = next(r for r in data["rows"] if r["Number"] == "1001")
    assert first["Date"] == "2026-01-15" and first["Due"] == "1725.00"


def test_budget_and_executive(server: Server) -> None:
    result = run(server, "reports", "budget-summary", "--timeframe", "3", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert server.seen == ["/api.xro/2.0/Reports/BudgetSummary?timeframe=3"]
    result = run(server, "reports", "executive-summary", "--format", "table")
    assert "7.3%" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("profit-and-loss", "--from", "31/03/2026"), "is not a date"),
        (("profit-and-loss", "--timeframe", "WEEK"), "WEEK"),
        (("aged-receivables-by-contact",), "--contact-id"),
        (("budget-summary", "--timeframe", "2"), "is not 1 or 3 or 12"),
    ],
)
def test_bad_input_is_refused(server: Server, args: tuple[str, ...], message: str) -> None:
    result = run(server, "reports", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert server.seen == []


def test_csv_of_other_answers(capsys: pytest.CaptureFixture[str]) -> None:
    """--format csv is every command's: a list of models as rows of their fields."""
    from xero_customer_api._runtime import _cli_support as cs
    from xero_customer_api.v2_0 import models

    contacts = [
        models.Contact(name="Tui, Print Co", is_customer=True),
        models.Contact(name="Rimu Paper", email_address="a@rimu.example"),
    ]
    cs.write_value(contacts, "csv", "contacts")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["name"] for r in rows] == ["Tui, Print Co", "Rimu Paper"]
    assert rows[0]["is_customer"] == "yes" and rows[1]["email_address"] == "a@rimu.example"
