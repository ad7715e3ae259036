"""``xero-codegen coverage``: the manifest and XSDs of 2.0 against Xero's OpenAPI description.

Small descriptions of the tests' own (YAML and JSON) pin the rules; Xero's real file, kept
beside the repository in ../shared when it is there (the project does not carry it), checks
the figure and the families this branch covers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from xero_codegen.cli import main
from xero_codegen.coverage import CoverageError, Report, compare, load_openapi, render

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas" / "v2.0"
_REFERENCE = Path("shared") / "reference" / "xero-openapi" / "xero_accounting.yaml"
# Found as tests/v2/conftest.py finds Xero's XSDs (a worktree sits one level further down).
XERO_OPENAPI = next(
    (
        base / _REFERENCE
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / _REFERENCE).is_file()
    ),
    ROOT.parent / _REFERENCE,
)
needs_xero = pytest.mark.skipif(
    not XERO_OPENAPI.is_file(), reason="Xero's OpenAPI description is not beside the repository"
)

TENANT = {"$ref": "#/components/parameters/requiredHeader"}
FRAGMENT: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Xero Accounting API", "version": "99.1.0"},
    "paths": {
        "/Contacts": {
            "get": {
                "operationId": "getContacts",
                "parameters": [
                    TENANT,
                    {"in": "header", "name": "If-Modified-Since", "schema": {"type": "string"}},
                    {"in": "query", "name": "where", "schema": {"type": "string"}},
                    {"in": "query", "name": "IDs", "schema": {"type": "array"}},
                    {"in": "query", "name": "brandNewFilter", "schema": {"type": "string"}},
                ],
            },
            "put": {"operationId": "createContacts", "parameters": [TENANT]},
        },
        "/Contacts/{ContactID}": {
            "get": {"operationId": "getContact"},
            "post": {"operationId": "updateContact"},
        },
        "/ContactGroups/{ContactGroupID}/Contacts": {
            "put": {"operationId": "createContactGroupContacts"}
        },
        "/Invoices/{InvoiceID}/Attachments": {"get": {"operationId": "getInvoiceAttachments"}},
        "/Employees": {"get": {"operationId": "getEmployees"}},
        "/Reports/TrialBalance": {"get": {"operationId": "getReportTrialBalance"}},
        "/Widgets": {"get": {"operationId": "getWidgets"}},
    },
    "components": {
        "parameters": {"requiredHeader": {"in": "header", "name": "xero-tenant-id"}},
        "schemas": {
            "Contacts": {
                "type": "object",
                "x-objectArrayKey": "contacts",
                "properties": {"Contacts": {"type": "array"}},
            },
            "Contact": {
                "type": "object",
                "properties": {
                    "ContactID": {"type": "string"},
                    "Name": {"type": "string"},
                    "ContactStatus": {"type": "string", "enum": ["ACTIVE", "ARCHIVED", "MERGED"]},
                    "LoyaltyTier": {"type": "string"},
                    "UpdatedDateUTC": {"type": "string"},
                    "UpdatedDateUTCString": {"type": "string"},
                    "StatusAttributeString": {"type": "string"},
                    "ValidationErrors": {"type": "array"},
                },
            },
            "TaxRate": {
                "type": "object",
                "properties": {
                    "Name": {"type": "string"},
                    "Status": {"$ref": "#/components/schemas/TaxRateStatus"},
                },
            },
            "TaxRateStatus": {"type": "string", "enum": ["ACTIVE", "DELETED", "ARCHIVED"]},
            "Widget": {"type": "object", "properties": {"WidgetID": {"type": "string"}}},
        },
    },
}


@pytest.fixture(params=["yaml", "json"])
def fragment(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The fragment above as a file, YAML or JSON."""
    if request.param == "json":
        path = tmp_path / "fragment.json"
        path.write_text(json.dumps(FRAGMENT), encoding="utf-8")
    else:
        path = tmp_path / "fragment.yaml"
        path.write_text(yaml.safe_dump(FRAGMENT), encoding="utf-8")
    return path


