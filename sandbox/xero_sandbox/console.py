"""The partner console: recent traffic of one partner, keys redacted, rendered as HTML.

Like Xero's Partner Console, it lists each request with its method, path, status and time,
and the raw request and response bodies. Every key value is replaced by ``REDACTED`` before
an exchange leaves the log (:meth:`TrafficLog.recent`: the page and the export), and
everything shown is HTML-escaped. Redaction happens when the log is read, not on every
request: a busy sandbox (many organisations, large pages) would otherwise spend a quarter of
its time scrubbing bodies nobody looks at.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, unquote_plus, urlencode

if TYPE_CHECKING:
    from .http import Request, Response

REDACTED = "REDACTED"
_KEY_PARAMS = ("apiKey", "xeroKey")
#: OAuth 2.0 values never shown: in form bodies and query strings, and in JSON answers.
_OAUTH_FIELDS = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code",
    "code_verifier",
    "token",
)


def _encoded(name: str) -> str:
    """A pattern for *name* with any of its characters percent-encoded (``refresh%5Ftoken``):
    a form body decodes to the same field either way."""
    return "".join(f"(?:{re.escape(c)}|%{ord(c):02X})" for c in name)


_FORM_SECRET = re.compile(
    r"(?<![A-Za-z_%])(" + "|".join(_encoded(f) for f in _OAUTH_FIELDS) + r")=[^&\s]*",
    re.IGNORECASE,
)
#: Words shaped like the sandbox's tokens and codes (``secrets.token_urlsafe``), looked up
#: before an exchange is kept: a token pasted anywhere (a ``where`` value) is hidden too.
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-]{32,}")
_JSON_SECRET = re.compile(r'("(?:' + "|".join(_OAUTH_FIELDS) + r')"\s*:\s*)"[^"]*"')
#: Request headers shown in the console (their credentials redacted).
_SHOWN_HEADERS = ("authorization", "xero-tenant-id", "idempotency-key", "if-modified-since")
_BODY_LIMIT = 64 * 1024
_PER_PARTNER = 200


def redact_query(query: str) -> str:
    """A query string with the values of apiKey and xeroKey replaced."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, REDACTED if k in _KEY_PARAMS else v) for k, v in pairs], safe="")


def redact_oauth(text: str) -> str:
    """*text* with OAuth 2.0 tokens, codes and client secrets replaced, in form
    (``refresh_token=...``) and JSON (``"access_token": "..."``) shapes."""
    text = _FORM_SECRET.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    return _JSON_SECRET.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)


def shown_headers(headers: dict[str, str]) -> str:
    """The request headers the console shows, one per line; Authorization as its scheme only."""
    lines = []
    for name in _SHOWN_HEADERS:
        value = headers.get(name)
        if value is None:
            continue
        if name == "authorization":
            value = f"{value.partition(' ')[0] or 'Unknown'} {REDACTED}"
        lines.append(f"{name}: {value}")
    return "\n".join(lines)


def _hide(text: str, secrets: Iterable[str]) -> str:
    """*text* with every occurrence of each secret of at least 8 chars replaced, without
    regard to case (longest first). Plain substring search: a regular expression of many
    alternatives took seconds over a console of large bodies."""
    found = sorted({s.casefold() for s in secrets if len(s) >= 8}, key=len, reverse=True)
    if not found:
        return text
    folded = text.casefold()
    if len(folded) != len(text):  # a character that folds to several: search the text itself
        folded, found = text, sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    for secret in found:
        start = folded.find(secret)
        while start != -1:
            spans.append((start, start + len(secret)))
            start = folded.find(secret, start + len(secret))
    if not spans:
        return text
    spans.sort(key=lambda span: (span[0], -span[1]))
    out, at = [], 0
    for begin, end in spans:
        if begin < at:  # inside (or overlapping) a span already hidden
            at = max(at, end)
            continue
        out.append(text[at:begin])
        out.append(REDACTED)
        at = end
    out.append(text[at:])
    return "".join(out)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """*text* with every occurrence of each secret (at least 8 chars) replaced."""
    return _hide(text, secrets)


