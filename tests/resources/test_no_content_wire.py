"""Wire tests of what the generator learnt for the second wave, sync and async, on httpx's
MockTransport: endpoints that answer 204 No Content (``returns = "none"``), nested resources
(``client.contact_groups.contacts``), offset paging (Journals), page-only paging (Quotes,
LinkedTransactions), ``date`` query parameters and integer path parameters.

``CASES`` are the 204 endpoints (``tests/v2/test_wire.py`` counts them among every endpoint's
wire cases)."""

from __future__ import annotations

import datetime
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from xero_codegen.manifest import load_manifest
from xero_customer_api import (
    NotFoundError,
    RequestValidationError,
    ServerError,
    ValidationError,
)
from xero_customer_api.v2_0 import AsyncXeroClient, XeroClient, models

from tests.v2.conftest import FIXTURES, SCHEMAS
from tests.v2.fake_xero import TENANT, TOKEN, fake_async_client, fake_client
from tests.v2.test_wire import GUID, GUID2

G = GUID.lower()
G2 = GUID2.lower()
XML = {"content-type": "text/xml; charset=utf-8"}


@dataclass
class Case:
    id: str
    call: Callable[[Any], Any]
    raw: Callable[[Any], Any]
    path: str


CASES = [
    Case(
        "items.delete",
        lambda c: c.items.delete(item_id=GUID),
        lambda c: c.items.with_raw_response.delete(item_id=GUID),
        f"Items/{G}",
    ),
    Case(
        "linked_transactions.delete",
        lambda c: c.linked_transactions.delete(linked_transaction_id=uuid.UUID(GUID)),
        lambda c: c.linked_transactions.with_raw_response.delete(linked_transaction_id=GUID),
        f"LinkedTransactions/{G}",
    ),
    Case(
        "contact_groups.contacts.remove",
        lambda c: c.contact_groups.contacts.remove(contact_group_id=GUID, contact_id=GUID2),
        lambda c: c.contact_groups.with_raw_response.contacts.remove(
            contact_group_id=GUID, contact_id=GUID2
        ),
        f"ContactGroups/{G}/Contacts/{G2}",
    ),
    Case(
        "contact_groups.contacts.remove_all",
        lambda c: c.contact_groups.contacts.remove_all(contact_group_id=GUID),
        lambda c: c.contact_groups.contacts.with_raw_response.remove_all(contact_group_id=GUID),
        f"ContactGroups/{G}/Contacts",
    ),
]


class Answers:
    """Answers each request with the next (status, body, headers); records the requests."""

    def __init__(self, *answers: tuple[int, bytes, dict[str, str]]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        status, body, headers = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return httpx.Response(status, content=body, headers=headers)


def sync_client(answers: Answers) -> XeroClient:
    return fake_client(answers, max_retries=0, limiter=None)


def async_client(answers: Answers) -> AsyncXeroClient:
    return fake_async_client(answers, max_retries=0, limiter=None)


def check_delete(request: httpx.Request, path: str) -> None:
    assert request.method == "DELETE"
    assert request.url.raw_path.decode() == "/api.xro/2.0/" + path  # no query at all
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["xero-tenant-id"] == TENANT
    assert "Idempotency-Key" not in request.headers and request.content == b""


NO_CONTENT = (204, b"", {})


# ------------------------------------------------------------------ 204 No Content


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_no_content_sync(case: Case) -> None:
    answers = Answers(NO_CONTENT)
    with sync_client(answers) as client:
        assert case.call(client) is None
        raw = case.raw(client)
    assert (raw.status_code, raw.content, raw.parsed) == (204, b"", None)
    assert len(answers.requests) == 2
    for request in answers.requests:
        check_delete(request, case.path)


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_no_content_async(case: Case) -> None:
    answers = Answers(NO_CONTENT)
    async with async_client(answers) as client:
        assert await case.call(client) is None
        raw = await case.raw(client)
    assert (raw.status_code, raw.parsed) == (204, None)
    for request in answers.requests:
        check_delete(request, case.path)


def test_every_no_content_endpoint_has_a_case() -> None:
    declared = {
        ".".join(p for p in (e["resource"], e.get("sub_resource"), e["name"]) if p)
        for e in load_manifest(SCHEMAS)["endpoints"]
        if e.get("returns") == "none" and e["method"] == "DELETE"
    }  # the POSTs answered by 204 (invoices.email): test_history_allocations_wire.py
    assert declared == {c.id for c in CASES}


def test_a_2xx_with_a_body_is_success_too() -> None:
    answers = Answers((200, b"<Response><Status>OK</Status></Response>", XML))
    with sync_client(answers) as client:
        assert client.items.delete(item_id=GUID) is None


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((404, b"The resource you're looking for cannot be found", {}), NotFoundError),
        (
            (
                400,
                (FIXTURES / "responses" / "api_exception" / "post_data_invalid.xml").read_bytes(),
                XML,
            ),
            ValidationError,
        ),
        ((500, b"", {}), ServerError),
    ],
    ids=["404", "400-api-exception", "500"],
)
def test_no_content_endpoints_still_map_errors(
    answer: tuple[int, bytes, dict[str, str]], error: type[Exception]
) -> None:
    with sync_client(Answers(answer)) as client, pytest.raises(error):
        client.contact_groups.contacts.remove(contact_group_id=GUID, contact_id=GUID2)


