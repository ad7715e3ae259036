"""Attachments in the sandbox over real sockets: raw httpx against ``xero-sandbox serve``
processes (HTTPS), one with a 30 MB limit (``--attachment-max-bytes``) and one with a 4 KB
limit (``XERO_SANDBOX_ATTACHMENT_MAX_BYTES``).

Upload, list and download by id and by name, replacing a file, the limits (413 from the
Content-Length before the body is read, 10 files per document, file names), 404s, scopes,
``HasAttachments`` and ``<Attachments>`` on the records, the console's page and downloads,
and memory: a 20 MB upload and download move the server's peak RSS by a few MB at most.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from lxml import etree
from xero_sandbox.process import RunningSandbox, launch
from xero_sandbox.v2_0.service import ROUTES

MB = 1024 * 1024
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "v2.0"
ALL_SCOPES = (
    "accounting.transactions accounting.contacts accounting.settings accounting.attachments"
)
RESOURCES = (
    "Accounts",
    "BankTransactions",
    "BankTransfers",
    "Contacts",
    "CreditNotes",
    "Invoices",
    "ManualJournals",
    "PurchaseOrders",
    "Quotes",
    "Receipts",
    "RepeatingInvoices",
)


@pytest.fixture(scope="module")
def big() -> Iterator[RunningSandbox]:
    """A sandbox taking files up to 30 MB (``--attachment-max-bytes``), rate limits off."""
    running = launch(["--no-limits", "--attachment-max-bytes", str(30 * MB)])
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file of the small sandbox (its files go to ``small.db.attachments/``)."""
    return tmp_path_factory.mktemp("attachments") / "small.db"


@pytest.fixture(scope="module")
def small(small_db: Path) -> Iterator[RunningSandbox]:
    """A sandbox taking files up to 4096 bytes (``XERO_SANDBOX_ATTACHMENT_MAX_BYTES``), its
    data in a file."""
    running = launch(
        ["--no-limits", "--db", str(small_db)], env={"XERO_SANDBOX_ATTACHMENT_MAX_BYTES": "4096"}
    )
    try:
        yield running
    finally:
        running.stop()


def connect(sandbox: RunningSandbox, scope: str = ALL_SCOPES) -> httpx.Client:
    """A client of 2.0 with a client-credentials token of *scope* and the Demo Company."""
    token = httpx.post(
        sandbox.token_url,
        data={"grant_type": "client_credentials", "scope": scope},
        auth=(sandbox.client_id, sandbox.client_secret),
        verify=sandbox.verify(),
    )
    assert token.status_code == 200, token.text
    headers = {
        "Authorization": f"Bearer {token.json()['access_token']}",
        "xero-tenant-id": sandbox.tenant_id,
    }
    return httpx.Client(
        base_url=sandbox.v2_base_url, verify=sandbox.verify(), timeout=60, headers=headers
    )


@pytest.fixture(scope="module")
def api(big: RunningSandbox) -> Iterator[httpx.Client]:
    with connect(big) as http:
        yield http


@pytest.fixture(scope="module")
def api_small(small: RunningSandbox) -> Iterator[httpx.Client]:
    with connect(small) as http:
        yield http


def first(body: bytes, tag: str) -> str:
    found = re.search(rb"<" + tag.encode() + rb">([^<]*)</", body)
    assert found is not None, body[:2000]
    return found.group(1).decode()


def create(http: httpx.Client, resource: str, xml: str, id_tag: str) -> str:
    answer = http.put(resource, content=xml.encode())
    assert answer.status_code == 200, answer.text
    return first(answer.content, id_tag)


def new_contact(http: httpx.Client) -> str:
    name = f"Attach {uuid.uuid4().hex[:8]}"
    return create(http, "Contacts", f"<Contact><Name>{name}</Name></Contact>", "ContactID")


LINES = (
    "<LineItems><LineItem><Description>Work</Description><Quantity>1</Quantity>"
    "<UnitAmount>10.00</UnitAmount><AccountCode>200</AccountCode></LineItem></LineItems>"
)


def new_invoice(http: httpx.Client) -> str:
    xml = (
        f"<Invoice><Type>ACCREC</Type><Contact><Name>Inv {uuid.uuid4().hex[:8]}</Name></Contact>"
        f"<Date>2026-07-01</Date><DueDate>2026-07-31</DueDate>{LINES}</Invoice>"
    )
    return create(http, "Invoices", xml, "InvoiceID")


