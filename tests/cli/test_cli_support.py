"""The support module on its own: JSON <-> models, tables, formats, completion, a mocked transport."""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import httpx
import pytest
from click.testing import CliRunner
from xero_codegen.manifest import load_manifest
from xero_customer_api._runtime import _cli_support as cs
from xero_customer_api.cli import main
from xero_customer_api.v1_0 import XeroClient, models

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
        ({"name": 3}, "Contact.name: expected a string, got a number (3)"),
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
    assert cs.DATETIME.convert("2024-01-31T10:00:00Z", None, None) == datetime.datetime(
        2024, 1, 31, 10, tzinfo=datetime.UTC
    )
    moment = cs.DATETIME.convert("2024-01-31T10:00:00+13:00", None, None)
    assert isinstance(moment, datetime.datetime) and moment.utcoffset() == datetime.timedelta(
        hours=13
    )


@pytest.mark.parametrize("naive", ["2024-01-01T10:00:00", "2024-01-01 10:00", "2024-01-01T00:00"])
def test_datetime_option_refuses_a_time_without_offset(naive: str) -> None:
    # it used to be sent as if it were UTC: hours off for anyone whose clock is not
    with pytest.raises(click.BadParameter) as caught:
        cs.DATETIME.convert(naive, None, None)
    assert "has no UTC offset" in caught.value.message
    assert "a date alone, which means midnight UTC" in caught.value.message


# ---------------------------------------------------------------------------- JSON nesting


@pytest.mark.parametrize(
    ("text", "deeper_than_3"),
    [
        ("[[[]]]", False),
        ("[[[[]]]]", True),
        ('{"a": {"b": [1]}}', False),
        ('{"a": {"b": [{}]}}', True),
        ('["[[[[[[", {"a": "]]]]\\"}]', False),  # brackets in strings do not count
        ("[[], [[]], [[[]]]]", True),  # deepest branch counts, not a run of brackets
        ("[1, [2], [[3]]]", False),
        ("[[[[", True),  # unbalanced: too deep is reported before json.loads
        ('"[[[[[[[[', False),  # an unterminated string (json.loads reports it)
        ('["a\\\\", "[[[[[["]', False),  # an escaped backslash ends no string
        ('["[[[[\\', False),
    ],
)
def test_json_depth_check(text: str, deeper_than_3: bool) -> None:
    assert cs._json_depth_exceeds(text, 3) is deeper_than_3


def test_deeply_nested_json_is_a_usage_error(mock_xero: Callable[..., Any]) -> None:
    sent: list[httpx.Request] = []
    run = mock_xero(lambda request: sent.append(request) or httpx.Response(500))
    deep = "[" * 100_000 + "]" * 100_000  # json.loads alone raises RecursionError
    for args in (("contacts", "save-many"), ("contacts", "create"), ("invoices", "create")):
        result = run(*args, input=deep)
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            "Error: standard input: the JSON nests lists and objects more than 64 levels deep\n"
        )
    nested = '{"name": "x", "addresses": [' + "[" * 70 + "]" * 70 + "]}"
    assert run("contacts", "create", input=nested).exit_code == 2
    shallow = '{"name": "x", "addresses": [' + "[" * 3 + "]" * 3 + "]}"  # read, then refused
    assert (
        "Contact.addresses[0]: expected an object"
        in run("contacts", "create", input=shallow).stderr
    )
    assert sent == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<Contact><Name>x</Name>" + b"<A>" * 5000 + b"</A>" * 5000 + b"</Contact>", "depth"),
        (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x "EVIL">]>'
            "<Contact><Name>a&x;b</Name></Contact>".encode("utf-16"),
            "DOCTYPE",
        ),
        (
            b'<Contact xmlns:xi="http://www.w3.org/2001/XInclude"><Name>'
            b'<xi:include href="/etc/hostname" parse="text"/></Name></Contact>',
            "does not match <Contact>",
        ),
    ],
)
def test_xml_input_is_read_with_the_hardened_parser(
    mock_xero: Callable[..., Any], document: bytes, message: str
) -> None:
    sent: list[httpx.Request] = []
    run = mock_xero(lambda request: sent.append(request) or httpx.Response(500))
    result = run("contacts", "save", "--input-format", "xml", input=document)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "standard input" in result.stderr
    assert sent == []


# ---------------------------------------------------------------------------- progress


class FakeClock:
    """A clock that moves ``step`` seconds each time it is read (no wall-clock time involved);
    steps are powers of two, so the sums are exact."""

    def __init__(self, step: float) -> None:
        self.ticks = 0
        self.step = step

    def __call__(self) -> float:
        self.ticks += 1
        return self.ticks * self.step


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_throttled_by_time_not_per_item() -> None:
    err = io.StringIO()
    clock = FakeClock(2**-10)  # 1024 items a second
    bar = cs.Progress("Exporting invoices", enabled=True, stream=err, clock=clock)
    for _ in range(5 * 1024):  # five seconds of the clock
        bar.advance()
    bar.close()
    lines = err.getvalue().splitlines()
    # a redraw every 0.25 s: 20 in 5 s (not 5120), and the final count
    assert bar.redraws == len(lines) == 21
    assert lines[0] == "Exporting invoices: 256 (1,024.0/s)"
    assert lines[1] == "Exporting invoices: 512 (1,024.0/s)"
    assert lines[-1] == "Exporting invoices: 5,120 (1,023.8/s)"


