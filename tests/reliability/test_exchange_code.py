"""Issue 20 item 15: exchange_code accepted an attacker's ``state`` when the caller passed
``state=""`` (Authlib compares only truthy states), ignored ``state=`` given with ``code=``,
and let ``httpx.InvalidURL`` out for a malformed or 70,000-character ``callback_url``."""

from __future__ import annotations

import httpx
import pytest
from xero_customer_api import RequestValidationError
from xero_customer_api._runtime._oauth import exchange_code

CALLBACK = "https://app.example.com/callback?code=attacker-code-123456&state=attacker-state"
sent: list[httpx.Request] = []


def token_endpoint(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(200, json={"access_token": "access-token-0123456789", "expires_in": 1800})


def exchange(**kwargs: object) -> object:
    options: dict[str, object] = {
        "client_id": "CLIENTID0123456789ABCDEF",
        "redirect_uri": "https://app.example.com/callback",
        "code_verifier": "v" * 64,
        "http_client": httpx.Client(transport=httpx.MockTransport(token_endpoint)),
        **kwargs,
    }
    return exchange_code(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("state", ["", "   "])
def test_an_empty_state_is_refused(state: str) -> None:
    sent.clear()
    with pytest.raises(RequestValidationError, match="state"):
        exchange(callback_url=CALLBACK, state=state)
    assert sent == []


def test_another_state_is_refused() -> None:
    sent.clear()
    with pytest.raises(RequestValidationError, match="state"):
        exchange(callback_url=CALLBACK, state="my-state")
    with pytest.raises(RequestValidationError, match="state"):
        exchange(callback_url="https://app.example.com/callback?code=c0de-123456", state="s")
    assert sent == []


def test_state_with_code_is_not_ignored() -> None:
    sent.clear()
    with pytest.raises(RequestValidationError, match="state"):
        exchange(code="the-code-0123456789", state="my-state")
    assert sent == []


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/callback?code=x&state=s" + "a" * 70_000,
        "http://[::1/cb?code=x",
        "\x00",
    ],
)
def test_an_unusable_callback_url_is_a_validation_error(url: str) -> None:
    with pytest.raises(RequestValidationError, match="callback_url"):
        exchange(callback_url=url, state="s")


def test_the_matching_state_works() -> None:
    sent.clear()
    token = exchange(callback_url=CALLBACK, state="attacker-state")
    assert isinstance(token, dict) and len(sent) == 1
