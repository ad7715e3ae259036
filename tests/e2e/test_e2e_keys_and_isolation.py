"""Organisations added with ``xero-sandbox keys``: isolation and foreign partners."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from xero_customer_api import InvalidCustomerKeyError, NotFoundError
from xero_customer_api.v1_0 import XeroClient, models

pytestmark = pytest.mark.e2e

KEY = re.compile(r"^[A-Z0-9]{30}$")
ClientFactory = Callable[..., XeroClient]


def test_two_organisations_do_not_see_each_other(
    make_client: ClientFactory,
    cli: Callable[..., str],
    add_org: Callable[[str], tuple[str, str]],
    sandbox_db: Path,
    unique: str,
    client: XeroClient,
) -> None:
    other_key, _tenant = add_org(f"Other Org {unique}")
    assert KEY.match(other_key)
    other = make_client(customer_key=other_key)

    mine = client.contacts.create(
        models.Contact(name=f"Only mine {unique}", contact_number=f"O-{unique}")
    )
    theirs = other.contacts.create(models.Contact(name=f"Only theirs {unique}"))
    assert mine.contact_id is not None and theirs.contact_id is not None

    assert {c.contact_id for c in other.contacts.list()} == {theirs.contact_id}
    assert theirs.contact_id not in {c.contact_id for c in client.contacts.list()}
    with pytest.raises(NotFoundError):
        other.contacts.get(contact_id=mine.contact_id)
    with pytest.raises(NotFoundError):
        other.contacts.get(contact_number=f"O-{unique}")
    # The same name may exist in both organisations.
    assert (
        other.contacts.create(models.Contact(name=f"Only mine {unique}")).contact_id
        != mine.contact_id
    )
    # A new organisation gets its own seeded chart and tracking.
    assert [a.code for a in other.accounts.list()] == [a.code for a in client.accounts.list()]
    assert other.invoices.list() == []


def test_a_customer_key_of_another_partner_is_refused(
    make_client: ClientFactory, cli: Callable[..., str], sandbox_db: Path, sandbox: object
) -> None:
    partner_key = cli("keys", "add-partner", "--db", str(sandbox_db), "--name", "Second Partner")
    assert KEY.match(partner_key)
    foreign = make_client(api_key=partner_key)  # the Demo Company's key belongs to Demo Partner
    with pytest.raises(InvalidCustomerKeyError) as caught:
        foreign.accounts.list()
    assert "Second Partner" in caught.value.errors[0].description
    assert partner_key not in str(caught.value)