@dataclass(frozen=True)
class Exchange:
    """One request and its response, redacted."""

    when: datetime
    method: str
    path: str
    status: int
    request_body: str
    response_body: str
    note: str = ""
    headers: str = ""


#: Media types the console shows as text; any other body (a PDF, a file) is described.
_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/x-www-form-urlencoded")


def _shown_body(body: bytes, content_type: str) -> bytes:
    """*body* as the console keeps it: text as it is, a binary body (a PDF, an attachment)
    as a line saying what it was, never its bytes."""
    kind = content_type.split(";")[0].strip().lower()
    if not body or not kind or kind.startswith(_TEXT_TYPES) or kind.endswith(("+xml", "+json")):
        return body
    return f"({len(body):,} bytes of {kind})".encode()


def _decode(body: bytes) -> str:
    text = body[:_BODY_LIMIT].decode("utf-8", errors="replace")
    return text + ("\n... (truncated)" if len(body) > _BODY_LIMIT else "")


@dataclass
class _Recorded:
    """One exchange as it happened (bodies cut to the shown size), and the secrets to hide
    in it; redacted once, when first read."""

    when: datetime
    method: str
    target: str
    status: int
    request_body: bytes
    response_body: bytes
    secrets: tuple[str, ...]
    note: str
    headers: str
    redacted: Exchange | None = None

    def exchange(self) -> Exchange:
        if self.redacted is None:

            def clean(text: str) -> str:
                return redact_oauth(_hide(text, self.secrets))

            self.redacted = Exchange(
                when=self.when,
                method=self.method,
                path=clean(self.target),
                status=self.status,
                request_body=clean(_decode(self.request_body)),
                response_body=clean(_decode(self.response_body)),
                note=self.note,
                headers=clean(self.headers),
            )
        return self.redacted


