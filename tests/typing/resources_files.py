"""A user's script touching every binary endpoint (issue 18): PDFs and attachments, sync,
async and raw; mypy --strict checks it (``make lint``).

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import io
import pathlib
from typing import assert_type

from xero_customer_api import AsyncXeroClient, RawResponse, XeroClient
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"


def sync_files(client: XeroClient) -> None:
    assert_type(client.invoices.pdf(invoice_id=ID), bytes)
    assert_type(client.quotes.pdf_to(quote_id=ID, destination="quote.pdf"), int)
    assert_type(
        client.credit_notes.pdf_to(credit_note_id=ID, destination=pathlib.Path("cn.pdf")), int
    )
    assert_type(
        client.purchase_orders.with_raw_response.pdf(purchase_order_id=ID), RawResponse[bytes]
    )
    files = client.invoices.attachments
    assert_type(files.list(invoice_id=ID), list[models.Attachment])
    assert_type(
        files.upload(invoice_id=ID, file_name="a.pdf", content=b"%PDF-", include_online=True),
        models.Attachment,
    )
    with open("scan.png", "rb") as handle:
        assert_type(
            client.receipts.attachments.replace(
                receipt_id=ID, file_name="scan.png", content=handle, content_type="image/png"
            ),
            models.Attachment,
        )
    assert_type(
        client.contacts.attachments.upload(
            contact_id=ID, file_name="terms.txt", content=pathlib.Path("terms.txt")
        ),
        models.Attachment,
    )
    assert_type(files.download(invoice_id=ID, file_name="a.pdf"), bytes)
    assert_type(files.download_to(invoice_id=ID, attachment_id=ID, destination=io.BytesIO()), int)
    assert_type(
        files.with_raw_response.download_to(invoice_id=ID, file_name="a.pdf", destination="a.pdf"),
        RawResponse[int],
    )


async def async_files(client: AsyncXeroClient) -> None:
    assert_type(await client.invoices.pdf(invoice_id=ID), bytes)
    assert_type(await client.invoices.pdf_to(invoice_id=ID, destination="i.pdf"), int)
    assert_type(
        await client.bank_transactions.attachments.upload(
            bank_transaction_id=ID, file_name="r.jpg", content=b"..."
        ),
        models.Attachment,
    )
    assert_type(
        await client.manual_journals.attachments.download(manual_journal_id=ID, file_name="x"),
        bytes,
    )
