"""PDFs and attachments from the SDK, the async client and the `xero` command line against a
real ``xero-sandbox serve`` over HTTPS (issue 18): real PDFs, files stored and read back
byte for byte (whole and streamed, by name and by AttachmentID), replacement by name, Xero's
limits (10 files per document; the size limit, here lowered for the test, answered 413 by
the sandbox and refused before sending by the SDK) and the typed errors."""

from __future__ import annotations

import datetime
import io
import os
import pathlib
import subprocess
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from xero_customer_api import NotFoundError, RequestValidationError, XeroAPIError
from xero_customer_api.v2_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox, launch

from tests.resources.conftest import async_v2_client, v2_client

pytestmark = pytest.mark.e2e

SANDBOX_LIMIT = 64 * 1024  # the sandbox's attachment limit here (XERO_SANDBOX_ATTACHMENT_MAX_BYTES)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    db = tmp_path_factory.mktemp("files") / "files.db"
    running = launch(
        ["--db", str(db), "--time-scale", "600"],
        env={"XERO_SANDBOX_ATTACHMENT_MAX_BYTES": str(SANDBOX_LIMIT)},
    )
    try:
        yield running
    finally:
        assert running.stop() in (0, -15), running.stderr


def _line(account: str = "200") -> models.LineItem:
    return models.LineItem(
        description="Espresso machine service",
        quantity=Decimal(1),
        unit_amount=Decimal("180.00"),
        account_code=account,
    )


def _invoice(
    client: XeroClient, status: models.InvoiceStatus = models.InvoiceStatus.AUTHORISED
) -> models.Invoice:
    contact = client.contacts.create(models.Contact(name=f"Files {uuid.uuid4().hex[:8]}"))
    return client.invoices.create(
        models.Invoice(
            type=models.InvoiceType.ACCREC,
            contact=models.Contact(contact_id=contact.contact_id),
            date=datetime.date(2026, 3, 2),
            due_date=datetime.date(2026, 3, 30),
            status=status,
            line_items=[_line()],
        )
    )


# ------------------------------------------------------------------------------ PDFs


def test_invoice_pdf_whole_and_streamed(client: XeroClient, tmp_path: pathlib.Path) -> None:
    invoice = _invoice(client)
    pdf = client.invoices.pdf(invoice_id=invoice.invoice_id)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]
    target = tmp_path / "invoice.pdf"
    written = client.invoices.pdf_to(invoice_id=invoice.invoice_id, destination=target)
    assert written == target.stat().st_size > 500
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoice.pdf"]
    raw = client.invoices.with_raw_response.pdf(invoice_id=invoice.invoice_id)
    assert raw.headers["content-type"].startswith("application/pdf")


def test_pdfs_of_credit_notes_purchase_orders_and_quotes(client: XeroClient) -> None:
    contact = client.contacts.create(models.Contact(name=f"PDFs {uuid.uuid4().hex[:8]}"))
    ref = models.Contact(contact_id=contact.contact_id)
    note = client.credit_notes.create(
        models.CreditNote(
            type=models.CreditNoteType.ACCRECCREDIT, contact=ref, line_items=[_line()]
        )
    )
    order = client.purchase_orders.create(
        models.PurchaseOrder(contact=ref, line_items=[_line("400")])
    )
    quote = client.quotes.create(models.Quote(contact=ref, line_items=[_line()]))
    out = io.BytesIO()
    assert client.credit_notes.pdf(credit_note_id=note.credit_note_id).startswith(b"%PDF-")
    assert client.purchase_orders.pdf(purchase_order_id=order.purchase_order_id).startswith(
        b"%PDF-"
    )
    assert client.quotes.pdf_to(quote_id=quote.quote_id, destination=out) == len(out.getvalue())
    assert out.getvalue().startswith(b"%PDF-")


