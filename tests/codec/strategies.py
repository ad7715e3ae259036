"""Hypothesis strategies for every generated model, built generically from the dataclasses.

Each field's type annotation and xsdata metadata decide its strategy: ``None`` for optional
fields sometimes, lists (bounded by ``max_occurs``) for repeated ones, enum members, finite
decimals, Xero dates and UTC timestamps, and text that XML 1.0 can carry.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

# XML 1.0 text (the Char production): no control characters (XML refuses most; CR is
# normalised on parse), no surrogates, and not the two non-characters U+FFFE and U+FFFF.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=12,
)
DECIMALS = st.decimals(
    min_value=Decimal("-1e9"),
    max_value=Decimal("1e9"),
    allow_nan=False,
    allow_infinity=False,
    places=4,
)
DATES = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
UTC_DATETIMES = st.datetimes(
    min_value=datetime.datetime(1, 1, 2),
    max_value=datetime.datetime(9999, 12, 30),
    timezones=st.just(datetime.UTC),
)


def _scalar(tp: Any, metadata: Any) -> st.SearchStrategy[Any]:
    fmt = metadata.get("format")
    if tp is str:
        return TEXT
    if tp is Decimal:
        return DECIMALS
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**31), 2**31 - 1)
    if tp is datetime.date:
        assert fmt == "xero:date", fmt
        return DATES
    if tp is datetime.datetime:
        assert fmt == "xero:utc-datetime", fmt
        return UTC_DATETIMES
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if dataclasses.is_dataclass(tp):
        return st.deferred(lambda: model_strategy(tp))
    raise TypeError(f"no strategy for {tp!r}")


@cache
def model_strategy(cls: type[Any]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        meta = f.metadata
        if typing.get_origin(tp) is list:
            (inner,) = typing.get_args(tp)
            kwargs[f.name] = st.lists(
                _scalar(inner, meta), max_size=min(meta.get("max_occurs", 3), 3)
            )
            continue
        args = typing.get_args(tp)
        if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
            (inner,) = [a for a in args if a is not type(None)]
            kwargs[f.name] = st.none() | _scalar(inner, meta)
        else:
            kwargs[f.name] = _scalar(tp, meta)
    return st.builds(cls, **kwargs)
