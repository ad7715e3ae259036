"""Issue 20 item 16: wrong Python types and values are refused before sending, as the SDK's
errors naming the parameter. Before: ``contacts.create(None)`` sent an empty PUT;
``page=10**5000`` raised ValueError, ``modified_since=datetime(1,1,1,tzinfo=+14:00)``
OverflowError, ``contact_number="\\ud800"`` UnicodeEncodeError; a lone surrogate in
``search_term`` was named by its wire name ``searchTerm``; a 2.0 line whose LineAmount is not
Quantity x UnitAmount was sent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from xero_customer_api import RequestValidationError
from xero_customer_api.v2_0 import models

from .helpers import HEAD, sync_client, xml

sent: list[httpx.Request] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return xml(HEAD + b"<Contacts/></Response>")


ANCIENT = datetime.datetime(1, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=14)))
CONTACT = models.Contact(contact_id="5b1e2c3d-4f50-4a61-8b72-93a4b5c6d7e8")


def line(**values: Any) -> models.Invoice:
    return models.Invoice(
        type=models.InvoiceType.ACCREC,
        contact=CONTACT,
        line_items=[models.LineItem(description="Workshop", **values)],
    )


CASES: list[tuple[str, Any, str]] = [
    ("create(None)", lambda c: c.contacts.create(None), "(?i)contact"),
    ("invoices.create(None)", lambda c: c.invoices.create(None), "(?i)invoice"),
    ("page=10**5000", lambda c: c.contacts.list(page=10**5000), "page"),
    ("page_size=10**30", lambda c: c.contacts.list(page=1, page_size=10**30), "page_size"),
    ("modified_since ancient", lambda c: c.contacts.list(modified_since=ANCIENT), "modified_since"),
    (
        "contact_number surrogate",
        lambda c: c.contacts.get(contact_number="\ud800"),
        "contact_number",
    ),
    ("search_term surrogate", lambda c: c.contacts.list(search_term="a\ud800"), "`search_term`"),
    (
        "line amount",
        lambda c: c.invoices.create(
            line(quantity=Decimal(2), unit_amount=Decimal("10.00"), line_amount=Decimal("25.00"))
        ),
        "LineAmount",
    ),
    (
        "line amount with a discount rate",
        lambda c: c.invoices.create(
            line(
                quantity=Decimal(2),
                unit_amount=Decimal("10.00"),
                discount_rate=Decimal("10"),
                line_amount=Decimal("20.00"),
            )
        ),
        "LineAmount",
    ),
]


@pytest.mark.parametrize(
    ("call", "named"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_before_sending_naming_the_parameter(call: Any, named: str) -> None:
    sent.clear()
    with sync_client(answer) as client, pytest.raises(RequestValidationError, match=named):
        call(client)
    assert sent == []


def test_a_line_amount_that_adds_up_is_sent() -> None:
    sent.clear()
    with sync_client(answer) as client:
        for values in (
            {
                "quantity": Decimal(2),
                "unit_amount": Decimal("10.00"),
                "line_amount": Decimal("20.00"),
            },
            {
                "quantity": Decimal(2),
                "unit_amount": Decimal("10.00"),
                "discount_rate": Decimal("10"),
                "line_amount": Decimal("18.00"),
            },
        ):
            try:
                client.invoices.create(line(**values))
            except Exception as exc:  # the fake answers no invoice: only the sending counts
                assert "no <Invoice" in str(exc), exc
    assert len(sent) == 2