def test_pdf_of_no_such_invoice_is_not_found(client: XeroClient, tmp_path: pathlib.Path) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(NotFoundError, match=missing):
        client.invoices.pdf(invoice_id=missing)
    with pytest.raises(NotFoundError):
        client.invoices.pdf_to(invoice_id=missing, destination=tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ attachments


def test_invoice_attachments_round_trip(client: XeroClient, tmp_path: pathlib.Path) -> None:
    invoice = _invoice(client)
    iid = invoice.invoice_id
    scan = tmp_path / "receipt scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(20_000))
    saved = client.invoices.attachments.upload(
        invoice_id=iid, file_name=scan.name, content=scan, include_online=True
    )
    assert saved.file_name == "receipt scan.png"
    assert saved.mime_type == "image/png"
    assert saved.content_length == scan.stat().st_size
    assert saved.include_online is True
    with open(scan, "rb") as handle:
        client.invoices.attachments.upload(invoice_id=iid, file_name="copy.png", content=handle)
    client.invoices.attachments.upload(
        invoice_id=iid, file_name="notes.txt", content=b"Paid in cash"
    )
    listed = client.invoices.attachments.list(invoice_id=iid)
    assert sorted(a.file_name or "" for a in listed) == [
        "copy.png",
        "notes.txt",
        "receipt scan.png",
    ]
    assert (
        client.invoices.attachments.download(invoice_id=iid, file_name="receipt scan.png")
        == scan.read_bytes()
    )
    by_id = client.invoices.attachments.download(invoice_id=iid, attachment_id=saved.attachment_id)
    assert by_id == scan.read_bytes()
    target = tmp_path / "again.png"
    assert (
        client.invoices.attachments.download_to(
            invoice_id=iid, file_name="copy.png", destination=target
        )
        == scan.stat().st_size
    )
    assert target.read_bytes() == scan.read_bytes()
    again = client.invoices.attachments.replace(
        invoice_id=iid, file_name="notes.txt", content=b"Paid by card"
    )
    assert again.content_length == len(b"Paid by card")
    assert (
        client.invoices.attachments.download(invoice_id=iid, file_name="notes.txt")
        == b"Paid by card"
    )
    assert len(client.invoices.attachments.list(invoice_id=iid)) == 3  # replaced, not added


def test_an_eleventh_file_is_refused_before_sending(client: XeroClient) -> None:
    contact = client.contacts.create(models.Contact(name=f"Ten files {uuid.uuid4().hex[:8]}"))
    cid = contact.contact_id
    for n in range(10):
        client.contacts.attachments.upload(contact_id=cid, file_name=f"f{n}.txt", content=b"x")
    with pytest.raises(RequestValidationError, match="10 files per document"):
        client.contacts.attachments.upload(contact_id=cid, file_name="f10.txt", content=b"x")
    replaced = client.contacts.attachments.upload(contact_id=cid, file_name="f3.txt", content=b"y")
    assert replaced.content_length == 1
    assert len(client.contacts.attachments.list(contact_id=cid)) == 10


def test_size_limits_client_side_and_the_sandboxs_413(sandbox: RunningSandbox) -> None:
    with v2_client(sandbox, max_attachment_bytes=SANDBOX_LIMIT) as strict:
        invoice = _invoice(strict)
        with pytest.raises(RequestValidationError, match="max_attachment_bytes"):
            strict.invoices.attachments.upload(
                invoice_id=invoice.invoice_id,
                file_name="big.bin",
                content=bytes(SANDBOX_LIMIT + 1),
            )
    with v2_client(sandbox) as lenient:  # the SDK's 10 MiB lets it through: Xero's 413
        with pytest.raises(XeroAPIError) as caught:
            lenient.invoices.attachments.upload(
                invoice_id=invoice.invoice_id,
                file_name="big.bin",
                content=bytes(SANDBOX_LIMIT + 1),
            )
        assert caught.value.status_code == 413


def test_download_of_a_missing_file_is_not_found(client: XeroClient) -> None:
    invoice = _invoice(client)
    with pytest.raises(NotFoundError):
        client.invoices.attachments.download(invoice_id=invoice.invoice_id, file_name="nothing.pdf")


@pytest.mark.parametrize(
    "resource", ["accounts", "contacts", "credit_notes", "purchase_orders", "quotes"]
)
def test_attachments_on_other_resources(client: XeroClient, resource: str) -> None:
    contact = client.contacts.create(models.Contact(name=f"Other {uuid.uuid4().hex[:8]}"))
    ref = models.Contact(contact_id=contact.contact_id)
    made: dict[str, object] = {
        "accounts": lambda: client.accounts.list(order="Code")[0].account_id,
        "contacts": lambda: contact.contact_id,
        "credit_notes": lambda: (
            client.credit_notes.create(
                models.CreditNote(
                    type=models.CreditNoteType.ACCPAYCREDIT, contact=ref, line_items=[_line("400")]
                )
            ).credit_note_id
        ),
        "purchase_orders": lambda: (
            client.purchase_orders.create(
                models.PurchaseOrder(contact=ref, line_items=[_line("400")])
            ).purchase_order_id
        ),
        "quotes": lambda: (
            client.quotes.create(models.Quote(contact=ref, line_items=[_line()])).quote_id
        ),
    }
    record_id = made[resource]()  # type: ignore[operator]
    singular = {
        "accounts": "account",
        "contacts": "contact",
        "credit_notes": "credit_note",
        "purchase_orders": "purchase_order",
        "quotes": "quote",
    }[resource]
    files = getattr(client, resource).attachments
    key = {f"{singular}_id": record_id}
    body = os.urandom(3000)
    saved = files.upload(**key, file_name="data.bin", content=body)
    assert saved.content_length == 3000 and saved.mime_type == "application/octet-stream"
    assert [a.file_name for a in files.list(**key)] == ["data.bin"]
    assert files.download(**key, attachment_id=saved.attachment_id) == body


@pytest.mark.asyncio
async def test_async_twins(sandbox: RunningSandbox, tmp_path: pathlib.Path) -> None:
    with v2_client(sandbox) as sync:
        invoice_id = _invoice(sync).invoice_id
    async with async_v2_client(sandbox) as client:
        pdf = await client.invoices.pdf(invoice_id=invoice_id)
        assert pdf.startswith(b"%PDF-")
        assert await client.invoices.pdf_to(
            invoice_id=invoice_id, destination=tmp_path / "a.pdf"
        ) == len(pdf)
        path = tmp_path / "async.txt"
        path.write_bytes(b"from the async client")
        saved = await client.invoices.attachments.upload(
            invoice_id=invoice_id, file_name=path.name, content=path
        )
        assert saved.mime_type == "text/plain"
        out = io.BytesIO()
        await client.invoices.attachments.download_to(
            invoice_id=invoice_id, file_name="async.txt", destination=out
        )
        assert out.getvalue() == b"from the async client"


# ------------------------------------------------------------------------------ command line


def _xero(
    sandbox: RunningSandbox, *args: str, cwd: pathlib.Path
) -> subprocess.CompletedProcess[bytes]:
    exe = str(pathlib.Path(sys.executable).with_name("xero"))
    env = {**os.environ, **sandbox.values}
    if sandbox.ca_bundle:
        env["SSL_CERT_FILE"] = sandbox.ca_bundle
    return subprocess.run([exe, *args], capture_output=True, env=env, cwd=cwd, timeout=120)


def test_the_command_line(
    sandbox: RunningSandbox, client: XeroClient, tmp_path: pathlib.Path
) -> None:
    invoice_id = str(_invoice(client).invoice_id)
    done = _xero(sandbox, "invoices", "pdf", invoice_id, "-o", "invoice.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF-")
    (tmp_path / "order.txt").write_bytes(b"signed order 4471")
    done = _xero(
        sandbox,
        "invoices",
        "attachments",
        "upload",
        invoice_id,
        "order.txt",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert b'"file_name": "order.txt"' in done.stdout
    done = _xero(
        sandbox, "invoices", "attachments", "list", invoice_id, "--format", "json", cwd=tmp_path
    )
    assert done.returncode == 0 and b"order.txt" in done.stdout, done.stderr
    done = _xero(
        sandbox,
        "invoices",
        "attachments",
        "download",
        invoice_id,
        "order.txt",
        "-o",
        "back.txt",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "back.txt").read_bytes() == b"signed order 4471"
    done = _xero(
        sandbox,
        "invoices",
        "attachments",
        "download",
        invoice_id,
        "order.txt",
        "-o",
        "-",
        cwd=tmp_path,
    )
    assert done.returncode == 0 and done.stdout == b"signed order 4471"
    missing = _xero(sandbox, "invoices", "pdf", str(uuid.uuid4()), "-o", "none.pdf", cwd=tmp_path)
    assert missing.returncode == 4  # not found
    assert not (tmp_path / "none.pdf").exists()
