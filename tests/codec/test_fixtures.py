"""Every fixture document: both decoders give equal objects (or both refuse it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from xero_customer_api._runtime._errors import XeroResponseError
from xero_customer_api._runtime._xml import UnsafeXMLError, bind, parse_document
from xero_customer_api.v1_0 import models
from xero_customer_api.v1_0._codec import DECODERS

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "v1.0"
OWN = HERE / "documents"


def _class_for(path: Path) -> type[Any]:
    stem = path.parent.name.removesuffix("_request")
    cls: type[Any] = getattr(models, "".join(p.capitalize() for p in stem.split("_")))
    return cls


FILES = sorted(FIXTURES.glob("*/*/*.xml")) + sorted(OWN.glob("*/*.xml"))


def _outcome(fn: Any) -> tuple[str, Any]:
    try:
        return "ok", fn()
    except XeroResponseError:
        return "error", None


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_both_decoders_agree(path: Path, strict: bool) -> None:
    cls = _class_for(path)
    try:
        root = parse_document(path.read_bytes())
    except (UnsafeXMLError, ValueError):
        pytest.skip("refused before binding (not a codec question)")
    ours = _outcome(lambda: DECODERS[cls](root, strict))
    reference = _outcome(lambda: bind(root, cls, strict=strict))
    assert ours == reference


def test_there_are_documents() -> None:
    assert len(FILES) >= 5
