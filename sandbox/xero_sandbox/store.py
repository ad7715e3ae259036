"""Persistent state in SQLite: partners, apps, organisations and their version-neutral records.

``Store(None)`` keeps everything in an in-memory SQLite database; ``Store(path)`` uses a
file in WAL mode with ``synchronous=FULL``. Each write runs in one ``BEGIN IMMEDIATE``
transaction committed before the HTTP response is sent, so a stopped server loses no
acknowledged write. A re-entrant lock serialises use of the single connection; SQLite's own
locking (with a busy timeout) protects against other processes such as ``xero-sandbox keys``.

Records (:mod:`xero_sandbox.records`) are stored as JSON beside the columns they are looked
up by; every API version reads and writes the same rows. Identity is kept here too: 1.0's
partner and customer keys, 2.0's OAuth apps (client id and secret), each organisation's
tenant id, OAuth codes and tokens, and 2.0's stored Idempotency-Key answers.

Schema: ``PRAGMA user_version`` is :data:`SCHEMA_VERSION`. A ``--db`` file written by an
older sandbox (records stored as 1.0 XML) is not migrated: it is refused with a message
saying to start from a new file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import records, seed
from .records import Account, Contact, Invoice, Payment, TrackingCategory, TrackingOption

#: Bumped whenever the tables change shape (no migrations: see the module docstring).
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS partners (
    api_key TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (
    org_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
    partner_key TEXT NOT NULL REFERENCES partners(api_key), customer_key TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL UNIQUE, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS apps (
    client_id TEXT PRIMARY KEY, client_secret TEXT NOT NULL, name TEXT NOT NULL,
    partner_key TEXT NOT NULL REFERENCES partners(api_key), custom_org_id INTEGER,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    account_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, position INTEGER NOT NULL,
    code TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (org_id, code));
CREATE TABLE IF NOT EXISTS tracking (
    category_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, position INTEGER NOT NULL,
    body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contacts (
    contact_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, name_key TEXT NOT NULL,
    number TEXT, updated TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (org_id, name_key));
CREATE TABLE IF NOT EXISTS invoices (
    invoice_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, number TEXT NOT NULL,
    type TEXT NOT NULL, contact_id TEXT NOT NULL, updated TEXT NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invoices_by_org ON invoices (org_id, seq);
CREATE INDEX IF NOT EXISTS invoices_by_number ON invoices (org_id, number);
CREATE INDEX IF NOT EXISTS invoices_by_seq ON invoices (seq);
CREATE TABLE IF NOT EXISTS payments (
    payment_id TEXT PRIMARY KEY, org_id INTEGER NOT NULL, invoice_id TEXT NOT NULL,
    seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS payments_by_seq ON payments (seq);
CREATE TABLE IF NOT EXISTS oauth_codes (
    code TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT, scope TEXT NOT NULL,
    tenants TEXT NOT NULL, challenge TEXT, challenge_method TEXT, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS oauth_tokens (
    access_token TEXT PRIMARY KEY, refresh_token TEXT UNIQUE, client_id TEXT NOT NULL,
    scope TEXT NOT NULL, tenants TEXT NOT NULL, issued REAL NOT NULL, expires_in INTEGER NOT NULL,
    access_revoked INTEGER NOT NULL DEFAULT 0, refresh_revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS idempotency (
    client_id TEXT NOT NULL, tenant_id TEXT NOT NULL, key TEXT NOT NULL,
    fingerprint TEXT NOT NULL, status INTEGER NOT NULL, body BLOB NOT NULL,
    PRIMARY KEY (client_id, tenant_id, key));
"""


def name_key(name: str) -> str:
    """Contacts are matched on name without regard to case or surrounding blanks."""
    return name.strip().casefold()


def new_guid() -> str:
    """A fresh random GUID in Xero's lower-case form."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Credentials:
    """What ``serve`` prints: the first partner, its first organisation and its app."""

    partner_name: str
    api_key: str
    customer_key: str
    client_id: str = ""
    client_secret: str = ""
    tenant_id: str = ""


@dataclass(frozen=True)
class Org:
    """An organisation (a tenant of 2.0)."""

    org_id: int
    name: str
    tenant_id: str = ""
    created: str = ""


@dataclass(frozen=True)
class App:
    """An OAuth 2.0 app of a partner; ``custom_org_id`` is its custom connection's organisation."""

    client_id: str
    client_secret: str
    name: str
    partner_key: str
    custom_org_id: int | None

    @property
    def public(self) -> bool:
        """A PKCE app (no client secret): it authenticates with PKCE alone."""
        return not self.client_secret


