"""The partner console's JSON export (read by `xero-codegen drift`)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from xero_codegen.diff.drift import drift

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.asyncio
async def test_export_lists_redacted_exchanges_and_drift_reads_it(
    http: httpx.AsyncClient, keys: dict[str, str], tmp_path: Path
) -> None:
    assert (await http.get("/api.xro/1.0/accounts", params=keys)).status_code == 200
    assert (await http.get("/api.xro/1.0/contacts", params=keys)).status_code == 200
    answer = await http.get("/console/export", params={"apiKey": keys["apiKey"]})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    data = answer.json()
    assert data["provider"] == "Demo Partner"
    assert [e["path"].split("?")[0] for e in data["exchanges"]] == [
        "/api.xro/1.0/contacts",
        "/api.xro/1.0/accounts",
    ]
    assert keys["apiKey"] not in answer.text and keys["xeroKey"] not in answer.text
    assert all(e["response_body"].startswith("<") for e in data["exchanges"])
    export = tmp_path / "console.json"
    export.write_bytes(answer.content)
    report = drift([export], ROOT / "schemas" / "v1.0", ROOT)
    assert report.documents == 2 and report.findings == [] and report.unread == []


@pytest.mark.asyncio
async def test_export_needs_a_partner_key(http: httpx.AsyncClient) -> None:
    answer = await http.get("/console/export", params={"apiKey": "nope"})
    assert answer.status_code in (302, 303)
