"""An organisation of the sandbox driven in process (no sockets, no tokens): requests go
straight to the 2.0 handlers inside a store transaction, as the API layer runs them; reports
are read back as plain rows. Shared by the ledger tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree
from xero_sandbox import ledger
from xero_sandbox.store import Store
from xero_sandbox.v2_0 import codec
from xero_sandbox.v2_0.errors import ApiError
from xero_sandbox.v2_0.service import Call, Service, route


@dataclass
class Flat:
    """A report row: the section titles above it, its type and cell values."""

    section: str
    kind: str
    values: list[str]
    ids: list[str]


class World:
    """One fresh organisation."""

    def __init__(self) -> None:
        self.store = Store(None)
        credentials = self.store.ensure_seeded()
        org = self.store.org_by_tenant(credentials.tenant_id)
        app = self.store.app(credentials.client_id)
        assert org is not None and app is not None
        self.org, self.app = org, app
        self.service = Service(self.store)

    def close(self) -> None:
        self.store.close()

    def call(
        self, method: str, path: str, body: bytes | str = b"", **query: str
    ) -> tuple[int, etree._Element]:
        segments = path.split("/")
        found = route(method, segments)
        assert found is not None, path
        handler, _ = found
        raw = body.encode() if isinstance(body, str) else body
        c = Call(method, segments, query, {}, raw, self.org, self.app, "Tests")
        self.service.begin()
        try:
            if method == "GET":
                with self.store.read():
                    answer = handler(self.service, c)
            else:
                with self.store.write():
                    answer = handler(self.service, c)
        except ApiError as exc:
            return exc.status, codec.api_exception(exc)
        return answer.status, etree.fromstring(codec.to_bytes(answer.root))

    def ok(self, method: str, path: str, body: bytes | str = b"", **query: str) -> etree._Element:
        status, root = self.call(method, path, body, **query)
        assert status == 200, etree.tostring(root)[:2000]
        return root

    # ------------------------------------------------------------------ reading

    def journals(self) -> list[ledger.Journal]:
        return ledger.journals(self.store, self.org.org_id)

    def account_id(self, code: str) -> str:
        return next(a.account_id for a in self.store.accounts(self.org.org_id) if a.code == code)

    def balance(self, code: str, *, until: datetime.date | None = None) -> Decimal:
        """The net (debit +) of an account from the ledger itself."""
        wanted = self.account_id(code)
        return sum(
            (
                line.net_amount
                for j in self.journals()
                if until is None or j.date <= until
                for line in j.lines
                if line.account_id == wanted
            ),
            Decimal(0),
        )

    def report(self, name: str, **query: str) -> list[Flat]:
        root = self.ok("GET", f"Reports/{name}", **query)
        report = root.find("Reports/Report")
        assert report is not None
        return flatten(report)


def flatten(report: etree._Element) -> list[Flat]:
    out: list[Flat] = []

    def walk(rows: etree._Element | None, section: str) -> None:
        if rows is None:
            return
        for row in rows.findall("Row"):
            kind = row.findtext("RowType") or ""
            if kind == "Section":
                walk(row.find("Rows"), row.findtext("Title") or "")
                continue
            cells = row.findall("Cells/Cell")
            out.append(
                Flat(
                    section,
                    kind,
                    [c.findtext("Value") or "" for c in cells],
                    [c.findtext("Attributes/Attribute/Value") or "" for c in cells],
                )
            )

    walk(report.find("Rows"), "")
    return out


def amount(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def find(rows: list[Flat], label: str, section: str | None = None) -> Flat:
    for row in rows:
        if row.values and row.values[0] == label and (section is None or row.section == section):
            return row
    raise AssertionError(f"no row {label!r} in {[r.values[:1] for r in rows]}")
