"""Issue 20 item 1: a 200 answer without its payload element is an error, from list() and
iter() alike, paged or not (before: list() returned [] and iter() raised)."""

from __future__ import annotations

import asyncio

import pytest
from xero_customer_api import XeroResponseError

from .helpers import CONTACT, HEAD, async_client, sync_client, xml

NO_PAYLOAD = HEAD + b"</Response>"
OTHER_PAYLOAD = HEAD + b"<Contacts>" + CONTACT + b"</Contacts></Response>"


@pytest.mark.parametrize("page", [None, 1])
def test_list_and_iter_refuse_an_answer_without_its_list(page: int | None) -> None:
    with sync_client(lambda request: xml(NO_PAYLOAD)) as client:
        with pytest.raises(XeroResponseError, match="no <Contacts>"):
            client.contacts.list(page=page)
        with pytest.raises(XeroResponseError, match="no <Contacts>"):
            list(client.contacts.iter(page=page))
        with pytest.raises(XeroResponseError, match="no <Invoices>"):
            client.invoices.list(page=page)


def test_another_resources_list_is_not_an_empty_list() -> None:
    with sync_client(lambda request: xml(OTHER_PAYLOAD)) as client:
        with pytest.raises(XeroResponseError, match=r"no <Invoices>.*Contacts"):
            client.invoices.list()
        with pytest.raises(XeroResponseError, match="no <Invoices>"):
            list(client.invoices.iter())
        assert [c.name for c in client.contacts.list()] == ["Red House Reads"]


def test_an_empty_list_is_still_an_empty_list() -> None:
    with sync_client(lambda request: xml(HEAD + b"<Contacts/></Response>")) as client:
        assert client.contacts.list() == []
        assert list(client.contacts.iter()) == []


def test_async_list_refuses_an_answer_without_its_list() -> None:
    async def run() -> None:
        async with async_client(lambda request: xml(NO_PAYLOAD)) as client:
            with pytest.raises(XeroResponseError, match="no <Contacts>"):
                await client.contacts.list()

    asyncio.run(run())