def upload(
    http: httpx.Client,
    resource: str,
    record_id: str,
    name: str,
    content: bytes,
    content_type: str = "text/plain",
    method: str = "PUT",
    **params: str,
) -> httpx.Response:
    return http.request(
        method,
        f"{resource}/{record_id}/Attachments/{quote(name, safe='')}",
        content=content,
        headers={"Content-Type": content_type},
        params=params,
    )


def attachments(answer: httpx.Response) -> list[dict[str, str]]:
    """The ``<Attachment>`` records of an answer, valid against AttachmentsResponse."""
    assert answer.status_code == 200, answer.text
    root = etree.fromstring(answer.content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "responses" / "attachments_response.xsd")))
    assert schema.validate(root), str(schema.error_log)
    return [{child.tag: child.text or "" for child in item} for item in root.iter("Attachment")]


# ----------------------------------------------------------------------------- round trips


def test_upload_list_and_download_by_id_and_by_name(api: httpx.Client, big: RunningSandbox) -> None:
    invoice = new_invoice(api)
    content = os.urandom(3000)
    saved = attachments(
        upload(api, "Invoices", invoice, "Receipt Ünïcode #1.pdf", content, "application/pdf")
    )
    assert len(saved) == 1
    item = saved[0]
    assert GUID.match(item["AttachmentID"])
    assert item["FileName"] == "Receipt Ünïcode #1.pdf"
    assert item["MimeType"] == "application/pdf"
    assert item["ContentLength"] == "3000"
    assert item["IncludeOnline"] == "false"
    assert item["Url"] == (
        f"{big.v2_base_url}Invoices/{invoice}/Attachments/{quote('Receipt Ünïcode #1.pdf', safe='')}"
    )

    listed = attachments(api.get(f"Invoices/{invoice}/Attachments"))
    assert listed == saved

    by_id = api.get(f"Invoices/{invoice}/Attachments/{item['AttachmentID']}")
    assert by_id.status_code == 200
    assert by_id.content == content
    assert by_id.headers["content-type"] == "application/pdf"
    assert by_id.headers["content-length"] == "3000"

    by_name = api.get(f"Invoices/{invoice}/Attachments/{quote('receipt üNÏcode #1.PDF', safe='')}")
    assert by_name.status_code == 200 and by_name.content == content  # case-insensitive (inferred)

    via_url = api.get(item["Url"])  # the Url of the record downloads the file
    assert via_url.status_code == 200 and via_url.content == content


def test_a_name_uploaded_again_replaces_the_file(api: httpx.Client) -> None:
    contact = new_contact(api)
    first_save = attachments(upload(api, "Contacts", contact, "notes.txt", b"version one"))[0]
    upload(api, "Contacts", contact, "other.txt", b"another file")
    again = attachments(
        upload(api, "Contacts", contact, "NOTES.txt", b"version two!", "text/markdown", "POST")
    )[0]
    # inferred: the replaced file keeps its AttachmentID; the new name's spelling is kept
    assert again["AttachmentID"] == first_save["AttachmentID"]
    assert again["FileName"] == "NOTES.txt" and again["ContentLength"] == "12"
    listed = attachments(api.get(f"Contacts/{contact}/Attachments"))
    assert [a["FileName"] for a in listed] == ["NOTES.txt", "other.txt"]
    body = api.get(f"Contacts/{contact}/Attachments/notes.txt")
    assert body.content == b"version two!" and body.headers["content-type"] == "text/markdown"
    put_again = attachments(upload(api, "Contacts", contact, "other.txt", b"third", method="PUT"))
    assert put_again[0]["ContentLength"] == "5"
    assert len(attachments(api.get(f"Contacts/{contact}/Attachments"))) == 2
    # the contact's history says what happened (inferred wording), oldest first
    history = etree.fromstring(api.get(f"Contacts/{contact}/History").content)
    entries = [
        (r.findtext("Changes"), r.findtext("Details"))
        for r in history.iter("HistoryRecord")
        if (r.findtext("Changes") or "").startswith("Attachment")
    ]
    assert entries == [
        ("Attachment added", "notes.txt"),
        ("Attachment added", "other.txt"),
        ("Attachment replaced", "NOTES.txt"),
        ("Attachment replaced", "other.txt"),
    ]


