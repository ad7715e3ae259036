"""The sandbox's identity server over real sockets, driven by Authlib's own OAuth 2.0 client
(an independent implementation of the client side) and, for the consent page, headless
Chromium: client credentials, authorization code with PKCE, rotating refresh tokens,
revocation, ``GET /connections`` and Xero's 401 answers."""

from __future__ import annotations

import http.server
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.base_client import OAuthError as OAuth2Error
from xero_sandbox.process import RunningSandbox, launch

from .browser import Page

with warnings.catch_warnings():  # Authlib 1.9 deprecates its httpx integration for httpx2
    warnings.simplefilter("ignore")
    from authlib.integrations.httpx_client import OAuth2Client

pytestmark = pytest.mark.e2e

SCOPES = "offline_access accounting.transactions accounting.contacts accounting.settings"


def oauth_client(sandbox: RunningSandbox, **kwargs: Any) -> OAuth2Client:
    return OAuth2Client(
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        verify=sandbox.verify(),
        **kwargs,
    )


def connections(sandbox: RunningSandbox, access_token: str) -> httpx.Response:
    with httpx.Client(verify=sandbox.verify()) as http:
        return http.get(
            f"{sandbox.root_url}/connections", headers={"Authorization": f"Bearer {access_token}"}
        )


class Callback:
    """A loopback HTTP server standing in for the app's redirect URI."""

    def __init__(self) -> None:
        self.got: list[str] = []
        self.arrived = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.got.append(self.path)
                outer.arrived.set()
                body = b"<html><body>connected</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def callback() -> Iterator[Callback]:
    server = Callback()
    yield server
    server.close()


def consent_in_chromium(
    chromium: str, profile: Path, url: str, tenants: list[str], callback: Callback
) -> dict[str, list[str]]:
    """Open the authorization page, tick *tenants*, press Allow; the callback's query."""
    with Page(chromium, profile) as page:
        page.goto(url)
        listed = page.wait_for(
            "document.getElementById('allow') &&"
            " [...document.querySelectorAll('input[name=tenant]')].map(b => b.value)"
        )
        assert set(tenants) <= set(listed)
        for tenant in tenants:
            page.evaluate(f"document.querySelector('input[value=\"{tenant}\"]').click()")
        page.evaluate("document.getElementById('allow').click()")
        assert callback.arrived.wait(30), "the browser never reached the redirect URI"
    return parse_qs(urlsplit(callback.got[-1]).query)