def test_progress_on_a_terminal_redraws_in_place_with_a_total() -> None:
    err = Terminal()
    bar = cs.Progress("Exporting", total=40, enabled=True, stream=err, clock=FakeClock(2**-3))
    for _ in range(40):
        bar.advance()
    bar.close()
    text = err.getvalue()
    assert text.startswith("\rExporting: 2/40 (8.0/s)\x1b[K\rExporting: 4/40 (8.0/s)\x1b[K")
    assert text.endswith("\rExporting: 40/40 (7.8/s)\x1b[K\n")
    assert text.count("\r") == bar.redraws == 21  # every 0.25 s (two items), then the close
    assert "\n" not in text[:-1]


def test_progress_disabled_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    bar = cs.Progress("x", enabled=False, stream=err, clock=FakeClock(1))
    bar.advance(10)
    bar.close()
    assert err.getvalue() == "" and bar.count == 10
    monkeypatch.setattr("sys.stderr", Terminal())
    assert cs.progress_enabled(None) is True and cs.progress_enabled(False) is False
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert cs.progress_enabled(None) is False and cs.progress_enabled(True) is True


def test_export_items_with_refetch_and_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summaries = [
        dataclasses.replace(sample_invoice(), invoice_id=f"id-{n}", line_items=[])
        for n in range(30)
    ]
    listed: list[str] = []

    def listing() -> Iterator[models.Invoice]:
        for item in summaries:
            listed.append(item.invoice_id or "")
            yield item

    fetched: list[str] = []

    def get(*, invoice_id: str) -> models.Invoice:
        assert len(listed) == 30  # the list was read to its end before the first GET
        fetched.append(invoice_id)
        return sample_invoice()

    cs.export_items(
        listing(),
        label="invoices",
        output_format="jsonl",
        progress=True,
        refetch=cs.Refetch("invoice_id", get),
        clock=FakeClock(2**-4),
    )
    out, err = capsys.readouterr()
    assert fetched == [f"id-{n}" for n in range(30)]
    assert [json.loads(line)["line_items"][0]["description"] for line in out.splitlines()] == [
        "Consulting"
    ] * 30
    lines = err.splitlines()
    assert lines[-1] == "Exported 30 invoices."
    assert lines[-2] == "Exporting invoices with lines: 30/30 (15.5/s)"
    assert any(line.startswith("Listing invoices: ") for line in lines)


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
    assert complete("xero ") == ["accounts", "contacts", "invoices", "tracking", "webhooks"]
    resources = load_manifest(Path(__file__).resolve().parents[2] / "schemas" / "v2.0")
    assert complete("xero ", api_version=None) == sorted(
        [
            "connections",
            "login",
            "logout",
            "profiles",
            "webhooks",
            *(name.replace("_", "-") for name in resources["resources"]),
        ]
    )
    assert {"accounts", "contacts", "invoices", "payments", "tracking-categories"} <= set(
        complete("xero ", api_version=None)
    )
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
        return lambda *args, input=None: CliRunner().invoke(
            main, ["--max-retries", "0", *args], input=input, env=ENV, prog_name="xero"
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


# ---------------------------------------------------------------------------- README


def test_readme_says_what_the_users_own_event_hooks_see() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    paragraph = " ".join(readme.split("**Raw traffic.**", 1)[1].split("\n\n", 1)[0].split())
    assert "everywhere" not in paragraph
    assert (
        "the event hooks and transport of an `http_client` you pass in get `request.url` "
        "with the keys in clear" in paragraph
    )
    # ... and it is so: a hook of the user's own client sees the URL as sent
    seen: list[httpx.Request] = []
    body = (
        b"<Response><ID>1</ID><Status>OK</Status><ProviderName>P</ProviderName>"
        b"<DateTimeUTC>2024-01-01T00:00:00Z</DateTimeUTC><Contacts/></Response>"
    )
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with httpx.Client(transport=transport, event_hooks={"request": [seen.append]}) as http:
        client = XeroClient(
            api_key="PARTNERKEY0123456789",
            customer_key="CUSTOMERKEY0123456789",
            base_url="https://xero.test/api.xro/1.0/",
            http_client=http,
        )
        assert client.contacts.list() == []
    (request,) = seen
    assert "apiKey=PARTNERKEY0123456789" in str(request.url)
    assert "xeroKey=CUSTOMERKEY0123456789" in str(request.url)
    # the way the README gives to leave them out works
    expression = re.search(r"\(e\.g\. `(request\.url[^`]*)`\)", paragraph)
    assert expression is not None
    cleaned = str(eval(expression.group(1), {"request": request}))
    assert cleaned == "https://xero.test/api.xro/1.0/contacts"