def test_include_online_on_invoices_and_credit_notes_only(api: httpx.Client) -> None:
    invoice = new_invoice(api)
    online = attachments(
        upload(api, "Invoices", invoice, "terms.pdf", b"%PDF", IncludeOnline="true")
    )
    assert online[0]["IncludeOnline"] == "true"
    note = create(
        api,
        "CreditNotes",
        f"<CreditNote><Type>ACCRECCREDIT</Type><Contact><Name>CN {uuid.uuid4().hex[:6]}</Name>"
        f"</Contact><Date>2026-07-01</Date>{LINES}</CreditNote>",
        "CreditNoteID",
    )
    on_note = attachments(upload(api, "CreditNotes", note, "a.txt", b"a", IncludeOnline="true"))
    assert on_note[0]["IncludeOnline"] == "true"
    contact = new_contact(api)
    ignored = attachments(upload(api, "Contacts", contact, "a.txt", b"a", IncludeOnline="true"))
    assert ignored[0]["IncludeOnline"] == "false"  # inferred: only invoices and credit notes
    bad = upload(api, "Invoices", invoice, "b.txt", b"b", IncludeOnline="maybe")
    assert bad.status_code == 400


def test_no_content_type_is_guessed_from_the_name(api: httpx.Client) -> None:
    contact = new_contact(api)
    answer = api.put(f"Contacts/{contact}/Attachments/photo.png", content=b"\x89PNG")
    saved = attachments(answer)[0]
    # httpx sends no Content-Type for raw bytes: the sandbox guesses (inferred)
    assert saved["MimeType"] == "image/png"


# ----------------------------------------------------------------------------- the records


def test_has_attachments_and_the_attachments_of_a_record(api: httpx.Client) -> None:
    invoice = new_invoice(api)
    before = api.get(f"Invoices/{invoice}")
    assert "<HasAttachments>false</HasAttachments>" in before.text
    upload(api, "Invoices", invoice, "one.txt", b"1")
    upload(api, "Invoices", invoice, "two.txt", b"22")
    after = api.get(f"Invoices/{invoice}")
    assert "<HasAttachments>true</HasAttachments>" in after.text
    root = etree.fromstring(after.content)
    names = [el.text for el in root.iterfind("Invoices/Invoice/Attachments/Attachment/FileName")]
    assert names == ["one.txt", "two.txt"]
    page = api.get("Invoices", params={"page": "1", "pageSize": "1000"})
    mine = [
        i
        for i in etree.fromstring(page.content).iter("Invoice")
        if i.findtext("InvoiceID") == invoice
    ]
    assert mine and mine[0].findtext("HasAttachments") == "true"

    contact = new_contact(api)
    assert "<HasAttachments>false</HasAttachments>" in api.get(f"Contacts/{contact}").text
    upload(api, "Contacts", contact, "card.vcf", b"BEGIN:VCARD", "text/vcard")
    got = api.get(f"Contacts/{contact}")
    assert "<HasAttachments>true</HasAttachments>" in got.text
    assert "<FileName>card.vcf</FileName>" in got.text

    accounts = etree.fromstring(api.get("Accounts").content)
    account = accounts.findtext("Accounts/Account/AccountID")
    assert account is not None
    upload(api, "Accounts", account, "chart.csv", b"a,b", "text/csv")
    assert "<HasAttachments>true</HasAttachments>" in api.get(f"Accounts/{account}").text
    listed = etree.fromstring(api.get("Accounts").content)
    flagged = {
        a.findtext("AccountID"): a.findtext("HasAttachments") for a in listed.iter("Account")
    }
    assert flagged[account] == "true"


@pytest.mark.parametrize(
    ("resource", "xml", "id_tag"),
    [
        (
            "BankTransactions",
            "<BankTransaction><Type>SPEND</Type><Contact><Name>Kea Couriers</Name></Contact>"
            "<LineItems><LineItem><Description>Courier</Description><UnitAmount>20.00</UnitAmount>"
            "<AccountCode>429</AccountCode></LineItem></LineItems>"
            "<BankAccount><Code>090</Code></BankAccount></BankTransaction>",
            "BankTransactionID",
        ),
        (
            "PurchaseOrders",
            f"<PurchaseOrder><Contact><Name>Supplier PO</Name></Contact>{LINES}</PurchaseOrder>",
            "PurchaseOrderID",
        ),
        (
            "CreditNotes",
            "<CreditNote><Type>ACCPAYCREDIT</Type><Contact><Name>Supplier CN</Name></Contact>"
            f"<Date>2026-07-01</Date>{LINES}</CreditNote>",
            "CreditNoteID",
        ),
    ],
)
def test_has_attachments_on_the_other_families(
    api: httpx.Client, resource: str, xml: str, id_tag: str
) -> None:
    record = create(api, resource, xml, id_tag)
    assert "<HasAttachments>false</HasAttachments>" in api.get(f"{resource}/{record}").text
    attachments(upload(api, resource, record, "scan.jpg", b"\xff\xd8\xff", "image/jpeg"))
    assert "<HasAttachments>true</HasAttachments>" in api.get(f"{resource}/{record}").text
    assert len(attachments(api.get(f"{resource}/{record}/Attachments"))) == 1


