"""Attachments: files on Accounts, BankTransactions, BankTransfers, Contacts, CreditNotes,
Invoices, ManualJournals, PurchaseOrders, Quotes, Receipts and RepeatingInvoices.

- ``GET {R}/{id}/Attachments``: the document's ``<Attachments>`` (AttachmentID, FileName, Url,
  MimeType, ContentLength, IncludeOnline), oldest first.
- ``GET {R}/{id}/Attachments/{AttachmentID or FileName}``: the file's bytes with its
  ``Content-Type`` and ``Content-Length``, sent from storage chunk by chunk.
- ``PUT`` or ``POST {R}/{id}/Attachments/{FileName}[?IncludeOnline=true]``: the raw body is the
  file (``Content-Type`` its type); the answer is ``<Attachments>`` with the record saved. A name
  uploaded again replaces that file. No DELETE exists (as in Xero).

Contents are kept in files, never in memory or in the database: the app streams an upload's
body to a file in the store's attachment folder (``<db file>.attachments/`` beside a SQLite
file, a temporary folder for an in-memory store) while it reads it, refusing a body over the
configured size (``XERO_SANDBOX_ATTACHMENT_MAX_BYTES`` / ``--attachment-max-bytes``, default
10 MB, Xero's figure) with Xero's 413 JSON, from its ``Content-Length`` before reading any of
it when one is sent. The handler then moves the file under its storage name; a download opens
the file and the app sends it in chunks. The table below keeps what Xero says of each file.

The 413 is answered before the token is looked at (a gateway's limit, as Xero's answer's
shape suggests), and what the client still sends is then read and dropped, up to a bound,
so that closing the connection does not reset it before the client reads the answer.

Scopes: ``accounting.attachments`` (``accounting.attachments.read`` for the GETs), as Xero's.
A record's ``HasAttachments`` comes from :func:`has_attachments` (one indexed lookup), and a
GET of one Contact, Invoice, PurchaseOrder, Receipt or RepeatingInvoice carries its
``<Attachments>`` (:func:`include_in_record`).

Facts (reference section 4): the 11 resources, the calls and their answers, 10 files per
document, 10 MB per file (2026; 3 MB in older sources) and the 413's body, re-uploading a
name replaces the file, ``IncludeOnline`` on invoices and credit notes, no DELETE.
Inferred (marked ``# inferred:`` where applied): file names of 1 to 255 characters without
``/``, ``\\`` or control characters, and the wording of every 400; a file name matched
without regard to case; a replaced file keeps its AttachmentID; ``IncludeOnline`` ignored
elsewhere than on invoices and credit notes; the type guessed from the name when the upload
has no ``Content-Type``; only a GUID names the document (a 404 otherwise).
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from lxml import etree
from xero_customer_api.v2_0 import models

from ...http import FileBody, Response, json_response
from ...store import Store, new_guid
from .. import codec
from ..errors import POST_DATA_INVALID, VALIDATION, ApiError

if TYPE_CHECKING:
    from ..service import Answer, Call, Service

#: The scope family of every attachments call (``.read`` suffices for GETs).
SCOPE = "accounting.attachments"
#: Environment variable of the largest file accepted, in bytes.
MAX_BYTES_ENV = "XERO_SANDBOX_ATTACHMENT_MAX_BYTES"
#: Xero's limit per file (its 2026 figure; older sources say 3 MB): 10 MB.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Files per document [DOC community.xero.com 3095073; ISSUE xero-node PR#15].
MAX_PER_DOCUMENT = 10
#: Longest file name. # inferred: Xero's limit is not in the facts; 255 as file systems have.
MAX_NAME = 255
PREFIX = "/api.xro/2.0/"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS attachments (
    attachment_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, resource TEXT NOT NULL,
    parent_id TEXT NOT NULL, file_name TEXT NOT NULL, name_key TEXT NOT NULL,
    mime_type TEXT NOT NULL, size INTEGER NOT NULL, include_online INTEGER NOT NULL,
    storage TEXT NOT NULL, seq INTEGER NOT NULL, UNIQUE (org_id, parent_id, name_key));
CREATE INDEX IF NOT EXISTS attachments_by_parent ON attachments (org_id, parent_id);
"""


@dataclass(frozen=True)
class Parent:
    """A resource that takes attachments: its path word and how to find one of its records."""

    name: str  # as in Xero's paths: Invoices
    exists: str  # SQL: 1 when the record (org_id, id) exists
    label: str  # SQL: a few words naming the record (org_id, id), for the console