def test_client_credentials_reach_the_custom_connection_only(sandbox: RunningSandbox) -> None:
    with oauth_client(sandbox) as client:
        token = client.fetch_token(sandbox.token_url, grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and token["expires_in"] == 1800
    assert "refresh_token" not in token  # a custom connection has none
    assert set(token["scope"].split()) >= {"accounting.transactions", "accounting.contacts"}
    answer = connections(sandbox, token["access_token"])
    assert answer.status_code == 200, answer.text
    listed = answer.json()
    assert [c["tenantId"] for c in listed] == [sandbox.tenant_id]
    assert listed[0]["tenantType"] == "ORGANISATION" and listed[0]["tenantName"] == "Demo Company"
    # a tenantless call carries only the app's limit
    assert "x-appminlimit-remaining" in answer.headers
    assert "x-daylimit-remaining" not in answer.headers


def test_bad_client_secret_is_refused(sandbox: RunningSandbox) -> None:
    with (
        OAuth2Client(
            client_id=sandbox.client_id, client_secret="not-the-secret", verify=sandbox.verify()
        ) as client,
        pytest.raises(OAuth2Error) as refused,
    ):
        client.fetch_token(sandbox.token_url, grant_type="client_credentials")
    assert refused.value.error == "invalid_client"


def test_missing_or_unknown_token_gets_xero_401(sandbox: RunningSandbox) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"}):
        with httpx.Client(verify=sandbox.verify()) as http:
            answer = http.get(f"{sandbox.root_url}/connections", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["content-type"] == "application/json"
        assert answer.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
        body = answer.json()
        assert body["Title"] == "Unauthorized" and body["Status"] == 401
        assert body["Detail"] == "AuthenticationUnsuccessful" and body["Type"] is None


def test_authorization_code_with_pkce_through_the_consent_page(
    sandbox: RunningSandbox,
    chromium: str,
    tmp_path: Path,
    callback: Callback,
    add_org: Callable[[str], tuple[str, str]],
    unique: str,
) -> None:
    _, second_tenant = add_org(f"Connected Org {unique}")
    client = oauth_client(
        sandbox, scope=SCOPES, redirect_uri=callback.url, code_challenge_method="S256"
    )
    verifier = "v" * 20 + unique * 4  # 52 characters (RFC 7636: 43 to 128)
    url, state = client.create_authorization_url(sandbox.authorize_url, code_verifier=verifier)

    query = consent_in_chromium(
        chromium, tmp_path / "profile", url, [sandbox.tenant_id, second_tenant], callback
    )
    assert query["state"] == [state] and "code" in query

    token = client.fetch_token(
        sandbox.token_url, code=query["code"][0], code_verifier=verifier, state=state
    )
    assert token["refresh_token"] and token["expires_in"] == 1800
    tenants = [c["tenantId"] for c in connections(sandbox, token["access_token"]).json()]
    assert tenants == [sandbox.tenant_id, second_tenant]

    # the code is spent: a second exchange is refused
    with pytest.raises(OAuth2Error) as again:
        client.fetch_token(
            sandbox.token_url, code=query["code"][0], code_verifier=verifier, state=state
        )
    assert again.value.error == "invalid_grant"

    # refresh tokens rotate; the old one is refused once used
    rotated = client.refresh_token(sandbox.token_url, refresh_token=token["refresh_token"])
    assert rotated["refresh_token"] != token["refresh_token"]
    assert rotated["access_token"] != token["access_token"]
    with pytest.raises(OAuth2Error) as reused:
        client.refresh_token(sandbox.token_url, refresh_token=token["refresh_token"])
    assert reused.value.error == "invalid_grant"
    assert connections(sandbox, rotated["access_token"]).json()[1]["tenantId"] == second_tenant

    # revocation (RFC 7009): the refresh token and its access token stop working
    revoked = client.revoke_token(
        f"{sandbox.root_url}/connect/revocation",
        token=rotated["refresh_token"],
        token_type_hint="refresh_token",
    )
    assert revoked.status_code == 200
    with pytest.raises(OAuth2Error):
        client.refresh_token(sandbox.token_url, refresh_token=rotated["refresh_token"])
    assert connections(sandbox, rotated["access_token"]).status_code == 401
    client.close()


def test_a_wrong_code_verifier_is_refused(
    sandbox: RunningSandbox, chromium: str, tmp_path: Path, callback: Callback
) -> None:
    client = oauth_client(
        sandbox, scope=SCOPES, redirect_uri=callback.url, code_challenge_method="S256"
    )
    url, state = client.create_authorization_url(sandbox.authorize_url, code_verifier="a" * 50)
    query = consent_in_chromium(chromium, tmp_path / "p", url, [sandbox.tenant_id], callback)
    with pytest.raises(OAuth2Error) as refused:
        client.fetch_token(
            sandbox.token_url, code=query["code"][0], code_verifier="b" * 50, state=state
        )
    assert refused.value.error == "invalid_grant"
    client.close()


def test_cancel_on_the_consent_page_redirects_with_access_denied(
    sandbox: RunningSandbox, chromium: str, tmp_path: Path, callback: Callback
) -> None:
    client = oauth_client(
        sandbox, scope=SCOPES, redirect_uri=callback.url, code_challenge_method="S256"
    )
    url, state = client.create_authorization_url(sandbox.authorize_url, code_verifier="c" * 50)
    with Page(chromium, tmp_path / "p") as page:
        page.goto(url)
        page.wait_for("!!document.getElementById('deny')")
        page.evaluate("document.getElementById('deny').click()")
        assert callback.arrived.wait(30)
    query = parse_qs(urlsplit(callback.got[-1]).query)
    assert query["error"] == ["access_denied"] and query["state"] == [state]
    client.close()


def test_access_tokens_expire_with_xero_token_expired(tmp_path: Path) -> None:
    sandbox = launch(["--http", "--token-ttl", "1"])
    try:
        with OAuth2Client(
            client_id=sandbox.client_id, client_secret=sandbox.client_secret
        ) as client:
            token = client.fetch_token(sandbox.token_url, grant_type="client_credentials")
        assert token["expires_in"] == 1
        assert connections(sandbox, token["access_token"]).status_code == 200
        time.sleep(1.2)
        expired = connections(sandbox, token["access_token"])
        assert expired.status_code == 401
        assert expired.json()["Detail"].startswith("TokenExpired: token expired at ")
        assert "error_description" in expired.headers["www-authenticate"]
    finally:
        assert sandbox.stop() in (0, -15)


def test_keys_add_app_makes_another_app_and_the_console_hides_its_secrets(
    sandbox: RunningSandbox, sandbox_db: Path, cli: Callable[..., str], unique: str
) -> None:
    printed = cli("keys", "add-app", "--db", str(sandbox_db), "--name", f"Second App {unique}")
    values = dict(line.removeprefix("export ").split("=", 1) for line in printed.splitlines())
    assert set(values) == {"XERO_CLIENT_ID", "XERO_CLIENT_SECRET"}
    assert values["XERO_CLIENT_ID"] != sandbox.client_id
    with OAuth2Client(
        client_id=values["XERO_CLIENT_ID"],
        client_secret=values["XERO_CLIENT_SECRET"],
        verify=sandbox.verify(),
        token_endpoint_auth_method="client_secret_post",
    ) as client:
        token = client.fetch_token(sandbox.token_url, grant_type="client_credentials")
    answer = connections(sandbox, token["access_token"])
    assert [c["tenantId"] for c in answer.json()] == [sandbox.tenant_id]

    with httpx.Client(verify=sandbox.verify()) as http:
        page = http.get(sandbox.console_url).text
    assert values["XERO_CLIENT_SECRET"] not in page
    assert token["access_token"] not in page
    assert "client_secret=REDACTED" in page  # the form body of the token call, redacted
    assert "&quot;access_token&quot;: &quot;REDACTED&quot;" in page
    assert "authorization: Bearer REDACTED" in page  # the /connections call's header