class TrafficLog:
    """The last exchanges of each partner, in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_partner: dict[str, deque[_Recorded]] = {}

    def record(
        self,
        partner_key: str,
        method: str,
        path: str,
        query: str,
        status: int,
        request_body: bytes,
        response_body: bytes,
        secrets: Iterable[str],
        note: str = "",
        headers: str = "",
    ) -> None:
        """Keep one exchange for a partner; keys, OAuth tokens, codes and client secrets in
        the path, the shown headers and both bodies are redacted when it is read."""
        recorded = _Recorded(
            when=datetime.now(UTC),
            method=method,
            target=path + ("?" + redact_query(query) if query else ""),
            status=status,
            # bytes past the limit are never shown: keep one more to know it was cut
            request_body=bytes(request_body[: _BODY_LIMIT + 1]),
            response_body=bytes(response_body[: _BODY_LIMIT + 1]),
            secrets=(partner_key, *secrets),
            note=note,
            headers=headers,
        )
        with self._lock:
            self._by_partner.setdefault(partner_key, deque(maxlen=_PER_PARTNER)).append(recorded)

    def record_oauth(
        self,
        partner_key: str,
        request: Request,
        response: Response,
        secrets: Iterable[str],
        is_token: Callable[[str], bool] | None = None,
    ) -> None:
        """Keep a 2.0 or identity-server exchange (bearer tokens and secrets redacted): the
        request's own bearer token, and every word *is_token* knows as a token or code,
        wherever it appears (a ``where`` value, a body), are hidden as well."""
        found = []
        bearer = request.headers.get("authorization", "").partition(" ")[2].strip()
        if bearer:
            found.append(bearer)
        if is_token is not None:
            shown = " ".join(
                (
                    unquote(request.path),
                    unquote_plus(request.query_string),
                    request.body[:_BODY_LIMIT].decode("utf-8", "replace"),
                )
            )
            found.extend(w for w in set(_TOKEN_LIKE.findall(shown)) if is_token(w))
        self.record(
            partner_key,
            request.method,
            request.path,
            request.query_string,
            response.status,
            _binary_note(request.upload.size, request.headers.get("content-type", ""))
            if request.upload is not None
            else _shown_body(request.body, request.headers.get("content-type", "")),
            _binary_note(response.file.size, response.content_type.decode("latin-1"))
            if response.file is not None
            else _shown_body(response.body, response.content_type.decode("latin-1")),
            [*secrets, *found],
            note=f"fault: {response.fault.kind}" if response.fault else "",
            headers=shown_headers(request.headers),
        )

    def recent(self, partner_key: str) -> list[Exchange]:
        """Newest first, redacted."""
        with self._lock:
            kept = list(reversed(self._by_partner.get(partner_key, ())))
            return [r.exchange() for r in kept]


def _binary_note(size: int, content_type: str) -> bytes:
    """What the console shows of a file body (an attachment), as :func:`_shown_body` says a
    binary one: its size and type, never its bytes."""
    kind = content_type.split(";")[0].strip().lower() or "no Content-Type"
    return f"({size:,} bytes of {kind})".encode()


def export(provider: str, exchanges: list[Exchange]) -> str:
    """The console's exchanges as JSON (newest first, already redacted), for tools such as
    ``xero-codegen drift``: ``{"provider": ..., "exchanges": [{"when", "method", "path",
    "status", "request_body", "response_body", "note"}, ...]}``."""
    return json.dumps(
        {
            "provider": provider,
            "exchanges": [
                {
                    "when": ex.when.isoformat(),
                    "method": ex.method,
                    "path": ex.path,
                    "status": ex.status,
                    "request_body": ex.request_body,
                    "response_body": ex.response_body,
                    "note": ex.note,
                }
                for ex in exchanges
            ],
        },
        indent=1,
        ensure_ascii=False,
    )


def _css() -> str:
    return (
        resources.files("xero_sandbox").joinpath("static/console.css").read_text(encoding="utf-8")
    )


def render(provider: str, exchanges: list[Exchange], webhooks_url: str = "") -> str:
    """The console page for one partner (with a link to its webhooks page, when given: the
    link takes the page's own query, so the partner key never appears in the page)."""
    esc = html.escape
    rows = []
    for ex in exchanges:
        css = "status-ok" if ex.status < 400 else "status-error"
        bodies = ""
        if ex.headers:
            bodies += f'<details><summary>Request headers</summary><pre class="headers">{esc(ex.headers)}</pre></details>'
        if ex.request_body:
            bodies += f'<details><summary>Request body</summary><pre class="request">{esc(ex.request_body)}</pre></details>'
        bodies += f'<details><summary>Response body</summary><pre class="response">{esc(ex.response_body)}</pre></details>'
        note = f" <em>({esc(ex.note)})</em>" if ex.note else ""
        rows.append(
            '<tr class="exchange">'
            f"<td>{esc(ex.when.strftime('%Y-%m-%d %H:%M:%S'))} UTC</td>"
            f'<td class="method">{esc(ex.method)}</td>'
            f'<td class="path">{esc(ex.path)}</td>'
            f'<td class="{css}">{ex.status}{note}</td>'
            f"<td>{bodies}</td></tr>"
        )
    empty = '<tr><td colspan="5">No requests yet.</td></tr>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Partner Console - {esc(provider)}</title><style>{_css()}</style></head><body>"
        f'<h1>Partner Console</h1><p class="lead">Recent API requests of <strong id="provider">{esc(provider)}</strong>'
        f" ({len(exchanges)} shown, newest first). Keys, tokens and client secrets are shown as {REDACTED}.</p>"
        + (
            f'<p><a id="webhooks" href="{esc(webhooks_url)}"'
            ' onclick="this.search = location.search">Webhooks</a>'
            f' · <a id="attachments" href="{ATTACHMENTS_PATH}"'
            ' onclick="this.search = location.search">Attachments</a></p>'
            if webhooks_url
            else ""
        )
        + '<table id="traffic"><thead><tr><th>Time</th><th>Method</th><th>Path</th><th>Status</th><th>Bodies</th></tr>'
        f"</thead><tbody>{''.join(rows) or empty}</tbody></table></body></html>"
    )


#: The console's attachments page and its file downloads.
ATTACHMENTS_PATH = "/console/attachments"
ATTACHMENT_FILE_PATH = "/console/attachments/file"
#: A document's PDF in the console (``?tenant=&resource=&id=``, served where the sandbox
#: renders PDFs: ``GET {R}/{id}/pdf``).
PDF_PATH = "/console/pdf"


