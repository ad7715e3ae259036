"""Issue 20 items 5, 13 (batch answers) and 16 (empty and oversized batches).

Item 5: with summarised errors one bad element raised ValidationError while Xero still created
the valid ones without returning their ids; a resend made duplicates. The safe mode is the
default now: create_many/save_many send summarizeErrors=false unless asked, split batches
above Xero's advised 50, and the summarised mode's error says valid elements may have been
saved. Item 13: each element sent must come back (a 1-item answer for 3 sent was a 1-item
BatchResult). Item 16: create_many([]) sent an empty PUT; a 10,000-item batch whose last item
had no name was sent.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import httpx
import pytest
from lxml import etree
from xero_customer_api import RequestValidationError, ValidationError, XeroResponseError
from xero_customer_api.v2_0 import models

from .helpers import HEAD, sync_client, xml

ROOT = Path(__file__).resolve().parents[2]


def echo(request: httpx.Request) -> httpx.Response:
    """Xero with summarizeErrors=false: every element back with status OK and an id."""
    sent = etree.fromstring(request.content)
    items = b"".join(
        b'<Contact status="OK"><ContactID>5b1e2c3d-4f50-4a61-8b72-%012d</ContactID><Name>%s</Name></Contact>'
        % (n, (c.findtext("Name") or "").encode())
        for n, c in enumerate(sent)
    )
    return xml(HEAD + b"<Contacts>" + items + b"</Contacts></Response>")


def contacts(n: int) -> list[models.Contact]:
    return [models.Contact(name=f"BATCH-{i}") for i in range(n)]


def test_batches_default_to_unsummarised_errors_and_return_every_element() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return echo(request)

    with sync_client(handler) as client:
        for method in (client.contacts.create_many, client.contacts.save_many):
            result = method(contacts(3))
            assert [i.item.name for i in result] == ["BATCH-0", "BATCH-1", "BATCH-2"]
    assert [r.url.params.get("summarizeErrors") for r in seen] == ["false", "false"]


def test_a_batch_above_50_is_split_and_comes_back_whole_in_order() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return echo(request)

    with sync_client(handler) as client:
        result = client.contacts.create_many(contacts(120), idempotency_key="batch-key-1")
    assert [len(etree.fromstring(r.content)) for r in seen] == [50, 50, 20]
    assert [i.item.name for i in result] == [f"BATCH-{i}" for i in range(120)]
    keys = [r.headers["Idempotency-Key"] for r in seen]
    assert len(set(keys)) == 3 and all(k.startswith("batch-key-1") for k in keys)


def test_an_answer_missing_elements_says_which_are_unknown() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        first = HEAD + b'<Contacts><Contact status="OK"><Name>BATCH-0</Name></Contact></Contacts>'
        return xml(first + b"</Response>")

    with (
        sync_client(handler) as client,
        pytest.raises(XeroResponseError, match=r"1 element for 3 sent.*2 to 3"),
    ):
        client.contacts.create_many(contacts(3))


def test_the_summarised_mode_stays_and_says_valid_elements_may_be_saved() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["summarizeErrors"] == "true"
        body = (
            b"<ApiException><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type>"
            b"<Message>A validation exception occurred</Message></ApiException>"
        )
        return xml(body, status=400)

    with (
        sync_client(handler) as client,
        pytest.raises(ValidationError, match="may have been saved") as caught,
    ):
        client.contacts.create_many(contacts(3), summarize_errors=True)
    assert caught.value.error_number == 10


def test_an_empty_batch_is_refused_before_sending() -> None:
    sent: list[httpx.Request] = []
    with sync_client(lambda r: sent.append(r) or echo(r)) as client:
        for method in (client.contacts.create_many, client.contacts.save_many):
            with pytest.raises(RequestValidationError, match="empty"):
                method([])
    assert sent == []


def test_a_large_batch_is_checked_whole_before_any_part_is_sent() -> None:
    sent: list[httpx.Request] = []
    batch = contacts(10_000)
    batch[-1] = models.Invoice()  # type: ignore[call-overload]
    with (
        sync_client(lambda r: sent.append(r) or echo(r)) as client,
        pytest.raises(RequestValidationError, match="10000"),
    ):
        client.contacts.create_many(batch)
    assert sent == []


def test_every_batch_endpoint_defaults_to_unsummarised_errors() -> None:
    found = 0
    for path in sorted((ROOT / "schemas/v2.0/resources").glob("*.toml")):
        for endpoint in tomllib.loads(path.read_text()).get("endpoints", []):
            for query in endpoint.get("query", []):
                if query.get("name") == "summarize_errors":
                    found += 1
                    assert query.get("default") is False, (path.name, endpoint["name"])
    assert found >= 5
