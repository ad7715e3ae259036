"""Helpers of the API 2.0 runtime tests: a minimal 2.0 client over MockTransport.

The client classes set exactly the class attributes the generated 2.0 clients get from
``schemas/v2.0/manifest.toml`` (auth ``oauth2``, errors ``api-exception``, retries
``idempotency-key``, bodies ``application/xml``), so these tests exercise the runtime
strategies without depending on the generated resources.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import parse_qsl

import httpx
from lxml import etree
from xero_customer_api._runtime import AsyncAPIClient, RawResponse, SyncAPIClient

TENANT = "a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b"
OTHER_TENANT = "b4c2d3e5-1111-4f60-8b9c-8d7e6f5a4b3c"
ACCESS_TOKEN = "eyJhbGciOi.ACCESS-TOKEN-one-1234567890"
CLIENT_ID = "CLIENTID0123456789ABCDEF"
CLIENT_SECRET = "s3cr3t-CLIENT-SECRET-value-xyz"
REFRESH_TOKEN = "REFRESH-token-0001-abcdefghijk"
BASE_URL = "https://api.xero.test/api.xro/2.0/"
TOKEN_URL = "https://identity.xero.test/connect/token"

ENVELOPE = (
    b'<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    b"<Id>6c1f0b0e-3f7a-4a55-9e62-1c5d2c3b4a59</Id><Status>OK</Status>"
    b"<ProviderName>Test App</ProviderName><DateTimeUTC>2026-07-01T04:13:44.7828584Z</DateTimeUTC>"
    b"<Contacts><Contact><ContactID>5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8</ContactID>"
    b"<Name>Red House Reads</Name></Contact></Contacts></Response>"
)
XML = {"content-type": "text/xml; charset=utf-8"}
LIMITS = {
    "x-daylimit-remaining": "4990",
    "x-minlimit-remaining": "58",
    "x-appminlimit-remaining": "9990",
}


class _V2:
    _environments: ClassVar[dict[str, str]] = {"production": BASE_URL}
    _default_environment: ClassVar[str] = "production"
    _api_version: ClassVar[str] = "2.0"
    _auth_style: ClassVar[str] = "oauth2"
    _error_style: ClassVar[str] = "api-exception"
    _retry_style: ClassVar[str] = "idempotency-key"
    _content_type: ClassVar[str] = "application/xml"


class V2Client(_V2, SyncAPIClient):
    def contacts(self, **kwargs: Any) -> RawResponse[str]:
        """GET Contacts, parsed to the root tag."""
        return self._request(
            method="GET", path="Contacts", response_type=str, decode=root_tag, **kwargs
        )

    def put_contacts(self, **kwargs: Any) -> RawResponse[str]:
        return self._request(
            method="PUT",
            path="Contacts",
            body=object(),
            encode=lambda _: b"<Contacts><Contact><Name>A</Name></Contact></Contacts>",
            response_type=str,
            decode=root_tag,
            **kwargs,
        )


class AsyncV2Client(_V2, AsyncAPIClient):
    async def contacts(self, **kwargs: Any) -> RawResponse[str]:
        return await self._request(
            method="GET", path="Contacts", response_type=str, decode=root_tag, **kwargs
        )

    async def put_contacts(self, **kwargs: Any) -> RawResponse[str]:
        return await self._request(
            method="PUT",
            path="Contacts",
            body=object(),
            encode=lambda _: b"<Contacts><Contact><Name>A</Name></Contact></Contacts>",
            response_type=str,
            decode=root_tag,
            **kwargs,
        )


def root_tag(root: etree._Element, strict: bool) -> str:
    return str(root.tag)


def token_json(
    access: str, *, refresh: str | None = None, expires_in: int = 1800, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "access_token": access,
        "expires_in": expires_in,
        "token_type": "Bearer",
        "scope": "accounting.contacts",
        **extra,
    }
    if refresh is not None:
        data["refresh_token"] = refresh
    return data


class Xero:
    """A MockTransport handler playing Xero: an identity token endpoint and the API.

    ``tokens`` are handed out in order by the token endpoint (the last one repeats);
    ``api`` answers API calls (default: a Contacts envelope, accepting only the current
    token). Every request is recorded; token calls also with their decoded form.
    """

    def __init__(
        self,
        *,
        tokens: list[dict[str, Any] | httpx.Response] | None = None,
        api: list[httpx.Response | BaseException | Callable[[httpx.Request], httpx.Response]]
        | None = None,
        token_delay: float = 0.0,
    ) -> None:
        self.tokens = tokens or []
        self.api = api or []
        self.token_delay = token_delay
        self.token_requests: list[httpx.Request] = []
        self.token_forms: list[dict[str, str]] = []
        self.api_requests: list[httpx.Request] = []
        self.api_headers: list[httpx.Headers] = []  # as sent (a retried request is re-sent)
        self.issued: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/connect/token"):
            return self._token(request)
        with self._lock:
            self.api_requests.append(request)
            self.api_headers.append(httpx.Headers(request.headers))
            index = len(self.api_requests) - 1
        if self.api:
            answer = self.api[min(index, len(self.api) - 1)]
            if isinstance(answer, BaseException):
                raise answer
            if callable(answer) and not isinstance(answer, httpx.Response):
                return answer(request)
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        return httpx.Response(200, headers={**XML, **LIMITS}, content=ENVELOPE)

    def _token(self, request: httpx.Request) -> httpx.Response:
        if self.token_delay:
            # widen the race window of concurrency tests (time.sleep is patched out)
            threading.Event().wait(self.token_delay)
        with self._lock:
            self.token_requests.append(request)
            self.token_forms.append(dict(parse_qsl(request.content.decode())))
            index = len(self.token_requests) - 1
        if not self.tokens:
            return httpx.Response(500, json={"error": "no token scripted"})
        answer = self.tokens[min(index, len(self.tokens) - 1)]
        if isinstance(answer, httpx.Response):
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        self.issued.append(answer["access_token"])
        return httpx.Response(200, json=answer)

    @property
    def bearers(self) -> list[str | None]:
        return [h.get("authorization") for h in self.api_headers]


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def problem(status: int, detail: str, **headers: str) -> httpx.Response:
    body = {
        "Type": None,
        "Title": "Unauthorized" if status == 401 else "Forbidden",
        "Status": status,
        "Detail": detail,
        "Instance": "5b4d0e58-1c2b-4a3d-9e8f-7a6b5c4d3e2f",
        "Extensions": {},
    }
    return httpx.Response(
        status,
        headers={"content-type": "application/json; charset=utf-8", **headers},
        content=json.dumps(body).encode(),
    )


def sync_client(xero: Xero, **options: Any) -> V2Client:
    options.setdefault("tenant_id", TENANT)
    options.setdefault("base_url", BASE_URL)
    if "client_id" in options or "token" in options:
        options.setdefault("token_url", TOKEN_URL)
    return V2Client(http_client=httpx.Client(transport=httpx.MockTransport(xero)), **options)


def async_client(xero: Xero, **options: Any) -> AsyncV2Client:
    options.setdefault("tenant_id", TENANT)
    options.setdefault("base_url", BASE_URL)
    if "client_id" in options or "token" in options:
        options.setdefault("token_url", TOKEN_URL)
    return AsyncV2Client(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(xero)), **options
    )
