"""Issue 20 item 16, "required when creating": what Xero needs of a new record is declared per
endpoint in the manifest (``request.required`` of the create and create_many endpoints) and
refused before anything is sent, naming the element (and the item of a batch, checked whole
before any part is sent). Before: ``contacts.create(models.Contact())``,
``Invoice(type=None)`` and ``Invoice(contact=None)`` were sent, and a 10,000-item batch whose
last item had no name sent 199 parts before Xero refused the last.

The write types are shared by PUT (create) and POST (save/update), and some PUTs send id-only
references, so a record with only its id must still be saved, and a group's members added."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from xero_customer_api import RequestValidationError, XeroError
from xero_customer_api._runtime._checks import Model
from xero_customer_api.v2_0 import models
from xero_customer_api.v2_0._checks import CHECKS

from .helpers import HEAD, async_client, sync_client, xml

sent: list[httpx.Request] = []
CONTACT_ID = "5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8"
INVOICE_ID = "4f7e1a52-95c4-4b1d-9f83-2b8c1f0d6e21"


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return xml(HEAD + b"<Contacts/></Response>")


def invoice(**values: Any) -> models.Invoice:
    fields: dict[str, Any] = {
        "type": models.InvoiceType.ACCREC,
        "contact": models.Contact(contact_id=CONTACT_ID),
        "line_items": [
            models.LineItem(
                description="Workshop", quantity=Decimal(1), unit_amount=Decimal("10.00")
            )
        ],
    }
    fields.update(values)
    return models.Invoice(**fields)


CASES: list[tuple[str, Any, str]] = [
    ("Contact()", lambda c: c.contacts.create(models.Contact()), "Contact/Name is required"),
    (
        "Contact(name=None)",
        lambda c: c.contacts.create(models.Contact(name=None, email_address="a@b.test")),
        "Contact/Name is required to create a Contact",
    ),
    (
        "Contact(name='  ')",
        lambda c: c.contacts.create(models.Contact(name="  ")),
        "Contact/Name is required to create a Contact; got an empty text",
    ),
    (
        "raw create",
        lambda c: c.contacts.with_raw_response.create(models.Contact()),
        "Contact/Name is required",
    ),
    ("Invoice(type=None)", lambda c: c.invoices.create(invoice(type=None)), "Invoice/Type"),
    (
        "Invoice(contact=None)",
        lambda c: c.invoices.create(invoice(contact=None)),
        "Invoice/Contact is required to create an Invoice",
    ),
    (
        "Invoice(line_items=[])",
        lambda c: c.invoices.create(invoice(line_items=[])),
        "Invoice/LineItems/LineItem: at least 1 required to create an Invoice, got 0",
    ),
    (
        "Invoice(line_items=None)",
        lambda c: c.invoices.create(invoice(line_items=None)),
        "Invoice/LineItems/LineItem is required",
    ),
    (
        "create_many of invoices",
        lambda c: c.invoices.create_many([invoice(), invoice(type=None)]),
        r"Invoice\[2\]/Type is required",
    ),
    ("Item()", lambda c: c.items.create(models.Item(name="Widget")), "Item/Code is required"),
    (
        "ContactGroup()",
        lambda c: c.contact_groups.create(models.ContactGroup()),
        "ContactGroup/Name is required",
    ),
    (
        "ManualJournal()",
        lambda c: c.manual_journals.create(models.ManualJournal()),
        "ManualJournal/Narration is required",
    ),
]


@pytest.mark.parametrize(
    ("call", "named"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_create_without_what_xero_requires_is_refused_before_sending(
    call: Any, named: str
) -> None:
    sent.clear()
    with sync_client(answer) as client, pytest.raises(RequestValidationError, match=named):
        call(client)
    assert sent == []


def test_create_none_is_still_refused() -> None:
    sent.clear()
    with sync_client(answer) as client, pytest.raises(RequestValidationError, match="required"):
        client.contacts.create(None)  # type: ignore[arg-type]
    assert sent == []


def big_batch() -> list[models.Contact]:
    contacts = [models.Contact(name=f"Customer {n}") for n in range(1, 10_000)]
    return [*contacts, models.Contact(email_address="no-name@example.test")]


def test_a_10000_item_batch_whose_last_item_has_no_name_sends_nothing() -> None:
    sent.clear()
    with sync_client(answer) as client, pytest.raises(RequestValidationError) as info:
        client.contacts.create_many(big_batch())
    assert info.value.problems == ("Contact[10000]/Name is required to create a Contact",)
    assert sent == []


@pytest.mark.asyncio
async def test_the_async_batch_is_checked_whole_too() -> None:
    sent.clear()
    async with async_client(answer) as client:
        with pytest.raises(RequestValidationError, match=r"Contact\[10000\]/Name"):
            await client.contacts.create_many(big_batch())
    assert sent == []


def sends(call: Any) -> bytes:
    """The body ``call`` sent (the fake answers no record: only the sending counts)."""
    sent.clear()
    with sync_client(answer) as client:
        try:
            call(client)
        except RequestValidationError:
            raise
        except XeroError:
            pass
    assert len(sent) == 1, sent
    return sent[0].content


def test_saving_an_existing_record_with_only_its_id_still_works() -> None:
    body = sends(lambda c: c.contacts.save(models.Contact(contact_id=CONTACT_ID)))
    assert b"<ContactID>" in body and b"<Name>" not in body
    body = sends(
        lambda c: c.invoices.save(
            models.Invoice(invoice_id=INVOICE_ID, status=models.InvoiceStatus.AUTHORISED)
        )
    )
    assert b"<InvoiceID>" in body and b"<Type>" not in body
    body = sends(lambda c: c.contacts.save_many([models.Contact(contact_id=CONTACT_ID)]))
    assert b"<ContactID>" in body


def test_adding_id_only_contacts_to_a_group_still_works() -> None:
    body = sends(
        lambda c: c.contact_groups.contacts.add(
            [models.Contact(contact_id=CONTACT_ID)], contact_group_id=uuid.uuid4()
        )
    )
    assert b"<ContactID>" in body and b"<Name>" not in body


def test_a_complete_create_is_sent() -> None:
    sends(lambda c: c.contacts.create(models.Contact(name="Red House Reads")))
    sends(lambda c: c.invoices.create(invoice()))


def test_requiring_is_cached_and_refuses_unknown_elements() -> None:
    base = CHECKS["Contact"]
    assert isinstance(base, Model)
    assert base.requiring("Name") is base.requiring("Name")
    assert not any(f.required for f in base.fields if f.path == "Name")  # the base is untouched
    with pytest.raises(ValueError, match="Nope"):
        base.requiring("Nope")
