"""The partner console's attachments and documents pages, in real headless Chromium.

Documents are made through the 2.0 SDK (``XeroClient``) against the session sandbox: an
invoice with an attachment whose name is an HTML injection, emailed to its contact, and a
quote. Chromium (driven over the DevTools protocol, :class:`tests.e2e.browser.Page`) loads
``/console/attachments`` and ``/console/documents`` and the test checks what a partner sees:
the documents, the file's name (as text: no script runs), size and type, the download link
(clicked: Chromium saves the exact bytes), the PDF links (a PDF), the invoices emailed; that
the partner key is in neither the served HTML nor the page; that no key, a wrong key or
another partner's key shows none of these; and that the main console links to both pages.
"""

from __future__ import annotations

import base64
import datetime
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from xero_customer_api.v2_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

from .browser import Page

pytestmark = pytest.mark.e2e

HOSTILE = "<img src=x onerror=alert(1)>.txt"
#: Installed before any page script: an alert, a confirm or a prompt is recorded, never shown.
TRAP = (
    "window.__dialogs = [];"
    "for (const name of ['alert', 'confirm', 'prompt'])"
    " window[name] = (...args) => { window.__dialogs.push([name, ...args].join(' ')); };"
)


class Browser(Page):
    """A :class:`Page` that also awaits promises, traps dialogs and allows downloads."""

    def __init__(self, chromium: str, profile: Path, downloads: Path) -> None:
        super().__init__(chromium, profile)
        self._call("Page.enable", {}, self._session)
        self._call("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP}, self._session)
        self._call(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads)},
        )

    def __enter__(self) -> Browser:
        return self

    def open(self, url: str) -> None:
        """Open *url* and wait until its document has loaded."""
        self.evaluate("window.__left = true")
        self.goto(url)
        self.wait_for("!window.__left && document.readyState === 'complete'")

    def fetch(self, expression: str) -> dict[str, Any]:
        """``fetch()`` the URL *expression* evaluates to, from the page (its origin, its
        cookies): status, Content-Type and the body (bytes)."""
        script = (
            f"fetch({expression}).then(async r => ({{status: r.status,"
            " type: r.headers.get('content-type'),"
            " body: btoa(String.fromCharCode(...new Uint8Array(await r.arrayBuffer())))}))"
        )
        answer = self._call(
            "Runtime.evaluate",
            {"expression": script, "returnByValue": True, "awaitPromise": True},
            self._session,
        )
        assert "exceptionDetails" not in answer, answer
        value: dict[str, Any] = answer["result"]["value"]
        value["body"] = base64.b64decode(value["body"])
        return value


@dataclass(frozen=True)
class Made:
    """What the SDK made in the sandbox for these tests."""

    unique: str
    contact_name: str
    email: str
    invoice: models.Invoice
    quote: models.Quote
    attachment: models.Attachment
    content: bytes

    @property
    def invoice_id(self) -> str:
        return str(self.invoice.invoice_id)

    @property
    def invoice_number(self) -> str:
        assert self.invoice.invoice_number
        return self.invoice.invoice_number

    @property
    def attachment_id(self) -> str:
        return str(self.attachment.attachment_id)


@pytest.fixture(scope="module")
def made(sandbox: RunningSandbox) -> Iterator[Made]:
    unique = uuid.uuid4().hex[:8]
    contact_name = f"Tui <b>Bakery</b> & Sons {unique}"
    email = f"accounts-{unique}@tui.example"
    content = b"receipt " + unique.encode() + bytes(range(256)) * 5  # 1,296 bytes
    line = models.LineItem(
        description="Espresso machine service",
        quantity=Decimal(2),
        unit_amount=Decimal("180.00"),
        account_code="200",
    )
    with (
        httpx.Client(verify=sandbox.verify()) as http,
        XeroClient(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            tenant_id=sandbox.tenant_id,
            token_url=sandbox.token_url,
            base_url=sandbox.v2_base_url,
            http_client=http,
        ) as client,
    ):
        contact = client.contacts.create(models.Contact(name=contact_name, email_address=email))
        ref = models.Contact(contact_id=contact.contact_id)
        invoice = client.invoices.create(
            models.Invoice(
                type=models.InvoiceType.ACCREC,
                contact=ref,
                date=datetime.date(2026, 3, 2),
                due_date=datetime.date(2026, 3, 30),
                status=models.InvoiceStatus.AUTHORISED,
                line_items=[line],
            )
        )
        assert invoice.invoice_id is not None
        attachment = client.invoices.attachments.upload(
            invoice_id=invoice.invoice_id, file_name=HOSTILE, content=content
        )
        client.invoices.email(invoice_id=invoice.invoice_id)
        quote = client.quotes.create(models.Quote(contact=ref, line_items=[line]))
    yield Made(unique, contact_name, email, invoice, quote, attachment, content)


