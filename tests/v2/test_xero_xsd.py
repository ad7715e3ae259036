"""Every request fixture (what the SDK writes, see test_roundtrip) is also valid against Xero's
published 2.0 XSDs, patched only for the defects of the reference's section 2.10 (see
``xero_xsd``); skipped, saying why, when ../shared/ is not beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from . import xero_xsd
from .conftest import FIXTURES, fixture_files, parse
from .xero_xsd import xero_schema  # noqa: F401 (fixture)

# Fixtures that use what Xero's XSDs do not know, with the reason.
NOT_IN_XEROS_XSDS = {
    "requests/contacts_request/one.xml": "PaymentTerms is spec-only (reference 2.3; 2.10 item 8)",
    "requests/payments_request/delete.xml": "Xero's Payment.xsd requires Date and Amount; the "
    "spec's PaymentDelete body is Status only (reference 2.8; 2.10 item 8)",
    # issue 18: notes and a bare allocation
    **{
        f"requests/history_records_request/{name}.xml": "Xero published no XSD of a note's body"
        " (HistoryRecords/HistoryRecord): checked against our history_records_request.xsd"
        for name in ("one", "batch")
    },
    "requests/allocations_request/one.xml": "Xero's Allocation.xsd declares the <Allocations>"
    " root only; a bare <Allocation> (which the sandbox reads too) is checked against ours",
    # family A
    "requests/quotes_request/one.xml": "Quotes have no XSD of Xero's (reference 2: Quote)",
    "requests/quotes_request/delete.xml": "Quotes have no XSD of Xero's (reference 2: Quote)",
    "requests/repeating_invoices_request/one.xml": "ApprovedForSending and IncludePDF are "
    "spec-only (reference 2: RepeatingInvoice, new)",
    "requests/items_request/batch.xml": "Xero's Items.xsd requires PurchaseDetails and "
    "SalesDetails on every item; the spec requires only Code (reference 2: Item)",
    **{
        f"requests/batch_payments_request/{name}.xml": "Xero published no BatchPayment XSD"
        " (full reference, section 2)"
        for name in ("one", "delete")
    },
    **{
        f"requests/credit_notes_request/{name}.xml": "Xero's CreditNote.xsd requires elements"
        " Xero sets (CreditNoteID, AppliedAmount, the totals; full reference, section 2)"
        for name in ("one", "batch", "void")
    },
    "requests/receipts_request/one.xml": "Xero's Receipt.xsd requires the totals, ReceiptID and"
    " Status, which Xero sets on the drafts it creates (full reference, section 2)",
    **{
        f"requests/expense_claims_request/{name}.xml": "Xero's ExpenseClaim.xsd types Receipts"
        " as whole receipts, totals required; a claim names its receipts by ReceiptID"
        for name in ("one", "batch")
    },
    # family D: the harness of Xero's XSDs (xero_xsd.py) declares no root for these documents;
    # Xero's BankTransaction, BankTransfer, ManualJournal and LinkedTransaction XSDs have known
    # defects for request bodies (a `Manualjournals` root, read-only ids required), so the
    # bodies are checked against our own XSDs only (tests/resources/test_banking_*.py)
    **{
        f"requests/{folder}/{name}.xml": "no request root of Xero's XSDs for this document "
        "(known defects: a Manualjournals root, required read-only ids; full reference, section 2)"
        for folder, names in {
            "bank_transactions_request": ("batch", "delete", "one"),
            "bank_transfers_request": ("delete_batch", "one"),
            "linked_transactions_request": ("one", "update"),
            "manual_journals_request": ("batch", "one"),
        }.items()
        for name in names
    },
    # family C (reference: the full 2.0 notes, sections 2 and 8 item 9)
    "requests/currencies_request/one.xml": "Xero's Currency.xsd requires the Description, which "
    "Xero sets from the Code (the SDK never sends it)",
    "requests/tax_rates_request/create.xml": "Xero's TaxRate.xsd requires the read-only CanApplyTo"
    " flags, and its TaxComponent the misspelt InNonRecoverable (XSD defect)",
    "requests/tax_rates_request/delete_batch.xml": "Xero's TaxRate.xsd requires the read-only "
    "CanApplyTo flags (XSD defect)",
    "requests/payment_services_request/one.xml": "PaymentService has no XSD (spec-only)",
    "requests/payment_services_request/apply.xml": "PaymentService has no XSD (spec-only)",
    "requests/setup_request/setup.xml": "Xero's Setup.xsd is an older shape; the spec's Setup has"
    " ConversionDate and ConversionBalances (spec-only)",
}


@pytest.mark.parametrize(
    "path", fixture_files("requests"), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_request_fixture_is_valid_against_xeros_xsds(
    path: Path,
    xero_schema: etree.XMLSchema,  # noqa: F811 (the fixture)
) -> None:
    name = path.relative_to(FIXTURES).as_posix()
    if name in NOT_IN_XEROS_XSDS:
        pytest.skip(NOT_IN_XEROS_XSDS[name])
    assert xero_schema.validate(parse(path)), xero_schema.error_log


def test_the_patches_are_needed(xero_schema: etree.XMLSchema) -> None:  # noqa: F811
    """Each patched defect really rejects a body the SDK writes (so no patch is gratuitous)."""
    unpatched = etree.XMLSchema(etree.parse(str(xero_xsd.XERO_XSDS / "Invoice.xsd")))
    line_form = parse(FIXTURES / "requests/invoices_request/one.xml")  # Name + Option tracking
    wrapped = etree.Element("Invoices")
    wrapped.append(line_form)
    assert not unpatched.validate(etree.ElementTree(wrapped))
    assert xero_schema.validate(etree.ElementTree(wrapped))
