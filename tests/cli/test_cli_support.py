"""The support module on its own: JSON <-> models, tables, formats, completion, a mocked transport."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from xero_customer_api._runtime import _cli_support as cs
from xero_customer_api.cli import main
from xero_customer_api.v1_0 import models

ENV = {
    "XERO_API_KEY": "PARTNERKEY0123456789",
    "XERO_CUSTOMER_KEY": "CUSTOMERKEY0123456789",
    "XERO_API_VERSION": "1.0",
    "XERO_V1_BASE_URL": "https://xero.test/api.xro/1.0/",
    "XERO_BASE_URL": None,
    "XERO_ENVIRONMENT": None,
    "XERO_CA_BUNDLE": None,
}


def sample_invoice() -> models.Invoice:
    return models.Invoice(
        invoice_type=models.InvoiceType.ACCREC,
        contact=models.Contact(name="Ngā Tāonga Ltd"),
        invoice_date=datetime.date(2024, 1, 31),
        invoice_number="INV-0001",
        total=Decimal("230.10"),
        line_items=[
            models.LineItem(
                description="Consulting",
                unit_amount=Decimal("100.05"),
                line_amount=Decimal("200.10"),
                tracking=[models.LineItemTracking(name="Region", option="North")],
            )
        ],
        updated_date_utc=datetime.datetime(2024, 2, 1, 9, 30, tzinfo=datetime.UTC),
    )


def test_json_round_trip_keeps_types() -> None:
    invoice = sample_invoice()
    data = cs.to_jsonable(invoice)
    assert data["invoice_type"] == "ACCREC"
    assert data["total"] == "230.10"
    assert data["invoice_date"] == "2024-01-31"
    assert data["updated_date_utc"] == "2024-02-01T09:30:00Z"
    assert data["contact"]["name"] == "Ngā Tāonga Ltd"
    assert data["line_items"][0]["tracking"] == [{"name": "Region", "option": "North"}]
    assert cs.from_jsonable(models.Invoice, json.loads(json.dumps(data))) == invoice


def test_json_reading_accepts_numbers_and_xero_dates() -> None:
    line = cs.from_jsonable(
        models.LineItem, {"description": "d", "unit_amount": 1.5, "line_amount": 3}
    )
    assert line.unit_amount == Decimal("1.5") and line.line_amount == Decimal("3")
    payment = cs.from_jsonable(models.Payment, {"date": "2024-01-31T00:00:00", "amount": "1"})
    assert payment.date == datetime.date(2024, 1, 31)
    contact = cs.from_jsonable(
        models.Contact, {"name": "n", "updated_date_utc": "2024-01-31T10:00:00"}
    )
    assert contact.updated_date_utc == datetime.datetime(2024, 1, 31, 10, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "Contact: expected an object, got a list"),
        ({"name": 3}, "Contact.name: expected a string, got a number"),
        ({"name": "n", "phones": {}}, "Contact.phones: expected a list, got an object"),
        (
            {"name": "n", "phones": [{"phone_type": "PAGER"}]},
            "Contact.phones[0].phone_type: 'PAGER' is not one of",
        ),
        (
            {"name": "n", "updated_date_utc": "soon"},
            "Contact.updated_date_utc: 'soon' is not a date and time",
        ),
    ],
)
def test_json_reading_names_the_bad_field(data: Any, message: str) -> None:
    with pytest.raises(cs.InputError) as caught:
        cs.from_jsonable(models.Contact, data, "Contact")
    assert message in caught.value.message
    assert caught.value.exit_code == 2


def test_table_and_record_rendering() -> None:
    invoice = sample_invoice()
    table = cs.render_table([invoice, invoice], "invoices")
    header, rule, *rows = table.splitlines()
    assert header.split()[:3] == ["INVOICE_TYPE", "CONTACT", "INVOICE_DATE"]
    assert set(rule) <= {"-", " "} and len(rows) == 2
    assert "Ngā Tāonga Ltd" in rows[0] and "230.10" in rows[0] and "SUB_TOTAL" not in header
    record = cs.render_record(invoice)
    assert "contact.name      Ngā Tāonga Ltd" in record
    assert "line_items (1):" in record and "Region=North" in record
    assert cs.render_table([], "line_items") == "(no line items)\n"


def test_default_format_is_a_table_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdout", Terminal())
    assert cs.resolve_format(None) == "table"
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert cs.resolve_format(None) == "json"
    assert cs.resolve_format("xml") == "xml"


def test_datetime_option_type() -> None:
    assert cs.DATETIME.convert("2024-01-31", None, None) == datetime.date(2024, 1, 31)
    assert cs.DATETIME.convert("2024-01-31T10:00:00", None, None) == datetime.datetime(
        2024, 1, 31, 10, tzinfo=datetime.UTC
    )
    moment = cs.DATETIME.convert("2024-01-31T10:00:00+13:00", None, None)
    assert isinstance(moment, datetime.datetime) and moment.utcoffset() == datetime.timedelta(
        hours=13
    )


# ---------------------------------------------------------------------------- completion


def complete(words: str, api_version: str | None = "1.0") -> list[str]:
    env: Mapping[str, str | None] = {
        "XERO_API_VERSION": api_version,
        "_XERO_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="xero")
    assert result.exit_code == 0
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_shell_completion() -> None:
    assert complete("xero ") == ["accounts", "contacts", "invoices", "tracking"]
    assert complete("xero ", api_version=None) == [
        "accounts",
        "contacts",
        "invoices",
        "payments",
        "tracking-categories",
    ]
    assert set(complete("xero contacts ")) >= {
        "get",
        "list",
        "create",
        "save",
        "save-many",
        "import",
        "export",
    }
    assert complete("xero contacts list --type ") == ["all", "customers", "suppliers"]
    assert "--sort-by" in complete("xero contacts list --so")
    source = CliRunner().invoke(main, [], env={"_XERO_COMPLETE": "bash_source"}, prog_name="xero")
    assert (
        "_xero_completion" in source.stdout
        and "complete -o nosort -F _xero_completion xero" in source.stdout
    )


# ---------------------------------------------------------------------------- mocked transport


@pytest.fixture
def mock_xero(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[Callable[[httpx.Request], httpx.Response]], Any]]:
    """Run ``xero`` with its HTTP client on an httpx.MockTransport (the support module's hook)."""

    def install(handler: Callable[[httpx.Request], httpx.Response]) -> Callable[..., Any]:
        def build(
            settings: cs.Settings, event_hooks: Mapping[str, list[Callable[..., Any]]]
        ) -> httpx.Client:
            return httpx.Client(
                transport=httpx.MockTransport(handler), event_hooks=dict(event_hooks)
            )

        monkeypatch.setattr(cs, "build_http_client", build)
        return lambda *args: CliRunner().invoke(
            main, ["--max-retries", "0", *args], env=ENV, prog_name="xero"
        )

    yield install


@pytest.mark.parametrize(
    ("response", "code", "text"),
    [
        (httpx.Response(429, headers={"Retry-After": "120"}), 6, "rate limiting"),
        (httpx.Response(200, content=b"<Response><Status>OK"), 6, "not well-formed XML"),
        (httpx.Response(502, content=b"Bad gateway"), 6, "HTTP 502"),
        (httpx.Response(302, headers={"Location": "/Login.xro/Login"}), 3, "partner key"),
    ],
)
def test_mocked_failures_map_to_exit_codes(
    mock_xero: Callable[..., Any], response: httpx.Response, code: int, text: str
) -> None:
    run = mock_xero(lambda request: response)
    result = run("accounts", "list")
    assert result.exit_code == code, result.output
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert text in line
    assert (
        "PARTNERKEY0123456789" not in result.stderr and "CUSTOMERKEY0123456789" not in result.stderr
    )


def test_mocked_request_carries_the_options(mock_xero: Callable[..., Any]) -> None:
    seen: list[httpx.Request] = []
    body = (
        b"<Response><ID>1</ID><Status>OK</Status><ProviderName>P</ProviderName>"
        b"<DateTimeUTC>2024-01-01T00:00:00Z</DateTimeUTC><Contacts/></Response>"
    )

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=body, headers={"Content-Type": "text/xml"})

    run = mock_xero(handler)
    result = run(
        "contacts",
        "list",
        "--type",
        "customers",
        "--sort-by",
        "emailaddress",
        "--updated-after",
        "2024-01-31",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    params = dict(seen[0].url.params)
    assert params == {
        "apiKey": "PARTNERKEY0123456789",
        "xeroKey": "CUSTOMERKEY0123456789",
        "type": "customers",
        "sortBy": "emailaddress",
        "updatedAfter": "2024-01-31T00:00:00",
    }
    table = run("contacts", "list", "--format", "table")
    assert table.stdout == "(no contacts)\n"
