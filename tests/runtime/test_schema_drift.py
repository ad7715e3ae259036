"""The runtime counts what answers held that the schemas did not know, warning once per kind."""

from __future__ import annotations

import importlib.metadata
import logging

import pytest
from xero_customer_api import XeroResponseError
from xero_customer_api._runtime._cli_support import OUTPUT_FORMATS

from .helpers import ENVELOPE_HEAD, INVOICE, Recorder, async_client, ok, sync_client

DRIFTED = INVOICE.replace(
    "<InvoiceStatus>AUTHORISED</InvoiceStatus>",
    "<CurrencyCode>NZD</CurrencyCode><InvoiceStatus>VOIDED</InvoiceStatus>",
).replace(
    "<LineAmount>20.00</LineAmount>", "<LineAmount>20.00</LineAmount><Taxability>X</Taxability>"
)
ANSWER = (ENVELOPE_HEAD + f"{DRIFTED}</Response>").encode()
LIST = (ENVELOPE_HEAD + f"<Invoices>{DRIFTED}{DRIFTED}<Note/></Invoices></Response>").encode()


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_counts_and_warns_once_per_kind_and_client(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="xero_customer_api")
    with sync_client(Recorder(ok(ANSWER))) as client:
        assert client.schema_drift() == {}
        first = client.invoices.get(invoice_number="INV-1")
        client.invoices.get(invoice_number="INV-1")
        assert first.invoice_status == "VOIDED"  # kept as text
        assert client.schema_drift() == {
            ("unknown element", "<CurrencyCode> in <Invoice> (skipped)"): 2,
            ("unknown element", "<Taxability> in <LineItem> (skipped)"): 2,
            ("unknown enum value", "InvoiceStatus 'VOIDED' (kept as text)"): 2,
        }
    messages = _warnings(caplog)
    assert len(messages) == 2  # one per kind, not one per occurrence
    assert messages[0].startswith("an answer held an unknown element, <CurrencyCode> in <Invoice>")
    assert messages[1].startswith("an answer held an unknown enum value, InvoiceStatus 'VOIDED'")
    assert all("xero-codegen drift answer.xml" in m for m in messages)
    caplog.clear()
    with sync_client(Recorder(ok(ANSWER))) as other:  # another client warns on its own
        other.invoices.get(invoice_number="INV-1")
    assert len(_warnings(caplog)) == 2


def test_known_answers_count_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="xero_customer_api")
    with sync_client(Recorder(ok((ENVELOPE_HEAD + f"{INVOICE}</Response>").encode()))) as client:
        client.invoices.get(invoice_number="INV-1")
        assert client.schema_drift() == {}
    assert _warnings(caplog) == []


def test_strict_still_refuses(caplog: pytest.LogCaptureFixture) -> None:
    with sync_client(Recorder(ok(ANSWER)), strict=True) as client, pytest.raises(XeroResponseError):
        client.invoices.get(invoice_number="INV-1")


def test_streamed_items_are_counted() -> None:
    with sync_client(Recorder(ok(LIST))) as client:
        assert len(list(client.invoices.iter())) == 2
        assert client.schema_drift() == {
            ("unknown element", "<CurrencyCode> in <Invoice> (skipped)"): 2,
            ("unknown element", "<Taxability> in <LineItem> (skipped)"): 2,
            ("unknown enum value", "InvoiceStatus 'VOIDED' (kept as text)"): 2,
        }


@pytest.mark.asyncio
async def test_async_client_counts_lists_and_wrappers() -> None:
    async with async_client(Recorder(ok(LIST))) as client:
        invoices = await client.invoices.list()
        assert len(invoices) == 2
        drift = client.schema_drift()
    assert drift[("unknown element", "<Note> in <Invoices> (skipped)")] == 1
    assert drift[("unknown enum value", "InvoiceStatus 'VOIDED' (kept as text)")] == 2


def test_advice_speaks_to_users_and_to_maintainers(caplog: pytest.LogCaptureFixture) -> None:
    """Issue 21, item 1: the warning told pip users to run `xero-codegen`, which they do not
    have. A user upgrades or reports it with the answer recorded; a maintainer runs drift."""
    caplog.set_level(logging.WARNING, logger="xero_customer_api")
    with sync_client(Recorder(ok(ANSWER), ok(ANSWER))) as client:
        client.invoices.get(invoice_number="INV-1")
        (message, _other) = _warnings(caplog)
        user, _, maintainer = message.partition("Maintainers, in a checkout of the SDK:")
        assert maintainer, message
        assert "xero-codegen" not in user  # the installed package has no xero-codegen
        assert "pip install -U xero-customer-api" in user
        assert importlib.metadata.distribution("xero-customer-api")  # the name pip knows
        assert "report it to the SDK's maintainers with the answer attached" in user
        # the two ways the message gives to record the answer exist and give it as received
        assert "client.<resource>.with_raw_response.<method>(...).content" in user
        raw = client.invoices.with_raw_response.get(invoice_number="INV-1")
        assert raw.content == ANSWER
        assert "`xero <resource> <command> --format xml > answer.xml`" in user
        assert "xml" in OUTPUT_FORMATS
        assert "`xero-codegen drift answer.xml` turns recorded answers into a schema patch" in (
            maintainer
        )
        assert "client.schema_drift() counts them all" in message