def test_a_receipt_and_a_manual_journal(api: httpx.Client) -> None:
    user = first(api.get("Users").content, "UserID")
    receipt = create(
        api,
        "Receipts",
        "<Receipt><Date>2026-07-03</Date><Contact><Name>Cafe Kowhai</Name></Contact>"
        "<LineItems><LineItem><Description>Lunch</Description><Quantity>1</Quantity>"
        "<UnitAmount>64.40</UnitAmount><AccountCode>420</AccountCode></LineItem></LineItems>"
        f"<User><UserID>{user}</UserID></User><LineAmountTypes>Inclusive</LineAmountTypes>"
        "</Receipt>",
        "ReceiptID",
    )
    upload(api, "Receipts", receipt, "lunch.jpg", b"\xff\xd8", "image/jpeg")
    got = etree.fromstring(api.get(f"Receipts/{receipt}").content)
    assert got.findtext("Receipts/Receipt/HasAttachments") == "true"
    assert got.findtext("Receipts/Receipt/Attachments/Attachment/FileName") == "lunch.jpg"

    journal = create(
        api,
        "ManualJournals",
        "<ManualJournal><Narration>Accrual</Narration><JournalLines>"
        "<JournalLine><LineAmount>50.00</LineAmount><AccountCode>429</AccountCode></JournalLine>"
        "<JournalLine><LineAmount>-50.00</LineAmount><AccountCode>800</AccountCode></JournalLine>"
        "</JournalLines></ManualJournal>",
        "ManualJournalID",
    )
    assert "<HasAttachments>false</HasAttachments>" in api.get(f"ManualJournals/{journal}").text
    upload(api, "ManualJournals", journal, "workings.xlsx", b"PK", "application/vnd.ms-excel")
    assert "<HasAttachments>true</HasAttachments>" in api.get(f"ManualJournals/{journal}").text
    listed = etree.fromstring(api.get("ManualJournals").content)
    flags = {
        j.findtext("ManualJournalID"): j.findtext("HasAttachments")
        for j in listed.iter("ManualJournal")
    }
    assert flags[journal] == "true"


# ----------------------------------------------------------------------------- limits


def test_ten_files_per_document(api: httpx.Client) -> None:
    contact = new_contact(api)
    for n in range(10):
        assert upload(api, "Contacts", contact, f"f{n}.txt", b"x").status_code == 200
    eleventh = upload(api, "Contacts", contact, "f10.txt", b"x")
    assert eleventh.status_code == 400
    assert "<Type>ValidationException</Type>" in eleventh.text
    assert "at most 10 attachments" in eleventh.text
    assert upload(api, "Contacts", contact, "F3.TXT", b"replaced").status_code == 200
    assert len(attachments(api.get(f"Contacts/{contact}/Attachments"))) == 10


@pytest.mark.parametrize(
    ("raw_name", "reason"),
    [
        ("a%2Fb.txt", "must not contain '/'"),
        ("a%5Cb.txt", "must not contain '/' or '\\'"),
        ("bell%07.txt", "control characters"),
        ("new%0Aline.txt", "control characters"),
        ("x" * 252 + ".txt", "at most 255 characters"),
        ("%20%20", "must not be empty"),
    ],
)
def test_file_names_xero_refuses(api: httpx.Client, raw_name: str, reason: str) -> None:
    contact = new_contact(api)
    answer = api.put(f"Contacts/{contact}/Attachments/{raw_name}", content=b"x")
    assert answer.status_code == 400, answer.text
    assert "<Type>ValidationException</Type>" in answer.text
    assert reason in answer.text.replace("&apos;", "'")
    assert attachments(api.get(f"Contacts/{contact}/Attachments")) == []