def test_no_content_arguments_are_checked_first() -> None:
    answers = Answers(NO_CONTENT)
    with sync_client(answers) as client:
        with pytest.raises(RequestValidationError, match="item_id"):
            client.items.delete(item_id="not-a-guid")
        with pytest.raises(RequestValidationError, match="contact_id"):
            client.contact_groups.contacts.remove(contact_group_id=GUID, contact_id="x")
    assert answers.requests == []


# ------------------------------------------------------------------ nested resources


def test_nested_resource_is_loaded_lazily_and_kept() -> None:
    sys.modules.pop("xero_customer_api.v2_0._resources.contact_groups", None)
    with sync_client(Answers(NO_CONTENT)) as client:
        assert "xero_customer_api.v2_0._resources.contact_groups" not in sys.modules
        members = client.contact_groups.contacts
        assert "xero_customer_api.v2_0._resources.contact_groups" in sys.modules
        assert client.contact_groups.contacts is members
        assert type(members).__name__ == "ContactGroupsContactsResource"
        assert type(client.contact_groups.with_raw_response.contacts).__name__ == (
            "ContactGroupsContactsResourceWithRawResponse"
        )
        assert not hasattr(client.contact_groups, "add_contacts")
    from xero_customer_api.v2_0._resources import (
        AsyncContactGroupsContactsResource,
        ContactGroupsContactsResource,
    )

    assert isinstance(members, ContactGroupsContactsResource)
    assert AsyncContactGroupsContactsResource.__name__ == "AsyncContactGroupsContactsResource"


@pytest.mark.asyncio
async def test_nested_resource_async_add() -> None:
    body = (FIXTURES / "responses" / "contacts_response" / "page_of_two.xml").read_bytes()
    answers = Answers((200, body, XML))
    async with async_client(answers) as client:
        added = await client.contact_groups.contacts.add(
            [models.Contact(contact_id=G2)], contact_group_id=GUID
        )
    assert [c.name for c in added] == ["Pohutukawa Press Ltd", "Rimu Freight"]
    (request,) = answers.requests
    assert (request.method, request.url.path) == ("PUT", f"/api.xro/2.0/ContactGroups/{G}/Contacts")
    assert b"<Contacts><Contact><ContactID>" in request.content


# ------------------------------------------------------------------ paging


def journals_page(numbers: range) -> bytes:
    items = "".join(
        f"<Journal><JournalID>{uuid.UUID(int=n)}</JournalID><JournalNumber>{n}</JournalNumber>"
        "</Journal>"
        for n in numbers
    )
    return f"<Response><Status>OK</Status><Journals>{items}</Journals></Response>".encode()


def test_journals_iter_walks_by_offset() -> None:
    answers = Answers(
        (200, journals_page(range(1, 101)), XML),
        (200, journals_page(range(101, 201)), XML),
        (200, journals_page(range(201, 204)), XML),
    )
    with sync_client(answers) as client:
        numbers = [j.journal_number for j in client.journals.iter(payments_only=False)]
    assert numbers == list(range(1, 204))
    sent = [list(r.url.params.multi_items()) for r in answers.requests]
    assert sent == [
        [("offset", "0"), ("paymentsOnly", "false")],
        [("offset", "100"), ("paymentsOnly", "false")],
        [("offset", "200"), ("paymentsOnly", "false")],
    ]