def _sales(kind: str) -> tuple[str, str]:
    where = f" FROM sales_records WHERE org_id = ? AND record_id = ? AND kind = '{kind}'"
    return "SELECT 1" + where, "SELECT coalesce(key, '')" + where


#: Lower-cased path word -> the resource (the 11 Xero gives attachments [SPEC]).
PARENTS: dict[str, Parent] = {
    "accounts": Parent(
        "Accounts",
        "SELECT 1 FROM accounts WHERE org_id = ? AND account_id = ?",
        "SELECT code FROM accounts WHERE org_id = ? AND account_id = ?",
    ),
    "banktransactions": Parent(
        "BankTransactions",
        "SELECT 1 FROM bank_transactions WHERE org_id = ? AND bank_transaction_id = ?",
        "SELECT '' FROM bank_transactions WHERE org_id = ? AND bank_transaction_id = ?",
    ),
    "banktransfers": Parent(
        "BankTransfers",
        "SELECT 1 FROM bank_transfers WHERE org_id = ? AND bank_transfer_id = ?",
        "SELECT '' FROM bank_transfers WHERE org_id = ? AND bank_transfer_id = ?",
    ),
    "contacts": Parent(
        "Contacts",
        "SELECT 1 FROM contacts WHERE org_id = ? AND contact_id = ?",
        "SELECT json_extract(body, '$.name') FROM contacts WHERE org_id = ? AND contact_id = ?",
    ),
    "creditnotes": Parent(
        "CreditNotes",
        "SELECT 1 FROM credit_notes WHERE org_id = ? AND credit_note_id = ?",
        "SELECT number FROM credit_notes WHERE org_id = ? AND credit_note_id = ?",
    ),
    "invoices": Parent(
        "Invoices",
        "SELECT 1 FROM invoices WHERE org_id = ? AND invoice_id = ?",
        "SELECT number FROM invoices WHERE org_id = ? AND invoice_id = ?",
    ),
    "manualjournals": Parent(
        "ManualJournals",
        "SELECT 1 FROM manual_journals WHERE org_id = ? AND manual_journal_id = ?",
        "SELECT '' FROM manual_journals WHERE org_id = ? AND manual_journal_id = ?",
    ),
    "purchaseorders": Parent("PurchaseOrders", *_sales("purchase_order")),
    "quotes": Parent("Quotes", *_sales("quote")),
    "receipts": Parent(
        "Receipts",
        "SELECT 1 FROM receipts WHERE org_id = ? AND receipt_id = ?",
        "SELECT '' FROM receipts WHERE org_id = ? AND receipt_id = ?",
    ),
    "repeatinginvoices": Parent("RepeatingInvoices", *_sales("repeating_invoice")),
}
#: Where ``IncludeOnline=true`` is taken (the spec's PUT on Invoices and CreditNotes).
ONLINE = frozenset({"invoices", "creditnotes"})
#: The read types whose GET of one record carries ``<Attachments>`` (types.xsd).
LISTED_IN_RECORD = {
    "contacts": "ContactID",
    "invoices": "InvoiceID",
    "purchaseorders": "PurchaseOrderID",
    "receipts": "ReceiptID",
    "repeatinginvoices": "RepeatingInvoiceID",
}


# ----------------------------------------------------------------------------- limits


def max_bytes(configured: int | None = None) -> int:
    """The largest file accepted: *configured* (``--attachment-max-bytes``), else the
    ``XERO_SANDBOX_ATTACHMENT_MAX_BYTES`` environment variable, else 10 MB."""
    if configured is not None:
        return configured
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if raw:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(
                f"{MAX_BYTES_ENV} must be a whole number of bytes, not {raw!r}"
            ) from None
        if value < 1:
            raise ValueError(f"{MAX_BYTES_ENV} must be at least 1, not {value}")
        return value
    return DEFAULT_MAX_BYTES


def too_large() -> Response:
    """Xero's answer to a file over the limit [ISSUE Xero-Java#349]: 413 and a JSON problem."""
    return json_response(
        413,
        {"Title": "RequestEntityTooLarge", "Status": 413, "Detail": "PayloadTooLarge"},
        [(b"connection", b"close")],
    )