def test_a_255_character_name_is_taken(api: httpx.Client) -> None:
    contact = new_contact(api)
    name = "n" * 251 + ".txt"
    assert attachments(upload(api, "Contacts", contact, name, b"ok"))[0]["FileName"] == name


def test_a_file_over_the_limit_is_xeros_413(api_small: httpx.Client) -> None:
    contact = new_contact(api_small)
    fits = upload(
        api_small, "Contacts", contact, "fits.bin", b"f" * 4096, "application/octet-stream"
    )
    assert fits.status_code == 200
    over = upload(api_small, "Contacts", contact, "over.bin", b"o" * 4097)
    assert over.status_code == 413
    assert over.headers["content-type"] == "application/json"
    assert over.json() == {
        "Title": "RequestEntityTooLarge",
        "Status": 413,
        "Detail": "PayloadTooLarge",
    }

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b"c" * 1000

    chunked = api_small.put(f"Contacts/{contact}/Attachments/chunked.bin", content=chunks())
    assert chunked.status_code == 413
    assert chunked.json()["Detail"] == "PayloadTooLarge"

    def last_chunk_too_many() -> Iterator[bytes]:  # the limit crossed by the body's end
        yield b"a" * 4000
        yield b"b" * 200

    started = time.monotonic()
    ended = api_small.put(f"Contacts/{contact}/Attachments/end.bin", content=last_chunk_too_many())
    assert ended.status_code == 413 and time.monotonic() - started < 5
    listed = attachments(api_small.get(f"Contacts/{contact}/Attachments"))
    assert [a["FileName"] for a in listed] == ["fits.bin"]


