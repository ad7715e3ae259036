"""`xero-codegen drift`: recorded answers the XSDs do not know become reviewed XSD patches."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from xero_codegen.cli import main
from xero_codegen.diff.contract import load_contract
from xero_codegen.diff.drift import DriftError, drift

from .conftest import ROOT, TINY

FIXTURE = ROOT / "tests" / "fixtures" / "v1.0" / "responses" / "invoice_response"
INVOICE = (FIXTURE / "with_lines_and_payment.xml").read_text(encoding="utf-8")


def _recorded(tmp_path: Path) -> Path:
    """A recorded 1.0 answer with an element and an enum value the XSDs do not know."""
    text = INVOICE.replace("<InvoiceStatus>", "<CurrencyCode>NZD</CurrencyCode><InvoiceStatus>", 1)
    start = text.index("<InvoiceStatus>") + len("<InvoiceStatus>")
    text = text[:start] + "VOIDED" + text[text.index("</InvoiceStatus>") :]
    path = tmp_path / "answer.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _copy_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "schemas" / "v1.0", repo / "schemas" / "v1.0")
    return repo


def test_unknown_element_and_enum_value_become_a_correct_patch(tmp_path: Path) -> None:
    repo = _copy_repo(tmp_path)
    answer = _recorded(tmp_path)
    report = drift([answer], repo / "schemas" / "v1.0", repo)
    assert [(f.kind, f.model, f.name) for f in report.findings] == [
        ("unknown-element", "Invoice", "CurrencyCode"),
        ("unknown-enum-value", "InvoiceStatus", "VOIDED"),
    ]
    element, value = report.findings
    assert element.file == value.file == "schemas/v1.0/types.xsd"
    assert '+      <xs:element name="CurrencyCode" type="xs:string" minOccurs="0">' in element.patch
    assert '+      <xs:enumeration value="VOIDED"/>' in value.patch
    # the combined patch applies, the schemas stay loadable, and the answer is then known
    (tmp_path / "all.diff").write_text(report.patch, encoding="utf-8")
    subprocess.run(["git", "apply", str(tmp_path / "all.diff")], cwd=repo, check=True)
    contract = load_contract(repo / "schemas" / "v1.0")
    currency = contract.models["Invoice"].field("CurrencyCode")
    assert currency is not None and not currency.required and currency.kind == "str"
    order = [f.element for f in contract.models["Invoice"].fields]
    assert order.index("CurrencyCode") == order.index("InvoiceStatus") - 1  # where Xero put it
    assert "VOIDED" in contract.enums["InvoiceStatus"].values
    assert drift([answer], repo / "schemas" / "v1.0", repo).findings == []


def test_facets_attributes_and_nested_elements(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(TINY, repo / "tiny")
    answer = tmp_path / "summary.xml"
    answer.write_text(
        '<Response><Status>OK</Status><Summary rate="x"><Total unit="NZD">1.23456</Total>'
        "<Code>ABCDEFGHIJKLMN</Code><Kind>B</Kind>"
        "<Extra><Part>1</Part><Part>2</Part><Flag>true</Flag></Extra></Summary></Response>"
    )
    report = drift([answer], repo / "tiny", repo)
    found = {(f.kind, f.model, f.name, f.facet) for f in report.findings}
    assert found == {
        ("unknown-attribute", "Summary", "rate", None),
        ("unknown-attribute", "Summary", "Total/@unit", None),
        ("value-outside-facet", "Summary", "Total", "fraction_digits"),
        ("value-outside-facet", "Summary", "Code", "max_length"),
        ("unknown-element", "Summary", "Extra", None),
    }
    by_name = {f.name: f for f in report.findings}
    assert by_name["Total/@unit"].patch == ""  # a simple element's attribute: decided by hand
    assert (
        '+    <xs:attribute name="rate" type="xs:string" use="optional"/>' in by_name["rate"].patch
    )
    code = by_name["Code"].patch
    assert (
        '-    <xs:restriction base="xs:string"><xs:maxLength value="10"/></xs:restriction>' in code
    )
    assert (
        '+    <xs:restriction base="xs:string"><xs:maxLength value="14"/></xs:restriction>' in code
    )
    assert '<xs:fractionDigits value="5"/>' in by_name["Total"].patch
    extra = by_name["Extra"].patch
    assert '+      <xs:element name="Extra" type="Extra" minOccurs="0">' in extra
    assert '+  <xs:complexType name="Extra">' in extra
    assert '<xs:element name="Part" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>' in extra
    assert '<xs:element name="Flag" type="xs:boolean" minOccurs="0"/>' in extra
    # every patch but the attribute one (the 1.0 generator reads no XML attributes) applies,
    # keeps the schemas loadable and leaves only the attributes unknown
    for finding in report.findings:
        if finding.kind != "unknown-attribute":
            (tmp_path / "one.diff").write_text(finding.patch, encoding="utf-8")
            subprocess.run(["git", "apply", str(tmp_path / "one.diff")], cwd=repo, check=True)
    contract = load_contract(repo / "tiny")
    assert [f.name for f in contract.models["Extra"].fields] == ["part", "flag"]
    left = drift([answer], repo / "tiny", repo).findings
    assert sorted(f.name for f in left) == ["Total/@unit", "rate"]


def test_cli_console_export_and_exit_codes(tmp_path: Path) -> None:
    export = tmp_path / "console.json"
    export.write_text(
        json.dumps(
            {
                "provider": "Demo",
                "exchanges": [
                    {
                        "method": "GET",
                        "path": "/api.xro/1.0/invoice",
                        "status": 200,
                        "response_body": _recorded(tmp_path).read_text(),
                    },
                    {"method": "GET", "path": "/x", "status": 404, "response_body": "not xml"},
                ],
            }
        )
    )
    patch = tmp_path / "p.diff"
    result = CliRunner().invoke(
        main, ["drift", str(export), "--root", str(ROOT), "--patch", str(patch)]
    )
    assert result.exit_code == 1, result.output
    assert "against schemas/v1.0 (API 1.0): 2 finding(s)" in result.output
    assert "unknown-enum-value   InvoiceStatus value 'VOIDED'" in result.output
    assert '+      <xs:enumeration value="VOIDED"/>' in patch.read_text()
    result = CliRunner().invoke(
        main, ["drift", str(export), "--root", str(ROOT), "--format", "json"]
    )
    data = json.loads(result.output)
    assert [f["kind"] for f in data["findings"]] == ["unknown-element", "unknown-enum-value"]
    clean = tmp_path / "clean.xml"
    clean.write_text(INVOICE)
    result = CliRunner().invoke(main, ["drift", str(clean), "--root", str(ROOT)])
    assert result.exit_code == 0 and "0 finding(s)" in result.output


def test_hostile_or_unknown_documents(tmp_path: Path) -> None:
    doctype = tmp_path / "doctype.xml"
    doctype.write_text('<!DOCTYPE r [<!ENTITY e "x">]><Response>&e;</Response>')
    with pytest.raises(DriftError, match="DOCTYPE"):
        drift([doctype], ROOT / "schemas" / "v1.0", ROOT)
    other = tmp_path / "other.xml"
    other.write_text("<Nothing/>")
    report = drift([other], ROOT / "schemas" / "v1.0", ROOT)
    assert report.findings == [] and report.unread == [
        f"{other}: root <Nothing> is not a document of API 1.0"
    ]
    result = CliRunner().invoke(main, ["drift", str(doctype), "--root", str(ROOT)])
    assert result.exit_code == 2 and "DOCTYPE" in result.output
