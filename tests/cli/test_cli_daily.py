"""The `xero` command line for daily work on API 2.0 (issue 21, item 5), against the session
sandbox in process: tables with each resource's default columns and --columns, one record as a
key/value view, help summaries never cut mid-sentence, --environment per version, a missing
tenant (exit 3, what to do), errors that show the value refused, and invoices to and from the
columns of Xero's own invoice CSV template."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from xero_customer_api.cli import main
from xero_customer_api.v2_0 import models
from xero_sandbox.process import RunningSandbox

from .conftest import XERO_VARS

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., Result]


@pytest.fixture
def xero2(sandbox: RunningSandbox, tmp_path: Path) -> Run:
    """``xero2(*args)``: the 2.0 commands against the sandbox with the variables it printed
    (a custom connection), tables 100 columns wide, no login profiles."""
    values = {k: v for k, v in sandbox.values.items() if k in XERO_VARS}

    def run(
        *args: str, input: str | None = None, env: Mapping[str, str | None] | None = None
    ) -> Result:
        full: dict[str, str | None] = dict.fromkeys(XERO_VARS)
        full.update(values)
        full.update({"COLUMNS": "100", "XERO_CONFIG_DIR": str(tmp_path / "config")})
        full.update(env or {})
        return CliRunner().invoke(main, list(args), input=input, env=full, prog_name="xero")

    return run


def make_invoice(xero2: Run, number: str, contact: str = "Daily Work Ltd") -> dict[str, object]:
    body = {
        "type": "ACCREC",
        "contact": {"name": contact},
        "date": "2024-05-01",
        "due_date": "2024-05-31",
        "invoice_number": number,
        "line_items": [
            {
                "description": "Widget",
                "quantity": "2",
                "unit_amount": "10.00",
                "account_code": "200",
            }
        ],
    }
    made = xero2("invoices", "create", "--format", "json", input=json.dumps(body))
    assert made.exit_code == 0, made.output
    record = json.loads(made.stdout)
    assert isinstance(record, dict)  # create prints the record, not a one-element list
    return record


# ---------------------------------------------------------------------------- tables


def test_invoice_list_shows_the_daily_columns_in_100(xero2: Run, unique: str) -> None:
    make_invoice(xero2, f"DW-{unique}")
    table = xero2(
        "invoices", "list", "--where", f'InvoiceNumber=="DW-{unique}"', "--format", "table"
    )
    assert table.exit_code == 0, table.output
    head, rule, row = table.stdout.splitlines()
    assert head.split() == [
        "INVOICE_NUMBER",
        "CONTACT",
        "DATE",
        "DUE_DATE",
        "STATUS",
        "TOTAL",
        "AMOUNT_DUE",
    ]
    assert row.split()[:2] == [f"DW-{unique}", "Daily"] and row.endswith("22.50")
    assert max(len(line) for line in (head, rule, row)) <= 100


def test_columns_pick_the_fields_of_tables_and_json(xero2: Run, unique: str) -> None:
    make_invoice(xero2, f"DC-{unique}")
    where = ("--where", f'InvoiceNumber=="DC-{unique}"')
    columns = ("--columns", "invoice_number,contact.name,total")
    table = xero2("invoices", "list", *where, *columns, "--format", "table")
    assert table.stdout.splitlines()[0].split() == ["INVOICE_NUMBER", "CONTACT.NAME", "TOTAL"]
    as_json = json.loads(xero2("invoices", "list", *where, *columns, "--format", "json").stdout)
    assert as_json == [
        {"invoice_number": f"DC-{unique}", "contact.name": "Daily Work Ltd", "total": "22.50"}
    ]
    wrong = xero2("invoices", "list", "--columns", "invoice_number,amount_owed")
    assert wrong.exit_code == 2
    assert "'amount_owed' is not a field of Invoice" in wrong.output
    assert "amount_due" in wrong.output  # the fields it could have been


def test_get_shows_one_record_as_key_value_lines(xero2: Run, unique: str) -> None:
    made = make_invoice(xero2, f"DG-{unique}")
    shown = xero2("invoices", "get", "--invoice-id", str(made["invoice_id"]), "--format", "table")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    pairs = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in lines[: lines.index("")])
    assert pairs["invoice_number"] == f"DG-{unique}"
    assert pairs["contact.name"] == "Daily Work Ltd" and pairs["total"] == "22.50"
    assert "line_items (1):" in lines  # the lines as a table below
    as_json = json.loads(xero2("invoices", "get", "--invoice-number", f"DG-{unique}").stdout)
    assert as_json["invoice_id"] == made["invoice_id"]


def test_every_resource_default_columns_are_fields_of_its_records() -> None:
    for path in sorted((ROOT / "schemas" / "v2.0" / "resources").glob("*.toml")):
        declared = tomllib.loads(path.read_text()).get("cli_columns")
        module = importlib.import_module(f"xero_customer_api.v2_0._commands.{path.stem}")
        if declared is None:  # a resource without them: the fields that have values
            assert module.COLUMNS == {}
            continue
        ((record, columns),) = module.COLUMNS.items()
        assert list(columns) == declared
        from xero_customer_api._runtime._cli_support import column_names

        assert set(columns) <= set(column_names(record)), path.name


# ---------------------------------------------------------------------------- help


def test_help_summaries_are_whole_sentences(xero2: Run) -> None:
    top = xero2("--help").stdout
    assert "Update one account, e.g. archive it with Status ARCHIVED." in " ".join(top.split())
    assert not re.search(r"\be\.g\.\n\s+xero ", top)  # no summary ends at an abbreviation
    assert max(len(line) for line in top.splitlines()) <= 100
    resources = [p.stem.replace("_", "-") for p in (ROOT / "schemas/v2.0/resources").glob("*.toml")]
    for resource in resources:
        listing = xero2(resource, "--help").stdout
        commands = listing.split("Commands:\n", 1)[1]
        # one entry per command; click wraps a long summary onto indented lines
        entries = re.split(r"\n(?=  \S)", commands.strip("\n"))
        for entry in entries:
            summary = " ".join(entry.split()[1:])
            assert summary.endswith("."), (resource, summary)
            assert not summary.endswith(("...", "e.g.", "i.e.")), (resource, summary)
            assert summary.count("(") == summary.count(")"), (resource, summary)


def test_environment_is_offered_per_version(xero2: Run) -> None:
    assert "2.0: production; 1.0: production or test" in " ".join(xero2("--help").stdout.split())
    assert "[production|test]" not in xero2("--help").stdout  # not offered to every version
    for version, hosts in (("2.0", ["production"]), ("1.0", ["production", "test"])):
        words = f"xero --api-version {version} --environment "
        completion = xero2(
            env={"_XERO_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": "4"}
        )
        assert [line.split(",")[1] for line in completion.stdout.split()] == hosts
    refused = xero2("--environment", "test", "accounts", "list")
    assert refused.exit_code == 2
    assert "'test': API 2.0 has only production" in refused.output
    assert "--base-url" in refused.output


# ---------------------------------------------------------------------------- errors


def test_a_missing_tenant_exits_3_and_says_what_to_do(xero2: Run) -> None:
    done = xero2("invoices", "list", env={"XERO_TENANT_ID": None})
    assert done.exit_code == 3
    message = " ".join(done.output.split())
    assert "--tenant-id" in message and "XERO_TENANT_ID" in message
    assert "xero connections" in message
    assert "Traceback" not in done.output
    # `xero connections` itself needs no tenant
    listed = xero2("connections", "--format", "json", env={"XERO_TENANT_ID": None})
    assert listed.exit_code == 0, listed.output


def test_errors_show_the_value_refused(xero2: Run) -> None:
    tenant = xero2("--tenant-id", "abc", "invoices", "list")
    assert tenant.exit_code == 2 and "'abc' is not a GUID" in tenant.output
    missing = "00000000-0000-4000-8000-000000000001"
    gone = xero2("invoices", "get", "--invoice-id", missing)
    assert gone.exit_code == 4
    assert f"no invoice with --invoice-id {missing}" in gone.output
    where = xero2("invoices", "list", "--where", "123")
    assert where.exit_code == 5 and "(--where '123')" in where.output
    digits = xero2("invoices", "list", "--unit-dp", "3")
    assert digits.exit_code == 2 and "'3' is not 2 or 4" in digits.output
    stranger = "00000000-0000-4000-8000-000000000000"
    refused = xero2("--tenant-id", stranger, "invoices", "list")
    assert refused.exit_code == 3
    assert f"is the organisation {stranger} (--tenant-id or XERO_TENANT_ID) connected" in (
        " ".join(refused.output.split())
    )
    token = xero2("--access-token", "not-a-token-0123456789", "invoices", "list")
    assert token.exit_code == 3
    assert "the access token (--access-token or XERO_ACCESS_TOKEN) was refused" in token.output
    typed = xero2(
        "invoices",
        "create",
        input='{"type": "ACCREC", "contact": {"name": "X"}, "line_items": [{"quantity": "lots"}]}',
    )
    assert typed.exit_code == 2 and "'lots' is not a number" in typed.output
    flag = xero2(
        "invoices",
        "create",
        input='{"type": "ACCREC", "contact": {"name": "X"}, "line_items": [{"quantity": true}]}',
    )
    assert flag.exit_code == 2 and "expected a number, got a boolean (true)" in flag.output


# ---------------------------------------------------------------------------- invoice CSV

TEMPLATE = [
    "*ContactName",
    "EmailAddress",
    "*InvoiceNumber",
    "Reference",
    "*InvoiceDate",
    "*DueDate",
    "InventoryItemCode",
    "*Description",
    "*Quantity",
    "*UnitAmount",
    "Discount",
    "*AccountCode",
    "*TaxType",
    "TrackingName1",
    "TrackingOption1",
    "Currency",
]


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def read(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    header = [c.lstrip("*") for c in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def same(a: str, b: str) -> bool:
    try:
        return Decimal(a) == Decimal(b)
    except ArithmeticError:
        return a == b


def test_invoice_csv_template_import_and_export_round_trip(
    xero2: Run, unique: str, tmp_path: Path
) -> None:
    one, two = f"T1-{unique}", f"T2-{unique}"
    rows = [
        [
            "Acme " + unique,
            "ap@acme.test",
            one,
            "PO 17",
            "2024-05-01",
            "2024-05-31",
            "",
            "Widget",
            "2",
            "10.00",
            "",
            "200",
            "OUTPUT",
            "Region",
            "North",
            "NZD",
        ],
        [
            "Acme " + unique,
            "ap@acme.test",
            one,
            "PO 17",
            "2024-05-01",
            "2024-05-31",
            "",
            "Gadget",
            "1.5",
            "4.00",
            "10",
            "200",
            "OUTPUT",
            "",
            "",
            "NZD",
        ],
        [
            "Bee " + unique,
            "",
            two,
            "",
            "2024-05-02",
            "2024-06-01",
            "",
            "Service",
            "1",
            "50.00",
            "",
            "200",
            "OUTPUT",
            "",
            "",
            "NZD",
        ],
    ]
    path = write(tmp_path / "sales.csv", TEMPLATE, rows)
    done = xero2("invoices", "import", str(path), "--format", "json")
    assert done.exit_code == 0, done.output
    saved = json.loads(done.stdout)
    assert [(i["invoice_number"], i["type"], i["status"]) for i in saved] == [
        (one, "ACCREC", "DRAFT"),
        (two, "ACCREC", "DRAFT"),
    ]
    assert [li["description"] for li in saved[0]["line_items"]] == ["Widget", "Gadget"]
    assert saved[0]["line_items"][0]["tracking"][0]["option"] == "North"

    exported = xero2(
        "invoices",
        "export",
        "--format",
        "csv",
        "--type",
        "ACCREC",
        "--invoice-numbers",
        one,
        "--invoice-numbers",
        two,
    )
    assert exported.exit_code == 0, exported.output
    back = read(exported.stdout)
    assert len(back) == 3
    for given, got in zip(rows, sorted(back, key=lambda r: r["InvoiceNumber"]), strict=True):
        for column, value in zip(TEMPLATE, given, strict=True):
            assert same(got[column.lstrip("*")], value), (column, got, value)
    # and the export imports back unchanged (the same invoices, read again)
    again = write(tmp_path / "again.csv", exported.stdout.splitlines()[0].split(","), [])
    again.write_text(exported.stdout.replace(one, one + "b").replace(two, two + "b"))
    reimported = xero2("invoices", "import", str(again), "--format", "json")
    assert reimported.exit_code == 0, reimported.output
    twice = xero2(
        "invoices",
        "export",
        "--format",
        "csv",
        "--type",
        "ACCREC",
        "--invoice-numbers",
        one + "b",
        "--invoice-numbers",
        two + "b",
    )
    assert twice.stdout.replace(one + "b", one).replace(two + "b", two) == exported.stdout


def test_invoice_csv_bills_with_type_accpay(xero2: Run, unique: str, tmp_path: Path) -> None:
    row = [
        "Supplier " + unique,
        "",
        f"B-{unique}",
        "",
        "31/05/2024",
        "30/06/2024",
        "",
        "Paper",
        "3",
        "7.00",
        "",
        "400",
        "INPUT",
        "",
        "",
        "",
    ]
    path = write(tmp_path / "bills.csv", TEMPLATE, [row])
    done = xero2(
        "invoices",
        "import",
        str(path),
        "--type",
        "ACCPAY",
        "--date-format",
        "dmy",
        "--format",
        "json",
    )
    assert done.exit_code == 0, done.output
    (bill,) = json.loads(done.stdout)
    assert bill["type"] == "ACCPAY" and bill["date"] == "2024-05-31"


def test_invoice_csv_errors_name_row_column_and_value(
    xero2: Run, unique: str, tmp_path: Path
) -> None:
    good = [
        "Ok " + unique,
        "",
        f"E1-{unique}",
        "",
        "2024-05-01",
        "2024-05-31",
        "",
        "Fine",
        "1",
        "5.00",
        "",
        "200",
        "OUTPUT",
        "",
        "",
        "",
    ]
    bad_quantity = [*good[:2], f"E2-{unique}", *good[3:8], "lots", *good[9:]]
    bad_date = [*good[:2], f"E3-{unique}", "", "31/01/2024", *good[5:]]
    half_tracking = [*good[:2], f"E4-{unique}", *good[3:13], "Region", "", ""]
    path = write(tmp_path / "bad.csv", TEMPLATE, [good, bad_quantity, bad_date, half_tracking])
    done = xero2("invoices", "import", str(path), "--format", "json")
    assert done.exit_code == 5
    assert f"row 3: rejected: column Quantity: 'lots' is not a number (invoice E2-{unique}" in (
        done.stderr
    )
    assert (
        "row 4: rejected: column InvoiceDate: '31/01/2024' is not a date as --date-format iso"
        in (done.stderr)
    )
    assert "row 5: rejected: column TrackingOption1: '' is required with TrackingName1" in (
        done.stderr
    )
    assert [i["invoice_number"] for i in json.loads(done.stdout)] == [f"E1-{unique}"]
    unknown = write(tmp_path / "unknown.csv", ["*ContactName", "Colour"], [["A", "red"]])
    refused = xero2("invoices", "import", str(unknown))
    assert refused.exit_code == 2 and "unknown CSV column 'Colour'" in refused.output
    short = write(tmp_path / "short.csv", ["*ContactName", "InvoiceNumber"], [["A", "1"]])
    refused = xero2("invoices", "import", str(short))
    assert refused.exit_code == 2 and "no InvoiceDate column" in refused.output


def test_field_name_import_still_updates_by_invoice_id(
    xero2: Run, unique: str, tmp_path: Path
) -> None:
    made = make_invoice(xero2, f"DU-{unique}")
    path = write(
        tmp_path / "update.csv", ["InvoiceID", "Reference"], [[str(made["invoice_id"]), "R-9"]]
    )
    done = xero2("invoices", "import", str(path), "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)[0]["reference"] == "R-9"


def test_csv_export_needs_a_type(xero2: Run) -> None:
    done = xero2("invoices", "export", "--format", "csv")
    assert done.exit_code == 2 and "--type ACCREC" in done.output


def test_invoice_csv_layout_round_trips_in_memory() -> None:
    from xero_customer_api._runtime._cli_support import InvoiceCsv

    layout = InvoiceCsv(models, date_format="dmy")
    table = [layout.header()]
    invoice = models.Invoice(
        type=models.InvoiceType.ACCREC,
        contact=models.Contact(
            name="Kea, Ltd",
            email_address="a@kea.test",
            addresses=[
                models.Address(
                    address_type=models.AddressType.POBOX, address_line1="PO Box 1", city="Nelson"
                )
            ],
        ),
        invoice_number="K-1",
        reference='Quote "7"',
        date=__import__("datetime").date(2024, 2, 29),
        due_date=__import__("datetime").date(2024, 3, 31),
        currency_code="NZD",
        line_amount_types=models.LineAmountTypes.INCLUSIVE,
        status=models.InvoiceStatus.DRAFT,
        line_items=[
            models.LineItem(
                item_code="W1",
                description="Widget\nsecond line",
                quantity=Decimal("2"),
                unit_amount=Decimal("9.99"),
                discount_rate=Decimal("5"),
                account_code="200",
                tax_type="OUTPUT2",
                tax_amount=Decimal("2.48"),
                tracking=[
                    models.LineItemTracking(name="Region", option="South"),
                    models.LineItemTracking(name="Team", option="B"),
                ],
            )
        ],
    )
    table.extend(layout.lines_of(invoice))
    found, rejected, counted = layout.rows(table, 2)
    assert rejected == [] and counted == [2]
    ((line, back),) = found
    assert line == 2 and back == invoice


def test_field_name_import_refuses_columns_xero_sets(xero2: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "ro.csv", ["InvoiceID", "AmountDue"], [[GUID_ZERO, "10.00"]])
    done = xero2("invoices", "import", str(path))
    assert done.exit_code == 2
    assert "the CSV column 'AmountDue' is set by Xero (amount_due is read-only" in done.output


GUID_ZERO = "00000000-0000-4000-8000-000000000000"


def test_columns_with_a_record_and_with_all_pages(xero2: Run, unique: str) -> None:
    made = make_invoice(xero2, f"DA-{unique}")
    shown = xero2(
        "invoices",
        "get",
        "--invoice-id",
        str(made["invoice_id"]),
        "--columns",
        "invoice_number,status,line_items",
        "--format",
        "table",
    )
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[:2] == [f"invoice_number  DA-{unique}", "status          DRAFT"]
    assert "line_items (1):" in lines and lines[-1].split()[0] == "Widget"
    every = xero2(
        "invoices",
        "list",
        "--all",
        "--where",
        f'InvoiceNumber=="DA-{unique}"',
        "--columns",
        "invoice_number,amount_due",
        "--format",
        "jsonl",
    )
    assert every.exit_code == 0, every.output
    assert [json.loads(line) for line in every.stdout.splitlines()] == [
        {"invoice_number": f"DA-{unique}", "amount_due": "22.50"}
    ]


def test_import_dry_run_checks_without_sending(xero2: Run, unique: str, tmp_path: Path) -> None:
    good = [
        "Dry " + unique,
        "",
        f"DR-{unique}",
        "",
        "2024-05-01",
        "2024-05-31",
        "",
        "Fine",
        "1",
        "5.00",
        "",
        "200",
        "OUTPUT",
        "",
        "",
        "",
    ]
    bad = [*good[:2], f"DR2-{unique}", *good[3:8], "1", "-", *good[10:]]
    path = write(tmp_path / "dry.csv", TEMPLATE, [good, bad])
    no_credentials = {"XERO_CLIENT_ID": None, "XERO_CLIENT_SECRET": None, "XERO_TENANT_ID": None}
    done = xero2(
        "invoices", "import", str(path), "--dry-run", "--format", "json", env=no_credentials
    )
    assert done.exit_code == 5
    assert [i["invoice_number"] for i in json.loads(done.stdout)] == [f"DR-{unique}"]
    assert "row 3: would be rejected: column UnitAmount: '-' is not a number" in done.stderr
    assert "nothing was sent" in done.stderr
    listed = xero2(
        "invoices", "list", "--where", f'InvoiceNumber=="DR-{unique}"', "--format", "json"
    )
    assert json.loads(listed.stdout) == []
    contacts = write(
        tmp_path / "contacts.csv", ["Name", "EmailAddress"], [[f"Dry {unique}", "x@y.z"]]
    )
    checked = xero2("contacts", "import", str(contacts), "--dry-run", "--format", "json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)[0]["name"] == f"Dry {unique}"


def test_csv_output_of_any_list_with_columns(xero2: Run) -> None:
    done = xero2(
        "accounts", "list", "--where", 'Code=="200"', "--format", "csv", "--columns", "code,name"
    )
    assert done.exit_code == 0, done.output
    assert done.stdout == "code,name\n200,Sales\n"