def test_the_413_comes_from_the_content_length_before_the_body(small: RunningSandbox) -> None:
    """Headers announcing 1 GB and no body at all: the answer comes at once."""
    host, port = small.root_url.removeprefix("https://").rsplit(":", 1)
    context = ssl.create_default_context(cafile=small.ca_bundle)
    with (
        socket.create_connection((host, int(port)), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        path = f"/api.xro/2.0/Invoices/{uuid.uuid4()}/Attachments/huge.bin"
        tls.sendall(
            f"PUT {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/pdf\r\n"
            f"Content-Length: {1024 * MB}\r\n\r\n".encode()
        )
        started = time.monotonic()
        head = b""
        while b"}" not in head:  # the head and the JSON body, then the server closes
            more = tls.recv(4096)
            if not more:
                break
            head += more
        assert time.monotonic() - started < 5
    assert head.startswith(b"HTTP/1.1 413 "), head
    assert b"PayloadTooLarge" in head


def test_refused_uploads_leave_no_file_behind(
    small: RunningSandbox, api_small: httpx.Client, small_db: Path
) -> None:
    files = small_db.with_name(small_db.name + ".attachments")
    contact = new_contact(api_small)
    upload(api_small, "Contacts", contact, "kept.txt", b"v1")
    upload(api_small, "Contacts", contact, "kept.txt", b"v2")  # the old bytes go
    refused = [
        upload(api_small, "Contacts", contact, "big.bin", b"b" * 5000),  # 413
        upload(api_small, "Contacts", contact, "bad\\name.txt", b"x"),  # 400
        upload(api_small, "Contacts", str(uuid.uuid4()), "nowhere.txt", b"x"),  # 404
        httpx.put(  # 401: no token
            f"{small.v2_base_url}Contacts/{contact}/Attachments/anon.txt",
            content=b"x",
            verify=small.verify(),
        ),
    ]
    assert [r.status_code for r in refused] == [413, 400, 404, 401]
    assert not [f.name for f in files.iterdir() if f.name.startswith("incoming-")]
    with connect(small) as http:  # every stored file belongs to an attachment, and back
        stored = sum(
            len(attachments(http.get(f"Contacts/{c}/Attachments")))
            for c in (
                el.text for el in etree.fromstring(http.get("Contacts").content).iter("ContactID")
            )
        )
    assert len(list(files.iterdir())) == stored


def test_files_outlive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "restart.db"
    running = launch(["--no-limits", "--http", "--db", str(db)])
    try:
        with connect(running) as http:
            contact = new_contact(http)
            saved = attachments(upload(http, "Contacts", contact, "keep.bin", b"\x00kept\xff"))
    finally:
        running.stop()
    again = launch(["--no-limits", "--http", "--db", str(db)])
    try:
        with connect(again) as http:
            got = http.get(f"Contacts/{contact}/Attachments/{saved[0]['AttachmentID']}")
            assert got.status_code == 200 and got.content == b"\x00kept\xff"
            assert "<HasAttachments>true</HasAttachments>" in http.get(f"Contacts/{contact}").text
    finally:
        again.stop()


def test_an_idempotency_key_replays_an_upload(api: httpx.Client) -> None:
    contact = new_contact(api)
    key = {"Idempotency-Key": f"att-{uuid.uuid4()}"}
    first_answer = api.put(f"Contacts/{contact}/Attachments/once.txt", content=b"one", headers=key)
    replay = api.put(f"Contacts/{contact}/Attachments/once.txt", content=b"one", headers=key)
    assert replay.status_code == 200 and replay.headers["idempotent-replayed"] == "true"
    assert attachments(replay) == attachments(first_answer)
    other = api.put(f"Contacts/{contact}/Attachments/once.txt", content=b"two", headers=key)
    assert other.status_code == 400 and "Idempotency-Key" in other.text
    assert api.get(f"Contacts/{contact}/Attachments/once.txt").content == b"one"


def test_faults_cut_a_downloaded_file(api: httpx.Client, big: RunningSandbox) -> None:
    contact = new_contact(api)
    content = os.urandom(600 * 1024)
    upload(api, "Contacts", contact, "cut.bin", content, "application/octet-stream")
    hooks = httpx.Client(base_url=big.root_url, verify=big.verify())
    with hooks:
        spec = {"method": "GET", "path": "/api.xro/2.0/Contacts", "kind": "truncate"}
        assert hooks.post("/_sandbox/faults", json=spec).status_code == 201
        cut = api.get(f"Contacts/{contact}/Attachments/cut.bin")
        assert cut.status_code == 200 and cut.content == content[: len(content) // 2]
        assert hooks.post("/_sandbox/faults", json={**spec, "kind": "reset"}).status_code == 201
        with pytest.raises(httpx.TransportError):
            api.get(f"Contacts/{contact}/Attachments/cut.bin")
    assert api.get(f"Contacts/{contact}/Attachments/cut.bin").content == content


# ----------------------------------------------------------------------------- 404s and scopes


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_unknown_document_is_a_404(api: httpx.Client, resource: str) -> None:
    missing = uuid.uuid4()
    listed = api.get(f"{resource}/{missing}/Attachments")
    assert listed.status_code == 404 and listed.headers["content-type"].startswith("text/html")
    assert upload(api, resource, str(missing), "a.txt", b"a").status_code == 404
    assert api.get(f"{resource}/{missing}/Attachments/a.txt").status_code == 404


def test_other_404s(api: httpx.Client) -> None:
    contact = new_contact(api)
    upload(api, "Contacts", contact, "here.txt", b"here")
    assert api.get(f"Contacts/{contact}/Attachments/absent.txt").status_code == 404
    assert api.get(f"Contacts/{contact}/Attachments/{uuid.uuid4()}").status_code == 404
    assert api.get("Contacts/not-a-guid/Attachments").status_code == 404
    # a resource Xero gives no attachments
    assert api.get(f"Payments/{uuid.uuid4()}/Attachments").status_code == 404
    assert api.put(f"Items/{uuid.uuid4()}/Attachments/a.txt", content=b"a").status_code == 404


def test_scopes(big: RunningSandbox, api: httpx.Client) -> None:
    contact = new_contact(api)
    upload(api, "Contacts", contact, "s.txt", b"scoped")
    with connect(big, "accounting.contacts accounting.transactions") as without:
        listed = without.get(f"Contacts/{contact}/Attachments")
        assert listed.status_code == 403 and "accounting.attachments" in listed.text
        assert upload(without, "Contacts", contact, "t.txt", b"t").status_code == 403
        assert without.get(f"Contacts/{contact}/Attachments/s.txt").status_code == 403
    with connect(big, "accounting.contacts accounting.attachments.read") as reader:
        assert len(attachments(reader.get(f"Contacts/{contact}/Attachments"))) == 1
        assert reader.get(f"Contacts/{contact}/Attachments/s.txt").content == b"scoped"
        refused = upload(reader, "Contacts", contact, "t.txt", b"t")
        assert refused.status_code == 403
    assert len(attachments(api.get(f"Contacts/{contact}/Attachments"))) == 1


# ----------------------------------------------------------------------------- memory


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM back to the current RSS


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_a_20_mb_file_is_streamed_both_ways(
    api: httpx.Client, big: RunningSandbox, record_property: pytest.RecordProperty
) -> None:
    pid = big.process.pid
    invoice = new_invoice(api)
    # warm up: the code paths of an upload and a download, then the same at 1 MB
    upload(api, "Invoices", invoice, "warm.bin", os.urandom(MB), "application/octet-stream")
    with api.stream("GET", f"Invoices/{invoice}/Attachments/warm.bin") as warm:
        for _ in warm.iter_bytes():
            pass

    size = 20 * MB
    block = os.urandom(64 * 1024)

    def body() -> Iterator[bytes]:
        for _ in range(size // len(block)):
            yield block

    _reset_peak(pid)
    base = _status(pid, "VmRSS")
    saved = api.put(
        f"Invoices/{invoice}/Attachments/big.bin",
        content=body(),
        headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
    )
    up_growth = _status(pid, "VmHWM") - base
    assert attachments(saved)[0]["ContentLength"] == str(size)

    _reset_peak(pid)
    base = _status(pid, "VmRSS")
    received = 0
    with api.stream("GET", f"Invoices/{invoice}/Attachments/big.bin") as download:
        assert download.headers["content-length"] == str(size)
        for chunk in download.iter_bytes():
            assert chunk == block[: len(chunk)] or len(set(chunk)) > 1
            received += len(chunk)
    down_growth = _status(pid, "VmHWM") - base
    assert received == size
    record_property("upload_peak_rss_growth_mb", round(up_growth / MB, 2))
    record_property("download_peak_rss_growth_mb", round(down_growth / MB, 2))
    print(f"20 MB attachment: peak RSS growth upload {up_growth / MB:.2f} MB,"
          f" download {down_growth / MB:.2f} MB")  # fmt: skip
    assert up_growth <= 5 * MB, f"upload grew the peak RSS by {up_growth / MB:.1f} MB"
    assert down_growth <= 5 * MB, f"download grew the peak RSS by {down_growth / MB:.1f} MB"


# ----------------------------------------------------------------------------- console


def test_the_console_lists_attachments_with_downloads(
    api: httpx.Client, big: RunningSandbox
) -> None:
    invoice = new_invoice(api)
    saved = attachments(
        upload(api, "Invoices", invoice, '<b>"odd"&.html', b"<script>x</script>", "text/html")
    )
    with httpx.Client(base_url=big.root_url, verify=big.verify()) as web:
        key = {"apiKey": big.api_key}
        page = web.get("/console/attachments", params=key)
        assert page.status_code == 200
        assert big.api_key not in page.text  # the key is never in the page
        assert "&lt;b&gt;&quot;odd&quot;&amp;.html" in page.text and "<b>" not in page.text
        assert invoice in page.text
        assert f"attachment={saved[0]['AttachmentID']}" in page.text
        # a PDF link where the sandbox renders the document's PDF (GET Invoices/{id}/pdf)
        renders_pdf = ("GET", "invoices", 3, "pdf") in ROUTES
        assert ('class="pdf"' in page.text) == renders_pdf
        if renders_pdf:
            carried = f"tenant={big.tenant_id}&amp;resource=invoices&amp;id={invoice}"
            assert carried in page.text
            pdf = web.get(
                "/console/pdf",
                params={**key, "tenant": big.tenant_id, "resource": "invoices", "id": invoice},
            )
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        file = web.get(
            "/console/attachments/file", params={**key, "attachment": saved[0]["AttachmentID"]}
        )
        assert file.status_code == 200 and file.content == b"<script>x</script>"
        assert file.headers["content-disposition"].startswith("attachment;")
        assert file.headers["x-content-type-options"] == "nosniff"
        assert (
            web.get(
                "/console/attachments/file", params={**key, "attachment": str(uuid.uuid4())}
            ).status_code
            == 404
        )
        assert web.get("/console/attachments").status_code != 200  # no key: the login redirect
        assert (
            web.get(
                "/console/attachments/file", params={"attachment": saved[0]["AttachmentID"]}
            ).status_code
            != 200
        )
        home = web.get("/console", params=key)
        assert 'id="attachments" href="/console/attachments"' in home.text
        # the traffic log notes a file body by size and type, not its bytes
        assert "(18 bytes of text/html)" in home.text
