"""API 2.0's generated codec vs xsdata (the reference), on generated models of every class:
what one writes the other reads back, including xsdata's xsi:nil and xsi:type forms, and the
request writers keep to the write shape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api._runtime._xml import bind, parse_document, serialize
from xero_customer_api.v2_0 import _codec, models

from ..codec.strategies import model_strategy
from .conftest import SCHEMAS

MODELS = sorted(_codec.DECODERS, key=lambda c: c.__name__)
WRITE_TYPES = etree.parse(str(SCHEMAS / "requests" / "write_types.xsd"))
XS = "{http://www.w3.org/2001/XMLSchema}"
WRITABLE = {
    ctype.get("name"): {el.get("name") for el in ctype.iterfind(f"{XS}sequence/{XS}element")}
    for ctype in WRITE_TYPES.getroot().iterfind(f"{XS}complexType")
}


def test_every_model_has_a_codec() -> None:
    dataclasses_ = {
        v
        for v in vars(models).values()
        if isinstance(v, type) and hasattr(v, "__dataclass_fields__")
    }
    assert dataclasses_ == set(_codec.DECODERS) == set(_codec.ENCODERS)


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_codec_and_xsdata_read_each_other(cls: type[Any], data: st.DataObject) -> None:
    obj = data.draw(model_strategy(cls))
    ours = parse_document(_codec.ENCODERS[cls](obj))
    assert _codec.DECODERS[cls](ours, True) == obj
    assert bind(ours, cls, strict=True) == obj
    reference = parse_document(serialize(obj))
    assert _codec.DECODERS[cls](reference, True) == obj


@pytest.mark.parametrize(
    "cls", [c for c in MODELS if c.__name__ in WRITABLE], ids=lambda c: c.__name__
)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_request_writers_keep_to_the_write_shape(cls: type[Any], data: st.DataObject) -> None:
    obj = data.draw(model_strategy(cls))
    el = etree.Element("Root")
    getattr(_codec, f"write_{_codec_stem(cls)}_request")(el, obj)
    assert not any(node.attrib for node in el.iter())  # no status attribute, no xsi:nil
    assert {child.tag for child in el} <= WRITABLE[cls.__name__]
    order = [name for name in _write_order(cls.__name__) if name in {c.tag for c in el}]
    assert [child.tag for child in el] == order


def _codec_stem(cls: type[Any]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def _write_order(name: str) -> list[str]:
    for ctype in WRITE_TYPES.getroot().iterfind(f"{XS}complexType"):
        if ctype.get("name") == name:
            return [el.get("name", "") for el in ctype.iterfind(f"{XS}sequence/{XS}element")]
    return []


_XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


@pytest.mark.parametrize(
    "body",
    [
        '<Date xsi:nil="true"/>',
        '<Date note="x" xsi:nil="true"/>',  # nil beside another attribute
        '<Date note="x">2024-02-01T00:00:00</Date>',  # attributes, not nil
        '<Date xsi:nil="false">2024-02-01T00:00:00</Date>',
        "<LineItems/>",
        "<LineItems>\n  </LineItems>",  # empty list, whitespace only
        "<LineItems><LineItem><Description>d</Description></LineItem></LineItems>",
    ],
)
def test_fast_paths_of_nil_and_empty_lists_agree_with_xsdata(body: str) -> None:
    doc = parse_document(f"<Invoice {_XSI}><Type>ACCREC</Type>{body}</Invoice>".encode())
    ours = _codec.DECODERS[models.Invoice](doc, True)
    assert ours == bind(doc, models.Invoice, strict=True)


def test_an_unknown_item_in_a_list_is_refused_when_strict_and_counted_otherwise() -> None:
    from xero_customer_api._runtime._drift import DriftCounter, watching
    from xero_customer_api._runtime._errors import XeroResponseError

    doc = parse_document(b"<Invoice><LineItems><Bogus/></LineItems></Invoice>")
    with pytest.raises(XeroResponseError, match="Bogus"):
        _codec.DECODERS[models.Invoice](doc, True)
    counter = DriftCounter()
    with watching(counter):
        assert _codec.DECODERS[models.Invoice](doc, False).line_items == []
    assert counter.counts() == {("unknown element", "<Bogus> in <LineItems> (skipped)"): 1}