@dataclass(frozen=True)
class AttachedFile:
    """One attachment as the console lists it."""

    attachment_id: str
    file_name: str
    mime_type: str
    size: int
    include_online: bool


@dataclass(frozen=True)
class AttachedDocument:
    """A document with attachments: its resource (``Invoices``), id, label (a number or a
    name, when it has one), its files, and whether the sandbox renders its PDF."""

    resource: str
    resource_word: str
    record_id: str
    label: str
    files: list[AttachedFile]
    has_pdf: bool


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _carry_key(extra: str) -> str:
    """An ``onclick`` that adds the page's own query (the partner key) to a link, so that the
    key never appears in the page itself (as the webhooks link does)."""
    return f"this.search = location.search + '&amp;{html.escape(extra)}'"


def render_attachments(provider: str, books: list[tuple[str, str, list[AttachedDocument]]]) -> str:
    """The console's attachments page: each organisation's (name, tenant id, documents)
    documents that have attachments, each file with a download link, and a link to the
    document's PDF where the sandbox renders one (``GET {R}/{id}/pdf``). Links carry the partner key from the page's address
    when clicked: it never appears in the page."""
    esc = html.escape
    parts = []
    for org_name, tenant_id, documents in books:
        rows = []
        for doc in documents:
            files = "".join(
                '<li class="file">'
                f'<a class="download" href="{ATTACHMENT_FILE_PATH}"'
                f' onclick="{_carry_key("attachment=" + f.attachment_id)}">{esc(f.file_name)}</a>'
                f' <span class="meta">({esc(f.mime_type)}, {_size(f.size)}'
                f"{', shown online' if f.include_online else ''})</span></li>"
                for f in doc.files
            )
            pdf = (
                f'<a class="pdf" href="{PDF_PATH}" onclick="'
                f'{_carry_key(f"tenant={tenant_id}&resource={doc.resource_word}&id={doc.record_id}")}"'
                ">PDF</a>"
                if doc.has_pdf
                else ""
            )
            label = f"{esc(doc.label)} " if doc.label else ""
            rows.append(
                '<tr class="document">'
                f"<td>{esc(doc.resource)}</td>"
                f'<td>{label}<code class="record-id">{esc(doc.record_id)}</code></td>'
                f'<td><ul class="files">{files}</ul></td><td>{pdf}</td></tr>'
            )
        empty = '<tr><td colspan="4">No attachments yet.</td></tr>'
        parts.append(
            f"<h2>{esc(org_name)}</h2>"
            '<table class="attachments"><thead><tr><th>Resource</th><th>Document</th>'
            f"<th>Files</th><th>PDF</th></tr></thead><tbody>{''.join(rows) or empty}"
            "</tbody></table>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Attachments - {esc(provider)}</title><style>{_css()}</style></head><body>"
        '<h1>Attachments</h1><p class="lead">The files attached to documents of the'
        f' organisations of <strong id="provider">{esc(provider)}</strong>, newest first.'
        ' <a id="requests" href="/console" onclick="this.search = location.search">'
        "Requests</a></p>"
        f"{''.join(parts)}</body></html>"
    )