def upload_name(method: str, raw_path: str) -> str | None:
    """The percent-decoded file name of an upload (``PUT|POST /api.xro/2.0/{R}/{id}/
    Attachments/{FileName}`` on one of the 11 resources), else None: the app streams such a
    body to a file. *raw_path* is the path as sent (a name may hold an encoded ``/``)."""
    if method.upper() not in ("PUT", "POST") or not raw_path.lower().startswith(PREFIX.lower()):
        return None
    parts = raw_path[len(PREFIX) :].split("/")
    if len(parts) != 4 or parts[2].lower() != "attachments" or not parts[3]:
        return None
    if unquote(parts[0]).lower() not in PARENTS:
        return None
    return unquote(parts[3])


def routed_path(raw_path: str) -> str:
    """The path an upload is routed by: decoded, but its file name left as sent (so that an
    encoded ``/`` in a name stays one segment; the handler reads the decoded name)."""
    head, _, name = raw_path.rpartition("/")
    return unquote(head) + "/" + name


def name_problem(name: str) -> str | None:
    """Why a file name is refused, or None.

    # inferred: Xero's rules for names are not in the facts: 1 to 255 characters, no ``/``,
    ``\\`` or control characters (the wording is the sandbox's)."""
    if not name.strip():
        return "The file name must not be empty."
    if len(name) > MAX_NAME:
        return f"The file name must be at most {MAX_NAME} characters long, not {len(name)}."
    if "/" in name or "\\" in name:
        return "The file name must not contain '/' or '\\'."
    if any(unicodedata.category(c) == "Cc" for c in name):
        return "The file name must not contain control characters."
    return None


# ----------------------------------------------------------------------------- storage

_folders: weakref.WeakKeyDictionary[Store, Path] = weakref.WeakKeyDictionary()
_folders_lock = threading.Lock()


def folder(store: Store) -> Path:
    """Where *store* keeps attachment contents: ``<db file>.attachments/`` beside a SQLite
    file; a temporary folder (removed with the store) for an in-memory store."""
    with _folders_lock:  # the event loop and worker threads may ask at once
        return _folder(store)


def _folder(store: Store) -> Path:
    found = _folders.get(store)
    if found is None:
        target = str(store._target)  # the file, or a memory URI
        if store._memory:
            found = Path(tempfile.mkdtemp(prefix="xero-sandbox-attachments-"))
            weakref.finalize(store, shutil.rmtree, str(found), True)
        else:
            db = Path(target)
            found = db.with_name(db.name + ".attachments")
            found.mkdir(parents=True, exist_ok=True)
        _folders[store] = found
    return found


def close(store: Store) -> None:
    """Remove an in-memory store's temporary folder of contents (a file store keeps its
    folder beside the SQLite file). Called when the server stops: a process that ends by
    its stop signal runs no exit hooks."""
    with _folders_lock:
        found = _folders.pop(store, None)
    if found is not None and store._memory:
        shutil.rmtree(found, ignore_errors=True)


def incoming(store: Store) -> tuple[int, Path]:
    """A new file (open descriptor and path) to stream an upload's body into."""
    fd, path = tempfile.mkstemp(prefix="incoming-", dir=folder(store))
    return fd, Path(path)


# ----------------------------------------------------------------------------- reads


def has_attachments(store: Store, org_id: int, record_id: str | None) -> bool:
    """Whether a record has at least one attachment (``HasAttachments``); the caller holds a
    read or write transaction of *store*."""
    if not record_id:
        return False
    row = store._one(
        "SELECT 1 FROM attachments WHERE org_id = ? AND parent_id = ? LIMIT 1",
        org_id,
        record_id.lower(),
    )
    return row is not None


@dataclass(frozen=True)
class Stored:
    """One attachment as kept."""

    attachment_id: str
    resource: str
    parent_id: str
    file_name: str
    mime_type: str
    size: int
    include_online: bool
    storage: str


_COLUMNS = "attachment_id, resource, parent_id, file_name, mime_type, size, include_online, storage"


def _stored(row: Any) -> Stored:
    return Stored(
        str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), int(row[5]),
        bool(row[6]), str(row[7]),
    )  # fmt: skip


def attachments_of(store: Store, org_id: int, parent_id: str) -> list[Stored]:
    """A record's attachments, oldest first."""
    rows = store._all(
        f"SELECT {_COLUMNS} FROM attachments WHERE org_id = ? AND parent_id = ? ORDER BY seq",
        org_id,
        parent_id.lower(),
    )
    return [_stored(r) for r in rows]


