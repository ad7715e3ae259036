"""The README's 2.0 quick start runs as written, against a MockTransport fake of Xero 2.0.

Only the transport changes (a 2.0 sandbox comes with the sandbox issue): the client classes and
``exchange_code`` get an ``http_client`` over the fake; every line of the two blocks is executed
exactly as printed, and the fake checks what the SDK sends.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import xero_customer_api

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = ROOT / "tests" / "fixtures" / "v2.0" / "responses"
XML = {"content-type": "text/xml; charset=utf-8"}
TENANTS = [
    {
        "id": "c1",
        "tenantId": "11111111-aaaa-4bbb-8ccc-000000000001",
        "tenantType": "ORGANISATION",
        "tenantName": "Kowhai Cycles",
    },
    {
        "id": "c2",
        "tenantId": "22222222-aaaa-4bbb-8ccc-000000000002",
        "tenantType": "ORGANISATION",
        "tenantName": "Tui Bakery",
    },
]


def blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # the quick start proper: up to its first sub-section (### Reports ...)
    section = readme.split("## Quick start (API 2.0)", 1)[1].split("\n## ", 1)[0]
    section = section.split("\n### ", 1)[0]
    # the placeholder becomes a real tenant id, as tests/e2e/docs_examples.py does (tenant
    # ids are GUIDs, checked before sending)
    section = section.replace("YOUR_TENANT_ID", str(TENANTS[0]["tenantId"]))
    found = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(found) == 3, "the 2.0 quick start has three python blocks"
    # the second and third are one script split where the browser comes back with a code
    return [found[0], found[1] + CALLBACK + found[2]]


# what the browser brings back to the app in the PKCE example (tests/e2e/docs_examples.py plays
# the browser against the sandbox; here the fake identity server takes any code)
CALLBACK = 'callback_url = "https://app.example.com/xero/callback?code=CODE&state=" + start.state\n'


class FakeXero:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, httpx.Headers, dict[str, str]]] = []
        self.grants: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/connect/token":
            form = dict(parse_qsl(request.content.decode()))
            self.grants.append(form["grant_type"])
            return httpx.Response(
                200,
                json={
                    "access_token": f"TOKEN-{len(self.grants)}-abcdefgh",
                    "expires_in": 1800,
                    "token_type": "Bearer",
                    "refresh_token": f"REFRESH-{len(self.grants)}-abcdefgh",
                },
            )
        self.calls.append((request.method, path, request.headers, dict(request.url.params)))
        assert request.headers["authorization"].startswith("Bearer TOKEN-")
        if path == "/connections":
            return httpx.Response(200, json=TENANTS)
        assert request.headers["xero-tenant-id"]
        route = (request.method, path.removeprefix("/api.xro/2.0/"))
        if route == ("POST", "Contacts"):
            return self.xml("contacts_response/one_detailed.xml")
        if route == ("PUT", "Invoices"):
            return self.xml("invoices_response/created.xml")
        if route == ("GET", "Invoices"):
            return self.xml("invoices_response/unpaged_list.xml")
        if route == ("GET", "Contacts"):
            return self.xml("contacts_response/page_of_two.xml")
        if route == ("GET", "Accounts"):
            return self.xml("accounts_response/chart.xml")
        if route == ("GET", "Invoices/INV-404"):
            return httpx.Response(
                404,
                headers={"content-type": "text/html"},
                content=b"The resource you're looking for cannot be found",
            )
        raise AssertionError(f"unexpected call {route}")

    @staticmethod
    def xml(name: str) -> httpx.Response:
        return httpx.Response(200, headers=XML, content=(RESPONSES / name).read_bytes())


def test_quick_start_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeXero()
    real = xero_customer_api.XeroClient
    real_exchange = xero_customer_api.exchange_code
    opened: list[httpx.Client] = []

    def transport() -> httpx.Client:
        http = httpx.Client(transport=httpx.MockTransport(fake))
        opened.append(http)
        return http

    class FakeClient(real):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(http_client=transport(), **kwargs)

    def exchange(**kwargs: Any) -> dict[str, Any]:
        token: dict[str, Any] = dict(real_exchange(http_client=transport(), **kwargs))
        return token

    monkeypatch.setattr(xero_customer_api, "XeroClient", FakeClient)
    monkeypatch.setattr(xero_customer_api, "exchange_code", exchange)
    first, second = blocks()
    try:
        one: dict[str, Any] = {}
        exec(compile(first, "README.md", "exec"), one)
        two: dict[str, Any] = {}
        exec(compile(second, "README.md", "exec"), two)
    finally:
        for http in opened:
            http.close()
    # block 1: client credentials, writes keyed, where built by field(), 404 mapped
    assert fake.grants[:1] == ["client_credentials"]
    methods = [(m, p.removeprefix("/api.xro/2.0/")) for m, p, _, _ in fake.calls]
    assert methods[:4] == [
        ("POST", "Contacts"),
        ("PUT", "Invoices"),
        ("GET", "Invoices"),
        ("GET", "Contacts"),
    ]
    assert all(
        len(h["idempotency-key"]) == 128 for m, _, h, _ in fake.calls if m in ("PUT", "POST")
    )
    invoices_query = fake.calls[2][3]
    assert invoices_query["where"] == 'Type=="ACCREC" AND AmountDue>0'
    assert fake.calls[3][3]["where"] == 'Name!=null&&Name.StartsWith("Kowhai")'
    assert one["unpaid"] is not None
    # block 2: authorization code, connections, one client per tenant
    assert fake.grants[1:] == ["authorization_code"]
    assert two["token"]["refresh_token"] == "REFRESH-2-abcdefgh"
    tenants = [h["xero-tenant-id"] for _, p, h, _ in fake.calls if p.endswith("/Accounts")]
    assert tenants == [t["tenantId"] for t in TENANTS]
    out = capsys.readouterr().out
    assert (
        "404" in out
        and "Kowhai Cycles" in out
        and "https://login.xero.com/identity/connect/authorize?" in out
    )