def _report(path: Path) -> Report:
    return compare(SCHEMAS, load_openapi(path))


def test_operations_are_covered_left_out_with_reason_or_missing(fragment: Path) -> None:
    report = _report(fragment)
    covered = {op.key: op for op in report.covered}
    assert set(covered) == {
        "GET /Contacts",
        "PUT /Contacts",
        "GET /Contacts/{ContactID}",  # contacts.get (by id or number) fills the one slot
        "POST /Contacts/{ContactID}",
        "PUT /ContactGroups/{ContactGroupID}/Contacts",
        "GET /Reports/TrialBalance",  # reports.trial_balance (issue 18)
        "GET /Invoices/{InvoiceID}/Attachments",  # invoices.attachments.list (issue 18)
    }
    assert covered["PUT /Contacts"].endpoints == ("contacts.create", "contacts.create_many")
    assert covered["PUT /ContactGroups/{ContactGroupID}/Contacts"].endpoints == (
        "contact_groups.contacts.add",
    )
    left = {op.key: op.reason for op in report.left_out}
    assert set(left) == {"GET /Employees"}
    assert "deleted" in left["GET /Employees"]
    assert covered["POST /Contacts/{ContactID}"].endpoints == ("contacts.update",)
    assert [op.key for op in report.missing] == ["GET /Widgets"]
    assert report.total == 9 and report.in_scope == 8
    assert report.figure.startswith("7 of 8 in-scope operations covered (87.5 %)")
    assert any(e.startswith("tax_rates.list (GET TaxRates)") for e in report.unmatched_endpoints)


def test_parameters_and_headers_missing_and_extra(fragment: Path) -> None:
    report = _report(fragment)
    contacts = next(op for op in report.covered if op.key == "GET /Contacts")
    # xero-tenant-id is sent on every call; If-Modified-Since, where and IDs are ours
    assert contacts.missing_params == ("brandNewFilter",)
    assert "searchTerm" in contacts.extra_params and "where" not in contacts.extra_params
    put = next(op for op in report.covered if op.key == "PUT /Contacts")
    assert put.missing_params == () and put.extra_params == ("summarizeErrors",)


def test_fields_and_enumeration_values_both_ways(fragment: Path) -> None:
    report = _report(fragment)
    entities = {e.entity: e for e in report.entities}
    contact = entities["Contact"]
    assert contact.missing == ("LoyaltyTier",)  # the String twin and JSON-only fields skipped
    assert "EmailAddress" in contact.extra and "ValidationErrors" not in contact.extra
    assert ("ContactStatus", ("MERGED",), ("GDPRREQUEST",)) in contact.enums
    tax = entities["TaxRate"]  # an enum reached through $ref
    assert ("Status", (), ("PENDING",)) in tax.enums
    assert report.unmodelled == ["Widget"]  # the plural wrapper "Contacts" is not an entity


def test_text_markdown_and_json_say_the_same(fragment: Path) -> None:
    report = _report(fragment)
    text = render(report, "text")
    assert report.figure in text and "GET /Widgets" in text and "brandNewFilter" in text
    markdown = render(report, "markdown")
    assert markdown.startswith("# Coverage of Xero's OpenAPI 99.1.0")
    assert "| `GET /Widgets` | getWidgets |" in markdown
    assert "LoyaltyTier" in markdown and "+MERGED" in markdown and "-GDPRREQUEST" in markdown
    data = json.loads(render(report, "json"))
    assert data["summary"] == {
        "operations": 9,
        "covered": 7,
        "left_out": 1,
        "missing": 1,
        "in_scope": 8,
        "figure": report.figure,
    }
    assert data["missing"][0]["operation_id"] == "getWidgets"
    with pytest.raises(CoverageError, match="unknown format"):
        render(report, "html")