@pytest.fixture
def browser(chromium: str, tmp_path: Path) -> Iterator[tuple[Browser, Path]]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with Browser(chromium, tmp_path / "profile", downloads) as page:
        yield page, downloads


def served(sandbox: RunningSandbox, path: str, **params: str) -> httpx.Response:
    with httpx.Client(verify=sandbox.verify(), base_url=sandbox.root_url) as http:
        return http.get(path, params=params)


def saved_file(downloads: Path) -> Path:
    """The one file Chromium finished saving in *downloads*."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = [p for p in downloads.iterdir() if not p.name.endswith(".crdownload")]
        if done and not any(p.name.endswith(".crdownload") for p in downloads.iterdir()):
            assert len(done) == 1, done
            return done[0]
        time.sleep(0.05)
    raise AssertionError(f"nothing saved in {downloads}: {list(downloads.iterdir())}")


def no_markup_ran(page: Browser) -> None:
    assert page.evaluate("window.__dialogs") == [], "a dialog was opened by the page"
    assert page.evaluate("document.querySelectorAll('body img, body script').length") == 0


def follow_pdf(page: Browser, link: str) -> None:
    """Click the PDF *link* (its onclick adds the page's key): Chromium opens a PDF, whose
    bytes (fetched again from the PDF's own address) start ``%PDF-``."""
    page.evaluate("window.__left = true")
    page.evaluate(f"{link}.click()")
    page.wait_for(
        "!window.__left && location.pathname === '/console/pdf'"
        " && document.contentType === 'application/pdf'"
    )
    pdf = page.fetch("location.href")
    assert pdf["status"] == 200 and pdf["type"] == "application/pdf"
    assert pdf["body"].startswith(b"%PDF-") and b"%%EOF" in pdf["body"][-64:]


def test_attachments_page_shows_the_file_escaped_and_downloads_its_exact_bytes(
    sandbox: RunningSandbox, made: Made, browser: tuple[Browser, Path]
) -> None:
    page, downloads = browser
    raw = served(sandbox, "/console/attachments", apiKey=sandbox.api_key)
    assert raw.status_code == 200 and sandbox.api_key not in raw.text
    assert HOSTILE not in raw.text

    page.open(f"{sandbox.root_url}/console/attachments?apiKey={sandbox.api_key}")

    assert page.evaluate("document.title").startswith("Attachments")
    assert sandbox.api_key not in page.evaluate("document.documentElement.outerHTML")
    no_markup_ran(page)
    row = (
        "[...document.querySelectorAll('tr.document')]"
        f".find(r => r.textContent.includes('{made.invoice_id}'))"
    )
    cells = page.evaluate(f"[...{row}.cells].map(c => c.innerText)")
    assert cells[0] == "Invoices"
    assert cells[1].startswith(made.invoice_number)
    assert page.evaluate(f"{row}.querySelectorAll('a.download').length") == 1
    link = f"{row}.querySelector('a.download')"
    assert page.evaluate(f"{link}.textContent") == HOSTILE, "the name, as text"
    meta = page.evaluate(f"{row}.querySelector('li.file .meta').textContent")
    assert meta == "(text/plain, 1.3 KB)", meta
    assert made.attachment.content_length == len(made.content)

    # a partner clicks the name: the onclick adds the page's key, Chromium saves the file
    page.evaluate(f"{link}.click()")
    saved = saved_file(downloads)
    assert saved.read_bytes() == made.content
    assert saved.suffix == ".txt" and "<" not in saved.name
    assert page.evaluate("location.pathname") == "/console/attachments", "saved, not shown"
    clicked = urlsplit(page.evaluate(f"{link}.href"))
    assert clicked.path == "/console/attachments/file"
    assert parse_qs(clicked.query) == {
        "apiKey": [sandbox.api_key],
        "attachment": [made.attachment_id],
    }
    file = page.fetch(f"{link}.href")
    assert file["status"] == 200 and file["body"] == made.content

    no_markup_ran(page)
    # the document's PDF: Chromium opens it
    follow_pdf(page, f"{row}.querySelector('a.pdf')")


def test_documents_page_lists_the_documents_their_pdfs_and_the_emails(
    sandbox: RunningSandbox, made: Made, browser: tuple[Browser, Path]
) -> None:
    page, _ = browser
    raw = served(sandbox, "/console/documents", apiKey=sandbox.api_key)
    assert raw.status_code == 200 and sandbox.api_key not in raw.text
    assert made.contact_name not in raw.text  # escaped

    page.open(f"{sandbox.root_url}/console/documents?apiKey={sandbox.api_key}")

    assert page.evaluate("document.title").startswith("Documents")
    assert sandbox.api_key not in page.evaluate("document.documentElement.outerHTML")
    no_markup_ran(page)
    rows = page.evaluate(
        "[...document.querySelectorAll('tr.document')].map(r => [...r.cells].map(c => c.innerText))"
    )
    numbers = {made.invoice_number: "Invoice", made.quote.quote_number: "Quote"}
    ours = [r for r in rows if r[1] in numbers and r[3] == made.contact_name]
    assert sorted(r[0] for r in ours) == ["Invoice", "Quote"], rows[:5]
    invoice_row = next(r for r in ours if r[0] == "Invoice")
    assert invoice_row[2] == "2026-03-02" and invoice_row[4] == "AUTHORISED"
    assert Decimal(invoice_row[5].replace(",", "")) == made.invoice.total
    emails = page.evaluate(
        "[...document.querySelectorAll('tr.email')].map(r => [...r.cells].map(c => c.innerText))"
    )
    assert [e[1:4] for e in emails if e[1] == made.invoice_number] == [
        [made.invoice_number, made.contact_name, made.email]
    ]
    # each of our documents' PDF links, as a click would follow it
    for number, kind in numbers.items():
        row = (
            "[...document.querySelectorAll('tr.document')]"
            f".find(r => r.cells[1].innerText === '{number}' && r.cells[0].innerText === '{kind}')"
        )
        no_markup_ran(page)
        follow_pdf(page, f"{row}.querySelector('a.pdf')")
        page.open(f"{sandbox.root_url}/console/documents?apiKey={sandbox.api_key}")


def test_the_console_links_to_both_pages(
    sandbox: RunningSandbox, made: Made, browser: tuple[Browser, Path]
) -> None:
    page, _ = browser
    home = f"{sandbox.root_url}/console?apiKey={sandbox.api_key}"
    pages = (("attachments", "Attachments"), ("documents", "Documents"), ("journals", "Journals"))
    for anchor, title in pages:
        page.open(home)
        assert page.evaluate(f"document.getElementById('{anchor}') !== null"), anchor
        page.evaluate("window.__left = true")
        page.evaluate(f"document.getElementById('{anchor}').click()")
        page.wait_for(
            f"!window.__left && document.readyState === 'complete'"
            f" && location.pathname === '/console/{anchor}'"
        )
        assert page.evaluate("document.title").startswith(title)
        assert sandbox.api_key not in page.evaluate("document.documentElement.outerHTML")
        if anchor != "journals":  # the journals page shows references, not our documents
            assert made.invoice_number in page.evaluate("document.body.innerText")
        # and back to the requests
        page.evaluate("window.__left = true")
        page.evaluate("document.getElementById('requests').click()")
        page.wait_for(
            "!window.__left && document.readyState === 'complete'"
            " && location.pathname === '/console'"
        )
        assert page.evaluate("document.title").startswith("Partner Console")


def test_no_key_a_wrong_key_or_another_partner_shows_none_of_it(
    sandbox: RunningSandbox,
    made: Made,
    browser: tuple[Browser, Path],
    cli: Callable[..., str],
    sandbox_db: Path,
) -> None:
    page, _ = browser
    other_name = f"Other Partner {uuid.uuid4().hex[:8]}"
    other = cli("keys", "add-partner", "--db", str(sandbox_db), "--name", other_name)
    ours = (
        made.unique,
        made.invoice_id,
        made.invoice_number,
        made.attachment_id,
        made.email,
        "onerror",
        sandbox.api_key,
    )
    for path in ("/console/attachments", "/console/documents"):
        for query in ("", "?apiKey=NOTAKEY", f"?apiKey={other}"):
            page.open(f"{sandbox.root_url}{path}{query}")
            shown = page.evaluate("document.documentElement.outerHTML")
            for value in ours:
                assert value not in shown, (path, query, value)
            if query.endswith(other):
                assert page.evaluate("location.pathname") == path
                assert other_name in page.evaluate(
                    "document.getElementById('provider').textContent"
                )
            else:
                assert page.evaluate("location.pathname") != path, "sent to the login"
            no_markup_ran(page)
    # another partner's key opens neither our file nor our PDF
    file = served(
        sandbox,
        "/console/attachments/file",
        apiKey=other,
        attachment=made.attachment_id,
    )
    assert file.status_code == 404 and made.content not in file.content
    mine = served(
        sandbox,
        "/console/pdf",
        apiKey=sandbox.api_key,
        tenant=sandbox.tenant_id,
        resource="invoices",
        id=made.invoice_id,
    )
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF-"), "the control"
    for resource in ("invoices", "Invoices"):
        pdf = served(
            sandbox,
            "/console/pdf",
            apiKey=other,
            tenant=sandbox.tenant_id,
            resource=resource,
            id=made.invoice_id,
        )
        assert pdf.status_code == 404 and not pdf.content.startswith(b"%PDF")
