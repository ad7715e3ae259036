"""Every endpoint through the asynchronous SDK against the same sandbox."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import httpx
import pytest
from xero_customer_api import (
    InvalidCustomerKeyError,
    InvalidPartnerKeyError,
    NotFoundError,
    XeroAPIError,
)
from xero_customer_api.v1_0 import AsyncXeroClient, models
from xero_sandbox.process import RunningSandbox

pytestmark = pytest.mark.e2e

InvoiceFactory = Callable[..., models.Invoice]


@pytest.mark.asyncio
async def test_settings(aclient: AsyncXeroClient) -> None:
    accounts, tracking = await asyncio.gather(aclient.accounts.list(), aclient.tracking.list())
    assert "200" in {a.code for a in accounts}
    assert {c.name for c in tracking} == {"Region", "Salesperson"}


@pytest.mark.asyncio
async def test_contacts_round_trip(aclient: AsyncXeroClient, unique: str) -> None:
    created = await aclient.contacts.create(
        models.Contact(name=f"Async {unique}", contact_number=f"A-{unique}")
    )
    assert created.contact_id is not None
    updated = await aclient.contacts.save(
        models.Contact(name=f"Async {unique}", email_address="async@example.com")
    )
    assert updated.contact_id == created.contact_id and updated.email_address == "async@example.com"
    batch = await aclient.contacts.save_many(
        [
            models.Contact(name=f"Async {unique}", skype_user_name="async.skype"),
            models.Contact(name=f"Async {unique} zz"),
        ]
    )
    assert batch[0].contact_id == created.contact_id and batch[0].skype_user_name == "async.skype"
    by_id = await aclient.contacts.get(contact_id=created.contact_id)
    by_number = await aclient.contacts.get(contact_number=f"A-{unique}")
    assert by_id == by_number == batch[0]
    listed = await aclient.contacts.list(type="all", sort_by="name", direction="desc")
    names = [c.name for c in listed]
    assert names.index(f"Async {unique} zz") < names.index(f"Async {unique}"), "descending by name"


@pytest.mark.asyncio
async def test_invoices_round_trip(
    aclient: AsyncXeroClient, new_invoice: InvoiceFactory, unique: str
) -> None:
    one = await aclient.invoices.create(
        new_invoice(f"AI-{unique}", f"Async Co {unique}", tracking=[("Region", "South")])
    )
    many = await aclient.invoices.create_many(
        [
            new_invoice(f"AI2-{unique}", f"Async Co {unique}"),
            new_invoice(f"AI3-{unique}", f"Async Co {unique}"),
        ]
    )
    assert one.invoice_id and [i.invoice_number for i in many] == [f"AI2-{unique}", f"AI3-{unique}"]
    fetched = await aclient.invoices.get(invoice_id=one.invoice_id)
    assert fetched.line_items[0].tracking[0].option == "South"
    assert (await aclient.invoices.get(invoice_number=f"AI3-{unique}")).invoice_id == many[
        1
    ].invoice_id
    listed = await aclient.invoices.list()
    assert {f"AI-{unique}", f"AI2-{unique}", f"AI3-{unique}"} <= {i.invoice_number for i in listed}
    customers = await aclient.contacts.list(type="customers")
    assert one.contact.contact_id in {c.contact_id for c in customers}


@pytest.mark.asyncio
async def test_errors(aclient: AsyncXeroClient, new_invoice: InvoiceFactory, unique: str) -> None:
    with pytest.raises(NotFoundError):
        await aclient.invoices.get(invoice_id=str(uuid.uuid4()))
    with pytest.raises(NotFoundError):
        await aclient.contacts.get(contact_number=f"none-{unique}")
    await aclient.invoices.create(new_invoice(f"AB-{unique}", f"Async dup {unique}"))
    with pytest.raises(XeroAPIError) as caught:
        await aclient.invoices.create(new_invoice(f"AB-{unique}", f"Async dup {unique}"))
    assert caught.value.exception_types == ("Xero.API.Library.Exceptions.ValidationException",)
    unknown = new_invoice(
        f"AC-{unique}", f"Async dup {unique}", lines=[("1", "1.00", "0.00", "123456")]
    )
    with pytest.raises(XeroAPIError) as caught:
        await aclient.invoices.create(unknown)
    assert "123456" in caught.value.errors[0].description


@pytest.mark.asyncio
async def test_bad_keys(sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(verify=sandbox.verify()) as http:
        wrong_partner = AsyncXeroClient(
            api_key="Z" * 30,
            customer_key=sandbox.customer_key,
            base_url=sandbox.base_url,
            http_client=http,
        )
        wrong_customer = AsyncXeroClient(
            api_key=sandbox.api_key,
            customer_key="Z" * 30,
            base_url=sandbox.base_url,
            http_client=http,
        )
        with pytest.raises(InvalidPartnerKeyError):
            await wrong_partner.contacts.list()
        with pytest.raises(InvalidCustomerKeyError):
            await wrong_customer.contacts.list()
