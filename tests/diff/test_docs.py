"""`xero-codegen docs`: generated site pages, deterministic, drift-checked; the upgrade guide."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from xero_codegen.cli import main
from xero_codegen.diff.contract import load_contract
from xero_codegen.diff.rules import compare
from xero_codegen.diff.upgrade import render_upgrade_guide
from xero_codegen.docs import build_docs

from .conftest import ROOT, TINY, edited_copy

M, T = "manifest.toml", "types.xsd"
TO_2_0 = [
    (M, 'version = "1.0"', 'version = "2.0"'),
    (M, 'package = "tiny"', 'package = "tiny2"\ntenant_parameter = true'),
    (M, 'auth = "query-keys"', 'auth = "oauth2"'),
    (M, 'name = "draft"', 'name = "save_draft"\nrenamed_from = "draft"'),
    (M, 'name = "sort"', 'name = "order"\nrenamed_from = "sort"'),
    (T, 'value="PAID"', 'value="PAID_IN_FULL"'),
    (T, '<xs:element name="Note"', '<xs:element name="Remark"'),
    (
        M,
        "[enums]",
        '[renames]\n"Status.PAID_IN_FULL" = "PAID"\n"Summary.Remark" = "Note"\n\n[enums]',
    ),
]


def test_generated_docs_are_current_and_deterministic() -> None:
    files = build_docs(ROOT)
    assert files == build_docs(ROOT)
    result = CliRunner().invoke(main, ["docs", "--check", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    invoices = files["docs/reference/v1_0/invoices.md"]
    assert "## invoices.get" in invoices and "`GET invoice`" in invoices
    assert "| `invoice_id` | query `invoiceID` | guid |" in invoices
    # the manifest's own examples, in the page's script order (create before get)
    assert 'again = client.invoices.get(invoice_number="INV-1001")' in invoices
    assert invoices.index("## invoices.create") < invoices.index("## invoices.get")
    assert "xero --api-version 1.0 invoices list --modified-since 2026-01-01T00:00:00Z" in invoices
    # a page starts with the client its examples use
    assert 'client = XeroClient(api_key="YOUR_PARTNER_KEY"' in invoices
    models = files["docs/reference/v1_0/models.md"]
    assert (
        "| `invoice_status` | `InvoiceStatus` | [InvoiceStatus](models.md#invoicestatus) |"
        in models
    )
    errors = files["docs/errors.md"]
    assert "- **`XeroError`**" in errors and "    - **`XeroTimeoutError`**" in errors
    assert "  - Errors: errors.md" in files["mkdocs.yml"]
    assert "  - Rate limits and many workers: rate-limits.md" in files["mkdocs.yml"]
    rules = files["docs/diff-rules.md"]
    assert (
        "| `response-field-became-optional` | breaking | wire, python | X becomes X \\| None |"
        in rules
    )


def test_docs_check_names_drift(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(TINY, root / "schemas" / "v1.0")
    runner = CliRunner()
    assert runner.invoke(main, ["docs", "--root", str(root)]).exit_code == 0
    assert runner.invoke(main, ["docs", "--check", "--root", str(root)]).exit_code == 0
    page = root / "docs" / "reference" / "tiny" / "items.md"
    page.write_text(page.read_text() + "edited by hand\n")
    (root / "docs" / "reference" / "tiny" / "stale.md").write_text("old page\n")
    result = runner.invoke(main, ["docs", "--check", "--root", str(root)])
    assert result.exit_code == 1
    assert "differs: docs/reference/tiny/items.md" in result.output
    assert "extra:   docs/reference/tiny/stale.md" in result.output
    assert runner.invoke(main, ["docs", "--root", str(root)]).exit_code == 0
    assert not (root / "docs" / "reference" / "tiny" / "stale.md").exists()


def test_upgrade_guide_call_by_call(tmp_path: Path) -> None:
    old = load_contract(TINY)
    new = load_contract(edited_copy(tmp_path / "v2.0", TO_2_0))
    guide = render_upgrade_guide(old, new, compare(old, new), "Hand-written words.")
    assert guide.startswith("# Upgrading from Tiny to Tiny\n\nHand-written words.\n")
    assert "- Import from `xero_customer_api.tiny2` instead of `xero_customer_api.tiny`" in guide
    assert "- Every method takes `tenant_id=`" in guide
    assert (
        "### `client.items.draft(draft=...)`\n\nbecomes `client.items.save_draft(draft=..., tenant_id=...)`"
        in guide
    )
    assert (
        "- `order=`: keyword argument renamed `sort` → `order` — breaking (`param-renamed`)"
        in guide
    )
    assert (
        "- `PAID_IN_FULL`: value renamed `PAID` → `PAID_IN_FULL` — breaking (`enum-value-renamed`)"
        in guide
    )
    assert "- `Remark` (`.remark`): renamed `Note` → `Remark` — breaking (`field-renamed`)" in guide


def test_site_has_the_upgrade_guide_when_both_versions_exist(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(TINY, root / "schemas" / "v1.0")
    edited_copy(root / "schemas" / "v2.0", TO_2_0)
    (root / "docs").mkdir()
    (root / "docs" / "upgrading-1.0-to-2.0.intro.md").write_text("What a 1.0 user changes.\n")
    files = build_docs(root)
    guide = files["docs/upgrading-1.0-to-2.0.md"]
    assert "What a 1.0 user changes." in guide and "## Call by call" in guide
    assert "  - Upgrading 1.0 to 2.0: upgrading-1.0-to-2.0.md" in files["mkdocs.yml"]
    assert files["mkdocs.yml"].index("API 2.0") < files["mkdocs.yml"].index("API 1.0")


def test_the_rate_limits_page_is_the_readmes_section() -> None:
    # one text: the page includes the README's section between its snippet markers
    page = (ROOT / "docs/rate-limits.md").read_text(encoding="utf-8")
    assert page.strip() == '--8<-- "README.md:rate-limits"'
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- --8<-- [start:rate-limits] -->")
    section = readme[start : readme.index("<!-- --8<-- [end:rate-limits] -->")]
    assert "RedisLimiter" in section and "celery_sync" in section
    assert "](" not in section.replace("](https://", ""), "relative links break on the site"