def documents_with_attachments(
    store: Store, org_id: int
) -> list[tuple[str, str, str, list[Stored]]]:
    """Each record of an organisation that has attachments, newest upload first: (resource
    path word, record id, a label such as its number, its attachments) (for the console)."""
    rows = store._all(
        f"SELECT {_COLUMNS} FROM attachments WHERE org_id = ? ORDER BY seq DESC", org_id
    )
    grouped: dict[tuple[str, str], list[Stored]] = {}
    for row in rows:
        item = _stored(row)
        grouped.setdefault((item.resource, item.parent_id), []).append(item)
    found = []
    for (resource, parent_id), items in grouped.items():
        parent = PARENTS[resource]
        label = store._one(parent.label, org_id, parent_id)
        found.append((resource, parent_id, str(label[0] or "") if label else "", items[::-1]))
    return found


def attachment_by_id(store: Store, org_id: int, attachment_id: str) -> Stored | None:
    """One attachment of an organisation by its id (for the console's downloads)."""
    row = store._one(
        f"SELECT {_COLUMNS} FROM attachments WHERE org_id = ? AND attachment_id = ?",
        org_id,
        attachment_id.lower(),
    )
    return None if row is None else _stored(row)


def open_file(store: Store, item: Stored) -> FileBody:
    """The stored bytes of an attachment, to send chunk by chunk (the file stays readable
    even if a replacement removes it meanwhile)."""
    return FileBody((folder(store) / item.storage).open("rb"), item.size)


def download(store: Store, item: Stored) -> Response:
    """The raw answer of a download: the bytes with the stored type and length."""
    return Response(
        200, b"", item.mime_type.encode("latin-1", "replace"), file=open_file(store, item)
    )


# ----------------------------------------------------------------------------- handlers


def _not_found() -> Exception:
    from ..service import NotFound

    return NotFound()


def _parent(service: Service, call: Call) -> tuple[str, str]:
    """The path's resource word and record id, once the record exists in this organisation
    (else 404, as Xero answers an unknown document)."""
    resource = call.segments[0].lower()
    parent = PARENTS[resource]
    record_id = call.segments[1]
    # inferred: only the record's GUID names it here (not an invoice number)
    if not _GUID.match(record_id):
        raise _not_found()
    if service.store._one(parent.exists, call.org.org_id, record_id.lower()) is None:
        raise _not_found()
    return resource, record_id.lower()


def _model(call: Call, item: Stored) -> models.Attachment:
    name = PARENTS[item.resource].name
    url = f"{call.root_url}{PREFIX}{name}/{item.parent_id}/Attachments/{quote(item.file_name, safe='')}"
    return models.Attachment(
        attachment_id=item.attachment_id,
        file_name=item.file_name,
        url=url,
        mime_type=item.mime_type,
        content_length=item.size,
        include_online=item.include_online,
    )


def _answer(call: Call, items: list[Stored]) -> Answer:
    from ..service import Answer

    elements = [codec.entity(_model(call, item)) for item in items]
    return Answer(200, codec.envelope(call.provider, "Attachments", elements))


def list_attachments(service: Service, call: Call) -> Answer:
    """GET {R}/{id}/Attachments."""
    _, record_id = _parent(service, call)
    return _answer(call, attachments_of(service.store, call.org.org_id, record_id))


def get_attachment(service: Service, call: Call) -> Response:
    """GET {R}/{id}/Attachments/{AttachmentID or FileName}: the bytes, streamed."""
    _, record_id = _parent(service, call)
    key = call.segments[3]
    items = attachments_of(service.store, call.org.org_id, record_id)
    found = next((i for i in items if _GUID.match(key) and i.attachment_id == key.lower()), None)
    if found is None:
        # inferred: a file name matches without regard to case (Xero's file store does)
        folded = key.casefold()
        found = next((i for i in items if i.file_name.casefold() == folded), None)
    if found is None:
        raise _not_found()
    return download(service.store, found)


def _include_online(call: Call, resource: str) -> bool:
    value = next((v for k, v in call.query.items() if k.lower() == "includeonline"), "")
    if value.lower() not in ("", "true", "false"):
        raise ApiError(
            POST_DATA_INVALID, f"IncludeOnline must be true or false, not '{value[:60]}'."
        )
    # inferred: elsewhere than on invoices and credit notes the flag is ignored (never online)
    return value.lower() == "true" and resource in ONLINE


def _mime_type(call: Call, file_name: str) -> str:
    """The file's type: the request's Content-Type, else guessed from the name.

    # inferred: Xero's fallback is not in the facts (any other MIME type is accepted)."""
    sent = call.headers.get("content-type", "").strip()
    if sent and len(sent) <= 255 and sent.isprintable():
        return sent
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"


