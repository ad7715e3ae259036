"""Many organisations in a sandbox, each connected to the demo app with its own token.

Used by the shared-state tests and the benchmark: ``make_orgs`` writes organisations with
contacts and invoices straight into the sandbox's store (the same SQLite file the running
server reads), then connects each one through the identity server's consent page (one
authorization per organisation, so each has its own rotating refresh token) and returns
the tokens.
"""

from __future__ import annotations

import datetime
import html
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
from xero_customer_api import authorization_url, exchange_code
from xero_sandbox import records
from xero_sandbox.identity import AUTHORIZE_PATH
from xero_sandbox.process import RunningSandbox
from xero_sandbox.store import Store

SCOPES = ["offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings"]
REDIRECT_URI = "http://127.0.0.1:9/callback"  # never called: the redirect is read, not followed
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@dataclass(frozen=True)
class Org:
    tenant_id: str
    invoice_ids: frozenset[str]
    token: dict[str, Any]


def _invoice(contact_id: str, number: int, when: datetime.datetime) -> records.Invoice:
    amount = Decimal("100.00") + number
    return records.Invoice(
        invoice_id=str(uuid.uuid4()),
        type="ACCREC",
        contact_id=contact_id,
        date=datetime.date(2026, 7, 1),
        number=f"INV-{number:05d}",
        status="AUTHORISED",
        line_amount_types="NoTax",
        lines=[],
        sub_total=amount,
        total_tax=Decimal("0.00"),
        total=amount,
        amount_due=amount,
        amount_paid=Decimal("0.00"),
        amount_credited=Decimal("0.00"),
        updated=when,
    )


def _connect(sandbox: RunningSandbox, http: httpx.Client, tenant_id: str) -> dict[str, Any]:
    start = authorization_url(
        client_id=sandbox.client_id,
        redirect_uri=REDIRECT_URI,
        scopes=SCOPES,
        authorize_url=sandbox.authorize_url,
    )
    page = http.get(start.url)
    page.raise_for_status()
    form = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
    answer = http.post(
        urljoin(sandbox.root_url, AUTHORIZE_PATH),
        data=form | {"tenant": tenant_id, "action": "allow"},
    )
    location = answer.headers["location"]
    return dict(  # a XeroToken (a TypedDict); the callers keep plain dicts
        exchange_code(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            redirect_uri=REDIRECT_URI,
            code_verifier=start.code_verifier,
            callback_url=location,
            state=start.state,
            token_url=sandbox.token_url,
            http_client=http,
        )
    )


def make_orgs(
    sandbox: RunningSandbox, db: Path, count: int, invoices: int, *, prefix: str = "Org"
) -> list[Org]:
    """``count`` new organisations with ``invoices`` invoices each, connected to the app."""
    store = Store(db)
    made: list[tuple[str, frozenset[str]]] = []
    when = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
    try:
        for n in range(count):
            _, tenant_id = store.add_org(f"{prefix} {n} {uuid.uuid4().hex[:6]}")
            org = store.org_by_tenant(tenant_id)
            assert org is not None
            contact = records.Contact(
                contact_id=str(uuid.uuid4()), name="Kowhai Cycles", updated=when
            )
            ids = []
            with store.write():
                store.save_contact(org.org_id, contact)
                for i in range(invoices):
                    invoice = _invoice(contact.contact_id, i, when)
                    store.save_invoice(org.org_id, invoice)
                    ids.append(invoice.invoice_id)
            made.append((tenant_id, frozenset(ids)))
    finally:
        store.close()
    with httpx.Client(verify=sandbox.verify()) as http:
        return [Org(tenant, ids, _connect(sandbox, http, tenant)) for tenant, ids in made]
