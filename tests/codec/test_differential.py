"""Generated codec vs xsdata (the reference): same bytes out, same objects back."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xero_customer_api._runtime._xml import bind, parse_document, serialize
from xero_customer_api.v1_0._codec import DECODERS, ENCODERS

from .strategies import model_strategy

MODELS = sorted(DECODERS, key=lambda c: c.__name__)


def test_every_model_has_a_codec() -> None:
    from xero_customer_api.v1_0 import models

    dataclasses_ = {
        v
        for v in vars(models).values()
        if isinstance(v, type) and hasattr(v, "__dataclass_fields__")
    }
    assert dataclasses_ == set(DECODERS) == set(ENCODERS)


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_encoders_agree_and_both_decoders_read_back(cls: type[Any], data: st.DataObject) -> None:
    obj = data.draw(model_strategy(cls))
    ours = ENCODERS[cls](obj)
    reference = serialize(obj)
    assert ours == reference  # byte for byte: same order, wrappers, escaping, number formats
    root = parse_document(ours)
    assert DECODERS[cls](root, True) == obj
    assert bind(root, cls, strict=True) == obj