def put_attachment(service: Service, call: Call) -> Answer:
    """PUT or POST {R}/{id}/Attachments/{FileName}: save the body as that file (replacing the
    file of that name, if any)."""
    resource, record_id = _parent(service, call)
    upload = call.upload
    name = upload.file_name if upload is not None else call.segments[3]
    problem = name_problem(name)
    if problem is not None:
        raise ApiError(VALIDATION, problem)
    include_online = _include_online(call, resource)
    store, org = service.store, call.org.org_id
    items = attachments_of(store, org, record_id)
    folded = name.casefold()
    previous = next((i for i in items if i.file_name.casefold() == folded), None)
    if previous is None and len(items) >= MAX_PER_DOCUMENT:
        # inferred: Xero's wording is not in the facts; the limit is [DOC] 10 per document
        raise ApiError(
            VALIDATION,
            f"A document can have at most {MAX_PER_DOCUMENT} attachments; this one already has"
            f" {len(items)}.",
        )
    home = folder(store)
    storage = uuid.uuid4().hex
    if upload is not None:
        os.replace(upload.path, home / storage)  # the app's streamed copy becomes the file
        size = upload.size
    else:  # a body the app read whole (a request that reached the handler another way)
        (home / storage).write_bytes(call.body)
        size = len(call.body)
    saved = Stored(
        attachment_id=previous.attachment_id if previous is not None else new_guid(),
        resource=resource,
        parent_id=record_id,
        file_name=name,
        mime_type=_mime_type(call, name),
        size=size,
        include_online=include_online,
        storage=storage,
    )
    try:
        if previous is not None:
            # inferred: a replaced file keeps its AttachmentID
            store._conn.execute(
                "UPDATE attachments SET file_name = ?, name_key = ?, mime_type = ?, size = ?,"
                " include_online = ?, storage = ? WHERE attachment_id = ?",
                (name, folded, saved.mime_type, size, int(include_online), storage,
                 previous.attachment_id),
            )  # fmt: skip
        else:
            store._conn.execute(
                "INSERT INTO attachments (attachment_id, org_id, resource, parent_id, file_name,"
                " name_key, mime_type, size, include_online, storage, seq) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " (SELECT coalesce(max(seq), 0) + 1 FROM attachments))",
                (saved.attachment_id, org, resource, record_id, name, folded, saved.mime_type,
                 size, int(include_online), storage),
            )  # fmt: skip
    except BaseException:
        (home / storage).unlink(missing_ok=True)
        raise
    from . import history  # imports the service, which imports this module

    # inferred: the wording of both entries (Xero's is not in the facts)
    changes = "Attachment replaced" if previous is not None else "Attachment added"
    history.record(store, org, resource, record_id, changes, name)
    if previous is not None:
        # the old bytes go; a download in progress still reads them from its open file
        with contextlib.suppress(OSError):
            (home / previous.storage).unlink()
    return _answer(call, [saved])


# ----------------------------------------------------------------------------- the record


def include_in_record(service: Service, call: Call, root: etree._Element) -> None:
    """A GET of one Contact, Invoice, PurchaseOrder, Receipt or RepeatingInvoice carries its
    ``<Attachments>`` (the types that have the element), when it has any."""
    resource = call.segments[0].lower()
    id_tag = LISTED_IN_RECORD.get(resource)
    if id_tag is None:
        return
    for holder in root:
        for record in holder:
            record_id = record.findtext(id_tag)
            if not record_id or record.findtext("HasAttachments") != "true":
                continue
            items = attachments_of(service.store, call.org.org_id, record_id)
            if not items:
                continue
            wrapper = record.find("Attachments")
            if wrapper is None:
                wrapper = etree.SubElement(record, "Attachments")
            for child in list(wrapper):
                wrapper.remove(child)
            for item in items:
                wrapper.append(codec.entity(_model(call, item)))


#: The routes: the 11 resources' attachments (the scope family is accounting.attachments).
ROUTES: dict[tuple[str, str, int, str], tuple[Any, str]] = {}
for _word in PARENTS:
    ROUTES[("GET", _word, 3, "attachments")] = (list_attachments, SCOPE)
    ROUTES[("GET", _word, 4, "attachments")] = (get_attachment, SCOPE)
    ROUTES[("PUT", _word, 4, "attachments")] = (put_attachment, SCOPE)
    ROUTES[("POST", _word, 4, "attachments")] = (put_attachment, SCOPE)
