"""Family D documents through the generated codec, drawn by hypothesis and valid against our
XSDs: answers (``<Response>`` of BankTransactions, BankTransfers, ManualJournals, Journals and
LinkedTransactions) read back to the same models in any element order, and request bodies
(one element and batches) that are valid, keep to the write shape and read back to what
they carry."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import types
import typing
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api.v2_0 import _codec, models

from tests.v2.conftest import SCHEMAS, schema

XS = "{http://www.w3.org/2001/XMLSchema}"
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=12,
)
GUIDS = st.uuids().map(str)
CODES = st.text("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=1, max_size=10)
AMOUNTS = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False
)
DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2999, 12, 31))
STAMPS = st.datetimes(
    min_value=datetime.datetime(1900, 1, 2),
    max_value=datetime.datetime(2999, 12, 30),
    timezones=st.just(datetime.UTC),
)
URLS = st.from_regex(r"https://example\.com/[a-z0-9]{0,12}", fullmatch=True)
#: Field name -> a strategy of text valid for its XSD type (guid, accountCode, ...).
TEXT_FIELDS: dict[str, st.SearchStrategy[str]] = {
    "account_code": CODES,
    "code": CODES,
    "item_code": TEXT,
    "currency_code": st.from_regex(r"[A-Z]{3}", fullmatch=True),
    "tax_type": st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12),
    "url": URLS,
}
#: Nested entities drawn with the elements a family D document carries of them.
NESTED_FIELDS = {
    models.Contact: ("contact_id", "name", "contact_number"),
    models.Account: ("account_id", "code", "name"),
}


def _text(name: str) -> st.SearchStrategy[str]:
    if name in TEXT_FIELDS:
        return TEXT_FIELDS[name]
    return GUIDS if name.endswith("_id") else TEXT


def _scalar(name: str, tp: Any) -> st.SearchStrategy[Any]:
    if tp is str:
        return _text(name)
    if tp is Decimal:
        return AMOUNTS
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(0, 2**31 - 1)
    if tp is datetime.date:
        return DATES
    if tp is datetime.datetime:
        return STAMPS
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return st.deferred(lambda: valid(tp))
    raise TypeError(f"no strategy for {tp!r}")


_MADE: dict[type[Any], st.SearchStrategy[Any]] = {}


def valid(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Models of ``cls`` whose documents are valid against our XSDs (nested contacts and
    accounts with the elements family D documents carry of them)."""
    if cls not in _MADE:
        _MADE[cls] = _build(cls)
    return _MADE[cls]


def _build(cls: type[Any]) -> st.SearchStrategy[Any]:
    only = NESTED_FIELDS.get(cls)
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for f in dataclasses.fields(cls):
        if only is not None and f.name not in only:
            continue
        tp = hints[f.name]
        if typing.get_origin(tp) is list:
            (inner,) = typing.get_args(tp)
            kwargs[f.name] = st.lists(_scalar(f.name, inner), max_size=2)
            continue
        args = typing.get_args(tp)
        if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
            (inner,) = [a for a in args if a is not type(None)]
            kwargs[f.name] = st.none() | _scalar(f.name, inner)
        else:
            kwargs[f.name] = _scalar(f.name, tp)
    return st.builds(cls, **kwargs)


# resource -> (response class, payload field, item class, request stem or None)
RESOURCES: dict[str, tuple[type[Any], str, type[Any], str | None]] = {
    "bank_transactions": (
        models.BankTransactionsResponse,
        "bank_transactions",
        models.BankTransaction,
        "bank_transaction",
    ),
    "bank_transfers": (
        models.BankTransfersResponse,
        "bank_transfers",
        models.BankTransfer,
        "bank_transfer",
    ),
    "manual_journals": (
        models.ManualJournalsResponse,
        "manual_journals",
        models.ManualJournal,
        "manual_journal",
    ),
    "journals": (models.JournalsResponse, "journals", models.Journal, None),
    "linked_transactions": (
        models.LinkedTransactionsResponse,
        "linked_transactions",
        models.LinkedTransaction,
        "linked_transaction",
    ),
}
WRITERS = [r for r, spec in RESOURCES.items() if spec[3]]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _reverse(root: etree._Element) -> etree._Element:
    for element in root.iter():
        if len({child.tag for child in element}) == len(element):  # not a list
            element[:] = list(reversed(element))
    return root


@pytest.mark.parametrize("resource", list(RESOURCES))
@SETTINGS
@given(data=st.data())
def test_answers_round_trip_valid_and_order_free(resource: str, data: st.DataObject) -> None:
    response_cls, payload, item_cls, _ = RESOURCES[resource]
    items = data.draw(st.lists(valid(item_cls), max_size=3))
    answer = response_cls(
        id=data.draw(GUIDS), status="OK", provider_name="Tests", date_time_utc=data.draw(STAMPS)
    )
    setattr(answer, payload, items)
    written = _codec.ENCODERS[response_cls](answer)
    root = etree.fromstring(written)
    validator = schema("responses", f"{resource}_response")
    assert validator.validate(root), validator.error_log
    decode = _codec.DECODERS[response_cls]
    assert decode(root, True) == answer
    assert decode(_reverse(etree.fromstring(written)), True) == answer  # xs:all: any order


def _write_order(name: str) -> list[str]:
    tree = etree.parse(str(SCHEMAS / "requests" / "write_types.xsd"))
    for ctype in tree.getroot().iterfind(f"{XS}complexType"):
        if ctype.get("name") == name:
            return [el.get("name", "") for el in ctype.iterfind(f"{XS}sequence/{XS}element")]
    raise AssertionError(f"no write type {name}")


@pytest.mark.parametrize("resource", WRITERS)
@SETTINGS
@given(data=st.data())
def test_request_bodies_are_valid_and_read_back(resource: str, data: st.DataObject) -> None:
    _, _, item_cls, stem = RESOURCES[resource]
    item = data.draw(valid(item_cls))
    one = getattr(_codec, f"encode_request_{stem}")
    many = getattr(_codec, f"encode_request_{stem}s")
    validator = schema("requests", f"{resource}_request")
    body = etree.fromstring(one(item))
    assert validator.validate(body), validator.error_log
    assert not any(node.attrib for node in body.iter())  # no status attribute, no xsi:nil
    order = _write_order(item_cls.__name__)
    assert [child.tag for child in body] == [t for t in order if t in {c.tag for c in body}]
    assert {"ValidationErrors", "Warnings", "UpdatedDateUTC", "HasAttachments"}.isdisjoint(
        child.tag for child in body
    )
    decoded = _codec.DECODERS[item_cls](body, True)
    assert one(decoded) == one(item)  # the write subset survives a read
    batch = etree.fromstring(many([item, decoded]))
    assert validator.validate(batch), validator.error_log
    assert [child.tag for child in batch] == [item_cls.__name__] * 2


def test_the_strategies_fill_what_they_claim() -> None:
    """The generic strategy reaches the nested parts (lines, tracking, nested accounts)."""
    seen: set[str] = set()

    @settings(max_examples=60, deadline=None)
    @given(valid(models.BankTransfer), valid(models.ManualJournal), valid(models.Journal))
    def draw(transfer: Any, manual: Any, journal: Any) -> None:
        if transfer.to_tracking:
            seen.add("transfer tracking")
        if any(line.tracking for line in manual.journal_lines):
            seen.add("manual line tracking")
        if any(line.tracking_categories for line in journal.journal_lines):
            seen.add("journal line tracking")

    draw()
    assert seen == {"transfer tracking", "manual line tracking", "journal line tracking"}
