"""The identity server is as strict as documented (issue 20 item 17): S256 PKCE for PKCE apps
(no ``code_challenge`` refused, ``plain`` refused) and the client secret of a confidential app
on the token endpoint (every grant, refresh included) and on revocation."""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from xero_sandbox.store import App, Credentials, Store

pytestmark = pytest.mark.asyncio

REDIRECT = "https://app.example/callback"
SCOPE = "offline_access accounting.contacts"


def _pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


async def _authorize(
    http: httpx.AsyncClient, client_id: str, tenant: str, **pkce: str
) -> httpx.Response:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": SCOPE,
        "state": "st",
        **pkce,
    }
    page = await http.get("/identity/connect/authorize", params=params)
    if page.status_code != 200:
        return page
    return await http.post(
        "/identity/connect/authorize", data={**params, "action": "allow", "tenant": tenant}
    )


def _code(answer: httpx.Response) -> str:
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]


@pytest.fixture
def pkce_app(store: Store, credentials: Credentials) -> App:
    return store.add_app("Desktop App", pkce=True)


async def test_a_pkce_app_must_send_an_s256_challenge(
    http: httpx.AsyncClient, pkce_app: App, credentials: Credentials
) -> None:
    assert pkce_app.client_secret == "" and pkce_app.custom_org_id is None
    tenant = credentials.tenant_id
    verifier, challenge = _pair()
    for pkce in (
        {},  # no code_challenge at all
        {"code_challenge": verifier, "code_challenge_method": "plain"},
        {"code_challenge": challenge},  # no method: RFC 7636's default is plain
        {"code_challenge": challenge, "code_challenge_method": "s256"},
    ):
        refused = await _authorize(http, pkce_app.client_id, tenant, **pkce)
        assert refused.status_code == 400, pkce
        assert "invalid_request" in refused.text
    code = _code(
        await _authorize(
            http, pkce_app.client_id, tenant, code_challenge=challenge, code_challenge_method="S256"
        )
    )
    grant = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    missing = await http.post("/connect/token", data={**grant, "client_id": pkce_app.client_id})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    wrong = await http.post(
        "/connect/token",
        data={**grant, "client_id": pkce_app.client_id, "code_verifier": _pair()[0]},
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    code = _code(
        await _authorize(
            http, pkce_app.client_id, tenant, code_challenge=challenge, code_challenge_method="S256"
        )
    )
    grant["code"] = code
    token = await http.post(
        "/connect/token",
        data={**grant, "client_id": pkce_app.client_id, "code_verifier": verifier},
    )
    assert token.status_code == 200, token.text
    # a PKCE app refreshes and revokes with its client id alone; it has no custom connection
    rotated = await http.post(
        "/connect/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": token.json()["refresh_token"],
            "client_id": pkce_app.client_id,
        },
    )
    assert rotated.status_code == 200, rotated.text
    custom = await http.post(
        "/connect/token",
        data={"grant_type": "client_credentials", "client_id": pkce_app.client_id},
    )
    assert custom.status_code in (400, 401)


async def test_a_confidential_app_must_send_its_secret_everywhere(
    http: httpx.AsyncClient, credentials: Credentials
) -> None:
    app_id, secret, tenant = credentials.client_id, credentials.client_secret, credentials.tenant_id
    verifier, challenge = _pair()
    # plain is refused for every app
    plain = await _authorize(
        http, app_id, tenant, code_challenge=verifier, code_challenge_method="plain"
    )
    assert plain.status_code == 400 and "invalid_request" in plain.text
    code = _code(
        await _authorize(
            http, app_id, tenant, code_challenge=challenge, code_challenge_method="S256"
        )
    )
    grant = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    no_secret = await http.post("/connect/token", data={**grant, "client_id": app_id})
    assert no_secret.status_code == 401 and no_secret.json()["error"] == "invalid_client"
    token = await http.post("/connect/token", data=grant, auth=(app_id, secret))
    assert token.status_code == 200, token.text
    refresh = token.json()["refresh_token"]
    by_id = await http.post(
        "/connect/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh, "client_id": app_id},
    )
    assert by_id.status_code == 401 and by_id.json()["error"] == "invalid_client"
    revoke_by_id = await http.post(
        "/connect/revocation", data={"token": refresh, "client_id": app_id}
    )
    assert revoke_by_id.status_code == 401
    still = await http.post(
        "/connect/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh},
        auth=(app_id, secret),
    )
    assert still.status_code == 200, "the refused revocation revoked nothing"
    revoked = await http.post(
        "/connect/revocation", data={"token": still.json()["refresh_token"]}, auth=(app_id, secret)
    )
    assert revoked.status_code == 200
    # a confidential app may also authorize without PKCE (Xero's web apps), but then its
    # code is redeemed with the secret only
    code = _code(await _authorize(http, app_id, tenant))
    bare = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    assert (
        await http.post("/connect/token", data={**bare, "client_id": app_id})
    ).status_code == 401
    assert (await http.post("/connect/token", data=bare, auth=(app_id, secret))).status_code == 200