def test_the_command(fragment: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(
        main, ["coverage", "--root", str(ROOT), "--openapi", str(fragment), "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["summary"]["covered"] == 7
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.0\ninfo: {}\n", encoding="utf-8")
    refused = runner.invoke(main, ["coverage", "--root", str(ROOT), "--openapi", str(bad)])
    assert refused.exit_code == 2 and "not an OpenAPI description" in refused.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    refused = runner.invoke(main, ["coverage", "--root", str(ROOT), "--openapi", str(broken)])
    assert refused.exit_code == 2 and "not JSON" in refused.output


# ----------------------------------------------------------------------------- Xero's file

FAMILY_C = {
    "GET /BrandingThemes",
    "GET /BrandingThemes/{BrandingThemeID}",
    "GET /BrandingThemes/{BrandingThemeID}/PaymentServices",
    "POST /BrandingThemes/{BrandingThemeID}/PaymentServices",
    "GET /PaymentServices",
    "PUT /PaymentServices",
    "GET /Budgets",
    "GET /Budgets/{BudgetID}",
    "GET /ContactGroups",
    "PUT /ContactGroups",
    "GET /ContactGroups/{ContactGroupID}",
    "POST /ContactGroups/{ContactGroupID}",
    "PUT /ContactGroups/{ContactGroupID}/Contacts",
    "GET /Currencies",
    "PUT /Currencies",
    "GET /InvoiceReminders/Settings",
    "GET /Organisation",
    "GET /Organisation/Actions",
    "GET /Organisation/{OrganisationID}/CISSettings",
    "POST /Setup",
    "GET /TaxRates",
    "PUT /TaxRates",
    "POST /TaxRates",
    "GET /TaxRates/{TaxType}",
}
#: Member DELETEs answer 204 with no body, which the generator cannot describe yet.
NO_CONTENT = {
    "DELETE /ContactGroups/{ContactGroupID}/Contacts",
    "DELETE /ContactGroups/{ContactGroupID}/Contacts/{ContactID}",
}


@needs_xero
def test_xero_description_family_c_and_the_figure() -> None:
    report = compare(SCHEMAS, load_openapi(XERO_OPENAPI))
    covered = {op.key for op in report.covered}
    assert covered >= FAMILY_C
    assert {op.key for op in report.missing} >= NO_CONTENT - covered
    assert report.total == len(covered) + len(report.left_out) + len(report.missing)
    assert not report.unmatched_endpoints  # every endpoint of ours is one of Xero's
    reasons = {op.key: op.reason for op in report.left_out}
    assert all(reasons.values())
    assert "GET /Invoices/{InvoiceID}/pdf" in covered  # issue 18: binary answers
    assert "GET /Reports/ProfitAndLoss" in covered  # issue 18
    assert [p for p, _ in report.stale_reasons] == ["Employees*"]  # gone from the file
    assert not any(op.missing_params for op in report.covered if op.key in FAMILY_C)
    family_c = {"BrandingTheme", "PaymentService", "Budget", "ContactGroup", "Currency",
                "InvoiceReminder", "Organisation", "Action", "CisOrgSetting", "TaxRate",
                "TaxComponent", "Setup", "ImportSummary"}  # fmt: skip
    assert family_c.isdisjoint(e.entity for e in report.entities)
    assert family_c.isdisjoint(report.unmodelled)


@needs_xero
def test_xero_description_through_the_command() -> None:
    done = CliRunner().invoke(
        main,
        ["coverage", "--root", str(ROOT), "--openapi", str(XERO_OPENAPI), "--format", "markdown"],
    )
    assert done.exit_code == 0, done.output
    assert "# Coverage of Xero's OpenAPI 16." in done.output
    assert "| `GET /TaxRates/{TaxType}` | `tax_rates.get` |" in done.output


def test_the_version_folder(fragment: Path, tmp_path: Path) -> None:
    from xero_codegen.coverage import newest_version

    assert newest_version(ROOT / "schemas") == "2.0"
    with pytest.raises(CoverageError, match=r"no vX\.Y folder"):
        newest_version(tmp_path)
    runner = CliRunner()
    for version, message in (("1.0", "simple_types.xsd"), ("9.9", "manifest.toml")):
        done = runner.invoke(
            main,
            ["coverage", "--root", str(ROOT), "--openapi", str(fragment), "--api-version", version],
        )
        assert done.exit_code == 2 and message in done.output, done.output
