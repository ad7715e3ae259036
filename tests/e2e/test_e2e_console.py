"""The partner console, rendered by real headless Chromium (Debian's chromium package)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from lxml import html
from xero_customer_api.v1_0 import XeroClient, models
from xero_sandbox.process import RunningSandbox

from .browser import CHROMIUM_FLAGS

pytestmark = pytest.mark.e2e


def render(chromium: str, url: str, profile: Path, *extra: str) -> str:
    """Load *url* in headless Chromium with a fresh profile; return the DOM it built."""
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_console_in_chromium_lists_traffic_with_keys_redacted(
    chromium: str, sandbox: RunningSandbox, client: XeroClient, tmp_path: Path, unique: str
) -> None:
    hostile = f"<script>document.title='pwned'</script> & Sons {unique}"
    client.contacts.create(models.Contact(name=hostile))
    client.accounts.list()
    url = f"{sandbox.root_url}/console?apiKey={sandbox.api_key}"

    dom = render(chromium, url, tmp_path / "profile")

    assert sandbox.api_key not in dom and sandbox.customer_key not in dom
    page = html.fromstring(dom)
    assert page.findtext(".//title").startswith("Partner Console"), "no script ran"
    rows = page.xpath("//table[@id='traffic']/tbody/tr[@class='exchange']")
    assert rows, dom[:2000]
    cells = [[td.text_content() for td in row.xpath("td")] for row in rows]
    put_rows = [c for c in cells if c[1] == "PUT" and "/api.xro/1.0/contact" in c[2]]
    assert put_rows and put_rows[0][3].startswith("200")
    assert "apiKey=REDACTED" in put_rows[0][2] and "xeroKey=REDACTED" in put_rows[0][2]
    assert any(c[1] == "GET" and "/api.xro/1.0/accounts" in c[2] for c in cells)
    request_bodies = page.xpath("//pre[@class='request']/text()")
    ours = [body for body in request_bodies if unique in body]
    assert ours, "the raw request body is shown"
    assert "<Contact>" in ours[0] and "&lt;script&gt;" in ours[0], (
        "as raw XML text, its own escaping intact"
    )
    assert not page.xpath("//body//script"), "bodies are escaped, never markup"
    # A screenshot proves the page renders (and helps a human debug a failure).
    render(
        chromium,
        url,
        tmp_path / "profile2",
        f"--screenshot={tmp_path / 'console.png'}",
        "--window-size=1280,900",
    )


def test_console_shows_only_its_own_partner(
    sandbox: RunningSandbox, cli: Callable[..., str], sandbox_db: Path, unique: str
) -> None:
    other = cli("keys", "add-partner", "--db", str(sandbox_db), "--name", f"Quiet Partner {unique}")
    with httpx.Client(verify=sandbox.verify(), base_url=sandbox.root_url) as http:
        page = http.get("/console", params={"apiKey": other})
        assert page.status_code == 200 and "No requests yet." in page.text
        assert f"Quiet Partner {unique}" in page.text
        refused = http.get("/console", params={"apiKey": "NOTAKEY"})
        assert refused.status_code == 302 and "NOTAKEY" not in refused.headers["location"]


def test_console_in_chromium_shows_2_0_traffic_with_tokens_redacted(
    chromium: str, sandbox: RunningSandbox, tmp_path: Path, unique: str
) -> None:
    from xero_customer_api import XeroClient as XeroClient2
    from xero_customer_api.v2_0 import models as models2

    with httpx.Client(verify=sandbox.verify()) as http:
        answer = http.post(
            sandbox.token_url,
            data={"grant_type": "client_credentials"},
            auth=(sandbox.client_id, sandbox.client_secret),
        )
        assert answer.status_code == 200, answer.text
        token = answer.json()["access_token"]
        hostile = f"<img src=x onerror=alert(1)> 2.0 {unique}"
        with XeroClient2(
            access_token=token,
            tenant_id=sandbox.tenant_id,
            base_url=sandbox.v2_base_url,
            http_client=http,
            limiter=None,
        ) as client:
            client.contacts.create(models2.Contact(name=hostile))
            client.accounts.list()

    dom = render(chromium, f"{sandbox.root_url}/console?apiKey={sandbox.api_key}", tmp_path / "p")

    for secret in (token, sandbox.client_secret, sandbox.api_key):
        assert secret not in dom
    page = html.fromstring(dom)
    assert page.findtext(".//title").startswith("Partner Console"), "no script ran"
    cells = [
        [td.text_content() for td in row.xpath("td")]
        for row in page.xpath("//table[@id='traffic']/tbody/tr[@class='exchange']")
    ]
    assert any(c[1] in ("PUT", "POST") and "/api.xro/2.0/Contacts" in c[2] for c in cells)
    assert any(c[1] == "POST" and "/connect/token" in c[2] for c in cells)
    headers = page.xpath("//pre[@class='headers']/text()")
    assert any("authorization: Bearer REDACTED" in h for h in headers), headers[:3]
    assert any(sandbox.tenant_id in h for h in headers)  # the tenant id is not a secret
    responses = page.xpath("//pre[@class='response']/text()")
    assert any('"access_token": "REDACTED"' in r or '"access_token":"REDACTED"' in r
               for r in responses)  # fmt: skip
    ours = [b for b in page.xpath("//pre[@class='request']/text()") if unique in b]
    assert ours and "&lt;img" in ours[0], "the raw XML, its own escaping intact"
    assert not page.xpath("//body//img") and not page.xpath("//body//script")