@pytest.mark.asyncio
async def test_journals_aiter_from_an_offset_and_a_full_last_page() -> None:
    answers = Answers(
        (200, journals_page(range(51, 151)), XML), (200, journals_page(range(0)), XML)
    )
    async with async_client(answers) as client:
        numbers = [j.journal_number async for j in client.journals.iter(offset=50)]
    assert numbers == list(range(51, 151))
    assert [r.url.params["offset"] for r in answers.requests] == ["50", "150"]


def test_journals_offset_zero_is_allowed_and_negative_refused() -> None:
    answers = Answers((200, journals_page(range(1, 3)), XML))
    with sync_client(answers) as client:
        assert len(client.journals.list(offset=0)) == 2
        with pytest.raises(RequestValidationError, match="offset"):
            client.journals.list(offset=-1)
    assert [r.url.params["offset"] for r in answers.requests] == ["0"]


def test_journals_get_takes_an_integer_number() -> None:
    answers = Answers((200, journals_page(range(42, 43)), XML))
    with sync_client(answers) as client:
        assert client.journals.get(journal_number=42).journal_number == 42
        for wrong in ("42", 0, True):
            with pytest.raises(RequestValidationError, match="journal_number"):
                client.journals.get(journal_number=wrong)  # type: ignore[arg-type]
    assert [r.url.path for r in answers.requests] == ["/api.xro/2.0/Journals/42"]


def quotes_page(count: int) -> bytes:
    items = "".join(
        f"<Quote><QuoteID>{uuid.uuid4()}</QuoteID><QuoteNumber>QU-{n}</QuoteNumber></Quote>"
        for n in range(count)
    )
    return f"<Response><Status>OK</Status><Quotes>{items}</Quotes></Response>".encode()


def test_quotes_iter_walks_pages_of_a_fixed_size() -> None:
    answers = Answers((200, quotes_page(100), XML), (200, quotes_page(7), XML))
    with sync_client(answers) as client:
        quotes = list(client.quotes.iter(status="SENT", date_from=datetime.date(2026, 7, 1)))
    assert len(quotes) == 107
    assert [list(r.url.params.multi_items()) for r in answers.requests] == [
        [("DateFrom", "2026-07-01"), ("Status", "SENT"), ("page", "1")],
        [("DateFrom", "2026-07-01"), ("Status", "SENT"), ("page", "2")],
    ]


@pytest.mark.asyncio
async def test_linked_transactions_aiter_walks_pages() -> None:
    def page(count: int) -> bytes:
        items = "".join(
            f"<LinkedTransaction><LinkedTransactionID>{uuid.uuid4()}</LinkedTransactionID>"
            "</LinkedTransaction>"
            for _ in range(count)
        )
        return (
            f"<Response><Status>OK</Status><LinkedTransactions>{items}</LinkedTransactions>"
            "</Response>"
        ).encode()

    answers = Answers((200, page(100), XML), (200, page(100), XML), (200, page(0), XML))
    async with async_client(answers) as client:
        found = [t async for t in client.linked_transactions.iter(page=2, contact_id=GUID)]
    assert len(found) == 200
    assert [r.url.params["page"] for r in answers.requests] == ["2", "3", "4"]


# ------------------------------------------------------------------ date parameters


def test_date_parameters_are_sent_as_dates_and_refuse_datetimes() -> None:
    body = (FIXTURES / "responses" / "budgets_response").glob("*.xml")
    answers = Answers((200, next(iter(sorted(body))).read_bytes(), XML))
    with sync_client(answers) as client:
        client.budgets.list(date_from=datetime.date(2026, 7, 1), date_to=datetime.date(2027, 6, 30))
        for wrong in (datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC), "2026-07-01"):
            with pytest.raises(RequestValidationError, match="date_from"):
                client.purchase_orders.list(date_from=wrong)  # type: ignore[arg-type]
    (request,) = answers.requests
    assert list(request.url.params.multi_items()) == [
        ("DateTo", "2027-06-30"),
        ("DateFrom", "2026-07-01"),
    ]
