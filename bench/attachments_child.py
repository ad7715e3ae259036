"""Run in a subprocess: one attachment transfer of an invoice; print bytes moved and peak RSS growth.

``python -m bench.attachments_child MODE INVOICE_ID FILE`` with the sandbox's ``XERO_BASE_URL``,
``XERO_TOKEN_URL``, ``XERO_CLIENT_ID``, ``XERO_CLIENT_SECRET`` and ``XERO_TENANT_ID`` in the
environment. Modes: ``upload-path`` (``attachments.upload(content=Path)``: streamed) and
``upload-bytes`` (the file read into ``bytes`` first, as a caller holding the data would),
``download-to`` (``attachments.download_to(destination=Path)``: streamed) and
``download-bytes`` (``attachments.download()`` kept in memory). RSS is sampled by a thread
every 2 ms (``bench.rss``), from after the client's first call (the token and the imports are not counted).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from xero_customer_api.v2_0 import XeroClient

from .rss import PeakRss

#: The SDK's own check follows Xero's 10 MB; the bench moves 20 MB, so both sides allow more.
LIMIT = 64 * 1024 * 1024


def main() -> None:
    mode, invoice_id, file = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    client = XeroClient(
        client_id=os.environ["XERO_CLIENT_ID"],
        client_secret=os.environ["XERO_CLIENT_SECRET"],
        tenant_id=os.environ["XERO_TENANT_ID"],
        token_url=os.environ["XERO_TOKEN_URL"],
        base_url=os.environ["XERO_BASE_URL"],
        timeout=300,
        max_attachment_bytes=LIMIT,
    )
    with client:
        client.invoices.attachments.list(invoice_id=invoice_id)  # token, imports, connection
        with PeakRss() as rss:
            if mode == "upload-path":
                moved = client.invoices.attachments.upload(
                    invoice_id=invoice_id, file_name=file.name, content=file
                ).content_length
            elif mode == "upload-bytes":
                moved = client.invoices.attachments.upload(
                    invoice_id=invoice_id, file_name=file.name, content=file.read_bytes()
                ).content_length
            elif mode == "download-to":
                moved = client.invoices.attachments.download_to(
                    invoice_id=invoice_id,
                    file_name=file.name,
                    destination=file.with_suffix(".copy"),
                )
            elif mode == "download-bytes":
                moved = len(
                    client.invoices.attachments.download(invoice_id=invoice_id, file_name=file.name)
                )
            else:
                raise SystemExit(f"unknown mode {mode!r}")
    print(moved or 0, rss.growth)


if __name__ == "__main__":
    main()
