"""Persistent state: partners, organisations, charts, contacts and invoices in SQLite.

``Store(None)`` keeps everything in an in-memory SQLite database; ``Store(path)`` uses a
file in WAL mode with ``synchronous=FULL``. Each write runs in one ``BEGIN IMMEDIATE``
transaction committed before the HTTP response is sent, so a stopped server loses no
acknowledged write. A re-entrant lock serialises use of the single connection; SQLite's own
locking (with a busy timeout) protects against other processes such as ``xero-sandbox keys``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from xero_customer_api.v1_0.models import (
    Account,
    AccountType,
    Contact,
    Invoice,
    TaxType,
    TrackingCategory,
    TrackingOption,
)

from . import seed, xmlcodec

_SCHEMA = """
CREATE TABLE IF NOT EXISTS partners (
    api_key TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (
    org_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
    partner_key TEXT NOT NULL REFERENCES partners(api_key), customer_key TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS accounts (
    org_id INTEGER NOT NULL, position INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
    type TEXT NOT NULL, tax_type TEXT, description TEXT, PRIMARY KEY (org_id, code));
CREATE TABLE IF NOT EXISTS tracking (
    org_id INTEGER NOT NULL, cat_pos INTEGER NOT NULL, category TEXT NOT NULL,
    opt_pos INTEGER NOT NULL, option TEXT NOT NULL, PRIMARY KEY (org_id, category, option));
CREATE TABLE IF NOT EXISTS contacts (
    contact_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, name_key TEXT NOT NULL,
    number TEXT, updated TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (org_id, name_key));
CREATE TABLE IF NOT EXISTS invoices (
    invoice_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, number TEXT NOT NULL,
    type TEXT NOT NULL, contact_id TEXT NOT NULL, updated TEXT NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL, UNIQUE (org_id, number));
"""


def name_key(name: str) -> str:
    """Contacts are matched on name without regard to case or surrounding blanks."""
    return name.strip().casefold()


@dataclass(frozen=True)
class Credentials:
    """The keys printed at start-up: the first partner and its first organisation."""

    partner_name: str
    api_key: str
    customer_key: str


@dataclass(frozen=True)
class Org:
    """An organisation reached by a valid pair of keys."""

    org_id: int
    name: str


class Store:
    """The sandbox's data, in memory (``path=None``) or in a SQLite file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.RLock()
        target = ":memory:" if path is None else str(path)
        self._conn = sqlite3.connect(
            target, check_same_thread=False, isolation_level=None, timeout=10.0
        )
        self._conn.execute("PRAGMA busy_timeout = 10000")
        if path is not None:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
        self._conn.executescript(_SCHEMA)
        self._last_stamp = datetime.now(UTC)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        with self._lock:
            self._conn.close()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction: committed on success, rolled back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[None]:
        """A consistent read (holds the lock; SQLite reads are snapshot-consistent)."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield
            finally:
                self._conn.execute("COMMIT")

    def stamp(self) -> datetime:
        """A strictly increasing UTC timestamp for UpdatedDateUTC."""
        with self._lock:
            now = datetime.now(UTC)
            if now <= self._last_stamp:
                now = self._last_stamp + timedelta(microseconds=1)
            self._last_stamp = now
            return now

    # ------------------------------------------------------------------ keys

    def ensure_seeded(self) -> Credentials:
        """Seed the demo partner and organisation on an empty store; return the first keys."""
        with self.write():
            row = self._conn.execute(
                "SELECT p.name, p.api_key, o.customer_key FROM partners p JOIN orgs o"
                " ON o.partner_key = p.api_key ORDER BY p.created, p.rowid, o.org_id LIMIT 1"
            ).fetchone()
            if row is None:
                api_key = self._insert_partner(seed.PARTNER_NAME)
                customer_key = self._insert_org(seed.ORG_NAME, api_key)
                return Credentials(seed.PARTNER_NAME, api_key, customer_key)
            return Credentials(row[0], row[1], row[2])

    def add_partner(self, name: str) -> str:
        """Create a partner; return its new API key."""
        with self.write():
            return self._insert_partner(name)

    def add_org(self, name: str, partner_key: str | None = None) -> str:
        """Create a seeded organisation for a partner (default: the first); return its customer key."""
        with self.write():
            if partner_key is None:
                row = self._conn.execute(
                    "SELECT api_key FROM partners ORDER BY created, rowid LIMIT 1"
                ).fetchone()
                if row is None:
                    partner_key = self._insert_partner(seed.PARTNER_NAME)
                else:
                    partner_key = str(row[0])
            elif self.partner_name(partner_key) is None:
                raise KeyError("no such partner key")
            return self._insert_org(name, partner_key)

    def _insert_partner(self, name: str) -> str:
        api_key = seed.new_key()
        self._conn.execute(
            "INSERT INTO partners (api_key, name, created) VALUES (?, ?, ?)",
            (api_key, name, datetime.now(UTC).isoformat()),
        )
        return api_key

    def _insert_org(self, name: str, partner_key: str) -> str:
        customer_key = seed.new_key()
        cur = self._conn.execute(
            "INSERT INTO orgs (name, partner_key, customer_key) VALUES (?, ?, ?)",
            (name, partner_key, customer_key),
        )
        org_id = cur.lastrowid
        self._conn.executemany(
            "INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    org_id,
                    pos,
                    a.code,
                    a.name,
                    a.type.value,
                    a.tax_type.value if a.tax_type else None,
                    a.description,
                )
                for pos, a in enumerate(seed.CHART_OF_ACCOUNTS)
            ],
        )
        self._conn.executemany(
            "INSERT INTO tracking VALUES (?, ?, ?, ?, ?)",
            [
                (org_id, cpos, cat.name, opos, option.name)
                for cpos, cat in enumerate(seed.TRACKING_CATEGORIES)
                for opos, option in enumerate(cat.options)
            ],
        )
        return customer_key

    def partner_name(self, api_key: str) -> str | None:
        """The provider name of a partner key, or None when the key is unknown."""
        with self._lock:
            row = self._conn.execute(
                "SELECT name FROM partners WHERE api_key = ?", (api_key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def org_for(self, api_key: str, customer_key: str) -> Org | None:
        """The organisation of a customer key, only if it belongs to this partner."""
        with self._lock:
            row = self._conn.execute(
                "SELECT org_id, name FROM orgs WHERE customer_key = ? AND partner_key = ?",
                (customer_key, api_key),
            ).fetchone()
        return None if row is None else Org(int(row[0]), str(row[1]))

    def all_keys(self) -> list[str]:
        """Every partner and customer key (for redaction)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT api_key FROM partners UNION ALL SELECT customer_key FROM orgs"
            ).fetchall()
        return [str(r[0]) for r in rows]

    # ------------------------------------------------------------------ settings

    def accounts(self, org_id: int) -> list[Account]:
        """The chart of accounts in its seeded order."""
        rows = self._conn.execute(
            "SELECT code, name, type, tax_type, description FROM accounts WHERE org_id = ? ORDER BY position",
            (org_id,),
        ).fetchall()
        return [
            Account(
                code=code,
                name=name,
                type=AccountType(kind),
                tax_type=TaxType(tax) if tax else None,
                description=description,
            )
            for code, name, kind, tax, description in rows
        ]

    def tracking(self, org_id: int) -> list[TrackingCategory]:
        """Tracking categories with their options, in seeded order."""
        rows = self._conn.execute(
            "SELECT category, option FROM tracking WHERE org_id = ? ORDER BY cat_pos, opt_pos",
            (org_id,),
        ).fetchall()
        grouped: dict[str, list[str]] = {}
        for category, option in rows:
            grouped.setdefault(category, []).append(option)
        return [
            TrackingCategory(name=name, options=[TrackingOption(name=o) for o in options])
            for name, options in grouped.items()
        ]

    # ------------------------------------------------------------------ contacts

    def contacts(self, org_id: int) -> list[Contact]:
        """All contacts of an organisation."""
        rows = self._conn.execute(
            "SELECT body FROM contacts WHERE org_id = ?", (org_id,)
        ).fetchall()
        return [xmlcodec.load(Contact, r[0]) for r in rows]

    def _one_contact(self, where: str, org_id: int, value: str) -> Contact | None:
        row = self._conn.execute(
            f"SELECT body FROM contacts WHERE org_id = ? AND {where} = ?", (org_id, value)
        ).fetchone()
        return None if row is None else xmlcodec.load(Contact, row[0])

    def contact_by_id(self, org_id: int, contact_id: str) -> Contact | None:
        """A contact by ContactID (lower-case GUID)."""
        return self._one_contact("contact_id", org_id, contact_id)

    def contact_by_number(self, org_id: int, number: str) -> Contact | None:
        """A contact by ContactNumber (exact)."""
        return self._one_contact("number", org_id, number)

    def contact_by_name(self, org_id: int, name: str) -> Contact | None:
        """A contact by Name (case-insensitive)."""
        return self._one_contact("name_key", org_id, name_key(name))

    def save_contact(self, org_id: int, contact: Contact) -> None:
        """Insert or replace a contact (inside :meth:`write`)."""
        assert contact.contact_id is not None and contact.updated_date_utc is not None
        self._conn.execute(
            "INSERT INTO contacts (contact_id, org_id, name_key, number, updated, body) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (contact_id) DO UPDATE SET name_key = excluded.name_key, number = excluded.number,"
            " updated = excluded.updated, body = excluded.body",
            (
                contact.contact_id,
                org_id,
                name_key(contact.name),
                contact.contact_number,
                contact.updated_date_utc.isoformat(),
                xmlcodec.dump(contact),
            ),
        )

    def invoice_types_by_contact(self, org_id: int) -> dict[str, set[str]]:
        """ContactID -> the invoice types (ACCREC, ACCPAY) it has."""
        rows = self._conn.execute(
            "SELECT DISTINCT contact_id, type FROM invoices WHERE org_id = ?", (org_id,)
        )
        out: dict[str, set[str]] = {}
        for contact_id, kind in rows.fetchall():
            out.setdefault(contact_id, set()).add(kind)
        return out

    # ------------------------------------------------------------------ invoices

    def _with_contact(self, org_id: int, body: str) -> Invoice:
        invoice = xmlcodec.load(Invoice, body)
        assert invoice.contact.contact_id is not None
        current = self.contact_by_id(org_id, invoice.contact.contact_id)
        if current is not None:
            invoice.contact = current
        return invoice

    def invoices(self, org_id: int) -> list[Invoice]:
        """All invoices of an organisation in the order they were entered."""
        rows = self._conn.execute(
            "SELECT body FROM invoices WHERE org_id = ? ORDER BY seq", (org_id,)
        ).fetchall()
        return [self._with_contact(org_id, r[0]) for r in rows]

    def invoice_by_id(self, org_id: int, invoice_id: str) -> Invoice | None:
        """An invoice by InvoiceID."""
        row = self._conn.execute(
            "SELECT body FROM invoices WHERE org_id = ? AND invoice_id = ?", (org_id, invoice_id)
        ).fetchone()
        return None if row is None else self._with_contact(org_id, row[0])

    def invoice_by_number(self, org_id: int, number: str) -> Invoice | None:
        """An invoice by InvoiceNumber (exact)."""
        row = self._conn.execute(
            "SELECT body FROM invoices WHERE org_id = ? AND number = ?", (org_id, number)
        ).fetchone()
        return None if row is None else self._with_contact(org_id, row[0])

    def insert_invoice(self, org_id: int, invoice: Invoice) -> None:
        """Insert a new invoice (inside :meth:`write`); the contact is stored by reference."""
        assert invoice.invoice_id and invoice.contact.contact_id and invoice.updated_date_utc
        seq = self._conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM invoices").fetchone()[0]
        self._conn.execute(
            "INSERT INTO invoices (invoice_id, org_id, number, type, contact_id, updated, seq, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                invoice.invoice_id,
                org_id,
                invoice.invoice_number,
                invoice.invoice_type.value,
                invoice.contact.contact_id,
                invoice.updated_date_utc.isoformat(),
                seq,
                xmlcodec.dump(invoice),
            ),
        )
