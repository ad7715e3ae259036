"""Every generated command against the sandbox, in every output format (click's runner)."""

from __future__ import annotations

import datetime
import importlib
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from xero_customer_api._runtime._xml import serialize
from xero_customer_api.v1_0 import XeroClient, models

from .conftest import XeroRun

pytestmark = pytest.mark.e2e  # a sandbox server over real sockets

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = tomllib.loads((ROOT / "schemas" / "v1.0" / "manifest.toml").read_text(encoding="utf-8"))


def dashed(name: str) -> str:
    return name.replace("_", "-")


def invoice_json(number: str, contact: str) -> dict[str, Any]:
    return {
        "invoice_type": "ACCREC",
        "contact": {"name": contact},
        "invoice_date": "2024-01-31",
        "due_date": "2024-02-29",
        "invoice_number": number,
        "line_items": [
            {
                "description": "Consulting",
                "quantity": "2",
                "unit_amount": "100.00",
                "tax_amount": "30.00",
                "line_amount": "200.00",
                "account_code": "200",
            }
        ],
        "sub_total": "200.00",
        "total_tax": "30.00",
        "total": "230.00",
    }


def test_help_lists_every_endpoint_and_the_exit_codes(xero: XeroRun) -> None:
    result = xero("--help")
    assert result.exit_code == 0
    for endpoint in MANIFEST["endpoints"]:
        assert f"xero {dashed(endpoint['resource'])} {dashed(endpoint['name'])}" in result.output
    for code in ("2  usage", "3  auth", "4  not found", "5  validation", "6  server or network"):
        assert code in result.output
    for var in (
        "XERO_API_KEY",
        "XERO_CUSTOMER_KEY",
        "XERO_ENVIRONMENT",
        "XERO_BASE_URL",
        "XERO_CA_BUNDLE",
    ):
        assert var in result.output


@pytest.mark.parametrize(
    "endpoint", MANIFEST["endpoints"], ids=lambda e: f"{e['resource']}.{e['name']}"
)
def test_every_endpoint_has_a_command_with_its_options(
    xero: XeroRun, endpoint: dict[str, Any]
) -> None:
    result = xero(dashed(endpoint["resource"]), dashed(endpoint["name"]), "--help")
    assert result.exit_code == 0, result.output
    assert f"HTTP: {endpoint['method']} {endpoint['path']}" in result.output
    for query in endpoint.get("query", []):
        assert f"--{dashed(query['name'])}" in result.output
        for value in query.get("values", []):
            assert value in result.output
    if "request" in endpoint:
        assert "--file" in result.output


def test_enum_options_are_choices(xero: XeroRun) -> None:
    result = xero("contacts", "list", "--type", "everyone")
    assert result.exit_code == 2
    assert "'everyone' is not one of 'all', 'customers', 'suppliers'" in result.stderr


COMMANDS = "xero_customer_api.v1_0._commands"
LIST_COMMANDS = [
    (("contacts", "list", "--type", "all", "--sort-by", "name", "--direction", "desc"), "contacts"),
    (("contacts", "list", "--updated-after", "2020-01-01T00:00:00Z"), "contacts"),
    (("invoices", "list", "--modified-since", "2020-01-01"), "invoices"),
    (("accounts", "list"), "accounts"),
    (("tracking", "list"), "tracking"),
]


