"""Issue 20 item 4: a secret too short to be real is refused, saying why, so that redaction
(process-wide: the log filter cannot know which client wrote a record) never masks ordinary
text. Before: after ``XeroClient(access_token="t")`` every later message of every client read
``***he ***oken lacks ***he scope``. Tokens from a token endpoint are held to the same rule, and
one with a line break (``SECRET\\r\\nX-Evil: 1``, item 14) is refused as a bad token without
showing any of it."""

from __future__ import annotations

import httpx
import pytest
from xero_customer_api import RequestValidationError, XeroClient, XeroResponseError
from xero_customer_api._runtime._secrets import redact

from .helpers import TENANT

TEXT = "the token lacks the scope; certificate verify failed"


@pytest.mark.parametrize(
    "credentials",
    [
        {"access_token": "t"},
        {"access_token": "test"},
        {"client_id": "CLIENTID0123456789ABCDEF", "client_secret": "e"},
        {
            "client_id": "CLIENTID0123456789ABCDEF",
            "token": {"access_token": "x", "refresh_token": "refresh-token-1234"},
        },
        {
            "client_id": "CLIENTID0123456789ABCDEF",
            "token": {"access_token": "access-token-1234", "refresh_token": "r"},
        },
    ],
)
def test_a_secret_too_short_to_be_real_is_refused_saying_why(
    credentials: dict[str, object],
) -> None:
    with pytest.raises(RequestValidationError, match="too short to be a real"):
        XeroClient(tenant_id=TENANT, **credentials)  # type: ignore[arg-type]
    assert redact(TEXT) == TEXT


def token_answer(token: str) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": token, "expires_in": 1800, "token_type": "Bearer"}
    )


@pytest.mark.parametrize(
    "token", ["t", "e", "SECRET-VALUE-1234\r\nX-Evil: 1", "tab\there-123456789"]
)
def test_a_token_endpoint_answer_with_an_unusable_token_is_refused(token: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/connect/token"):
            return token_answer(token)
        return httpx.Response(200, content=b"<Response/>")

    client = XeroClient(
        client_id="CLIENTID0123456789ABCDEF",
        client_secret="s3cr3t-CLIENT-SECRET-value-xyz",
        tenant_id=TENANT,
        max_retries=0,
        limiter=False,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(XeroResponseError, match="access token") as caught:
        client.contacts.list()
    assert "SECRET" not in str(caught.value) and "Evil" not in str(caught.value)
    assert not getattr(caught.value, "may_have_been_applied", False)
    assert redact(TEXT) == TEXT
