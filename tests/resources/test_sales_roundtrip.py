"""Round trips of family A's documents: hypothesis makes models whose every value keeps to
the XSD's facets (GUID and currency patterns, lengths, decimal places, enumerations), the
generated encoder writes them as a ``<Response>`` that must be valid against our response XSD,
and the generated decoder reads back what was written, in any element order. Request bodies
are the writable subset, valid against the request XSD, in the one write order."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import types
import typing
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api.v2_0 import _codec, models

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "v2.0"
XS = "{http://www.w3.org/2001/XMLSchema}"

# XML 1.0 text: no control characters, no surrogates, not U+FFFE/U+FFFF.
_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")


def _text(meta: typing.Mapping[str, Any]) -> st.SearchStrategy[str]:
    if "pattern" in meta:
        return st.from_regex(meta["pattern"], fullmatch=True)
    low = meta.get("min_length", 0)
    return st.text(_CHARS, min_size=low, max_size=min(meta.get("max_length", 12), 12))


def _decimal(meta: typing.Mapping[str, Any]) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal("-1e9"),
        max_value=Decimal("1e9"),
        allow_nan=False,
        allow_infinity=False,
        places=meta.get("fraction_digits", 4),
    )


URLS = st.sampled_from(["https://example.test/quote/1", "urn:x-sales:7", "relative/path"])


def _scalar(tp: Any, meta: typing.Mapping[str, Any], depth: int) -> st.SearchStrategy[Any]:
    if tp is str:
        return URLS if meta.get("name") == "Url" else _text(meta)
    if tp is Decimal:
        return _decimal(meta)
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**31), 2**31 - 1)
    if tp is datetime.date:
        return st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 12, 31))
    if tp is datetime.datetime:
        return st.datetimes(
            datetime.datetime(1900, 1, 2),
            datetime.datetime(2200, 12, 30),
            timezones=st.just(datetime.UTC),
        )
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return valid_model(tp, depth + 1)
    raise TypeError(f"no strategy for {tp!r}")


@cache
def valid_model(cls: type[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Instances of a generated model whose values all keep to the XSD; nested records below
    depth 2 are left out (a quote's contact's addresses are enough)."""
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for f in dataclasses.fields(cls):
        tp, meta = hints[f.name], f.metadata
        if typing.get_origin(tp) is list:
            (inner,) = typing.get_args(tp)
            size = 0 if depth >= 2 and dataclasses.is_dataclass(inner) else 2
            kwargs[f.name] = st.lists(_scalar(inner, meta, depth), max_size=size)
            continue
        args = typing.get_args(tp)
        if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
            (inner,) = [a for a in args if a is not type(None)]
            if depth >= 2 and dataclasses.is_dataclass(inner):
                kwargs[f.name] = st.none()
            else:
                kwargs[f.name] = st.none() | _scalar(inner, meta, depth)
        else:
            kwargs[f.name] = _scalar(tp, meta, depth)
    return st.builds(cls, **kwargs)


# response model, its payload field, its item model, our response XSD
RESPONSES = [
    (models.QuotesResponse, "quotes", models.Quote, "quotes_response"),
    (
        models.PurchaseOrdersResponse,
        "purchase_orders",
        models.PurchaseOrder,
        "purchase_orders_response",
    ),
    (
        models.RepeatingInvoicesResponse,
        "repeating_invoices",
        models.RepeatingInvoice,
        "repeating_invoices_response",
    ),
    (models.ItemsResponse, "items", models.Item, "items_response"),
]
# item model, request encoder of one, of a batch, our request XSD
REQUESTS = [
    (models.Quote, _codec.encode_request_quote, _codec.encode_request_quotes, "quotes_request"),
    (
        models.PurchaseOrder,
        _codec.encode_request_purchase_order,
        _codec.encode_request_purchase_orders,
        "purchase_orders_request",
    ),
    (
        models.RepeatingInvoice,
        _codec.encode_request_repeating_invoice,
        _codec.encode_request_repeating_invoices,
        "repeating_invoices_request",
    ),
    (models.Item, _codec.encode_request_item, _codec.encode_request_items, "items_request"),
]


@cache
def _schema(kind: str, stem: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / kind / f"{stem}.xsd")))


@cache
def _write_order(type_name: str) -> list[str]:
    tree = etree.parse(str(SCHEMAS / "requests" / "write_types.xsd"))
    for ctype in tree.getroot().iterfind(f"{XS}complexType"):
        if ctype.get("name") == type_name:
            return [el.get("name", "") for el in ctype.iterfind(f"{XS}sequence/{XS}element")]
    raise AssertionError(f"no write type {type_name}")


SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize(
    ("response", "payload", "item", "xsd"), RESPONSES, ids=[r[3] for r in RESPONSES]
)
@SETTINGS
@given(data=st.data())
def test_answers_valid_against_the_xsd_read_back_whole(
    response: type[Any], payload: str, item: type[Any], xsd: str, data: st.DataObject
) -> None:
    records = data.draw(st.lists(valid_model(item), min_size=1, max_size=2))
    document = response(status="OK", **{payload: records})
    written = _codec.ENCODERS[response](document)
    root = etree.fromstring(written)
    validator = _schema("responses", xsd)
    assert validator.validate(root), validator.error_log
    assert _codec.DECODERS[response](root, True) == document
    for element in root.iter():  # Xero's order is not ours: reading must not care
        if len({child.tag for child in element}) == len(element):  # not a list
            element[:] = list(reversed(element))
    assert _codec.DECODERS[response](root, True) == document


@pytest.mark.parametrize(("item", "one", "many", "xsd"), REQUESTS, ids=[r[3] for r in REQUESTS])
@SETTINGS
@given(data=st.data())
def test_request_bodies_are_the_writable_subset_in_order(
    item: type[Any], one: Any, many: Any, xsd: str, data: st.DataObject
) -> None:
    record = data.draw(valid_model(item))
    validator = _schema("requests", xsd)
    body = etree.fromstring(one(record))
    assert validator.validate(body), validator.error_log
    order = _write_order(item.__name__)
    assert [child.tag for child in body] == [t for t in order if body.find(t) is not None]
    assert not any(node.attrib for node in body.iter())  # no status attribute, no xsi:nil
    again = _codec.DECODERS[item](body, True)
    for name in order:  # what was written reads back as it was
        python = _snake(name)
        assert getattr(again, python) == _written(getattr(record, python))
    batch = etree.fromstring(many([record, record]))
    assert validator.validate(batch), validator.error_log
    assert [child.tag for child in batch] == [body.tag, body.tag]


def _snake(name: str) -> str:
    special = {"ID": "id", "IncludePDF": "include_pdf", "COGSAccountCode": "cogs_account_code"}
    if name in special:
        return special[name]
    import re

    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z\d])([A-Z])", r"\1_\2", text).lower()


def _written(value: Any) -> Any:
    """A value as a request writes it: nested records keep only their writable elements."""
    if isinstance(value, list):
        return [_written(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kept: dict[str, Any] = {}
        try:
            order = _write_order(type(value).__name__)
        except AssertionError:
            return value
        for name in order:
            python = _snake(name)
            kept[python] = _written(getattr(value, python))
        return type(value)(**kept)
    return value


def test_the_strategy_only_makes_valid_documents_and_can_fail() -> None:
    """The round trip would catch a broken facet: a GUID that is not one is refused."""
    quote = models.Quote(quote_id="not-a-guid")
    root = etree.fromstring(
        _codec.ENCODERS[models.QuotesResponse](models.QuotesResponse(quotes=[quote]))
    )
    assert not _schema("responses", "quotes_response").validate(root)