class StoreVersionError(RuntimeError):
    """The database file was written by a sandbox with another table layout."""


class Store:
    """The sandbox's data, in memory (``path=None``) or in a SQLite file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.RLock()
        # in memory: a named shared-cache database, so that each thread's read connection
        # sees the same data (and reads, uncommitted, beside a write in progress)
        self._memory = path is None
        target = f"file:xero-sandbox-{uuid.uuid4().hex}?mode=memory&cache=shared"
        if path is not None:
            target = str(path)
        self._target = target
        self._readers = threading.local()
        self._reader_conns: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()  # never the store's lock: a write holds that
        self._conn = sqlite3.connect(
            target,
            check_same_thread=False,
            isolation_level=None,
            timeout=10.0,
            uri=self._memory,
        )
        self._conn.execute("PRAGMA busy_timeout = 10000")
        if path is not None:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        tables = self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version != SCHEMA_VERSION and tables:
            self._conn.close()
            raise StoreVersionError(
                f"{target} was written by an older xero-sandbox (layout {version}, this one"
                f" reads {SCHEMA_VERSION}); it is not migrated: start with a new --db file"
            )
        self._conn.executescript(_SCHEMA)
        from .v2_0 import resources  # tables of the 2.0 resources kept in modules of their own

        for script in resources.schemas():
            self._conn.executescript(script)
        from .webhooks import SCHEMA as WEBHOOKS_SCHEMA  # subscriptions, events, deliveries

        self._conn.executescript(WEBHOOKS_SCHEMA)
        self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._last_stamp = datetime.now(UTC)

    def close(self) -> None:
        """Close the connections (the WAL is checkpointed by SQLite)."""
        with self._lock, self._readers_lock:
            for reader in self._reader_conns:
                reader.close()
            self._reader_conns.clear()
            self._conn.close()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction: committed on success, rolled back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._readers.writing = True
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            finally:
                self._readers.writing = False
            self._conn.execute("COMMIT")

    def _db(self) -> sqlite3.Connection:
        """This thread's read connection inside :meth:`read` on a file, else the shared one."""
        reader: sqlite3.Connection | None = getattr(self._readers, "active", None)
        return self._conn if reader is None else reader

    @contextmanager
    def read(self) -> Iterator[None]:
        """A read beside any write in progress (a long batch of one tenant does not hold up
        another's reads): each thread reads through a connection of its own. On a file (WAL)
        it reads the last committed state; in memory (a shared cache, where readers would
        otherwise wait for the writer's table locks) it also sees rows of a write still in
        progress, as another Xero call may."""
        if getattr(self._readers, "writing", False) or getattr(self._readers, "active", None):
            yield  # inside this thread's write (or read): read what it sees
            return
        reader: sqlite3.Connection | None = getattr(self._readers, "conn", None)
        if reader is None:
            reader = sqlite3.connect(
                self._target,
                check_same_thread=False,
                isolation_level=None,
                timeout=10.0,
                uri=self._memory,
            )
            reader.execute("PRAGMA busy_timeout = 10000")
            reader.execute("PRAGMA query_only = ON")
            if self._memory:
                reader.execute("PRAGMA read_uncommitted = 1")
            self._readers.conn = reader
            with self._readers_lock:
                self._reader_conns.append(reader)
        reader.execute("BEGIN")
        self._readers.active = reader
        try:
            yield
        finally:
            self._readers.active = None
            reader.execute("COMMIT")

    def stamp(self) -> datetime:
        """A strictly increasing UTC timestamp for UpdatedDateUTC."""
        with self._lock:
            now = datetime.now(UTC)
            if now <= self._last_stamp:
                now = self._last_stamp + timedelta(microseconds=1)
            self._last_stamp = now
            return now

    def _one(self, sql: str, *args: Any) -> Any:
        if getattr(self._readers, "active", None) is not None:
            return self._db().execute(sql, args).fetchone()
        with self._lock:
            return self._conn.execute(sql, args).fetchone()

    def _all(self, sql: str, *args: Any) -> list[Any]:
        if getattr(self._readers, "active", None) is not None:
            return self._db().execute(sql, args).fetchall()
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # ------------------------------------------------------------------ identity

    def ensure_seeded(self) -> Credentials:
        """Seed the demo partner, organisation and app on an empty store; return the first keys."""
        with self.write():
            row = (
                self._db()
                .execute(
                    "SELECT p.name, p.api_key, o.customer_key, o.tenant_id, o.org_id FROM partners p"
                    " JOIN orgs o ON o.partner_key = p.api_key ORDER BY p.created, p.rowid, o.org_id"
                    " LIMIT 1"
                )
                .fetchone()
            )
            if row is None:
                api_key = self._insert_partner(seed.PARTNER_NAME)
                customer_key, tenant_id = self._insert_org(seed.ORG_NAME, api_key)
                org_id = (
                    self._db()
                    .execute("SELECT org_id FROM orgs WHERE tenant_id = ?", (tenant_id,))
                    .fetchone()[0]
                )
                self._insert_app(seed.APP_NAME, api_key, int(org_id))
                row = (seed.PARTNER_NAME, api_key, customer_key, tenant_id, org_id)
            app = (
                self._db()
                .execute(
                    "SELECT client_id, client_secret FROM apps WHERE partner_key = ?"
                    " ORDER BY created, rowid LIMIT 1",
                    (row[1],),
                )
                .fetchone()
            )
            return Credentials(row[0], row[1], row[2], app[0], app[1], row[3])

    def add_partner(self, name: str) -> str:
        """Create a partner; return its new API key."""
        with self.write():
            return self._insert_partner(name)

    def _partner_or_first(self, partner_key: str | None) -> str:
        if partner_key is None:
            row = (
                self._db()
                .execute("SELECT api_key FROM partners ORDER BY created, rowid LIMIT 1")
                .fetchone()
            )
            return self._insert_partner(seed.PARTNER_NAME) if row is None else str(row[0])
        if self.partner_name(partner_key) is None:
            raise KeyError("no such partner key")
        return partner_key

    def add_org(self, name: str, partner_key: str | None = None) -> tuple[str, str]:
        """Create a seeded organisation for a partner (default: the first); return its
        customer key and its tenant id."""
        with self.write():
            return self._insert_org(name, self._partner_or_first(partner_key))

    def add_app(
        self,
        name: str,
        partner_key: str | None = None,
        tenant_id: str | None = None,
        *,
        pkce: bool = False,
    ) -> App:
        """Create an OAuth 2.0 app for a partner (default: the first), with a custom
        connection to the organisation of *tenant_id* (default: the partner's first).

        ``pkce=True`` makes a PKCE app (Xero's "mobile or desktop app"): a public client
        with no secret and no custom connection, whose authorizations need an S256
        ``code_challenge``."""
        with self.write():
            partner = self._partner_or_first(partner_key)
            if tenant_id is None:
                row = (
                    self._db()
                    .execute(
                        "SELECT org_id FROM orgs WHERE partner_key = ? ORDER BY org_id LIMIT 1",
                        (partner,),
                    )
                    .fetchone()
                )
            else:
                row = (
                    self._db()
                    .execute(
                        "SELECT org_id FROM orgs WHERE partner_key = ? AND tenant_id = ?",
                        (partner, tenant_id),
                    )
                    .fetchone()
                )
                if row is None:
                    raise KeyError("no such tenant of this partner")
            if pkce:
                return self._insert_app(name, partner, None, secret=False)
            return self._insert_app(name, partner, None if row is None else int(row[0]))

    def _insert_partner(self, name: str) -> str:
        api_key = seed.new_key()
        self._db().execute(
            "INSERT INTO partners (api_key, name, created) VALUES (?, ?, ?)",
            (api_key, name, datetime.now(UTC).isoformat()),
        )
        return api_key

    def _insert_app(
        self, name: str, partner_key: str, org_id: int | None, *, secret: bool = True
    ) -> App:
        app = App(
            seed.new_client_id(), seed.new_secret() if secret else "", name, partner_key, org_id
        )
        self._db().execute(
            "INSERT INTO apps VALUES (?, ?, ?, ?, ?, ?)",
            (*(app.client_id, app.client_secret, name, partner_key, org_id), _now()),
        )
        return app

    def _insert_org(self, name: str, partner_key: str) -> tuple[str, str]:
        customer_key = seed.new_key()
        tenant_id = new_guid()
        cur = self._db().execute(
            "INSERT INTO orgs (name, partner_key, customer_key, tenant_id, created)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, partner_key, customer_key, tenant_id, _now()),
        )
        org_id = int(cur.lastrowid or 0)
        stamp = self.stamp()
        for pos, (code, acc_name, kind, tax, description) in enumerate(
            (*seed.CHART_OF_ACCOUNTS, seed.BANK_ACCOUNT)
        ):
            self.save_account(
                org_id,
                Account(
                    account_id=new_guid(),
                    code=code,
                    name=acc_name,
                    type=kind,
                    status="ACTIVE",
                    account_class=seed.ACCOUNT_CLASS[kind],
                    tax_type=tax,
                    description=description,
                    enable_payments=kind == "BANK",
                    updated=stamp,
                ),
                position=pos,
            )
        for pos, (category, options) in enumerate(seed.TRACKING_CATEGORIES.items()):
            self.save_tracking(
                org_id,
                TrackingCategory(
                    category_id=new_guid(),
                    name=category,
                    options=[TrackingOption(option_id=new_guid(), name=o) for o in options],
                ),
                position=pos,
            )
        from .v2_0 import resources  # records the 2.0 resource modules keep per organisation

        org = Org(org_id, name, tenant_id, _now())
        for seed_org in resources.seeders():
            seed_org(self, org)
        return customer_key, tenant_id

    def partner_name(self, api_key: str) -> str | None:
        """The provider name of a partner key, or None when the key is unknown."""
        row = self._one("SELECT name FROM partners WHERE api_key = ?", api_key)
        return None if row is None else str(row[0])

    def _org(self, row: Any) -> Org | None:
        return None if row is None else Org(int(row[0]), str(row[1]), str(row[2]), str(row[3]))

    def org_for(self, api_key: str, customer_key: str) -> Org | None:
        """The organisation of a customer key, only if it belongs to this partner."""
        return self._org(
            self._one(
                "SELECT org_id, name, tenant_id, created FROM orgs"
                " WHERE customer_key = ? AND partner_key = ?",
                customer_key,
                api_key,
            )
        )

    def org_by_tenant(self, tenant_id: str) -> Org | None:
        """The organisation of a tenant id."""
        return self._org(
            self._one(
                "SELECT org_id, name, tenant_id, created FROM orgs WHERE tenant_id = ?", tenant_id
            )
        )

    def orgs_of_partner(self, partner_key: str) -> list[Org]:
        """The organisations a partner's apps may be connected to, oldest first."""
        rows = self._all(
            "SELECT org_id, name, tenant_id, created FROM orgs WHERE partner_key = ?"
            " ORDER BY org_id",
            partner_key,
        )
        return [org for org in map(self._org, rows) if org is not None]

    def org_by_id(self, org_id: int) -> Org | None:
        """The organisation of an internal id."""
        return self._org(
            self._one("SELECT org_id, name, tenant_id, created FROM orgs WHERE org_id = ?", org_id)
        )

    def app(self, client_id: str) -> App | None:
        """An OAuth app by client id."""
        row = self._one(
            "SELECT client_id, client_secret, name, partner_key, custom_org_id FROM apps"
            " WHERE client_id = ?",
            client_id,
        )
        return None if row is None else App(row[0], row[1], row[2], row[3], row[4])

    def all_keys(self) -> list[str]:
        """Every partner and customer key and client secret (for redaction)."""
        rows = self._all(
            "SELECT api_key FROM partners UNION ALL SELECT customer_key FROM orgs"
            " UNION ALL SELECT client_secret FROM apps"
        )
        return [str(r[0]) for r in rows]

    def is_token(self, value: str) -> bool:
        """True if *value* is an access or refresh token or an authorization code the
        identity server issued (for redaction)."""
        row = self._one(
            "SELECT 1 FROM oauth_tokens WHERE access_token = ? OR refresh_token = ?"
            " UNION ALL SELECT 1 FROM oauth_codes WHERE code = ? LIMIT 1",
            value,
            value,
            value,
        )
        return row is not None

    # ------------------------------------------------------------------ OAuth codes and tokens

    def save_code(self, row: dict[str, Any]) -> None:
        """Store an authorization code (``tenants`` a list of tenant ids)."""
        with self.write():
            self._db().execute(
                "INSERT INTO oauth_codes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row["code"],
                    row["client_id"],
                    row["redirect_uri"],
                    row["scope"],
                    json.dumps(row["tenants"]),
                    row["challenge"],
                    row["challenge_method"],
                    row["expires"],
                ),
            )

    def code(self, code: str) -> dict[str, Any] | None:
        """An authorization code's row."""
        row = self._one("SELECT * FROM oauth_codes WHERE code = ?", code)
        if row is None:
            return None
        names = ("code", "client_id", "redirect_uri", "scope", "tenants", "challenge")
        out = dict(zip((*names, "challenge_method", "expires"), row, strict=True))
        out["tenants"] = json.loads(out["tenants"])
        return out

    def delete_code(self, code: str) -> None:
        """Use up an authorization code."""
        with self.write():
            self._db().execute("DELETE FROM oauth_codes WHERE code = ?", (code,))

    def save_token(self, row: dict[str, Any]) -> None:
        """Store an issued token."""
        with self.write():
            self._db().execute(
                "INSERT INTO oauth_tokens (access_token, refresh_token, client_id, scope, tenants,"
                " issued, expires_in) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    row["access_token"],
                    row.get("refresh_token"),
                    row["client_id"],
                    row["scope"],
                    json.dumps(row["tenants"]),
                    row["issued"],
                    row["expires_in"],
                ),
            )

    def _token(self, column: str, value: str) -> dict[str, Any] | None:
        row = self._one(
            "SELECT access_token, refresh_token, client_id, scope, tenants, issued, expires_in,"
            f" access_revoked, refresh_revoked FROM oauth_tokens WHERE {column} = ?",
            value,
        )
        if row is None:
            return None
        names = ("access_token", "refresh_token", "client_id", "scope", "tenants", "issued")
        out = dict(
            zip((*names, "expires_in", "access_revoked", "refresh_revoked"), row, strict=True)
        )
        out["tenants"] = json.loads(out["tenants"])
        return out

    def token_by_access(self, access_token: str) -> dict[str, Any] | None:
        """A token row by its access token."""
        return self._token("access_token", access_token)

    def token_by_refresh(self, refresh_token: str) -> dict[str, Any] | None:
        """A token row by its refresh token."""
        return self._token("refresh_token", refresh_token)

    def disconnect_tenant(self, client_id: str, tenant_id: str) -> None:
        """Take a tenant out of every token of an app (``DELETE /connections/{id}``)."""
        with self.write():
            db = self._db()
            rows = db.execute(
                "SELECT access_token, tenants FROM oauth_tokens WHERE client_id = ?", (client_id,)
            ).fetchall()
            for access_token, tenants in rows:
                kept = [t for t in json.loads(tenants) if t != tenant_id]
                db.execute(
                    "UPDATE oauth_tokens SET tenants = ? WHERE access_token = ?",
                    (json.dumps(kept), access_token),
                )

    def revoke_token(self, access_token: str, *, access: bool, refresh: bool) -> None:
        """Mark a token's access and/or refresh part as no longer usable."""
        with self.write():
            self._db().execute(
                "UPDATE oauth_tokens SET access_revoked = access_revoked OR ?,"
                " refresh_revoked = refresh_revoked OR ? WHERE access_token = ?",
                (int(access), int(refresh), access_token),
            )

    # ------------------------------------------------------------------ idempotency

    def idempotent_answer(
        self, client_id: str, tenant_id: str, key: str
    ) -> tuple[str, int, bytes] | None:
        """(request fingerprint, status, body) stored under an Idempotency-Key."""
        row = self._one(
            "SELECT fingerprint, status, body FROM idempotency"
            " WHERE client_id = ? AND tenant_id = ? AND key = ?",
            client_id,
            tenant_id,
            key,
        )
        return None if row is None else (str(row[0]), int(row[1]), bytes(row[2]))

    def save_idempotent_answer(
        self, client_id: str, tenant_id: str, key: str, fingerprint: str, status: int, body: bytes
    ) -> None:
        """Keep an answer for replays (inside the write that made it)."""
        self._db().execute(
            "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?)",
            (client_id, tenant_id, key, fingerprint, status, body),
        )

    # ------------------------------------------------------------------ settings

    def accounts(self, org_id: int) -> list[Account]:
        """The chart of accounts in its seeded order (new accounts last)."""
        rows = self._all("SELECT body FROM accounts WHERE org_id = ? ORDER BY position", org_id)
        return [records.loads(Account, r[0]) for r in rows]

    def save_account(self, org_id: int, account: Account, position: int | None = None) -> None:
        """Insert or replace an account (inside :meth:`write`)."""
        if position is None:
            row = (
                self._db()
                .execute(
                    "SELECT position FROM accounts WHERE account_id = ?", (account.account_id,)
                )
                .fetchone()
            )
            position = (
                int(row[0])
                if row is not None
                else int(
                    self._db()
                    .execute(
                        "SELECT COALESCE(MAX(position), -1) + 1 FROM accounts WHERE org_id = ?",
                        (org_id,),
                    )
                    .fetchone()[0]
                )
            )
        self._db().execute(
            "INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?)",
            (account.account_id, org_id, position, account.code, records.dumps(account)),
        )

    def delete_account(self, org_id: int, account_id: str) -> None:
        """Remove an account (inside :meth:`write`)."""
        self._db().execute(
            "DELETE FROM accounts WHERE org_id = ? AND account_id = ?", (org_id, account_id)
        )

    def tracking(self, org_id: int) -> list[TrackingCategory]:
        """Tracking categories with their options, in seeded order (new ones last)."""
        rows = self._all("SELECT body FROM tracking WHERE org_id = ? ORDER BY position", org_id)
        return [records.loads(TrackingCategory, r[0]) for r in rows]

    def save_tracking(
        self, org_id: int, category: TrackingCategory, position: int | None = None
    ) -> None:
        """Insert or replace a tracking category with its options (inside :meth:`write`)."""
        if position is None:
            row = (
                self._db()
                .execute(
                    "SELECT position FROM tracking WHERE category_id = ?", (category.category_id,)
                )
                .fetchone()
            )
            position = (
                int(row[0])
                if row is not None
                else int(
                    self._db()
                    .execute(
                        "SELECT COALESCE(MAX(position), -1) + 1 FROM tracking WHERE org_id = ?",
                        (org_id,),
                    )
                    .fetchone()[0]
                )
            )
        self._db().execute(
            "INSERT OR REPLACE INTO tracking VALUES (?, ?, ?, ?)",
            (category.category_id, org_id, position, records.dumps(category)),
        )

    def delete_tracking(self, org_id: int, category_id: str) -> None:
        """Remove a tracking category (inside :meth:`write`)."""
        self._db().execute(
            "DELETE FROM tracking WHERE org_id = ? AND category_id = ?", (org_id, category_id)
        )

    # ------------------------------------------------------------------ contacts

    def contacts(self, org_id: int) -> list[Contact]:
        """All contacts of an organisation, oldest first."""
        rows = self._all("SELECT body FROM contacts WHERE org_id = ? ORDER BY rowid", org_id)
        return [records.loads(Contact, r[0]) for r in rows]

    def _one_contact(self, where: str, org_id: int, value: str) -> Contact | None:
        row = self._one(
            f"SELECT body FROM contacts WHERE org_id = ? AND {where} = ?", org_id, value
        )
        return None if row is None else records.loads(Contact, row[0])

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
        self._db().execute(
            "INSERT INTO contacts (contact_id, org_id, name_key, number, updated, body)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (contact_id) DO UPDATE SET"
            " name_key = excluded.name_key, number = excluded.number,"
            " updated = excluded.updated, body = excluded.body",
            (
                contact.contact_id,
                org_id,
                name_key(contact.name),
                contact.contact_number,
                contact.updated.isoformat(),
                records.dumps(contact),
            ),
        )

    def invoice_types_by_contact(self, org_id: int) -> dict[str, set[str]]:
        """ContactID -> the invoice types (ACCREC, ACCPAY) it has."""
        out: dict[str, set[str]] = {}
        for contact_id, kind in self._all(
            "SELECT DISTINCT contact_id, type FROM invoices WHERE org_id = ?", org_id
        ):
            out.setdefault(contact_id, set()).add(kind)
        return out

    # ------------------------------------------------------------------ invoices

    def invoices(self, org_id: int, offset: int = 0, limit: int = -1) -> list[Invoice]:
        """An organisation's invoices in the order they were entered (``limit`` of them
        after the first ``offset``; all by default)."""
        rows = self._all(
            "SELECT body FROM invoices WHERE org_id = ? ORDER BY seq LIMIT ? OFFSET ?",
            org_id,
            limit,
            offset,
        )
        return [records.loads(Invoice, r[0]) for r in rows]

    def invoice_by_id(self, org_id: int, invoice_id: str) -> Invoice | None:
        """An invoice by InvoiceID."""
        row = self._one(
            "SELECT body FROM invoices WHERE org_id = ? AND invoice_id = ?", org_id, invoice_id
        )
        return None if row is None else records.loads(Invoice, row[0])

    def invoice_by_number(self, org_id: int, number: str) -> Invoice | None:
        """An invoice by InvoiceNumber (exact; the first entered when ACCPAY numbers repeat)."""
        row = self._one(
            "SELECT body FROM invoices WHERE org_id = ? AND number = ? ORDER BY seq LIMIT 1",
            org_id,
            number,
        )
        return None if row is None else records.loads(Invoice, row[0])

    def invoice_numbers(self, org_id: int, kind: str) -> set[str]:
        """The numbers of an organisation's invoices of one type (ACCREC, ACCPAY)."""
        rows = self._all("SELECT number FROM invoices WHERE org_id = ? AND type = ?", org_id, kind)
        return {str(r[0]) for r in rows}

    def save_invoice(self, org_id: int, invoice: Invoice) -> None:
        """Insert or replace an invoice (inside :meth:`write`); the contact is stored by reference."""
        row = (
            self._db()
            .execute("SELECT seq FROM invoices WHERE invoice_id = ?", (invoice.invoice_id,))
            .fetchone()
        )
        seq = (
            row[0]
            if row is not None
            else self._db().execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM invoices").fetchone()[0]
        )
        self._db().execute(
            "INSERT OR REPLACE INTO invoices"
            " (invoice_id, org_id, number, type, contact_id, updated, seq, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                invoice.invoice_id,
                org_id,
                invoice.number,
                invoice.type,
                invoice.contact_id,
                invoice.updated.isoformat(),
                seq,
                records.dumps(invoice),
            ),
        )

    # ------------------------------------------------------------------ payments

    def payments(self, org_id: int) -> list[Payment]:
        """All payments of an organisation in the order they were made."""
        rows = self._all("SELECT body FROM payments WHERE org_id = ? ORDER BY seq", org_id)
        return [records.loads(Payment, r[0]) for r in rows]

    def payments_of(self, org_id: int, invoice_id: str) -> list[Payment]:
        """The payments of one invoice."""
        rows = self._all(
            "SELECT body FROM payments WHERE org_id = ? AND invoice_id = ? ORDER BY seq",
            org_id,
            invoice_id,
        )
        return [records.loads(Payment, r[0]) for r in rows]

    def payment_by_id(self, org_id: int, payment_id: str) -> Payment | None:
        """A payment by PaymentID."""
        row = self._one(
            "SELECT body FROM payments WHERE org_id = ? AND payment_id = ?", org_id, payment_id
        )
        return None if row is None else records.loads(Payment, row[0])

    def save_payment(self, org_id: int, payment: Payment) -> None:
        """Insert or replace a payment (inside :meth:`write`)."""
        row = (
            self._db()
            .execute("SELECT seq FROM payments WHERE payment_id = ?", (payment.payment_id,))
            .fetchone()
        )
        seq = (
            row[0]
            if row is not None
            else self._db().execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM payments").fetchone()[0]
        )
        self._db().execute(
            "INSERT OR REPLACE INTO payments VALUES (?, ?, ?, ?, ?)",
            (payment.payment_id, org_id, payment.invoice_id, seq, records.dumps(payment)),
        )


def _now() -> str:
    return datetime.now(UTC).isoformat()
