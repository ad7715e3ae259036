"""The diff on the project's own schemas: 1.0 against an edited copy, and 1.0 -> 2.0."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from xero_codegen.diff import diff_sources
from xero_codegen.diff.contract import load_contract
from xero_codegen.diff.report import SCHEMA_PATH, render_json, render_markdown
from xero_codegen.manifest import load_manifest

from .conftest import ROOT, edited_copy

V1 = ROOT / "schemas" / "v1.0"
V2 = ROOT / "schemas" / "v2.0"


def test_v1_against_an_edited_copy(tmp_path: Path) -> None:
    new = edited_copy(
        tmp_path / "v1.0",
        [
            ("types.xsd", '<xs:enumeration value="VOID"/>', '<xs:enumeration value="VOIDED"/>'),
            (
                "types.xsd",
                '<xs:element name="Reference" type="xs:string" minOccurs="0">',
                '<xs:element name="Reference" type="xs:string">',
            ),
            (
                "manifest.toml",
                "[resources.contacts]",
                '[renames]\n"InvoiceStatus.VOIDED" = "VOID"\n\n[resources.contacts]',
            ),
            ("manifest.toml", 'name = "sort_by"', 'name = "order_by"\nrenamed_from = "sort_by"'),
        ],
        source=V1,
    )
    report = diff_sources(str(V1), str(new), ROOT, "0.1.0")
    found = {(c.id, c.subject) for c in report.changes}
    assert found == {
        ("enum-value-renamed", "enum InvoiceStatus.VOIDED"),
        ("request-field-became-required", "field Invoice.Reference"),
        ("response-field-became-required", "field Invoice.Reference"),
        ("param-renamed", "param contacts.list(order_by)"),
    }
    renamed = next(c for c in report.changes if c.id == "param-renamed")
    assert renamed.symbols == (
        "client.contacts.list(sort_by=...)",
        "xero contacts list --sort-by",
        "client.contacts.list(order_by=...)",
        "xero contacts list --order-by",
    )
    required = next(c for c in report.changes if c.id == "request-field-became-required")
    assert "v1_0.models.Invoice.reference" in required.symbols
    assert "client.invoices.create(invoice=...)" in required.symbols
    assert report.bump == "minor"


@pytest.mark.skipif(not V2.is_dir(), reason="schemas/v2.0 is not on this branch yet (API 2.0 work)")
def test_v1_to_v2() -> None:
    report = diff_sources(str(V1), str(V2), ROOT, "0.1.0")
    ids = {c.id for c in report.changes}
    assert {"auth-changed", "error-format-changed", "package-changed"} <= ids
    assert any(
        c.id == "endpoint-path-changed" and c.subject == "endpoint contacts.list"
        for c in report.changes
    )
    assert report.worst == "breaking"
    assert "## `" in render_markdown(report)
    jsonschema.validate(json.loads(render_json(report)), json.loads(SCHEMA_PATH.read_text()))
    # every cross-version rename the 2.0 manifest declares is reported as a rename
    manifest = load_manifest(V2)
    renamed = {(c.old, c.new) for c in report.changes if c.id.endswith("-renamed")}
    old = load_contract(V1)
    for new_name, old_name in manifest.get("renames", {}).items():
        model, _, member = new_name.partition(".")
        if not member and old_name in old.models:
            assert (old_name, model) in renamed, new_name
        elif member and any(
            f.element == old_name for f in getattr(old.models.get(model), "fields", ())
        ):
            assert (old_name, member) in renamed, new_name
