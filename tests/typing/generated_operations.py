"""A user's script touching what the generator's second wave added (204 deletes, the nested
contact_groups.contacts, offset and page walking, date and int parameters, body arguments);
`make check` runs mypy --strict over it.

assert_type makes mypy prove the SDK's types are real (not Any). It is never executed.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import assert_type

from xero_customer_api import AsyncXeroClient, RawResponse, XeroClient
from xero_customer_api.v2_0 import models

ID = "8d2e4f60-1a3b-4c5d-8e7f-9a0b1c2d3e4f"
DAY = datetime.date(2026, 7, 1)
PAYMENT = models.Payment(
    invoice=models.Invoice(invoice_id=ID),
    account=models.Account(code="090"),
    date=DAY,
    amount=Decimal("10.00"),
)


def sync_calls(client: XeroClient) -> None:
    assert_type(client.items.delete(item_id=ID), None)
    assert_type(client.items.with_raw_response.delete(item_id=ID), RawResponse[None])
    assert_type(client.linked_transactions.delete(linked_transaction_id=ID), None)
    assert_type(
        client.contact_groups.contacts.add(contact_group_id=ID, contacts=[]),
        list[models.Contact],
    )
    assert_type(client.contact_groups.contacts.remove(contact_group_id=ID, contact_id=ID), None)
    assert_type(client.journals.iter(offset=0), Iterator[models.Journal])
    assert_type(client.journals.get(journal_number=42), models.Journal)
    assert_type(client.quotes.iter(date_from=DAY, date_to=DAY), Iterator[models.Quote])
    assert_type(client.linked_transactions.iter(page=2), Iterator[models.LinkedTransaction])
    assert_type(client.budgets.list(date_from=DAY), list[models.Budget])
    assert_type(client.contacts.cis_settings(contact_id=ID), models.CisSetting)
    assert_type(client.contacts.update(models.Contact(), contact_id=ID), models.Contact)
    assert_type(client.payments.save(PAYMENT), models.Payment)
    assert_type(client.tax_rates.delete(tax_type="TAX001"), models.TaxRate)


async def async_calls(client: AsyncXeroClient) -> None:
    assert_type(await client.items.delete(item_id=ID), None)
    assert_type(
        await client.contact_groups.contacts.remove_all(contact_group_id=ID),
        None,
    )
    assert_type(client.journals.iter(), AsyncIterator[models.Journal])
    assert_type(client.quotes.iter(), AsyncIterator[models.Quote])
    assert_type(await client.tax_rates.delete(name="Levy"), models.TaxRate)