def render_journals(provider: str, books: list[tuple[str, list[Any]]], api_key: str) -> str:
    """The console's journals page: each organisation's newest journals of the ledger
    (:mod:`xero_sandbox.ledger`), their lines as debits and credits."""
    esc = html.escape
    parts = []
    for org_name, journals in books:
        rows = []
        for journal in journals:
            lines = "".join(
                f"<tr><td>{esc(line.account_code)}</td><td>{esc(line.account_name)}</td>"
                f'<td class="amount">{line.net_amount:.2f}</td><td></td></tr>'
                if line.net_amount >= 0
                else f"<tr><td>{esc(line.account_code)}</td><td>{esc(line.account_name)}</td>"
                f'<td></td><td class="amount">{-line.net_amount:.2f}</td></tr>'
                for line in journal.lines
            )
            undo = f" (reverses {journal.reverses})" if journal.reverses else ""
            rows.append(
                '<tr class="journal">'
                f"<td>{journal.number}</td><td>{esc(journal.date.isoformat())}</td>"
                f"<td>{esc(journal.source_type)}{undo}</td><td>{esc(journal.reference or '')}</td>"
                '<td><table class="lines"><thead><tr><th>Code</th><th>Account</th><th>Debit</th>'
                f"<th>Credit</th></tr></thead><tbody>{lines}</tbody></table></td></tr>"
            )
        empty = '<tr><td colspan="5">Nothing posted yet.</td></tr>'
        parts.append(
            f"<h2>{esc(org_name)}</h2>"
            '<table class="journals"><thead><tr><th>Number</th><th>Date</th><th>Source</th>'
            f"<th>Reference</th><th>Lines</th></tr></thead><tbody>{''.join(rows) or empty}"
            "</tbody></table>"
        )
    back = f'<a href="/console?apiKey={esc(api_key)}">Requests</a>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Journals - {esc(provider)}</title><style>{_css()}</style></head><body>"
        f'<h1>Journals</h1><p class="lead">The books of the organisations of <strong id="provider">'
        f"{esc(provider)}</strong>: each one's newest {JOURNALS_SHOWN} journals, newest first."
        f" {back}</p>{''.join(parts)}</body></html>"
    )


#: How many journals of each organisation the journals page shows.
JOURNALS_SHOWN = 50


def render_documents(
    provider: str, books: list[tuple[str, str, list[Any], list[Any]]], api_key: str
) -> str:
    """The console's documents page: for each organisation (name, tenant id, documents,
    emails sent), its invoices, bills, credit notes, quotes and purchase orders, each with a
    link to its PDF, and the invoices it emailed (``v2_0.resources.documents``)."""
    esc = html.escape
    parts = []
    for org_name, tenant_id, documents, emails in books:
        rows = []
        for doc in documents:
            link = "/console/pdf?" + urlencode(
                {
                    "apiKey": api_key,
                    "tenant": tenant_id,
                    "resource": doc.resource,
                    "id": doc.document_id,
                }
            )
            rows.append(
                '<tr class="document">'
                f"<td>{esc(doc.kind)}</td><td>{esc(doc.number)}</td>"
                f"<td>{esc(doc.date.isoformat())}</td><td>{esc(doc.contact)}</td>"
                f"<td>{esc(doc.status)}</td>"
                f'<td class="amount">{doc.total:,.2f}</td>'
                f'<td><a class="pdf" href="{esc(link)}">PDF</a></td></tr>'
            )
        sent = [
            '<tr class="email">'
            f"<td>{esc(e.sent.strftime('%Y-%m-%d %H:%M:%S'))} UTC</td>"
            f"<td>{esc(e.invoice_number)}</td><td>{esc(e.contact_name)}</td>"
            f"<td>{esc(', '.join(e.recipients))}</td><td>{esc(e.app)}</td></tr>"
            for e in reversed(emails)
        ]
        none = '<tr><td colspan="{}">{}</td></tr>'
        parts.append(
            f"<h2>{esc(org_name)}</h2>"
            '<table class="documents"><thead><tr><th>Kind</th><th>Number</th><th>Date</th>'
            "<th>Contact</th><th>Status</th><th>Total</th><th>PDF</th></tr></thead>"
            f"<tbody>{''.join(rows) or none.format(7, 'No documents yet.')}</tbody></table>"
            '<h3>Invoices emailed</h3><table class="emails"><thead><tr><th>Sent</th>'
            "<th>Invoice</th><th>Contact</th><th>To</th><th>App</th></tr></thead>"
            f"<tbody>{''.join(sent) or none.format(5, 'No invoice emailed yet.')}</tbody></table>"
        )
    back = f'<a href="/console?apiKey={esc(api_key)}">Requests</a>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Documents - {esc(provider)}</title><style>{_css()}</style></head><body>"
        f'<h1>Documents</h1><p class="lead">The documents of the organisations of <strong'
        f' id="provider">{esc(provider)}</strong>, each with its PDF, and the invoices they'
        f" emailed (newest first). {back}</p>{''.join(parts)}</body></html>"
    )