@pytest.mark.parametrize(
    ("args", "payload"), LIST_COMMANDS, ids=lambda v: "-".join(v) if isinstance(v, tuple) else v
)
def test_list_commands_in_every_format(xero: XeroRun, args: tuple[str, ...], payload: str) -> None:
    as_json = xero(*args)  # not a terminal: JSON by default
    assert as_json.exit_code == 0, as_json.output
    items = json.loads(as_json.stdout)
    assert isinstance(items, list)
    assert json.loads(xero(*args, "--format", "json").stdout) == items

    lines = xero(*args, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == items

    xml = xero(*args, "--format", "xml")
    root = etree.fromstring(xml.stdout_bytes)
    assert root.tag == "Response" and root.findtext("Status") == "OK"

    table = xero(*args, "--format", "table").stdout
    if items:
        # the resource's default columns (manifest cli_columns), else the fields in order
        defaults = next(iter(importlib.import_module(f"{COMMANDS}.{args[0]}").COLUMNS.values()), ())
        first_column = defaults[0] if defaults else next(iter(items[0]))
        assert table.splitlines()[0].startswith(first_column.upper())
        assert len(table.splitlines()) == len(items) + 2
    else:
        assert table.startswith("(no ")


def test_accounts_json_uses_field_names_and_enum_values(xero: XeroRun) -> None:
    accounts = json.loads(xero("accounts", "list").stdout)
    sales = next(a for a in accounts if a["code"] == "200")
    assert sales["type"] == "REVENUE"
    assert set(sales) == {"code", "name", "type", "tax_type", "description"}


def test_contact_write_and_get_commands(xero: XeroRun, unique: str, tmp_path: Path) -> None:
    # create: JSON from --file
    doc = tmp_path / "contact.json"
    doc.write_text(json.dumps({"name": f"Red House {unique}", "contact_number": f"RH-{unique}"}))
    created = xero("contacts", "create", "--file", str(doc))
    assert created.exit_code == 0, created.output
    contact = json.loads(created.stdout)
    assert contact["contact_id"] and contact["contact_status"] == "ACTIVE"

    # save: XML from standard input updates it (matched on ContactNumber)
    xml = f"<Contact><ContactNumber>RH-{unique}</ContactNumber><Name>Red House {unique}</Name><EmailAddress>rh@example.com</EmailAddress></Contact>"
    saved = xero("contacts", "save", "--format", "jsonl", input=xml)
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.stdout)["email_address"] == "rh@example.com"

    # save-many: a JSON list, and the batch shape {"contact": [...]}
    batch = [{"name": f"Batch A {unique}"}, {"name": f"Batch B {unique}"}]
    many = xero("contacts", "save-many", input=json.dumps(batch))
    assert many.exit_code == 0, many.output
    assert [c["name"] for c in json.loads(many.stdout)] == [
        f"Batch A {unique}",
        f"Batch B {unique}",
    ]
    again = xero("contacts", "save-many", input=json.dumps({"contact": batch}))
    assert [c["contact_id"] for c in json.loads(again.stdout)] == [
        c["contact_id"] for c in json.loads(many.stdout)
    ]
    as_xml = xero(
        "contacts",
        "save-many",
        "--input-format",
        "xml",
        input=f"<Contacts><Contact><Name>Batch C {unique}</Name></Contact></Contacts>",
    )
    assert as_xml.exit_code == 0, as_xml.output

    # get by id and by number, every format
    by_id = xero("contacts", "get", "--contact-id", contact["contact_id"].upper())
    assert json.loads(by_id.stdout)["email_address"] == "rh@example.com"
    by_number = xero("contacts", "get", "--contact-number", f"RH-{unique}", "--format", "xml")
    assert (
        etree.fromstring(by_number.stdout_bytes).findtext("Contact/ContactID")
        == contact["contact_id"]
    )
    table = xero("contacts", "get", "--contact-number", f"RH-{unique}", "--format", "table").stdout
    assert f"name              Red House {unique}" in table
    assert "email_address     rh@example.com" in table


def test_invoice_write_and_get_commands(xero: XeroRun, client: XeroClient, unique: str) -> None:
    created = xero(
        "invoices", "create", input=json.dumps(invoice_json(f"INV-{unique}", f"Inv Co {unique}"))
    )
    assert created.exit_code == 0, created.output
    invoice = json.loads(created.stdout)
    assert Decimal(invoice["total"]) == Decimal("230")  # Decimal as a string
    assert invoice["invoice_date"] == "2024-01-31"
    assert invoice["invoice_status"] == "DRAFT"

    # XML document, written by the SDK's own models
    second = models.Invoice(
        invoice_type=models.InvoiceType.ACCPAY,
        contact=models.Contact(name=f"Inv Co {unique}"),
        invoice_date=datetime.date(2024, 3, 1),
        invoice_number=f"BILL-{unique}",
        line_items=[
            models.LineItem(
                description="Paper",
                unit_amount=Decimal("5"),
                line_amount=Decimal("5"),
                account_code="200",
            )
        ],
    )
    made = xero("invoices", "create", "--format", "xml", input=serialize(second))
    assert made.exit_code == 0, made.output
    assert etree.fromstring(made.stdout_bytes).findtext("Invoice/InvoiceNumber") == f"BILL-{unique}"

    many = xero(
        "invoices",
        "create-many",
        input=json.dumps(
            [
                invoice_json(f"INV-{unique}-2", f"Inv Co {unique}"),
                invoice_json(f"INV-{unique}-3", f"Inv Co {unique}"),
            ]
        ),
    )
    assert many.exit_code == 0, many.output
    assert len(json.loads(many.stdout)) == 2

    got = xero("invoices", "get", "--invoice-number", f"INV-{unique}", "--format", "table")
    assert got.exit_code == 0, got.output
    assert (
        "contact.name" in got.stdout
        and "line_items (1):" in got.stdout
        and "Consulting" in got.stdout
    )
    by_id = json.loads(xero("invoices", "get", "--invoice-id", invoice["invoice_id"]).stdout)
    assert Decimal(by_id["line_items"][0]["line_amount"]) == Decimal("200")
    assert client.invoices.get(invoice_number=f"INV-{unique}-3").invoice_number == f"INV-{unique}-3"
