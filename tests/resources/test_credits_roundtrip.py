"""Hypothesis round trips of the family B documents: models drawn within the XSDs' facets
(GUID and currency patterns, decimal places, lengths) are written by the generated codec,
valid against the resource's response or request XSD, and read back unchanged; request
bodies keep to the write shape (no read-only element) and write the same bytes again."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api._runtime._xml import parse_document
from xero_customer_api.v2_0 import _codec, models

from ..codec.strategies import DATES, TEXT, UTC_DATETIMES
from ..v2.conftest import schema

RESPONSES = {
    "credit_notes_response": models.CreditNotesResponse,
    "prepayments_response": models.PrepaymentsResponse,
    "overpayments_response": models.OverpaymentsResponse,
    "batch_payments_response": models.BatchPaymentsResponse,
    "receipts_response": models.ReceiptsResponse,
    "expense_claims_response": models.ExpenseClaimsResponse,
    "users_response": models.UsersResponse,
}
# request root -> (model of one item, request schema, batch item element)
REQUESTS: dict[str, tuple[type[Any], str, str | None]] = {
    "CreditNote": (models.CreditNote, "credit_notes_request", None),
    "CreditNotes": (models.CreditNote, "credit_notes_request", "CreditNote"),
    "BatchPayment": (models.BatchPayment, "batch_payments_request", None),
    "BatchPayments": (models.BatchPayment, "batch_payments_request", "BatchPayment"),
    "Receipt": (models.Receipt, "receipts_request", None),
    "Receipts": (models.Receipt, "receipts_request", "Receipt"),
    "ExpenseClaim": (models.ExpenseClaim, "expense_claims_request", None),
    "ExpenseClaims": (models.ExpenseClaim, "expense_claims_request", "ExpenseClaim"),
}
READ_ONLY = {
    "SubTotal",
    "TotalTax",
    "Total",
    "UpdatedDateUTC",
    "RemainingCredit",
    "Allocations",
    "AppliedAmount",
    "TotalAmount",
    "ReceiptNumber",
    "AmountDue",
    "AmountPaid",
    "ValidationErrors",
    "Warnings",
    "OrganisationRole",
    "IsSubscriber",
}


def _decimals(places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal("-1e9"),
        max_value=Decimal("1e9"),
        allow_nan=False,
        allow_infinity=False,
        places=places,
    )


#: Fields typed xs:anyURI (no facet in the metadata says so): an escaped URL, never a bare %.
URLS = st.from_regex(r"https://[a-z]{1,10}\.example/[A-Za-z0-9_.~-]{0,12}", fullmatch=True)
URI_FIELDS = {"Url", "Website"}


def _scalar(tp: Any, meta: Any, depth: int) -> st.SearchStrategy[Any]:
    """A value of a field's type within its XSD facets (from xsdata's metadata)."""
    if tp is str:
        if meta.get("name") in URI_FIELDS:
            return URLS
        if "pattern" in meta:
            return st.from_regex(meta["pattern"], fullmatch=True)
        low, high = meta.get("min_length", 0), min(meta.get("max_length", 12), 12)
        return st.text(TEXT.wrapped_strategy.element_strategy, min_size=low, max_size=high)  # type: ignore[attr-defined]
    if tp is Decimal:
        return _decimals(meta.get("fraction_digits", 4))
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**31), 2**31 - 1)
    if tp is datetime.date:
        return DATES
    if tp is datetime.datetime:
        return UTC_DATETIMES
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if dataclasses.is_dataclass(tp):
        return st.deferred(lambda: valid_model(tp, depth + 1))
    raise TypeError(f"no strategy for {tp!r}")


MAX_DEPTH = 3  # the answer, its entity, one level of what the entity holds (Contact, lines)


@cache
def valid_model(cls: type[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Models of ``cls`` whose every value is valid against the XSD (lists of at most 2;
    below MAX_DEPTH nested entities are left out, to keep examples small and quick)."""
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if typing.get_origin(tp) is list:
            (inner,) = typing.get_args(tp)
            if dataclasses.is_dataclass(inner) and depth >= MAX_DEPTH:
                kwargs[f.name] = st.just([])
            else:
                kwargs[f.name] = st.lists(_scalar(inner, f.metadata, depth), max_size=2)
            continue
        args = typing.get_args(tp)
        if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
            (inner,) = [a for a in args if a is not type(None)]
            if dataclasses.is_dataclass(inner) and depth >= MAX_DEPTH:
                kwargs[f.name] = st.none()
            else:
                kwargs[f.name] = st.none() | _scalar(inner, f.metadata, depth)
        else:
            kwargs[f.name] = _scalar(tp, f.metadata, depth)
    return st.builds(cls, **kwargs)


SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("stem", sorted(RESPONSES))
@SETTINGS
@given(data=st.data())
def test_answers_round_trip_valid_against_their_xsd(stem: str, data: st.DataObject) -> None:
    cls = RESPONSES[stem]
    answer = data.draw(valid_model(cls))
    written = _codec.ENCODERS[cls](answer)
    root = etree.fromstring(written)
    validator = schema("responses", stem)
    assert validator.validate(root), validator.error_log
    assert _codec.DECODERS[cls](parse_document(written), True) == answer


@pytest.mark.parametrize("root", sorted(REQUESTS))
@SETTINGS
@given(data=st.data())
def test_request_bodies_round_trip_valid_against_their_xsd(root: str, data: st.DataObject) -> None:
    cls, stem, item = REQUESTS[root]
    encode = getattr(_codec, "encode_request_" + _snake(root))
    if item is None:
        value: Any = data.draw(valid_model(cls))
    else:
        value = data.draw(st.lists(valid_model(cls), min_size=1, max_size=2))
    written = encode(value)
    body = etree.fromstring(written)
    assert body.tag == root
    validator = schema("requests", stem)
    assert validator.validate(body), validator.error_log
    assert READ_ONLY.isdisjoint(el.tag for el in body.iter() if el is not body)
    items = [body] if item is None else list(body)
    again = [_codec.DECODERS[cls](el, True) for el in items]
    assert encode(again[0] if item is None else again) == written


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def test_an_invoice_keeps_its_credits() -> None:
    """Invoice's CreditNotes, Prepayments and Overpayments are read (no longer dropped) and
    never written back."""
    doc = b"""<Invoice><InvoiceID>4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8</InvoiceID>
      <CreditNotes><CreditNote><CreditNoteID>5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d</CreditNoteID>
        <CreditNoteNumber>CN-0042</CreditNoteNumber><AppliedAmount>60.00</AppliedAmount>
        <Date>2026-07-09T00:00:00</Date><LineItems /><Total>92.00</Total></CreditNote></CreditNotes>
      <Prepayments><Prepayment><PrepaymentID>6b5a4938-2716-4504-b3a2-918f7e6d5c4b</PrepaymentID>
        <AppliedAmount>150.00</AppliedAmount></Prepayment></Prepayments>
      <Overpayments><Overpayment><OverpaymentID>7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d</OverpaymentID>
        <AppliedAmount>5.00</AppliedAmount></Overpayment></Overpayments>
      <AmountCredited>215.00</AmountCredited></Invoice>"""
    invoice = _codec.decode_invoice(etree.fromstring(doc))
    assert invoice.credit_notes[0].credit_note_number == "CN-0042"
    assert invoice.credit_notes[0].applied_amount == Decimal("60.00")
    assert invoice.prepayments[0].applied_amount == Decimal("150.00")
    assert invoice.overpayments[0].overpayment_id == "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
    body = etree.fromstring(_codec.encode_request_invoice(invoice))
    assert {"CreditNotes", "Prepayments", "Overpayments"}.isdisjoint(c.tag for c in body)
    answer = etree.fromstring(_codec.encode_invoice(invoice))
    assert {"CreditNotes", "Prepayments", "Overpayments"} <= {c.tag for c in answer}
