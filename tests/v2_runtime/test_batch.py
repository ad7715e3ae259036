"""BatchResult / BatchItem: per-element results of a batch write."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from xero_customer_api import BatchItem, BatchResult, ValidationError
from xero_customer_api._runtime._batch import batch_result

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "v2.0"


@dataclass
class Entry:
    message: str | None


class Status(enum.Enum):
    OK = "OK"
    WARNING = "WARNING"
    ERROR = "ERROR"


@dataclass
class Model:
    name: str
    validation_status: Status | str | None = None
    validation_errors: list[Entry] = field(default_factory=list)
    warnings: list[Entry] = field(default_factory=list)


def test_statuses_messages_and_splits() -> None:
    ok = Model("a", Status.OK)
    warned = Model("b", "warning", warnings=[Entry("Looks odd"), Entry(None), Entry("  ")])
    failed = Model("c", Status.ERROR, validation_errors=[Entry("Name taken"), Entry(" Bad code ")])
    result = batch_result([ok, warned, failed])
    assert isinstance(result, BatchResult)
    assert len(result) == 3
    assert [i.status for i in result] == ["OK", "WARNING", "ERROR"]
    assert result.items[1] == BatchItem(
        item=warned, status="WARNING", validation_errors=[], warnings=["Looks odd"]
    )
    assert result.items[2].validation_errors == ["Name taken", "Bad code"]
    assert [i.item.name for i in result.succeeded] == ["a", "b"]
    assert [i.item.name for i in result.failed] == ["c"]


def test_summarised_answers_without_status_count_as_ok() -> None:
    result = batch_result([Model("a"), Model("b", "")])
    assert [i.status for i in result] == ["OK", "OK"]
    assert result.failed == []


def test_missing_status_with_errors_is_an_error() -> None:
    result = batch_result([Model("a", None, validation_errors=[Entry("broken")])])
    assert result.items[0].status == "ERROR"


def test_unknown_status_counts_as_warning_or_error() -> None:
    # BatchItem.status is a Literal["OK", "WARNING", "ERROR"]: a status the SDK does not know
    # is a WARNING (the element was not refused) unless the element carries errors
    result = batch_result([Model("a", "Pending")])
    assert result.items[0].status == "WARNING"
    assert result.succeeded == result.items
    assert batch_result([Model("a", "ok")]).items[0].status == "OK"


def test_batch_status_is_a_literal() -> None:
    import typing

    from xero_customer_api import BatchItem, BatchStatus

    assert typing.get_args(BatchStatus) == ("OK", "WARNING", "ERROR")
    assert typing.get_type_hints(BatchItem)["status"] == BatchStatus


def test_objects_without_the_fields_and_empty_payloads() -> None:
    assert batch_result(None).items == []
    assert batch_result([]).items == []
    assert batch_result(["plain"]).items[0] == BatchItem("plain", "OK")


# ---------------------------------------------------------------------- with the generated 2.0 client


def _client(handler: httpx.MockTransport) -> object:
    from xero_customer_api.v2_0 import XeroClient

    return XeroClient(
        access_token="ACCESS-TOKEN-batch-0123456789",
        tenant_id="a3b1c2d4-0000-4e5f-9a8b-7c6d5e4f3a2b",
        http_client=httpx.Client(transport=handler),
    )


def test_create_many_unsummarised_returns_mixed_statuses() -> None:
    from xero_customer_api.v2_0 import models

    body = (FIXTURES / "responses" / "contacts_response" / "batch_mixed_statuses.xml").read_bytes()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "text/xml"}, content=body)

    client = _client(httpx.MockTransport(handler))
    contacts = [
        models.Contact(name=n) for n in ("Kowhai Cycles Ltd", "Tui Bakery", "Kowhai Cycles Ltd")
    ]
    result = client.contacts.create_many(contacts, summarize_errors=False)  # type: ignore[attr-defined]
    assert [i.status for i in result] == ["OK", "WARNING", "ERROR"]
    assert result.items[1].warnings == ["The email address looks unusual."]
    assert result.failed[0].validation_errors[0].startswith("The contact name Kowhai Cycles Ltd")
    assert [i.item.name for i in result.succeeded] == ["Kowhai Cycles Ltd", "Tui Bakery"]
    (request,) = seen
    assert request.url.params["summarizeErrors"] == "false"
    assert request.headers["content-type"] == "application/xml"
    assert len(request.headers["idempotency-key"]) == 128


def test_create_many_summarised_failure_raises_validation_error_naming_elements() -> None:
    from xero_customer_api.v2_0 import models

    body = (FIXTURES / "responses" / "api_exception" / "validation_invoice_echo.xml").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, headers={"content-type": "text/xml"}, content=body)

    client = _client(httpx.MockTransport(handler))
    with pytest.raises(ValidationError) as info:
        client.contacts.create_many([models.Contact(name="Kowhai Cycles Ltd")])  # type: ignore[attr-defined]
    assert [e.xsi_type for e in info.value.elements][:2] == ["Invoice", "Contact"]
    assert "Contact 2:" in str(info.value)