# ----------------------------------------------------------------------------- the console


async def _export(http: httpx.AsyncClient, api_key: str) -> str:
    page = await http.get("/console/export", params={"apiKey": api_key})
    assert page.status_code == 200
    return page.text


async def test_the_console_hides_encoded_and_pasted_tokens(
    http: httpx.AsyncClient, store: Store, credentials: Credentials
) -> None:
    app_id, secret, tenant = credentials.client_id, credentials.client_secret, credentials.tenant_id
    verifier, challenge = _pair()
    code = _code(
        await _authorize(
            http, app_id, tenant, code_challenge=challenge, code_challenge_method="S256"
        )
    )
    token = (
        await http.post(
            "/connect/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            auth=(app_id, secret),
        )
    ).json()
    access, refresh = token["access_token"], token["refresh_token"]
    # a refresh token sent as refresh%5Ftoken= (a form decodes it to refresh_token)
    rotated = await http.post(
        "/connect/token",
        content=f"grant_type=refresh_token&refresh%5Ftoken={refresh}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        auth=(app_id, secret),
    )
    assert rotated.status_code == 200, rotated.text
    new_access = rotated.json()["access_token"]
    # an access token pasted into a where value, sent with another token
    await http.get(
        "/api.xro/2.0/Contacts",
        params={"where": f'Name=="{access}"'},
        headers={"Authorization": f"Bearer {new_access}", "xero-tenant-id": tenant},
    )
    exported = await _export(http, credentials.api_key)
    for value in (access, refresh, new_access, rotated.json()["refresh_token"], code, verifier):
        assert value not in exported
    assert "refresh%5Ftoken=REDACTED" in exported
    assert 'Name==\\"REDACTED\\"' in exported or "Name%3D%3D%22REDACTED%22" in exported


async def test_a_request_naming_another_app_stays_out_of_its_console(
    http: httpx.AsyncClient, store: Store, credentials: Credentials
) -> None:
    other_partner = store.add_partner("Other Partner")
    other_org = store.add_org("Other Org", other_partner)[1]
    other = store.add_app("Other App", other_partner, other_org)
    # the first partner's client tries the other app's client id with a wrong secret
    tried = await http.post(
        "/connect/token",
        data={"grant_type": "client_credentials", "note": "from-the-first-partner"},
        auth=(other.client_id, credentials.client_secret),
    )
    assert tried.status_code == 401
    assert "from-the-first-partner" not in await _export(http, other_partner)
    # the other app's own calls are shown to its partner
    own = await http.post(
        "/connect/token",
        data={"grant_type": "client_credentials", "note": "its-own-call"},
        auth=(other.client_id, other.client_secret),
    )
    assert own.status_code == 200
    exported = await _export(http, other_partner)
    assert "its-own-call" in exported and other.client_secret not in exported


async def test_two_tenant_headers_are_refused(
    http: httpx.AsyncClient, store: Store, credentials: Credentials
) -> None:
    token = (
        await http.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=(credentials.client_id, credentials.client_secret),
        )
    ).json()["access_token"]
    headers = [
        ("Authorization", f"Bearer {token}"),
        ("xero-tenant-id", "00000000-0000-0000-0000-000000000001"),
        ("xero-tenant-id", credentials.tenant_id),
    ]
    answer = await http.get("/api.xro/2.0/Contacts", headers=httpx.Headers(headers))
    assert answer.status_code == 403
    one = await http.get("/api.xro/2.0/Contacts", headers=httpx.Headers(headers[::2]))
    assert one.status_code == 200


async def test_keys_add_app_pkce_prints_no_secret(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from xero_sandbox.cli import main

    db = tmp_path / "keys.db"
    printed = CliRunner().invoke(main, ["keys", "add-app", "--db", str(db), "--pkce"])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("export XERO_CLIENT_ID=")
    store = Store(db)
    try:
        app = store.app(lines[0].split("=", 1)[1])
        assert app is not None and app.public and app.custom_org_id is None
    finally:
        store.close()
